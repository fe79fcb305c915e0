import {
  CreateCampaignCommand,
  CreateDatasetCommand,
  CreateDatasetGroupCommand,
  CreateDatasetImportJobCommand,
  CreateSchemaCommand,
  DeleteCampaignCommand,
  DeleteDatasetCommand,
  DeleteDatasetGroupCommand,
  DeleteSchemaCommand,
  DeleteSolutionCommand,
  DescribeAlgorithmCommand,
  DescribeCampaignCommand,
  DescribeDatasetCommand,
  DescribeDatasetImportJobCommand,
  DescribeSchemaCommand,
  ListDatasetGroupsCommand,
  ListDatasetImportJobsCommand,
  ListDatasetsCommand,
  ListSchemasCommand,
  UpdateCampaignCommand,
} from '@aws-sdk/client-personalize';
import { importDurationMs, TIMING } from '..';
import { Harness, activeSolution, newVersion, startHarness, stopHarness } from '../testing';

let h: Harness;
beforeEach(async () => { h = await startHarness(); });
afterEach(async () => stopHarness(h));

const SCHEMA = JSON.stringify({
  type: 'record',
  name: 'Interactions',
  namespace: 'com.amazonaws.personalize.schema',
  fields: [{ name: 'USER_ID', type: 'string' }, { name: 'ITEM_ID', type: 'string' }, { name: 'TIMESTAMP', type: 'long' }],
  version: '1.0',
});
const NO_HPO_MS = TIMING.versionPendingMs + TIMING.baseTrainingMs + TIMING.roundMs;

test('schema -> dataset -> import job -> solution -> campaign -> update, then everything deleted leaves nothing', async () => {
  const c = h.client;
  await expect(c.send(new CreateSchemaCommand({ name: 'bad', schema: '{"type": "enum"}' }))).rejects.toMatchObject({ name: 'InvalidInputException' });
  const { schemaArn } = await c.send(new CreateSchemaCommand({ name: 'interactions', schema: SCHEMA }));
  expect((await c.send(new DescribeSchemaCommand({ schemaArn }))).schema!.schema).toBe(SCHEMA);

  const { datasetArn } = await c.send(new CreateDatasetCommand({
    name: 'interactions', schemaArn, datasetGroupArn: h.datasetGroupArn, datasetType: 'Interactions',
  }));
  expect(datasetArn).toBe('arn:aws:personalize:us-east-1:123456789012:dataset/dsg/INTERACTIONS');
  const importJob = () => c.send(new CreateDatasetImportJobCommand({ jobName: 'import', datasetArn, dataSource: { dataLocation: 's3://bucket/data.csv' } }));
  await expect(importJob()).rejects.toMatchObject({ name: 'ResourceInUseException' }); // dataset still CREATE PENDING
  h.sim.clock.advanceSeconds(60);
  expect((await c.send(new DescribeDatasetCommand({ datasetArn }))).dataset!.status).toBe('ACTIVE');
  // INCREMENTAL adds to data, and the dataset has none yet.
  await expect(c.send(new CreateDatasetImportJobCommand({ jobName: 'more', datasetArn, importMode: 'INCREMENTAL', dataSource: { dataLocation: 's3://bucket/more.csv' } })))
    .rejects.toMatchObject({ name: 'InvalidInputException', message: expect.stringContaining('the first import must use importMode FULL') });
  const { datasetImportJobArn } = await importJob();
  await expect(importJob()).rejects.toMatchObject({ name: 'ResourceAlreadyExistsException' });
  await expect(c.send(new DeleteSchemaCommand({ schemaArn }))).rejects.toMatchObject({ name: 'ResourceInUseException' });
  await expect(c.send(new DeleteDatasetCommand({ datasetArn }))).rejects.toMatchObject({ name: 'ResourceInUseException' });
  h.sim.clock.advance(TIMING.stepMs + importDurationMs(TIMING.defaultImportRecords));
  expect((await c.send(new DescribeDatasetImportJobCommand({ datasetImportJobArn })))).toMatchObject({
    datasetImportJob: { status: 'ACTIVE', importMode: 'FULL', dataSource: { dataLocation: 's3://bucket/data.csv' } },
  });

  expect((await c.send(new ListSchemasCommand({}))).schemas).toMatchObject([{ schemaArn }]);
  expect((await c.send(new ListDatasetsCommand({ datasetGroupArn: h.datasetGroupArn }))).datasets).toMatchObject([{ datasetArn, datasetType: 'INTERACTIONS' }]);
  expect((await c.send(new ListDatasetImportJobsCommand({ datasetArn }))).datasetImportJobs).toMatchObject([{ datasetImportJobArn, status: 'ACTIVE' }]);

  const solutionArn = await activeSolution(h);
  const v1 = await newVersion(h, solutionArn);
  await expect(c.send(new CreateCampaignCommand({ name: 'camp', solutionVersionArn: v1 }))).rejects.toMatchObject({ name: 'ResourceInUseException' });
  h.sim.clock.advance(NO_HPO_MS);
  const { campaignArn } = await c.send(new CreateCampaignCommand({ name: 'camp', solutionVersionArn: v1, minProvisionedTPS: 2 }));
  expect((await c.send(new DescribeCampaignCommand({ campaignArn }))).campaign!.status).toBe('CREATE PENDING');
  h.sim.clock.advance(TIMING.stepMs + TIMING.campaignMs);
  expect((await c.send(new DescribeCampaignCommand({ campaignArn }))).campaign).toMatchObject({ status: 'ACTIVE', minProvisionedTPS: 2, solutionVersionArn: v1 });

  const v2 = await newVersion(h, solutionArn);
  h.sim.clock.advance(NO_HPO_MS);
  await c.send(new UpdateCampaignCommand({ campaignArn, solutionVersionArn: v2 }));
  await expect(c.send(new UpdateCampaignCommand({ campaignArn, minProvisionedTPS: 5 }))).rejects.toMatchObject({ name: 'ResourceInUseException' });
  h.sim.clock.advance(TIMING.stepMs + TIMING.campaignMs);
  expect((await c.send(new DescribeCampaignCommand({ campaignArn }))).campaign).toMatchObject({
    solutionVersionArn: v2, latestCampaignUpdate: { status: 'ACTIVE', solutionVersionArn: v2 },
  });

  await expect(c.send(new DeleteSolutionCommand({ solutionArn }))).rejects.toMatchObject({ name: 'ResourceInUseException' });
  await c.send(new DeleteCampaignCommand({ campaignArn }));
  h.sim.clock.advanceSeconds(60);
  await c.send(new DeleteSolutionCommand({ solutionArn }));
  await c.send(new DeleteDatasetCommand({ datasetArn }));
  h.sim.clock.advanceSeconds(60);
  await c.send(new DeleteSchemaCommand({ schemaArn }));
  await c.send(new DeleteDatasetGroupCommand({ datasetGroupArn: h.datasetGroupArn }));
  expect((await c.send(new ListDatasetGroupsCommand({}))).datasetGroups).toMatchObject([{ status: 'DELETE PENDING' }]);
  h.sim.clock.advanceSeconds(60);

  const snap = h.sim.snapshot();
  expect(Object.entries(snap).filter(([k, v]) => k !== 'simulatedTime' && (v as unknown[]).length > 0)).toEqual([]);
});

