import {
  CreateSolutionCommand,
  DeleteSolutionCommand,
  DescribeCampaignCommand,
  DescribeSolutionCommand,
  InvalidInputException,
  LimitExceededException,
  ListCampaignsCommand,
  ListSolutionsCommand,
  ListSolutionVersionsCommand,
  ListTagsForResourceCommand,
  PersonalizeClient,
  ResourceAlreadyExistsException,
  ResourceInUseException,
  ResourceNotFoundException,
  StopSolutionVersionCreationCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateSolutionCommand,
} from '@aws-sdk/client-personalize';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import {
  afterOnEvent,
  completeEvent,
  createEvent,
  DATASET_GROUP_ARN,
  deleteEvent,
  RECIPE_ARN,
  solutionArn,
  stringProps,
  updateEvent,
  versionArn,
} from './events';
import { replacementName } from '../../src/handlers/aws/names';
import { SdkPersonalizeApi } from '../../src/handlers/aws/personalize-api';
import { ADOPT_WINDOW_MS } from '../../src/handlers/framework/adopt';
import { SolutionHandler } from '../../src/handlers/resources/solution-handler';

const personalize = mockClient(PersonalizeClient);
let handler: SolutionHandler;

const meta = { $metadata: {} };
/** The tag every created solution gets: a digest of what replaces it. */
const SPEC_TAG = { tagKey: 'cdk-personalize:spec', tagValue: expect.stringMatching(/^[0-9a-f]{32}$/) };
const notFound = (message = 'Could not find resource') => new ResourceNotFoundException({ message, ...meta });
const inUse = (message = 'Resource is in use') => new ResourceInUseException({ message, ...meta });

beforeEach(() => {
  personalize.reset();
  // One attempt: the SDK's retries are exercised in retry.test.ts, not here.
  handler = new SolutionHandler(new SdkPersonalizeApi(new PersonalizeClient({ maxAttempts: 1 })));
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
});

afterEach(() => {
  jest.restoreAllMocks();
});

function inputOf<T extends new (...args: any[]) => any>(command: T, call = 0): unknown {
  return personalize.commandCalls(command as any)[call].args[0].input;
}

