/**
 * Checks for callers without a type checker (JavaScript, and jsii languages passing plain maps):
 * props with keys the interface does not have, values of the wrong kind, enum values that do not
 * exist. TypeScript callers never trip them.
 */
import { Token } from 'aws-cdk-lib';

/**
 * The members of each props interface that public entry points take, including inherited ones.
 * A test compares every list with the interface in src/, so the two cannot drift apart.
 */
export const KNOWN_KEYS = {
  AffinityHyperParameters: ['hiddenDimension'],
  AttributedMetric: ['metricName', 'eventType', 'expression'],
  AutoMlConfig: ['metricName', 'recipes'],
  BatchInferenceJobProps: [
    'solutionVersion', 'input', 'output', 'filter', 'jobTrigger', 'role', 'numResults', 'mode', 'themeItemNameColumn', 'explorationWeight',
    'explorationItemAgeCutOff', 'rankingInfluence',
  ],
  BatchJobLocation: ['bucket', 'prefix', 'encryptionKey'],
  BatchSegmentJobProps: ['solutionVersion', 'input', 'output', 'filter', 'jobTrigger', 'role', 'numResults'],
  CampaignProps: ['solutionVersion', 'campaignName', 'minProvisionedTps', 'recipe', 'explorationWeight', 'explorationItemAgeCutOff', 'syncWithLatestSolutionVersion', 'enableMetadataWithRecommendations', 'rankingInfluence', 'filters', 'promotion', 'removalPolicy'],
  CustomRecipeOptions: ['recipeType', 'hyperParameters', 'supportsHpo', 'supportsEventsConfig', 'supportsOptimizationObjective', 'supportsIncrementalUpdate', 'supportsUpdateTraining'],
  DatasetColumns: ['interactions', 'items', 'users', 'actions', 'actionInteractions'],
  DatasetGroupProps: ['datasetGroupName', 'domain', 'encryptionKey', 'removalPolicy'],
  DatasetImportSource: ['bucket', 'prefix', 'importMode', 'importTrigger', 'role', 'encryptionKey'],
  DatasetProps: ['datasetGroup', 'schema', 'datasetType', 'datasetName', 'importSource', 'removalPolicy'],
  EventParameters: ['eventType', 'weight', 'eventValueThreshold'],
  EventTrackerAttributes: ['eventTrackerArn', 'trackingId'],
  EventTrackerProps: ['datasetGroup', 'eventTrackerName'],
  FilterProps: ['datasetGroup', 'expression', 'filterName'],
  HpoConfig: ['ranges', 'maxNumberOfTrainingJobs', 'maxParallelTrainingJobs'],
  HrnnColdstartHyperParameters: ['hiddenDimension', 'bptt', 'recencyMask', 'minUserHistoryLengthPercentile', 'maxUserHistoryLengthPercentile', 'coldStartMaxInteractions', 'coldStartMaxDuration', 'coldStartRelativeFrom'],
  MetricAttributionProps: ['datasetGroup', 'metrics', 'metricAttributionName', 's3Destination', 'role'],
  MetricAttributionS3Destination: ['bucket', 'prefix', 'encryptionKey'],
  NamedHyperParameterRange: ['name', 'range'],
  NextBestActionHyperParameters: ['actionOptimizationPeriod'],
  OptimizationObjective: ['itemAttribute', 'objectiveSensitivity'],
  PromotionPolicy: ['metric', 'minImprovement', 'minValue', 'maxDropOnNewData', 'maxServedAge', 'failDeployment'],
  RankingInfluence: ['freshness', 'popularity'],
  RecencyBiasHyperParameters: ['applyRecencyBias'],
  RecommenderProps: ['datasetGroup', 'useCase', 'recommenderName', 'minRecommendationRequestsPerSecond', 'explorationWeight', 'explorationItemAgeCutOff', 'enableMetadataWithRecommendations', 'excludedDatasetColumns', 'filters', 'removalPolicy'],
  SchemaFieldsOptions: ['schemaName', 'domain', 'fields'],
  SchemaFieldOptions: ['optional'],
  StringFieldOptions: ['optional', 'categorical', 'textual'],
  SchemaFromJsonProps: ['schemaName', 'domain', 'datasetType', 'json'],
  SchemaOptions: ['schemaName', 'domain'],
  SchemaProps: ['schemaName', 'domain', 'datasetType', 'definition'],
  SimilarItemsHyperParameterRanges: ['itemIdHiddenDim', 'itemMetadataHiddenDim'],
  SimilarItemsHyperParameters: ['popularityDiscountFactor'],
  SimsHyperParameterRanges: ['popularityDiscountFactor', 'minCointeractionCount'],
  SimsHyperParameters: ['popularityDiscountFactor', 'minCointeractionCount', 'minUserHistoryLengthPercentile', 'maxUserHistoryLengthPercentile', 'minItemInteractionCountPercentile', 'maxItemInteractionCountPercentile'],
  SolutionProps: ['datasetGroup', 'recipe', 'solutionName', 'hyperParameters', 'hpo', 'autoMl', 'eventType', 'eventValueThreshold', 'optimizationObjective', 'eventParameters', 'excludedDatasetColumns', 'includedDatasetColumns', 'performAutoTraining', 'autoTrainingSchedule', 'performIncrementalUpdate', 'removalPolicy'],
  SolutionVersionOptions: ['trainingMode', 'solutionVersionName', 'trainingTimeout', 'retrainTrigger', 'retrainOnImport', 'outputs', 'detailedOutputs', 'outputPrefix'],
  SolutionVersionProps: [
    'trainingMode', 'solutionVersionName', 'trainingTimeout', 'retrainTrigger', 'retrainOnImport', 'outputs', 'detailedOutputs', 'outputPrefix', 'solution',
  ],
  TrainingDashboardProps: ['dashboardName', 'metric', 'solutions', 'alarmThreshold', 'timeRange'],
  TrainingDashboardSolutionOptions: ['metric', 'alarmThreshold'],
  TrendingNowHyperParameters: ['trendDiscoveryFrequency'],
  UserPersonalizationHyperParameterRanges: ['hiddenDimension', 'bptt', 'recencyMask'],
  UserPersonalizationHyperParameters: ['hiddenDimension', 'bptt', 'recencyMask', 'minUserHistoryLengthPercentile', 'maxUserHistoryLengthPercentile'],
} as const satisfies Record<string, readonly string[]>;

