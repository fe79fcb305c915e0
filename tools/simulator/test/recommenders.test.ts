import {
  CreateDatasetCommand, CreateDatasetGroupCommand, CreateDatasetImportJobCommand, CreateRecommenderCommand, CreateSchemaCommand, DeleteDatasetCommand,
  DeleteDatasetGroupCommand, DeleteRecommenderCommand, DescribeRecommenderCommand, ListDatasetsCommand, UpdateRecommenderCommand,
} from '@aws-sdk/client-personalize';
import { Harness, startHarness, stopHarness } from '../testing';

let h: Harness;
beforeEach(async () => { h = await startHarness({}, 1); });
afterEach(async () => stopHarness(h));

const settle = (seconds = 120) => h.sim.clock.advanceSeconds(seconds);
const recipe = (name: string) => `arn:aws:personalize:::recipe/${name}`;

async function domainGroup(domain: 'ECOMMERCE' | 'VIDEO_ON_DEMAND', withInteractions = true, imported = true): Promise<string> {
  const { datasetGroupArn } = await h.client.send(new CreateDatasetGroupCommand({ name: `g-${domain}`, domain }));
  settle();
  if (withInteractions) {
    const { schemaArn } = await h.client.send(new CreateSchemaCommand({
      name: `s-${domain}`,
      domain,
      schema: JSON.stringify({
        type: 'record',
        name: 'Interactions',
        namespace: 'com.amazonaws.personalize.schema',
        version: '1.0',
        fields: [{ name: 'USER_ID', type: 'string' }, { name: 'ITEM_ID', type: 'string' }, { name: 'TIMESTAMP', type: 'long' }, { name: 'EVENT_TYPE', type: 'string' }],
      }),
    }));
    const { datasetArn } = await h.client.send(new CreateDatasetCommand({ name: 'i', datasetGroupArn, datasetType: 'Interactions', schemaArn }));
    settle();
    if (imported) {
      await h.client.send(new CreateDatasetImportJobCommand({ jobName: 'import', datasetArn, dataSource: { dataLocation: 's3://bucket/interactions.csv' } }));
      settle(3600);
    }
  }
  return datasetGroupArn!;
}

test('trains to ACTIVE, updates its configuration in place, keeps its group until deleted', async () => {
  const datasetGroupArn = await domainGroup('ECOMMERCE');
  const { recommenderArn } = await h.client.send(new CreateRecommenderCommand({
    name: 'for-you', datasetGroupArn, recipeArn: recipe('aws-ecomm-recommended-for-you'), recommenderConfig: { itemExplorationConfig: { explorationWeight: '0.3' } },
  }));
  settle();
  expect((await h.client.send(new DescribeRecommenderCommand({ recommenderArn }))).recommender?.status).toBe('CREATE IN_PROGRESS');
  // Its datasets stay while it is created (the guide's cleanup table), not after.
  const { datasets } = await h.client.send(new ListDatasetsCommand({ datasetGroupArn }));
  await expect(h.client.send(new DeleteDatasetCommand({ datasetArn: datasets![0].datasetArn })))
    .rejects.toMatchObject({ name: 'ResourceInUseException', message: expect.stringMatching(/of the dataset group is CREATE IN_PROGRESS/) });
  settle(3600);
  expect((await h.client.send(new DescribeRecommenderCommand({ recommenderArn }))).recommender).toMatchObject({
    status: 'ACTIVE', recommenderConfig: { minRecommendationRequestsPerSecond: 1 },
  });
  await expect(h.client.send(new DeleteDatasetGroupCommand({ datasetGroupArn }))).rejects.toMatchObject({ name: 'ResourceInUseException' });

  await h.client.send(new UpdateRecommenderCommand({ recommenderArn, recommenderConfig: { minRecommendationRequestsPerSecond: 3 } }));
  expect((await h.client.send(new DescribeRecommenderCommand({ recommenderArn }))).recommender?.latestRecommenderUpdate?.status).toBe('UPDATE PENDING');
  settle();
  expect((await h.client.send(new DescribeRecommenderCommand({ recommenderArn }))).recommender).toMatchObject({
    latestRecommenderUpdate: { status: 'ACTIVE' }, recommenderConfig: { minRecommendationRequestsPerSecond: 3 },
  });
  // Deleting a dataset halts an ACTIVE recommender's automatic updates; it is not refused.
  await h.client.send(new DeleteDatasetCommand({ datasetArn: datasets![0].datasetArn }));
  await h.client.send(new DeleteRecommenderCommand({ recommenderArn }));
  settle();
  await expect(h.client.send(new DescribeRecommenderCommand({ recommenderArn }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
});

test('refuses a recommender before interactions are imported: it has nothing to train on', async () => {
  const datasetGroupArn = await domainGroup('ECOMMERCE', true, false);
  await expect(h.client.send(new CreateRecommenderCommand({ name: 'early', datasetGroupArn, recipeArn: recipe('aws-ecomm-popular-items-by-views') })))
    .rejects.toMatchObject({ name: 'InvalidInputException', message: expect.stringMatching(/has no imported interactions: a recommender trains on at least 1000 interactions/) });
});

test.each([
  ['a use case of another domain', 'VIDEO_ON_DEMAND', 'aws-ecomm-popular-items-by-views', {}, /is of domain ECOMMERCE/],
  ['a custom recipe', 'ECOMMERCE', 'aws-user-personalization', {}, /is not a domain use case/],
  ['item exploration where the use case has none', 'ECOMMERCE', 'aws-ecomm-popular-items-by-views', { itemExplorationConfig: { explorationWeight: '0.3' } }, /does not support itemExplorationConfig/],
] as const)('refuses %s', async (_what, domain, name, recommenderConfig, message) => {
  const datasetGroupArn = await domainGroup(domain);
  await expect(h.client.send(new CreateRecommenderCommand({ name: 'r', datasetGroupArn, recipeArn: recipe(name), recommenderConfig })))
    .rejects.toMatchObject({ name: 'InvalidInputException', message: expect.stringMatching(message) });
});

test('refuses a group without interactions, and a custom dataset group', async () => {
  const empty = await domainGroup('ECOMMERCE', false);
  await expect(h.client.send(new CreateRecommenderCommand({ name: 'r', datasetGroupArn: empty, recipeArn: recipe('aws-ecomm-popular-items-by-views') })))
    .rejects.toMatchObject({ message: expect.stringMatching(/no ACTIVE Interactions dataset/) });
  await expect(h.client.send(new CreateRecommenderCommand({ name: 'r', datasetGroupArn: h.datasetGroupArn, recipeArn: recipe('aws-ecomm-popular-items-by-views') })))
    .rejects.toMatchObject({ message: expect.stringMatching(/not a domain dataset group/) });
});
