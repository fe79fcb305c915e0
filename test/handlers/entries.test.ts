import { CreateSolutionCommand, DescribeSolutionCommand, PersonalizeClient } from '@aws-sdk/client-personalize';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { completeEvent, createEvent, solutionArn, stringProps } from './events';
import { handler as isComplete } from '../../src/handlers/is-complete.lambda';
import { handler as onEvent } from '../../src/handlers/on-event.lambda';
import { MAX_ATTEMPTS, personalizeClient } from '../../src/handlers/registry';

const personalize = mockClient(PersonalizeClient);

beforeEach(() => {
  personalize.reset();
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
  });
  expect(personalize).toHaveReceivedCommandWith(CreateSolutionCommand, { name: 'movies', performAutoTraining: false });
});

test('isComplete dispatches Custom::PersonalizeSolution to the solution handler', async () => {
  personalize.on(DescribeSolutionCommand).resolves({ solution: { name: 'movies', status: 'ACTIVE' } });
  await expect(isComplete(completeEvent(createEvent(stringProps('movies')), solutionArn('movies'))))
    .resolves.toEqual({ IsComplete: true, Data: { SolutionArn: solutionArn('movies'), SolutionName: 'movies' } });
});

test.each([
  ['onEvent', onEvent],
  ['isComplete', isComplete],
])('%s rejects an unknown resource type, naming it', async (_name, entry) => {
  const event = completeEvent(createEvent(stringProps('movies'), { ResourceType: 'Custom::PersonalizeCampaign' }), 'id');
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
});
