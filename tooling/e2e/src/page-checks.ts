/**
 * Checks any page can take, for the page-by-page browser test (issue 23 item 7): accessibility
 * (axe-core, serious and critical violations), a horizontal scrollbar (the page wider than the
 * window, and what sticks out), and page weight (compressed JavaScript of a first load, and when
 * the page's main form or content became usable). Each returns data plus a readable message.
 */
import { createRequire } from 'node:module';
import type { CDPSession, Page } from 'playwright-core';

const require = createRequire(import.meta.url);
/** axe-core's browser build, injected into the page (page.evaluate bypasses the page's CSP). */
const AXE_SOURCE: string = (require('axe-core') as { source: string }).source;

/** WCAG 2.0/2.1 A and AA, and axe's best practices (only their serious and critical count below). */
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] as const;
const COUNTED = new Set(['serious', 'critical']);
/** The rules a colour scheme changes the outcome of: for a second run in the dark scheme. */
export const COLOUR_RULES = ['color-contrast', 'link-in-text-block'] as const;

export interface AxeViolation {
  id: string;
  impact: 'serious' | 'critical';
  help: string;
  helpUrl: string;
  nodes: { target: string; summary: string; html: string }[];
}

/** Waits until running CSS transitions and animations are over (a colour scheme switch, a fade-in), at most `ms`. */
export async function settle(page: Page, ms = 1000): Promise<void> {
  await page.evaluate(`Promise.race([
    Promise.all(document.getAnimations().map((a) => a.finished.catch(() => undefined))),
    new Promise((resolve) => setTimeout(resolve, ${Number(ms)})),
  ]).then(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))))`);
}

/**
 * axe-core on the whole document (AXE_TAGS, or only `rules`): the serious and critical
 * violations, each with the elements it found.
 */
export async function axeViolations(page: Page, options: { rules?: readonly string[] } = {}): Promise<AxeViolation[]> {
  const injected = await page.evaluate('typeof window.axe === "object"');
  if (!injected) await page.evaluate(AXE_SOURCE);
  const runOnly = options.rules ? { type: 'rule', values: options.rules } : { type: 'tag', values: AXE_TAGS };
  const raw = (await page.evaluate(`window.axe
    .run(document, { runOnly: ${JSON.stringify(runOnly)}, resultTypes: ['violations'] })
    .then((result) => result.violations)`)) as {
    id: string;
    impact: string | null;
    help: string;
    helpUrl: string;
    nodes: { target: unknown[]; failureSummary?: string; html: string }[];
  }[];
  return raw
    .filter((v) => v.impact !== null && COUNTED.has(v.impact))
    .map((v) => ({
      id: v.id,
      impact: v.impact as AxeViolation['impact'],
      help: v.help,
      helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({
        // A target is a selector list (one per frame or shadow root): joined for reading.
        target: n.target.map((t) => (Array.isArray(t) ? t.join(' >>> ') : String(t))).join(' | '),
        summary: (n.failureSummary ?? '').replace(/\s+/g, ' ').trim(),
        html: n.html.length > 160 ? `${n.html.slice(0, 157)}...` : n.html,
      })),
    }));
}

/** One line per violation and per element (at most `perRule` elements each): for a failing assertion. */
export function formatViolations(where: string, violations: AxeViolation[], perRule = 6): string {
  if (violations.length === 0) return `${where}: no serious or critical axe violations`;
  const lines = [`${where}: ${violations.length} serious/critical axe violation(s)`];
  for (const v of violations) {
    lines.push(`  [${v.impact}] ${v.id}: ${v.help} (${v.nodes.length} element${v.nodes.length === 1 ? '' : 's'}) ${v.helpUrl}`);
    for (const node of v.nodes.slice(0, perRule)) {
      lines.push(`      ${node.target}`, `        ${node.html.replace(/\s+/g, ' ')}`);
      if (node.summary) lines.push(`        ${node.summary.slice(0, 300)}`);
    }
    if (v.nodes.length > perRule) lines.push(`      ... and ${v.nodes.length - perRule} more`);
  }
  return lines.join('\n');
}

export interface Overflow {
  /** documentElement.scrollWidth and clientWidth: a horizontal scrollbar when the first is larger. */
  scrollWidth: number;
  clientWidth: number;
  /** The outermost elements whose right edge is past the window's, none of them inside a scroller that clips them. */
  culprits: { selector: string; left: number; right: number; width: number; widest?: string }[];
}

