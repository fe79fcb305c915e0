import {
  CloudFormationClient,
  CloudFormationServiceException,
  DescribeStacksCommand,
  DescribeStackResourceCommand,
  SignalResourceCommand,
} from '@aws-sdk/client-cloudformation';
import {
  DescribeDatasetImportJobCommand,
  DescribeSolutionVersionCommand,
  PersonalizeClient,
  ResourceInUseException,
  ResourceNotFoundException,
  StopSolutionVersionCreationCommand,
} from '@aws-sdk/client-personalize';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { versionArn } from './events';
import { handler as pollerEntry } from '../../src/handlers/job-poller.lambda';
import { formatDuration, SIGNAL_RETRY_SECONDS, JobPoller, toPollerInput, type ExecutionStatusChangeEvent } from '../../src/handlers/poller/job-poller';
import type { JobPollerInput } from '../../src/private/contract';

const personalize = mockClient(PersonalizeClient);
const cloudFormation = mockClient(CloudFormationClient);
const meta = { $metadata: {} };
/** Not modelled by Personalize: the SDK raises a generic service exception with this name. */
const accessDenied = () => Object.assign(new Error('denied'), { name: 'AccessDeniedException' });
const validationError = (message: string) => new CloudFormationServiceException({ name: 'ValidationError', $fault: 'client', message, ...meta });

const ARN = versionArn('movies', '5a515609');
const STACK_ID = 'arn:aws:cloudformation:us-east-1:123456789012:stack/Movies/0a1b2c3d-0000-4000-8000-000000000000';
const NOW = Date.UTC(2025, 0, 1, 12, 0, 0);

const INPUT: JobPollerInput = {
  kind: 'training',
  jobArn: ARN,
  stackId: STACK_ID,
  jobLogicalId: 'MoviesVersion1234ABCD',
  waitLogicalId: 'MoviesVersionTraining0FEDCBA9',
  deadline: NOW / 1000 + 3600,
  timeoutSeconds: 5400,
  expectedSeconds: 0,
};

let clock: number;
let poller: JobPoller;

beforeEach(() => {
  personalize.reset();
  cloudFormation.reset();
  clock = NOW;
  poller = new JobPoller({
    personalize: new PersonalizeClient({ maxAttempts: 1 }),
    cloudFormation: new CloudFormationClient({ maxAttempts: 1 }),
    now: () => clock,
  });
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
});

afterEach(() => {
  jest.restoreAllMocks();
});

function versionIs(status: string, failureReason?: string) {
  personalize.on(DescribeSolutionVersionCommand).resolves({ solutionVersion: { solutionVersionArn: ARN, status, failureReason } });
}

/** What DescribeStackResource reports for the version's custom resource and its wait condition (undefined: does not exist). */
function stackHas(version: { physicalId: string; status: string } | undefined, wait: string | undefined, stackStatus = 'UPDATE_IN_PROGRESS') {
  cloudFormation.on(DescribeStacksCommand, { StackName: STACK_ID })
    .resolves({ Stacks: [{ StackName: 'Movies', StackId: STACK_ID, StackStatus: stackStatus as any, CreationTime: new Date(NOW) }] });
  const describe = (logicalId: string, found: { PhysicalResourceId?: string; ResourceStatus: string } | undefined) => {
    const call = cloudFormation.on(DescribeStackResourceCommand, { StackName: STACK_ID, LogicalResourceId: logicalId });
    if (found) {
      call.resolves({ StackResourceDetail: { LogicalResourceId: logicalId, ResourceType: 'x', LastUpdatedTimestamp: new Date(NOW), ...found } as any });
    } else {
      call.rejects(validationError(`Resource ${logicalId} does not exist for stack Movies`));
    }
  };
  describe(INPUT.jobLogicalId, version && { PhysicalResourceId: version.physicalId, ResourceStatus: version.status });
  describe(INPUT.waitLogicalId, wait === undefined ? undefined : { PhysicalResourceId: `${STACK_ID}/${INPUT.waitLogicalId}`, ResourceStatus: wait });
}

