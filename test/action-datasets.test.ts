import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Dataset, DatasetGroup, DatasetGroupDomain, DatasetType, Recipe, Schema, SchemaField, Solution } from '../src';

/** Actions and Action interactions datasets, for Next-Best-Action (actions-datasets.md, action-dataset-requirements.md). */

function stack(): Stack {
  return new Stack(new App(), 'TestStack', { env: { account: '123456789012', region: 'us-west-2' } });
}

function schemaJson(schema: Schema): any {
  return JSON.parse(schema.schemaJson);
}

describe('schemas', () => {
  test('Schema.actions adds ACTION_ID; Schema.actionInteractions adds USER_ID, ACTION_ID, TIMESTAMP and EVENT_TYPE', () => {
    const s = stack();
    const actions = Schema.actions(s, 'Actions', { fields: [SchemaField.ofLong('VALUE'), SchemaField.categorical('CHANNEL')] });
    expect(schemaJson(actions).fields.map((f: any) => [f.name, f.type])).toEqual([['ACTION_ID', 'string'], ['VALUE', 'long'], ['CHANNEL', 'string']]);
    expect(actions.datasetType).toBe(DatasetType.ACTIONS);
    const interactions = Schema.actionInteractions(s, 'ActionInteractions');
    expect(schemaJson(interactions).fields.map((f: any) => [f.name, f.type])).toEqual([
      ['USER_ID', 'string'], ['ACTION_ID', 'string'], ['TIMESTAMP', 'long'], ['EVENT_TYPE', 'string'],
    ]);
    expect(Annotations.fromStack(s).findWarning('*', Match.anyValue())).toHaveLength(0);
  });

  // actions-datasets.md: at least one metadata column, at most 10 columns.
  test('an Actions schema needs a field besides ACTION_ID, and has at most 10 fields', () => {
    expect(() => Schema.actions(stack(), 'Bare', { fields: [] })).toThrow(/an Actions schema needs at least one field besides ACTION_ID/);
    const eleven = Array.from({ length: 10 }, (_, i) => SchemaField.categorical(`C${i}`));
    expect(() => Schema.actions(stack(), 'Wide', { fields: eleven })).toThrow(/11 fields.*an Actions schema has at most 10 fields in all/);
  });

  test('reserved fields of the wrong type: documented ones fail, unsure ones warn', () => {
    expect(() => Schema.actions(stack(), 'Expiry', { fields: [SchemaField.ofString('ACTION_EXPIRATION_TIMESTAMP')] }))
      .toThrow(/ACTION_EXPIRATION_TIMESTAMP/);
    const s = stack();
    Schema.actions(s, 'Value', { fields: [SchemaField.ofDouble('VALUE')] });
    Annotations.fromStack(s).hasWarning('/TestStack/Value', Match.stringLikeRegexp('VALUE'));
    expect(() => Schema.actionInteractions(stack(), 'NoEvent', { fields: [SchemaField.ofLong('EVENT_TYPE')] })).toThrow(/EVENT_TYPE/);
  });
});

describe('datasets', () => {
  test('an Actions dataset is a Custom::PersonalizeDataset (CloudFormation cannot create one); its import waits like any other', () => {
    const s = stack();
    const datasetGroup = new DatasetGroup(s, 'Group', { datasetGroupName: 'shop' });
    const dataset = new Dataset(s, 'Actions', {
      datasetGroup,
      schema: Schema.actions(s, 'Schema', { fields: [SchemaField.ofLong('VALUE')] }),
      importSource: { bucket: new s3.Bucket(s, 'Data'), prefix: 'actions/' },
    });
    const template = Template.fromStack(s);
    template.resourceCountIs('AWS::Personalize::Dataset', 0);
    template.hasResourceProperties('Custom::PersonalizeDataset', {
      name: Match.anyValue(), datasetType: 'Actions', datasetGroupArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Group'), 'DatasetGroupArn'] },
    });
    template.hasResourceProperties('Custom::PersonalizeDatasetImport', { datasetArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Actions'), 'DatasetArn'] } });
    expect(dataset.datasetType).toBe(DatasetType.ACTIONS);
    // The provider's policy names the dataset by the ARN it will have, so it need not wait for the dataset.
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Action: ['personalize:CreateDataset', 'personalize:DescribeDataset', 'personalize:DeleteDataset'],
          Resource: Match.arrayWith(['arn:aws:personalize:us-west-2:123456789012:dataset/shop/ACTIONS']),
        })]),
      },
    });
  });

  // action-interactions-datasets.md: no next best action resources in a domain dataset group.
  test('a domain dataset group takes no action datasets', () => {
    const s = stack();
    const datasetGroup = new DatasetGroup(s, 'Group', { domain: DatasetGroupDomain.ECOMMERCE });
    expect(() => new Dataset(s, 'Actions', { datasetGroup, schema: Schema.actionInteractions(s, 'Schema') }))
      .toThrow(/datasetType is 'Action_Interactions': is for custom dataset groups only/);
  });
});

describe('Next-Best-Action', () => {
  // datasets-schemas-overview.md: "For the Next-Best-Action recipe, the Actions dataset is required."
  test('a solution of an owned group without an Actions dataset fails synth; with one it passes', () => {
    const s = stack();
    const datasetGroup = new DatasetGroup(s, 'Group', { datasetGroupName: 'shop' });
    new Solution(s, 'Nba', { datasetGroup, recipe: Recipe.NEXT_BEST_ACTION });
    expect(() => Template.fromStack(s)).toThrow(/recipe aws-next-best-action needs an Actions dataset in dataset group TestStack\/Group/);

    const t = stack();
    const group = new DatasetGroup(t, 'Group', { datasetGroupName: 'shop' });
    new Solution(t, 'Nba', { datasetGroup: group, recipe: Recipe.NEXT_BEST_ACTION });
    new Dataset(t, 'Actions', { datasetGroup: group, schema: Schema.actions(t, 'Schema', { fields: [SchemaField.categorical('CHANNEL')] }) });
    Template.fromStack(t).resourceCountIs('Custom::PersonalizeSolution', 1);
  });

  test('an imported group is taken as it is: its datasets are not known', () => {
    const s = stack();
    const datasetGroup = DatasetGroup.fromDatasetGroupArn(s, 'Group', 'arn:aws:personalize:us-west-2:123456789012:dataset-group/shop');
    new Solution(s, 'Nba', { datasetGroup, recipe: Recipe.NEXT_BEST_ACTION });
    Template.fromStack(s).resourceCountIs('Custom::PersonalizeSolution', 1);
  });
});
