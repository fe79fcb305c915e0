import { CloudFormationClient, DescribeStackResourceCommand, SignalResourceCommand } from '@aws-sdk/client-cloudformation';
import { CreateSolutionCommand, DeleteSolutionCommand, DescribeSolutionVersionCommand, ListSolutionsCommand, ListSolutionVersionsCommand } from '@aws-sdk/client-personalize';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { activeSolution, startHarness, stopHarness, UP, upHpo, type Harness } from '@cdk-personalize/simulator/testing';
import { mockClient } from 'aws-sdk-client-mock';
import { completeEvent, createEvent, deleteEvent, SERVICE_TOKEN } from './events';
import { SdkPersonalizeApi } from '../../src/handlers/aws/personalize-api';
import type { ResourceProperties } from '../../src/handlers/framework/types';
import { SIGNAL_RETRY_SECONDS, JobPoller } from '../../src/handlers/poller/job-poller';
import { SolutionHandler } from '../../src/handlers/resources/solution-handler';
import { SolutionVersionHandler } from '../../src/handlers/resources/solution-version-handler';
import { TrainingResultHandler } from '../../src/handlers/resources/training-result-handler';
import { NOT_REPORTED, SOLUTION_VERSION_RESOURCE_TYPE, TRAINING_RESULT_RESOURCE_TYPE, type JobPollerInput } from '../../src/private/contract';

/**
 * The handlers against the Personalize simulator over the real SDK wire protocol: status strings,
 * error names and tuned-name echoes as the simulator models them. Step Functions and CloudFormation
 * are mocked.
 */

const sfn = mockClient(SFNClient);
const cloudFormation = mockClient(CloudFormationClient);
const STATE_MACHINE = 'arn:aws:states:us-east-1:123456789012:stateMachine:TrainingWaiter';

let h: Harness | undefined;

afterEach(async () => {
  await stopHarness(h);
  h = undefined;
  jest.restoreAllMocks();
});

beforeEach(() => {
  sfn.reset();
  sfn.on(StartExecutionCommand).resolves({ executionArn: `${STATE_MACHINE}:x`, startDate: new Date() });
  cloudFormation.reset();
  cloudFormation.on(SignalResourceCommand).resolves({});
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
});

function handlers(harness: Harness) {
  const now = () => harness.sim.clock.now();
  return {
    version: new SolutionVersionHandler(new SdkPersonalizeApi(harness.client), {
      stepFunctions: new SFNClient({ region: 'us-east-1' }),
      now,
      backoff: { now, sleep: async (ms) => harness.sim.clock.advance(ms), random: () => 1 },
    }),
    result: new TrainingResultHandler(new SdkPersonalizeApi(harness.client)),
    poller: new JobPoller({
      personalize: harness.client,
      cloudFormation: new CloudFormationClient({ region: 'us-east-1' }),
      now,
    }),
  };
}

function versionProps(solutionArn: string, extra: ResourceProperties = {}): ResourceProperties {
  return {
    ServiceToken: SERVICE_TOKEN,
    solutionArn,
    trainingMode: 'FULL',
    WaitCondition: 'VersionTraining0123ABCD',
    StateMachineArn: STATE_MACHINE,
    TrainingTimeoutSeconds: '21600',
    ...extra,
  };
}

function pollerInput(call = 0): JobPollerInput {
  return JSON.parse(sfn.commandCalls(StartExecutionCommand)[call].args[0].input.input!);
}

