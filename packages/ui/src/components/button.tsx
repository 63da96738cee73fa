import type { AnchorHTMLAttributes, ButtonHTMLAttributes } from 'react';
import { cx } from './cx';

export type ButtonVariant = 'primary' | 'secondary' | 'danger' | 'ghost';
export type ButtonSize = 'md' | 'sm';

const base =
  'inline-flex items-center justify-center gap-1.5 rounded-lg border font-medium no-underline transition-colors disabled:cursor-default disabled:opacity-60';
const variants: Record<ButtonVariant, string> = {
  primary: 'border-accent bg-accent text-accent-fg hover:border-accent-hover hover:bg-accent-hover hover:text-accent-fg',
  secondary: 'border-line-strong bg-surface text-fg hover:bg-surface-3 hover:text-fg hover:border-line-strong',
  danger: 'border-danger bg-danger text-white dark:text-surface hover:border-danger-hover hover:bg-danger-hover hover:text-white dark:hover:text-surface',
  ghost: 'border-transparent bg-transparent text-fg hover:bg-surface-3 hover:border-transparent hover:text-fg',
};
// Both sizes stay above WCAG 2.5.8's 24px target; md is the default for anything in a form.
const sizes: Record<ButtonSize, string> = { md: 'min-h-10 px-4 py-2 text-sm', sm: 'min-h-8 px-3 py-1 text-sm' };

/** The classes of a button, for a link that looks like one (`<Link className={buttonClass('secondary')}>`). */
export function buttonClass(variant: ButtonVariant = 'primary', size: ButtonSize = 'md', extra?: string): string {
  return cx(base, variants[variant], sizes[size], extra);
}

export function Button({
  variant = 'primary',
  size = 'md',
  className,
  ...rest
}: ButtonHTMLAttributes<HTMLButtonElement> & { variant?: ButtonVariant; size?: ButtonSize }) {
  return <button {...rest} className={buttonClass(variant, size, className)} />;
}

/** A plain link styled as a button (a full page load; use buttonClass on next/link for client navigation). */
export function LinkButton({
  variant = 'secondary',
  size = 'md',
  className,
  ...rest
}: AnchorHTMLAttributes<HTMLAnchorElement> & { variant?: ButtonVariant; size?: ButtonSize }) {
  return <a {...rest} className={buttonClass(variant, size, className)} />;
}
