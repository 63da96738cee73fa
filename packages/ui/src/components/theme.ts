/**
 * The reader's colour theme: 'system' (follow the device), 'light' or 'dark', kept in a cookie so
 * the server renders the right class on <html> and the page never flashes the other theme.
 */
export const THEME_COOKIE = 'studio-theme';
export type ThemeChoice = 'system' | 'light' | 'dark';

export function themeChoice(cookie: string | undefined | null): ThemeChoice {
  return cookie === 'light' || cookie === 'dark' ? cookie : 'system';
}

/** The class for <html>: none for 'system' (the stylesheet follows prefers-color-scheme). */
export function themeClass(cookie: string | undefined | null): string | undefined {
  const choice = themeChoice(cookie);
  return choice === 'system' ? undefined : choice;
}
