import { LoadingPage } from '@studio/ui/components';

/**
 * While a workspace page renders: the shape of a page, announced as loading. The page brings its
 * own frame (Shell, or a refusal), so this stands alone, in a <main> of its own.
 */
export default function Loading() {
  return (
    <main id="content" className="mx-auto w-full max-w-6xl px-4 py-6 sm:py-8">
      <LoadingPage label="Loading…" />
    </main>
  );
}