test('HPO training end to end: one training for a repeated Create, polled to SUCCESS, prefixed names mapped back', async () => {
  h = await startHarness({ prefixTunedNames: true });
  const solutionArn = await activeSolution(h, { performHPO: true, solutionConfig: upHpo(4, 2) });
  const { version, result, poller } = handlers(h);
  const event = createEvent(versionProps(solutionArn), { ResourceType: SOLUTION_VERSION_RESOURCE_TYPE, LogicalResourceId: 'Version' });

  const created = await version.onEvent(event);
  const again = await version.onEvent({ ...event });
  expect(again).toEqual(created);
  const listed = await h.client.send(new ListSolutionVersionsCommand({ solutionArn }));
  expect(listed.solutionVersions).toHaveLength(1);

  const input = pollerInput();
  expect(input.jobArn).toBe(created.PhysicalResourceId);
  await expect(poller.check(input)).resolves.toMatchObject({ outcome: 'WAIT', status: 'CREATE PENDING' });
  h.sim.clock.advanceMinutes(5);
  await expect(poller.check(input)).resolves.toMatchObject({ outcome: 'WAIT', status: 'CREATE IN_PROGRESS' });
  h.sim.clock.advanceMinutes(180);
  const check = await poller.check(input);
  expect(check).toEqual({ outcome: 'ENDED', status: 'ACTIVE', reason: '', waitSeconds: SIGNAL_RETRY_SECONDS });
  cloudFormation.on(DescribeStackResourceCommand, { LogicalResourceId: 'Version' })
    .resolves({ StackResourceDetail: { LogicalResourceId: 'Version', PhysicalResourceId: input.jobArn, ResourceStatus: 'CREATE_COMPLETE', ResourceType: 'x', LastUpdatedTimestamp: new Date() } });
  cloudFormation.on(DescribeStackResourceCommand, { LogicalResourceId: input.waitLogicalId })
    .resolves({ StackResourceDetail: { LogicalResourceId: input.waitLogicalId, ResourceStatus: 'CREATE_IN_PROGRESS', ResourceType: 'x', LastUpdatedTimestamp: new Date() } });
  await expect(poller.signal(input, 'SUCCESS')).resolves.toMatchObject({ result: 'SIGNALLED' });
  expect(cloudFormation.commandCalls(SignalResourceCommand).map(c => c.args[0].input)).toEqual([{
    StackName: input.stackId, LogicalResourceId: 'VersionTraining0123ABCD', UniqueId: input.jobArn.split('/').pop(), Status: 'SUCCESS',
  }]);

  // The simulator echoes tuned names with their prefixes, as the service is documented to.
  const described = await h.client.send(new DescribeSolutionVersionCommand({ solutionVersionArn: input.jobArn }));
  expect(Object.keys(described.solutionVersion!.tunedHPOParams!.algorithmHyperParameters!).some((k) => k.includes('.'))).toBe(true);

  const { Data } = await result.onEvent(createEvent({
    ServiceToken: SERVICE_TOKEN,
    SolutionVersionArn: input.jobArn,
    TunedHyperParameters: ['hidden_dimension', 'bptt', 'recency_mask'],
    Metrics: ['coverage', 'precision_at_25'],
  }, { ResourceType: TRAINING_RESULT_RESOURCE_TYPE, LogicalResourceId: 'Result' }));
  expect(Data!.Status).toBe('ACTIVE');
  expect(Number(Data!.TrainingHours)).toBeGreaterThan(0);
  for (const name of ['hidden_dimension', 'bptt', 'recency_mask']) {
    expect(Data![`Tuned.${name}`]).not.toBe(NOT_REPORTED);
    expect(JSON.parse(Data!.TunedHPOParams)[name]).toBe(Data![`Tuned.${name}`]);
  }
  expect(Number(Data!['Metric.coverage'])).not.toBeNaN();
});

test('a solution still being created: CreateSolutionVersion is retried until it is ACTIVE', async () => {
  h = await startHarness();
  const { solutionArn } = await h.client.send(new CreateSolutionCommand({
    name: 'sol', datasetGroupArn: h.datasetGroupArn, recipeArn: UP, performAutoTraining: false,
  }));
  const { version } = handlers(h);
  const created = await version.onEvent(createEvent(versionProps(solutionArn!), { ResourceType: SOLUTION_VERSION_RESOURCE_TYPE }));
  expect(created.PhysicalResourceId).toMatch(/solution\/sol\/[^/]+$/);
  expect(h.sim.callCounts().CreateSolutionVersion).toBeGreaterThan(1);
});