describe('create', () => {
  test('coerces stringified properties, strips control keys and turns automatic training off', async () => {
    personalize.on(CreateSolutionCommand).resolves({ solutionArn: solutionArn('movies') });

    const response = await handler.onEvent(createEvent(stringProps('movies', {
      performHPO: 'true',
      performAutoML: 'false',
      performIncrementalUpdate: 'false',
      eventType: 'click',
      solutionConfig: {
        eventValueThreshold: '0.5',
        hpoConfig: {
          hpoObjective: { type: 'Maximize', metricName: 'precision_at_25', metricRegex: '.*' },
          hpoResourceConfig: { maxNumberOfTrainingJobs: '20', maxParallelTrainingJobs: '5' },
          algorithmHyperParameterRanges: {
            integerHyperParameterRanges: [
              { name: 'hidden_dimension', minValue: '32', maxValue: '256' },
              { name: 'bptt', minValue: '2', maxValue: '32' },
            ],
            continuousHyperParameterRanges: [{ name: 'popularity_discount_factor', minValue: '0.1', maxValue: '0.9' }],
            categoricalHyperParameterRanges: [{ name: 'recency_mask', values: ['true', 'false'] }],
          },
        },
        algorithmHyperParameters: { hidden_dimension: '100', recency_mask: 'true' },
        featureTransformationParameters: { max_user_history_length_percentile: '0.99' },
        eventsConfig: { eventParametersList: [{ eventType: 'click', eventValueThreshold: '1.5', weight: '0.3' }] },
        optimizationObjective: { itemAttribute: 'PRICE', objectiveSensitivity: 'MEDIUM' },
        trainingDataConfig: { excludedDatasetColumns: { Items: ['GENRE'] } },
        autoTrainingConfig: { schedulingExpression: 'rate(10 days)' },
      },
      tags: [{ tagKey: 'team', tagValue: 'recs' }],
    })));

    expect(response).toEqual({
      PhysicalResourceId: solutionArn('movies'),
      Data: { SolutionArn: solutionArn('movies'), SolutionName: 'movies' },
      Decision: { action: 'created' },
    });
    expect(personalize).toHaveReceivedCommandTimes(CreateSolutionCommand, 1);
    expect(inputOf(CreateSolutionCommand)).toStrictEqual({
      name: 'movies',
      datasetGroupArn: DATASET_GROUP_ARN,
      recipeArn: RECIPE_ARN,
      performHPO: true,
      performAutoML: false,
      performAutoTraining: false,
      performIncrementalUpdate: false,
      eventType: 'click',
      solutionConfig: {
        eventValueThreshold: '0.5',
        hpoConfig: {
          hpoResourceConfig: { maxNumberOfTrainingJobs: '20', maxParallelTrainingJobs: '5' },
          algorithmHyperParameterRanges: {
            integerHyperParameterRanges: [
              { name: 'hidden_dimension', minValue: 32, maxValue: 256 },
              { name: 'bptt', minValue: 2, maxValue: 32 },
            ],
            continuousHyperParameterRanges: [{ name: 'popularity_discount_factor', minValue: 0.1, maxValue: 0.9 }],
            categoricalHyperParameterRanges: [{ name: 'recency_mask', values: ['true', 'false'] }],
          },
        },
        algorithmHyperParameters: { hidden_dimension: '100', recency_mask: 'true' },
        featureTransformationParameters: { max_user_history_length_percentile: '0.99' },
        eventsConfig: { eventParametersList: [{ eventType: 'click', eventValueThreshold: 1.5, weight: 0.3 }] },
        optimizationObjective: { itemAttribute: 'PRICE', objectiveSensitivity: 'MEDIUM' },
        trainingDataConfig: { excludedDatasetColumns: { Items: ['GENRE'] } },
        autoTrainingConfig: { schedulingExpression: 'rate(10 days)' },
      },
      tags: [{ tagKey: 'team', tagValue: 'recs' }, SPEC_TAG],
    });
  });

  test('accepts already-typed values and sends performAutoTraining false when absent', async () => {
    personalize.on(CreateSolutionCommand).resolves({ solutionArn: solutionArn('typed') });

    await handler.onEvent(createEvent({
      name: 'typed',
      datasetGroupArn: DATASET_GROUP_ARN,
      recipeArn: RECIPE_ARN,
      performHPO: true,
      solutionConfig: {
        hpoConfig: {
          hpoResourceConfig: { maxNumberOfTrainingJobs: 4, maxParallelTrainingJobs: 2 },
          algorithmHyperParameterRanges: {
            integerHyperParameterRanges: [{ name: 'bptt', minValue: 2, maxValue: 32 }],
            continuousHyperParameterRanges: [],
            categoricalHyperParameterRanges: [],
          },
        },
        eventsConfig: { eventParametersList: [{ eventType: 'buy', weight: 1 }] },
      },
    }));

    expect(inputOf(CreateSolutionCommand)).toStrictEqual({
      name: 'typed',
      datasetGroupArn: DATASET_GROUP_ARN,
      recipeArn: RECIPE_ARN,
      performHPO: true,
      performAutoTraining: false,
      solutionConfig: {
        hpoConfig: {
          hpoResourceConfig: { maxNumberOfTrainingJobs: '4', maxParallelTrainingJobs: '2' },
          algorithmHyperParameterRanges: {
            integerHyperParameterRanges: [{ name: 'bptt', minValue: 2, maxValue: 32 }],
            continuousHyperParameterRanges: [],
            categoricalHyperParameterRanges: [],
          },
        },
        eventsConfig: { eventParametersList: [{ eventType: 'buy', weight: 1 }] },
      },
      tags: [SPEC_TAG],
    });
  });

  test('keeps an explicit performAutoTraining true', async () => {
    personalize.on(CreateSolutionCommand).resolves({ solutionArn: solutionArn('auto') });
    await handler.onEvent(createEvent(stringProps('auto', { performAutoTraining: 'true' })));
    expect(personalize).toHaveReceivedCommandWith(CreateSolutionCommand, { performAutoTraining: true });
  });

  test('rejects values that cannot be coerced, naming the property', async () => {
    await expect(handler.onEvent(createEvent(stringProps('bad', { performHPO: 'yes' }))))
      .rejects.toThrow('Property performHPO must be a boolean, got "yes"');
    await expect(handler.onEvent(createEvent(stringProps('bad', {
      solutionConfig: {
        hpoConfig: { algorithmHyperParameterRanges: { integerHyperParameterRanges: [{ name: 'bptt', minValue: '2.5', maxValue: '32' }] } },
      },
    })))).rejects.toThrow(
      'Property solutionConfig.hpoConfig.algorithmHyperParameterRanges.integerHyperParameterRanges[0].minValue must be an integer, got "2.5"',
    );
    await expect(handler.onEvent(createEvent({ ServiceToken: 'x', name: 'no-dg' })))
      .rejects.toThrow('Property datasetGroupArn is required');
    expect(personalize).not.toHaveReceivedCommand(CreateSolutionCommand);
  });

  describe('isComplete', () => {
    const event = completeEvent(createEvent(stringProps('movies')), solutionArn('movies'), { action: 'created' });

    test.each(['CREATE PENDING', 'CREATE IN_PROGRESS'])('%s is not complete', async (status) => {
      personalize.on(DescribeSolutionCommand).resolves({ solution: { name: 'movies', solutionArn: solutionArn('movies'), status } });
      await expect(handler.isComplete(event)).resolves.toEqual({ IsComplete: false });
      expect(personalize).toHaveReceivedCommandWith(DescribeSolutionCommand, { solutionArn: solutionArn('movies') });
    });

    test('ACTIVE is complete, with the attributes', async () => {
      personalize.on(DescribeSolutionCommand).resolves({ solution: { name: 'movies', solutionArn: solutionArn('movies'), status: 'ACTIVE' } });
      await expect(handler.isComplete(event)).resolves.toEqual({
        IsComplete: true,
        Data: { SolutionArn: solutionArn('movies'), SolutionName: 'movies' },
      });
    });

    test('CREATE FAILED throws the failure reason, naming the solution', async () => {
      personalize.on(DescribeSolutionCommand).resolves({
        solution: {
          name: 'movies',
          status: 'CREATE FAILED',
          latestSolutionUpdate: { status: 'CREATE FAILED', failureReason: 'Insufficient data for training' },
        },
      });
      await expect(handler.isComplete(event)).rejects.toThrow('Creating solution movies failed: Insufficient data for training');
    });

    test('CREATE FAILED without a reason throws the status', async () => {
      personalize.on(DescribeSolutionCommand).resolves({ solution: { name: 'movies', status: 'CREATE FAILED' } });
      await expect(handler.isComplete(event)).rejects.toThrow('Creating solution movies failed: CREATE FAILED');
    });
  });
});

describe('service errors surface with the operation, the error name and the service message', () => {
  test.each([
    ['InvalidInputException', new InvalidInputException({ message: 'Provide a hyperparameter that is used in the algorithm: arn:aws:personalize:::algorithm/aws-similar-items', ...meta }),
      'CreateSolution failed: InvalidInputException: Provide a hyperparameter that is used in the algorithm: arn:aws:personalize:::algorithm/aws-similar-items'],
    ['ResourceAlreadyExistsException', new ResourceAlreadyExistsException({ message: 'Solution arn:aws:personalize:us-east-1:123456789012:solution/movies already exists', ...meta }),
      'CreateSolution failed: ResourceAlreadyExistsException: Solution arn:aws:personalize:us-east-1:123456789012:solution/movies already exists'],
    ['ResourceNotFoundException', new ResourceNotFoundException({ message: `Could not find resource ${DATASET_GROUP_ARN}`, ...meta }),
      `CreateSolution failed: ResourceNotFoundException: Could not find resource ${DATASET_GROUP_ARN}`],
    // What reaches the handler once the SDK has used up its retries.
    ['LimitExceededException', new LimitExceededException({ message: 'More than 10 solutions in ACTIVE state', ...meta }),
      'CreateSolution failed: LimitExceededException: More than 10 solutions in ACTIVE state'],
  ])('%s on CreateSolution', async (_name, error, message) => {
    personalize.on(CreateSolutionCommand).rejects(error);
    // For ResourceAlreadyExists: no solution to take over, so the original error surfaces.
    personalize.on(DescribeSolutionCommand).rejects(notFound());
    await expect(handler.onEvent(createEvent(stringProps('movies')))).rejects.toThrow(message);
    expect(personalize).toHaveReceivedCommandTimes(CreateSolutionCommand, 1);
  });

  test('on DescribeSolution while waiting', async () => {
    personalize.on(DescribeSolutionCommand).rejects(notFound('Could not find solution'));
    await expect(handler.isComplete(completeEvent(createEvent(stringProps('movies')), solutionArn('movies'), { action: 'created' })))
      .rejects.toThrow('DescribeSolution failed: ResourceNotFoundException: Could not find solution');
  });
});

