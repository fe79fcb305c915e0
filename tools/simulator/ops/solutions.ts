// Solutions and solution versions: CreateSolution ... GetSolutionMetrics.
import { alreadyExists, inUse, invalidInput, limitExceeded, notFound } from '../errors';
import { SyntheticObjective, prefixedName, runHpo, solutionMetrics, stableStringify } from '../hpo';
import { fnv1a } from '../random';
import { S, SimState, SolutionRec, SolutionVersionRec, SolutionUpdateRec, TRAINING_STATES } from '../state';
import { MINUTE_MS, TIMING, checkSchedule, checkSolutionConfig, planTraining, scheduleDays } from '../training';
import { CreateSolutionInput, SolutionConfigInput, SolutionUpdateConfigInput, Tag, toWireTime as t } from '../wire';
import { HandlerTable, compact, deleteLater, newestFirst, paginate } from './common';

const SOLUTIONS_PER_DATASET_GROUP = 10;

function createSolution(state: SimState, input: CreateSolutionInput) {
  const arn = state.arn(`solution/${input.name}`);
  if (state.solutions.has(arn)) throw alreadyExists(arn);
  const group = state.get(state.datasetGroups, input.datasetGroupArn, 'dataset group');
  if (group.status !== S.ACTIVE) throw inUse(`Dataset group ${group.arn} is ${group.status}; it must be ACTIVE`);

  if (input.performAutoML && input.recipeArn) throw invalidInput('recipeArn must not be set when performAutoML is true');
  if (!input.performAutoML && !input.recipeArn) throw invalidInput('recipeArn is required unless performAutoML is true');
  const recipeArn = input.recipeArn ?? input.solutionConfig?.autoMLConfig?.recipeList?.[0] ?? 'arn:aws:personalize:::recipe/aws-hrnn';
  const recipe = state.recipes.byRecipeArn(recipeArn);
  if (!recipe) throw notFound('recipe', recipeArn);
  // Personalize lists these as no longer available for new solutions; the wording of its refusal is open.
  if (recipe.legacy) throw invalidInput(`Recipe ${recipe.recipeArn} is no longer available for new solutions; use a current recipe`);
  const { jobs, space } = checkSolutionConfig(recipe, input);

  const active = [...state.solutions.values()].filter((s) => s.datasetGroupArn === group.arn && !s.status.startsWith('DELETE'));
  if (active.length >= SOLUTIONS_PER_DATASET_GROUP) {
    throw limitExceeded(`More than ${SOLUTIONS_PER_DATASET_GROUP} solutions in dataset group ${group.arn}`);
  }
  state.addTags(arn, input.tags);

  const now = state.now();
  const solution: SolutionRec = {
    arn,
    name: input.name,
    datasetGroupArn: group.arn,
    recipe,
    recipeArn: input.recipeArn,
    performHPO: input.performAutoML === true || input.performHPO === true,
    performAutoML: input.performAutoML === true,
    performAutoTraining: input.performAutoTraining ?? true,
    performIncrementalUpdate: input.performIncrementalUpdate,
    eventType: input.eventType,
    solutionConfig: input.solutionConfig,
    hpo: jobs && space ? { jobs, space } : undefined,
    status: S.PENDING,
    created: now,
    updated: now,
    autoTrainingGeneration: 0,
    manualVersionSinceActive: false,
  };
  state.solutions.set(arn, solution);
  state.log(`CreateSolution ${arn} (${recipe.name}${solution.hpo ? `, HPO ${solution.hpo.jobs.total}/${solution.hpo.jobs.parallel} jobs` : ''})`);
  state.advanceThrough(solution, [[S.IN_PROGRESS, TIMING.stepMs], [S.ACTIVE, TIMING.stepMs]], () => {
    solution.manualVersionSinceActive = false;
    scheduleAutoTraining(state, solution, TIMING.firstAutoTrainingMs, true);
  });
  return { solutionArn: arn };
}

/**
 * Automatic training (performAutoTraining, on by default): the first run comes one hour after the
 * solution turns ACTIVE (skipped if a manual version was created in that hour), then every N days.
 */