/** Whether the page scrolls sideways, and which elements stick out (outermost first, with the widest element inside each). */
export async function horizontalOverflow(page: Page): Promise<Overflow> {
  // Runs in the page (plain JavaScript: this package's types have no DOM).
  return (await page.evaluate(`(() => {
    const root = document.documentElement;
    const viewport = root.clientWidth;
    const selector = (el) => {
      const parts = [];
      for (let e = el; e && e !== root && parts.length < 5; e = e.parentElement) {
        const testid = e.getAttribute('data-testid');
        if (e.id) {
          parts.unshift(e.tagName.toLowerCase() + '#' + e.id);
          break;
        }
        let part = e.tagName.toLowerCase();
        if (testid) part += '[data-testid="' + testid + '"]';
        else {
          const classes = [...e.classList].slice(0, 2).map((c) => '.' + CSS.escape(c)).join('');
          part += classes;
          const siblings = e.parentElement ? [...e.parentElement.children].filter((s) => s.tagName === e.tagName) : [];
          if (siblings.length > 1) part += ':nth-of-type(' + (siblings.indexOf(e) + 1) + ')';
        }
        parts.unshift(part);
        if (testid) break;
      }
      return parts.join(' > ');
    };
    // Inside an element that clips or scrolls sideways: it does not widen the page.
    const clipped = (el) => {
      for (let e = el.parentElement; e && e !== root && e !== document.body; e = e.parentElement) {
        const x = getComputedStyle(e).overflowX;
        if (x !== 'visible') return true;
      }
      return false;
    };
    const out = (el) => {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) return null;
      const style = getComputedStyle(el);
      if (style.position === 'fixed' || style.visibility === 'hidden') return null;
      return r.right > viewport + 0.5 ? r : null;
    };
    const sticking = new Set();
    for (const el of document.body.querySelectorAll('*')) if (out(el) && !clipped(el)) sticking.add(el);
    const culprits = [...sticking]
      .filter((el) => !el.parentElement || !sticking.has(el.parentElement))
      .slice(0, 6)
      .map((el) => {
        const r = el.getBoundingClientRect();
        let widest;
        let widestRight = r.right;
        for (const inner of el.querySelectorAll('*')) {
          if (!sticking.has(inner)) continue;
          const right = inner.getBoundingClientRect().right;
          if (right > widestRight) [widest, widestRight] = [inner, right];
        }
        return {
          selector: selector(el),
          left: Math.round(r.left),
          right: Math.round(r.right),
          width: Math.round(r.width),
          ...(widest ? { widest: selector(widest) + ' (right edge ' + Math.round(widestRight) + ')' } : {}),
        };
      });
    return { scrollWidth: root.scrollWidth, clientWidth: viewport, culprits };
  })()`)) as Overflow;
}

export function formatOverflow(where: string, overflow: Overflow): string {
  if (overflow.scrollWidth <= overflow.clientWidth) return `${where}: no horizontal scrollbar`;
  const lines = [`${where}: horizontal scrollbar, the page is ${overflow.scrollWidth} px wide in a ${overflow.clientWidth} px window; sticking out:`];
  for (const c of overflow.culprits) {
    lines.push(`  ${c.selector}: ${c.width} px wide, from x=${c.left} to x=${c.right}${c.widest ? `; widest inside: ${c.widest}` : ''}`);
  }
  if (overflow.culprits.length === 0) lines.push('  (no element found: a margin, a transform or a pseudo-element)');
  return lines.join('\n');
}

/**
 * Records, from navigation start, when the page became usable: its main form's submit button is
 * hydrated (React's fiber is on it) and enabled (the forms keep it disabled until hydrated,
 * packages/ui use-hydrated.ts); on a page without a form, when <main> is hydrated. Install with
 * `page.addInitScript(USABLE_PROBE)` before the navigation; read with `usableAt(page)`.
 */
export const USABLE_PROBE = `(() => {
  const hydrated = (el) => Object.keys(el).some((k) => k.startsWith('__reactFiber$'));
  const target = () => {
    const main = document.querySelector('main');
    if (!main) return null;
    const forms = [...main.querySelectorAll('form')];
    const form = forms.find((f) => f.querySelector('input:not([type=hidden]), textarea, select')) ?? forms[0];
    if (!form) return { el: main, what: 'main' };
    const submit = form.querySelector('button:not([type=button]):not([type=reset]), input[type=submit]');
    return submit ? { el: submit, what: 'form' } : { el: form, what: 'form' };
  };
  const check = () => {
    const t = target();
    if (t && hydrated(t.el) && !t.el.disabled) {
      window.__studioUsable = { at: performance.now(), what: t.what };
      return;
    }
    if (performance.now() < 30000) setTimeout(check, 5);
  };
  check();
})();`;

export interface Usable {
  /** ms from navigation start until usable; null when it never was (within the wait). */
  ms: number | null;
  /** What was waited for: the main form's submit button, or <main>. */
  what: 'form' | 'main' | null;
  /** DOMContentLoaded and load, from navigation start (Navigation Timing). */
  domContentLoaded: number;
  load: number;
}

/** The probe's figure, waiting up to `timeout` ms for it. */
export async function usableAt(page: Page, timeout = 10_000): Promise<Usable> {
  const usable = await page
    .waitForFunction('window.__studioUsable', undefined, { timeout, polling: 50 })
    .then((handle) => handle.jsonValue() as Promise<{ at: number; what: 'form' | 'main' }>)
    .catch(() => null);
  const nav = (await page.evaluate(`(() => {
    const entry = performance.getEntriesByType('navigation')[0];
    return { domContentLoaded: entry ? entry.domContentLoadedEventEnd : -1, load: entry ? entry.loadEventEnd : -1 };
  })()`)) as { domContentLoaded: number; load: number };
  return {
    ms: usable ? Math.round(usable.at) : null,
    what: usable?.what ?? null,
    domContentLoaded: Math.round(nav.domContentLoaded),
    load: Math.round(nav.load),
  };
}

