import { App, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import {
  Campaign, Dataset, DatasetGroup, DatasetGroupDomain, Filter, FilterExpression, FilterField, FilterValue, MetricAttribution, MetricExpression,
  Recipe, Recommender, RecommenderUseCase, Schema, SchemaField, Solution,
} from '../src';
import { synthError, thrownBy } from './fixtures/synth-error';

/**
 * The documented rules of issue 27 that read more than one construct: datasets per group, KMS keys,
 * and what solutions, filters, recommenders and metric attributions name in the group's schemas.
 * Each test names the developer guide's page it follows.
 */

const js = (value: unknown): any => value;
const GROUP_ARN = 'arn:aws:personalize:us-west-2:123456789012:dataset-group/imported';

function newStack(): Stack {
  return new Stack(new App(), 'Rules', { env: { account: '123456789012', region: 'us-west-2' } });
}

function warnings(stack: Stack): string[] {
  return Annotations.fromStack(stack).findWarning('*', Match.anyValue()).map(w => String(w.entry.data));
}

/** A custom group with Interactions (EVENT_TYPE optional) and Items (GENRES, PRICE). */
function customGroup(options: { eventType?: boolean } = {}) {
  const stack = newStack();
  const datasetGroup = new DatasetGroup(stack, 'Group');
  new Dataset(stack, 'Interactions', {
    datasetGroup,
    schema: Schema.interactions(stack, 'InteractionsSchema', { fields: options.eventType === false ? [] : [SchemaField.ofString('EVENT_TYPE')] }),
  });
  new Dataset(stack, 'Items', {
    datasetGroup,
    schema: Schema.items(stack, 'ItemsSchema', { fields: [SchemaField.categorical('GENRES'), SchemaField.ofFloat('PRICE')] }),
  });
  return { stack, datasetGroup };
}

/** An ECOMMERCE group with its required fields. */
function ecommerceGroup() {
  const stack = newStack();
  const domain = DatasetGroupDomain.ECOMMERCE;
  const datasetGroup = new DatasetGroup(stack, 'Group', { domain });
  new Dataset(stack, 'Interactions', {
    datasetGroup,
    schema: Schema.interactions(stack, 'InteractionsSchema', { domain, fields: [SchemaField.ofString('EVENT_TYPE'), SchemaField.categorical('DEVICE')] }),
  });
  new Dataset(stack, 'Items', {
    datasetGroup,
    schema: Schema.items(stack, 'ItemsSchema', { domain, fields: [SchemaField.ofFloat('PRICE'), SchemaField.categorical('CATEGORY_L1')] }),
  });
  return { stack, datasetGroup };
}

describe('datasets ("Custom datasets and schemas": one dataset of each type per group)', () => {
  test('a second dataset of a type in a group fails, naming both', () => {
    const { stack, datasetGroup } = customGroup();
    expect(thrownBy(() => new Dataset(stack, 'MoreInteractions', { datasetGroup, schema: Schema.interactions(stack, 'Second') })))
      .toMatch(/invalid dataset at 'Rules\/MoreInteractions' \(1 problem\):\n {2}- datasetType is 'Interactions': dataset group Rules\/Group already has the Interactions dataset Rules\/Interactions/);
  });

  test('the same type in two groups passes', () => {
    const { stack } = customGroup();
    const other = new DatasetGroup(stack, 'Other');
    expect(() => new Dataset(stack, 'OtherInteractions', { datasetGroup: other, schema: Schema.interactions(stack, 'Second') })).not.toThrow();
  });
});

describe('KMS keys (the API model\'s KmsKeyArn: a key ARN, never an alias)', () => {
  test.each<[string, (stack: Stack, key: kms.IKey) => unknown, RegExp]>([
    ['a dataset group', (stack, key) => new DatasetGroup(stack, 'G', { encryptionKey: key }), /invalid dataset group at 'Rules\/G'.*\n.*encryptionKey is the alias alias\/personalize/],
    ['a metric attribution\'s destination', (stack, key) => new MetricAttribution(stack, 'M', {
      datasetGroup: DatasetGroup.fromDatasetGroupArn(stack, 'G', GROUP_ARN),
      metrics: [{ metricName: 'CLICKS', eventType: 'click', expression: MetricExpression.sampleCount() }],
      s3Destination: { bucket: new s3.Bucket(stack, 'B'), encryptionKey: key },
    }), /s3Destination.encryptionKey is the alias alias\/personalize/],
  ])('an alias for %s fails', (_, build, message) => {
    const stack = newStack();
    expect(thrownBy(() => build(stack, kms.Alias.fromAliasName(stack, 'Alias', 'alias/personalize')))).toMatch(message);
  });

  test('an alias ARN imported as a key fails; a key ARN and a key of the stack pass', () => {
    const stack = newStack();
    expect(thrownBy(() => new DatasetGroup(stack, 'G1', { encryptionKey: kms.Key.fromKeyArn(stack, 'K1', 'arn:aws:kms:us-west-2:123456789012:alias/personalize') })))
      .toMatch(/encryptionKey has the ARN arn:aws:kms:us-west-2:123456789012:alias\/personalize: Personalize takes a key ARN/);
    new DatasetGroup(stack, 'G2', { encryptionKey: kms.Key.fromKeyArn(stack, 'K2', 'arn:aws:kms:us-west-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab') });
    new DatasetGroup(stack, 'G3', { encryptionKey: new kms.Key(stack, 'K3') });
  });
});

describe('solutions: the columns they name, against the group\'s schemas (CreateSolution: itemAttribute is a numeric Items column)', () => {
  test.each<[string, Record<string, unknown>, RegExp]>([
    ['an item attribute the Items schema lacks', { optimizationObjective: { itemAttribute: 'MARGIN' } },
      /optimizationObjective.itemAttribute is 'MARGIN': the Items schema has no such field \(it has ITEM_ID, GENRES, PRICE\)/],
    ['an item attribute that is not numeric', { optimizationObjective: { itemAttribute: 'GENRES' } },
      /optimizationObjective.itemAttribute is 'GENRES': the objective needs a numeric Items column .*; GENRES is string/],
    ['an excluded column the schema lacks', { excludedDatasetColumns: { items: ['COLOR'] } },
      /excludedDatasetColumns.items is 'COLOR': the Items schema has no such field \(it has ITEM_ID, GENRES, PRICE\)/],
    ['an included column of a dataset the group lacks', { includedDatasetColumns: { users: ['AGE'] } },
      /includedDatasetColumns.users names Users columns, but dataset group Rules\/Group has no Users dataset in this app/],
  ])('%s fails at synth, typed and untyped', (_, extra, message) => {
    for (const props of [extra, js(JSON.parse(JSON.stringify(extra)))]) {
      const { stack, datasetGroup } = customGroup();
      new Solution(stack, 'S', { datasetGroup, recipe: Recipe.USER_PERSONALIZATION, ...props });
      expect(synthError(stack)).toMatch(message);
    }
  });

  test('a numeric item attribute and existing columns pass', () => {
    const { stack, datasetGroup } = customGroup();
    new Solution(stack, 'S', {
      datasetGroup, recipe: Recipe.USER_PERSONALIZATION, optimizationObjective: { itemAttribute: 'PRICE' }, excludedDatasetColumns: { items: ['GENRES'] },
    });
    expect(warnings(stack)).toEqual([]);
  });

  test('excluding a required column fails ("Choosing the data used for training")', () => {
    const { stack, datasetGroup } = customGroup();
    expect(thrownBy(() => new Solution(stack, 'S', { datasetGroup, recipe: Recipe.USER_PERSONALIZATION_V2, excludedDatasetColumns: { interactions: ['TIMESTAMP'] } })))
      .toMatch(/excludedDatasetColumns.interactions is 'TIMESTAMP': cannot be excluded from training: USER_ID, ITEM_ID, TIMESTAMP, EVENT_TYPE are always used/);
  });

  test('on an imported group the columns warn that they could not be checked', () => {
    const stack = newStack();
    new Solution(stack, 'S', {
      datasetGroup: DatasetGroup.fromDatasetGroupArn(stack, 'G', GROUP_ARN), recipe: Recipe.USER_PERSONALIZATION, optimizationObjective: { itemAttribute: 'PRICE' },
    });
    expect(warnings(stack)).toEqual([expect.stringMatching(/the dataset group Rules\/G is imported: the columns of optimizationObjective.* are not checked against its schemas/)]);
  });
});

describe('filters ("Filtering recommendations": a filter reads fields its datasets have)', () => {
  test('EVENT_TYPE of an Interactions schema without it fails', () => {
    const { stack, datasetGroup } = customGroup({ eventType: false });
    new Filter(stack, 'Bought', { datasetGroup, expression: FilterExpression.excludeItems(FilterField.eventType().isIn(FilterValue.strings('purchase'))) });
    expect(synthError(stack)).toMatch(/invalid filter at 'Rules\/Bought'.*\n.*Interactions.EVENT_TYPE: the Interactions schema has no field EVENT_TYPE .*add SchemaField.ofString\('EVENT_TYPE'\)/);
  });
});

describe('recommenders', () => {
  test('a CurrentItem filter on a use case without a current item fails ("Filtering recommendations")', () => {
    const { stack, datasetGroup } = ecommerceGroup();
    const sameCategory = new Filter(stack, 'SameCategory', {
      datasetGroup, expression: FilterExpression.includeItems(FilterField.item('CATEGORY_L1').isIn(FilterValue.currentItem('CATEGORY_L1'))),
    });
    expect(thrownBy(() => new Recommender(stack, 'ForYou', { datasetGroup, useCase: RecommenderUseCase.RECOMMENDED_FOR_YOU, filters: [sameCategory] })))
      .toMatch(/filter Rules\/SameCategory uses CurrentItem, which only use cases of related items have .*; aws-ecomm-recommended-for-you has none/);
    const related = new Recommender(stack, 'AlsoViewed', { datasetGroup, useCase: RecommenderUseCase.CUSTOMERS_WHO_VIEWED_X_ALSO_VIEWED, filters: [sameCategory] });
    expect(() => related.addFilter(sameCategory)).not.toThrow();
    const forYou = new Recommender(stack, 'Picks', { datasetGroup, useCase: RecommenderUseCase.BEST_SELLERS });
    expect(() => forYou.addFilter(sameCategory)).toThrow(/uses CurrentItem/);
  });

  test.each<[string, Record<string, string[]>, RegExp]>([
    ['a required column', { interactions: ['EVENT_TYPE'] }, /excludedDatasetColumns.interactions is 'EVENT_TYPE': cannot be excluded from training/],
    ['a column name against the API pattern', { items: ['2ND'] }, /excludedDatasetColumns.items is '2ND': must match/],
    ['more than 50 columns', { items: Array.from({ length: 51 }, (_, i) => `C${i}`) }, /excludedDatasetColumns.items is 51: at most 50 columns/],
  ])('excluding %s fails at construction', (_, columns, message) => {
    const { stack, datasetGroup } = ecommerceGroup();
    expect(thrownBy(() => new Recommender(stack, 'R', { datasetGroup, useCase: RecommenderUseCase.RECOMMENDED_FOR_YOU, excludedDatasetColumns: columns })))
      .toMatch(message);
  });

  test('excluding a column the schema lacks fails at synth; an existing metadata column passes', () => {
    const { stack, datasetGroup } = ecommerceGroup();
    new Recommender(stack, 'R', { datasetGroup, useCase: RecommenderUseCase.RECOMMENDED_FOR_YOU, excludedDatasetColumns: { interactions: ['DEVICE'], items: ['BRAND'] } });
    expect(synthError(stack)).toMatch(/excludedDatasetColumns.items is 'BRAND': the Items schema has no such field \(it has ITEM_ID, PRICE, CATEGORY_L1\)/);
  });
});

describe('metric attributions ("Measuring the impact of recommendations": metrics count events by EVENT_TYPE)', () => {
  test('an Interactions schema without EVENT_TYPE fails', () => {
    const { stack, datasetGroup } = customGroup({ eventType: false });
    new MetricAttribution(stack, 'Impact', { datasetGroup, metrics: [{ metricName: 'CLICKS', eventType: 'click', expression: MetricExpression.sampleCount() }] });
    expect(synthError(stack)).toMatch(/invalid metric attribution at 'Rules\/Impact'.*\n.*the Interactions schema of dataset group Rules\/Group has no EVENT_TYPE field/);
  });

  test('an imported group warns that EVENT_TYPE could not be checked', () => {
    const stack = newStack();
    new MetricAttribution(stack, 'Impact', {
      datasetGroup: DatasetGroup.fromDatasetGroupArn(stack, 'G', GROUP_ARN), metrics: [{ metricName: 'CLICKS', eventType: 'click', expression: MetricExpression.sampleCount() }],
    });
    expect(warnings(stack)).toEqual([expect.stringMatching(/the dataset group Rules\/G is imported: its Interactions schema is not checked for EVENT_TYPE/)]);
  });
});

describe('per-group quotas that can be raised warn (the quotas page: 10 solutions, 5 campaigns)', () => {
  test('an 11th solution and a 6th campaign of a group warn once, naming the quota', () => {
    const { stack, datasetGroup } = customGroup();
    const solutions = Array.from({ length: 11 }, (_, i) => new Solution(stack, `S${i}`, { datasetGroup, recipe: Recipe.USER_PERSONALIZATION_V2 }));
    const version = solutions[0].addVersion('V');
    for (let i = 0; i < 6; i++) {
      new Campaign(stack, `C${i}`, { solutionVersion: version });
    }
    expect(warnings(stack)).toEqual([
      expect.stringMatching(/dataset group Rules\/Group has 11 solutions: the default quota is 10 active solutions per dataset group/),
      expect.stringMatching(/dataset group Rules\/Group has 6 campaigns: the default quota is 5 active campaigns per dataset group/),
    ]);
  });

  test('at the quota nothing warns', () => {
    const { stack, datasetGroup } = customGroup();
    const version = new Solution(stack, 'S', { datasetGroup, recipe: Recipe.USER_PERSONALIZATION_V2 }).addVersion('V');
    for (let i = 0; i < 5; i++) {
      new Campaign(stack, `C${i}`, { solutionVersion: version });
    }
    expect(warnings(stack)).toEqual([]);
  });
});

test('fractional days of explorationItemAgeCutOff are accepted (the User-Personalization page: a positive float, at least one day)', () => {
  const { stack, datasetGroup } = customGroup();
  const version = new Solution(stack, 'S', { datasetGroup, recipe: Recipe.USER_PERSONALIZATION }).addVersion('V');
  new Campaign(stack, 'C', { solutionVersion: version, explorationItemAgeCutOff: Duration.hours(36) });
  expect(warnings(stack)).toEqual([]);
});

describe('the same rules for callers without a type checker (plain objects, as JavaScript sends them)', () => {
  test('a second Interactions dataset, an alias, a CurrentItem filter on a recommender, a metric attribution without EVENT_TYPE', () => {
    const custom = customGroup({ eventType: false });
    expect(thrownBy(() => new Dataset(custom.stack, 'Again', js({ datasetGroup: custom.datasetGroup, schema: Schema.interactions(custom.stack, 'Again2') }))))
      .toMatch(/already has the Interactions dataset Rules\/Interactions/);
    expect(thrownBy(() => new DatasetGroup(custom.stack, 'G', js({ encryptionKey: kms.Alias.fromAliasName(custom.stack, 'A', 'alias/x') }))))
      .toMatch(/encryptionKey is the alias alias\/x/);
    new MetricAttribution(custom.stack, 'Impact', js({
      datasetGroup: custom.datasetGroup, metrics: [{ metricName: 'CLICKS', eventType: 'click', expression: MetricExpression.sampleCount() }],
    }));
    expect(synthError(custom.stack)).toMatch(/has no EVENT_TYPE field/);

    const shop = ecommerceGroup();
    const filter = new Filter(shop.stack, 'Same', js({
      datasetGroup: shop.datasetGroup, expression: FilterExpression.includeItems(FilterField.item('CATEGORY_L1').isIn(FilterValue.currentItem('CATEGORY_L1'))),
    }));
    expect(thrownBy(() => new Recommender(shop.stack, 'R', js({ datasetGroup: shop.datasetGroup, useCase: RecommenderUseCase.RECOMMENDED_FOR_YOU, filters: [filter] }))))
      .toMatch(/uses CurrentItem/);
    expect(thrownBy(() => new Recommender(shop.stack, 'R2', js({
      datasetGroup: shop.datasetGroup, useCase: RecommenderUseCase.BEST_SELLERS, excludedDatasetColumns: { interactions: ['USER_ID'] },
    })))).toMatch(/excludedDatasetColumns.interactions is 'USER_ID': cannot be excluded/);
  });
});
