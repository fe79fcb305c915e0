import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Dataset, DatasetGroup, MetricAttribution, MetricExpression, Schema, SchemaField } from '../src';
import { synthError } from './fixtures/synth-error';

const TYPE = 'AWS::Personalize::MetricAttribution';

/** A dataset group with Interactions (EVENT_VALUE float) and Items (PRICE float, GENRES categorical). */
function group(options: { items?: boolean } = {}): { stack: Stack; datasetGroup: DatasetGroup } {
  const stack = new Stack(new App(), 'TestStack', { env: { account: '123456789012', region: 'us-west-2' } });
  const datasetGroup = new DatasetGroup(stack, 'Group');
  new Dataset(stack, 'Interactions', {
    datasetGroup,
    schema: Schema.interactions(stack, 'InteractionsSchema', { fields: [SchemaField.ofString('EVENT_TYPE'), SchemaField.ofFloat('EVENT_VALUE')] }),
  });
  if (options.items ?? true) {
    new Dataset(stack, 'Items', {
      datasetGroup, schema: Schema.items(stack, 'ItemsSchema', { fields: [SchemaField.ofFloat('PRICE'), SchemaField.categorical('GENRES')] }),
    });
  }
  return { stack, datasetGroup };
}


const clicks = { metricName: 'CLICKS', eventType: 'click', expression: MetricExpression.sampleCount() };
const revenue = { metricName: 'REVENUE', eventType: 'purchase', expression: MetricExpression.sumOfItems('PRICE') };

test('renders the metrics, a role Personalize assumes to publish them, and waits for the datasets it sums', () => {
  const { stack, datasetGroup } = group();
  const attribution = new MetricAttribution(stack, 'Impact', { datasetGroup, metrics: [clicks, revenue] });
  const t = Template.fromStack(stack);
  t.hasResourceProperties(TYPE, {
    Name: Match.stringLikeRegexp('^TestStackImpact[0-9A-F]{8}-[0-9a-f]{8}$'),
    DatasetGroupArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Group'), 'DatasetGroupArn'] },
    Metrics: [
      { EventType: 'click', MetricName: 'CLICKS', Expression: 'SAMPLECOUNT()' },
      { EventType: 'purchase', MetricName: 'REVENUE', Expression: 'SUM(Items.PRICE)' },
    ],
    MetricsOutputConfig: { RoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ImpactRole'), 'Arn'] } },
  });
  t.hasResourceProperties('AWS::IAM::Role', {
    AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'personalize.amazonaws.com' } })] },
  });
  t.hasResourceProperties('AWS::IAM::Policy', {
    PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 'cloudwatch:PutMetricData', Resource: '*' })]) },
  });
  const [resource] = Object.values(t.findResources(TYPE)) as any[];
  expect(resource.DependsOn).toEqual(expect.arrayContaining([
    expect.stringMatching(/^Interactions/), expect.stringMatching(/^Items/), expect.stringMatching(/^ImpactRoleDefaultPolicy/),
  ]));
  expect(attribution.metricAttributionName).toMatch(/^TestStackImpact/);
});

test('a changed list of metrics gets a new generated name, so its replacement never collides with the old one', () => {
  const name = (metrics: any[]) => {
    const { stack, datasetGroup } = group();
    return new MetricAttribution(stack, 'Impact', { datasetGroup, metrics }).metricAttributionName;
  };
  expect(name([clicks])).toBe(name([clicks]));
  expect(name([clicks])).not.toBe(name([clicks, revenue]));
});