function scheduleAutoTraining(state: SimState, solution: SolutionRec, delayMs: number, first: boolean): void {
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

function startVersion(state: SimState, solution: SolutionRec, trainingMode: string, trainingType: 'MANUAL' | 'AUTOMATIC', name?: string): SolutionVersionRec {
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

/** The group's completed imports, oldest first, as `data location|mode` (job names may be random). */
function completedImports(state: SimState, datasetGroupArn: string): string[] {
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
function finishTraining(state: SimState, solution: SolutionRec, version: SolutionVersionRec, isUpdate: boolean): void {
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

function createSolutionVersion(state: SimState, input: { solutionArn: string; name?: string; trainingMode?: string; tags?: Tag[] }) {
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
  const quota = state.options.versionQuota;
  if (state.trainingVersions().length >= quota) throw limitExceeded(`More than ${quota} resources with PENDING or IN_PROGRESS status.`);
  state.checkTags(input.tags);

  solution.manualVersionSinceActive = true;
  const version = startVersion(state, solution, mode, 'MANUAL', input.name);
  state.addTags(version.arn, input.tags);
  state.log(`CreateSolutionVersion ${version.arn} (${mode}; ${version.plan.rounds} round(s), ${version.plan.durationMs / MINUTE_MS} min of training)`);
  return { solutionVersionArn: version.arn };
}

const versionSummary = (v: SolutionVersionRec) => compact({
  solutionVersionArn: v.arn,
  status: v.status,
  trainingMode: v.trainingMode,
  trainingType: v.trainingType,
  creationDateTime: t(v.created),
  lastUpdatedDateTime: t(v.updated),
  failureReason: v.failureReason,
});

const updateSummary = (u: SolutionUpdateRec) => compact({
  solutionUpdateConfig: u.config,
  status: u.status,
  performAutoTraining: u.performAutoTraining,
  performIncrementalUpdate: u.performIncrementalUpdate,
  creationDateTime: t(u.created),
  lastUpdatedDateTime: t(u.updated),
  failureReason: u.failureReason,
});

/** With prefixTunedNames, range names come back the way the service echoes them (training.bptt). */
function echoConfig(state: SimState, config: SolutionConfigInput | undefined): SolutionConfigInput | undefined {
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

const versionsOf = (state: SimState, solutionArn: string) => [...state.versions.values()].filter((v) => v.solutionArn === solutionArn);

function describeSolution(state: SimState, input: { solutionArn: string }) {
  const s = state.get(state.solutions, input.solutionArn, 'solution');
  const latest = versionsOf(state, s.arn).pop();
  return {
    solution: compact({
      name: s.name,
      solutionArn: s.arn,
      performHPO: s.performHPO,
      performAutoML: s.performAutoML,
      performAutoTraining: s.performAutoTraining,
      performIncrementalUpdate: s.performIncrementalUpdate,
      recipeArn: s.recipeArn,
      datasetGroupArn: s.datasetGroupArn,
      eventType: s.eventType,
      solutionConfig: echoConfig(state, s.solutionConfig),
      autoMLResult: s.performAutoML && s.status === S.ACTIVE ? { bestRecipeArn: s.recipe.recipeArn } : undefined,
      status: s.status,
      creationDateTime: t(s.created),
      lastUpdatedDateTime: t(s.updated),
      latestSolutionVersion: latest && versionSummary(latest),
      latestSolutionUpdate: visibleUpdate(state, s) && updateSummary(visibleUpdate(state, s)!),
    }),
  };
}

function listSolutions(state: SimState, input: { datasetGroupArn?: string; maxResults?: number; nextToken?: string }) {
  const all = newestFirst(state.solutions.values()).filter((s) => !input.datasetGroupArn || s.datasetGroupArn === input.datasetGroupArn);
  const { page, nextToken } = paginate(all, input);
  return compact({
    solutions: page.map((s) => compact({
      name: s.name,
      solutionArn: s.arn,
      status: s.status,
      recipeArn: s.recipeArn,
      creationDateTime: t(s.created),
      lastUpdatedDateTime: t(s.updated),
    })),
    nextToken,
  });
}

function updateSolution(state: SimState, input: {
  solutionArn: string; performAutoTraining?: boolean; performIncrementalUpdate?: boolean; solutionUpdateConfig?: SolutionUpdateConfigInput;
}) {
  const s = state.get(state.solutions, input.solutionArn, 'solution');
  if (s.status !== S.ACTIVE) throw inUse(`Solution ${s.arn} is ${s.status}; it must be ACTIVE to be updated`);
  if (s.latestUpdate && (s.latestUpdate.status === S.PENDING || s.latestUpdate.status === S.IN_PROGRESS)) {
    throw inUse(`An update of solution ${s.arn} is already ${s.latestUpdate.status}`);
  }
  const config = input.solutionUpdateConfig;
  if (input.performAutoTraining === undefined && input.performIncrementalUpdate === undefined && !config) {
    throw invalidInput('Provide performAutoTraining, performIncrementalUpdate or solutionUpdateConfig');
  }
  if (input.performIncrementalUpdate && !s.recipe.performIncrementalUpdate) {
    throw invalidInput(`performIncrementalUpdate is not supported for ${s.recipe.recipeArn}`);
  }
  if (config?.eventsConfig && !s.recipe.eventsConfig) throw invalidInput(`eventsConfig is not supported for ${s.recipe.recipeArn}`);
  checkSchedule(config?.autoTrainingConfig?.schedulingExpression);

  const now = state.now();
  const update: SolutionUpdateRec = {
    config,
    performAutoTraining: input.performAutoTraining,
    performIncrementalUpdate: input.performIncrementalUpdate,
    status: S.PENDING,
    created: now,
    updated: now,
  };
  // Modelled the less forgiving way: right after UpdateSolution, DescribeSolution may still report
  // the previous update (ACTIVE) for a while.
  s.previousUpdate = s.latestUpdate;
  s.updateVisibleAt = now + TIMING.stepMs;
  s.latestUpdate = update;
  state.advanceThrough(update, [[S.IN_PROGRESS, TIMING.stepMs], [S.ACTIVE, TIMING.stepMs]], () => {
    if (state.solutions.get(s.arn) !== s) return;
    if (input.performAutoTraining !== undefined) s.performAutoTraining = input.performAutoTraining;
    if (input.performIncrementalUpdate !== undefined) s.performIncrementalUpdate = input.performIncrementalUpdate;
    if (config) s.solutionConfig = compact({ ...s.solutionConfig, ...config });
    s.updated = state.now();
    // A changed schedule (or turning training back on) starts a new version within the hour.
    const rescheduled = input.performAutoTraining !== undefined || config?.autoTrainingConfig !== undefined;
    if (rescheduled) scheduleAutoTraining(state, s, TIMING.firstAutoTrainingMs, false);
  });
  return { solutionArn: s.arn };
}

/** The update DescribeSolution reports: the previous one until the latest becomes visible. */
function visibleUpdate(state: SimState, s: { latestUpdate?: any; previousUpdate?: any; updateVisibleAt?: number }) {
  return s.updateVisibleAt !== undefined && state.now() < s.updateVisibleAt ? s.previousUpdate : s.latestUpdate;
}

function deleteSolution(state: SimState, input: { solutionArn: string }) {
  const s = state.get(state.solutions, input.solutionArn, 'solution');
  if (s.status !== S.ACTIVE && s.status !== S.FAILED) throw inUse(`Solution ${s.arn} is ${s.status}`);
  const training = versionsOf(state, s.arn).find((v) => TRAINING_STATES.includes(v.status));
  if (training) throw inUse(`Solution version ${training.arn} is ${training.status}; stop it or wait before deleting the solution`);
  if (s.latestUpdate && s.latestUpdate.status !== S.ACTIVE && s.latestUpdate.status !== S.FAILED) {
    throw inUse(`An update of solution ${s.arn} is ${s.latestUpdate.status}`);
  }
  const campaign = [...state.campaigns.values()].find((c) => state.versions.get(c.solutionVersionArn)?.solutionArn === s.arn);
  if (campaign) throw inUse(`Campaign ${campaign.arn} uses a version of ${s.arn}; delete it first`);

  s.autoTrainingGeneration += 1;
  deleteLater(state, s, () => {
    for (const v of versionsOf(state, s.arn)) state.remove(state.versions, v.arn);
    state.remove(state.solutions, s.arn);
    state.log(`DeleteSolution ${s.arn} done (with its versions)`);
  });
  return {};
}

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

export const solutionHandlers: HandlerTable = {
  CreateSolution: createSolution,
  DescribeSolution: describeSolution,
  UpdateSolution: updateSolution,
  DeleteSolution: deleteSolution,
  ListSolutions: listSolutions,
  CreateSolutionVersion: createSolutionVersion,
  DescribeSolutionVersion: describeSolutionVersion,
  ListSolutionVersions: listSolutionVersions,
  StopSolutionVersionCreation: stopSolutionVersionCreation,
  GetSolutionMetrics: getSolutionMetrics,
};
