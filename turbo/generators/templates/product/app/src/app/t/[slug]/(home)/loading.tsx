import { LoadingPage } from '@studio/ui/components';

/** While a workspace page renders: the shape of a page, announced as loading (in a <main> of its own: the page brings its Shell). */
export default function Loading() {
  return (
    <main id="content" className="mx-auto w-full max-w-6xl px-4 py-6 sm:py-8">
      <LoadingPage />
    </main>
  );
}
