import { DescribeSolutionVersionCommand, PersonalizeClient } from '@aws-sdk/client-personalize';
import { TIMING } from '@cdk-personalize/simulator';
import { E2E, HOUR, MINUTE, synthTrainingApp, TRAINING_STACK, removeAssemblies } from './harness';

/**
 * What waiting for a training costs: DescribeSolutionVersion calls per training hour, and how soon
 * the stack moves on once the version is ACTIVE. Times are the simulator's (SIMULATED).
 */

jest.setTimeout(60_000);

let e2e: E2E | undefined;

afterEach(async () => {
  await e2e?.close();
  e2e = undefined;
});

afterAll(() => removeAssemblies());

/** How the poller waited for one training of a deployed stack. */
async function pollingOf(deployed: Awaited<ReturnType<E2E['deploy']>>, env: E2E) {
  const arn = deployed.outputs.UpSolutionVersionArn;
  const client = new PersonalizeClient(env.sim.clientConfig());
  const { solutionVersion } = await client.send(new DescribeSolutionVersionCommand({ solutionVersionArn: arn }));
  client.destroy();
  const created = solutionVersion!.creationDateTime!.getTime();
  const active = solutionVersion!.lastUpdatedDateTime!.getTime();
  // The poller's checks of this version, each one DescribeSolutionVersion.
  const checks = env.cfn.invocations.filter(i => i.functionLogicalId.includes('Poller') &&
    (i.event as { action?: string }).action === 'check' &&
    (i.event as { jobArn?: string }).jobArn === arn);
  const polls = env.sim.callLog().filter(c => c.operation === 'DescribeSolutionVersion' && c.simulatedTime > created && c.simulatedTime <= active + 10 * MINUTE);
  const sawEnd = polls.filter(c => c.simulatedTime >= active);
  const waited = deployed.events.filter(ev => ev.resourceType === 'AWS::CloudFormation::WaitCondition' && ev.resourceStatus === 'CREATE_COMPLETE').pop();
  return {
    trainingMs: active - created,
    checks: checks.length,
    perHour: checks.length / ((sawEnd[0].simulatedTime - created) / HOUR),
    delayMs: sawEnd[0].simulatedTime - active,
    sawActive: checks.filter(i => (i.result as { status?: string }).status === 'ACTIVE').length,
    movedOnMs: Date.parse(waited!.timestamp) - active,
  };
}

test('8. a first training of 3 h 1 min is polled at most 20 times per hour and the stack moves on within 3 minutes of ACTIVE; '
  + 'its retrain, predicted from it, at most 15 times per hour and within 2 minutes', async () => {
  // 8 HPO jobs, 2 at a time: 4 rounds.
  const first = synthTrainingApp({ jobs: [8, 2], retrainTrigger: 'first' });
  e2e = await E2E.start();

  const deployed = await e2e.deploy(first, TRAINING_STACK);
  expect(deployed.status).toBe('CREATE_COMPLETE');
  const trainingMs = TIMING.versionPendingMs + TIMING.baseTrainingMs + 4 * TIMING.roundMs;
  expect(trainingMs).toBe(3 * HOUR + MINUTE);

  const firstPolling = await pollingOf(deployed, e2e);
  expect(firstPolling.trainingMs).toBe(trainingMs);
  expect(firstPolling.perHour).toBeLessThanOrEqual(20);
  expect(firstPolling.delayMs).toBeLessThanOrEqual(3 * MINUTE);
  // Exactly one check saw ACTIVE, and the wait condition completed then.
  expect(firstPolling.sawActive).toBe(1);
  expect(firstPolling.movedOnMs).toBeGreaterThanOrEqual(0);
  expect(firstPolling.movedOnMs).toBeLessThanOrEqual(3 * MINUTE);

  const retrained = await e2e.deploy(synthTrainingApp({ jobs: [8, 2], retrainTrigger: 'second' }), TRAINING_STACK);
  expect(retrained.status).toBe('UPDATE_COMPLETE');
  expect(retrained.outputs.UpSolutionVersionArn).not.toBe(deployed.outputs.UpSolutionVersionArn);
  const retrain = await pollingOf(retrained, e2e);
  expect(retrain.trainingMs).toBe(trainingMs);
  expect(retrain.perHour).toBeLessThanOrEqual(15);
  expect(retrain.delayMs).toBeLessThanOrEqual(2 * MINUTE);
  expect(retrain.sawActive).toBe(1);
  expect(retrain.movedOnMs).toBeLessThanOrEqual(2 * MINUTE);

  expect(e2e.sim.inProgressTrainings()).toEqual([]);
  const destroyed = await e2e.destroy(TRAINING_STACK);
  expect(destroyed.status).toBe('DELETE_COMPLETE');
  expect(e2e.leftovers()).toEqual([]);
  expect(e2e.runningExecutions()).toEqual([]);
});