test('DescribeAlgorithm lists the default ranges from recipes.json', async () => {
  const { algorithm } = await h.client.send(new DescribeAlgorithmCommand({ algorithmArn: 'arn:aws:personalize:::algorithm/aws-user-personalization' }));
  expect(algorithm!.defaultHyperParameterRanges!.integerHyperParameterRanges).toContainEqual({ name: 'bptt', minValue: 2, maxValue: 32, isTunable: true });
  expect(algorithm!.defaultHyperParameterRanges!.categoricalHyperParameterRanges).toContainEqual({ name: 'recency_mask', values: ['true', 'false'], isTunable: true });
  expect(algorithm!.defaultHyperParameters).toMatchObject({ hidden_dimension: '149' });
});

test('CreateDataset refuses a schema without the fields its dataset type and domain require, or of another domain (open fact 43)', async () => {
  const c = h.client;
  const { datasetGroupArn } = await c.send(new CreateDatasetGroupCommand({ name: 'shop', domain: 'ECOMMERCE' }));
  h.sim.clock.advanceSeconds(60);
  const schema = async (name: string, fields: unknown[], domain?: 'ECOMMERCE') => (await c.send(new CreateSchemaCommand({
    name, domain, schema: JSON.stringify({ type: 'record', name: 'S', namespace: 'com.amazonaws.personalize.schema', fields, version: '1.0' }),
  }))).schemaArn;
  const ids = [{ name: 'USER_ID', type: 'string' }, { name: 'ITEM_ID', type: 'string' }, { name: 'TIMESTAMP', type: 'long' }];
  const dataset = (schemaArn: string | undefined, datasetType: string) =>
    c.send(new CreateDatasetCommand({ name: datasetType, schemaArn, datasetGroupArn, datasetType }));

  await expect(dataset(await schema('custom', [...ids, { name: 'EVENT_TYPE', type: 'string' }]), 'Interactions'))
    .rejects.toMatchObject({ name: 'InvalidInputException', message: expect.stringContaining('has domain none') });
  await expect(dataset(await schema('no-event-type', ids, 'ECOMMERCE'), 'Interactions'))
    .rejects.toMatchObject({ name: 'InvalidInputException', message: expect.stringContaining('missing the required field EVENT_TYPE for a ECOMMERCE INTERACTIONS dataset') });
  await expect(dataset(await schema('no-price', [{ name: 'ITEM_ID', type: 'string' }, { name: 'CATEGORY_L1', type: 'string', categorical: true }], 'ECOMMERCE'), 'Items'))
    .rejects.toMatchObject({ name: 'InvalidInputException', message: expect.stringContaining('PRICE') });
  await expect(dataset(await schema('ok', [...ids, { name: 'EVENT_TYPE', type: 'string' }], 'ECOMMERCE'), 'Interactions')).resolves.toBeDefined();
  await expect(dataset(await schema('timestamp-string', [{ name: 'USER_ID', type: 'string' }, { name: 'ITEM_ID', type: 'string' }, { name: 'TIMESTAMP', type: 'string' }]), 'Interactions'))
    .rejects.toMatchObject({ name: 'InvalidInputException' });
});
