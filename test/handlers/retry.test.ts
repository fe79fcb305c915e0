import { CreateSolutionCommand, PersonalizeClient } from '@aws-sdk/client-personalize';
import { createEvent, stringProps } from './events';
import { SdkPersonalizeApi } from '../../src/handlers/aws/personalize-api';
import { SolutionHandler } from '../../src/handlers/resources/solution-handler';

/**
 * No client mock here: a fake HTTP handler answers every request with a Personalize error, so the
 * SDK's real retry middleware runs. LimitExceededException is in the SDK's throttling list.
 */
function failingClient(errorType: string, message: string, maxAttempts: number) {
  const requests: string[] = [];
  const client = new PersonalizeClient({
    maxAttempts,
    requestHandler: {
      handle: async (request: { headers: Record<string, string> }) => {
        requests.push(request.headers['x-amz-target']);
        return {
          response: {
            statusCode: 400,
            headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': 'req' },
            body: Buffer.from(JSON.stringify({ __type: errorType, message })),
          },
        };
      },
    } as any,
  });
  return { client, requests };
}

beforeEach(() => {
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
});

afterEach(() => {
  jest.restoreAllMocks();
});

test('LimitExceededException is retried by the SDK, then surfaces with the service message', async () => {
  const { client, requests } = failingClient('LimitExceededException', 'More than 20 solution versions in progress', 3);
  const handler = new SolutionHandler(new SdkPersonalizeApi(client));

  await expect(handler.onEvent(createEvent(stringProps('movies'))))
    .rejects.toThrow('CreateSolution failed: LimitExceededException: More than 20 solution versions in progress');
  expect(requests).toEqual(Array(3).fill('AmazonPersonalize.CreateSolution'));
});

test('InvalidInputException is not retried', async () => {
  const { client, requests } = failingClient('InvalidInputException', 'Provide a hyperparameter that is used in the algorithm', 3);
  await expect(client.send(new CreateSolutionCommand({ name: 'movies', datasetGroupArn: 'arn:aws:personalize:us-east-1:1:dataset-group/dg' })))
    .rejects.toMatchObject({ name: 'InvalidInputException' });
  expect(requests).toHaveLength(1);
});
