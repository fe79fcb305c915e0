import { CfnWaitCondition, CfnWaitConditionHandle, Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { E2E, MINUTE, synthStack, removeAssemblies, destroyAndCheckLeftovers, batchOutputLocation } from './harness';
import { BatchInferenceJob, Dataset, DatasetGroup, Recipe, Schema, Solution } from '../../src';

/**
 * Batch inference jobs on a version trained in the same deploy: the deploy waits for the job on the
 * job waiter, each run writes to a folder of its own, a failed job fails the deploy with
 * Personalize's reason, and a rollback during a run never wedges. Output is SIMULATED.
 */

jest.setTimeout(60_000);

const STACK = 'E2eBatch';

interface AppOptions {
  readonly jobTrigger?: string;
  /** A resource that fails this long into the deploy. */
  readonly failingSiblingAfter?: Duration;
}

function app(options: AppOptions = {}): string {
  return synthStack(STACK, stack => {
    const datasetGroup = new DatasetGroup(stack, 'Group', { removalPolicy: RemovalPolicy.DESTROY, datasetGroupName: 'e2e-batch' });
    const bucket = new s3.Bucket(stack, 'Data', { removalPolicy: RemovalPolicy.DESTROY });
    new Dataset(stack, 'Interactions', {
      datasetGroup,
      schema: Schema.interactions(stack, 'Schema', {}),
      importSource: { bucket, prefix: 'interactions/' },
    });
    const solution = new Solution(stack, 'Up', { datasetGroup, recipe: Recipe.USER_PERSONALIZATION_V2 });
    const version = solution.addVersion('Version', { outputPrefix: 'Up' });
    new BatchInferenceJob(stack, 'Weekly', {
      solutionVersion: version,
      input: { bucket, prefix: 'batch/input/' },
      output: { bucket, prefix: 'batch/output/' },
      numResults: 10,
      jobTrigger: options.jobTrigger,
    });
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

test('a job on the version trained in the same deploy runs after it, and writes its output to a folder of its own', async () => {
  e2e = await E2E.start();

  const deployed = await e2e.deploy(app({ jobTrigger: 'week-1' }), STACK);

  expect({ status: deployed.status, reason: deployed.failureReason }).toEqual({ status: 'CREATE_COMPLETE', reason: undefined });
  const location = batchOutputLocation(deployed.outputs);
  expect(location).toMatch(/^s3:\/\/[^/]+\/batch\/output\/E2eBatchWeekly[0-9A-F]+-[0-9a-f]{8}\/$/);
  const [written] = e2e.sim.batchOutputs();
  expect(written.uri).toBe(`${location}batch-input.json.out`);
  expect(written.lines.map(line => JSON.parse(line))).toEqual(expect.arrayContaining([
    expect.objectContaining({ output: { recommendedItems: expect.any(Array) }, simulated: true }),
  ]));
  const log = e2e.sim.callLog();
  const trained = log.find(c => c.operation === 'CreateSolutionVersion' && c.outcome === 'ok')!;
  const batch = log.find(c => c.operation === 'CreateBatchInferenceJob' && c.outcome === 'ok')!;
  // After the version trained (an hour), and the deploy ended within a poll interval of the job.
  expect(batch.simulatedTime - trained.simulatedTime).toBeGreaterThan(60 * MINUTE);
  const done = deployed.events.find(ev => ev.resourceType === 'Custom::PersonalizeBatchJobResult' && ev.resourceStatus === 'CREATE_COMPLETE')!;
  expect(Date.parse(done.timestamp) - batch.simulatedTime).toBeLessThanOrEqual(30 * MINUTE + 30_000 + 5 * MINUTE);

  // The same settings again: nothing runs. A new trigger: a second run, in a second folder; the first stays.
  await e2e.deploy(app({ jobTrigger: 'week-1' }), STACK);
  expect(e2e.calls('CreateBatchInferenceJob')).toBe(1);
  const rerun = await e2e.deploy(app({ jobTrigger: 'week-2' }), STACK);
  expect(rerun.status).toBe('UPDATE_COMPLETE');
  expect(e2e.calls('CreateBatchInferenceJob')).toBe(2);
  expect(batchOutputLocation(rerun.outputs)).not.toBe(location);
  expect(e2e.sim.batchOutputs().map(o => o.uri)).toEqual([`${location}batch-input.json.out`, `${batchOutputLocation(rerun.outputs)}batch-input.json.out`]);
  expect(e2e.calls('CreateSolutionVersion')).toBe(1);
  await destroyAndCheckLeftovers(e2e, STACK);
});

test('a failed run fails the update with Personalize\'s reason; the rollback runs nothing again and keeps the earlier output', async () => {
  e2e = await E2E.start();
  const first = await e2e.deploy(app({ jobTrigger: 'week-1' }), STACK);
  expect(first.status).toBe('CREATE_COMPLETE');
  e2e.sim.failNextBatchJob('Input file batch/input/users.json is not valid JSON Lines');

  const failed = await e2e.deploy(app({ jobTrigger: 'week-2' }), STACK);

  expect(failed.status).toBe('UPDATE_ROLLBACK_COMPLETE');
  expect(failed.failureReason).toContain('Input file batch/input/users.json is not valid JSON Lines');
  const event = failed.events.find(ev => ev.resourceType === 'Custom::PersonalizeBatchJobResult' && ev.resourceStatus === 'UPDATE_FAILED')!;
  expect(event.resourceStatusReason).toMatch(/Batch inference job E2eBatchWeekly.* failed: Input file/);
  // Rolled back to week-1's job (its physical id), which ran before: nothing runs a third time.
  expect(e2e.sim.callLog().filter(c => c.operation === 'CreateBatchInferenceJob' && c.outcome === 'ok')).toHaveLength(2);
  expect(e2e.cfn.describeStack(STACK)?.outputs).toEqual(first.outputs);
  expect(e2e.runningExecutions()).toEqual([]);
  await destroyAndCheckLeftovers(e2e, STACK);
});

test('a rollback while the job runs does not wedge: the job (which cannot be stopped) is waited for, and nothing is left', async () => {
  e2e = await E2E.start();

  // Import 10 min, training 61 min, then the job runs 30 min: the sibling fails 15 minutes into it.
  const deployed = await e2e.deploy(app({ failingSiblingAfter: Duration.minutes(87) }), STACK);

  expect(deployed.status).toBe('ROLLBACK_COMPLETE');
  expect(deployed.events.find(ev => ev.resourceStatus === 'CREATE_FAILED')?.logicalResourceId).toBe('FailingSibling');
  const jobDeleted = deployed.events.find(ev => ev.resourceType === 'Custom::PersonalizeBatchInferenceJob' && ev.resourceStatus === 'DELETE_COMPLETE')!;
  const batch = e2e.sim.callLog().find(c => c.operation === 'CreateBatchInferenceJob' && c.outcome === 'ok')!;
  // Deleted once the job had ended, not while it ran.
  expect(Date.parse(jobDeleted.timestamp)).toBeGreaterThanOrEqual(batch.simulatedTime + 30 * MINUTE);
  expect(e2e.snapshot().batchJobs.map(j => j.status)).toEqual(['ACTIVE']);
  expect(e2e.leftovers()).toEqual([]);
  expect(e2e.runningExecutions()).toEqual([]);
});
