// Recommenders: one use case of a domain dataset group, served without a solution or campaign.
import { ServiceError, alreadyExists, inUse, invalidInput } from '../errors';
import { RecommenderRec, S, SimState } from '../state';
import { TIMING } from '../training';
import { Tag, toWireTime as t } from '../wire';
import { HandlerTable, compact, deleteLater, newestFirst, paginate } from './common';

/**
 * The domain use cases, by recipe name (the developer guide's ECOMMERCE and VIDEO_ON_DEMAND use
 * case pages). Kept here, apart from the library's list, so that the two can disagree.
 */
const USE_CASES: Record<string, { domain: string; itemExploration: boolean }> = {
  'aws-ecomm-popular-items-by-views': { domain: 'ECOMMERCE', itemExploration: false },
  'aws-ecomm-popular-items-by-purchases': { domain: 'ECOMMERCE', itemExploration: false },
  'aws-ecomm-frequently-bought-together': { domain: 'ECOMMERCE', itemExploration: false },
  'aws-ecomm-customers-who-viewed-x-also-viewed': { domain: 'ECOMMERCE', itemExploration: false },
  'aws-ecomm-recommended-for-you': { domain: 'ECOMMERCE', itemExploration: true },
  'aws-vod-because-you-watched-x': { domain: 'VIDEO_ON_DEMAND', itemExploration: false },
  'aws-vod-more-like-x': { domain: 'VIDEO_ON_DEMAND', itemExploration: false },
  'aws-vod-most-popular': { domain: 'VIDEO_ON_DEMAND', itemExploration: false },
  'aws-vod-trending-now': { domain: 'VIDEO_ON_DEMAND', itemExploration: false },
  'aws-vod-top-picks': { domain: 'VIDEO_ON_DEMAND', itemExploration: true },
};
const RECOMMENDERS_PER_GROUP = 5;
/** [U] A recommender trains before it is ACTIVE: how long is not documented; an hour is simulated. */
const CREATE_STEPS = [[S.IN_PROGRESS, TIMING.stepMs], [S.ACTIVE, 60 * 60_000]] as const;
const RECIPE_ARN = /^arn:[a-z\d-]+:personalize:::recipe\/(.+)$/;

type Config = Record<string, unknown>;

function checkConfig(recipe: string, config: Config | undefined): void {
  const rps = config?.minRecommendationRequestsPerSecond as number | undefined;
  if (rps !== undefined && rps < 1) throw invalidInput(`minRecommendationRequestsPerSecond must be at least 1, got ${rps}`);
  const exploration = config?.itemExplorationConfig as Record<string, string> | undefined;
  if (exploration && Object.keys(exploration).length > 0 && !USE_CASES[recipe].itemExploration) {
    throw invalidInput(`Use case ${recipe} does not support itemExplorationConfig`);
  }
  const weight = exploration?.explorationWeight;
  if (weight !== undefined && !(Number(weight) >= 0 && Number(weight) <= 1)) throw invalidInput(`explorationWeight must be between 0 and 1, got ${weight}`);
}

function createRecommender(state: SimState, input: {
  name: string; datasetGroupArn: string; recipeArn: string; recommenderConfig?: Config; tags?: Tag[];
}) {
  const group = state.get(state.datasetGroups, input.datasetGroupArn, 'dataset group');
  if (group.status !== S.ACTIVE) throw inUse(`Dataset group ${group.arn} is ${group.status}; it must be ACTIVE`);
  const recipe = RECIPE_ARN.exec(input.recipeArn)?.[1] ?? '';
  const useCase = USE_CASES[recipe];
  if (!useCase) throw invalidInput(`${input.recipeArn} is not a domain use case; recommenders take the recipe ARN of one`);
  if (!group.domain) throw invalidInput(`Dataset group ${group.arn} is not a domain dataset group; recommenders need one`);
  if (group.domain !== useCase.domain) throw invalidInput(`Use case ${recipe} is of domain ${useCase.domain}; dataset group ${group.arn} is ${group.domain}`);
  const arn = state.arn(`recommender/${input.name}`);
  if (state.recommenders.has(arn)) throw alreadyExists(arn);
  const inGroup = [...state.recommenders.values()].filter(r => r.datasetGroupArn === group.arn);
  if (inGroup.length >= RECOMMENDERS_PER_GROUP) {
    throw new ServiceError('LimitExceededException', `Dataset group ${group.arn} has ${inGroup.length} recommenders; the quota is ${RECOMMENDERS_PER_GROUP}`);
  }
  // A recommender trains on the group's imported interactions. [U] open fact 26: the simulator
  // cannot count rows, so any completed import stands for the guide's 1,000 interactions.
  const interactions = [...state.datasets.values()].find(d => d.datasetGroupArn === group.arn && d.datasetType === 'INTERACTIONS' && d.status === S.ACTIVE);
  if (!interactions) {
    throw invalidInput(`Dataset group ${group.arn} has no ACTIVE Interactions dataset to train the recommender on`);
  }
  if (![...state.importJobs.values()].some(j => j.datasetArn === interactions.arn && j.status === S.ACTIVE)) {
    throw invalidInput(`Dataset ${interactions.arn} has no imported interactions: a recommender trains on at least 1000 interactions; ` +
      'import them before creating it');
  }
  checkConfig(recipe, input.recommenderConfig);
  state.addTags(arn, input.tags);
  const now = state.now();
  const rec: RecommenderRec = {
    arn,
    name: input.name,
    datasetGroupArn: group.arn,
    recipeArn: input.recipeArn,
    recommenderConfig: { minRecommendationRequestsPerSecond: 1, ...input.recommenderConfig },
    status: S.PENDING,
    created: now,
    updated: now,
  };
  state.recommenders.set(arn, rec);
  state.advanceThrough(rec, CREATE_STEPS);
  return { recommenderArn: arn };
}