test('an S3 destination: the path, the key, and a role that may write there', () => {
  const { stack, datasetGroup } = group();
  const bucket = new s3.Bucket(stack, 'Reports');
  const key = new kms.Key(stack, 'Key');
  new MetricAttribution(stack, 'Impact', { datasetGroup, metrics: [clicks], s3Destination: { bucket, prefix: 'metrics/', encryptionKey: key } });
  const t = Template.fromStack(stack);
  t.hasResourceProperties(TYPE, {
    MetricsOutputConfig: {
      S3DataDestination: {
        Path: { 'Fn::Join': ['', ['s3://', { Ref: Match.stringLikeRegexp('^Reports') }, '/metrics/']] },
        KmsKeyArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Key'), 'Arn'] },
      },
    },
  });
  t.hasResourceProperties('AWS::IAM::Policy', {
    PolicyDocument: {
      Statement: Match.arrayWith([
        Match.objectLike({ Action: Match.arrayWith(['s3:PutObject']), Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^Reports'), 'Arn'] }, '/metrics/*']] } }),
        Match.objectLike({ Action: Match.arrayWith(['kms:Encrypt']) }),
      ]),
    },
  });
});

test('a role of the caller\'s is used as it is', () => {
  const { stack, datasetGroup } = group();
  const role = iam.Role.fromRoleArn(stack, 'Role', 'arn:aws:iam::123456789012:role/metrics');
  new MetricAttribution(stack, 'Impact', { datasetGroup, metrics: [clicks], role });
  const t = Template.fromStack(stack);
  t.hasResourceProperties(TYPE, { MetricsOutputConfig: { RoleArn: 'arn:aws:iam::123456789012:role/metrics' } });
  t.resourceCountIs('AWS::IAM::Role', 0);
});

describe('synth refuses', () => {
  test.each([
    ['a column the schema lacks', MetricExpression.sumOfItems('COST'), /metric M \(SUM\(Items.COST\)\): the Items schema has no field COST; it has ITEM_ID, PRICE, GENRES/],
    ['a column that is not numeric', MetricExpression.sumOfItems('GENRES'), /SUM\(\) needs a numeric column \(int, long, float or double\); GENRES is string/],
  ])('%s', (_what, expression, message) => {
    const { stack, datasetGroup } = group();
    new MetricAttribution(stack, 'Impact', { datasetGroup, metrics: [{ metricName: 'M', eventType: 'e', expression }] });
    expect(synthError(stack)).toMatch(message);
  });

  test('a sum over a dataset the group does not have', () => {
    const { stack, datasetGroup } = group({ items: false });
    new MetricAttribution(stack, 'Impact', { datasetGroup, metrics: [revenue] });
    expect(synthError(stack)).toMatch(/metric REVENUE \(SUM\(Items.PRICE\)\): dataset group TestStack\/Group has no Items dataset in this app/);
  });

  test('two metric attributions on one dataset group', () => {
    const { stack, datasetGroup } = group();
    new MetricAttribution(stack, 'One', { datasetGroup, metrics: [clicks] });
    new MetricAttribution(stack, 'Two', { datasetGroup, metrics: [revenue] });
    expect(synthError(stack)).toMatch(/dataset group TestStack\/Group has 2 metric attributions \(TestStack\/One, TestStack\/Two\): Personalize allows one per dataset group/);
  });

  test('no metrics, more than 10, a name used twice, too long an event type, a bad name', () => {
    const { stack, datasetGroup } = group();
    expect(() => new MetricAttribution(stack, 'A', { datasetGroup, metrics: [] })).toThrow(/metrics.*must list 1 to 10 metrics/);
    const many = Array.from({ length: 11 }, (_, i) => ({ ...clicks, metricName: `M${i}` }));
    expect(() => new MetricAttribution(stack, 'B', { datasetGroup, metrics: many })).toThrow(/11 metrics.*must list 1 to 10 metrics/);
    expect(() => new MetricAttribution(stack, 'C', { datasetGroup, metrics: [clicks, clicks] })).toThrow(/metrics\[1\]\.metricName.*CLICKS.*must be unique/);
    // Personalize upper-cases the names: these two are one.
    expect(() => new MetricAttribution(stack, 'CaseOnly', { datasetGroup, metrics: [clicks, { ...clicks, metricName: 'Clicks' }] }))
      .toThrow(/metrics\[1\]\.metricName.*Clicks.*must be unique in the metric attribution, whatever the case/);
    expect(() => new MetricAttribution(stack, 'D', { datasetGroup, metrics: [{ ...clicks, eventType: 'e'.repeat(257) }] })).toThrow(/metrics\[0\]\.eventType/);
    expect(() => new MetricAttribution(stack, 'E', { datasetGroup, metrics: [clicks], metricAttributionName: 'has space' })).toThrow(/metricAttributionName/);
  });

  test('a column that is not a column name', () => {
    expect(() => MetricExpression.sumOfItems('PRICE) + SUM(Items.COST')).toThrow(/MetricExpression.sumOfItems: column is .*must be a dataset column name/);
    expect(() => MetricExpression.sumOfInteractions(42 as any)).toThrow(/MetricExpression.sumOfInteractions: column is number 42/);
  });

  test('callers without a type checker: an unknown key, a string for an expression', () => {
    const { stack, datasetGroup } = group();
    expect(() => new MetricAttribution(stack, 'A', { datasetGroup, metrics: [clicks], output: 's3' } as any))
      .toThrow(/metric attribution at '[^']+': unknown key 'output'; MetricAttributionProps has datasetGroup, metrics/);
    // A value of the wrong kind fails first; values of the right kind are collected with the other problems.
    expect(() => new MetricAttribution(stack, 'B', { datasetGroup, metrics: [{ ...clicks, expression: 'SAMPLECOUNT()' as any }] }))
      .toThrow(/metric attribution at 'TestStack\/B' metrics\[0\]\.expression is the string "SAMPLECOUNT\(\)": must be a MetricExpression/);
    expect(() => new MetricAttribution(stack, 'C', { datasetGroup, metrics: [{ ...clicks, metricName: '' }, { ...clicks, eventType: '' }] }))
      .toThrow(/invalid metric attribution at 'TestStack\/C' \(2 problems\):\n  - metrics\[0\]\.metricName.*\n  - metrics\[1\]\.eventType/);
  });
});

test('an imported dataset group: sums are not checked, and synth says so', () => {
  const stack = new Stack(new App(), 'TestStack', { env: { account: '123456789012', region: 'us-west-2' } });
  const datasetGroup = DatasetGroup.fromDatasetGroupArn(stack, 'Group', 'arn:aws:personalize:us-west-2:123456789012:dataset-group/g');
  new MetricAttribution(stack, 'Impact', { datasetGroup, metrics: [revenue, { metricName: 'RAW', eventType: 'e', expression: MetricExpression.of('SUM(Interactions.X)') }] });
  Annotations.fromStack(stack).hasWarning('/TestStack/Impact', Match.stringLikeRegexp('is imported: its Interactions schema is not checked for EVENT_TYPE, nor the columns the metrics sum'));
  Template.fromStack(stack).hasResourceProperties(TYPE, { Metrics: Match.arrayWith([Match.objectLike({ Expression: 'SUM(Interactions.X)' })]) });
});

test('fromMetricAttributionArn', () => {
  const stack = new Stack(new App(), 'TestStack');
  const imported = MetricAttribution.fromMetricAttributionArn(stack, 'M', 'arn:aws:personalize:us-west-2:123456789012:metric-attribution/m');
  expect(imported.metricAttributionArn).toBe('arn:aws:personalize:us-west-2:123456789012:metric-attribution/m');
  expect(imported.env.region).toBe('us-west-2');
});
