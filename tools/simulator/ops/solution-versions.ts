// Solution versions: CreateSolutionVersion ... GetSolutionMetrics, and the trainings behind them.
import type { TrainingMode } from '@aws-sdk/client-personalize';
import { alreadyExists, inUse, invalidInput, limitExceeded, notFound } from '../errors';
import { SyntheticObjective, prefixedName, runHpo, solutionMetrics, stableStringify } from '../hpo';
import { fnv1a } from '../random';
import { S, SimState, SolutionRec, SolutionVersionRec } from '../state';
import { MINUTE_MS, TIMING, planTraining, scheduleDays } from '../training';
import { RequestOf, SolutionConfigInput, toWireTime as t } from '../wire';
import { HandlerTable, compact, newestFirst, paginate } from './common';

export function scheduleAutoTraining(state: SimState, solution: SolutionRec, delayMs: number, first: boolean): void {
  const generation = ++solution.autoTrainingGeneration;
  if (!state.options.autoTraining || !solution.performAutoTraining) return;
  state.schedule(delayMs, () => {
    if (generation !== solution.autoTrainingGeneration || state.solutions.get(solution.arn) !== solution || solution.status !== S.ACTIVE) return;
    if (first && solution.manualVersionSinceActive) {
      state.log(`auto-training of ${solution.arn} skipped: a version was created manually in the first hour`);
    } else if (state.trainingVersions().length >= state.options.versionQuota) {
      state.log(`auto-training of ${solution.arn} skipped: the version quota is full`);
    } else {
      const version = startVersion(state, solution, 'AUTOTRAIN', 'AUTOMATIC');
      state.log(`auto-training created ${version.arn} (performAutoTraining is on)`);
    }
    const days = scheduleDays(solution.solutionConfig?.autoTrainingConfig?.schedulingExpression);
    scheduleAutoTraining(state, solution, days * 24 * 60 * MINUTE_MS, false);
  });
}

export function startVersion(state: SimState, solution: SolutionRec, trainingMode: TrainingMode, trainingType: 'MANUAL' | 'AUTOMATIC', name?: string): SolutionVersionRec {
  const id = fnv1a(`${solution.arn}#${state.nextId()}`).toString(16).padStart(8, '0');
  const hpo = trainingMode !== 'UPDATE' && solution.performHPO ? solution.hpo : undefined;
  const now = state.now();
  const version: SolutionVersionRec = {
    arn: `${solution.arn}/${id}`,
    name,
    solutionArn: solution.arn,
    trainingMode,
    trainingType,
    plan: planTraining(trainingMode, hpo?.jobs),
    failWith: state.faults.takeTrainingFailure(solution.arn),
    trainedOn: completedImports(state, solution.datasetGroupArn),
    solutionConfig: solution.solutionConfig,
    performIncrementalUpdate: solution.performIncrementalUpdate,
    status: S.PENDING,
    created: now,
    updated: now,
  };
  state.versions.set(version.arn, version);
  state.schedule(TIMING.versionPendingMs, () => {
    if (version.status !== S.PENDING) return;
    state.setStatus(version, S.IN_PROGRESS);
    const failWith = version.failWith;
    if (failWith !== undefined) {
      state.schedule(TIMING.failAfterMs, () => {
        if (version.status !== S.IN_PROGRESS) return;
        state.setStatus(version, S.FAILED, failWith);
        state.log(`${version.arn} CREATE FAILED (injected): ${failWith}`);
      });
    } else {
      state.schedule(version.plan.durationMs, () => {
        if (version.status === S.IN_PROGRESS) finishTraining(state, solution, version, trainingMode === 'UPDATE');
      });
    }
  });
  return version;
}

/** Whether the group's dataset of `datasetType` has an ACTIVE import. */
function hasImported(state: SimState, datasetGroupArn: string, datasetType: string): boolean {
  const dataset = [...state.datasets.values()].find((d) => d.datasetGroupArn === datasetGroupArn && d.datasetType === datasetType);
  return dataset !== undefined && [...state.importJobs.values()].some((j) => j.datasetArn === dataset.arn && j.status === S.ACTIVE);
}

/** The group's completed imports, oldest first, as `data location|mode` (job names may be random). */
export function completedImports(state: SimState, datasetGroupArn: string): string[] {
  const datasets = new Set([...state.datasets.values()].filter((d) => d.datasetGroupArn === datasetGroupArn).map((d) => d.arn));
  return [...state.importJobs.values()]
    .filter((j) => datasets.has(j.datasetArn) && j.status === S.ACTIVE)
    .sort((a, b) => a.created - b.created)
    .map((j) => `${j.dataLocation ?? ''}|${j.importMode}`);
}

