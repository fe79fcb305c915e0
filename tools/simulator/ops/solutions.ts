// Solutions: CreateSolution ... ListSolutions (their versions are in solution-versions.ts).
import { alreadyExists, inUse, invalidInput, limitExceeded, notFound } from '../errors';
import { S, SimState, SolutionRec, SolutionUpdateRec, TRAINING_STATES } from '../state';
import { TIMING, checkSchedule, checkSolutionConfig } from '../training';
import { CreateSolutionInput, SolutionUpdateConfigInput, toWireTime as t } from '../wire';
import { HandlerTable, compact, deleteLater, newestFirst, paginate } from './common';
import { echoConfig, scheduleAutoTraining, solutionVersionHandlers, versionSummary, versionsOf } from './solution-versions';

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
  // [U] modelled strictly (open fact 41): a batch job still running on a version keeps its solution.
  const batch = [...state.batchJobs.values()].find((j) => (j.status === S.PENDING || j.status === S.IN_PROGRESS)
    && state.versions.get(j.solutionVersionArn)?.solutionArn === s.arn);
  if (batch) throw inUse(`Batch job ${batch.arn} on a version of ${s.arn} is ${batch.status}`);

  s.autoTrainingGeneration += 1;
  deleteLater(state, s, () => {
    for (const v of versionsOf(state, s.arn)) state.remove(state.versions, v.arn);
    state.remove(state.solutions, s.arn);
    state.log(`DeleteSolution ${s.arn} done (with its versions)`);
  });
  return {};
}

export const solutionHandlers: HandlerTable = {
  CreateSolution: createSolution,
  DescribeSolution: describeSolution,
  UpdateSolution: updateSolution,
  DeleteSolution: deleteSolution,
  ListSolutions: listSolutions,
  ...solutionVersionHandlers,
};
