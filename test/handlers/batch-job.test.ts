import {
  CreateBatchInferenceJobCommand,
  CreateBatchSegmentJobCommand,
  DescribeBatchInferenceJobCommand,
  DescribeBatchSegmentJobCommand,
  PersonalizeClient,
  ResourceAlreadyExistsException,
  ResourceNotFoundException,
} from '@aws-sdk/client-personalize';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { AwsStub, mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { completeEvent, createEvent, deleteEvent, SERVICE_TOKEN, updateEvent } from './events';
import { SdkPersonalizeApi } from '../../src/handlers/aws/personalize-api';
import type { ResourceProperties } from '../../src/handlers/framework/types';
import { BatchJobHandler, outputLocationOf, parseBatchJobProps } from '../../src/handlers/resources/batch-job-handler';
import { BatchJobResultHandler } from '../../src/handlers/resources/batch-job-result-handler';
import { DELETE_WAIT_SECONDS } from '../../src/handlers/resources/dataset-import-handler';

const INFERENCE = 'Custom::PersonalizeBatchInferenceJob';
const SEGMENT = 'Custom::PersonalizeBatchSegmentJob';
const VERSION = 'arn:aws:personalize:us-east-1:123456789012:solution/movies/5a515609';
const ROLE = 'arn:aws:iam::123456789012:role/batch';
const STATE_MACHINE = 'arn:aws:states:us-east-1:123456789012:stateMachine:JobWaiter';
const NOW = Date.UTC(2026, 11, 7, 3, 0, 0);
const meta = { $metadata: {} };

/** Properties as CloudFormation delivers them: every scalar a string. */
function props(extra: ResourceProperties = {}): ResourceProperties {
  return {
    ServiceToken: SERVICE_TOKEN,
    solutionVersionArn: VERSION,
    numResults: '10',
    jobInput: { s3DataSource: { path: 's3://data/batch/input/' } },
    jobOutput: { s3DataDestination: { path: 's3://data/batch/output/' } },
    roleArn: ROLE,
    JobNamePrefix: 'MoviesWeekly',
    JobTrigger: 'week-1',
    WaitCondition: 'WeeklyWait0123456789ABCDEF',
    StateMachineArn: STATE_MACHINE,
    ...extra,
  };
}

const typed = (resourceType = INFERENCE) => ({ ResourceType: resourceType, LogicalResourceId: 'Weekly' });

let personalize: AwsStub<any, any, any>;
let sfn: AwsStub<any, any, any>;
let clock: number;
let handler: BatchJobHandler;

beforeEach(() => {
  personalize = mockClient(PersonalizeClient);
  sfn = mockClient(SFNClient);
  sfn.on(StartExecutionCommand).resolves({ executionArn: `${STATE_MACHINE}:x`, startDate: new Date(NOW) });
  clock = NOW;
  handler = new BatchJobHandler(new SdkPersonalizeApi(new PersonalizeClient({ maxAttempts: 1 })), {
    stepFunctions: new SFNClient({ maxAttempts: 1 }), now: () => clock,
  });
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
});

afterEach(() => {
  personalize.restore();
  sfn.restore();
  jest.restoreAllMocks();
});

const executions = () => sfn.commandCalls(StartExecutionCommand).map(c => JSON.parse(c.args[0].input.input!));

test('create: the request without control keys, numbers coerced, the output in a folder named after the job, and its poller', async () => {
  personalize.on(CreateBatchInferenceJobCommand).callsFake(input => ({ batchInferenceJobArn: `arn:aws:personalize:us-east-1:123456789012:batch-inference-job/${input.jobName}` }));

  const response = await handler.onEvent(createEvent(props(), typed()));

  const [call] = personalize.commandCalls(CreateBatchInferenceJobCommand);
  const request = call.args[0].input;
  expect(request.jobName).toMatch(/^MoviesWeekly-[0-9a-f]{8}$/);
  expect(request).toStrictEqual({
    jobName: request.jobName,
    solutionVersionArn: VERSION,
    numResults: 10,
    jobInput: { s3DataSource: { path: 's3://data/batch/input/' } },
    jobOutput: { s3DataDestination: { path: `s3://data/batch/output/${request.jobName}/` } },
    roleArn: ROLE,
  });
  expect(response).toMatchObject({
    PhysicalResourceId: `arn:aws:personalize:us-east-1:123456789012:batch-inference-job/${request.jobName}`,
    Data: { JobName: request.jobName, OutputLocation: `s3://data/batch/output/${request.jobName}/` },
    Decision: { action: 'started' },
  });
  expect(executions()).toEqual([expect.objectContaining({
    kind: 'batchInference', jobArn: response.PhysicalResourceId, jobLogicalId: 'Weekly', waitLogicalId: 'WeeklyWait0123456789ABCDEF', timeoutSeconds: 11 * 3600,
  })]);
});

test('the job name follows the settings and the trigger, not the request: a rollback to earlier settings takes over their job', async () => {
  const jobName = async (p: ResourceProperties, requestId: string) => {
    personalize.reset();
    personalize.on(CreateBatchInferenceJobCommand).callsFake(input => ({ batchInferenceJobArn: `arn:aws:personalize:us-east-1:123456789012:batch-inference-job/${input.jobName}` }));
    await handler.onEvent(createEvent(p, { ...typed(), RequestId: requestId }));
    return personalize.commandCalls(CreateBatchInferenceJobCommand)[0].args[0].input.jobName;
  };
  expect(await jobName(props(), 'a')).toBe(await jobName(props(), 'b'));
  expect(await jobName(props({ JobTrigger: 'week-2' }), 'a')).not.toBe(await jobName(props(), 'a'));
  expect(await jobName(props({ numResults: '20' }), 'a')).not.toBe(await jobName(props(), 'a'));

  personalize.reset();
  personalize.on(CreateBatchInferenceJobCommand).rejects(new ResourceAlreadyExistsException({ message: 'exists', ...meta }));
  const week2 = 'arn:aws:personalize:us-east-1:123456789012:batch-inference-job/MoviesWeekly-00000002';
  const rollback = await handler.onEvent(updateEvent(week2, props({ JobTrigger: 'week-2' }), props(), typed()));
  expect(rollback.PhysicalResourceId).toMatch(/^arn:aws:personalize:us-east-1:123456789012:batch-inference-job\/MoviesWeekly-[0-9a-f]{8}$/);
  expect(rollback.PhysicalResourceId).not.toBe(week2);
});

test('update: unchanged settings keep the job; a new wait condition re-arms its poller', async () => {
  const arn = 'arn:aws:personalize:us-east-1:123456789012:batch-inference-job/MoviesWeekly-00000001';
  personalize.on(DescribeBatchInferenceJobCommand).resolves({
    batchInferenceJob: { jobName: 'MoviesWeekly-00000001', status: 'ACTIVE', jobOutput: { s3DataDestination: { path: 's3://data/batch/output/MoviesWeekly-00000001/' } } },
  });

  const kept = await handler.onEvent(updateEvent(arn, props(), props(), typed()));
  expect(kept).toMatchObject({ PhysicalResourceId: arn, Data: { OutputLocation: 's3://data/batch/output/MoviesWeekly-00000001/' } });
  expect(executions()).toHaveLength(0);

  await handler.onEvent(updateEvent(arn, props(), props({ WaitCondition: 'WeeklyWaitFEDCBA9876543210' }), typed()));
  expect(personalize).not.toHaveReceivedCommand(CreateBatchInferenceJobCommand);
  expect(executions().map(e => [e.jobArn, e.waitLogicalId])).toEqual([[arn, 'WeeklyWaitFEDCBA9876543210']]);
});

test('segments: CreateBatchSegmentJob with the segment members only', async () => {
  personalize.on(CreateBatchSegmentJobCommand).callsFake(input => ({ batchSegmentJobArn: `arn:aws:personalize:us-east-1:123456789012:batch-segment-job/${input.jobName}` }));
  const response = await handler.onEvent(createEvent(props({ numResults: '5000' }), typed(SEGMENT)));
  expect(response.PhysicalResourceId).toMatch(/batch-segment-job\/MoviesWeekly-/);
  expect(personalize.commandCalls(CreateBatchSegmentJobCommand)[0].args[0].input).toMatchObject({ numResults: 5000 });
  expect(executions()[0].kind).toBe('batchSegment');
  expect(parseBatchJobProps(INFERENCE, props({
    batchInferenceJobConfig: { rankingInfluence: { POPULARITY: '0.5' }, itemExplorationConfig: { explorationWeight: '0.3' } },
  })).request).toMatchObject({ batchInferenceJobConfig: { rankingInfluence: { POPULARITY: 0.5 }, itemExplorationConfig: { explorationWeight: '0.3' } } });
  expect(outputLocationOf('s3://b/out', 'job')).toBe('s3://b/out/job/');
});

test('delete: nothing to delete; a running job is waited for, then left to finish (it cannot be stopped)', async () => {
  const arn = 'arn:aws:personalize:us-east-1:123456789012:batch-segment-job/MoviesWeekly-00000001';
  const decided = await handler.onEvent({ ...deleteEvent(arn, props()), ...typed(SEGMENT) });
  expect(decided).toEqual({ PhysicalResourceId: arn, Decision: { action: 'left', since: String(NOW) } });
  personalize.on(DescribeBatchSegmentJobCommand).resolves({ batchSegmentJob: { jobName: 'MoviesWeekly-00000001', status: 'CREATE IN_PROGRESS' } });
  const event = completeEvent({ ...deleteEvent(arn, props()), ...typed(SEGMENT) }, arn, decided.Decision);
  expect(await handler.isComplete(event)).toEqual({ IsComplete: false });
  clock = NOW + DELETE_WAIT_SECONDS * 1000;
  expect(await handler.isComplete(event)).toEqual({ IsComplete: true });
  expect(console.log).toHaveBeenCalledWith(expect.stringContaining('batch jobs cannot be stopped, so it is left to finish'));
  personalize.on(DescribeBatchSegmentJobCommand).rejects(new ResourceNotFoundException({ message: 'gone', ...meta }));
  clock = NOW;
  expect(await handler.isComplete(event)).toEqual({ IsComplete: true });
});

describe('BatchJobResultHandler', () => {
  const arn = 'arn:aws:personalize:us-east-1:123456789012:batch-inference-job/MoviesWeekly-00000001';
  const result = () => new BatchJobResultHandler(new SdkPersonalizeApi(new PersonalizeClient({ maxAttempts: 1 })));
  const event = (jobArn = arn) => createEvent({ ServiceToken: SERVICE_TOKEN, JobArn: jobArn }, { ResourceType: 'Custom::PersonalizeBatchJobResult' });
  const jobIs = (status: string, failureReason?: string) => personalize.on(DescribeBatchInferenceJobCommand).resolves({
    batchInferenceJob: { jobName: 'MoviesWeekly-00000001', status, failureReason, jobOutput: { s3DataDestination: { path: 's3://data/out/MoviesWeekly-00000001/' } } },
  });

  test('ACTIVE: the job and where its output is', async () => {
    jobIs('ACTIVE');
    expect(await result().onEvent(event())).toMatchObject({
      Data: { JobArn: arn, JobName: 'MoviesWeekly-00000001', OutputLocation: 's3://data/out/MoviesWeekly-00000001/' },
    });
  });

  test('CREATE FAILED: Personalize\'s reason; still running: the wait ended early', async () => {
    jobIs('CREATE FAILED', 'Input is not JSON Lines');
    await expect(result().onEvent(event())).rejects.toThrow('Batch inference job MoviesWeekly-00000001 failed: Input is not JSON Lines');
    personalize.reset();
    jobIs('CREATE IN_PROGRESS');
    await expect(result().onEvent(event())).rejects.toThrow(/is CREATE IN_PROGRESS, not ACTIVE/);
    await expect(result().onEvent(event('arn:aws:personalize:us-east-1:123456789012:campaign/x'))).rejects.toThrow(/must be a batch inference or batch segment job ARN/);
  });
});