/**
 * Retraining on other data gives another model: a deterministic shift of up to ±0.02 of the
 * objective, derived from the imports the version trains on (none without imports).
 */
function dataShift(landscapeKey: string, trainedOn: readonly string[]): number {
  if (trainedOn.length === 0) return 0;
  return (fnv1a(`${landscapeKey}|data|${trainedOn.join(',')}`) / 4294967296 - 0.5) * 0.04;
}

/** Produces the simulated result of a training: tuned values (with HPO), metrics and billed hours. */
export function finishTraining(state: SimState, solution: SolutionRec, version: SolutionVersionRec, isUpdate: boolean): void {
  const config = version.solutionConfig ?? {};
  const fixed = config.algorithmHyperParameters ?? {};
  const landscapeKey = `${solution.datasetGroupArn}|${solution.recipe.name}`;
  const objective = new SyntheticObjective(solution.recipe, landscapeKey);
  let score: number;
  if (solution.hpo && !isUpdate) {
    const seed = `${solution.name}|${solution.recipe.name}|${stableStringify(config)}`;
    const result = runHpo(seed, solution.hpo.space, solution.hpo.jobs.total, solution.hpo.jobs.parallel, fixed, objective);
    score = result.best.objective;
    version.tunedHPOParams = Object.fromEntries(
      Object.entries(result.best.values).map(([k, v]) => [state.options.prefixTunedNames ? prefixedName(k) : k, v]),
    );
    state.log(`[simulated] ${version.arn}: HPO ran ${result.trials.length} trials in ${result.rounds} rounds; ` +
      `best synthetic objective ${score.toFixed(4)} with ${JSON.stringify(result.best.values)}`);
  } else {
    score = objective.evaluate(fixed);
  }
  score = Math.min(1, Math.max(0, score + dataShift(landscapeKey, version.trainedOn)));
  version.metrics = solutionMetrics(solution.recipe.recipeType, score, {
    eventsConfig: config.eventsConfig !== undefined,
    optimizationObjective: config.optimizationObjective !== undefined,
  });
  version.trainingHours = version.plan.billedHours;
  state.setStatus(version, S.ACTIVE);
  state.log(`[simulated] ${version.arn} ACTIVE after ${version.plan.rounds} round(s); metrics are synthetic, not from real training`);
}

function createSolutionVersion(state: SimState, input: RequestOf<'CreateSolutionVersion'>) {
  const solution = state.get(state.solutions, input.solutionArn, 'solution');
  if (solution.status !== S.ACTIVE) throw inUse(`Solution ${solution.arn} is ${solution.status}; it must be ACTIVE`);
  const mode = input.trainingMode ?? 'FULL';
  const versions = [...state.versions.values()].filter((v) => v.solutionArn === solution.arn);
  if (mode === 'UPDATE') {
    if (!solution.recipe.trainingModeUpdate) throw invalidInput(`trainingMode UPDATE is not supported for ${solution.recipe.recipeArn}`);
    if (!versions.some((v) => v.status === S.ACTIVE && v.trainingMode === 'FULL')) {
      throw invalidInput(`trainingMode UPDATE needs an ACTIVE solution version trained with trainingMode FULL on ${solution.arn}`);
    }
  }
  if (input.name !== undefined && versions.some((v) => v.name === input.name)) {
    throw alreadyExists(`${solution.arn} (solution version name ${input.name})`);
  }
  if (solution.recipe.recipeType === 'PERSONALIZED_ACTIONS' && !hasImported(state, solution.datasetGroupArn, 'ACTIONS')) {
    // [U] modelled strictly (open fact 42): refused at once rather than failing the training.
    throw invalidInput(`${solution.recipe.name} needs an Actions dataset with imported action metadata in ${solution.datasetGroupArn}`);
  }
  const quota = state.options.versionQuota;
  if (state.trainingVersions().length >= quota) throw limitExceeded(`More than ${quota} resources with PENDING or IN_PROGRESS status.`);
  state.checkTags(input.tags);

  solution.manualVersionSinceActive = true;
  const version = startVersion(state, solution, mode, 'MANUAL', input.name);
  state.addTags(version.arn, input.tags);
  state.log(`CreateSolutionVersion ${version.arn} (${mode}; ${version.plan.rounds} round(s), ${version.plan.durationMs / MINUTE_MS} min of training)`);
  return { solutionVersionArn: version.arn };
}

