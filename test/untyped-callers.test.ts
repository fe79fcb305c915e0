import { App, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as library from '../src';
import {
  DatasetGroup, HyperParameterRange, HyperParameterRanges, HyperParameters, Recipe, Schema, Solution, SolutionVersion,
} from '../src';

/**
 * What JavaScript callers, and jsii languages passing plain maps, get without a type checker.
 * Every call goes through `any`, so what runs is what plain JavaScript would run.
 */

// The keys and kinds every entry point checks come from the interfaces: see untyped-shapes.test.ts.

const js = (value: unknown): any => value;

function solutionStack() {
  const stack = new Stack(new App(), 'Untyped', { env: { account: '123456789012', region: 'us-east-1' } });
  return { stack, datasetGroup: new DatasetGroup(stack, 'Group') };
}

test.each<[string, () => unknown, RegExp]>([
  ['an unknown hyperparameter key', () => HyperParameters.userPersonalization(js({ hiddenDim: 100 })),
    /^HyperParameters\.userPersonalization: unknown key 'hiddenDim'; UserPersonalizationHyperParameters has hiddenDimension, bptt, recencyMask/],
  ['an unknown range key', () => HyperParameterRanges.userPersonalization(js({ hidden_dimension: HyperParameterRange.integer(32, 64) })),
    /^HyperParameterRanges\.userPersonalization: unknown key 'hidden_dimension'; UserPersonalizationHyperParameterRanges has hiddenDimension/],
  ['a range that is a plain object', () => HyperParameterRanges.userPersonalization(js({ bptt: { minValue: 8, maxValue: 32 } })),
    /the range of bptt is object \[object Object\]: must be a HyperParameterRange, e\.g\. HyperParameterRange\.integer\(8, 32\)/],
  ['feature-transformation parameters of a typed factory, misspelt', () => HyperParameters.sims(js({ minUserHistoryPercentile: 0.1 })),
    /^HyperParameters\.sims: unknown key 'minUserHistoryPercentile'; SimsHyperParameters has .*minUserHistoryLengthPercentile/],
  ['a custom value that is not a string', () => HyperParameters.custom(js({ bptt: 16 })),
    /HyperParameters\.custom: 'bptt' is number 16: values must be strings/],
  ['a custom placement that does not exist', () => HyperParameters.custom({ x: '1' }, js('features')),
    /HyperParameters\.custom placement is the string "features": must be one of algorithm, featureTransformation/],
  ['custom ranges that are not an array', () => HyperParameterRanges.custom(js('bptt')),
    /HyperParameterRanges\.custom: expected an array of \{ name, range \}, got the string "bptt"/],
  ['a factory given a string', () => HyperParameters.sims(js('popularity')),
    /HyperParameters\.sims: expected an object \(SimsHyperParameters\), got the string "popularity"/],
])('%s fails naming the key or value and what is allowed', (_case, call, message) => {
  expect(call).toThrow(message);
});

test.each<[string, Record<string, unknown>, RegExp]>([
  ['an objectiveSensitivity that does not exist', { optimizationObjective: { itemAttribute: 'PRICE', objectiveSensitivity: 'EXTREME' } },
    /solution at 'Untyped\/S' optimizationObjective\.objectiveSensitivity is the string "EXTREME": must be one of LOW, MEDIUM, HIGH, OFF/],
  ['an autoTrainingSchedule that is a cron string', { performAutoTraining: true, autoTrainingSchedule: 'cron(0 0 * * ? *)' },
    /solution at 'Untyped\/S' autoTrainingSchedule is the string "cron\(0 0 \* \* \? \*\)": must be a Duration, e\.g\. Duration\.days\(7\)/],
  ['a misspelt solution prop', { hyperparameters: HyperParameters.userPersonalization({ bptt: 16 }) },
    /^solution at 'Untyped\/S': unknown key 'hyperparameters'; SolutionProps has datasetGroup, recipe, solutionName, hyperParameters/],
  ['a misspelt hpo prop', { hpo: { ranges: HyperParameterRanges.userPersonalization({ bptt: HyperParameterRange.integer(8, 32) }), maxJobs: 4 } },
    /solution at 'Untyped\/S' hpo: unknown key 'maxJobs'; HpoConfig has ranges, maxNumberOfTrainingJobs, maxParallelTrainingJobs/],
  ['hpo ranges given as a plain map', { hpo: { ranges: { bptt: HyperParameterRange.integer(8, 32) } } },
    /solution at 'Untyped\/S' hpo\.ranges is object \[object Object\]: must be HyperParameterRanges, e\.g\. HyperParameterRanges\.userPersonalization/],
  ['eventParameters that are not an array', { eventParameters: { eventType: 'click', weight: 1 } },
    /solution at 'Untyped\/S' eventParameters is object \[object Object\]: must be a list of objects \(EventParameters\)/],
])('a solution with %s fails at synth', (_case, extra, message) => {
  const { stack, datasetGroup } = solutionStack();
  expect(() => new Solution(stack, 'S', js({ datasetGroup, recipe: Recipe.USER_PERSONALIZATION, ...extra }))).toThrow(message);
});

test('a solution version with a trainingMode that does not exist, or an unknown option', () => {
  const { stack, datasetGroup } = solutionStack();
  const solution = new Solution(stack, 'S', { datasetGroup, recipe: Recipe.USER_PERSONALIZATION });
  expect(() => new SolutionVersion(stack, 'V', js({ solution, trainingMode: 'PARTIAL' })))
    .toThrow(/solution version at 'Untyped\/V' trainingMode is the string "PARTIAL": must be one of FULL, UPDATE/);
  expect(() => solution.addVersion('V2', js({ timeout: 3600 }))).toThrow(/solution version at '[^']+': unknown key 'timeout'; SolutionVersionProps has .*trainingTimeout/);
  expect(() => solution.addVersion('V3', js({ trainingTimeout: 3600 }))).toThrow(/trainingTimeout is number 3600: must be a Duration, e\.g\. Duration\.hours\(6\)/);
});

test('data constructs name unknown keys too', () => {
  const { stack } = solutionStack();
  expect(() => new DatasetGroup(stack, 'G2', js({ name: 'movies' }))).toThrow(/^dataset group at 'Untyped\/G2': unknown key 'name'; DatasetGroupProps has datasetGroupName, domain, encryptionKey, removalPolicy$/);
  expect(() => Schema.interactions(stack, 'Sc', js({ field: [] }))).toThrow(/^Schema\.interactions at 'Untyped\/Sc': unknown key 'field'; SchemaFieldsOptions has schemaName, domain, fields$/);
});

test('TypeScript-shaped props pass, undefined members included', () => {
  const { stack, datasetGroup } = solutionStack();
  expect(() => new Solution(stack, 'S', js({ datasetGroup, recipe: Recipe.USER_PERSONALIZATION, solutionName: undefined }))).not.toThrow();
});

describe('what a caller without a type checker got wrong, named (before: dropped silently, passed synth, or a TypeError)', () => {
  const stack = () => new Stack(new App(), 'Untyped', { env: { account: '123456789012', region: 'us-west-2' } });
  // Every entry point as plain JavaScript sees it.
  const L = library as any;
  const group = (s: Stack) => new DatasetGroup(s, 'Group');

  test.each<[string, (s: Stack) => unknown, string]>([
    ['hyperParameters as a plain object', s => new Solution(s, 'S', { datasetGroup: group(s), recipe: Recipe.USER_PERSONALIZATION, hyperParameters: { hidden_dimension: 64 } as any }),
      'solution at \'Untyped/S\' hyperParameters is object [object Object]: must be HyperParameters, e.g. HyperParameters.userPersonalization({ hiddenDimension: 64 })'],
    ['a recipe given by its name', s => new Solution(s, 'S', { datasetGroup: group(s), recipe: 'USER_PERSONALIZATION' as any }),
      'solution at \'Untyped/S\' recipe is the string "USER_PERSONALIZATION": must be a Recipe, e.g. Recipe.USER_PERSONALIZATION'],
    ['a dataset group given by its ARN', s => new Solution(s, 'S', { datasetGroup: 'arn:aws:personalize:us-west-2:123456789012:dataset-group/x' as any, recipe: Recipe.SIMS }),
      'solution at \'Untyped/S\' datasetGroup is the string "arn:aws:personalize:us-west-2:123456789012:dataset-group/x": must be an IDatasetGroup'],
    ['a version of a solution name', s => new SolutionVersion(s, 'V', { solution: 'shop' as any }), 'solution version at \'Untyped/V\' solution is the string "shop": must be an ISolution'],
    ['a campaign over a version ARN', s => new L.Campaign(s, 'C', { solutionVersion: 'arn:aws:personalize:us-west-2:123456789012:solution/s/1' }),
      'campaign at \'Untyped/C\' solutionVersion is the string "arn:aws:personalize:us-west-2:123456789012:solution/s/1": must be an ISolutionVersion'],
    ['an import mode the API does not have', s => new L.Dataset(s, 'D', {
      datasetGroup: group(s), schema: Schema.interactions(s, 'Schema', {}), importSource: { bucket: new s3.Bucket(s, 'B'), prefix: 'i/', importMode: 'APPEND' },
    }), 'dataset at \'Untyped/D\' importSource.importMode is the string "APPEND": must be one of FULL, INCREMENTAL'],
    ['a domain in lower case', s => new DatasetGroup(s, 'G', { domain: 'ecommerce' as any }), 'dataset group at \'Untyped/G\' domain is the string "ecommerce": must be one of ECOMMERCE, VIDEO_ON_DEMAND'],
    ['a filter without its dataset group', s => new L.Filter(s, 'F', { expression: L.FilterExpression.raw('EXCLUDE ItemID WHERE Items.X IN ("a")') }),
      'filter at \'Untyped/F\' datasetGroup is missing: must be an IDatasetGroup'],
    ['a recommender of a dataset group name', s => new L.Recommender(s, 'R', { datasetGroup: 'shop', useCase: L.RecommenderUseCase.MOST_VIEWED }),
      'recommender at \'Untyped/R\' datasetGroup is the string "shop": must be an IDatasetGroup'],
    ['an event tracker without its dataset group', s => new L.EventTracker(s, 'E', {}), 'event tracker at \'Untyped/E\' datasetGroup is missing: must be an IDatasetGroup'],
    ['a metric attribution of a dataset group name', s => new L.MetricAttribution(s, 'M', { datasetGroup: 'shop', metrics: [] }),
      'metric attribution at \'Untyped/M\' datasetGroup is the string "shop": must be an IDatasetGroup'],
  ])('%s', (_, build, message) => {
    expect(() => build(stack())).toThrow(message);
  });

  test('schema field options: a misspelt key and a flag that is not a boolean', () => {
    expect(() => L.SchemaField.ofString('GENRE', { optinal: true })).toThrow("SchemaField.ofString: unknown key 'optinal'; StringFieldOptions has optional, categorical, textual");
    expect(() => L.SchemaField.categorical('GENRES', { textual: true })).toThrow("SchemaField.categorical: unknown key 'textual'; SchemaFieldOptions has optional");
    expect(() => L.SchemaField.ofInt('AGE', { optional: 'yes' })).toThrow('SchemaField.ofInt optional is the string "yes": must be true or false');
  });

  test('Recipe.fromArn takes an ARN, not a name', () => {
    expect(() => Recipe.fromArn('aws-user-personalization')).toThrow('Recipe.fromArn: the string "aws-user-personalization" is not a recipe ARN');
    expect(Recipe.fromArn('arn:aws:personalize:::recipe/aws-user-personalization').recipeName).toBe('aws-user-personalization');
  });
});
