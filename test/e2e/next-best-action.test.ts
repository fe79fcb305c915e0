import { RemovalPolicy } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { E2E, synthStack, removeAssemblies, destroyAndCheckLeftovers } from './harness';
import { Dataset, DatasetGroup, Recipe, Schema, SchemaField, Solution } from '../../src';

/**
 * Next-Best-Action from its datasets: the Actions and Action interactions datasets, which
 * CloudFormation cannot create, come from Custom::PersonalizeDataset; their imports wait on the job
 * waiter; the version trains once the action metadata is imported. Every training is SIMULATED.
 */

jest.setTimeout(60_000);

const STACK = 'E2eNextBestAction';

function app(): string {
  return synthStack(STACK, stack => {
    const datasetGroup = new DatasetGroup(stack, 'Group', { removalPolicy: RemovalPolicy.DESTROY, datasetGroupName: 'e2e-nba' });
    const bucket = new s3.Bucket(stack, 'Data', { removalPolicy: RemovalPolicy.DESTROY });
    new Dataset(stack, 'Interactions', {
      datasetGroup, schema: Schema.interactions(stack, 'InteractionsSchema', {}), importSource: { bucket, prefix: 'interactions/' },
    });
    new Dataset(stack, 'Actions', {
      datasetGroup,
      schema: Schema.actions(stack, 'ActionsSchema', { fields: [SchemaField.ofLong('VALUE'), SchemaField.categorical('CHANNEL')] }),
      importSource: { bucket, prefix: 'actions/' },
    });
    new Dataset(stack, 'ActionInteractions', {
      datasetGroup, schema: Schema.actionInteractions(stack, 'ActionInteractionsSchema'), importSource: { bucket, prefix: 'action-interactions/' },
    });
    new Solution(stack, 'Nba', { datasetGroup, recipe: Recipe.NEXT_BEST_ACTION }).addVersion('Version', { outputPrefix: 'Nba' });
  });
}

let e2e: E2E | undefined;

afterEach(async () => {
  await e2e?.close();
  e2e = undefined;
});

afterAll(() => removeAssemblies());

test('the action datasets are created by the library, imported through the waiter, and a Next-Best-Action version trains on them', async () => {
  e2e = await E2E.start();

  const deployed = await e2e.deploy(app(), STACK);

  expect({ status: deployed.status, reason: deployed.failureReason }).toEqual({ status: 'CREATE_COMPLETE', reason: undefined });
  const datasets = e2e.snapshot().datasets.map(d => d.arn.split('/').pop()).sort();
  expect(datasets).toEqual(['ACTIONS', 'ACTION_INTERACTIONS', 'INTERACTIONS']);
  expect(e2e.physicalIdsOf(STACK, 'Custom::PersonalizeDataset').map(id => id.split('/').pop()).sort()).toEqual(['ACTIONS', 'ACTION_INTERACTIONS']);
  // Trained after every import, the action metadata's included.
  const log = e2e.sim.callLog();
  const lastImport = Math.max(...log.filter(c => c.operation === 'CreateDatasetImportJob' && c.outcome === 'ok').map(c => c.simulatedTime));
  const trained = log.find(c => c.operation === 'CreateSolutionVersion' && c.outcome === 'ok')!;
  expect(log.filter(c => c.operation === 'CreateDatasetImportJob' && c.outcome === 'ok')).toHaveLength(3);
  expect(trained.simulatedTime).toBeGreaterThan(lastImport);
  expect(deployed.outputs.NbaSolutionVersionArn).toMatch(/solution\/.+\/[0-9a-f]{8}$/);

  await destroyAndCheckLeftovers(e2e, STACK);
});
