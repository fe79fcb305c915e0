import { RemovalPolicy } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { E2E, synthStack, removeAssemblies, destroyAndCheckLeftovers, okCalls } from './harness';
import { Dataset, DatasetGroup, MetricAttribution, MetricExpression, Schema, SchemaField } from '../../src';

/**
 * A metric attribution deployed, changed and deleted as CloudFormation does it. The simulator
 * refuses a second attribution on a dataset group ([U], modelled strictly), so a replacement,
 * created before the old one goes, fails; the rollback must keep the old one.
 */

jest.setTimeout(60_000);

const STACK = 'E2eMetricAttribution';
const TYPE = 'AWS::Personalize::MetricAttribution';

function app(options: { withRevenue?: boolean; toS3?: boolean }): string {
  return synthStack(STACK, stack => {
    const datasetGroup = new DatasetGroup(stack, 'Group', { removalPolicy: RemovalPolicy.DESTROY, datasetGroupName: 'e2e-metrics' });
    new Dataset(stack, 'Interactions', {
      datasetGroup, schema: Schema.interactions(stack, 'Schema', { fields: [SchemaField.ofString('EVENT_TYPE')] }),
    });
    new Dataset(stack, 'Items', { datasetGroup, schema: Schema.items(stack, 'ItemsSchema', { fields: [SchemaField.ofFloat('PRICE')] }) });
    const metrics = [{ metricName: 'CLICKS', eventType: 'click', expression: MetricExpression.sampleCount() }];
    if (options.withRevenue) {
      metrics.push({ metricName: 'REVENUE', eventType: 'purchase', expression: MetricExpression.sumOfItems('PRICE') });
    }
    new MetricAttribution(stack, 'Impact', {
      datasetGroup,
      metrics,
      s3Destination: options.toS3 ? { bucket: new s3.Bucket(stack, 'Reports'), prefix: 'metrics/' } : undefined,
    });
  });
}

let e2e: E2E | undefined;

afterEach(async () => {
  await e2e?.close();
  e2e = undefined;
});

afterAll(() => removeAssemblies());


test('deployed ACTIVE after its datasets; an S3 destination is added in place; the destroy deletes it before the datasets', async () => {
  e2e = await E2E.start();
  const first = await e2e.deploy(app({ withRevenue: true }), STACK);
  expect({ status: first.status, reason: first.failureReason }).toEqual({ status: 'CREATE_COMPLETE', reason: undefined });
  const [attribution] = e2e.physicalIdsOf(STACK, TYPE);
  expect(e2e.snapshot().metricAttributions).toEqual([expect.objectContaining({ arn: attribution, status: 'ACTIVE' })]);

  const toS3 = await e2e.deploy(app({ withRevenue: true, toS3: true }), STACK);

  expect({ status: toS3.status, reason: toS3.failureReason }).toEqual({ status: 'UPDATE_COMPLETE', reason: undefined });
  expect(e2e.physicalIdsOf(STACK, TYPE)).toEqual([attribution]);
  expect(okCalls(e2e, 'CreateMetricAttribution', 'UpdateMetricAttribution')).toEqual(['CreateMetricAttribution', 'UpdateMetricAttribution']);
  await destroyAndCheckLeftovers(e2e, STACK);
});

test('a changed list of metrics is refused while the old attribution exists, and the rollback keeps the old one', async () => {
  e2e = await E2E.start();
  await e2e.deploy(app({ withRevenue: true }), STACK);
  const [attribution] = e2e.physicalIdsOf(STACK, TYPE);

  const changed = await e2e.deploy(app({ withRevenue: false }), STACK);

  expect(changed.status).toBe('UPDATE_ROLLBACK_COMPLETE');
  expect(changed.failureReason).toMatch(/already has metric attribution/);
  expect(e2e.physicalIdsOf(STACK, TYPE)).toEqual([attribution]);
  expect(e2e.snapshot().metricAttributions.map(m => m.arn)).toEqual([attribution]);

  // The way README gives: remove the attribution in one deploy, add the new list in the next.
  const removed = await e2e.deploy(synthStack(STACK, stack => {
    const datasetGroup = new DatasetGroup(stack, 'Group', { removalPolicy: RemovalPolicy.DESTROY, datasetGroupName: 'e2e-metrics' });
    new Dataset(stack, 'Interactions', { datasetGroup, schema: Schema.interactions(stack, 'Schema', { fields: [SchemaField.ofString('EVENT_TYPE')] }) });
    new Dataset(stack, 'Items', { datasetGroup, schema: Schema.items(stack, 'ItemsSchema', { fields: [SchemaField.ofFloat('PRICE')] }) });
  }), STACK);
  expect(removed.status).toBe('UPDATE_COMPLETE');
  const added = await e2e.deploy(app({ withRevenue: false }), STACK);
  expect({ status: added.status, reason: added.failureReason }).toEqual({ status: 'UPDATE_COMPLETE', reason: undefined });
  expect(e2e.physicalIdsOf(STACK, TYPE)).not.toEqual([attribution]);
  await destroyAndCheckLeftovers(e2e, STACK);
});