describe('check', () => {
  test.each(['CREATE PENDING', 'CREATE IN_PROGRESS'])('%s before the deadline: WAIT', async (status) => {
    versionIs(status);
    await expect(poller.handle({ action: 'check', ...INPUT })).resolves.toEqual({ outcome: 'WAIT', status, reason: '', waitSeconds: 180 });
    expect(personalize).toHaveReceivedCommandWith(DescribeSolutionVersionCommand, { solutionVersionArn: ARN });
    expect(personalize).not.toHaveReceivedCommand(StopSolutionVersionCreationCommand);
  });

  test('the next check follows the schedule: sparse long before the expected end, every 2 minutes near it, never past the deadline', async () => {
    const created = new Date(NOW - 3600_000);
    const runningSince = (date: Date) => personalize.on(DescribeSolutionVersionCommand)
      .resolves({ solutionVersion: { solutionVersionArn: ARN, status: 'CREATE IN_PROGRESS', creationDateTime: date } });
    runningSince(created);
    const retrain = { ...INPUT, deadline: NOW / 1000 + 6 * 3600, expectedSeconds: 4 * 3600 };
    // 1 h in, 4 h expected: the window opens at 3 h 24 min; half the 2 h 24 min left, at most 15 min.
    await expect(poller.check(retrain)).resolves.toMatchObject({ outcome: 'WAIT', waitSeconds: 900 });
    runningSince(new Date(NOW - 4 * 3600_000));
    await expect(poller.check(retrain)).resolves.toMatchObject({ outcome: 'WAIT', waitSeconds: 120 });
    // 50 s before the deadline: the next check is at the deadline.
    await expect(poller.check({ ...retrain, deadline: NOW / 1000 + 50 })).resolves.toMatchObject({ outcome: 'WAIT', waitSeconds: 50 });
    // No creation time: counted from the start of the polling.
    personalize.on(DescribeSolutionVersionCommand).resolves({ solutionVersion: { solutionVersionArn: ARN, status: 'CREATE PENDING' } });
    await expect(poller.check(INPUT)).resolves.toMatchObject({ outcome: 'WAIT', waitSeconds: 180 });
  });

  test('ACTIVE: ENDED', async () => {
    versionIs('ACTIVE');
    await expect(poller.handle({ action: 'check', ...INPUT })).resolves.toEqual({ outcome: 'ENDED', status: 'ACTIVE', reason: '', waitSeconds: SIGNAL_RETRY_SECONDS });
  });

  test('CREATE FAILED: ENDED with Personalize\'s reason', async () => {
    versionIs('CREATE FAILED', 'Insufficient data for training: at least 1000 interactions are needed');
    await expect(poller.handle({ action: 'check', ...INPUT })).resolves.toEqual({
      outcome: 'ENDED',
      status: 'CREATE FAILED',
      reason: 'training failed: Insufficient data for training: at least 1000 interactions are needed',
      waitSeconds: SIGNAL_RETRY_SECONDS,
    });
  });

  test.each(['CREATE STOPPING', 'CREATE STOPPED'])('%s: ENDED, training was stopped', async (status) => {
    versionIs(status);
    await expect(poller.handle({ action: 'check', ...INPUT })).resolves.toEqual({ outcome: 'ENDED', status, reason: 'training was stopped', waitSeconds: SIGNAL_RETRY_SECONDS });
  });

  test.each(['CREATE PENDING', 'CREATE IN_PROGRESS'])('%s at the deadline: stopped, ENDED with the status it had', async (status) => {
    versionIs(status);
    personalize.on(StopSolutionVersionCreationCommand).resolves({});
    clock = INPUT.deadline * 1000;
    await expect(poller.handle({ action: 'check', ...INPUT })).resolves.toEqual({
      outcome: 'ENDED',
      status,
      reason: `training did not finish within the trainingTimeout of 1h 30m (status ${status}); it was stopped`,
      waitSeconds: SIGNAL_RETRY_SECONDS,
    });
    expect(personalize).toHaveReceivedCommandWith(StopSolutionVersionCreationCommand, { solutionVersionArn: ARN });
  });

  test('past the deadline, a training that finished just before the stop ended ACTIVE', async () => {
    personalize.on(DescribeSolutionVersionCommand)
      .resolvesOnce({ solutionVersion: { status: 'CREATE IN_PROGRESS' } })
      .resolves({ solutionVersion: { status: 'ACTIVE' } });
    personalize.on(StopSolutionVersionCreationCommand).rejects(new ResourceInUseException({ message: 'not in progress', ...meta }));
    clock = INPUT.deadline * 1000 + 1;
    await expect(poller.check(INPUT)).resolves.toEqual({ outcome: 'ENDED', status: 'ACTIVE', reason: '', waitSeconds: SIGNAL_RETRY_SECONDS });
  });

  test('a version that no longer exists: ENDED', async () => {
    personalize.on(DescribeSolutionVersionCommand).rejects(new ResourceNotFoundException({ message: 'gone', ...meta }));
    await expect(poller.check(INPUT)).resolves.toEqual({ outcome: 'ENDED', status: 'NOT FOUND', reason: `solution version ${ARN} no longer exists`, waitSeconds: SIGNAL_RETRY_SECONDS });
  });

  test('other errors throw (the state machine retries, then polls again)', async () => {
    personalize.on(DescribeSolutionVersionCommand).rejects(accessDenied());
    await expect(poller.check(INPUT)).rejects.toThrow('DescribeSolutionVersion failed: AccessDeniedException: denied');
  });

  test('numbers passed as strings are coerced; a missing member is named', async () => {
    versionIs('CREATE IN_PROGRESS');
    const stringly = { action: 'check', ...INPUT, deadline: String(INPUT.deadline), expectedSeconds: '0' } as any;
    await expect(poller.handle(stringly)).resolves.toMatchObject({ outcome: 'WAIT' });
    await expect(poller.handle({ action: 'check', ...INPUT, waitLogicalId: undefined } as any))
      .rejects.toThrow('Job poller input waitLogicalId must be a non-empty string, got undefined');
    await expect(poller.handle({ action: 'poll', ...INPUT } as any)).rejects.toThrow('Unsupported job poller event: action "poll"');
  });

  test('an execution started before imports were polled (a training\'s earlier member names) still parses', () => {
    const earlier = {
      solutionVersionArn: ARN,
      stackId: STACK_ID,
      versionLogicalId: 'MoviesVersion1234ABCD',
      waitLogicalId: INPUT.waitLogicalId,
      deadline: INPUT.deadline,
      trainingTimeoutSeconds: 5400,
      expectedTrainingSeconds: 60,
    };
    expect(toPollerInput(earlier)).toEqual({ ...INPUT, expectedSeconds: 60 });
    expect(() => toPollerInput({ ...INPUT, kind: 'export' })).toThrow('Job poller input kind must be one of training, import, batchInference, batchSegment, got "export"');
  });

  test('formatDuration', () => {
    expect(formatDuration(21600)).toBe('6h');
    expect(formatDuration(5400)).toBe('1h 30m');
    expect(formatDuration(600)).toBe('10m');
    expect(formatDuration(90)).toBe('1m 30s');
  });
});

