'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { cx } from '../components/cx';

export interface NavItem {
  href: string;
  label: string;
}

/** The current section: the longest item whose path is the page's path or a parent of it. */
export function currentHref(items: readonly NavItem[], pathname: string): string | null {
  let best: string | null = null;
  for (const { href } of items) {
    const path = href.split('?')[0]!;
    const matches = path === pathname || (path !== '/' && pathname.startsWith(`${path.replace(/\/$/, '')}/`));
    if (matches && (best === null || path.length > best.split('?')[0]!.length)) best = href;
  }
  return best;
}

/** The sections, the current one marked with aria-current="page" (and underlined, not only coloured). */
export function NavLinks({ items }: { items: readonly NavItem[] }) {
  const current = currentHref(items, usePathname() ?? '/');
  return (
    <ul className="m-0 flex list-none flex-wrap gap-x-1 gap-y-0 p-0">
      {items.map((item) => {
        const active = item.href === current;
        return (
          <li key={item.href}>
            <Link
              href={item.href}
              aria-current={active ? 'page' : undefined}
              className={cx(
                '-mb-px inline-flex min-h-10 items-center border-b-2 px-2.5 text-sm font-medium no-underline',
                active ? 'border-accent text-fg' : 'border-transparent text-muted hover:border-line-strong hover:text-fg',
              )}
            >
              {item.label}
            </Link>
          </li>
        );
      })}
    </ul>
  );
}
