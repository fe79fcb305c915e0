// Training-time model and the solution-configuration rules that the API model cannot express.
import { invalidInput } from './errors';
import { SearchSpace } from './hpo';
import { RecipeInfo, RecipeParam, findParam } from './recipe-catalog';
import { CreateSolutionInput, SolutionConfigInput } from './wire';

export const MINUTE_MS = 60_000;

/** Simulated durations. All run on the simulated clock. */
export const TIMING = {
  /** Each of CREATE PENDING and CREATE IN_PROGRESS for solutions, updates and dataset groups (and the DELETE steps). */
  stepMs: 30_000,
  /** A solution version waits this long in CREATE PENDING. */
  versionPendingMs: 60_000,
  /** Data preparation before the training jobs of a version. */
  baseTrainingMs: 20 * MINUTE_MS,
  /** One round of training jobs (jobs of a round run in parallel). */
  roundMs: 40 * MINUTE_MS,
  /** The single job of a trainingMode UPDATE version. */
  updateJobMs: 10 * MINUTE_MS,
  /** CREATE STOPPING lasts this long before CREATE STOPPED. */
  stoppingMs: 3 * MINUTE_MS,
  /** A version armed with failNextTraining fails this long into CREATE IN_PROGRESS. */
  failAfterMs: 20 * MINUTE_MS,
  /**
   * Dataset import jobs spend `importBaseMs` plus one minute per `importRecordsPerMinute` records in
   * CREATE IN_PROGRESS: 10 minutes for the default 50,000 records (`setImportData` sets a location's).
   */
  importBaseMs: 5 * MINUTE_MS,
  importRecordsPerMinute: 10_000,
  defaultImportRecords: 50_000,
  /** Batch inference and batch segment jobs spend this long in CREATE IN_PROGRESS. */
  batchJobMs: 30 * MINUTE_MS,
  /** An import armed with failNextImport fails this long into CREATE IN_PROGRESS. */
  importFailAfterMs: 2 * MINUTE_MS,
  /** Campaign creation and updates spend this long in CREATE IN_PROGRESS. */
  campaignMs: 5 * MINUTE_MS,
  /** First automatic training after a solution turns ACTIVE. */
  firstAutoTrainingMs: 60 * MINUTE_MS,
};

/** Documented HPO maxima, and the simulator's defaults when performHPO has no hpoResourceConfig. */
export const HPO_LIMITS = { maxNumberOfTrainingJobs: 40, maxParallelTrainingJobs: 10 };
export const DEFAULT_HPO_JOBS = { total: 20, parallel: 5 };

export interface HpoJobs {
  readonly total: number;
  readonly parallel: number;
}

export interface TrainingPlan {
  readonly rounds: number;
  readonly jobs: number;
  /** Time in CREATE IN_PROGRESS. */
  readonly durationMs: number;
  /** Reported as trainingHours once ACTIVE. */
  readonly billedHours: number;
}

/**
 * Training time: FULL versions take base 20 min + 40 min x rounds, where rounds =
 * ceil(maxNumberOfTrainingJobs / maxParallelTrainingJobs) with HPO and 1 without.
 * Billed hours = jobs x 40 min (each job is billed, parallel or not). UPDATE versions take
 * 20 min + one 10-minute job.
 */
export function planTraining(trainingMode: string, hpo: HpoJobs | undefined): TrainingPlan {
  if (trainingMode === 'UPDATE') {
    return { rounds: 1, jobs: 1, durationMs: TIMING.baseTrainingMs + TIMING.updateJobMs, billedHours: hours(TIMING.updateJobMs) };
  }
  const jobs = hpo?.total ?? 1;
  const rounds = hpo ? Math.ceil(hpo.total / hpo.parallel) : 1;
  return { rounds, jobs, durationMs: TIMING.baseTrainingMs + rounds * TIMING.roundMs, billedHours: hours(jobs * TIMING.roundMs) };
}

/** How long an import of `records` records spends in CREATE IN_PROGRESS. */
export function importDurationMs(records: number): number {
  return TIMING.importBaseMs + Math.round((records / TIMING.importRecordsPerMinute) * MINUTE_MS);
}

const hours = (ms: number) => Math.round((ms / 3_600_000) * 1000) / 1000;