describe('a create delivered twice (ResourceAlreadyExists) takes over only the solution it created', () => {
  const NOW = Date.UTC(2024, 4, 1, 12, 0, 0);
  const arn = solutionArn('movies');
  const exists = () => new ResourceAlreadyExistsException({ message: `Solution ${arn} already exists`, ...meta });
  const created = (extra: Record<string, unknown> = {}) => ({
    solution: {
      solutionArn: arn,
      name: 'movies',
      datasetGroupArn: DATASET_GROUP_ARN,
      recipeArn: RECIPE_ARN,
      performAutoML: false,
      status: 'CREATE IN_PROGRESS',
      creationDateTime: new Date(NOW - 3 * 60 * 1000),
      ...extra,
    },
  });
  const refused = 'CreateSolution failed: ResourceAlreadyExistsException: Solution ' + arn + ' already exists. ' +
    'A solution named "movies" already exists and is not taken over as the one this request created';
  const advice = /Personalize solution names are unique per account and region: change solutionName, or remove it/;

  beforeEach(() => {
    handler = new SolutionHandler(new SdkPersonalizeApi(new PersonalizeClient({ maxAttempts: 1 })), { now: () => NOW });
  });

  test('the second delivery returns the first one\'s solution without creating another', async () => {
    personalize.on(CreateSolutionCommand).resolvesOnce({ solutionArn: arn }).rejects(exists());
    personalize.on(DescribeSolutionCommand).resolves(created());
    const event = createEvent(stringProps('movies'));

    const first = await handler.onEvent(event);
    const second = await handler.onEvent({ ...event });

    expect(second).toEqual(first);
    expect(second).toEqual({ PhysicalResourceId: arn, Data: { SolutionArn: arn, SolutionName: 'movies' }, Decision: { action: 'created' } });
    expect(personalize).toHaveReceivedCommandTimes(CreateSolutionCommand, 2);
    expect(personalize).toHaveReceivedCommandTimes(DescribeSolutionCommand, 1);
    expect(personalize).toHaveReceivedCommandWith(DescribeSolutionCommand, { solutionArn: arn });
    expect(personalize).not.toHaveReceivedCommand(DeleteSolutionCommand);
  });

  test('isComplete then waits for the taken-over solution as for a create', async () => {
    personalize.on(CreateSolutionCommand).rejects(exists());
    personalize.on(DescribeSolutionCommand).resolvesOnce(created()).resolves(created({ status: 'ACTIVE' }));
    const event = createEvent(stringProps('movies'));
    const { PhysicalResourceId } = await handler.onEvent(event);
    await expect(handler.isComplete(completeEvent(event, PhysicalResourceId!, { action: 'created' }))).resolves.toEqual({
      IsComplete: true,
      Data: { SolutionArn: arn, SolutionName: 'movies' },
    });
  });

  test('the ARN is built from the partition, region and account of the StackId', async () => {
    const cnArn = 'arn:aws-cn:personalize:cn-north-1:210987654321:solution/movies';
    personalize.on(CreateSolutionCommand).rejects(exists());
    personalize.on(DescribeSolutionCommand).resolves(created({ solutionArn: cnArn }));
    const response = await handler.onEvent(createEvent(stringProps('movies'), {
      StackId: 'arn:aws-cn:cloudformation:cn-north-1:210987654321:stack/test/guid',
    }));
    expect(personalize).toHaveReceivedCommandWith(DescribeSolutionCommand, { solutionArn: cnArn });
    expect(response.PhysicalResourceId).toBe(cnArn);
  });

  test('a replacing Update delivered twice takes over its replacement', async () => {
    personalize.on(ListTagsForResourceCommand).resolves({ tags: [] });
    const base = 'stack-solution-a1b2c3d4';
    const name = replacementName(base, '8f1d4c2e-7f8a-4a53-9b36-2d6c1e0a4f11');
    const sims = 'arn:aws:personalize:::recipe/aws-sims';
    personalize.on(CreateSolutionCommand).rejects(exists());
    personalize.on(DescribeSolutionCommand).resolves(created({ solutionArn: solutionArn(name), name, recipeArn: sims }));
    const props = (extra = {}) => stringProps(base, { NameIsGenerated: 'true', ...extra });

    const response = await handler.onEvent(updateEvent(solutionArn(base), props(), props({ recipeArn: sims })));

    expect(response).toEqual({
      PhysicalResourceId: solutionArn(name), Data: { SolutionArn: solutionArn(name), SolutionName: name }, Decision: { action: 'created' },
    });
    expect(personalize).toHaveReceivedCommandWith(DescribeSolutionCommand, { solutionArn: solutionArn(name) });
  });

  test('an AutoML solution matches on performAutoML (its recipe is chosen later)', async () => {
    personalize.on(CreateSolutionCommand).rejects(exists());
    personalize.on(DescribeSolutionCommand).resolves(created({ recipeArn: undefined, performAutoML: true }));
    const response = await handler.onEvent(createEvent(stringProps('movies', { recipeArn: undefined, performAutoML: 'true' })));
    expect(response.PhysicalResourceId).toBe(arn);
  });

  test.each([
    ['of another dataset group', { datasetGroupArn: 'arn:aws:personalize:us-east-1:123456789012:dataset-group/other' },
      'it belongs to dataset group arn:aws:personalize:us-east-1:123456789012:dataset-group/other, not ' + DATASET_GROUP_ARN],
    ['with another recipe', { recipeArn: 'arn:aws:personalize:::recipe/aws-sims' },
      `it uses recipe arn:aws:personalize:::recipe/aws-sims, not recipe ${RECIPE_ARN}`],
    ['using AutoML', { recipeArn: undefined, performAutoML: true }, `it uses AutoML, not recipe ${RECIPE_ARN}`],
    ['created before the adopt window', { status: 'ACTIVE', creationDateTime: new Date(NOW - ADOPT_WINDOW_MS - 1000) },
      'it was created at 2024-05-01T09:59:59.000Z, before this deployment'],
    ['without a creation time', { creationDateTime: undefined }, 'it was created at an unknown time'],
    ['being deleted', { status: 'DELETE IN_PROGRESS' }, 'it is being deleted (DELETE IN_PROGRESS); deploy again once the deletion has finished'],
    ['pending deletion', { status: 'DELETE PENDING' }, 'it is being deleted (DELETE PENDING)'],
  ])('an existing solution %s is a clear error', async (_case, solution, why) => {
    personalize.on(CreateSolutionCommand).rejects(exists());
    personalize.on(DescribeSolutionCommand).resolves(created(solution));

    const result = handler.onEvent(createEvent(stringProps('movies')));

    await expect(result).rejects.toThrow(`${refused}: ${why}`);
    await expect(result).rejects.toThrow(advice);
    expect(personalize).toHaveReceivedCommandTimes(CreateSolutionCommand, 1);
  });

  test('a solution created exactly at the window\'s edge is still taken over', async () => {
    personalize.on(CreateSolutionCommand).rejects(exists());
    personalize.on(DescribeSolutionCommand).resolves(created({ creationDateTime: new Date(NOW - ADOPT_WINDOW_MS) }));
    await expect(handler.onEvent(createEvent(stringProps('movies')))).resolves.toMatchObject({ PhysicalResourceId: arn });
  });

  test('a name taken but not found under the derived ARN is a clear error', async () => {
    personalize.on(CreateSolutionCommand).rejects(exists());
    personalize.on(DescribeSolutionCommand).rejects(notFound());
    await expect(handler.onEvent(createEvent(stringProps('movies')))).rejects.toThrow(`${refused}: ${arn} was not found`);
  });

  test('a failed DescribeSolution surfaces with the original error', async () => {
    personalize.on(CreateSolutionCommand).rejects(exists());
    personalize.on(DescribeSolutionCommand).rejects(new InvalidInputException({ message: 'denied', ...meta }));
    await expect(handler.onEvent(createEvent(stringProps('movies')))).rejects.toThrow(
      `CreateSolution failed: ResourceAlreadyExistsException: Solution ${arn} already exists. Checking whether this request ` +
      `created ${arn} failed: DescribeSolution failed: InvalidInputException: denied`,
    );
  });

  test('other CreateSolution errors do not look for a solution to take over', async () => {
    personalize.on(CreateSolutionCommand).rejects(new InvalidInputException({ message: 'bad', ...meta }));
    await expect(handler.onEvent(createEvent(stringProps('movies')))).rejects.toThrow('CreateSolution failed: InvalidInputException: bad');
    expect(personalize).not.toHaveReceivedCommand(DescribeSolutionCommand);
  });
});

