import { RemovalPolicy } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { E2E, synthStack, removeAssemblies, destroyAndCheckLeftovers } from './harness';
import { Dataset, DatasetGroup, Recipe, Schema, Solution } from '../../src';

/**
 * From data to model: a new import of the dataset group's data retrains the versions that follow
 * it (retrainOnImport), and only those. Every training is SIMULATED.
 */

jest.setTimeout(60_000);

const STACK = 'E2eDataToModel';

function app(importTrigger: string): string {
  return synthStack(STACK, stack => {
    const datasetGroup = new DatasetGroup(stack, 'Group', { removalPolicy: RemovalPolicy.DESTROY, datasetGroupName: 'e2e-data-to-model' });
    new Dataset(stack, 'Interactions', {
      datasetGroup,
      schema: Schema.interactions(stack, 'Schema', {}),
      importSource: { bucket: new s3.Bucket(stack, 'Data'), prefix: 'interactions/', importTrigger },
    });
    const following = new Solution(stack, 'Following', { datasetGroup, recipe: Recipe.USER_PERSONALIZATION_V2 });
    following.addVersion('Version', { outputPrefix: 'Following', retrainOnImport: true });
    const fixed = new Solution(stack, 'Fixed', { datasetGroup, recipe: Recipe.USER_PERSONALIZATION_V2 });
    fixed.addVersion('Version', { outputPrefix: 'Fixed' });
  });
}

let e2e: E2E | undefined;

afterEach(async () => {
  await e2e?.close();
  e2e = undefined;
});

afterAll(() => removeAssemblies());

test('a new import retrains the versions that follow the data, after the import, and leaves the others', async () => {
  e2e = await E2E.start();
  const first = await e2e.deploy(app('2026-11-28'), STACK);
  expect({ status: first.status, reason: first.failureReason }).toEqual({ status: 'CREATE_COMPLETE', reason: undefined });
  expect(e2e.calls('CreateSolutionVersion')).toBe(2);

  const next = await e2e.deploy(app('2026-12-05'), STACK);

  expect({ status: next.status, reason: next.failureReason }).toEqual({ status: 'UPDATE_COMPLETE', reason: undefined });
  expect(e2e.calls('CreateDatasetImportJob')).toBe(2);
  expect(e2e.calls('CreateSolutionVersion')).toBe(3);
  expect(next.outputs.FollowingSolutionVersionArn).not.toBe(first.outputs.FollowingSolutionVersionArn);
  expect(next.outputs.FixedSolutionVersionArn).toBe(first.outputs.FixedSolutionVersionArn);
  // The new version trained on the new import: it was created after the import completed.
  const log = e2e.sim.callLog();
  const lastImport = log.filter(c => c.operation === 'CreateDatasetImportJob').pop()!;
  const retrain = log.filter(c => c.operation === 'CreateSolutionVersion' && c.outcome === 'ok').pop()!;
  expect(retrain.simulatedTime).toBeGreaterThan(lastImport.simulatedTime);

  // The same data again trains nothing.
  await e2e.deploy(app('2026-12-05'), STACK);
  expect(e2e.calls('CreateSolutionVersion')).toBe(3);
  await destroyAndCheckLeftovers(e2e, STACK);
});