/** Parses one of the HPO resource strings: a whole number in [1, max]. */
function parseJobs(value: string | undefined, member: string, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value)) throw invalidInput(`hpoResourceConfig.${member} must be a whole number as a string, got "${value}"`);
  const n = Number(value);
  if (n < 1 || n > max) throw invalidInput(`hpoResourceConfig.${member} must be between 1 and ${max}, got ${n}`);
  return n;
}

/** Checks the HPO resource strings whenever an hpoConfig is present. */
export function hpoJobs(config: SolutionConfigInput | undefined): HpoJobs | undefined {
  const hpo = config?.hpoConfig;
  if (!hpo) return undefined;
  const rc = hpo.hpoResourceConfig ?? {};
  const total = parseJobs(rc.maxNumberOfTrainingJobs, 'maxNumberOfTrainingJobs', HPO_LIMITS.maxNumberOfTrainingJobs, DEFAULT_HPO_JOBS.total);
  const parallel = parseJobs(rc.maxParallelTrainingJobs, 'maxParallelTrainingJobs', HPO_LIMITS.maxParallelTrainingJobs, Math.min(total, DEFAULT_HPO_JOBS.parallel));
  if (parallel > total) {
    throw invalidInput(`hpoResourceConfig.maxParallelTrainingJobs (${parallel}) must not exceed maxNumberOfTrainingJobs (${total})`);
  }
  return { total, parallel };
}

const unknownHyperparameter = (recipe: RecipeInfo) =>
  invalidInput(`Provide a hyperparameter that is used in the algorithm: ${recipe.algorithmArn}`);

function checkFixedValue(recipe: RecipeInfo, p: RecipeParam, value: string): void {
  const choices = p.values ?? (p.type === 'boolean' ? ['true', 'false'] : undefined);
  if (choices && !choices.includes(value)) {
    throw invalidInput(`Hyperparameter ${p.name} of ${recipe.algorithmArn} must be one of [${choices.join(', ')}], got "${value}"`);
  }
  if (p.type === 'integer' || p.type === 'continuous') {
    const x = Number(value);
    const ok = value.trim() !== '' && Number.isFinite(x) && (p.type === 'continuous' || Number.isInteger(x));
    if (!ok || (p.min !== undefined && x < p.min) || (p.max !== undefined && x > p.max)) {
      throw invalidInput(`Hyperparameter ${p.name} of ${recipe.algorithmArn} must be ${p.type === 'integer' ? 'an integer' : 'a number'} in [${p.min ?? '-inf'}, ${p.max ?? 'inf'}], got "${value}"`);
    }
  }
}

/**
 * The recipe-level rules of CreateSolution: hyperparameter names and values, HPO ranges,
 * and which features the recipe supports. Returns the HPO search space when HPO will run.
 */
export function checkSolutionConfig(recipe: RecipeInfo, req: CreateSolutionInput): { jobs?: HpoJobs; space?: SearchSpace } {
  const config = req.solutionConfig ?? {};
  const jobs = hpoJobs(config);
  if (req.performHPO && !recipe.manualHpo) {
    throw invalidInput(`performHPO is not supported for ${recipe.recipeArn}`);
  }
  if (config.eventsConfig && !recipe.eventsConfig) throw invalidInput(`eventsConfig is not supported for ${recipe.recipeArn}`);
  if (config.optimizationObjective && !recipe.optimizationObjective) {
    throw invalidInput(`optimizationObjective is not supported for ${recipe.recipeArn}`);
  }
  if (req.performIncrementalUpdate && !recipe.performIncrementalUpdate) {
    throw invalidInput(`performIncrementalUpdate is not supported for ${recipe.recipeArn}`);
  }
  checkSchedule(config.autoTrainingConfig?.schedulingExpression);

  const fixed = config.algorithmHyperParameters ?? {};
  for (const [name, value] of Object.entries(fixed)) {
    const p = findParam(recipe, name);
    if (!p || p.kind !== 'algorithm') throw unknownHyperparameter(recipe);
    if (p.hpoOnly) throw invalidInput(`Hyperparameter ${name} of ${recipe.algorithmArn} can only be set through HPO ranges`);
    checkFixedValue(recipe, p, value);
  }

  const ranges = config.hpoConfig?.algorithmHyperParameterRanges ?? {};
  const space: SearchSpace = {
    integer: (ranges.integerHyperParameterRanges ?? []).map((r) => numericRange(recipe, r, 'integer', fixed)),
    continuous: (ranges.continuousHyperParameterRanges ?? []).map((r) => numericRange(recipe, r, 'continuous', fixed)),
    categorical: (ranges.categoricalHyperParameterRanges ?? []).map((r) => categoricalRange(recipe, r, fixed)),
  };
  const names = [...space.integer, ...space.continuous, ...space.categorical].map((r) => r.name);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup) throw invalidInput(`Hyperparameter ${dup} appears in more than one range`);

  if (!req.performHPO) return { jobs };
  const empty = names.length === 0;
  return { jobs: jobs ?? DEFAULT_HPO_JOBS, space: empty ? defaultSpace(recipe, fixed) : space };
}