describe('update in place', () => {
  const arn = solutionArn('movies');
  const before = stringProps('movies', {
    performAutoTraining: 'true',
    solutionConfig: {
      algorithmHyperParameters: { hidden_dimension: '100' },
      autoTrainingConfig: { schedulingExpression: 'rate(7 days)' },
    },
    tags: [{ tagKey: 'team', tagValue: 'recs' }, { tagKey: 'stage', tagValue: 'dev' }],
  });

  test('automatic training and events config go through UpdateSolution with both current values', async () => {
    personalize.on(UpdateSolutionCommand).resolves({ solutionArn: arn });
    const after = stringProps('movies', {
      performAutoTraining: 'true',
      solutionConfig: {
        // Same members in another order: not a change.
        autoTrainingConfig: { schedulingExpression: 'rate(14 days)' },
        algorithmHyperParameters: { hidden_dimension: '100' },
        eventsConfig: { eventParametersList: [{ eventType: 'click', weight: '0.4' }] },
      },
      tags: [{ tagKey: 'team', tagValue: 'recs' }, { tagKey: 'stage', tagValue: 'dev' }],
    });

    const response = await handler.onEvent(updateEvent(arn, before, after));

    // When UpdateSolution was called, so that isComplete waits for that update.
    expect(response).toEqual({
      PhysicalResourceId: arn,
      Data: { SolutionArn: arn, SolutionName: 'movies' },
      Decision: { action: 'updated', requestedAt: expect.stringMatching(/^\d{13}$/) },
    });
    expect(personalize).not.toHaveReceivedCommand(CreateSolutionCommand);
    expect(personalize).not.toHaveReceivedCommand(TagResourceCommand);
    expect(personalize).not.toHaveReceivedCommand(UntagResourceCommand);
    expect(personalize).toHaveReceivedCommandTimes(UpdateSolutionCommand, 1);
    expect(inputOf(UpdateSolutionCommand)).toStrictEqual({
      solutionArn: arn,
      performAutoTraining: true,
      solutionUpdateConfig: {
        autoTrainingConfig: { schedulingExpression: 'rate(14 days)' },
        eventsConfig: { eventParametersList: [{ eventType: 'click', weight: 0.4 }] },
      },
    });
  });

  test('removing performAutoTraining turns automatic training off', async () => {
    personalize.on(UpdateSolutionCommand).resolves({ solutionArn: arn });
    const after = { ...before };
    delete after.performAutoTraining;
    await handler.onEvent(updateEvent(arn, before, after));
    expect(inputOf(UpdateSolutionCommand)).toStrictEqual({
      solutionArn: arn,
      performAutoTraining: false,
      solutionUpdateConfig: { autoTrainingConfig: { schedulingExpression: 'rate(7 days)' } },
    });
  });

  test('tag changes use TagResource and UntagResource only', async () => {
    const after = { ...before, tags: [{ tagKey: 'team', tagValue: 'search' }, { tagKey: 'owner', tagValue: 'ana' }] };
    await handler.onEvent(updateEvent(arn, before, after));

    expect(inputOf(UntagResourceCommand)).toStrictEqual({ resourceArn: arn, tagKeys: ['stage'] });
    expect(inputOf(TagResourceCommand)).toStrictEqual({
      resourceArn: arn,
      tags: [{ tagKey: 'team', tagValue: 'search' }, { tagKey: 'owner', tagValue: 'ana' }],
    });
    expect(personalize).not.toHaveReceivedCommand(UpdateSolutionCommand);
    expect(personalize).not.toHaveReceivedCommand(CreateSolutionCommand);
  });

  test('a change of control keys only calls nothing', async () => {
    const response = await handler.onEvent(updateEvent(arn, before, { ...before, ServiceToken: 'arn:other' }));
    expect(response.PhysicalResourceId).toBe(arn);
    expect(personalize).not.toHaveReceivedAnyCommand();
  });

  test('UpdateSolution errors surface', async () => {
    personalize.on(UpdateSolutionCommand).rejects(inUse('Solution update is in progress'));
    await expect(handler.onEvent(updateEvent(arn, before, { ...before, performAutoTraining: 'false' })))
      .rejects.toThrow('UpdateSolution failed: ResourceInUseException: Solution update is in progress');
  });

  describe('isComplete', () => {
    // As onEvent answers after calling UpdateSolution at `requested`; the updates below come after it.
    const requested = Date.UTC(2026, 5, 1, 12);
    const after = new Date(requested + 200);
    const event = afterOnEvent(updateEvent(arn, before, { ...before, performAutoTraining: 'false' }), {
      PhysicalResourceId: arn, Decision: { action: 'updated', requestedAt: String(requested) },
    });

    test('waits for the latest update, then completes', async () => {
      personalize.on(DescribeSolutionCommand)
        .resolvesOnce({ solution: { name: 'movies', status: 'ACTIVE', latestSolutionUpdate: { status: 'CREATE IN_PROGRESS', creationDateTime: after } } })
        .resolvesOnce({ solution: { name: 'movies', status: 'ACTIVE', latestSolutionUpdate: { status: 'ACTIVE', creationDateTime: after } } });
      await expect(handler.isComplete(event)).resolves.toEqual({ IsComplete: false });
      await expect(handler.isComplete(event)).resolves.toEqual({
        IsComplete: true,
        Data: { SolutionArn: arn, SolutionName: 'movies' },
      });
    });

    test('an update older than the UpdateSolution call is not ours: it waits, even when that one is ACTIVE', async () => {
      const ours = event;
      personalize.on(DescribeSolutionCommand)
        .resolvesOnce({ solution: { name: 'movies', status: 'ACTIVE', latestSolutionUpdate: { status: 'ACTIVE', creationDateTime: new Date(requested - 86_400_000) } } })
        .resolves({ solution: { name: 'movies', status: 'ACTIVE', latestSolutionUpdate: { status: 'ACTIVE', creationDateTime: new Date(requested + 200) } } });
      await expect(handler.isComplete(ours)).resolves.toEqual({ IsComplete: false });
      await expect(handler.isComplete(ours)).resolves.toMatchObject({ IsComplete: true });
    });

    test('a failed update throws its reason', async () => {
      personalize.on(DescribeSolutionCommand).resolves({
        solution: { name: 'movies', status: 'ACTIVE', latestSolutionUpdate: { status: 'CREATE FAILED', failureReason: 'Invalid schedule', creationDateTime: after } },
      });
      await expect(handler.isComplete(event)).rejects.toThrow('Updating solution movies failed: Invalid schedule');
    });

    test('a tag-only update ignores an old failed solution update', async () => {
      const tagsOnly = completeEvent(updateEvent(arn, before, { ...before, tags: [] }), arn, { action: 'kept' });
      personalize.on(DescribeSolutionCommand).resolves({
        solution: { name: 'movies', status: 'ACTIVE', latestSolutionUpdate: { status: 'CREATE FAILED', failureReason: 'old' } },
      });
      await expect(handler.isComplete(tagsOnly)).resolves.toMatchObject({ IsComplete: true });
    });
  });
});

