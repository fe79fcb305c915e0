import { App, Duration, Lazy, Stack, Tags } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import {
  ColdStartRelativeFrom, DatasetGroup, HyperParameterPlacement, HyperParameterRange, HyperParameterRanges, HyperParameters,
  HyperParameterType, ObjectiveSensitivity, Recipe, RecipeType, Solution, SolutionProps, TrendDiscoveryFrequency,
} from '../src';

type Config = Omit<SolutionProps, 'datasetGroup'>;

function synth(config: Config, configure?: (solution: Solution) => void): Stack {
  const stack = new Stack(new App(), 'Validation', { env: { account: '123456789012', region: 'eu-west-1' } });
  const datasetGroup = DatasetGroup.fromDatasetGroupArn(stack, 'Group', 'arn:aws:personalize:eu-west-1:123456789012:dataset-group/g');
  const solution = new Solution(stack, 'Solution', { datasetGroup, ...config });
  configure?.(solution);
  Template.fromStack(stack);
  return stack;
}

const up = Recipe.USER_PERSONALIZATION;
const upRanges = HyperParameterRanges.userPersonalization;
const range = HyperParameterRange;

/** Each case: a configuration that must fail, and what the message must name. */
const INVALID: Array<[string, Config, RegExp]> = [
  ['no recipe and no AutoML', {}, /recipe is undefined: a recipe is required unless autoMl is set/],
  ['solution name with a space', { recipe: up, solutionName: 'my solution' }, /solutionName is 'my solution': must match/],
  ['solution name starting with a dash', { recipe: up, solutionName: '-sol' }, /solutionName is '-sol'/],
  ['solution name of 64 characters', { recipe: up, solutionName: 'a'.repeat(64) }, /solutionName is 'a{64}': must have 1 to 63 characters/],
  ['event type longer than 256', { recipe: up, eventType: 'e'.repeat(257) }, /eventType is 'e+': must have 0 to 256 characters/],
  ['unknown hyperparameter of a typed set', { recipe: Recipe.SIMS, hyperParameters: HyperParameters.userPersonalization({ bptt: 10 }) },
    /hyperParameters.bptt is '10': recipe aws-sims has no such hyperparameter; its hyperparameters are popularity_discount_factor, min_cointeraction_count/],
  ['hyperparameter on a recipe without any', { recipe: Recipe.POPULARITY_COUNT, hyperParameters: HyperParameters.affinity({ hiddenDimension: 64 }) },
    /recipe aws-popularity-count has no such hyperparameter; its hyperparameters are none/],
  ['non-integer integer hyperparameter', { recipe: up, hyperParameters: HyperParameters.userPersonalization({ hiddenDimension: 64.5 }) },
    /hyperParameters.hidden_dimension is '64.5': must be an integer/],
  ['custom boolean that is not a boolean', { recipe: up, hyperParameters: HyperParameters.custom({ recency_mask: 'yes' }) },
    /hyperParameters.recency_mask is 'yes': must be true or false/],
  ['custom integer that is not a number', { recipe: up, hyperParameters: HyperParameters.custom({ bptt: 'ten' }) },
    /hyperParameters.bptt is 'ten': must be an integer/],
  ['categorical value outside its set', { recipe: Recipe.HRNN_COLDSTART, hyperParameters: HyperParameters.custom({ cold_start_relative_from: 'yesterday' }) },
    /cold_start_relative_from is 'yesterday': must be one of currentTime, latestItem/],
  ['the same hyperparameter twice', { recipe: up, hyperParameters: HyperParameters.combine(HyperParameters.userPersonalization({ bptt: 8 }), HyperParameters.custom({ bptt: '9' })) },
    /hyperParameters.bptt is '9': is given twice/],
  ['an HPO-only hyperparameter given a fixed value', { recipe: Recipe.SIMILAR_ITEMS, hyperParameters: HyperParameters.custom({ item_id_hidden_dim: '100' }) },
    /recipe aws-similar-items takes item_id_hidden_dim only as an HPO range/],
  // The recipe pages give every *_percentile hyperparameter the range 0.0 to 1.0: a share, by definition.
  ['a percentile above 1', { recipe: up, hyperParameters: HyperParameters.userPersonalization({ minUserHistoryLengthPercentile: 1.5 }) },
    /hyperParameters.min_user_history_length_percentile is 1.5: is a percentile: a share from 0 to 1/],
  ['a percentile below 0, untyped', { recipe: Recipe.SIMS, hyperParameters: HyperParameters.custom({ min_item_interaction_count_percentile: '-0.1' }) },
    /min_item_interaction_count_percentile is -0.1: is a percentile/],
  ['a value longer than the API allows', { recipe: up, hyperParameters: HyperParameters.custom({ foo: 'x'.repeat(1001) }) },
    /hyperParameters.foo is 'x+': must have 0 to 1000 characters/],
  ['HPO on a v2 recipe', { recipe: Recipe.USER_PERSONALIZATION_V2, hpo: { ranges: upRanges({ bptt: range.integer(2, 8) }) } },
    /hpo is \["bptt"\]: recipe aws-user-personalization-v2 does not accept HPO \(HPO is automatic/],
  ['HPO on Trending-Now', { recipe: Recipe.TRENDING_NOW, hpo: { ranges: HyperParameterRanges.custom([]) } }, /recipe aws-trending-now does not accept HPO/],
  ['HPO on Next-Best-Action', { recipe: Recipe.NEXT_BEST_ACTION, hpo: { ranges: HyperParameterRanges.custom([]) } }, /recipe aws-next-best-action does not accept HPO/],
  ['HPO on Item-Affinity', { recipe: Recipe.ITEM_AFFINITY, hpo: { ranges: HyperParameterRanges.custom([]) } }, /recipe aws-item-affinity does not accept HPO/],
  ['a non-tunable hyperparameter in a range', { recipe: up, hpo: { ranges: HyperParameterRanges.custom([{ name: 'min_user_history_length_percentile', range: range.continuous(0, 0.1) }]) } },
    /hpo.ranges.min_user_history_length_percentile is .*cannot be tuned; the tunable hyperparameters of recipe aws-user-personalization are hidden_dimension, bptt, recency_mask/],
  ['a non-tunable SIMILAR_ITEMS hyperparameter in a range', { recipe: Recipe.SIMILAR_ITEMS, hpo: { ranges: HyperParameterRanges.custom([{ name: 'popularity_discount_factor', range: range.continuous(0, 1) }]) } },
    /popularity_discount_factor cannot be tuned/],
  ['a typed range of another recipe', { recipe: Recipe.SIMS, hpo: { ranges: upRanges({ bptt: range.integer(2, 8) }) } },
    /hpo.ranges.bptt is \{"minValue":2,"maxValue":8\}: recipe aws-sims has no such hyperparameter; its tunable hyperparameters are popularity_discount_factor, min_cointeraction_count/],
  ['min above max', { recipe: up, hpo: { ranges: upRanges({ hiddenDimension: range.integer(128, 64) }) } },
    /hpo.ranges.hidden_dimension is \{"minValue":128,"maxValue":64\}: minValue must not exceed maxValue/],
  ['continuous min above max', { recipe: Recipe.SIMS, hpo: { ranges: HyperParameterRanges.sims({ popularityDiscountFactor: range.continuous(0.9, 0.1) }) } },
    /popularity_discount_factor is \{"minValue":0.9,"maxValue":0.1\}: minValue must not exceed maxValue/],
  ['integer range with fractional bounds', { recipe: up, hpo: { ranges: upRanges({ bptt: range.integer(2.5, 8) }) } },
    /hpo.ranges.bptt is .*an integer range needs integer bounds/],
  ['integer range beyond the API limit', { recipe: up, hpo: { ranges: upRanges({ hiddenDimension: range.integer(32, 2_000_000) }) } },
    /integer ranges must lie within -1000000 to 1000000/],
  ['continuous range below the API limit', { recipe: Recipe.SIMS, hpo: { ranges: HyperParameterRanges.sims({ popularityDiscountFactor: range.continuous(-2_000_000, 0) }) } },
    /continuous ranges need finite bounds of at least -1000000/],
  ['wrong kind of range for an integer', { recipe: up, hpo: { ranges: upRanges({ bptt: range.categorical(['2', '4']) }) } },
    /hpo.ranges.bptt is \["2","4"\]: bptt is a integer hyperparameter: use HyperParameterRange.integer\(\)/],
  ['wrong kind of range for a boolean', { recipe: up, hpo: { ranges: upRanges({ recencyMask: range.integer(0, 1) }) } },
    /recency_mask is a boolean hyperparameter: use HyperParameterRange.boolean\(\)/],
  ['empty categorical range', { recipe: up, hpo: { ranges: upRanges({ recencyMask: range.categorical([]) }) } },
    /hpo.ranges.recency_mask is \[\]: a categorical range needs at least one value/],
  ['duplicate categorical values', { recipe: up, hpo: { ranges: upRanges({ recencyMask: range.categorical(['true', 'true']) }) } },
    /values must be distinct \(repeated: true\)/],
  ['a boolean range with other values', { recipe: up, hpo: { ranges: upRanges({ recencyMask: range.categorical(['true', 'maybe']) }) } },
    /recency_mask is boolean: its values can only be 'true' and 'false'/],
  ['the same name fixed and ranged', { recipe: up, hyperParameters: HyperParameters.userPersonalization({ bptt: 8 }), hpo: { ranges: upRanges({ bptt: range.integer(2, 16) }) } },
    /hpo.ranges.bptt is .*is also given a fixed value in hyperParameters/],
  ['the same name ranged twice', { recipe: up, hpo: { ranges: HyperParameterRanges.combine(upRanges({ bptt: range.integer(2, 16) }), upRanges({ bptt: range.integer(4, 8) })) } },
    /hpo.ranges.bptt is .*is ranged twice/],
  ['zero training jobs', { recipe: up, hpo: { ranges: upRanges({}), maxNumberOfTrainingJobs: 0 } },
    /hpo.maxNumberOfTrainingJobs is 0: must be an integer from 1 to 40/],
  ['41 training jobs', { recipe: up, hpo: { ranges: upRanges({}), maxNumberOfTrainingJobs: 41 } }, /hpo.maxNumberOfTrainingJobs is 41: must be an integer from 1 to 40/],
  ['11 parallel jobs', { recipe: up, hpo: { ranges: upRanges({}), maxParallelTrainingJobs: 11 } }, /hpo.maxParallelTrainingJobs is 11: must be an integer from 1 to 10/],
  ['more parallel jobs than jobs', { recipe: up, hpo: { ranges: upRanges({}), maxNumberOfTrainingJobs: 4, maxParallelTrainingJobs: 6 } },
    /hpo.maxParallelTrainingJobs is 6: must not exceed hpo.maxNumberOfTrainingJobs \(4\)/],
  ['fractional training jobs', { recipe: up, hpo: { ranges: upRanges({}), maxNumberOfTrainingJobs: 2.5 } }, /hpo.maxNumberOfTrainingJobs is 2.5/],
  ['AutoML with a recipe', { recipe: up, autoMl: {} }, /recipe \(aws-user-personalization\) and autoMl cannot be combined/],
  ['AutoML with HPO and hyperparameters', { autoMl: {}, hpo: { ranges: upRanges({}) }, hyperParameters: HyperParameters.hrnn({ bptt: 4 }) },
    /autoMl cannot be combined with hyperParameters, hpo: with AutoML Personalize ignores every other training setting/],
  ['AutoML with event weights', { autoMl: {}, eventParameters: [{ eventType: 'click', weight: 1 }] }, /autoMl cannot be combined with eventParameters/],
  ['optimization objective on SIMS', { recipe: Recipe.SIMS, optimizationObjective: { itemAttribute: 'PRICE' } },
    /optimizationObjective is 'PRICE': recipe aws-sims does not support it; recipes that do: aws-user-personalization, aws-personalized-ranking/],
  ['optimization objective with an empty attribute', { recipe: up, optimizationObjective: { itemAttribute: '' } }, /optimizationObjective.itemAttribute is '': must have 1 to 150 characters/],
  ['event weights on User-Personalization v1', { recipe: up, eventParameters: [{ eventType: 'click', weight: 1 }] },
    /eventParameters is \["click"\]: recipe aws-user-personalization does not support it; recipes that do: aws-user-personalization-v2, aws-personalized-ranking-v2/],
  ['11 event weights', { recipe: Recipe.USER_PERSONALIZATION_V2, eventParameters: Array.from({ length: 11 }, (_, i) => ({ eventType: `e${i}`, weight: 0.5 })) },
    /eventParameters is '11 entries': at most 10/],
  ['an event weight above 1', { recipe: Recipe.USER_PERSONALIZATION_V2, eventParameters: [{ eventType: 'click', weight: 12 }] },
    /eventParameters\[0\].weight is 12: must be a number from 0 to 1/],
  ['a negative event weight', { recipe: Recipe.PERSONALIZED_RANKING_V2, eventParameters: [{ eventType: 'click', weight: -0.1 }] },
    /eventParameters\[0\].weight is -0.1/],
  ['the same event type weighted twice', { recipe: Recipe.USER_PERSONALIZATION_V2, eventParameters: [{ eventType: 'click', weight: 1 }, { eventType: 'click', weight: 0.2 }] },
    /eventParameters\[1\].eventType is 'click': each event type may appear once/],
  ['an auto-training schedule of 31 days', { recipe: up, performAutoTraining: true, autoTrainingSchedule: Duration.days(31) },
    /autoTrainingSchedule is '31 days': must be whole days from 1 to 30/],
  ['an auto-training schedule of 12 hours', { recipe: up, performAutoTraining: true, autoTrainingSchedule: Duration.hours(12) },
    /autoTrainingSchedule is '12 hours': must be whole days from 1 to 30/],
  ['a schedule without automatic training', { recipe: up, autoTrainingSchedule: Duration.days(7) }, /autoTrainingSchedule needs performAutoTraining: true/],
  ['incremental updates on a recipe without them', { recipe: up, performIncrementalUpdate: true },
    /performIncrementalUpdate is true: recipe aws-user-personalization does not support it; recipes that do: aws-semantic-similarity/],
  ['an invalid column name', { recipe: up, excludedDatasetColumns: { items: ['1GENRE'] } }, /excludedDatasetColumns.items is '1GENRE': must match/],
  ['excluding EVENT_TYPE', { recipe: up, excludedDatasetColumns: { interactions: ['EVENT_TYPE'] } }, /excludedDatasetColumns.interactions is 'EVENT_TYPE': cannot be excluded from training/],
  ['columns of four dataset types', { recipe: up, includedDatasetColumns: { items: ['A'], users: ['B'], interactions: ['C'], actions: ['D'] } },
    /includedDatasetColumns is \["interactions","items","users","actions"\]: at most 3 dataset types/],
  ['51 columns of one type', { recipe: up, includedDatasetColumns: { items: Array.from({ length: 51 }, (_, i) => `C${i}`) } }, /includedDatasetColumns.items is 51: at most 50 columns/],
  ['too many AutoML recipes', { autoMl: { recipes: Array.from({ length: 101 }, () => Recipe.HRNN) } }, /autoMl.recipes is 101: at most 100 recipes/],
  ['a declared custom recipe with an unknown hyperparameter', {
    recipe: Recipe.fromArn('arn:aws:personalize:::recipe/my-recipe', {
      hyperParameters: [{ name: 'depth', type: HyperParameterType.INTEGER, tunable: true, minValue: 1, maxValue: 8 }],
    }),
    hyperParameters: HyperParameters.sims({ minCointeractionCount: 3 }),
  }, /hyperParameters.min_cointeraction_count is '3': recipe arn:aws:personalize:::recipe\/my-recipe has no such hyperparameter; its hyperparameters are depth/],
];

describe('Solution validation', () => {
  test('the corpus has at least 40 invalid configurations', () => {
    expect(INVALID.length).toBeGreaterThanOrEqual(40);
  });

  test.each(INVALID)('fails when %s', (_name, config, message) => {
    expect(() => synth(config)).toThrow(message);
  });

  test('fails with every problem of a construct at once', () => {
    expect(() => synth({
      recipe: up,
      solutionName: 'bad name',
      hpo: { ranges: upRanges({ bptt: range.integer(9, 3) }), maxNumberOfTrainingJobs: 50, maxParallelTrainingJobs: 20 },
    })).toThrow(/\(4 problems\):\n {2}- solutionName .*\n {2}- hpo.ranges.bptt .*\n {2}- hpo.maxNumberOfTrainingJobs is 50.*\n {2}- hpo.maxParallelTrainingJobs is 20: must be an integer from 1 to 10$/);
  });

  test('fails when a tag key is invalid', () => {
    expect(() => synth({ recipe: up }, s => Tags.of(s).add('bad{key}', 'v'))).toThrow(/tag key 'bad\{key\}' must have 1 to 128 characters/);
  });
});

/** Configurations that must synthesize. */
const VALID: Array<[string, Config]> = [
  ['the documentation\'s HRNN example', {
    recipe: Recipe.HRNN,
    hyperParameters: HyperParameters.hrnn({ hiddenDimension: 55 }),
    hpo: {
      ranges: HyperParameterRanges.hrnn({ recencyMask: range.trueOrFalse(), bptt: range.integer(20, 40) }),
      maxNumberOfTrainingJobs: 4,
      maxParallelTrainingJobs: 2,
    },
  }],
  ['the same HPO on User-Personalization', {
    recipe: up,
    hyperParameters: HyperParameters.userPersonalization({ hiddenDimension: 55 }),
    hpo: {
      ranges: upRanges({ recencyMask: range.trueOrFalse(), bptt: range.integer(20, 32) }),
      maxNumberOfTrainingJobs: 4,
      maxParallelTrainingJobs: 2,
    },
  }],
  ['User-Personalization-v2 with event weights and automatic training', {
    recipe: Recipe.USER_PERSONALIZATION_V2,
    hyperParameters: HyperParameters.userPersonalizationV2({ applyRecencyBias: false }),
    eventParameters: [{ eventType: 'click', weight: 0.2 }, { eventType: 'purchase', weight: 1, eventValueThreshold: 5 }],
    performAutoTraining: true,
    autoTrainingSchedule: Duration.days(30),
  }],
  ['Personalized-Ranking-v2 with columns', { recipe: Recipe.PERSONALIZED_RANKING_V2, includedDatasetColumns: { items: ['GENRE', 'PRICE'] } }],
  ['Personalized-Ranking with an objective and HPO', {
    recipe: Recipe.PERSONALIZED_RANKING,
    optimizationObjective: { itemAttribute: 'PRICE', objectiveSensitivity: ObjectiveSensitivity.MEDIUM },
    hpo: { ranges: HyperParameterRanges.personalizedRanking({ hiddenDimension: range.integer(32, 256) }) },
  }],
  ['SIMS with every hyperparameter and both ranges', {
    recipe: Recipe.SIMS,
    hyperParameters: HyperParameters.sims({
      minUserHistoryLengthPercentile: 0.01,
      maxUserHistoryLengthPercentile: 0.99,
      minItemInteractionCountPercentile: 0.05,
      maxItemInteractionCountPercentile: 0.95,
    }),
    hpo: {
      ranges: HyperParameterRanges.sims({ popularityDiscountFactor: range.continuous(0, 1), minCointeractionCount: range.integer(0, 10) }),
      maxNumberOfTrainingJobs: 40,
      maxParallelTrainingJobs: 10,
    },
  }],
  ['Similar-Items with its HPO-only dimensions', {
    recipe: Recipe.SIMILAR_ITEMS,
    hyperParameters: HyperParameters.similarItems({ popularityDiscountFactor: 0.2 }),
    hpo: { ranges: HyperParameterRanges.similarItems({ itemIdHiddenDim: range.integer(30, 200), itemMetadataHiddenDim: range.integer(30, 100) }) },
  }],
  ['Trending-Now with a frequency', { recipe: Recipe.TRENDING_NOW, hyperParameters: HyperParameters.trendingNow({ trendDiscoveryFrequency: TrendDiscoveryFrequency.ONE_HOUR }) }],
  ['Popularity-Count with an event type', { recipe: Recipe.POPULARITY_COUNT, eventType: 'watch' }],
  ['Semantic-Similarity with incremental updates', { recipe: Recipe.SEMANTIC_SIMILARITY, performIncrementalUpdate: true }],
  ['Next-Best-Action with a period', { recipe: Recipe.NEXT_BEST_ACTION, hyperParameters: HyperParameters.nextBestAction({ actionOptimizationPeriod: Duration.days(21) }) }],
  ['Item-Affinity', { recipe: Recipe.ITEM_AFFINITY, hyperParameters: HyperParameters.affinity({ hiddenDimension: 128 }) }],
  ['HRNN-Coldstart with its cold-start settings', {
    recipe: Recipe.HRNN_COLDSTART,
    hyperParameters: HyperParameters.hrnnColdstart({
      coldStartMaxInteractions: 10,
      coldStartMaxDuration: Duration.days(3),
      coldStartRelativeFrom: ColdStartRelativeFrom.CURRENT_TIME,
    }),
  }],
  ['a recipe by ARN with declared hyperparameters', {
    recipe: Recipe.fromArn('arn:aws:personalize:::recipe/my-recipe', {
      recipeType: RecipeType.USER_PERSONALIZATION,
      hyperParameters: [{ name: 'depth', type: HyperParameterType.INTEGER, tunable: true, minValue: 1, maxValue: 8, placement: HyperParameterPlacement.ALGORITHM }],
    }),
    hpo: { ranges: HyperParameterRanges.custom([{ name: 'depth', range: range.integer(2, 6) }]) },
  }],
  ['a recipe by ARN without declarations', { recipe: Recipe.fromArn('arn:aws:personalize:::recipe/other'), hyperParameters: HyperParameters.custom({ anything: '1' }) }],
  ['AutoML alone', { autoMl: { metricName: 'precision_at_25' } }],
  ['token values are not range-checked', {
    recipe: up,
    solutionName: Lazy.string({ produce: () => 'named-later' }),
    hpo: {
      ranges: upRanges({ bptt: range.integer(2, Lazy.number({ produce: () => 100 })) }),
      maxNumberOfTrainingJobs: Lazy.number({ produce: () => 99 }),
    },
  }],
];

describe('Solution validation accepts', () => {
  test('the corpus has at least 15 valid configurations', () => {
    expect(VALID.length).toBeGreaterThanOrEqual(15);
  });

  test.each(VALID)('%s', (_name, config) => {
    const stack = synth(config);
    Template.fromStack(stack).resourceCountIs('Custom::PersonalizeSolution', 1);
  });
});

describe('Solution validation warns', () => {
  test('about an undeclared custom hyperparameter on a known recipe', () => {
    const stack = synth({ recipe: up, hyperParameters: HyperParameters.custom({ new_knob: '3' }) });
    Annotations.fromStack(stack).hasWarning('/Validation/Solution', Match.stringLikeRegexp('hyperParameters.new_knob is not a documented hyperparameter of recipe aws-user-personalization'));
  });

  test('about an undeclared custom range on a known recipe', () => {
    const stack = synth({ recipe: up, hpo: { ranges: HyperParameterRanges.custom([{ name: 'new_knob', range: range.integer(1, 3) }]) } });
    Annotations.fromStack(stack).hasWarning('/Validation/Solution', Match.stringLikeRegexp('hpo.ranges.new_knob is not a documented hyperparameter'));
  });

  test('about a fixed value beyond the documented bounds', () => {
    const stack = synth({ recipe: up, hyperParameters: HyperParameters.userPersonalization({ hiddenDimension: 512 }) });
    Annotations.fromStack(stack).hasWarning('/Validation/Solution', Match.stringLikeRegexp('hyperParameters.hidden_dimension is 512, outside the documented bounds 32 to 256'));
  });

  test('about an undocumented Trending-Now frequency instead of failing', () => {
    const stack = synth({ recipe: Recipe.TRENDING_NOW, hyperParameters: HyperParameters.trendingNow({ trendDiscoveryFrequency: TrendDiscoveryFrequency.of('6 hours') }) });
    Annotations.fromStack(stack).hasWarning('/Validation/Solution', Match.stringLikeRegexp("trend_discovery_frequency is '6 hours', not one of the documented values"));
  });

  test('about automatic training that repeats HPO', () => {
    const stack = synth({ recipe: up, performAutoTraining: true, hpo: { ranges: upRanges({ bptt: range.integer(2, 8) }) } });
    Annotations.fromStack(stack).hasWarning('/Validation/Solution', Match.stringLikeRegexp('every automatic training repeats the HPO'));
  });

  test('not at all for a current recipe within bounds', () => {
    const stack = synth({ recipe: up, hpo: { ranges: upRanges({ bptt: range.integer(2, 32) }) } });
    Annotations.fromStack(stack).hasNoWarning('/Validation/Solution', Match.anyValue());
  });
});
