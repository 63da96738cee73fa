import { THEME_COOKIE, type ThemeChoice } from '../components/theme';

/** Remembers the reader's theme for a year (this host only) and applies it without a reload. */
export function applyTheme(choice: ThemeChoice): void {
  document.cookie = `${THEME_COOKIE}=${choice}; path=/; max-age=${choice === 'system' ? 0 : 31_536_000}; samesite=lax`;
  const root = document.documentElement;
  root.classList.remove('light', 'dark');
  if (choice !== 'system') root.classList.add(choice);
}