describe('update that replaces the solution', () => {
  const base = 'stack-solution-a1b2c3d4';
  const oldArn = solutionArn(base);
  const generated = (extra = {}) => stringProps(base, { NameIsGenerated: 'true', ...extra });
  const changedRecipe = { recipeArn: 'arn:aws:personalize:::recipe/aws-sims' };

  beforeEach(() => {
    // Solutions created by an earlier release have no spec tag.
    personalize.on(ListTagsForResourceCommand).resolves({ tags: [{ tagKey: 'team', tagValue: 'recs' }] });
  });

  test('a generated name gets a suffix derived from the RequestId', async () => {
    const expected = replacementName(base, '8f1d4c2e-7f8a-4a53-9b36-2d6c1e0a4f11');
    expect(expected).toMatch(new RegExp(`^${base}-[0-9a-f]{8}$`));
    personalize.on(CreateSolutionCommand).resolves({ solutionArn: solutionArn(expected) });

    const response = await handler.onEvent(updateEvent(oldArn, generated(), generated(changedRecipe)));

    expect(response).toEqual({
      PhysicalResourceId: solutionArn(expected),
      Data: { SolutionArn: solutionArn(expected), SolutionName: expected },
      Decision: { action: 'created' },
    });
    expect(inputOf(CreateSolutionCommand)).toStrictEqual({
      name: expected,
      datasetGroupArn: DATASET_GROUP_ARN,
      recipeArn: 'arn:aws:personalize:::recipe/aws-sims',
      performAutoTraining: false,
      tags: [SPEC_TAG],
    });
    expect(personalize).not.toHaveReceivedCommand(UpdateSolutionCommand);
  });

  test('the suffix is deterministic per request and differs between requests', () => {
    const a = replacementName(base, 'request-1');
    expect(replacementName(base, 'request-1')).toBe(a);
    expect(replacementName(base, 'request-2')).not.toBe(a);
    expect(a).not.toBe(base);
    expect(replacementName('x'.repeat(54), 'r')).toHaveLength(63);
  });

  test('a replacement mixed with in-place changes is still one CreateSolution', async () => {
    personalize.on(CreateSolutionCommand).resolves({ solutionArn: solutionArn('whatever') });
    await handler.onEvent(updateEvent(oldArn, generated(), generated({ ...changedRecipe, performAutoTraining: 'true', tags: [{ tagKey: 'a', tagValue: 'b' }] })));
    expect(personalize).toHaveReceivedCommandTimes(CreateSolutionCommand, 1);
    expect(personalize).toHaveReceivedCommandWith(CreateSolutionCommand, { performAutoTraining: true, tags: [{ tagKey: 'a', tagValue: 'b' }, SPEC_TAG] });
    expect(personalize).not.toHaveReceivedCommand(UpdateSolutionCommand);
    expect(personalize).not.toHaveReceivedCommand(TagResourceCommand);
  });

  test('a user-chosen name that did not change is a clear error', async () => {
    const before = stringProps('movies', { solutionConfig: { algorithmHyperParameters: { bptt: '16' } } });
    const after = stringProps('movies', { ...changedRecipe, solutionConfig: { algorithmHyperParameters: { bptt: '32' } } });

    await expect(handler.onEvent(updateEvent(solutionArn('movies'), before, after))).rejects.toThrow(
      'Changing recipeArn, solutionConfig.algorithmHyperParameters replaces solution "movies", and Personalize solution ' +
      'names are unique per account and region',
    );
    await expect(handler.onEvent(updateEvent(solutionArn('movies'), before, after))).rejects.toThrow(/Change solutionName, or remove it/);
    expect(personalize).toHaveReceivedCommandTimes(ListTagsForResourceCommand, 2);
    expect(personalize).not.toHaveReceivedCommand(CreateSolutionCommand);
  });

  test('a renamed solution is created under its new name', async () => {
    personalize.on(CreateSolutionCommand).resolves({ solutionArn: solutionArn('movies-v2') });
    const response = await handler.onEvent(updateEvent(solutionArn('movies'), stringProps('movies'), stringProps('movies-v2')));
    expect(response.PhysicalResourceId).toBe(solutionArn('movies-v2'));
    expect(personalize).toHaveReceivedCommandWith(CreateSolutionCommand, { name: 'movies-v2' });
  });

  test('isComplete waits for the new solution like a create', async () => {
    const newName = replacementName(base, 'r');
    const event = completeEvent(updateEvent(oldArn, generated(), generated(changedRecipe)), solutionArn(newName), { action: 'created' });
    personalize.on(DescribeSolutionCommand)
      .resolvesOnce({ solution: { name: newName, status: 'CREATE IN_PROGRESS' } })
      .resolvesOnce({ solution: { name: newName, status: 'ACTIVE' } });
    await expect(handler.isComplete(event)).resolves.toEqual({ IsComplete: false });
    await expect(handler.isComplete(event)).resolves.toEqual({
      IsComplete: true,
      Data: { SolutionArn: solutionArn(newName), SolutionName: newName },
    });
    expect(personalize).toHaveReceivedCommandWith(DescribeSolutionCommand, { solutionArn: solutionArn(newName) });
  });

  test('a solution that is gone is replaced', async () => {
    personalize.on(ListTagsForResourceCommand).rejects(notFound());
    personalize.on(CreateSolutionCommand).resolves({ solutionArn: solutionArn('whatever') });
    await handler.onEvent(updateEvent(oldArn, generated(), generated(changedRecipe)));
    expect(personalize).toHaveReceivedCommandTimes(CreateSolutionCommand, 1);
  });

  test('an Update whose physical id is not an ARN (failed create) creates', async () => {
    personalize.on(CreateSolutionCommand).resolves({ solutionArn: solutionArn('movies') });
    const response = await handler.onEvent(updateEvent('8f1d4c2e-failed-create', { name: 'x' }, stringProps('movies')));
    expect(response.PhysicalResourceId).toBe(solutionArn('movies'));
    expect(personalize).toHaveReceivedCommandWith(CreateSolutionCommand, { name: 'movies' });
  });
});

