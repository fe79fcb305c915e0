import type { ResourceProperties } from './types';
import type { TagSpec } from '../../private/solution-spec';

/**
 * CloudFormation turns every scalar in custom resource properties into a string. The helpers here
 * turn them back into the types the Personalize API expects, accepting values that are already
 * typed too, and build requests from an explicit list of members (`parseMembers`) so that control
 * keys and unsupported members never reach the service.
 */

export type Raw = Record<string, unknown>;

/** Added by CloudFormation to every custom resource's properties. */
export const SERVICE_TOKEN = 'ServiceToken';

/** Properties without ServiceToken and the given control keys. */
export function stripControlKeys(props: ResourceProperties, controlKeys: readonly string[] = []): Raw {
  const drop = new Set([SERVICE_TOKEN, ...controlKeys]);
  return Object.fromEntries(Object.entries(props).filter(([key]) => !drop.has(key)));
}

/** Reads a "true"/"false" control flag (CloudFormation sends it as a string). */
export function isTrue(value: unknown): boolean {
  return value === true || (typeof value === 'string' && value.toLowerCase() === 'true');
}

export function toBoolean(value: unknown, path: string): boolean | undefined {
  if (value === undefined || value === null || typeof value === 'boolean') {
    return value ?? undefined;
  }
  if (typeof value === 'string') {
    const lower = value.trim().toLowerCase();
    if (lower === 'true' || lower === 'false') {
      return lower === 'true';
    }
  }
  throw invalid(path, 'a boolean', value);
}

export function toNumber(value: unknown, path: string): number | undefined {
  if (value === undefined || value === null) {
    return undefined;
  }
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n === 'number' && Number.isFinite(n)) {
    return n;
  }
  throw invalid(path, 'a number', value);
}

export function toInteger(value: unknown, path: string): number | undefined {
  const n = toNumber(value, path);
  if (n !== undefined && !Number.isInteger(n)) {
    throw invalid(path, 'an integer', value);
  }
  return n;
}

/** Strings stay strings; numbers and booleans (already typed by a test or a caller) are stringified. */
export function toStr(value: unknown, path: string): string | undefined {
  if (value === undefined || value === null) {
    return undefined;
  }
  if (typeof value === 'string') {
    return value;
  }
  if (typeof value === 'number' || typeof value === 'boolean') {
    return String(value);
  }
  throw invalid(path, 'a string', value);
}

export function requiredStr(value: unknown, path: string): string {
  const s = toStr(value, path);
  if (s === undefined || s === '') {
    throw new Error(`Property ${path} is required`);
  }
  return s;
}

export function toObject(value: unknown, path: string): Raw | undefined {
  if (value === undefined || value === null) {
    return undefined;
  }
  if (typeof value === 'object' && !Array.isArray(value)) {
    return value as Raw;
  }
  throw invalid(path, 'an object', value);
}

export function toList<T>(value: unknown, path: string, item: (v: unknown, path: string) => T): T[] | undefined {
  if (value === undefined || value === null) {
    return undefined;
  }
  if (!Array.isArray(value)) {
    throw invalid(path, 'a list', value);
  }
  return value.map((v, i) => item(v, `${path}[${i}]`));
}

export function toStrList(value: unknown, path: string): string[] | undefined {
  return toList(value, path, (v, p) => requiredStr(v, p));
}

/** map<string, string>, e.g. algorithmHyperParameters. */
export function toStrMap(value: unknown, path: string): Record<string, string> | undefined {
  const obj = toObject(value, path);
  return obj && mapValues(obj, (v, key) => toStr(v, `${path}.${key}`) ?? '');
}

/** Drops undefined members, recursively, so requests compare and serialise cleanly. */
export function compact<T>(value: T): T {
  if (Array.isArray(value)) {
    return value.map(compact) as T;
  }
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [k, compact(v)]),
    ) as T;
  }
  return value;
}

/** A parser for each member of a type: the compiler checks that none is missing. */
export type Parsers<T> = { readonly [K in keyof T]-?: (value: unknown, path: string) => T[K] };

export function parseMembers<T>(raw: Raw, parsers: Parsers<T>, prefix: string): T {
  ignoreUnknown(raw, Object.keys(parsers), prefix);
  const parsed: Record<string, unknown> = {};
  for (const [member, parse] of Object.entries(parsers) as Array<[string, (value: unknown, path: string) => unknown]>) {
    parsed[member] = parse(raw[member], `${prefix}${member}`);
  }
  return parsed as T;
}

export function toTags(value: unknown, path: string): TagSpec[] | undefined {
  return toList(value, path, (v, p) => {
    const t = toObject(v, p) ?? {};
    return { tagKey: requiredStr(t.tagKey, `${p}.tagKey`), tagValue: toStr(t.tagValue, `${p}.tagValue`) ?? '' };
  });
}

export function mapValues<T>(obj: Raw, fn: (value: unknown, key: string) => T): Record<string, T> {
  return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, fn(v, k)]));
}

/** Logs (rather than forwards) members this handler does not know, e.g. hpoObjective. */
export function ignoreUnknown(obj: Raw, known: readonly string[], prefix: string): void {
  const unknown = Object.keys(obj).filter((key) => !known.includes(key));
  if (unknown.length > 0) {
    console.log(`Not sent to Personalize: ${unknown.map((key) => prefix + key).join(', ')}`);
  }
}

export function invalid(path: string, expected: string, value: unknown): Error {
  return new Error(`Property ${path} must be ${expected}, got ${JSON.stringify(value)}`);
}
