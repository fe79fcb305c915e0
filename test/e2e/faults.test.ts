import type { FaultSpec } from '@cdk-personalize/simulator';
import { E2E, synthTrainingApp, TRAINING_STACK, removeAssemblies } from './harness';

/**
 * Injected Personalize faults during a deploy and a delete: each is retried to success, with one
 * training per version and nothing left behind. Every training result here is SIMULATED.
 */

jest.setTimeout(60_000);

let dir: string;
let e2e: E2E | undefined;

beforeAll(() => {
  dir = synthTrainingApp();
});

afterEach(async () => {
  await e2e?.close();
  e2e = undefined;
});

afterAll(() => removeAssemblies());

/** Outcomes of every call of `operation`, in order. */
function outcomes(env: E2E, operation: string): string[] {
  return env.sim.callLog().filter(c => c.operation === operation).map(c => c.outcome);
}

/** Deploys with `faults` armed; expects success, one ACTIVE version, every fault used, then a clean delete. */
async function deployWithFaults(faults: FaultSpec[], beforeDestroy: FaultSpec[] = []): Promise<E2E> {
  const env = await E2E.start();
  e2e = env;
  faults.forEach(f => env.sim.faults.inject(f));

  const deployed = await env.deploy(dir, TRAINING_STACK);

  expect({ status: deployed.status, reason: deployed.failureReason }).toEqual({ status: 'CREATE_COMPLETE', reason: undefined });
  expect(deployed.outputs.UpStatus).toBe('ACTIVE');
  expect(Number(deployed.outputs.UpTunedBptt)).toBeGreaterThanOrEqual(20);
  expect(env.snapshot().solutionVersions.map(v => v.status)).toEqual(['ACTIVE']);
  expect(env.sim.inProgressTrainings()).toEqual([]);

  beforeDestroy.forEach(f => env.sim.faults.inject(f));
  const destroyed = await env.destroy(TRAINING_STACK);
  expect(destroyed.status).toBe('DELETE_COMPLETE');
  expect(env.sim.faults.pending()).toBe(0);
  expect(env.leftovers()).toEqual([]);
  expect(env.runningExecutions()).toEqual([]);
  return env;
}

test('7a. ThrottlingException x2 on CreateSolution is retried to success', async () => {
  const env = await deployWithFaults([{ operation: 'CreateSolution', kind: 'ThrottlingException', times: 2 }]);
  expect(outcomes(env, 'CreateSolution')).toEqual(['ThrottlingException', 'ThrottlingException', 'ok']);
});

test('7b. InternalServerError x2 on DescribeSolutionVersion: the poll is retried and the training succeeds', async () => {
  const env = await deployWithFaults([{ operation: 'DescribeSolutionVersion', kind: 'InternalServerError', times: 2 }]);
  expect(outcomes(env, 'DescribeSolutionVersion').slice(0, 3)).toEqual(['InternalServerError', 'InternalServerError', 'ok']);
  // No poll failed for good: the state machine never needed its Catch.
  const pollerErrors = env.cfn.invocations.filter(i => i.functionLogicalId.includes('Poller') && (i.error || (i.event as any)?.action === 'signal-error'));
  expect(pollerErrors).toEqual([]);
});

test('7c. ConnectionReset x1 on CreateSolutionVersion: retried, exactly one version trains', async () => {
  const env = await deployWithFaults([{ operation: 'CreateSolutionVersion', kind: 'ConnectionReset', times: 1 }]);
  expect(outcomes(env, 'CreateSolutionVersion')).toEqual(['ConnectionReset', 'ok']);
  expect([...env.versionHistory.keys()]).toHaveLength(1);
});

test('7d. LimitExceededException x2 on CreateSolutionVersion (within the SDK\'s attempts) is retried to one version', async () => {
  const env = await deployWithFaults([{ operation: 'CreateSolutionVersion', kind: 'LimitExceededException', times: 2 }]);
  expect(outcomes(env, 'CreateSolutionVersion')).toEqual(['LimitExceededException', 'LimitExceededException', 'ok']);
  expect([...env.versionHistory.keys()]).toHaveLength(1);
});

test('7e. Slow responses (300 ms) still succeed', async () => {
  const slow = (operation: string, times = 1): FaultSpec => ({ operation, kind: 'Slow', delayMs: 300, times });
  const env = await deployWithFaults([slow('CreateSolution'), slow('CreateSolutionVersion'), slow('DescribeSolutionVersion', 2), slow('GetSolutionMetrics')]);
  expect(env.calls('CreateSolutionVersion')).toBe(1);
});

test('7f. faults during the delete (ThrottlingException x2 on DeleteSolution, InternalServerError on ListSolutionVersions) are retried', async () => {
  const env = await deployWithFaults([], [
    { operation: 'DeleteSolution', kind: 'ThrottlingException', times: 2 },
    { operation: 'ListSolutionVersions', kind: 'InternalServerError', times: 1 },
  ]);
  expect(outcomes(env, 'DeleteSolution')).toEqual(['ThrottlingException', 'ThrottlingException', 'ok']);
  // The deploy listed versions once (to predict the training's length); the delete's list failed once, then succeeded.
  const lists = outcomes(env, 'ListSolutionVersions');
  expect(lists[0]).toBe('ok');
  expect(lists.slice(1, 3)).toEqual(['InternalServerError', 'ok']);
});

/*
 * Not run: LimitExceededException on CreateSolutionVersion beyond every retry, and a full version
 * quota (`versionQuota = 0`), both of which should fail with "... at most 20 solution versions may
 * train at once per region ..." and roll back. The handler's backoff (src/handlers/backoff.ts,
 * realSleep, 240 s budget) and the SDK's 6 attempts sleep in WALL time, so under the local runner the
 * invocation hits the runner's 60 s wall-clock guard ("Task timed out after 60 seconds") after
 * 2 handler attempts (17 calls) and the retry loop keeps running in the background afterwards.
 */
test('7g. LimitExceededException beyond every retry fails clearly and rolls back', async () => {
  // The handler's retries sleep in wall time: a 2-second budget (4 minutes on AWS) keeps this fast.
  const env = await E2E.start({}, { CREATE_RETRY_BUDGET_SECONDS: '2' });
  e2e = env;
  env.sim.versionQuota = 0;
  const deployed = await env.deploy(dir, TRAINING_STACK);
  expect(deployed.status).toBe('ROLLBACK_COMPLETE');
  expect(deployed.failureReason).toMatch(/at most 20 solution versions may train at once per region; gave up after \d+ attempts/);
  expect(env.leftovers()).toEqual([]);
});
