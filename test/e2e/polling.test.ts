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

test('8. a 3 h 1 min training is polled at most 30 times per hour and the stack moves on within one poll of ACTIVE', async () => {
  // 8 HPO jobs, 2 at a time: 4 rounds.
  const dir = synthTrainingApp({ jobs: [8, 2] });
  e2e = await E2E.start();

  const deployed = await e2e.deploy(dir, TRAINING_STACK);
  expect(deployed.status).toBe('CREATE_COMPLETE');

  // The training took exactly what the simulator's timing model says.
  const client = new PersonalizeClient(e2e.sim.clientConfig());
  const { solutionVersion } = await client.send(new DescribeSolutionVersionCommand({ solutionVersionArn: deployed.outputs.UpSolutionVersionArn }));
  client.destroy();
  const created = solutionVersion!.creationDateTime!.getTime();
  const active = solutionVersion!.lastUpdatedDateTime!.getTime();
  const trainingMs = TIMING.versionPendingMs + TIMING.baseTrainingMs + 4 * TIMING.roundMs;
  expect(active - created).toBe(trainingMs);
  expect(trainingMs).toBe(3 * HOUR + MINUTE);

  // The poller's checks, each one DescribeSolutionVersion (the training result reads it once more).
  const checks = e2e.cfn.invocations.filter(i => i.functionLogicalId.includes('Poller') && (i.event as { action?: string }).action === 'check');
  const polls = e2e.sim.callLog().filter(c => c.operation === 'DescribeSolutionVersion').slice(0, checks.length);
  expect(polls.every(c => c.outcome === 'ok' && c.simulatedTime > created)).toBe(true);
  const lastPoll = polls[polls.length - 1].simulatedTime;
  const perHour = checks.length / ((lastPoll - created) / HOUR);
  expect(perHour).toBeLessThanOrEqual(30);
  expect(checks.length).toBeLessThanOrEqual(Math.ceil((30 * trainingMs) / HOUR) + 1);

  // Exactly one poll saw ACTIVE, at most 2 minutes after the training ended ...
  expect(checks.map(i => (i.result as { status?: string }).status).filter(s => s === 'ACTIVE')).toHaveLength(1);
  expect(polls.filter(c => c.simulatedTime >= active)).toHaveLength(1);
  expect(lastPoll - active).toBeLessThanOrEqual(2 * MINUTE);

  // ... and the wait condition completed then: the stack moved on within 2 minutes.
  const waited = deployed.events.find(ev => ev.resourceType === 'AWS::CloudFormation::WaitCondition' && ev.resourceStatus === 'CREATE_COMPLETE');
  const movedOn = Date.parse(waited!.timestamp);
  expect(movedOn).toBeGreaterThanOrEqual(active);
  expect(movedOn - active).toBeLessThanOrEqual(2 * MINUTE);

  expect(e2e.sim.inProgressTrainings()).toEqual([]);
  const destroyed = await e2e.destroy(TRAINING_STACK);
  expect(destroyed.status).toBe('DELETE_COMPLETE');
  expect(e2e.leftovers()).toEqual([]);
  expect(e2e.runningExecutions()).toEqual([]);
});