test('the quota of trainings in progress: retried, then a clear error', async () => {
  h = await startHarness({ versionQuota: 1 });
  const solutionArn = await activeSolution(h);
  const { version } = handlers(h);
  await version.onEvent(createEvent(versionProps(solutionArn), { ResourceType: SOLUTION_VERSION_RESOURCE_TYPE, RequestId: 'first' }));

  await expect(version.onEvent(createEvent(versionProps(solutionArn), { ResourceType: SOLUTION_VERSION_RESOURCE_TYPE, RequestId: 'second' })))
    .rejects.toThrow(/^CreateSolutionVersion failed: LimitExceededException: .*\(at most 20 solution versions may train at once per region; gave up after 7 attempts over 195 s\)$/);
});

test('past the deadline the poller stops the training; deleting the resource then has nothing to stop', async () => {
  h = await startHarness();
  const solutionArn = await activeSolution(h);
  const { version, poller } = handlers(h);
  const created = await version.onEvent(createEvent(versionProps(solutionArn, { TrainingTimeoutSeconds: '600' }), {
    ResourceType: SOLUTION_VERSION_RESOURCE_TYPE,
  }));
  const input = pollerInput();
  h.sim.clock.advanceMinutes(10);

  await expect(poller.check(input)).resolves.toEqual({
    outcome: 'ENDED',
    status: 'CREATE IN_PROGRESS',
    reason: 'training did not finish within the trainingTimeout of 10m (status CREATE IN_PROGRESS); it was stopped',
    waitSeconds: SIGNAL_RETRY_SECONDS,
  });
  const stopped = await h.client.send(new DescribeSolutionVersionCommand({ solutionVersionArn: input.jobArn }));
  expect(stopped.solutionVersion!.status).toMatch(/^CREATE STOPP(ING|ED)$/);

  const before = h.sim.callCounts().StopSolutionVersionCreation;
  await version.onEvent({ ...deleteEvent(created.PhysicalResourceId!, {}), ResourceType: SOLUTION_VERSION_RESOURCE_TYPE });
  expect(h.sim.callCounts().StopSolutionVersionCreation).toBe(before);
});

test('a repeated solution Create takes over the solution it created; an old or foreign one is a clear error', async () => {
  h = await startHarness();
  const harness = h;
  const solution = new SolutionHandler(new SdkPersonalizeApi(harness.client), { now: () => harness.sim.clock.now() });
  const props = (name: string, datasetGroupArn = harness.datasetGroupArn) =>
    ({ ServiceToken: SERVICE_TOKEN, NameIsGenerated: 'false', name, datasetGroupArn, recipeArn: UP });
  const event = createEvent(props('movies'));

  const created = await solution.onEvent(event);
  const again = await solution.onEvent({ ...event });
  expect(again).toEqual(created);
  expect(created.PhysicalResourceId).toBe('arn:aws:personalize:us-east-1:123456789012:solution/movies');
  expect((await harness.client.send(new ListSolutionsCommand({}))).solutions).toHaveLength(1);
  harness.sim.clock.advanceSeconds(60);
  await expect(solution.isComplete(completeEvent(event, created.PhysicalResourceId!, { action: 'created' }))).resolves.toMatchObject({ IsComplete: true });

  const other = harness.sim.seedDatasetGroup('other');
  await expect(solution.onEvent(createEvent(props('movies', other)))).rejects.toThrow(/it belongs to dataset group .*dataset-group\/dsg/);

  harness.sim.clock.advanceSeconds(3 * 3600);
  await expect(solution.onEvent({ ...event })).rejects.toThrow(/already exists and is not taken over .*before this deployment.*change solutionName/);

  await harness.client.send(new DeleteSolutionCommand({ solutionArn: created.PhysicalResourceId! }));
  await expect(solution.onEvent({ ...event })).rejects.toThrow(/it is being deleted \(DELETE (PENDING|IN_PROGRESS)\)/);
});