export interface Transfer {
  url: string;
  /** Bytes of the body as sent (compressed), headers excluded. */
  bytes: number;
  encoding: string;
}

export interface Transfers {
  /** Scripts finished by the load event: what the document's own script tags pull in. */
  scripts: Transfer[];
  /** Scripts after the load event, until stop() (lazy chunks, prefetches). */
  laterScripts: Transfer[];
  document: Transfer | null;
  /** Every response's body bytes, up to stop(). */
  all: number;
}

/**
 * Counts what a navigation downloads, from CDP Network events (the body's encodedDataLength: as
 * sent, compressed): start before `page.goto` (the browser cache is off meanwhile, so the load is
 * a first load), `stop()` once the page is usable. The load event (Page.loadEventFired, on the
 * same clock as Network.loadingFinished) divides first-load scripts from later ones.
 */
export async function recordTransfers(cdp: CDPSession): Promise<{ stop(): Promise<Transfers> }> {
  const requests = new Map<string, { url: string; type: string; headerBytes: number; encoding: string }>();
  const done: (Transfer & { type: string; at: number })[] = [];
  let loadAt = Number.POSITIVE_INFINITY;
  const onResponse = (e: { requestId: string; type: string; response: { url: string; encodedDataLength: number; headers: Record<string, string> } }) => {
    const headers = Object.fromEntries(Object.entries(e.response.headers).map(([k, v]) => [k.toLowerCase(), v]));
    requests.set(e.requestId, { url: e.response.url, type: e.type, headerBytes: e.response.encodedDataLength, encoding: headers['content-encoding'] ?? 'identity' });
  };
  const onFinished = (e: { requestId: string; timestamp: number; encodedDataLength: number }) => {
    const request = requests.get(e.requestId);
    if (request) done.push({ ...request, at: e.timestamp, bytes: Math.max(0, e.encodedDataLength - request.headerBytes) });
  };
  const onLoad = (e: { timestamp: number }) => (loadAt = Math.min(loadAt, e.timestamp));
  await cdp.send('Network.enable');
  await cdp.send('Page.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  cdp.on('Network.responseReceived', onResponse);
  cdp.on('Network.loadingFinished', onFinished);
  cdp.on('Page.loadEventFired', onLoad);
  return {
    async stop() {
      cdp.off('Network.responseReceived', onResponse);
      cdp.off('Network.loadingFinished', onFinished);
      cdp.off('Page.loadEventFired', onLoad);
      await cdp.send('Network.setCacheDisabled', { cacheDisabled: false });
      const plain = ({ url, bytes, encoding }: Transfer): Transfer => ({ url, bytes, encoding });
      const scripts = done.filter((t) => t.type === 'Script');
      const doc = done.find((t) => t.type === 'Document');
      return {
        scripts: scripts.filter((t) => t.at <= loadAt).map(plain),
        laterScripts: scripts.filter((t) => t.at > loadAt).map(plain),
        document: doc ? plain(doc) : null,
        all: done.reduce((sum, t) => sum + t.bytes, 0),
      };
    },
  };
}

export interface PageWeight {
  url: string;
  /** Compressed JavaScript bytes of the first load: script resources by the load event (the inline RSC payload is in the document). */
  jsBytes: number;
  jsFiles: number;
  /** Compressed JavaScript fetched after the load event until the page was usable (lazy chunks, prefetches): not in jsBytes. */
  laterJsBytes: number;
  /** Scripts that came uncompressed (a server or proxy that does not compress them). */
  uncompressed: string[];
  documentBytes: number;
  totalBytes: number;
  usable: Usable;
}

/**
 * Loads `url` in `page` as a first load (cache off) and weighs it: compressed JavaScript from CDP
 * Network events' encodedDataLength, and when it became usable (USABLE_PROBE must be installed on
 * the page or its context first). Returns the document's status too.
 */
export async function pageWeight(page: Page, cdp: CDPSession, url: string): Promise<{ status: number | null; weight: PageWeight }> {
  const recording = await recordTransfers(cdp);
  const loaded = await page.goto(url, { waitUntil: 'load' }).catch((error: unknown) => error as Error);
  const usable = loaded instanceof Error ? null : await usableAt(page);
  const transfers = await recording.stop();
  if (loaded instanceof Error) throw loaded;
  const sum = (list: Transfer[]) => list.reduce((total, t) => total + t.bytes, 0);
  return {
    status: loaded?.status() ?? null,
    weight: {
      url,
      jsBytes: sum(transfers.scripts),
      jsFiles: transfers.scripts.length,
      laterJsBytes: sum(transfers.laterScripts),
      uncompressed: [...transfers.scripts, ...transfers.laterScripts].filter((s) => s.encoding === 'identity' && s.bytes > 1024).map((s) => s.url),
      documentBytes: transfers.document?.bytes ?? 0,
      totalBytes: transfers.all,
      usable: usable!,
    },
  };
}