function updateRecommender(state: SimState, input: { recommenderArn: string; recommenderConfig: Config }) {
  const rec = state.get(state.recommenders, input.recommenderArn, 'recommender');
  if (rec.status !== S.ACTIVE) throw inUse(`Recommender ${rec.arn} is ${rec.status}`);
  if (rec.latestUpdate && rec.latestUpdate.status !== S.ACTIVE) throw inUse(`Recommender ${rec.arn} has an update in progress`);
  checkConfig(RECIPE_ARN.exec(rec.recipeArn)![1], input.recommenderConfig);
  const now = state.now();
  const update = { status: 'UPDATE PENDING', created: now, updated: now, recommenderConfig: input.recommenderConfig };
  rec.latestUpdate = update;
  state.schedule(TIMING.stepMs, () => { update.status = 'UPDATE IN_PROGRESS'; update.updated = state.now(); });
  state.schedule(2 * TIMING.stepMs, () => {
    update.status = S.ACTIVE;
    update.updated = state.now();
    rec.recommenderConfig = { ...rec.recommenderConfig, ...input.recommenderConfig };
    rec.updated = state.now();
  });
  return { recommenderArn: rec.arn };
}

const body = (r: RecommenderRec) => compact({
  name: r.name,
  recommenderArn: r.arn,
  datasetGroupArn: r.datasetGroupArn,
  recipeArn: r.recipeArn,
  recommenderConfig: r.recommenderConfig,
  status: r.status,
  failureReason: r.failureReason,
  creationDateTime: t(r.created),
  lastUpdatedDateTime: t(r.updated),
  latestRecommenderUpdate: r.latestUpdate && {
    status: r.latestUpdate.status,
    recommenderConfig: r.latestUpdate.recommenderConfig,
    creationDateTime: t(r.latestUpdate.created),
    lastUpdatedDateTime: t(r.latestUpdate.updated),
  },
});

export const recommenderHandlers: HandlerTable = {
  CreateRecommender: createRecommender,
  UpdateRecommender: updateRecommender,
  DescribeRecommender: (state, input: { recommenderArn: string }) => ({ recommender: body(state.get(state.recommenders, input.recommenderArn, 'recommender')) }),
  DeleteRecommender: (state, input: { recommenderArn: string }) => {
    const r = state.get(state.recommenders, input.recommenderArn, 'recommender');
    if (r.status !== S.ACTIVE && r.status !== S.FAILED) throw inUse(`Recommender ${r.arn} is ${r.status}`);
    deleteLater(state, r, () => state.remove(state.recommenders, r.arn));
    return {};
  },
  ListRecommenders: (state, input: { datasetGroupArn?: string; maxResults?: number; nextToken?: string }) => {
    const all = newestFirst(state.recommenders.values()).filter(r => !input.datasetGroupArn || r.datasetGroupArn === input.datasetGroupArn);
    const { page, nextToken } = paginate(all, input);
    return compact({
      // A summary is the description without the failure reason and the latest update.
      recommenders: page.map(r => {
        const { failureReason: _reason, latestRecommenderUpdate: _update, ...summary } = body(r);
        return summary;
      }),
      nextToken,
    });
  },
};
