/** The size of a download, in words. */
export function sizeOf(bytes: number | undefined): string {
  const b = bytes ?? 0;
  return b >= 1024 * 1024 ? `${(b / 1024 / 1024).toFixed(1)} MiB` : `${(b / 1024).toFixed(1)} KiB`;
}
