/**
 * Every fact this library knows about Personalize recipes, in one table.
 *
 * Sources: the Personalize developer guide and API model, summarised in the project's fact sheet.
 * Entries marked `unverified` repeat documentation that has not been checked against the live
 * service; correcting one is a change to one line here. The real-account test asserts each of them
 * (test/integ/catalogue-checks.ts, run by test/integ/integ.hpo-retrain.ts).
 */

/** How a hyperparameter's value is typed. */
export type ParamType = 'integer' | 'continuous' | 'categorical' | 'boolean';

/** Which solutionConfig map a hyperparameter is sent in. */
export type ParamPlacement = 'algorithm' | 'featureTransformation';

export interface CatalogueParam {
  readonly name: string;
  readonly type: ParamType;
  readonly placement: ParamPlacement;
  readonly defaultValue?: string;
  /** Documented lower bound (inclusive). */
  readonly min?: number;
  /** Documented upper bound (inclusive). */
  readonly max?: number;
  /** Documented values of a categorical hyperparameter. */
  readonly values?: string[];
  /** Whether an HPO range may name it. */
  readonly tunable: boolean;
  /** Whether it can only be set through an HPO range, never as a fixed value. */
  readonly tunableOnly?: boolean;
  /** What the documentation leaves open about this entry, if anything. */
  readonly unverified?: string;
}

export interface CatalogueRecipe {
  readonly name: string;
  readonly recipeType: string;
  readonly legacy: boolean;
  /** Accepts performHPO with an hpoConfig. */
  readonly manualHpo: boolean;
  readonly eventsConfig: boolean;
  readonly optimizationObjective: boolean;
  readonly incrementalUpdate: boolean;
  /** Accepts trainingMode UPDATE once a FULL version is active. */
  readonly updateTraining: boolean;
  /** Campaigns over it accept itemExplorationConfig. */
  readonly itemExploration: boolean;
  readonly params: CatalogueParam[];
  readonly note?: string;
}

const BOOL = ['true', 'false'];

// Shared hyperparameter sets.
const HIDDEN_DIMENSION = (defaultValue: string, tunable = true): CatalogueParam => ({
  name: 'hidden_dimension', type: 'integer', placement: 'algorithm', defaultValue, min: 32, max: 256, tunable,
});
const BPTT: CatalogueParam = { name: 'bptt', type: 'integer', placement: 'algorithm', defaultValue: '32', min: 2, max: 32, tunable: true };
const RECENCY_MASK: CatalogueParam = { name: 'recency_mask', type: 'boolean', placement: 'algorithm', defaultValue: 'true', values: BOOL, tunable: true };
const HISTORY_PERCENTILES = (minDefault: string, maxDefault: string, unverified?: string): CatalogueParam[] => [
  { name: 'min_user_history_length_percentile', type: 'continuous', placement: 'featureTransformation', defaultValue: minDefault, min: 0, max: 1, tunable: false, unverified },
  { name: 'max_user_history_length_percentile', type: 'continuous', placement: 'featureTransformation', defaultValue: maxDefault, min: 0, max: 1, tunable: false, unverified },
];
const PLACEMENT_UNVERIFIED = 'featureTransformationParameters placement is the documented convention, not confirmed per recipe';
const RECENCY_BIAS: CatalogueParam = { name: 'apply_recency_bias', type: 'boolean', placement: 'algorithm', defaultValue: 'true', values: BOOL, tunable: false };

const RECIPE_DEFAULTS = {
  legacy: false,
  manualHpo: false,
  eventsConfig: false,
  optimizationObjective: false,
  incrementalUpdate: false,
  updateTraining: false,
  itemExploration: false,
};

