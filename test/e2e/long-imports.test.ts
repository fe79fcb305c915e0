import { importDurationMs, TIMING } from '@cdk-personalize/simulator';
import { CfnWaitCondition, CfnWaitConditionHandle, Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { E2E, HOUR, MINUTE, synthStack, removeAssemblies, destroyAndCheckLeftovers } from './harness';
import { Dataset, DatasetGroup, Recipe, Schema, Solution } from '../../src';

/**
 * Imports longer than CloudFormation's hour for a custom resource: they wait on the stack's job
 * waiter, as trainings do. A failed import fails the deploy with Personalize's reason, and a
 * rollback during an import (which Personalize cannot stop) never wedges. Every import and
 * training is SIMULATED; an import takes 5 minutes plus a minute per 10,000 records.
 */

jest.setTimeout(60_000);

const STACK = 'E2eLongImport';
/** Three hours of import. */
const THREE_HOURS_OF_RECORDS = (3 * 60 - 5) * TIMING.importRecordsPerMinute;

interface AppOptions {
  /** A resource that fails this long into the deploy, while the import runs. */
  readonly failingSiblingAfter?: Duration;
}

function app(options: AppOptions = {}): string {
  return synthStack(STACK, stack => {
    const datasetGroup = new DatasetGroup(stack, 'Group', { removalPolicy: RemovalPolicy.DESTROY, datasetGroupName: 'e2e-long-import' });
    new Dataset(stack, 'Interactions', {
      datasetGroup,
      schema: Schema.interactions(stack, 'Schema', {}),
      importSource: { bucket: new s3.Bucket(stack, 'Data', { removalPolicy: RemovalPolicy.DESTROY }), prefix: 'interactions/' },
    });
    const solution = new Solution(stack, 'Up', { datasetGroup, recipe: Recipe.USER_PERSONALIZATION_V2 });
    solution.addVersion('Version', { outputPrefix: 'Up' });
    if (options.failingSiblingAfter) {
      const handle = new CfnWaitConditionHandle(stack, 'SiblingHandle');
      new CfnWaitCondition(stack, 'FailingSibling', { handle: handle.ref, timeout: String(options.failingSiblingAfter.toSeconds()) });
    }
  });
}

let e2e: E2E | undefined;

afterEach(async () => {
  await e2e?.close();
  e2e = undefined;
});

afterAll(() => removeAssemblies());

test('an import of three hours: the deploy waits for it on the job waiter, then trains on the imported data', async () => {
  e2e = await E2E.start();
  e2e.sim.setImportData({ dataLocation: '/interactions/', records: THREE_HOURS_OF_RECORDS });
  expect(importDurationMs(THREE_HOURS_OF_RECORDS)).toBe(3 * HOUR);

  const deployed = await e2e.deploy(app(), STACK);

  expect({ status: deployed.status, reason: deployed.failureReason }).toEqual({ status: 'CREATE_COMPLETE', reason: undefined });
  const log = e2e.sim.callLog();
  const imported = log.find(c => c.operation === 'CreateDatasetImportJob' && c.outcome === 'ok')!;
  const trained = log.find(c => c.operation === 'CreateSolutionVersion' && c.outcome === 'ok')!;
  // Training started after the import ended, and within one poll interval of it.
  const importEnd = imported.simulatedTime + TIMING.stepMs + 3 * HOUR;
  expect(trained.simulatedTime).toBeGreaterThanOrEqual(importEnd);
  expect(trained.simulatedTime - importEnd).toBeLessThanOrEqual(5 * MINUTE);
  // The import resource itself returned at once; its wait condition waited.
  const importDone = deployed.events.find(ev => ev.resourceType === 'Custom::PersonalizeDatasetImport' && ev.resourceStatus === 'CREATE_COMPLETE')!;
  expect(Date.parse(importDone.timestamp) - imported.simulatedTime).toBeLessThan(5 * MINUTE);
  const waits = deployed.events.filter(ev => ev.logicalResourceId.includes('ImportWait') && ev.resourceStatus === 'CREATE_COMPLETE');
  expect(waits).toHaveLength(1);
  expect(e2e.runningExecutions()).toEqual([]);
  await destroyAndCheckLeftovers(e2e, STACK);
});

test('a failed import fails the deploy with Personalize\'s reason, and the rollback completes', async () => {
  e2e = await E2E.start();
  e2e.sim.failNextImport({ reason: 'Column TIMESTAMP is missing in 12 rows' });

  const deployed = await e2e.deploy(app(), STACK);

  expect(deployed.status).toBe('ROLLBACK_COMPLETE');
  expect(deployed.failureReason).toContain('Column TIMESTAMP is missing in 12 rows');
  const failed = deployed.events.find(ev => ev.resourceType === 'Custom::PersonalizeDatasetImportResult' && ev.resourceStatus === 'CREATE_FAILED')!;
  expect(failed.resourceStatusReason).toMatch(/Importing s3:\/\/.*\/interactions\/ into .* failed: Column TIMESTAMP is missing in 12 rows/);
  // Nothing trained on the data that did not arrive.
  expect(e2e.calls('CreateSolutionVersion')).toBe(0);
  expect(e2e.leftovers()).toEqual([]);
  expect(e2e.runningExecutions()).toEqual([]);
});

test('a rollback while a two-hour import runs does not wedge: the import is left to finish, then its dataset goes', async () => {
  e2e = await E2E.start();
  // Import jobs cannot be stopped. The rollback starts at 30 minutes; the import resource waits 45
  // minutes for the job, then leaves it, and the dataset's delete waits (open fact 33) until it ended.
  e2e.sim.setImportData({ records: (2 * 60 - 5) * TIMING.importRecordsPerMinute });

  const deployed = await e2e.deploy(app({ failingSiblingAfter: Duration.minutes(30) }), STACK);

  expect(deployed.status).toBe('ROLLBACK_COMPLETE');
  expect(deployed.events.find(ev => ev.resourceStatus === 'CREATE_FAILED')?.logicalResourceId).toBe('FailingSibling');
  const importDeleted = deployed.events.find(ev => ev.resourceType === 'Custom::PersonalizeDatasetImport' && ev.resourceStatus === 'DELETE_COMPLETE');
  expect(importDeleted).toBeDefined();
  const leftLog = e2e.cfn.invocations.flatMap(i => i.logs).find(line => line.includes('so it is left to finish'));
  expect(leftLog).toMatch(/still CREATE IN_PROGRESS after 45m/);
  expect(e2e.calls('CreateSolutionVersion')).toBe(0);
  expect(e2e.leftovers()).toEqual([]);
  expect(e2e.runningExecutions()).toEqual([]);
});
