'use client';

import { useEffect, useState } from 'react';

/**
 * False until React has hydrated the page. Until then a click would submit a form natively
 * (a plain POST or GET the app does not answer): submit buttons stay disabled until this is true.
 */
export function useHydrated(): boolean {
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  return hydrated;
}