describe('signal', () => {
  test('the current training: SignalResource SUCCESS to its wait condition, with the version id as UniqueId', async () => {
    stackHas({ physicalId: ARN, status: 'UPDATE_COMPLETE' }, 'CREATE_IN_PROGRESS');
    await expect(poller.handle({ action: 'signal', ...INPUT }))
      .resolves.toEqual({ result: 'SIGNALLED', reason: `SUCCESS to ${INPUT.waitLogicalId}` });
    expect(cloudFormation).toHaveReceivedCommandTimes(SignalResourceCommand, 1);
    expect(cloudFormation).toHaveReceivedCommandWith(SignalResourceCommand, {
      StackName: STACK_ID, LogicalResourceId: INPUT.waitLogicalId, UniqueId: '5a515609', Status: 'SUCCESS',
    });
    expect(personalize).not.toHaveReceivedAnyCommand();
  });

  test.each([
    ['another version is the current one (the stack moved on or rolled back)', { physicalId: versionArn('movies', 'ffff0000'), status: 'UPDATE_COMPLETE' }],
    ['the version resource is being deleted', { physicalId: ARN, status: 'DELETE_IN_PROGRESS' }],
    ['the version resource is gone', undefined],
  ])('NOT_CURRENT, nothing sent, when %s', async (_, version) => {
    stackHas(version, 'CREATE_IN_PROGRESS');
    await expect(poller.signal(INPUT, 'SUCCESS')).resolves.toMatchObject({ result: 'NOT_CURRENT' });
    expect(cloudFormation).not.toHaveReceivedCommand(SignalResourceCommand);
  });

  test.each(['CREATE_COMPLETE', 'CREATE_FAILED', 'DELETE_IN_PROGRESS'])('NOT_CURRENT when the wait condition is %s', async (status) => {
    stackHas({ physicalId: ARN, status: 'CREATE_COMPLETE' }, status);
    await expect(poller.signal(INPUT, 'SUCCESS')).resolves.toEqual({ result: 'NOT_CURRENT', reason: `wait condition ${INPUT.waitLogicalId} is ${status}` });
    expect(cloudFormation).not.toHaveReceivedCommand(SignalResourceCommand);
  });

  test('NOT_READY while the wait condition does not exist yet, or when CloudFormation refuses the signal', async () => {
    stackHas({ physicalId: ARN, status: 'CREATE_COMPLETE' }, undefined);
    await expect(poller.signal(INPUT, 'SUCCESS')).resolves.toMatchObject({ result: 'NOT_READY' });
    expect(cloudFormation).not.toHaveReceivedCommand(SignalResourceCommand);

    cloudFormation.reset();
    stackHas({ physicalId: ARN, status: 'CREATE_COMPLETE' }, 'CREATE_IN_PROGRESS');
    cloudFormation.on(SignalResourceCommand).rejects(validationError(`Resource ${INPUT.waitLogicalId} is in CREATE_COMPLETE state and cannot be signaled`));
    await expect(poller.signal(INPUT, 'SUCCESS')).resolves.toEqual({
      result: 'NOT_READY', reason: `Resource ${INPUT.waitLogicalId} is in CREATE_COMPLETE state and cannot be signaled`,
    });
  });

  test.each(['UPDATE_ROLLBACK_COMPLETE', 'UPDATE_COMPLETE'])('NOT_CURRENT when the wait condition does not exist and the stack is %s (it never will)', async (status) => {
    stackHas({ physicalId: ARN, status: 'UPDATE_COMPLETE' }, undefined, status);
    await expect(poller.signal(INPUT, 'SUCCESS')).resolves.toEqual({
      result: 'NOT_CURRENT', reason: `wait condition ${INPUT.waitLogicalId} does not exist and stack is ${status}`,
    });
  });

  test('other CloudFormation errors throw (the state machine retries)', async () => {
    cloudFormation.on(DescribeStackResourceCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'Throttling' }));
    await expect(poller.signal(INPUT, 'SUCCESS')).rejects.toThrow('Rate exceeded');
  });
});