export const versionSummary = (v: SolutionVersionRec) => compact({
  solutionVersionArn: v.arn,
  status: v.status,
  trainingMode: v.trainingMode,
  trainingType: v.trainingType,
  creationDateTime: t(v.created),
  lastUpdatedDateTime: t(v.updated),
  failureReason: v.failureReason,
});

export const versionsOf = (state: SimState, solutionArn: string) => [...state.versions.values()].filter((v) => v.solutionArn === solutionArn);

function describeSolutionVersion(state: SimState, input: { solutionVersionArn: string }) {
  const v = state.get(state.versions, input.solutionVersionArn, 'solution version');
  const s = state.get(state.solutions, v.solutionArn, 'solution');
  return {
    solutionVersion: compact({
      name: v.name,
      solutionVersionArn: v.arn,
      solutionArn: s.arn,
      performHPO: s.performHPO,
      performAutoML: s.performAutoML,
      performIncrementalUpdate: v.performIncrementalUpdate,
      recipeArn: s.recipe.recipeArn,
      eventType: s.eventType,
      datasetGroupArn: s.datasetGroupArn,
      solutionConfig: echoConfig(state, v.solutionConfig),
      trainingHours: v.trainingHours,
      trainingMode: v.trainingMode,
      trainingType: v.trainingType,
      tunedHPOParams: v.tunedHPOParams && { algorithmHyperParameters: v.tunedHPOParams },
      status: v.status,
      failureReason: v.failureReason,
      creationDateTime: t(v.created),
      lastUpdatedDateTime: t(v.updated),
    }),
  };
}

function listSolutionVersions(state: SimState, input: { solutionArn?: string; maxResults?: number; nextToken?: string }) {
  if (input.solutionArn !== undefined && !state.solutions.has(input.solutionArn)) throw notFound('solution', input.solutionArn);
  const all = newestFirst(state.versions.values()).filter((v) => !input.solutionArn || v.solutionArn === input.solutionArn);
  const { page, nextToken } = paginate(all, input);
  return compact({ solutionVersions: page.map(versionSummary), nextToken });
}

function stopSolutionVersionCreation(state: SimState, input: { solutionVersionArn: string }) {
  const v = state.get(state.versions, input.solutionVersionArn, 'solution version');
  if (v.status === S.PENDING) {
    state.setStatus(v, S.STOPPED);
  } else if (v.status === S.IN_PROGRESS) {
    state.setStatus(v, S.STOPPING);
    state.schedule(TIMING.stoppingMs, () => {
      if (v.status === S.STOPPING) state.setStatus(v, S.STOPPED);
    });
  } else {
    throw inUse(`Solution version ${v.arn} is ${v.status}; only CREATE PENDING or CREATE IN_PROGRESS versions can be stopped`);
  }
  return {};
}

function getSolutionMetrics(state: SimState, input: { solutionVersionArn: string }) {
  const v = state.get(state.versions, input.solutionVersionArn, 'solution version');
  if (v.status !== S.ACTIVE) throw inUse(`Solution version ${v.arn} is ${v.status}; metrics exist only for ACTIVE versions`);
  return { solutionVersionArn: v.arn, metrics: v.metrics ?? {} };
}

export function echoConfig(state: SimState, config: SolutionConfigInput | undefined): SolutionConfigInput | undefined {
  const ranges = config?.hpoConfig?.algorithmHyperParameterRanges;
  if (!config || !ranges || !state.options.prefixTunedNames) return config;
  const rename = <R extends { name?: string }>(list: R[] | undefined) => list?.map((r) => ({ ...r, name: r.name && prefixedName(r.name) }));
  return {
    ...config,
    hpoConfig: {
      ...config.hpoConfig,
      algorithmHyperParameterRanges: compact({
        integerHyperParameterRanges: rename(ranges.integerHyperParameterRanges),
        continuousHyperParameterRanges: rename(ranges.continuousHyperParameterRanges),
        categoricalHyperParameterRanges: rename(ranges.categoricalHyperParameterRanges),
      }),
    },
  };
}

export const solutionVersionHandlers: HandlerTable = {
  CreateSolutionVersion: createSolutionVersion,
  DescribeSolutionVersion: describeSolutionVersion,
  ListSolutionVersions: listSolutionVersions,
  StopSolutionVersionCreation: stopSolutionVersionCreation,
  GetSolutionMetrics: getSolutionMetrics,
};
