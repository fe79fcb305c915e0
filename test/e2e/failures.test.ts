import { Duration } from 'aws-cdk-lib';
import { E2E, MINUTE, synthTrainingApp, TRAINING_STACK, removeAssemblies, destroyAndCheckLeftovers } from './harness';

/**
 * Trainings that do not end well: stopped at the trainingTimeout, failed by Personalize, or still
 * running when the stack is deleted. Every training result here is SIMULATED.
 */

jest.setTimeout(60_000);

const TRAINING_RESULT = 'Custom::PersonalizeTrainingResult';

let e2e: E2E | undefined;

afterEach(async () => {
  await e2e?.close();
  e2e = undefined;
});

afterAll(() => removeAssemblies());

/** The only solution version the scenario created. */
function onlyVersion(env: E2E): string {
  const versions = [...env.versionHistory.keys()];
  expect(versions).toHaveLength(1);
  return versions[0];
}

/** Simulated time of the first call of `operation` with outcome `ok`. */
function firstOkCall(env: E2E, operation: string): number {
  const call = env.sim.callLog().find(c => c.operation === operation && c.outcome === 'ok');
  expect(call).toBeDefined();
  return call!.simulatedTime;
}

test('5a. a training past its trainingTimeout is stopped and the stack rolls back; deleting it afterwards leaves nothing', async () => {
  // 4 HPO jobs one after the other: 20 + 4 x 40 simulated minutes, far beyond 10.
  const dir = synthTrainingApp({ jobs: [4, 1], trainingTimeout: Duration.minutes(10) });
  e2e = await E2E.start();

  const deployed = await e2e.deploy(dir, TRAINING_STACK);

  expect(deployed.status).toBe('ROLLBACK_COMPLETE');
  // The wait condition only marks the end of training; the result resource reads the outcome from
  // Personalize and fails with the version's state.
  const failed = deployed.events.filter(ev => ev.resourceStatus === 'CREATE_FAILED');
  expect(failed.map(ev => ev.resourceType)).toEqual([TRAINING_RESULT]);
  expect(failed[0].resourceStatusReason).toMatch(/^Solution version arn:\S+ did not finish within the trainingTimeout of 10m and was stopped \(CREATE STOPP(ING|ED)\)/);
  expect(deployed.failureReason).toBe(failed[0].resourceStatusReason);

  const version = onlyVersion(e2e);
  const statuses = e2e.statusesOf(version);
  expect(statuses).toContain('CREATE IN_PROGRESS');
  expect(statuses.slice(-2)).toEqual(['CREATE STOPPING', 'CREATE STOPPED']);
  // Stopped by the first poll past the deadline: 10 min, at most one poll interval (2 min) later.
  const stoppedAfter = firstOkCall(e2e, 'StopSolutionVersionCreation') - firstOkCall(e2e, 'CreateSolutionVersion');
  expect(stoppedAfter).toBeGreaterThanOrEqual(10 * MINUTE);
  expect(stoppedAfter).toBeLessThanOrEqual(12 * MINUTE);
  expect(e2e.calls('StopSolutionVersionCreation')).toBe(1);

  // The rollback deleted the solution (with the stopped version) and the dataset group.
  expect(e2e.sim.inProgressTrainings()).toEqual([]);
  expect(e2e.leftovers()).toEqual([]);

  await destroyAndCheckLeftovers(e2e);
});

test('5b. a stack deleted while its version trains stops the training and deletes the solution', async () => {
  const dir = synthTrainingApp({ jobs: [4, 1], withoutWait: true });
  e2e = await E2E.start();

  const deployed = await e2e.deploy(dir, TRAINING_STACK);
  expect(deployed.status).toBe('CREATE_COMPLETE');
  const version = onlyVersion(e2e);
  // Half an hour into the training (the poller keeps polling meanwhile).
  await e2e.cfn.advance(30 * MINUTE);
  expect(e2e.sim.inProgressTrainings().map(v => [v.arn, v.status])).toEqual([[version, 'CREATE IN_PROGRESS']]);

  const destroyed = await e2e.destroy(TRAINING_STACK);

  expect(destroyed.status).toBe('DELETE_COMPLETE');
  expect(e2e.statusesOf(version).slice(-2)).toEqual(['CREATE STOPPING', 'CREATE STOPPED']);
  expect(e2e.calls('StopSolutionVersionCreation')).toBe(1);
  expect(e2e.leftovers()).toEqual([]);
  // The poller saw the stop, found that the stack no longer waits for this version, and ended without a signal.
  expect(e2e.runningExecutions()).toEqual([]);
});

test('6. a failed training rolls the stack back with Personalize\'s reason; deleting it afterwards leaves nothing', async () => {
  const dir = synthTrainingApp();
  e2e = await E2E.start();
  const why = 'Insufficient data: the interactions dataset needs at least 1000 records, found 12';
  e2e.sim.failNextTraining({ reason: why });

  const deployed = await e2e.deploy(dir, TRAINING_STACK);

  expect(deployed.status).toBe('ROLLBACK_COMPLETE');
  const failed = deployed.events.filter(ev => ev.resourceStatus === 'CREATE_FAILED');
  expect(failed.map(ev => ev.resourceType)).toEqual([TRAINING_RESULT]);
  expect(failed[0].resourceStatusReason).toMatch(new RegExp(`^Training of solution version arn:\\S+ failed \\(CREATE FAILED\\): ${why}$`));
  expect(e2e.statusesOf(onlyVersion(e2e)).pop()).toBe('CREATE FAILED');
  expect(e2e.calls('StopSolutionVersionCreation')).toBe(0);
  expect(e2e.sim.inProgressTrainings()).toEqual([]);
  expect(e2e.leftovers()).toEqual([]);

  await destroyAndCheckLeftovers(e2e);
});
