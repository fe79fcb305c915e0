import { createHash } from 'crypto';
import { SOLUTION_SPEC_TAG } from '../../private/contract';
import { replacementSpec, type SolutionSpec, type TagSpec } from '../../private/solution-spec';

/**
 * A digest of the members of `spec` whose change replaces the solution (as the resource properties
 * give them, so a replacement's generated name does not enter it). The handler tags every solution it
 * creates with it: an Update whose new properties have the digest of the solution it finds (the
 * rollback of an update that was refused or failed before replacing) keeps that solution.
 */
export function specDigest(spec: SolutionSpec): string {
  return createHash('sha256').update(canonical(replacementSpec(spec))).digest('hex').slice(0, 32);
}

/** The spec tag for `spec`. */
export function specTag(spec: SolutionSpec): TagSpec {
  return { tagKey: SOLUTION_SPEC_TAG, tagValue: specDigest(spec) };
}

/** JSON with object keys sorted and undefined members left out, so equal specs give equal text. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) {
    return `[${value.map(v => canonical(v ?? null)).join(',')}]`;
  }
  if (value !== null && typeof value === 'object') {
    const members = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${members.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
