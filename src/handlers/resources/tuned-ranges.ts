import { BOUND_TOLERANCE, type TunedRangeSpec } from '../../private/contract';
import { toObject } from '../framework/request';

/** Where one tuned value landed in its declared range. */
export interface RangePlacement {
  readonly name: string;
  readonly value: number;
  readonly range: TunedRangeSpec;
  /** 0 at the lower bound, 1 at the upper. */
  readonly position: number;
  /** The bound HPO chose, if it chose one. */
  readonly bound?: 'lower' | 'upper';
}

/** The TunedRanges property: `{ name: { min, max, integer } }`, numbers possibly as strings. */
export function parseTunedRanges(value: unknown): Record<string, TunedRangeSpec> {
  const raw = toObject(value, 'TunedRanges') ?? {};
  const ranges: Record<string, TunedRangeSpec> = {};
  for (const [name, spec] of Object.entries(raw)) {
    const s = toObject(spec, `TunedRanges.${name}`) ?? {};
    const min = Number(s.min);
    const max = Number(s.max);
    if (Number.isFinite(min) && Number.isFinite(max) && max > min) {
      ranges[name] = { min, max, integer: s.integer === true || s.integer === 'true' };
    }
  }
  return ranges;
}

/**
 * Where each tuned value of a numeric range landed. A value at a bound (an integer equal to it, a
 * continuous value within BOUND_TOLERANCE of the width) says the best value may lie beyond the range.
 */
export function placeTunedValues(tuned: ReadonlyMap<string, string>, ranges: Record<string, TunedRangeSpec>): RangePlacement[] {
  const placements: RangePlacement[] = [];
  for (const [name, range] of Object.entries(ranges)) {
    const value = Number(tuned.get(name));
    if (tuned.get(name) === undefined || !Number.isFinite(value)) {
      continue;
    }
    const width = range.max - range.min;
    const slack = range.integer ? 0 : width * BOUND_TOLERANCE;
    const bound = value <= range.min + slack ? 'lower' : value >= range.max - slack ? 'upper' : undefined;
    placements.push({ name, value, range, position: Math.min(1, Math.max(0, (value - range.min) / width)), bound });
  }
  return placements;
}

/** One line per tuned value, for the log: where it landed, and what a bound means. */
export function describePlacement(p: RangePlacement): string {
  const where = `${p.name} = ${p.value}, ${Math.round(p.position * 100)}% into ${p.range.min}..${p.range.max}`;
  if (p.bound === undefined) {
    return where;
  }
  const direction = p.bound === 'upper' ? 'above' : 'below';
  return `${where}: HPO chose the ${p.bound} bound, so the best value may lie ${direction} the range; consider widening it`;
}

/** The TunedAtBounds attribute: `name:lower` or `name:upper`, comma-separated. */
export function atBounds(placements: readonly RangePlacement[]): string {
  return placements.filter(p => p.bound !== undefined).map(p => `${p.name}:${p.bound}`).join(',');
}