describe('EventBridge: an execution that died', () => {
  const statusChange = (status: string, input: unknown = INPUT): ExecutionStatusChangeEvent => ({
    'source': 'aws.states',
    'detail-type': 'Step Functions Execution Status Change',
    'detail': { status, input: JSON.stringify(input), executionArn: 'arn:aws:states:us-east-1:123456789012:execution:w:x', error: 'States.Runtime' },
  });

  test.each(['FAILED', 'TIMED_OUT', 'ABORTED'])('%s: the current training is stopped and its wait condition fails at once', async (status) => {
    stackHas({ physicalId: ARN, status: 'CREATE_COMPLETE' }, 'CREATE_IN_PROGRESS');
    versionIs('CREATE IN_PROGRESS');
    personalize.on(StopSolutionVersionCreationCommand).resolves({});
    await expect(poller.handle(statusChange(status))).resolves.toMatchObject({ result: 'SIGNALLED' });
    expect(personalize).toHaveReceivedCommandWith(StopSolutionVersionCreationCommand, { solutionVersionArn: ARN });
    expect(cloudFormation).toHaveReceivedCommandWith(SignalResourceCommand, { Status: 'FAILURE', UniqueId: `training-poller-${status}` });
  });

  test('a training the stack no longer waits for is left alone', async () => {
    stackHas({ physicalId: versionArn('movies', 'ffff0000'), status: 'UPDATE_COMPLETE' }, undefined);
    await expect(poller.handle(statusChange('FAILED'))).resolves.toEqual({ ignored: `the stack no longer waits for ${ARN}` });
    expect(personalize).not.toHaveReceivedAnyCommand();
    expect(cloudFormation).not.toHaveReceivedCommand(SignalResourceCommand);
  });

  test('other statuses and unusable inputs are ignored', async () => {
    await expect(poller.handle(statusChange('SUCCEEDED'))).resolves.toEqual({ ignored: 'execution status SUCCEEDED' });
    await expect(poller.handle(statusChange('FAILED', { solutionVersionArn: ARN })))
      .resolves.toEqual({ ignored: 'unusable execution input: Job poller input stackId must be a non-empty string, got undefined' });
    expect(personalize).not.toHaveReceivedAnyCommand();
    expect(cloudFormation).not.toHaveReceivedAnyCommand();
  });
});