/** Without declared ranges, HPO tunes every tunable parameter over its documented range. */
function defaultSpace(recipe: RecipeInfo, fixed: Record<string, string>): SearchSpace {
  const tunable = recipe.params.filter((p) => p.kind === 'algorithm' && p.tunable && !(p.name in fixed));
  const numeric = (type: string) => tunable
    .filter((p) => p.type === type && p.min !== undefined && p.max !== undefined)
    .map((p) => ({ name: p.name, minValue: p.min!, maxValue: p.max! }));
  return {
    integer: numeric('integer'),
    continuous: numeric('continuous'),
    categorical: tunable.filter((p) => p.values).map((p) => ({ name: p.name, values: p.values! })),
  };
}

function tunableParam(recipe: RecipeInfo, name: string | undefined, fixed: Record<string, string>): RecipeParam {
  const p = name === undefined ? undefined : findParam(recipe, name);
  if (!p || p.kind !== 'algorithm') throw unknownHyperparameter(recipe);
  if (!p.tunable) throw invalidInput(`Hyperparameter ${p.name} of ${recipe.algorithmArn} is not tunable`);
  if (name! in fixed) throw invalidInput(`Hyperparameter ${name} is both fixed in algorithmHyperParameters and tuned by a range`);
  return p;
}

function numericRange(recipe: RecipeInfo, r: { name?: string; minValue?: number; maxValue?: number }, kind: 'integer' | 'continuous', fixed: Record<string, string>) {
  const p = tunableParam(recipe, r.name, fixed);
  if (p.type !== kind) throw invalidInput(`Hyperparameter ${p.name} is ${p.type}; it cannot take a ${kind} range`);
  if (r.minValue === undefined || r.maxValue === undefined) throw invalidInput(`The ${kind} range of ${p.name} needs minValue and maxValue`);
  if (r.minValue > r.maxValue) throw invalidInput(`The range of ${p.name} has minValue ${r.minValue} > maxValue ${r.maxValue}`);
  // Ranges beyond the documented bounds are accepted: Personalize's own HPO example tunes bptt over
  // 20..40 while documenting 2..32.
  return { name: r.name!, minValue: r.minValue, maxValue: r.maxValue };
}

function categoricalRange(recipe: RecipeInfo, r: { name?: string; values?: string[] }, fixed: Record<string, string>) {
  const p = tunableParam(recipe, r.name, fixed);
  const allowed = p.values ?? (p.type === 'boolean' ? ['true', 'false'] : undefined);
  if (!allowed) throw invalidInput(`Hyperparameter ${p.name} is ${p.type}; it cannot take a categorical range`);
  const values = r.values ?? [];
  if (values.length === 0) throw invalidInput(`The categorical range of ${p.name} needs at least one value`);
  const bad = values.find((v) => !allowed.includes(v));
  if (bad !== undefined) throw invalidInput(`Value "${bad}" of ${p.name} is not one of [${allowed.join(', ')}]`);
  return { name: r.name!, values };
}

/** rate(N days) with N in 1..30 (the model pattern cannot express the bound). */
export function checkSchedule(expression: string | undefined): void {
  if (expression === undefined) return;
  const days = Number(/\d+/.exec(expression)?.[0]);
  if (!(days >= 1 && days <= 30)) throw invalidInput(`autoTrainingConfig.schedulingExpression must be rate(N days) with N between 1 and 30, got "${expression}"`);
}

/** Days between automatic trainings (default 7). */
export function scheduleDays(expression: string | undefined): number {
  return expression ? Number(/\d+/.exec(expression)?.[0]) : 7;
}
