import { DescribeBatchInferenceJobCommand, PersonalizeClient } from '@aws-sdk/client-personalize';
import { RemovalPolicy } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { E2E, synthStack, removeAssemblies, destroyAndCheckLeftovers, batchOutputLocation } from './harness';
import { BatchInferenceJob, Dataset, DatasetGroup, HyperParameterRange, HyperParameterRanges, Recipe, Schema, Solution } from '../../src';

/**
 * Batch jobs combined with the features that replace what they run on: a solution replaced by new
 * HPO ranges, and a production solution that tune-once replaces when HPO chooses other values. The
 * job runs again on the new version, into a folder of its own; the old solution goes only after;
 * a failed run rolls the replacement back to the old solution. Output is SIMULATED.
 */

jest.setTimeout(60_000);

const STACK = 'E2eBatchCombined';

interface AppOptions {
  /** The HPO range of bptt of the tuning solution. */
  readonly bptt: readonly [number, number];
  /** Batch on a production solution that takes the tuned values (tune once), rather than on the tuning solution itself. */
  readonly tuneOnce?: boolean;
}

function app(options: AppOptions): string {
  return synthStack(STACK, stack => {
    const datasetGroup = new DatasetGroup(stack, 'Group', { removalPolicy: RemovalPolicy.DESTROY, datasetGroupName: 'e2e-batch-combined' });
    const bucket = new s3.Bucket(stack, 'Data', { removalPolicy: RemovalPolicy.DESTROY });
    new Dataset(stack, 'Interactions', { datasetGroup, schema: Schema.interactions(stack, 'Schema', {}), importSource: { bucket, prefix: 'interactions/' } });
    const tuning = new Solution(stack, 'Tuning', {
      datasetGroup,
      recipe: Recipe.USER_PERSONALIZATION,
      removalPolicy: RemovalPolicy.DESTROY,
      hpo: {
        ranges: HyperParameterRanges.userPersonalization({ bptt: HyperParameterRange.integer(...options.bptt) }),
        maxNumberOfTrainingJobs: 2,
        maxParallelTrainingJobs: 2,
      },
    });
    const tuned = tuning.addVersion('Version', { outputPrefix: 'Tuning' });
    const version = options.tuneOnce
      ? new Solution(stack, 'Production', {
        datasetGroup, recipe: Recipe.USER_PERSONALIZATION, removalPolicy: RemovalPolicy.DESTROY, hyperParameters: tuned.tunedHyperParameters(),
      }).addVersion('Version', { outputPrefix: 'Production' })
      : tuned;
    new BatchInferenceJob(stack, 'Weekly', {
      solutionVersion: version,
      input: { bucket, prefix: 'batch/input/' },
      output: { bucket, prefix: 'batch/output/' },
      numResults: 10,
    });
  });
}

let e2e: E2E | undefined;

afterEach(async () => {
  await e2e?.close();
  e2e = undefined;
});

afterAll(() => removeAssemblies());

/** The solution version each batch job that wrote output ran on, in order. */
async function batchVersions(env: E2E): Promise<string[]> {
  const client = new PersonalizeClient(env.sim.clientConfig());
  const versions: string[] = [];
  for (const { jobArn } of env.sim.batchOutputs()) {
    const { batchInferenceJob } = await client.send(new DescribeBatchInferenceJobCommand({ batchInferenceJobArn: jobArn }));
    versions.push(batchInferenceJob!.solutionVersionArn!);
  }
  client.destroy();
  return versions;
}