describe('the Lambda entry', () => {
  test('runs a state machine task with the bundled SDK clients', async () => {
    versionIs('ACTIVE');
    await expect(pollerEntry({ action: 'check', ...INPUT })).resolves.toEqual({ outcome: 'ENDED', status: 'ACTIVE', reason: '', waitSeconds: SIGNAL_RETRY_SECONDS });
  });

  test('dispatches an EventBridge execution status change', async () => {
    stackHas({ physicalId: ARN, status: 'CREATE_COMPLETE' }, 'CREATE_IN_PROGRESS');
    versionIs('ACTIVE');
    const event: ExecutionStatusChangeEvent = {
      'source': 'aws.states',
      'detail-type': 'Step Functions Execution Status Change',
      'detail': { status: 'TIMED_OUT', input: JSON.stringify(INPUT) },
    };
    await expect(pollerEntry(event)).resolves.toMatchObject({ result: 'SIGNALLED' });
    expect(cloudFormation).toHaveReceivedCommandWith(SignalResourceCommand, { Status: 'FAILURE', UniqueId: 'training-poller-TIMED_OUT' });
    expect(personalize).not.toHaveReceivedCommand(StopSolutionVersionCreationCommand);
  });
});

describe('import jobs', () => {
  const IMPORT_ARN = 'arn:aws:personalize:us-east-1:123456789012:dataset-import-job/MoviesInteractions-0a1b2c3d';
  const IMPORT: JobPollerInput = {
    ...INPUT, kind: 'import', jobArn: IMPORT_ARN, jobLogicalId: 'InteractionsImport', waitLogicalId: 'InteractionsImportWait01234567', timeoutSeconds: 11 * 3600,
  };
  const importIs = (status: string, failureReason?: string) =>
    personalize.on(DescribeDatasetImportJobCommand).resolves({ datasetImportJob: { datasetImportJobArn: IMPORT_ARN, status, failureReason } });

  test('a running import: WAIT; ACTIVE: ENDED without a reason; CREATE FAILED: ENDED with Personalize\'s reason', async () => {
    importIs('CREATE IN_PROGRESS');
    await expect(poller.check(IMPORT)).resolves.toMatchObject({ outcome: 'WAIT', status: 'CREATE IN_PROGRESS' });
    importIs('ACTIVE');
    await expect(poller.check(IMPORT)).resolves.toMatchObject({ outcome: 'ENDED', status: 'ACTIVE', reason: '' });
    importIs('CREATE FAILED', 'Column TIMESTAMP is missing');
    await expect(poller.check(IMPORT)).resolves.toMatchObject({ outcome: 'ENDED', reason: 'import failed: Column TIMESTAMP is missing' });
    expect(personalize).toHaveReceivedCommandWith(DescribeDatasetImportJobCommand, { datasetImportJobArn: IMPORT_ARN });
    expect(personalize).not.toHaveReceivedCommand(DescribeSolutionVersionCommand);
  });

  test('past its deadline an import is not stopped (Personalize cannot): the wait ends and says it is left to finish', async () => {
    importIs('CREATE IN_PROGRESS');
    clock = (IMPORT.deadline + 1) * 1000;
    await expect(poller.check(IMPORT)).resolves.toMatchObject({
      outcome: 'ENDED', reason: 'import did not finish within 11h (status CREATE IN_PROGRESS); import jobs cannot be stopped, so it is left to finish',
    });
    expect(personalize).not.toHaveReceivedCommand(StopSolutionVersionCreationCommand);
  });

  test('signals the import\'s wait condition with the job name as its id, only while the import resource has this job', async () => {
    cloudFormation.on(DescribeStackResourceCommand, { LogicalResourceId: 'InteractionsImport' })
      .resolves({ StackResourceDetail: { LogicalResourceId: 'InteractionsImport', PhysicalResourceId: IMPORT_ARN, ResourceStatus: 'CREATE_COMPLETE', ResourceType: 'x', LastUpdatedTimestamp: new Date() } });
    cloudFormation.on(DescribeStackResourceCommand, { LogicalResourceId: IMPORT.waitLogicalId })
      .resolves({ StackResourceDetail: { LogicalResourceId: IMPORT.waitLogicalId, ResourceStatus: 'CREATE_IN_PROGRESS', ResourceType: 'x', LastUpdatedTimestamp: new Date() } });
    cloudFormation.on(SignalResourceCommand).resolves({});

    await expect(poller.signal(IMPORT, 'SUCCESS')).resolves.toMatchObject({ result: 'SIGNALLED' });
    expect(cloudFormation).toHaveReceivedCommandWith(SignalResourceCommand, {
      LogicalResourceId: IMPORT.waitLogicalId, UniqueId: 'MoviesInteractions-0a1b2c3d', Status: 'SUCCESS',
    });
  });
});