export const RECIPE_CATALOGUE: CatalogueRecipe[] = [
  {
    ...RECIPE_DEFAULTS,
    name: 'aws-user-personalization-v2',
    recipeType: 'USER_PERSONALIZATION',
    eventsConfig: true,
    itemExploration: true,
    params: [RECENCY_BIAS],
    note: 'HPO is automatic (every 90 days, only while automatic training is on); it takes no hpoConfig',
  },
  {
    ...RECIPE_DEFAULTS,
    name: 'aws-user-personalization',
    recipeType: 'USER_PERSONALIZATION',
    manualHpo: true,
    optimizationObjective: true,
    updateTraining: true,
    itemExploration: true,
    params: [HIDDEN_DIMENSION('149'), BPTT, RECENCY_MASK, ...HISTORY_PERCENTILES('0.0', '0.99', PLACEMENT_UNVERIFIED)],
  },
  {
    ...RECIPE_DEFAULTS,
    name: 'aws-personalized-ranking-v2',
    recipeType: 'PERSONALIZED_RANKING',
    eventsConfig: true,
    params: [RECENCY_BIAS],
    note: 'HPO is automatic (every 90 days, only while automatic training is on); it takes no hpoConfig',
  },
  {
    ...RECIPE_DEFAULTS,
    name: 'aws-personalized-ranking',
    recipeType: 'PERSONALIZED_RANKING',
    manualHpo: true,
    optimizationObjective: true,
    params: [HIDDEN_DIMENSION('149'), BPTT, RECENCY_MASK, ...HISTORY_PERCENTILES('0.0', '0.99', PLACEMENT_UNVERIFIED)],
  },
  {
    ...RECIPE_DEFAULTS,
    name: 'aws-trending-now',
    recipeType: 'POPULAR_ITEMS',
    params: [{
      name: 'trend_discovery_frequency',
      type: 'categorical',
      placement: 'featureTransformation',
      defaultValue: '2 hours',
      values: ['30 minutes', '1 hour', '2 hours', '3 hours', '1 day'],
      tunable: false,
      unverified: 'the documentation lists these values inconsistently',
    }],
  },
  { ...RECIPE_DEFAULTS, name: 'aws-popularity-count', recipeType: 'POPULAR_ITEMS', params: [] },
  {
    ...RECIPE_DEFAULTS,
    name: 'aws-similar-items',
    recipeType: 'RELATED_ITEMS',
    manualHpo: true,
    params: [
      { name: 'item_id_hidden_dim', type: 'integer', placement: 'algorithm', defaultValue: '100', min: 30, max: 200, tunable: true, tunableOnly: true, unverified: 'older documentation spells it item_id_hidden_dimension' },
      { name: 'item_metadata_hidden_dim', type: 'integer', placement: 'algorithm', defaultValue: '100', min: 30, max: 200, tunable: true, tunableOnly: true, unverified: 'older documentation spells it item_metadata_hidden_dimension' },
      { name: 'popularity_discount_factor', type: 'continuous', placement: 'algorithm', defaultValue: '0.0', min: 0, max: 1, tunable: false },
    ],
  },
  {
    ...RECIPE_DEFAULTS,
    name: 'aws-sims',
    recipeType: 'RELATED_ITEMS',
    manualHpo: true,
    params: [
      { name: 'popularity_discount_factor', type: 'continuous', placement: 'algorithm', defaultValue: '0.5', min: 0, max: 1, tunable: true },
      { name: 'min_cointeraction_count', type: 'integer', placement: 'algorithm', defaultValue: '3', min: 0, max: 10, tunable: true },
      ...HISTORY_PERCENTILES('0.005', '0.995'),
      { name: 'min_item_interaction_count_percentile', type: 'continuous', placement: 'featureTransformation', defaultValue: '0.01', min: 0, max: 1, tunable: false },
      { name: 'max_item_interaction_count_percentile', type: 'continuous', placement: 'featureTransformation', defaultValue: '0.9', min: 0, max: 1, tunable: false },
    ],
  },
  { ...RECIPE_DEFAULTS, name: 'aws-semantic-similarity', recipeType: 'RELATED_ITEMS', incrementalUpdate: true, params: [] },
  {
    ...RECIPE_DEFAULTS,
    name: 'aws-next-best-action',
    recipeType: 'PERSONALIZED_ACTIONS',
    params: [{ name: 'action_optimization_period', type: 'integer', placement: 'featureTransformation', defaultValue: '14', min: 7, max: 28, tunable: false, unverified: PLACEMENT_UNVERIFIED }],
  },
  { ...RECIPE_DEFAULTS, name: 'aws-item-affinity', recipeType: 'USER_SEGMENTATION', params: [HIDDEN_DIMENSION('149', false)] },
  { ...RECIPE_DEFAULTS, name: 'aws-item-attribute-affinity', recipeType: 'USER_SEGMENTATION', params: [HIDDEN_DIMENSION('149', false)] },
  {
    ...RECIPE_DEFAULTS,
    name: 'aws-hrnn',
    recipeType: 'USER_PERSONALIZATION',
    legacy: true,
    manualHpo: true,
    params: [HIDDEN_DIMENSION('43'), BPTT, RECENCY_MASK, ...HISTORY_PERCENTILES('0.0', '0.99')],
  },
  {
    ...RECIPE_DEFAULTS,
    name: 'aws-hrnn-metadata',
    recipeType: 'USER_PERSONALIZATION',
    legacy: true,
    manualHpo: true,
    params: [HIDDEN_DIMENSION('43'), BPTT, RECENCY_MASK, ...HISTORY_PERCENTILES('0.0', '0.99')],
  },
  {
    ...RECIPE_DEFAULTS,
    name: 'aws-hrnn-coldstart',
    recipeType: 'USER_PERSONALIZATION',
    legacy: true,
    manualHpo: true,
    updateTraining: true,
    params: [
      HIDDEN_DIMENSION('149'), BPTT, RECENCY_MASK,
      { name: 'cold_start_max_interactions', type: 'integer', placement: 'featureTransformation', defaultValue: '15', min: 1, tunable: false },
      { name: 'cold_start_max_duration', type: 'continuous', placement: 'featureTransformation', defaultValue: '5.0', min: 0, tunable: false },
      { name: 'cold_start_relative_from', type: 'categorical', placement: 'featureTransformation', defaultValue: 'latestItem', values: ['currentTime', 'latestItem'], tunable: false },
      ...HISTORY_PERCENTILES('0.0', '0.99'),
    ],
  },
];

export function findCatalogueRecipe(name: string): CatalogueRecipe | undefined {
  return RECIPE_CATALOGUE.find(r => r.name === name);
}
