import type { DeployResult } from '@cdk-personalize/local-deploy';
import { Duration } from 'aws-cdk-lib';
import { E2E, HOUR, MINUTE, synthTrainingApp, TRAINING_STACK, removeAssemblies, destroyAndCheckLeftovers } from './harness';

/**
 * Trainings whose wait could see signals meant for another training. The local runner plays the
 * least forgiving CloudFormation: a WaitConditionHandle's URL depends only on the stack and its
 * logical id, and signals stay after the handle is deleted. Every training result is SIMULATED.
 */

jest.setTimeout(60_000);

const A: readonly [number, number] = [20, 40];
const B: readonly [number, number] = [8, 16];

let e2e: E2E | undefined;

afterEach(async () => {
  await e2e?.close();
  e2e = undefined;
});

afterAll(() => removeAssemblies());

/** The deploy trained a new version that is ACTIVE, and its outputs are that version's results. */
function expectFreshTraining(env: E2E, outputs: Record<string, string>, range: readonly [number, number], earlier: string[]): void {
  const arn = outputs.UpSolutionVersionArn;
  expect(earlier).not.toContain(arn);
  expect(env.statusesOf(arn).pop()).toBe('ACTIVE');
  expect(outputs.UpStatus).toBe('ACTIVE');
  const bptt = Number(outputs.UpTunedBptt);
  expect(bptt).toBeGreaterThanOrEqual(range[0]);
  expect(bptt).toBeLessThanOrEqual(range[1]);
  // The outputs are what Personalize reports for that version now.
  const version = env.snapshot().solutionVersions.find(v => v.arn === arn);
  expect(version?.status).toBe('ACTIVE');
}

/** Deploys A, whose training succeeds, and lets an hour pass. */
async function deployA(env: E2E): Promise<DeployResult> {
  const first = await env.deploy(synthTrainingApp({ bptt: A }), TRAINING_STACK);
  expect(first.status).toBe('CREATE_COMPLETE');
  await env.cfn.advance(HOUR);
  return first;
}

test('stale signal: A, B, then A again waits for the third training', async () => {
  e2e = await E2E.start();
  const first = await deployA(e2e);
  const second = await e2e.deploy(synthTrainingApp({ bptt: B }), TRAINING_STACK);
  expect(second.status).toBe('UPDATE_COMPLETE');
  await e2e.cfn.advance(HOUR);

  const third = await e2e.deploy(synthTrainingApp({ bptt: A }), TRAINING_STACK);

  expect({ status: third.status, reason: third.failureReason }).toEqual({ status: 'UPDATE_COMPLETE', reason: undefined });
  expectFreshTraining(e2e, third.outputs, A, [first.outputs.UpSolutionVersionArn, second.outputs.UpSolutionVersionArn]);
  expect(e2e.calls('CreateSolutionVersion')).toBe(3);
  await destroyAndCheckLeftovers(e2e);
});

test('stale signal: a failed training, then the same deploy again trains and succeeds', async () => {
  e2e = await E2E.start();
  const first = await deployA(e2e);
  e2e.sim.failNextTraining({ reason: 'Insufficient data (simulated)' });
  const failed = await e2e.deploy(synthTrainingApp({ bptt: B }), TRAINING_STACK);
  expect(failed.status).toBe('UPDATE_ROLLBACK_COMPLETE');
  expect(failed.failureReason).toContain('Insufficient data (simulated)');
  await e2e.cfn.advance(10 * MINUTE);

  const retried = await e2e.deploy(synthTrainingApp({ bptt: B }), TRAINING_STACK);

  expect({ status: retried.status, reason: retried.failureReason }).toEqual({ status: 'UPDATE_COMPLETE', reason: undefined });
  expectFreshTraining(e2e, retried.outputs, B, [first.outputs.UpSolutionVersionArn]);
  expect(e2e.calls('CreateSolutionVersion')).toBe(3);
  await destroyAndCheckLeftovers(e2e);
});

test('stale signal: a late FAILURE from a rolled-back poller does not fail the next deploy', async () => {
  e2e = await E2E.start();
  const first = await deployA(e2e);
  // Another resource fails 5 minutes into B's training: B's wait is cancelled, the update rolls
  // back and stops B.
  const rolledBack = await e2e.deploy(synthTrainingApp({ bptt: B, failingSiblingAfter: Duration.minutes(5) }), TRAINING_STACK);
  expect(rolledBack.status).toBe('UPDATE_ROLLBACK_COMPLETE');
  expect(rolledBack.events.some(ev => ev.resourceType === 'AWS::CloudFormation::WaitCondition' && ev.logicalResourceId !== 'FailingSibling'
    && ev.resourceStatusReason === 'Resource creation cancelled')).toBe(true);
  const stopped = [...e2e.versionHistory.keys()].find(arn => arn !== first.outputs.UpSolutionVersionArn)!;
  // B's poller notices the stop after the rollback ended.
  await e2e.cfn.advance(10 * MINUTE);
  expect(e2e.statusesOf(stopped).pop()).toBe('CREATE STOPPED');
  expect(e2e.runningExecutions()).toEqual([]);

  const again = await e2e.deploy(synthTrainingApp({ bptt: B }), TRAINING_STACK);

  expect({ status: again.status, reason: again.failureReason }).toEqual({ status: 'UPDATE_COMPLETE', reason: undefined });
  expectFreshTraining(e2e, again.outputs, B, [first.outputs.UpSolutionVersionArn, stopped]);
  await destroyAndCheckLeftovers(e2e);
});