describe('an Update back to the properties the solution was created with keeps it (a rollback)', () => {
  const A = stringProps('movies', { solutionConfig: { algorithmHyperParameters: { bptt: '16' } }, tags: [{ tagKey: 'team', tagValue: 'recs' }] });
  const B = stringProps('movies', { solutionConfig: { algorithmHyperParameters: { bptt: '32' } }, tags: [{ tagKey: 'team', tagValue: 'ml' }] });

  /** The spec tag CreateSolution receives for `props`. */
  async function specTagOf(props: Record<string, unknown>): Promise<{ tagKey: string; tagValue: string }> {
    personalize.reset();
    personalize.on(CreateSolutionCommand).resolves({ solutionArn: solutionArn('movies') });
    await handler.onEvent(createEvent(props));
    const tags = (inputOf(CreateSolutionCommand) as { tags: Array<{ tagKey: string; tagValue: string }> }).tags;
    personalize.reset();
    return tags.find(t => t.tagKey === 'cdk-personalize:spec')!;
  }

  test('the digest follows the members that replace, not in-place ones, the name or the order of keys', async () => {
    const a = await specTagOf(A);
    expect(await specTagOf(B)).not.toEqual(a);
    expect(await specTagOf({ ...A, tags: [], performAutoTraining: 'true' })).toEqual(a);
    expect(await specTagOf(Object.fromEntries(Object.entries(A).reverse()))).toEqual(a);
    expect(await specTagOf({ ...A, name: 'other' })).not.toEqual(a);
  });

  test('a refused replacement (a fixed name) rolls back without a change: no CreateSolution, the tags put back', async () => {
    const tag = await specTagOf(A);
    personalize.on(ListTagsForResourceCommand).resolves({ tags: [{ tagKey: 'team', tagValue: 'recs' }, tag] });

    await expect(handler.onEvent(updateEvent(solutionArn('movies'), A, B))).rejects.toThrow(/replaces solution "movies"/);
    // The rollback: CloudFormation sends the old properties as the new ones.
    const response = await handler.onEvent(updateEvent(solutionArn('movies'), B, A));

    expect(response).toEqual({
      PhysicalResourceId: solutionArn('movies'),
      Data: { SolutionArn: solutionArn('movies'), SolutionName: 'movies' },
      Decision: { action: 'kept' },
    });
    expect(personalize).not.toHaveReceivedCommand(CreateSolutionCommand);
    expect(personalize).not.toHaveReceivedCommand(UpdateSolutionCommand);
    // The tags are compared with those the solution has, so nothing changes, and the spec tag stays.
    expect(personalize).not.toHaveReceivedCommand(TagResourceCommand);
    expect(personalize).not.toHaveReceivedCommand(UntagResourceCommand);
  });

  test('a generated name is kept too, rather than copied to a new solution', async () => {
    const generated = (props: Record<string, unknown>) => ({ ...props, NameIsGenerated: 'true' });
    const tag = await specTagOf(generated(A));
    personalize.on(ListTagsForResourceCommand).resolves({ tags: [tag] });

    const response = await handler.onEvent(updateEvent(solutionArn('movies'), generated(B), generated(A)));

    expect(response.PhysicalResourceId).toBe(solutionArn('movies'));
    expect(personalize).not.toHaveReceivedCommand(CreateSolutionCommand);
    // The solution has no tag of A's: it gets it, and only the spec tag is left alone.
    expect(personalize).toHaveReceivedCommandWith(TagResourceCommand, { resourceArn: solutionArn('movies'), tags: [{ tagKey: 'team', tagValue: 'recs' }] });
    expect(personalize).not.toHaveReceivedCommand(UntagResourceCommand);
  });

  test('in-place members that differ still go through UpdateSolution', async () => {
    const tag = await specTagOf(A);
    personalize.on(ListTagsForResourceCommand).resolves({ tags: [{ tagKey: 'team', tagValue: 'recs' }, tag] });
    personalize.on(UpdateSolutionCommand).resolves({});

    const response = await handler.onEvent(updateEvent(solutionArn('movies'), B, { ...A, performAutoTraining: 'true' }));

    expect(response.Decision).toMatchObject({ action: 'updated' });
    expect(personalize).toHaveReceivedCommandWith(UpdateSolutionCommand, { solutionArn: solutionArn('movies'), performAutoTraining: true });
    expect(personalize).not.toHaveReceivedCommand(CreateSolutionCommand);
  });

  test('a solution with the digest of other properties is replaced', async () => {
    const tag = await specTagOf(B);
    personalize.on(ListTagsForResourceCommand).resolves({ tags: [tag] });
    await expect(handler.onEvent(updateEvent(solutionArn('movies'), B, A))).rejects.toThrow(/replaces solution "movies"/);
    personalize.on(CreateSolutionCommand).resolves({ solutionArn: solutionArn('movies-v2') });
    const renamed = await handler.onEvent(updateEvent(solutionArn('movies'), B, { ...A, name: 'movies-v2' }));
    expect(renamed.PhysicalResourceId).toBe(solutionArn('movies-v2'));
  });
});

