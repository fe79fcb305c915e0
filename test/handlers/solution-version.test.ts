import {
  CreateSolutionVersionCommand,
  DescribeSolutionVersionCommand,
  InvalidInputException,
  LimitExceededException,
  ListSolutionVersionsCommand,
  PersonalizeClient,
  ResourceAlreadyExistsException,
  ResourceInUseException,
  ResourceNotFoundException,
  StopSolutionVersionCreationCommand,
  TagResourceCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-personalize';
import { ExecutionAlreadyExists, SFNClient, SFNServiceException, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { completeEvent, createEvent, deleteEvent, SERVICE_TOKEN, solutionArn, updateEvent, versionArn } from './events';
import { generatedVersionName, pollerExecutionName, replacementName } from '../../src/handlers/aws/names';
import { SdkPersonalizeApi } from '../../src/handlers/aws/personalize-api';
import type { OnEventRequest, ResourceProperties } from '../../src/handlers/framework/types';
import { SolutionVersionHandler } from '../../src/handlers/resources/solution-version-handler';
import { SOLUTION_VERSION_RESOURCE_TYPE } from '../../src/private/contract';

const personalize = mockClient(PersonalizeClient);
const sfn = mockClient(SFNClient);

const meta = { $metadata: {} };
const SOLUTION = solutionArn('movies');
const VERSION = versionArn('movies', '5a515609');
const NEW_VERSION = versionArn('movies', '7c0ffee1');
const STATE_MACHINE = 'arn:aws:states:us-east-1:123456789012:stateMachine:TrainingWaiter';
const WAIT = 'MoviesVersionTraining1A2B3C4D';
const NOW = Date.UTC(2025, 0, 1, 12, 0, 0);
/** Name pattern and length of CreateSolutionVersion's `name`. */
const NAME_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9\-_]*$/;

const VERSION_EVENT = { ResourceType: SOLUTION_VERSION_RESOURCE_TYPE, LogicalResourceId: 'HrnnVersion' };

/** Properties as CloudFormation delivers them: every scalar a string. */
function props(extra: ResourceProperties = {}): ResourceProperties {
  return {
    ServiceToken: SERVICE_TOKEN,
    solutionArn: SOLUTION,
    trainingMode: 'FULL',
    RetrainTrigger: 'import-1',
    WaitCondition: WAIT,
    StateMachineArn: STATE_MACHINE,
    TrainingTimeoutSeconds: '21600',
    ...extra,
  };
}

const create = (p = props(), overrides: Partial<OnEventRequest> = {}) => createEvent(p, { ...VERSION_EVENT, ...overrides });
const update = (physicalId: string, before: ResourceProperties, after: ResourceProperties) =>
  updateEvent(physicalId, before, after, { ...VERSION_EVENT, RequestId: '0c7b3e8a-5d2f-4f4e-8a61-3b9d2f0e7a22' });
const remove = (physicalId: string) => ({ ...deleteEvent(physicalId, props()), ...VERSION_EVENT });

let clock: number;
let sleeps: number[];
let handler: SolutionVersionHandler;

beforeEach(() => {
  personalize.reset();
  sfn.reset();
  clock = NOW;
  sleeps = [];
  handler = new SolutionVersionHandler(new SdkPersonalizeApi(new PersonalizeClient({ maxAttempts: 1 })), {
    stepFunctions: new SFNClient({ maxAttempts: 1 }),
    now: () => clock,
    // No jitter (random() = 1 keeps the full delay), and a sleep that only advances the clock.
    backoff: { sleep: async (ms) => { sleeps.push(ms); clock += ms; }, random: () => 1 },
  });
  sfn.on(StartExecutionCommand).resolves({ executionArn: `${STATE_MACHINE.replace('stateMachine', 'execution')}:x`, startDate: new Date() });
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
});

afterEach(() => {
  jest.restoreAllMocks();
});

function createInput(call = 0): unknown {
  return personalize.commandCalls(CreateSolutionVersionCommand)[call].args[0].input;
}

function startInput(call = 0) {
  const input = sfn.commandCalls(StartExecutionCommand)[call].args[0].input;
  return { ...input, input: JSON.parse(input.input!) };
}

describe('create', () => {
  test('sends only the CreateSolutionVersion members, with a deterministic name, and starts the poller', async () => {
    personalize.on(CreateSolutionVersionCommand).resolves({ solutionVersionArn: VERSION });
    const event = create();

    const response = await handler.onEvent(event);

    expect(response).toEqual({ PhysicalResourceId: VERSION, Data: { SolutionVersionArn: VERSION }, Decision: { action: 'done' } });
    const name = generatedVersionName(event);
    expect(name).toMatch(/^cdkp-[0-9a-f]{16}$/);
    expect(name).toMatch(NAME_PATTERN);
    expect(createInput()).toStrictEqual({ solutionArn: SOLUTION, trainingMode: 'FULL', name });
    expect(personalize).toHaveReceivedCommandTimes(CreateSolutionVersionCommand, 1);

    expect(sfn).toHaveReceivedCommandTimes(StartExecutionCommand, 1);
    const start = startInput();
    expect(start).toEqual({
      stateMachineArn: STATE_MACHINE,
      name: pollerExecutionName(event, VERSION),
      input: {
        kind: 'training',
        jobArn: VERSION,
        stackId: event.StackId,
        jobLogicalId: event.LogicalResourceId,
        waitLogicalId: WAIT,
        deadline: NOW / 1000 + 21600,
        timeoutSeconds: 21600,
        // No earlier version: polled as a first training, every 3 minutes.
        expectedSeconds: 0,
        check: { outcome: 'WAIT', status: '', reason: '', waitSeconds: 180 },
      },
    });
    expect(start.name!.length).toBeLessThanOrEqual(80);
    expect(start.name).toMatch(/^[A-Za-z0-9_-]+$/);
    // Numbers, not strings: the state machine's Wait reads check.waitSeconds as seconds.
    expect(typeof start.input.check.waitSeconds).toBe('number');
  });

  test('a retrain is expected to take as long as the median of the last three ACTIVE versions of its mode', async () => {
    personalize.on(CreateSolutionVersionCommand).resolves({ solutionVersionArn: VERSION });
    const at = (hours: number) => new Date(NOW - 100 * 3600_000 + hours * 3600_000);
    const summary = (id: string, status: string, trainingMode: 'FULL' | 'UPDATE', start: number, hours: number) =>
      ({ solutionVersionArn: `${SOLUTION}/${id}`, status, trainingMode, creationDateTime: at(start), lastUpdatedDateTime: at(start + hours) });
    personalize.on(ListSolutionVersionsCommand).resolves({
      solutionVersions: [
        summary('e', 'CREATE FAILED', 'FULL', 50, 0.5),
        summary('d', 'ACTIVE', 'UPDATE', 40, 0.2),
        summary('c', 'ACTIVE', 'FULL', 30, 2),
        summary('b', 'ACTIVE', 'FULL', 20, 3),
        summary('a', 'ACTIVE', 'FULL', 10, 2.5),
        summary('old', 'ACTIVE', 'FULL', 0, 9),
      ],
    });
    await handler.onEvent(create());
    // Median of 2 h, 3 h and 2.5 h; the first check is 15 minutes away (sparse until the window).
    expect(startInput().input).toMatchObject({ expectedSeconds: 9000, check: { waitSeconds: 900 } });
  });

  test('the same request gives the same names; another request other ones', () => {
    const a = create();
    const b = create(props(), { RequestId: 'another-request' });
    expect(generatedVersionName(a)).toBe(generatedVersionName({ ...a }));
    expect(generatedVersionName(a)).not.toBe(generatedVersionName(b));
    expect(pollerExecutionName(a, VERSION)).not.toBe(pollerExecutionName(b, VERSION));
  });

  test('uses the user name as is, forwards tags and coerces typed values too', async () => {
    personalize.on(CreateSolutionVersionCommand).resolves({ solutionVersionArn: VERSION });
    await handler.onEvent(create(props({
      name: 'hrnn-v1',
      tags: [{ tagKey: 'team', tagValue: 'recs' }],
      TrainingTimeoutSeconds: 3600,
    })));
    expect(createInput()).toStrictEqual({
      solutionArn: SOLUTION,
      trainingMode: 'FULL',
      name: 'hrnn-v1',
      tags: [{ tagKey: 'team', tagValue: 'recs' }],
    });
    expect(startInput().input).toMatchObject({ deadline: NOW / 1000 + 3600, timeoutSeconds: 3600 });
  });

  test('isComplete is immediate: the wait condition waits for the training', async () => {
    await expect(handler.isComplete(completeEvent(create(), VERSION, { action: 'done' }))).resolves.toEqual({ IsComplete: true });
    expect(personalize).not.toHaveReceivedAnyCommand();
  });

  test.each([
    [{ trainingMode: 'AUTOTRAIN' }, 'Property trainingMode must be FULL or UPDATE, got "AUTOTRAIN"'],
    [{ WaitCondition: undefined }, 'Property WaitCondition is required'],
    [{ StateMachineArn: '' }, 'Property StateMachineArn is required'],
    [{ TrainingTimeoutSeconds: 'six hours' }, 'Property TrainingTimeoutSeconds must be a number, got "six hours"'],
  ])('rejects invalid properties %j', async (extra, message) => {
    await expect(handler.onEvent(create(props(extra)))).rejects.toThrow(message);
    expect(personalize).not.toHaveReceivedAnyCommand();
    expect(sfn).not.toHaveReceivedAnyCommand();
  });

  describe('a repeated Create event never starts a second training', () => {
    test('ResourceAlreadyExists: the version the first delivery created is found by name and reused', async () => {
      const event = create();
      const name = generatedVersionName(event);
      personalize.on(CreateSolutionVersionCommand)
        .resolvesOnce({ solutionVersionArn: VERSION })
        .rejects(new ResourceAlreadyExistsException({ message: `Solution version ${name} already exists`, ...meta }));
      const older = versionArn('movies', '0ld0ld00');
      personalize.on(ListSolutionVersionsCommand).resolves({
        solutionVersions: [
          { solutionVersionArn: older, status: 'ACTIVE', creationDateTime: new Date(NOW - 60_000) },
          { solutionVersionArn: VERSION, status: 'CREATE PENDING', creationDateTime: new Date(NOW - 5_000) },
        ],
      });
      personalize.on(DescribeSolutionVersionCommand, { solutionVersionArn: VERSION })
        .resolves({ solutionVersion: { name, solutionVersionArn: VERSION, status: 'CREATE PENDING' } });
      personalize.on(DescribeSolutionVersionCommand, { solutionVersionArn: older })
        .resolves({ solutionVersion: { name: 'cdkp-0123456789abcdef', solutionVersionArn: older, status: 'ACTIVE' } });
      // Real Step Functions: the same name with another input (a later deadline) is refused.
      sfn.on(StartExecutionCommand)
        .resolvesOnce({ executionArn: 'arn:aws:states:us-east-1:123456789012:execution:TrainingWaiter:x', startDate: new Date() })
        .rejects(new ExecutionAlreadyExists({ message: 'Execution Already Exists', ...meta }));

      const first = await handler.onEvent(event);
      clock += 30_000;
      const second = await handler.onEvent({ ...event });

      expect(second).toEqual(first);
      expect(second.PhysicalResourceId).toBe(VERSION);
      // Two requests, one training: the second was refused by Personalize.
      expect(createInput(0)).toEqual(createInput(1));
      expect(personalize).toHaveReceivedCommandTimes(CreateSolutionVersionCommand, 2);
      // Newest first: the matching version is the first one described.
      expect(personalize.commandCalls(DescribeSolutionVersionCommand)[0].args[0].input).toEqual({ solutionVersionArn: VERSION });
      expect(sfn).toHaveReceivedCommandTimes(StartExecutionCommand, 2);
      expect(startInput(1).name).toBe(startInput(0).name);
      expect(personalize).not.toHaveReceivedCommand(StopSolutionVersionCreationCommand);
    });

    test('a name taken by an older or stopped version is an error, not a takeover', async () => {
      personalize.on(CreateSolutionVersionCommand)
        .rejects(new ResourceAlreadyExistsException({ message: 'Solution version hrnn-v1 already exists', ...meta }));
      personalize.on(ListSolutionVersionsCommand).resolves({
        solutionVersions: [
          { solutionVersionArn: NEW_VERSION, status: 'CREATE STOPPED', creationDateTime: new Date(NOW - 600_000) },
          { solutionVersionArn: VERSION, status: 'ACTIVE', creationDateTime: new Date(NOW - 30 * 24 * 3600_000) },
        ],
      });
      personalize.on(DescribeSolutionVersionCommand).resolves({ solutionVersion: { name: 'hrnn-v1', solutionVersionArn: NEW_VERSION, status: 'CREATE STOPPED' } });

      await expect(handler.onEvent(create(props({ name: 'hrnn-v1' })))).rejects.toThrow(
        /^CreateSolutionVersion failed: ResourceAlreadyExistsException: Solution version hrnn-v1 already exists\. .*choose another solutionVersionName/,
      );
      // The month-old version is not even described.
      expect(personalize).toHaveReceivedCommandTimes(DescribeSolutionVersionCommand, 1);
      expect(sfn).not.toHaveReceivedAnyCommand();
    });
  });

  describe('retries', () => {
    test('ResourceInUse (solution not ACTIVE yet) is retried with backoff, then succeeds', async () => {
      const inUse = () => new ResourceInUseException({ message: 'Solution is in CREATE IN_PROGRESS state', ...meta });
      personalize.on(CreateSolutionVersionCommand)
        .rejectsOnce(inUse())
        .rejectsOnce(inUse())
        .resolves({ solutionVersionArn: VERSION });

      await expect(handler.onEvent(create())).resolves.toMatchObject({ PhysicalResourceId: VERSION });
      expect(personalize).toHaveReceivedCommandTimes(CreateSolutionVersionCommand, 3);
      expect(sleeps).toEqual([5_000, 10_000]);
      expect(sfn).toHaveReceivedCommandTimes(StartExecutionCommand, 1);
      // The deadline counts from when training started, after the retries.
      expect(startInput().input.deadline).toBe((NOW + 15_000) / 1000 + 21600);
    });

    test('LimitExceeded that outlasts the SDK retries is retried up to ~4 minutes, then explained', async () => {
      personalize.on(CreateSolutionVersionCommand)
        .rejects(new LimitExceededException({ message: 'More than 20 resources with PENDING or IN_PROGRESS status', ...meta }));

      await expect(handler.onEvent(create())).rejects.toThrow(
        'CreateSolutionVersion failed: LimitExceededException: More than 20 resources with PENDING or IN_PROGRESS status ' +
        '(at most 20 solution versions may train at once per region; gave up after 7 attempts over 195 s)',
      );
      // 5 s doubling to 60 s; the next 60 s would pass the 240 s budget.
      expect(sleeps).toEqual([5_000, 10_000, 20_000, 40_000, 60_000, 60_000]);
      expect(personalize).toHaveReceivedCommandTimes(CreateSolutionVersionCommand, 7);
      expect(sfn).not.toHaveReceivedAnyCommand();
    });

    test('jitter spreads the delays between half and all of the backoff', async () => {
      const jittered = new SolutionVersionHandler(new SdkPersonalizeApi(new PersonalizeClient({ maxAttempts: 1 })), {
        stepFunctions: new SFNClient({ maxAttempts: 1 }),
        now: () => clock,
        backoff: { sleep: async (ms) => { sleeps.push(ms); clock += ms; }, random: () => 0 },
      });
      personalize.on(CreateSolutionVersionCommand)
        .rejectsOnce(new ResourceInUseException({ message: 'in use', ...meta }))
        .rejectsOnce(new ResourceInUseException({ message: 'in use', ...meta }))
        .resolves({ solutionVersionArn: VERSION });
      await jittered.onEvent(create());
      expect(sleeps).toEqual([2_500, 5_000]);
    });

    test('other errors are not retried', async () => {
      personalize.on(CreateSolutionVersionCommand)
        .rejects(new InvalidInputException({ message: 'Insufficient data to train', ...meta }));
      await expect(handler.onEvent(create())).rejects.toThrow('CreateSolutionVersion failed: InvalidInputException: Insufficient data to train');
      expect(personalize).toHaveReceivedCommandTimes(CreateSolutionVersionCommand, 1);
      expect(sleeps).toEqual([]);
    });
  });

  describe('trainingMode UPDATE', () => {
    test('without an ACTIVE FULL version: a clear error naming the solution, and no training', async () => {
      personalize.on(ListSolutionVersionsCommand).resolves({
        solutionVersions: [
          { solutionVersionArn: VERSION, status: 'CREATE IN_PROGRESS', trainingMode: 'FULL' },
          { solutionVersionArn: NEW_VERSION, status: 'ACTIVE', trainingMode: 'UPDATE' },
        ],
      });
      await expect(handler.onEvent(create(props({ trainingMode: 'UPDATE' })))).rejects.toThrow(
        `trainingMode UPDATE needs an ACTIVE solution version trained with trainingMode FULL, and solution ${SOLUTION} has none ` +
        '(versions: 1 FULL CREATE IN_PROGRESS, 1 UPDATE ACTIVE). Train a FULL version first.',
      );
      expect(personalize).not.toHaveReceivedCommand(CreateSolutionVersionCommand);
      expect(sfn).not.toHaveReceivedAnyCommand();
    });

    test('with an ACTIVE FULL version: trains in UPDATE mode', async () => {
      personalize.on(ListSolutionVersionsCommand).resolves({
        solutionVersions: [{ solutionVersionArn: VERSION, status: 'ACTIVE', trainingMode: 'FULL' }],
      });
      personalize.on(CreateSolutionVersionCommand).resolves({ solutionVersionArn: NEW_VERSION });
      await expect(handler.onEvent(create(props({ trainingMode: 'UPDATE' })))).resolves.toMatchObject({ PhysicalResourceId: NEW_VERSION });
      expect(createInput()).toMatchObject({ solutionArn: SOLUTION, trainingMode: 'UPDATE' });
      // One list serves the check and the poller's prediction.
      expect(personalize).toHaveReceivedCommandTimes(ListSolutionVersionsCommand, 1);
    });
  });

  test('if the poller cannot be started, the training is stopped and the create fails', async () => {
    personalize.on(CreateSolutionVersionCommand).resolves({ solutionVersionArn: VERSION });
    personalize.on(StopSolutionVersionCreationCommand).resolves({});
    sfn.on(StartExecutionCommand).rejects(new SFNServiceException({ name: 'AccessDeniedException', $fault: 'client', message: 'not authorized', ...meta }));

    await expect(handler.onEvent(create())).rejects.toThrow('StartExecution failed: AccessDeniedException: not authorized');
    expect(personalize).toHaveReceivedCommandWith(StopSolutionVersionCreationCommand, { solutionVersionArn: VERSION });
  });
});

describe('update', () => {
  beforeEach(() => {
    personalize.on(CreateSolutionVersionCommand).resolves({ solutionVersionArn: NEW_VERSION });
  });

  test.each([
    ['RetrainTrigger', { RetrainTrigger: 'import-2' }],
    ['trainingMode', { trainingMode: 'UPDATE' }],
    ['solutionArn', { solutionArn: solutionArn('movies-2') }],
  ])('a changed %s (with a new wait condition) trains a new version under a new physical id', async (_member, change) => {
    personalize.on(ListSolutionVersionsCommand).resolves({ solutionVersions: [{ solutionVersionArn: VERSION, status: 'ACTIVE', trainingMode: 'FULL' }] });
    const event = update(VERSION, props(), props({ ...change, WaitCondition: `${WAIT}2` }));

    const response = await handler.onEvent(event);

    expect(response).toEqual({ PhysicalResourceId: NEW_VERSION, Data: { SolutionVersionArn: NEW_VERSION }, Decision: { action: 'done' } });
    expect(personalize).toHaveReceivedCommandTimes(CreateSolutionVersionCommand, 1);
    expect(createInput()).toMatchObject({ name: generatedVersionName(event) });
    expect(sfn).toHaveReceivedCommandTimes(StartExecutionCommand, 1);
    expect(startInput().input.jobArn).toBe(NEW_VERSION);
  });

  test('a named version retrains under the name with a suffix from the request', async () => {
    const event = update(VERSION, props({ name: 'hrnn-v1' }), props({ name: 'hrnn-v1', RetrainTrigger: 'import-2', WaitCondition: `${WAIT}2` }));
    await handler.onEvent(event);
    const name = replacementName('hrnn-v1', event.RequestId);
    expect(name).toMatch(/^hrnn-v1-[0-9a-f]{8}$/);
    expect(createInput()).toMatchObject({ name });
  });

  test('a renamed version retrains', async () => {
    const event = update(VERSION, props({ name: 'hrnn-v1' }), props({ name: 'hrnn-v2', WaitCondition: `${WAIT}2` }));
    await expect(handler.onEvent(event)).resolves.toMatchObject({ PhysicalResourceId: NEW_VERSION });
    expect(createInput()).toMatchObject({ name: replacementName('hrnn-v2', event.RequestId) });
  });

  test.each([
    ['TrainingTimeoutSeconds', { TrainingTimeoutSeconds: '7200' }],
    ['PollIntervalSeconds (a property of older releases)', { PollIntervalSeconds: '60' }],
    ['StateMachineArn', { StateMachineArn: `${STATE_MACHINE}2` }],
    ['nothing (string vs typed values)', { TrainingTimeoutSeconds: 21600 }],
  ])('a change of %s keeps the version and calls nothing', async (_member, change) => {
    const response = await handler.onEvent(update(VERSION, props(), props(change)));
    expect(response).toEqual({ PhysicalResourceId: VERSION, Data: { SolutionVersionArn: VERSION }, Decision: { action: 'done' } });
    expect(personalize).not.toHaveReceivedAnyCommand();
    expect(sfn).not.toHaveReceivedAnyCommand();
  });

  test('a training that nothing would wait for is refused: the solution changed, the wait condition did not', async () => {
    const event = update(VERSION, props(), props({ solutionArn: solutionArn('movies-2') }));
    await expect(handler.onEvent(event)).rejects.toThrow(
      `A new training of ${solutionArn('movies-2')} is needed (solutionArn changed), but the wait condition ${WAIT} stayed the same, ` +
      'so nothing would wait for it.');
    expect(personalize).not.toHaveReceivedCommand(CreateSolutionVersionCommand);
    expect(sfn).not.toHaveReceivedAnyCommand();
  });

  test('the rollback of that refused update asks for what the version already is: nothing to train, no error', async () => {
    personalize.on(DescribeSolutionVersionCommand).resolves({ solutionVersion: { solutionVersionArn: VERSION, solutionArn: SOLUTION, trainingMode: 'FULL', name: 'cdkp-0123456789abcdef' } });
    const rollback = update(VERSION, props({ solutionArn: solutionArn('movies-2') }), props());
    await expect(handler.onEvent(rollback)).resolves.toEqual({ PhysicalResourceId: VERSION, Data: { SolutionVersionArn: VERSION }, Decision: { action: 'done' } });
    expect(personalize).not.toHaveReceivedCommand(CreateSolutionVersionCommand);
    expect(sfn).not.toHaveReceivedAnyCommand();
  });

  test('a new wait condition without a change that trains re-arms the poller for the existing version', async () => {
    const event = update(VERSION, props(), props({ WaitCondition: `${WAIT}2` }));
    const response = await handler.onEvent(event);
    expect(response).toEqual({ PhysicalResourceId: VERSION, Data: { SolutionVersionArn: VERSION }, Decision: { action: 'done' } });
    expect(personalize).not.toHaveReceivedCommand(CreateSolutionVersionCommand);
    expect(sfn).toHaveReceivedCommandTimes(StartExecutionCommand, 1);
    expect(startInput().input).toMatchObject({ jobArn: VERSION, waitLogicalId: `${WAIT}2` });
  });

  test('changed tags are applied to the version in place', async () => {
    const before = props({ tags: [{ tagKey: 'team', tagValue: 'recs' }, { tagKey: 'old', tagValue: 'x' }] });
    const after = props({ tags: [{ tagKey: 'team', tagValue: 'ml' }] });
    const response = await handler.onEvent(update(VERSION, before, after));
    expect(response.PhysicalResourceId).toBe(VERSION);
    expect(personalize).toHaveReceivedCommandWith(UntagResourceCommand, { resourceArn: VERSION, tagKeys: ['old'] });
    expect(personalize).toHaveReceivedCommandWith(TagResourceCommand, { resourceArn: VERSION, tags: [{ tagKey: 'team', tagValue: 'ml' }] });
    expect(personalize).not.toHaveReceivedCommand(CreateSolutionVersionCommand);
  });

  test('after a failed create (no version ARN as physical id) it trains', async () => {
    const response = await handler.onEvent(update('8f1d4c2e-7f8a-4a53-9b36-2d6c1e0a4f11', props(), props({ TrainingTimeoutSeconds: '7200' })));
    expect(response.PhysicalResourceId).toBe(NEW_VERSION);
    expect(sfn).toHaveReceivedCommandTimes(StartExecutionCommand, 1);
  });
});

describe('delete', () => {
  test.each(['CREATE PENDING', 'CREATE IN_PROGRESS'])('a version in %s is stopped', async (status) => {
    personalize.on(DescribeSolutionVersionCommand).resolves({ solutionVersion: { solutionVersionArn: VERSION, status } });
    personalize.on(StopSolutionVersionCreationCommand).resolves({});
    await expect(handler.onEvent(remove(VERSION))).resolves.toEqual({ PhysicalResourceId: VERSION, Decision: { action: 'done' } });
    expect(personalize).toHaveReceivedCommandWith(StopSolutionVersionCreationCommand, { solutionVersionArn: VERSION });
    await expect(handler.isComplete(completeEvent(remove(VERSION), VERSION, { action: 'done' }))).resolves.toEqual({ IsComplete: true });
  });

  test('a stop refused because the training just ended is fine', async () => {
    personalize.on(DescribeSolutionVersionCommand).resolves({ solutionVersion: { solutionVersionArn: VERSION, status: 'CREATE IN_PROGRESS' } });
    personalize.on(StopSolutionVersionCreationCommand).rejects(new ResourceInUseException({ message: 'not in progress', ...meta }));
    await expect(handler.onEvent(remove(VERSION))).resolves.toEqual({ PhysicalResourceId: VERSION, Decision: { action: 'done' } });
  });

  test('a version that no longer exists is deleted', async () => {
    personalize.on(DescribeSolutionVersionCommand).rejects(new ResourceNotFoundException({ message: 'not found', ...meta }));
    await expect(handler.onEvent(remove(VERSION))).resolves.toEqual({ PhysicalResourceId: VERSION, Decision: { action: 'done' } });
    expect(personalize).not.toHaveReceivedCommand(StopSolutionVersionCreationCommand);
  });

  test.each(['ACTIVE', 'CREATE FAILED', 'CREATE STOPPED', 'CREATE STOPPING'])('a version in %s is left as is: only Describe is called', async (status) => {
    personalize.on(DescribeSolutionVersionCommand).resolves({ solutionVersion: { solutionVersionArn: VERSION, status } });
    await expect(handler.onEvent(remove(VERSION))).resolves.toEqual({ PhysicalResourceId: VERSION, Decision: { action: 'done' } });
    expect(personalize.calls()).toHaveLength(1);
    expect(personalize).toHaveReceivedCommandTimes(DescribeSolutionVersionCommand, 1);
  });

  test.each([
    '8f1d4c2e-7f8a-4a53-9b36-2d6c1e0a4f11',
    SOLUTION,
  ])('a physical id that is not a version ARN (%s) needs nothing', async (id) => {
    await expect(handler.onEvent(remove(id))).resolves.toEqual({ PhysicalResourceId: id, Decision: { action: 'done' } });
    expect(personalize).not.toHaveReceivedAnyCommand();
  });
});
