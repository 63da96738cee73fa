'use client';

import { useEffect, useRef } from 'react';
import { toast } from '@studio/ui/interactive';

/**
 * A success toast once, when a page is opened after an action that redirected to it (a deleted
 * lesson plan lands on the list with ?deleted=1). The page says it in words too: a toast goes away.
 */
export function ToastOnArrival({ message }: { message: string }) {
  const shown = useRef(false);
  useEffect(() => {
    if (shown.current) return;
    // After this commit: the shell's Toaster (rendered after the page) subscribes in its own effect.
    const timer = setTimeout(() => {
      shown.current = true;
      toast.success(message);
    }, 0);
    return () => clearTimeout(timer);
  }, [message]);
  return null;
}
