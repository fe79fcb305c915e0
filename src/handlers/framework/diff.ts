/**
 * Structural comparison of two requests, used to decide between an in-place update and a replacement.
 */

/** Deep equality that ignores object key order (list order still matters). */
export function sameValue(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)))
      : v,
  ) ?? 'undefined';
}

/**
 * Member paths that differ between two requests. Members listed in `nested` are compared one level
 * deeper and reported as `member.child` (e.g. `solutionConfig.eventsConfig`).
 */
export function changedMembers(
  before: object,
  after: object,
  nested: readonly string[] = [],
): string[] {
  const b = before as Record<string, unknown>;
  const a = after as Record<string, unknown>;
  const changed: string[] = [];
  for (const key of unionKeys(b, a)) {
    if (nested.includes(key)) {
      const bn = (b[key] ?? {}) as Record<string, unknown>;
      const an = (a[key] ?? {}) as Record<string, unknown>;
      changed.push(...unionKeys(bn, an).filter((k) => !sameValue(bn[k], an[k])).map((k) => `${key}.${k}`));
    } else if (!sameValue(b[key], a[key])) {
      changed.push(key);
    }
  }
  return changed;
}

function unionKeys(x: Record<string, unknown>, y: Record<string, unknown>): string[] {
  return [...new Set([...Object.keys(x), ...Object.keys(y)])].sort();
}
