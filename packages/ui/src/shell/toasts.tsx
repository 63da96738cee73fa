'use client';

import { useEffect, useRef } from 'react';
import { Toaster as Sonner, toast } from 'sonner';

/** Where toasts appear; AppShell has one. Bottom-centre on a phone, bottom-right elsewhere. */
export function Toaster() {
  return <Sonner position="bottom-right" closeButton richColors theme="system" toastOptions={{ className: 'text-sm' }} />;
}

export { toast };

/**
 * A toast for what a form's server action answered: `ok` as success, `error` as an error, once
 * per answer (a new state object), not again on re-render. The form keeps its own inline message
 * too: a toast disappears, the page's words do not.
 */
export function ActionToast({ state }: { state: { ok?: string; error?: string } }) {
  const seen = useRef(state);
  useEffect(() => {
    if (seen.current === state) return;
    seen.current = state;
    if (state.ok) toast.success(state.ok);
    else if (state.error) toast.error(state.error);
  }, [state]);
  return null;
}
