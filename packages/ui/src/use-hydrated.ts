'use client';

import { useEffect, useState } from 'react';

/**
 * False until React has hydrated the page. Until then a click would submit a form natively (a GET
 * with a password in the URL, or a POST nothing answers): submit buttons stay disabled until true.
 */
export function useHydrated(): boolean {
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  return hydrated;
}
