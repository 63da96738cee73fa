import type { ReactNode } from 'react';
import { cx } from './cx';

/**
 * How much of a quota is used: "2 of 3 exports this hour" as words and as a bar (role="meter",
 * so a screen reader hears the same numbers). Amber from 80%, red when it is used up.
 */
export function UsageMeter({ label, used, limit, detail, ...rest }: { label: ReactNode; used: number; limit: number; detail?: ReactNode; 'data-testid'?: string }) {
  const share = limit > 0 ? Math.min(1, used / limit) : 1;
  const tone = share >= 1 ? 'bg-danger' : share >= 0.8 ? 'bg-warn-line' : 'bg-accent';
  const words = `${used.toLocaleString('en-US')} of ${limit.toLocaleString('en-US')}`;
  return (
    <div {...rest} className="mb-3">
      <div className="flex items-baseline justify-between gap-3 text-sm">
        <span className="font-medium">{label}</span>
        <span className="tabular-nums text-muted">{words}</span>
      </div>
      <div
        role="meter"
        aria-label={typeof label === 'string' ? label : undefined}
        aria-valuemin={0}
        aria-valuemax={limit}
        aria-valuenow={Math.min(used, limit)}
        aria-valuetext={words}
        className="mt-1 h-2 w-full overflow-hidden rounded-full bg-surface-3"
      >
        <div className={cx('h-full rounded-full', tone)} style={{ width: `${Math.round(share * 100)}%` }} />
      </div>
      {detail && <p className="m-0 mt-1 text-xs text-muted">{detail}</p>}
    </div>
  );
}
