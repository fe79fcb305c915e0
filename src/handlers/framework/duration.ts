/** 21600 → "6h", 5400 → "1h 30m", 90 → "1m 30s". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const parts = [[Math.floor(s / 3600), 'h'], [Math.floor((s % 3600) / 60), 'm'], [s % 60, 's']]
    .filter(([n]) => n !== 0)
    .map(([n, unit]) => `${n}${unit}`);
  return parts.length > 0 ? parts.join(' ') : '0s';
}


