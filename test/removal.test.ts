import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Campaign, Dataset, DatasetGroup, DatasetGroupDomain, Recipe, Recommender, RecommenderUseCase, Schema, Solution } from '../src';

const RETAIN_EXCEPT_ON_CREATE = { DeletionPolicy: 'RetainExceptOnCreate', UpdateReplacePolicy: 'Retain' };
const DELETE = { DeletionPolicy: 'Delete', UpdateReplacePolicy: 'Delete' };

function app(build: (stack: Stack) => void): Template {
  const stack = new Stack(new App(), 'TestStack', { env: { account: '123456789012', region: 'us-west-2' } });
  build(stack);
  return Template.fromStack(stack);
}

/** Type → the DeletionPolicy and UpdateReplacePolicy of each resource of that type. */
function policies(template: Template, ...types: string[]): Record<string, Array<{ DeletionPolicy?: string; UpdateReplacePolicy?: string }>> {
  return Object.fromEntries(types.map(type => [type, Object.values(template.findResources(type))
    .map(r => ({ DeletionPolicy: r.DeletionPolicy, UpdateReplacePolicy: r.UpdateReplacePolicy }))]));
}

const DATA_TYPES = ['AWS::Personalize::DatasetGroup', 'AWS::Personalize::Dataset', 'AWS::Personalize::Schema', 'Custom::PersonalizeSolution',
  'Custom::PersonalizeSolutionVersion', 'Custom::PersonalizeTrainingResult'];

function servedSolution(stack: Stack, group: { removalPolicy?: RemovalPolicy } = {}, campaign: { removalPolicy?: RemovalPolicy } = {},
  solution: { removalPolicy?: RemovalPolicy } = {}) {
  const datasetGroup = new DatasetGroup(stack, 'Group', group);
  new Dataset(stack, 'Interactions', { datasetGroup, schema: Schema.interactions(stack, 'Schema', {}) });
  const s = new Solution(stack, 'ForYou', { datasetGroup, recipe: Recipe.USER_PERSONALIZATION_V2, ...solution });
  new Campaign(stack, 'Campaign', { solutionVersion: s.addVersion('Version', { outputs: false }), ...campaign });
  return { datasetGroup, solution: s };
}

test('by default data and trained models are kept (except when their create rolls back); the billed campaign is not', () => {
  const template = app(stack => servedSolution(stack));
  for (const [type, found] of Object.entries(policies(template, ...DATA_TYPES))) {
    expect({ type, found }).toEqual({ type, found: [RETAIN_EXCEPT_ON_CREATE] });
  }
  expect(policies(template, 'AWS::Personalize::Campaign', 'Custom::PersonalizeCampaignReady')).toEqual({
    'AWS::Personalize::Campaign': [DELETE], 'Custom::PersonalizeCampaignReady': [DELETE],
  });
});

test('the dataset group\'s policy is the default of its datasets, their schema and its solutions, also when applied afterwards', () => {
  const template = app(stack => {
    const { datasetGroup } = servedSolution(stack);
    datasetGroup.applyRemovalPolicy(RemovalPolicy.DESTROY);
  });
  for (const [type, found] of Object.entries(policies(template, ...DATA_TYPES))) {
    expect({ type, found }).toEqual({ type, found: [DELETE] });
  }
});

test('a retained dataset keeps the schema it uses, under a dataset group that keeps it too', () => {
  const template = app(stack => {
    const datasetGroup = new DatasetGroup(stack, 'Group', { removalPolicy: RemovalPolicy.RETAIN });
    new Dataset(stack, 'Interactions', { datasetGroup, schema: Schema.interactions(stack, 'Schema', {}), removalPolicy: RemovalPolicy.RETAIN });
  });
  expect(policies(template, 'AWS::Personalize::Schema', 'AWS::Personalize::Dataset')).toEqual({
    'AWS::Personalize::Schema': [{ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' }],
    'AWS::Personalize::Dataset': [{ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' }],
  });
});

test('a retained dataset group keeps the role that lets Personalize use its key', () => {
  const template = app(stack => new DatasetGroup(stack, 'Group', { encryptionKey: new kms.Key(stack, 'Key') }));
  expect(policies(template, 'AWS::IAM::Role', 'AWS::IAM::Policy')).toEqual({
    'AWS::IAM::Role': [RETAIN_EXCEPT_ON_CREATE], 'AWS::IAM::Policy': [RETAIN_EXCEPT_ON_CREATE],
  });
});

test.each([
  ['a retained dataset under a destroyed dataset group', (stack: Stack) => {
    const datasetGroup = new DatasetGroup(stack, 'Group', { removalPolicy: RemovalPolicy.DESTROY });
    new Dataset(stack, 'Interactions', { datasetGroup, schema: Schema.interactions(stack, 'Schema', {}), removalPolicy: RemovalPolicy.RETAIN });
  }, /dataset at 'TestStack\/Interactions' is retained \(removalPolicy retain\) but its dataset group at 'TestStack\/Group' is destroyed \(removalPolicy destroy\): Personalize deletes a dataset group only once its datasets are gone/],
  ['a retained campaign over a destroyed solution', (stack: Stack) => servedSolution(stack, {}, { removalPolicy: RemovalPolicy.RETAIN }, { removalPolicy: RemovalPolicy.DESTROY }),
    /campaign at 'TestStack\/Campaign' is retained .* but its solution at 'TestStack\/ForYou' is destroyed .*: Personalize deletes a solution only once no campaign serves it/],
  ['a retained solution under a destroyed dataset group', (stack: Stack) => servedSolution(stack, { removalPolicy: RemovalPolicy.DESTROY }, {}, { removalPolicy: RemovalPolicy.RETAIN }),
    /solution at 'TestStack\/ForYou' is retained .* but its dataset group at 'TestStack\/Group' is destroyed/],
  ['a retained recommender under a destroyed dataset group', (stack: Stack) => new Recommender(stack, 'ForYou', {
    datasetGroup: new DatasetGroup(stack, 'Group', { domain: DatasetGroupDomain.ECOMMERCE, removalPolicy: RemovalPolicy.DESTROY }),
    useCase: RecommenderUseCase.RECOMMENDED_FOR_YOU,
    removalPolicy: RemovalPolicy.RETAIN,
  }), /recommender at 'TestStack\/ForYou' is retained .* its dataset group at 'TestStack\/Group' is destroyed/],
])('fails at synth: %s (the stack\'s delete would fail)', (_, build, message) => {
  expect(() => app(build)).toThrow(message);
});

test('a snapshot is refused: Personalize resources have none', () => {
  expect(() => app(stack => new DatasetGroup(stack, 'Group', { removalPolicy: RemovalPolicy.SNAPSHOT })))
    .toThrow(/dataset group at '[^']+' removalPolicy is the string "snapshot": must be RemovalPolicy.DESTROY, RETAIN or RETAIN_ON_UPDATE_OR_DELETE/);
});
