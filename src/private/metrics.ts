/**
 * Offline metrics GetSolutionMetrics reports, by recipe type, with the names their stack outputs
 * get. Keys for Trending-Now and Next-Best-Action are not documented; those solutions get the
 * generic set and show `not-reported` where Personalize returns nothing.
 */
const GENERIC = [
  'coverage',
  'mean_reciprocal_rank_at_25',
  'normalized_discounted_cumulative_gain_at_5',
  'normalized_discounted_cumulative_gain_at_10',
  'normalized_discounted_cumulative_gain_at_25',
  'precision_at_5',
  'precision_at_10',
  'precision_at_25',
];
const USER_SEGMENTATION = ['coverage', 'hits_at_1_percent', 'recall_at_1_percent'];
const WITH_OBJECTIVE = 'average_rewards_at_k';
const WITH_EVENT_WEIGHTS = 'normalized_discounted_cumulative_gain_with_event_weights_at_k';

const LABELS: Record<string, string> = {
  coverage: 'Coverage',
  mean_reciprocal_rank_at_25: 'MrrAt25',
  normalized_discounted_cumulative_gain_at_5: 'NdcgAt5',
  normalized_discounted_cumulative_gain_at_10: 'NdcgAt10',
  normalized_discounted_cumulative_gain_at_25: 'NdcgAt25',
  precision_at_5: 'PrecisionAt5',
  precision_at_10: 'PrecisionAt10',
  precision_at_25: 'PrecisionAt25',
  hits_at_1_percent: 'HitsAt1Percent',
  recall_at_1_percent: 'RecallAt1Percent',
  [WITH_OBJECTIVE]: 'AverageRewardsAtK',
  [WITH_EVENT_WEIGHTS]: 'NdcgWithEventWeightsAtK',
};

export interface MetricSelection {
  readonly recipeType?: string;
  readonly optimizationObjective?: boolean;
  readonly eventsConfig?: boolean;
}

/** The metric keys a solution version of this kind reports. */
export function metricKeysFor(selection: MetricSelection): string[] {
  const keys = selection.recipeType === 'USER_SEGMENTATION' ? [...USER_SEGMENTATION] : [...GENERIC];
  if (selection.optimizationObjective) {
    keys.push(WITH_OBJECTIVE);
  }
  if (selection.eventsConfig) {
    keys.push(WITH_EVENT_WEIGHTS);
  }
  return keys;
}

/** A readable PascalCase label for a metric key, e.g. `NdcgAt10`. */
export function metricLabel(key: string): string {
  return LABELS[key] ?? pascalCase(key);
}

/** `recency_mask` → `RecencyMask`. */
export function pascalCase(name: string): string {
  return name.split(/[^A-Za-z0-9]+/).filter(Boolean).map(part => part[0].toUpperCase() + part.slice(1)).join('');
}
