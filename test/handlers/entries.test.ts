import {
  CreateSolutionCommand,
  CreateSolutionVersionCommand,
  DescribeSolutionCommand,
  DescribeSolutionVersionCommand,
  GetSolutionMetricsCommand,
  PersonalizeClient,
} from '@aws-sdk/client-personalize';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { completeEvent, createEvent, SERVICE_TOKEN, solutionArn, stringProps, versionArn } from './events';
import { handler as isComplete } from '../../src/handlers/is-complete.lambda';
import { handler as onEvent } from '../../src/handlers/on-event.lambda';
import { MAX_ATTEMPTS, personalizeClient, sfnClient } from '../../src/handlers/registry';
import { SOLUTION_VERSION_RESOURCE_TYPE, TRAINING_RESULT_RESOURCE_TYPE } from '../../src/private/contract';

const personalize = mockClient(PersonalizeClient);
const sfn = mockClient(SFNClient);

beforeEach(() => {
  personalize.reset();
  sfn.reset();
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
});

afterEach(() => {
  jest.restoreAllMocks();
});

test('onEvent dispatches Custom::PersonalizeSolution to the solution handler', async () => {
  personalize.on(CreateSolutionCommand).resolves({ solutionArn: solutionArn('movies') });
  await expect(onEvent(createEvent(stringProps('movies')))).resolves.toEqual({
    PhysicalResourceId: solutionArn('movies'),
    Data: { SolutionArn: solutionArn('movies'), SolutionName: 'movies' },
    Decision: { action: 'created' },
  });
  expect(personalize).toHaveReceivedCommandWith(CreateSolutionCommand, { name: 'movies', performAutoTraining: false });
});

test('isComplete dispatches Custom::PersonalizeSolution to the solution handler', async () => {
  personalize.on(DescribeSolutionCommand).resolves({ solution: { name: 'movies', status: 'ACTIVE' } });
  await expect(isComplete(completeEvent(createEvent(stringProps('movies')), solutionArn('movies'), { action: 'created' })))
    .resolves.toEqual({ IsComplete: true, Data: { SolutionArn: solutionArn('movies'), SolutionName: 'movies' } });
});

test('isComplete refuses a decision that is not one its onEvent makes, naming them, and calls nothing', async () => {
  const event = createEvent(stringProps('movies'));
  await expect(isComplete(completeEvent(event, solutionArn('movies'), { action: 'replaced' })))
    .rejects.toThrow(/received \{"action":"replaced"\}, not one its onEvent makes \(created, updated, kept, deleting, retired, none\)/);
  await expect(isComplete({ ...event, PhysicalResourceId: solutionArn('movies') })).rejects.toThrow(/received no decision/);
  expect(personalize).not.toHaveReceivedAnyCommand();
});

test('onEvent dispatches Custom::PersonalizeSolutionVersion: training starts with its poller', async () => {
  const arn = versionArn('movies', '5a515609');
  personalize.on(CreateSolutionVersionCommand).resolves({ solutionVersionArn: arn });
  sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn:aws:states:us-east-1:123456789012:execution:w:x', startDate: new Date() });
  const event = createEvent({
    ServiceToken: SERVICE_TOKEN,
    solutionArn: solutionArn('movies'),
    trainingMode: 'FULL',
    WaitCondition: 'VersionTraining0123ABCD',
    StateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:w',
    TrainingTimeoutSeconds: '3600',
  }, { ResourceType: SOLUTION_VERSION_RESOURCE_TYPE });
  await expect(onEvent(event)).resolves.toEqual({ PhysicalResourceId: arn, Data: { SolutionVersionArn: arn }, Decision: { action: 'done' } });
  expect(sfn).toHaveReceivedCommandTimes(StartExecutionCommand, 1);
  await expect(isComplete(completeEvent(event, arn, { action: 'done' }))).resolves.toEqual({ IsComplete: true });
});

test('onEvent dispatches Custom::PersonalizeTrainingResult', async () => {
  const arn = versionArn('movies', '5a515609');
  personalize.on(DescribeSolutionVersionCommand).resolves({ solutionVersion: { solutionVersionArn: arn, status: 'ACTIVE' } });
  personalize.on(GetSolutionMetricsCommand).resolves({ metrics: { coverage: 0.5 } });
  const event = createEvent({ ServiceToken: SERVICE_TOKEN, SolutionVersionArn: arn, TunedHyperParameters: [], Metrics: ['coverage'] },
    { ResourceType: TRAINING_RESULT_RESOURCE_TYPE });
  await expect(onEvent(event)).resolves.toMatchObject({ PhysicalResourceId: arn, Data: { 'Status': 'ACTIVE', 'Metric.coverage': '0.5' } });
});

test.each([
  ['onEvent', onEvent],
  ['isComplete', isComplete],
])('%s rejects an unknown resource type, naming it', async (_name, entry) => {
  const event = completeEvent(createEvent(stringProps('movies'), { ResourceType: 'Custom::PersonalizeCampaign' }), 'id', { action: 'created' });
  await expect(entry(event)).rejects.toThrow('Unsupported resource type "Custom::PersonalizeCampaign"');
  // Inherited object keys are not resource types either.
  await expect(entry({ ...event, ResourceType: 'constructor' })).rejects.toThrow('Unsupported resource type "constructor"');
  expect(personalize).not.toHaveReceivedAnyCommand();
});

test('one client per container, with SDK retries raised', async () => {
  const client = personalizeClient();
  expect(personalizeClient()).toBe(client);
  expect(MAX_ATTEMPTS).toBe(6);
  await expect(client.config.maxAttempts()).resolves.toBe(6);
  expect(sfnClient()).toBe(sfnClient());
  await expect(sfnClient().config.maxAttempts()).resolves.toBe(6);
});
