/** ISO 8601 duration (PT12H, PT30M, PT1H30M15S) in seconds; NaN if it is not one. */
export function isoDurationSeconds(text: unknown): number {
  const m = typeof text === 'string' ? /^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?$/.exec(text) : null;
  if (!m || (!m[1] && !m[2] && !m[3])) return NaN;
  return Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
}
