import {
  CreateMetricAttributionCommand, DeleteDatasetCommand, DeleteDatasetGroupCommand,
  DeleteMetricAttributionCommand, DescribeMetricAttributionCommand, ListMetricAttributionMetricsCommand, UpdateMetricAttributionCommand,
} from '@aws-sdk/client-personalize';
import { Harness, datasetWith, startHarness, stopHarness } from '../testing';

let h: Harness;
beforeEach(async () => { h = await startHarness({}, 1); });
afterEach(async () => stopHarness(h));

const settle = () => h.sim.clock.advanceSeconds(120);
const ROLE = 'arn:aws:iam::123456789012:role/metrics';

const dataset = (type: 'Interactions' | 'Items', fields: object[]) => datasetWith(h, type, fields);

async function withDatasets(): Promise<string> {
  await dataset('Interactions', [
    { name: 'USER_ID', type: 'string' }, { name: 'ITEM_ID', type: 'string' }, { name: 'TIMESTAMP', type: 'long' },
    { name: 'EVENT_TYPE', type: 'string' }, { name: 'EVENT_VALUE', type: ['null', 'float'] },
  ]);
  return dataset('Items', [
    { name: 'ITEM_ID', type: 'string' }, { name: 'PRICE', type: 'float' }, { name: 'GENRES', type: 'string', categorical: true },
  ]);
}

const create = (metrics: Array<{ eventType: string; metricName: string; expression: string }>, name = 'attribution') =>
  h.client.send(new CreateMetricAttributionCommand({ name, datasetGroupArn: h.datasetGroupArn, metrics, metricsOutputConfig: { roleArn: ROLE } }));

test('created ACTIVE, one per dataset group, updated in place, keeps its datasets and group until deleted', async () => {
  const items = await withDatasets();
  const { metricAttributionArn } = await create([
    { eventType: 'click', metricName: 'CLICKS', expression: 'SAMPLECOUNT()' },
    { eventType: 'purchase', metricName: 'Revenue', expression: 'SUM(Items.PRICE)' },
  ]);
  // Described upper-cased, whatever the request's case.
  expect((await h.client.send(new ListMetricAttributionMetricsCommand({ metricAttributionArn }))).metrics?.map(m => [m.eventType, m.metricName]))
    .toEqual([['CLICK', 'CLICKS'], ['PURCHASE', 'REVENUE']]);
  expect(metricAttributionArn).toBe('arn:aws:personalize:us-east-1:123456789012:metric-attribution/attribution');
  settle();
  expect((await h.client.send(new DescribeMetricAttributionCommand({ metricAttributionArn }))).metricAttribution)
    .toMatchObject({ status: 'ACTIVE', metricsOutputConfig: { roleArn: ROLE } });

  await expect(create([{ eventType: 'click', metricName: 'C', expression: 'SAMPLECOUNT()' }], 'second'))
    .rejects.toMatchObject({ name: 'ResourceAlreadyExistsException', message: expect.stringMatching(/already has metric attribution/) });
  await expect(h.client.send(new DeleteDatasetCommand({ datasetArn: items }))).rejects.toMatchObject({ name: 'ResourceInUseException' });
  await expect(h.client.send(new DeleteDatasetGroupCommand({ datasetGroupArn: h.datasetGroupArn }))).rejects.toMatchObject({ name: 'ResourceInUseException' });

  await h.client.send(new UpdateMetricAttributionCommand({
    metricAttributionArn, removeMetrics: ['REVENUE'], metricsOutputConfig: { roleArn: ROLE, s3DataDestination: { path: 's3://bucket/metrics/' } },
  }));
  expect((await h.client.send(new DescribeMetricAttributionCommand({ metricAttributionArn }))).metricAttribution?.status).toBe('UPDATE PENDING');
  settle();
  expect((await h.client.send(new ListMetricAttributionMetricsCommand({ metricAttributionArn }))).metrics?.map(m => m.metricName)).toEqual(['CLICKS']);

  await h.client.send(new DeleteMetricAttributionCommand({ metricAttributionArn }));
  settle();
  await h.client.send(new DeleteDatasetCommand({ datasetArn: items }));
});

test.each([
  ['SUM(Items.GENRES)', /SUM\(\) needs a numeric column; GENRES/],
  ['SUM(Items.NOPE)', /the Items schema has no field NOPE/],
  ['SUM(Users.AGE)', /is not SUM\(Items.COLUMN\), SUM\(Interactions.COLUMN\) or SAMPLECOUNT\(\)/],
  ['AVG(Interactions.EVENT_VALUE)', /is not SUM/],
])('refuses the expression %s', async (expression, message) => {
  await withDatasets();
  await expect(create([{ eventType: 'e', metricName: 'M', expression }])).rejects.toMatchObject({ name: 'InvalidInputException', message: expect.stringMatching(message) });
});

test('refuses more than 10 metrics, a name used twice, and a role that is not an IAM role ARN', async () => {
  await withDatasets();
  const many = Array.from({ length: 11 }, (_, i) => ({ eventType: 'e', metricName: `M${i}`, expression: 'SAMPLECOUNT()' }));
  await expect(create(many)).rejects.toMatchObject({ name: 'InvalidInputException' });
  await expect(create([{ eventType: 'a', metricName: 'M', expression: 'SAMPLECOUNT()' }, { eventType: 'b', metricName: 'M', expression: 'SAMPLECOUNT()' }]))
    .rejects.toMatchObject({ message: expect.stringMatching(/Metric name M is used twice/) });
  await expect(create([{ eventType: 'a', metricName: 'm', expression: 'SAMPLECOUNT()' }, { eventType: 'b', metricName: 'M', expression: 'SAMPLECOUNT()' }]))
    .rejects.toMatchObject({ message: expect.stringMatching(/Metric name M is used twice/) });
  await expect(h.client.send(new CreateMetricAttributionCommand({
    name: 'x', datasetGroupArn: h.datasetGroupArn, metrics: [{ eventType: 'e', metricName: 'M', expression: 'SAMPLECOUNT()' }], metricsOutputConfig: { roleArn: 'not-a-role' },
  }))).rejects.toMatchObject({ message: expect.stringMatching(/roleArn|role/) });
});
