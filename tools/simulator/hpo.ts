// Simulated hyperparameter optimisation. Nothing is trained: trials are scored by a made-up,
// deterministic objective so that tests get stable, plausible-looking tuned values.
import { fnv1a, prng } from './random';
import { RecipeInfo } from './recipe-catalog';


/** A uniform number in [0, 1) derived from text. */
const unit = (text: string) => fnv1a(text) / 4294967296;

/** JSON with sorted keys, so equal configs hash equally. */
export function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export interface NumericRange {
  readonly name: string;
  readonly minValue: number;
  readonly maxValue: number;
}

export interface CategoricalRange {
  readonly name: string;
  readonly values: readonly string[];
}

export interface SearchSpace {
  readonly integer: readonly NumericRange[];
  readonly continuous: readonly NumericRange[];
  readonly categorical: readonly CategoricalRange[];
}

export interface Trial {
  readonly round: number;
  readonly values: Record<string, string>;
  readonly objective: number;
}

export interface HpoResult {
  readonly rounds: number;
  readonly trials: readonly Trial[];
  readonly best: Trial;
}

const formatContinuous = (x: number) => String(Number(x.toPrecision(6)));

/**
 * The synthetic objective: every algorithm hyperparameter of the recipe has a preferred value
 * (derived from the dataset group and parameter name), and the score falls off smoothly with
 * the distance from it. Result in [0, 1]; higher is better.
 */
export class SyntheticObjective {
  constructor(private readonly recipe: RecipeInfo, private readonly landscapeKey: string) {}

  evaluate(values: Readonly<Record<string, string>>): number {
    const scores: number[] = [];
    for (const p of this.recipe.params) {
      if (p.kind !== 'algorithm') continue;
      const raw = values[p.name] ?? (p.altName ? values[p.altName] : undefined) ?? (p.default === undefined ? undefined : String(p.default));
      const u = unit(`${this.landscapeKey}|${p.name}`);
      const choices = p.values ?? (p.type === 'boolean' ? ['true', 'false'] : undefined);
      if (choices) {
        scores.push(raw === choices[Math.floor(u * choices.length)] ? 1 : 0.75);
      } else if (p.min !== undefined && p.max !== undefined && p.max > p.min) {
        const x = Number(raw);
        const preferred = p.min + (0.2 + 0.6 * u) * (p.max - p.min);
        const width = 0.35 * (p.max - p.min);
        scores.push(Number.isFinite(x) ? Math.exp(-(((x - preferred) / width) ** 2)) : 0.5);
      }
    }
    const mean = scores.length ? scores.reduce((a, b) => a + b, 0) / scores.length : 0.6;
    const noise = (unit(`${this.landscapeKey}|noise|${stableStringify(values)}`) - 0.5) * 0.02;
    return Math.min(1, Math.max(0, 0.45 + 0.4 * mean + noise));
  }
}

/**
 * Random search with refinement: round 0 samples uniformly; later rounds mostly perturb the
 * best trial so far with a shrinking step. `totalJobs` trials run in rounds of `parallelJobs`.
 */
export function runHpo(
  seedText: string,
  space: SearchSpace,
  totalJobs: number,
  parallelJobs: number,
  fixed: Readonly<Record<string, string>>,
  objective: SyntheticObjective,
): HpoResult {
  const rnd = prng(fnv1a(seedText));
  const rounds = Math.ceil(totalJobs / parallelJobs);
  const trials: Trial[] = [];
  let best: Trial | undefined;

  const sample = (round: number): Record<string, string> => {
    const explore = !best || rnd() < 0.3;
    const step = 0.5 / (round + 1);
    const values: Record<string, string> = {};
    const numeric = (r: NumericRange, integer: boolean) => {
      const span = r.maxValue - r.minValue;
      const center = explore ? undefined : Number(best!.values[r.name]);
      let x = center === undefined ? r.minValue + rnd() * span : center + (rnd() * 2 - 1) * step * span;
      x = Math.min(r.maxValue, Math.max(r.minValue, x));
      return integer ? String(Math.min(r.maxValue, Math.max(r.minValue, Math.round(x)))) : formatContinuous(x);
    };
    for (const r of space.integer) values[r.name] = numeric(r, true);
    for (const r of space.continuous) values[r.name] = numeric(r, false);
    for (const r of space.categorical) {
      const keep = !explore && rnd() < 0.7;
      values[r.name] = keep ? best!.values[r.name] : r.values[Math.floor(rnd() * r.values.length)];
    }
    return values;
  };

  for (let round = 0; round < rounds; round++) {
    const jobs = Math.min(parallelJobs, totalJobs - round * parallelJobs);
    // Trials of one round run in parallel, so they only see the best of earlier rounds.
    const roundTrials: Trial[] = [];
    for (let j = 0; j < jobs; j++) {
      const values = sample(round);
      roundTrials.push({ round, values, objective: objective.evaluate({ ...fixed, ...values }) });
    }
    for (const t of roundTrials) {
      trials.push(t);
      if (!best || t.objective > best.objective) best = t;
    }
  }
  return { rounds, trials, best: best! };
}

const r4 = (v: number) => Math.round(v * 10_000) / 10_000;

/** Offline metrics with the real GetSolutionMetrics keys, all rising with the objective. */
export function solutionMetrics(
  recipeType: string,
  score: number,
  extras: { readonly eventsConfig?: boolean; readonly optimizationObjective?: boolean } = {},
): Record<string, number> {
  if (recipeType === 'USER_SEGMENTATION') {
    return { coverage: r4(0.5 + 0.45 * score), hits_at_1_percent: r4(4 + 20 * score), recall_at_1_percent: r4(0.05 + 0.3 * score) };
  }
  const metrics: Record<string, number> = {
    coverage: r4(0.15 + 0.6 * score),
    mean_reciprocal_rank_at_25: r4(0.05 + 0.3 * score),
    normalized_discounted_cumulative_gain_at_5: r4(0.06 + 0.3 * score),
    normalized_discounted_cumulative_gain_at_10: r4(0.08 + 0.32 * score),
    normalized_discounted_cumulative_gain_at_25: r4(0.11 + 0.34 * score),
    precision_at_5: r4(0.02 + 0.1 * score),
    precision_at_10: r4(0.018 + 0.085 * score),
    precision_at_25: r4(0.013 + 0.06 * score),
  };
  if (extras.optimizationObjective) metrics.average_rewards_at_k = r4(0.1 + 0.5 * score);
  if (extras.eventsConfig) metrics.normalized_discounted_cumulative_gain_with_event_weights_at_k = r4(0.07 + 0.31 * score);
  return metrics;
}

/** Echo names the service is documented to use (e.g. `training.bptt`, `data.recency_mask`). */
export function prefixedName(name: string): string {
  if (name.includes('.')) return name;
  return name === 'recency_mask' ? `data.${name}` : `training.${name}`;
}