test.each([
  ['new HPO ranges replace the solution the job runs on', false, 'Tuning'],
  ['tune once: HPO chooses other values, and the production solution the job runs on is replaced', true, 'Production'],
])('%s: the job runs again on the new version, into a new folder, and the old solution goes after', async (_case, tuneOnce, prefix) => {
  e2e = await E2E.start();
  const first = await e2e.deploy(app({ bptt: [16, 32], tuneOnce }), STACK);
  expect({ status: first.status, reason: first.failureReason }).toEqual({ status: 'CREATE_COMPLETE', reason: undefined });

  const second = await e2e.deploy(app({ bptt: [8, 12], tuneOnce }), STACK);

  expect({ status: second.status, reason: second.failureReason }).toEqual({ status: 'UPDATE_COMPLETE', reason: undefined });
  const [oldVersion, newVersion] = [first, second].map(d => d.outputs[`${prefix}SolutionVersionArn`]);
  expect(newVersion).not.toBe(oldVersion);
  expect(await batchVersions(e2e)).toEqual([oldVersion, newVersion]);
  expect(batchOutputLocation(second.outputs)).not.toBe(batchOutputLocation(first.outputs));
  // The replaced solution is deleted in the cleanup, after the job on its successor ran.
  const log = e2e.sim.callLog().filter(c => c.outcome === 'ok');
  const secondJob = log.filter(c => c.operation === 'CreateBatchInferenceJob')[1];
  const deletes = log.filter(c => c.operation === 'DeleteSolution');
  // Tune once replaces both solutions: the tuning one (new ranges) and the production one (new values).
  expect(deletes).toHaveLength(tuneOnce ? 2 : 1);
  expect(deletes.every(d => d.simulatedTime >= secondJob.simulatedTime)).toBe(true);
  expect(e2e.snapshot().solutions.map(r => r.arn)).not.toContain(oldVersion.replace(/\/[^/]+$/, ''));
  expect(e2e.sim.batchOutputs().map(o => o.uri)).toEqual([
    `${batchOutputLocation(first.outputs)}batch-input.json.out`, `${batchOutputLocation(second.outputs)}batch-input.json.out`,
  ]);
  await destroyAndCheckLeftovers(e2e, STACK);
});

test('a replacement whose batch run fails rolls back to the old solution, which the stack serves again, and leaves nothing', async () => {
  e2e = await E2E.start();
  const first = await e2e.deploy(app({ bptt: [16, 32], tuneOnce: true }), STACK);
  expect(first.status).toBe('CREATE_COMPLETE');
  e2e.sim.failNextBatchJob('Input file batch/input/users.json is not valid JSON Lines');

  const second = await e2e.deploy(app({ bptt: [8, 12], tuneOnce: true }), STACK);

  expect(second.status).toBe('UPDATE_ROLLBACK_COMPLETE');
  expect(second.failureReason).toContain('Input file batch/input/users.json is not valid JSON Lines');
  const stack = e2e.cfn.describeStack(STACK)!;
  expect(stack.outputs.ProductionSolutionVersionArn).toBe(first.outputs.ProductionSolutionVersionArn);
  expect(batchOutputLocation(stack.outputs)).toBe(batchOutputLocation(first.outputs));
  // The old production solution is still there; the replacement's is gone.
  const solutions = e2e.snapshot().solutions.map(s => s.arn);
  expect(solutions).toContain(first.outputs.ProductionSolutionVersionArn.replace(/\/[^/]+$/, ''));
  expect(solutions).toHaveLength(2);
  await destroyAndCheckLeftovers(e2e, STACK);
});

test('a tuning range beyond the documented bounds (synth warns): once HPO chooses beyond them, the production solution is refused and the create rolls back, leaving nothing', async () => {
  e2e = await E2E.start();

  const deployed = await e2e.deploy(app({ bptt: [20, 40], tuneOnce: true }), STACK);

  expect(deployed.status).toBe('ROLLBACK_COMPLETE');
  expect(deployed.failureReason).toMatch(/CreateSolution failed: InvalidInputException: Hyperparameter bptt of .* must be an integer in \[2, 32\], got "(3[3-9]|40)"/);
  expect(e2e.leftovers()).toEqual([]);
  expect(e2e.runningExecutions()).toEqual([]);
});
