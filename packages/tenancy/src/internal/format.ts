/** A size for people: 512 B, 1.5 kB, 2.3 MB (tenant sizes in the CLI and the admin console). */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

/**
 * A wait for people, as the end of a sentence: "in a few seconds", "in about a minute",
 * "in about 20 minutes", "in about an hour", "in about 3 hours", "in about 2 days". Rounded, never
 * shorter than the wait by more than the rounding: a Retry-After says the exact seconds.
 */
export function formatWait(seconds: number): string {
  const s = Math.max(0, Math.ceil(seconds));
  if (s <= 10) return 'in a few seconds';
  if (s < 45) return 'in less than a minute';
  if (s < 90) return 'in about a minute';
  const minutes = Math.round(s / 60);
  if (minutes < 45) return `in about ${minutes} minutes`;
  if (minutes < 90) return 'in about an hour';
  const hours = Math.round(minutes / 60);
  if (hours < 36) return `in about ${hours} hours`;
  const days = Math.round(hours / 24);
  return days < 2 ? 'in about a day' : `in about ${days} days`;
}