describe('a replaced solution whose version a campaign still serves', () => {
  const arn = solutionArn('test_Shop12345678');
  const event = deleteEvent(arn, stringProps('test_Shop12345678'));
  const STACK_ID = event.StackId;
  const CAMPAIGN = 'arn:aws:personalize:us-east-1:123456789012:campaign/shop';

  test('is retired, not deleted: tagged with the stack, and its delete completes at once', async () => {
    personalize.on(ListCampaignsCommand, { solutionArn: arn }).resolves({ campaigns: [{ campaignArn: CAMPAIGN }] });
    personalize.on(DescribeCampaignCommand).resolves({ campaign: { campaignArn: CAMPAIGN, status: 'ACTIVE', solutionVersionArn: `${arn}/aaaa0001` } });

    const response = await handler.onEvent(event);

    expect(response).toEqual({ PhysicalResourceId: arn, Decision: { action: 'retired', campaign: CAMPAIGN } });
    expect(personalize).toHaveReceivedCommandWith(TagResourceCommand, { resourceArn: arn, tags: [{ tagKey: 'cdk-personalize:retired', tagValue: STACK_ID }] });
    await expect(handler.isComplete(afterOnEvent(event, response))).resolves.toEqual({ IsComplete: true });
    expect(personalize).not.toHaveReceivedCommand(DeleteSolutionCommand);
    expect(personalize).not.toHaveReceivedCommand(StopSolutionVersionCreationCommand);
  });

  test('once another solution of the stack is deleted, retired ones nothing serves go too, and the delete waits for them', async () => {
    const retired = solutionArn('test_Old87654321');
    const foreign = solutionArn('other_Old');
    personalize.on(DescribeSolutionCommand, { solutionArn: arn }).rejects(notFound());
    personalize.on(ListSolutionsCommand)
      .resolvesOnce({ solutions: [{ name: 'test_Old87654321', solutionArn: retired, status: 'ACTIVE' }, { name: 'other_Old', solutionArn: foreign, status: 'ACTIVE' }] })
      .resolvesOnce({ solutions: [{ name: 'test_Old87654321', solutionArn: retired, status: 'DELETE IN_PROGRESS' }] })
      .resolves({ solutions: [] });
    personalize.on(ListTagsForResourceCommand, { resourceArn: retired }).resolves({ tags: [{ tagKey: 'cdk-personalize:retired', tagValue: STACK_ID }] });
    personalize.on(ListCampaignsCommand).resolves({ campaigns: [] });
    const complete = () => handler.isComplete(completeEvent(event, arn, { action: 'deleting' }));

    await expect(complete()).resolves.toEqual({ IsComplete: false });
    expect(personalize).toHaveReceivedCommandWith(DeleteSolutionCommand, { solutionArn: retired });
    await expect(complete()).resolves.toEqual({ IsComplete: false });
    await expect(complete()).resolves.toEqual({ IsComplete: true });
    // Another stack's solution is not even read.
    expect(personalize).not.toHaveReceivedCommandWith(ListTagsForResourceCommand, { resourceArn: foreign });
    expect(personalize).toHaveReceivedCommandTimes(DeleteSolutionCommand, 1);
  });

  test('a retired solution a campaign still serves stays', async () => {
    const retired = solutionArn('test_Old87654321');
    personalize.on(DescribeSolutionCommand, { solutionArn: arn }).rejects(notFound());
    personalize.on(ListSolutionsCommand).resolves({ solutions: [{ name: 'test_Old87654321', solutionArn: retired, status: 'ACTIVE' }] });
    personalize.on(ListTagsForResourceCommand, { resourceArn: retired }).resolves({ tags: [{ tagKey: 'cdk-personalize:retired', tagValue: STACK_ID }] });
    personalize.on(ListCampaignsCommand, { solutionArn: retired }).resolves({ campaigns: [{ campaignArn: CAMPAIGN }] });
    personalize.on(DescribeCampaignCommand).resolves({ campaign: { campaignArn: CAMPAIGN, status: 'ACTIVE', solutionVersionArn: `${retired}/aaaa0001` } });

    await expect(handler.isComplete(completeEvent(event, arn, { action: 'deleting' }))).resolves.toEqual({ IsComplete: true });
    expect(personalize).not.toHaveReceivedCommand(DeleteSolutionCommand);
  });
});