export type PropsInterface = keyof typeof KNOWN_KEYS;

/** What a value is, for an error message. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) {
    return String(value);
  }
  if (Array.isArray(value)) {
    return 'an array';
  }
  return typeof value === 'string' ? `the string ${JSON.stringify(value)}` : `${typeof value} ${String(value)}`;
}

/**
 * Throws when `props` is not an object, or has a key `iface` does not declare. `where` names the
 * entry point, e.g. `HyperParameters.userPersonalization` or `solution hpo`.
 */
export function checkKnownKeys(where: string, iface: PropsInterface, props: unknown): void {
  if (props === undefined) {
    return;
  }
  if (props === null || typeof props !== 'object' || Array.isArray(props)) {
    throw new Error(`${where}: expected an object (${iface}), got ${describeValue(props)}`);
  }
  const allowed: readonly string[] = KNOWN_KEYS[iface];
  const unknown = Object.keys(props).filter(key => !allowed.includes(key) && (props as Record<string, unknown>)[key] !== undefined);
  if (unknown.length > 0) {
    const keys = unknown.map(key => `'${key}'`).join(', ');
    throw new Error(`${where}: unknown ${unknown.length === 1 ? 'key' : 'keys'} ${keys}; ${iface} has ${allowed.join(', ')}`);
  }
}

/** Throws when `value` is set and is not one of `allowed` (an enum without a type checker). */
export function checkEnumValue(where: string, value: unknown, allowed: readonly string[]): void {
  if (value === undefined || (typeof value === 'string' && (allowed.includes(value) || Token.isUnresolved(value)))) {
    return;
  }
  throw new Error(`${where} is ${describeValue(value)}: must be one of ${allowed.join(', ')}`);
}

/** Throws when `value` is set and lacks the methods of the expected class (e.g. a string for a Duration). */
export function checkKind(where: string, value: unknown, kind: string, methods: readonly string[], hint: string): void {
  if (value === undefined) {
    return;
  }
  const ok = value !== null && typeof value === 'object' && methods.every(m => typeof (value as Record<string, unknown>)[m] === 'function');
  if (!ok) {
    throw new Error(`${where} is ${describeValue(value)}: must be a ${kind}, e.g. ${hint}`);
  }
}

/**
 * Throws when `value` is not a reference to a resource (an owned construct or an import) that has
 * the string attribute `attribute`, e.g. a string where an IDatasetGroup belongs. `optional` lets
 * `undefined` through; otherwise a missing value is named as such.
 */
export function checkReference(where: string, value: unknown, kind: string, attribute: string, hint: string, optional = false): void {
  if (value === undefined && optional) {
    return;
  }
  if (value === null || typeof value !== 'object' || typeof (value as Record<string, unknown>)[attribute] !== 'string') {
    throw new Error(`${where} is ${value === undefined ? 'missing' : describeValue(value)}: must be ${kind}, e.g. ${hint}`);
  }
}

/** Throws when `value` is set (or `required`) and is not an instance of `type`. */
export function checkClass(where: string, value: unknown, type: Function, hint: string, required = false): void {
  if ((value === undefined && !required) || value instanceof type) {
    return;
  }
  throw new Error(`${where} is ${value === undefined ? 'missing' : describeValue(value)}: must be ${type.name}, e.g. ${hint}`);
}