describe('delete', () => {
  const arn = solutionArn('movies');
  const event = deleteEvent(arn, stringProps('movies'));
  const versions = [
    { solutionVersionArn: versionArn('movies', 'aaaa0001'), status: 'ACTIVE' },
    { solutionVersionArn: versionArn('movies', 'aaaa0002'), status: 'CREATE PENDING' },
    { solutionVersionArn: versionArn('movies', 'aaaa0003'), status: 'CREATE IN_PROGRESS' },
    { solutionVersionArn: versionArn('movies', 'aaaa0004'), status: 'CREATE STOPPING' },
    { solutionVersionArn: versionArn('movies', 'aaaa0005'), status: 'CREATE FAILED' },
  ];

  test('onEvent stops pending and in-progress versions across pages', async () => {
    personalize.on(ListSolutionVersionsCommand)
      .resolvesOnce({ solutionVersions: versions.slice(0, 2), nextToken: 'page-2' })
      .resolvesOnce({ solutionVersions: versions.slice(2) });
    personalize.on(StopSolutionVersionCreationCommand, { solutionVersionArn: versionArn('movies', 'aaaa0003') })
      .rejects(inUse('not in a stoppable state'));

    await expect(handler.onEvent(event)).resolves.toEqual({ PhysicalResourceId: arn, Decision: { action: 'deleting' } });

    // First: whether a campaign still serves a version (none does here).
    expect(personalize).toHaveReceivedNthCommandWith(1, ListCampaignsCommand, { solutionArn: arn });
    expect(personalize).toHaveReceivedNthCommandWith(2, ListSolutionVersionsCommand, { solutionArn: arn });
    expect(personalize).toHaveReceivedNthCommandWith(3, ListSolutionVersionsCommand, { solutionArn: arn, nextToken: 'page-2' });
    expect(personalize).toHaveReceivedCommandTimes(StopSolutionVersionCreationCommand, 2);
    expect(personalize).toHaveReceivedCommandWith(StopSolutionVersionCreationCommand, { solutionVersionArn: versionArn('movies', 'aaaa0002') });
    expect(personalize).toHaveReceivedCommandWith(StopSolutionVersionCreationCommand, { solutionVersionArn: versionArn('movies', 'aaaa0003') });
    expect(personalize).not.toHaveReceivedCommand(DeleteSolutionCommand);
  });

  test('isComplete: not complete while versions stop, then DeleteSolution, then complete on NotFound', async () => {
    const complete = completeEvent(event, arn, { action: 'deleting' });
    personalize.on(DescribeSolutionCommand)
      .resolvesOnce({ solution: { name: 'movies', status: 'ACTIVE' } })
      .resolvesOnce({ solution: { name: 'movies', status: 'ACTIVE' } })
      .resolvesOnce({ solution: { name: 'movies', status: 'DELETE IN_PROGRESS' } })
      .rejects(notFound());
    personalize.on(ListSolutionVersionsCommand)
      .resolvesOnce({ solutionVersions: [versions[0], { ...versions[2] }, versions[3]] })
      .resolves({ solutionVersions: [versions[0], { ...versions[2], status: 'CREATE STOPPED' }, { ...versions[3], status: 'CREATE STOPPED' }] });

    // 1: one version still training (re-stopped), one stopping.
    await expect(handler.isComplete(complete)).resolves.toEqual({ IsComplete: false });
    expect(personalize).toHaveReceivedCommandTimes(StopSolutionVersionCreationCommand, 1);
    expect(personalize).toHaveReceivedCommandWith(StopSolutionVersionCreationCommand, { solutionVersionArn: versionArn('movies', 'aaaa0003') });
    expect(personalize).not.toHaveReceivedCommand(DeleteSolutionCommand);

    // 2: everything stopped → DeleteSolution.
    await expect(handler.isComplete(complete)).resolves.toEqual({ IsComplete: false });
    expect(personalize).toHaveReceivedCommandTimes(DeleteSolutionCommand, 1);
    expect(inputOf(DeleteSolutionCommand)).toStrictEqual({ solutionArn: arn });

    // 3: deleting → wait without calling DeleteSolution again.
    await expect(handler.isComplete(complete)).resolves.toEqual({ IsComplete: false });
    expect(personalize).toHaveReceivedCommandTimes(DeleteSolutionCommand, 1);

    // 4: gone.
    await expect(handler.isComplete(complete)).resolves.toEqual({ IsComplete: true });
  });

  test('ResourceInUseException from DeleteSolution means not complete yet', async () => {
    personalize.on(DescribeSolutionCommand).resolves({ solution: { name: 'movies', status: 'ACTIVE' } });
    personalize.on(ListSolutionVersionsCommand).resolves({ solutionVersions: [versions[0]] });
    personalize.on(DeleteSolutionCommand).rejects(inUse('Solution has an update in progress'));
    await expect(handler.isComplete(completeEvent(event, arn, { action: 'deleting' }))).resolves.toEqual({ IsComplete: false });
  });

  test('other DeleteSolution errors surface', async () => {
    personalize.on(DescribeSolutionCommand).resolves({ solution: { name: 'movies', status: 'ACTIVE' } });
    personalize.on(ListSolutionVersionsCommand).resolves({ solutionVersions: [] });
    personalize.on(DeleteSolutionCommand).rejects(new InvalidInputException({ message: 'bad arn', ...meta }));
    await expect(handler.isComplete(completeEvent(event, arn, { action: 'deleting' }))).rejects.toThrow('DeleteSolution failed: InvalidInputException: bad arn');
  });

  test('ResourceNotFound anywhere is success', async () => {
    personalize.on(ListSolutionVersionsCommand).rejects(notFound());
    await expect(handler.onEvent(event)).resolves.toEqual({ PhysicalResourceId: arn, Decision: { action: 'deleting' } });

    personalize.reset();
    personalize.on(DescribeSolutionCommand).rejects(notFound());
    await expect(handler.isComplete(completeEvent(event, arn, { action: 'deleting' }))).resolves.toEqual({ IsComplete: true });

    personalize.reset();
    personalize.on(DescribeSolutionCommand).resolves({ solution: { name: 'movies', status: 'ACTIVE' } });
    personalize.on(ListSolutionVersionsCommand).resolves({ solutionVersions: [] });
    personalize.on(DeleteSolutionCommand).rejects(notFound());
    await expect(handler.isComplete(completeEvent(event, arn, { action: 'deleting' }))).resolves.toEqual({ IsComplete: true });

    personalize.reset();
    personalize.on(ListSolutionVersionsCommand).resolves({ solutionVersions: [versions[1]] });
    personalize.on(StopSolutionVersionCreationCommand).rejects(notFound());
    await expect(handler.onEvent(event)).resolves.toEqual({ PhysicalResourceId: arn, Decision: { action: 'deleting' } });
  });

  test('a physical id that is not a solution ARN (failed create) succeeds at once', async () => {
    const failed = deleteEvent('8f1d4c2e-7f8a-4a53-9b36-2d6c1e0a4f11', stringProps('movies'));
    await expect(handler.onEvent(failed)).resolves.toEqual({ PhysicalResourceId: failed.PhysicalResourceId, Decision: { action: 'none' } });
    await expect(handler.isComplete(completeEvent(failed, failed.PhysicalResourceId!, { action: 'none' }))).resolves.toEqual({ IsComplete: true });
    // A solution version ARN is not a solution ARN either.
    const version = deleteEvent(versionArn('movies', 'aaaa0001'), stringProps('movies'));
    await expect(handler.isComplete(completeEvent(version, version.PhysicalResourceId!, { action: 'none' }))).resolves.toEqual({ IsComplete: true });
    expect(personalize).not.toHaveReceivedAnyCommand();
  });
});
