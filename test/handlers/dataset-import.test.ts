import {
  CreateDatasetCommand,
  CreateDatasetImportJobCommand,
  CreateSchemaCommand,
  DeleteDatasetCommand,
  DescribeDatasetImportJobCommand,
  InvalidInputException,
  ListDatasetImportJobsCommand,
  PersonalizeClient,
  ResourceAlreadyExistsException,
  ResourceInUseException,
  ResourceNotFoundException,
} from '@aws-sdk/client-personalize';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { TIMING } from '@cdk-personalize/simulator';
import { Harness, startHarness, stopHarness } from '@cdk-personalize/simulator/testing';
import { AwsStub, mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { afterOnEvent, completeEvent, createEvent, deleteEvent, SERVICE_TOKEN, updateEvent } from './events';
import { importJobArnOf, importJobName } from '../../src/handlers/aws/names';
import { SdkPersonalizeApi } from '../../src/handlers/aws/personalize-api';
import type { OnEventRequest, ResourceProperties } from '../../src/handlers/framework/types';
import {
  DatasetImportHandler, DELETE_WAIT_SECONDS, planImportUpdate, parseDatasetImportProps,
} from '../../src/handlers/resources/dataset-import-handler';
import { DatasetImportResultHandler } from '../../src/handlers/resources/dataset-import-result-handler';

const RESOURCE_TYPE = 'Custom::PersonalizeDatasetImport';
const DATASET_ARN = 'arn:aws:personalize:us-east-1:123456789012:dataset/dg/INTERACTIONS';
const ROLE_ARN = 'arn:aws:iam::123456789012:role/personalize-import';
const STATE_MACHINE = 'arn:aws:states:us-east-1:123456789012:stateMachine:JobWaiter';
const NOW = Date.UTC(2026, 11, 7, 3, 0, 0);
const meta = { $metadata: {} };

/** Properties as CloudFormation delivers them. */
function props(extra: ResourceProperties = {}): ResourceProperties {
  return {
    ServiceToken: SERVICE_TOKEN,
    datasetArn: DATASET_ARN,
    dataSource: { dataLocation: 's3://data/interactions/' },
    roleArn: ROLE_ARN,
    importMode: 'FULL',
    JobNamePrefix: 'AppInteractions',
    WaitCondition: 'InteractionsImportWait0A1B2C3D',
    StateMachineArn: STATE_MACHINE,
    ...extra,
  };
}

const typed = { ResourceType: RESOURCE_TYPE, LogicalResourceId: 'InteractionsImport' };
const create = (p: ResourceProperties = props(), requestId = 'req-1') => createEvent(p, { ...typed, RequestId: requestId });
const update = (physicalId: string, oldProps: ResourceProperties, newProps: ResourceProperties, requestId = 'req-2') =>
  updateEvent(physicalId, oldProps, newProps, { ...typed, RequestId: requestId });
const remove = (physicalId: string) => ({ ...deleteEvent(physicalId, props()), ...typed });

function jobArn(event: OnEventRequest): string {
  return importJobArnOf(DATASET_ARN, importJobName('AppInteractions', event));
}

function job(status: string, extra: Record<string, unknown> = {}) {
  return { datasetImportJob: { status, datasetArn: DATASET_ARN, ...extra } };
}

describe('DatasetImportHandler with a mocked client', () => {
  let personalize: AwsStub<any, any, any>;
  let sfn: AwsStub<any, any, any>;
  let handler: DatasetImportHandler;
  let clock: number;

  beforeEach(() => {
    personalize = mockClient(PersonalizeClient);
    sfn = mockClient(SFNClient);
    sfn.on(StartExecutionCommand).resolves({ executionArn: `${STATE_MACHINE}:x`, startDate: new Date(NOW) });
    clock = NOW;
    handler = new DatasetImportHandler(new SdkPersonalizeApi(new PersonalizeClient({ maxAttempts: 1 })), {
      stepFunctions: new SFNClient({ maxAttempts: 1 }),
      now: () => clock,
    });
    jest.spyOn(console, 'log').mockImplementation(() => undefined);
  });

  afterEach(() => {
    personalize.restore();
    sfn.restore();
    jest.restoreAllMocks();
  });

  const input = (command: any, call = 0) => personalize.commandCalls(command)[call].args[0].input;
  const executions = () => sfn.commandCalls(StartExecutionCommand).map(c => ({ ...c.args[0].input, input: JSON.parse(c.args[0].input.input!) }));

  describe('create', () => {
    test('starts a job named after the request, without the control keys', async () => {
      const event = create();
      const arn = jobArn(event);
      personalize.on(CreateDatasetImportJobCommand).resolves({ datasetImportJobArn: arn });

      const response = await handler.onEvent(event);

      const name = importJobName('AppInteractions', event);
      expect(name).toMatch(/^AppInteractions-[0-9a-f]{8}$/);
      expect(response).toEqual({ PhysicalResourceId: arn, Data: { DatasetImportJobArn: arn, JobName: name }, Decision: { action: 'started' } });
      expect(input(CreateDatasetImportJobCommand)).toStrictEqual({
        jobName: name,
        datasetArn: DATASET_ARN,
        dataSource: { dataLocation: 's3://data/interactions/' },
        roleArn: ROLE_ARN,
        importMode: 'FULL',
      });
    });

    test('the job name is the same for a request delivered twice and differs between requests', () => {
      expect(importJobName('p', create(props(), 'a'))).toBe(importJobName('p', create(props(), 'a')));
      expect(importJobName('p', create(props(), 'a'))).not.toBe(importJobName('p', create(props(), 'b')));
    });

    test('a job already started for this request is taken over', async () => {
      const event = create();
      personalize.on(CreateDatasetImportJobCommand).rejects(new ResourceAlreadyExistsException({ message: 'exists', ...meta }));
      personalize.on(DescribeDatasetImportJobCommand).resolves(job('CREATE IN_PROGRESS'));

      const response = await handler.onEvent(event);

      expect(response.PhysicalResourceId).toBe(jobArn(event));
      expect(await handler.isComplete(completeEvent(event, response.PhysicalResourceId!, response.Decision))).toMatchObject({ IsComplete: true });
      expect(personalize).toHaveReceivedCommandTimes(CreateDatasetImportJobCommand, 1);
      expect(executions()).toHaveLength(1);
    });

    test('a dataset that is not ACTIVE yet defers the start to isComplete', async () => {
      const event = create();
      const arn = jobArn(event);
      personalize.on(CreateDatasetImportJobCommand)
        .rejectsOnce(new ResourceInUseException({ message: 'Dataset is CREATE PENDING', ...meta }))
        .rejectsOnce(new ResourceInUseException({ message: 'Dataset is CREATE IN_PROGRESS', ...meta }))
        .resolves({ datasetImportJobArn: arn });
      personalize.on(DescribeDatasetImportJobCommand)
        .rejectsOnce(new ResourceNotFoundException({ message: 'no job', ...meta }))
        .rejectsOnce(new ResourceNotFoundException({ message: 'no job', ...meta }))
        .resolves(job('CREATE PENDING'));

      const response = await handler.onEvent(event);
      expect(response.PhysicalResourceId).toBe(arn);
      const done = completeEvent(event, arn, { action: 'started' });
      expect(await handler.isComplete(done)).toEqual({ IsComplete: false }); // still in use
      expect(await handler.isComplete(done)).toEqual({ IsComplete: false }); // started
      expect(executions()).toHaveLength(0);
      // The job exists: its poller waits for it, not this resource.
      expect(await handler.isComplete(done)).toEqual({ IsComplete: true, Data: { DatasetImportJobArn: arn, JobName: importJobName('AppInteractions', event) } });
      expect(personalize).toHaveReceivedCommandTimes(CreateDatasetImportJobCommand, 3);
      expect(input(CreateDatasetImportJobCommand, 2)).toEqual(input(CreateDatasetImportJobCommand, 0));
    });

    test('any other error fails the create with Personalize\'s reason', async () => {
      personalize.on(CreateDatasetImportJobCommand).rejects(new InvalidInputException({ message: 'Could not assume role', ...meta }));

      await expect(handler.onEvent(create())).rejects.toThrow('CreateDatasetImportJob failed: InvalidInputException: Could not assume role');
    });

    test('coerces and checks the properties', () => {
      expect(parseDatasetImportProps(props({ importMode: 'incremental', publishAttributionMetricsToS3: 'true', roleArn: '' }))).toEqual({
        datasetArn: DATASET_ARN,
        dataLocation: 's3://data/interactions/',
        roleArn: undefined,
        importMode: 'INCREMENTAL',
        publishAttributionMetricsToS3: true,
        importTrigger: '',
        jobNamePrefix: 'AppInteractions',
        waitCondition: 'InteractionsImportWait0A1B2C3D',
        stateMachineArn: STATE_MACHINE,
      });
      expect(parseDatasetImportProps(props({ JobNamePrefix: undefined })).jobNamePrefix).toBe('cdkp-import');
      expect(() => parseDatasetImportProps(props({ importMode: 'SOMETIMES' }))).toThrow('Property importMode must be FULL or INCREMENTAL, got "SOMETIMES"');
      expect(() => parseDatasetImportProps(props({ dataSource: {} }))).toThrow('Property dataSource.dataLocation is required');
      expect(() => importJobArnOf('arn:aws:personalize:us-east-1:123456789012:schema/s', 'j')).toThrow('Property datasetArn must be a dataset ARN');
    });
  });

  describe('isComplete', () => {
    test('starts the import poller once the job exists, with the job, its wait condition and an 11-hour deadline', async () => {
      const event = create();
      const arn = jobArn(event);
      personalize.on(DescribeDatasetImportJobCommand).resolves(job('CREATE PENDING', { creationDateTime: new Date(NOW - 60_000) }));
      personalize.on(ListDatasetImportJobsCommand).resolves({
        datasetImportJobs: [
          { status: 'ACTIVE', creationDateTime: new Date(NOW - 10 * 3_600_000), lastUpdatedDateTime: new Date(NOW - 8 * 3_600_000) },
          { status: 'CREATE PENDING', creationDateTime: new Date(NOW - 60_000) },
        ],
      });

      expect(await handler.isComplete(completeEvent(event, arn, { action: 'started' }))).toMatchObject({ IsComplete: true });

      const [execution] = executions();
      expect(execution.stateMachineArn).toBe(STATE_MACHINE);
      expect(execution.input).toMatchObject({
        kind: 'import',
        jobArn: arn,
        jobLogicalId: 'InteractionsImport',
        waitLogicalId: 'InteractionsImportWait0A1B2C3D',
        deadline: (NOW - 60_000) / 1000 + 11 * 3600,
        timeoutSeconds: 11 * 3600,
        expectedSeconds: 2 * 3600,
        check: { outcome: 'WAIT' },
      });
      expect(input(ListDatasetImportJobsCommand)).toMatchObject({ datasetArn: DATASET_ARN });
    });

    test('a poller already started by this request is fine; another Step Functions error fails the request', async () => {
      const event = create();
      personalize.on(DescribeDatasetImportJobCommand).resolves(job('CREATE IN_PROGRESS'));
      personalize.on(ListDatasetImportJobsCommand).resolves({});
      sfn.on(StartExecutionCommand)
        .rejectsOnce(Object.assign(new Error('exists'), { name: 'ExecutionAlreadyExists' }))
        .rejects(Object.assign(new Error('no access'), { name: 'AccessDeniedException' }));
      const done = completeEvent(event, jobArn(event), { action: 'started' });

      expect(await handler.isComplete(done)).toMatchObject({ IsComplete: true });
      await expect(handler.isComplete(done)).rejects.toThrow('no access');
    });

    test('fails when a job of that name imports into another dataset', async () => {
      const event = create();
      personalize.on(DescribeDatasetImportJobCommand).resolves(job('ACTIVE', { datasetArn: 'arn:aws:personalize:us-east-1:123456789012:dataset/other/ITEMS' }));

      await expect(handler.isComplete(completeEvent(event, jobArn(event), { action: 'started' }))).rejects.toThrow(/exists but imports into .*other\/ITEMS/);
    });

    test('fails when the physical id is not a job ARN', async () => {
      await expect(handler.isComplete(completeEvent(create(), 'garbage', { action: 'started' }))).rejects.toThrow('Expected an import job ARN as physical id, got garbage');
    });
  });

  describe('update', () => {
    const oldArn = importJobArnOf(DATASET_ARN, 'AppInteractions-00000000');

    test.each([
      ['the data location', { dataSource: { dataLocation: 's3://data/interactions-v2/' } }],
      ['the trigger', { ImportTrigger: '2026-11-01' }],
      ['the mode', { importMode: 'INCREMENTAL' }],
      ['the role', { roleArn: 'arn:aws:iam::123456789012:role/other' }],
    ])('a change of %s starts a new job: a new physical id', async (_, change) => {
      const event = update(oldArn, props(), props(change));
      const arn = jobArn(event);
      personalize.on(CreateDatasetImportJobCommand).resolves({ datasetImportJobArn: arn });
      personalize.on(DescribeDatasetImportJobCommand).resolves(job('CREATE IN_PROGRESS'));
      personalize.on(ListDatasetImportJobsCommand).resolves({});

      const response = await handler.onEvent(event);

      expect(response.PhysicalResourceId).toBe(arn);
      expect(arn).not.toBe(oldArn);
      expect(await handler.isComplete(completeEvent(event, arn, { action: 'started' }))).toMatchObject({ IsComplete: true });
      expect(executions().map(e => e.input.jobArn)).toEqual([arn]);
    });

    test('other changes keep the job and do not import again', async () => {
      const event = update(oldArn, props(), props({ JobNamePrefix: 'Renamed' }));
      personalize.on(DescribeDatasetImportJobCommand).resolves(job('ACTIVE'));

      const response = await handler.onEvent(event);

      expect(response).toEqual({
        PhysicalResourceId: oldArn, Data: { DatasetImportJobArn: oldArn, JobName: 'AppInteractions-00000000' }, Decision: { action: 'kept' },
      });
      expect(personalize).toHaveReceivedCommandTimes(CreateDatasetImportJobCommand, 0);
      expect(await handler.isComplete(afterOnEvent(event, response))).toMatchObject({ IsComplete: true });
      expect(planImportUpdate(event)).toEqual({ changed: ['jobNamePrefix'], reimport: false });
      expect(executions()).toHaveLength(0);
    });

    test('a new wait condition for the same job gets a poller of its own, which signals it once the job ended', async () => {
      const event = update(oldArn, props(), props({ WaitCondition: 'InteractionsImportWait99999999' }));
      personalize.on(ListDatasetImportJobsCommand).resolves({});

      const response = await handler.onEvent(event);

      expect(response).toMatchObject({ PhysicalResourceId: oldArn, Decision: { action: 'kept' } });
      expect(personalize).toHaveReceivedCommandTimes(CreateDatasetImportJobCommand, 0);
      expect(executions().map(e => [e.input.jobArn, e.input.waitLogicalId])).toEqual([[oldArn, 'InteractionsImportWait99999999']]);
    });

    test('a physical id that is not a job ARN starts an import', async () => {
      const event = update('failed-create', props(), props());
      personalize.on(CreateDatasetImportJobCommand).resolves({ datasetImportJobArn: jobArn(event) });

      expect((await handler.onEvent(event)).PhysicalResourceId).toBe(jobArn(event));
    });
  });

  describe('delete', () => {
    const arn = importJobArnOf(DATASET_ARN, 'AppInteractions-00000000');

    test('deletes nothing and keeps the physical id', async () => {
      expect(await handler.onEvent(remove(arn))).toEqual({ PhysicalResourceId: arn, Decision: { action: 'left', since: String(NOW) } });
      expect(personalize.calls()).toHaveLength(0);
    });

    test('waits for a job that still runs, so that the dataset can be deleted after it', async () => {
      personalize.on(DescribeDatasetImportJobCommand)
        .resolvesOnce(job('CREATE IN_PROGRESS'))
        .resolvesOnce(job('ACTIVE'))
        .resolvesOnce(job('CREATE FAILED'))
        .rejects(new ResourceNotFoundException({ message: 'gone with its dataset', ...meta }));

      const event = completeEvent(remove(arn), arn, { action: 'left', since: String(NOW) });
      expect(await handler.isComplete(event)).toEqual({ IsComplete: false });
      expect(await handler.isComplete(event)).toEqual({ IsComplete: true });
      expect(await handler.isComplete(event)).toEqual({ IsComplete: true });
      expect(await handler.isComplete(event)).toEqual({ IsComplete: true });
    });

    test('leaves a job still running after most of the hour to finish, rather than fail the delete', async () => {
      personalize.on(DescribeDatasetImportJobCommand).resolves(job('CREATE IN_PROGRESS'));
      const event = completeEvent(remove(arn), arn, { action: 'left', since: String(NOW) });

      clock = NOW + (DELETE_WAIT_SECONDS - 1) * 1000;
      expect(await handler.isComplete(event)).toEqual({ IsComplete: false });
      clock = NOW + DELETE_WAIT_SECONDS * 1000;
      expect(await handler.isComplete(event)).toEqual({ IsComplete: true });
      expect(console.log).toHaveBeenCalledWith(expect.stringContaining('import jobs cannot be stopped, so it is left to finish'));
      expect(DELETE_WAIT_SECONDS).toBeLessThanOrEqual(50 * 60);
    });

    test('a physical id that is not a job ARN is done at once', async () => {
      expect(await handler.isComplete(completeEvent(remove('failed-create'), 'failed-create', { action: 'left', since: String(NOW) }))).toEqual({ IsComplete: true });
      expect(personalize.calls()).toHaveLength(0);
    });
  });
});

describe('DatasetImportResultHandler', () => {
  let personalize: AwsStub<any, any, any>;
  const handler = () => new DatasetImportResultHandler(new SdkPersonalizeApi(new PersonalizeClient({ maxAttempts: 1 })));
  const arn = importJobArnOf(DATASET_ARN, 'AppInteractions-00000000');
  const resultEvent = () => createEvent({ ServiceToken: SERVICE_TOKEN, DatasetImportJobArn: arn }, {
    ResourceType: 'Custom::PersonalizeDatasetImportResult', LogicalResourceId: 'InteractionsImportResult',
  });

  beforeEach(() => {
    personalize = mockClient(PersonalizeClient);
    jest.spyOn(console, 'log').mockImplementation(() => undefined);
  });
  afterEach(() => {
    personalize.restore();
    jest.restoreAllMocks();
  });

  test('an ACTIVE job: its ARN and name', async () => {
    personalize.on(DescribeDatasetImportJobCommand).resolves(job('ACTIVE'));
    expect(await handler().onEvent(resultEvent())).toMatchObject({ Data: { DatasetImportJobArn: arn, JobName: 'AppInteractions-00000000' } });
  });

  test('a failed job fails with Personalize\'s reason', async () => {
    personalize.on(DescribeDatasetImportJobCommand).resolves(job('CREATE FAILED', {
      failureReason: 'Column TIMESTAMP is missing', dataSource: { dataLocation: 's3://data/interactions/' },
    }));
    await expect(handler().onEvent(resultEvent())).rejects.toThrow(`Importing s3://data/interactions/ into ${DATASET_ARN} failed: Column TIMESTAMP is missing`);
  });

  test('a job still running fails: its wait ended before it did, and it is left to finish', async () => {
    personalize.on(DescribeDatasetImportJobCommand).resolves(job('CREATE IN_PROGRESS'));
    await expect(handler().onEvent(resultEvent())).rejects.toThrow(/is CREATE IN_PROGRESS, not ACTIVE: its wait condition ended before the job did.*left to finish/);
  });

  test('a missing job, or a property that is not a job ARN, fails', async () => {
    personalize.on(DescribeDatasetImportJobCommand).rejects(new ResourceNotFoundException({ message: 'gone', ...meta }));
    await expect(handler().onEvent(resultEvent())).rejects.toThrow(`Dataset import job ${arn} does not exist`);
    await expect(handler().onEvent(createEvent({ ServiceToken: SERVICE_TOKEN, DatasetImportJobArn: DATASET_ARN })))
      .rejects.toThrow('must be a dataset import job ARN');
  });
});

describe('DatasetImportHandler against the Personalize simulator', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
    jest.spyOn(console, 'log').mockImplementation(() => undefined);
  });
  afterEach(async () => {
    jest.restoreAllMocks();
    await stopHarness(h);
  });

  test('an import into a dataset still being created starts once it is ACTIVE and completes when the job is', async () => {
    const { schemaArn } = await h.client.send(new CreateSchemaCommand({
      name: 'interactions',
      schema: JSON.stringify({
        type: 'record',
        name: 'Interactions',
        namespace: 'com.amazonaws.personalize.schema',
        fields: [{ name: 'USER_ID', type: 'string' }, { name: 'ITEM_ID', type: 'string' }, { name: 'TIMESTAMP', type: 'long' }],
        version: '1.0',
      }),
    }));
    const { datasetArn } = await h.client.send(new CreateDatasetCommand({
      name: 'interactions', schemaArn, datasetGroupArn: h.datasetGroupArn, datasetType: 'Interactions',
    }));
    const sfn = mockClient(SFNClient);
    sfn.on(StartExecutionCommand).resolves({ executionArn: `${STATE_MACHINE}:x`, startDate: new Date() });
    const api = new SdkPersonalizeApi(h.client);
    const handler = new DatasetImportHandler(api, { stepFunctions: new SFNClient({ maxAttempts: 1 }), now: () => h.sim.clock.now() });
    const result = new DatasetImportResultHandler(api);
    // No role: the API model gives DatasetImportJob.roleArn the pattern of Personalize ARNs, so the
    // simulator's response check rejects an IAM role ARN in DescribeDatasetImportJob.
    const event = create(props({ datasetArn, roleArn: undefined }));

    const { PhysicalResourceId: arn } = await handler.onEvent(event);
    expect(arn).toBe(`arn:aws:personalize:us-east-1:123456789012:dataset-import-job/${importJobName('AppInteractions', event)}`);
    const done = completeEvent(event, arn!, { action: 'started' });
    expect(await handler.isComplete(done)).toEqual({ IsComplete: false }); // dataset still pending: not started
    h.sim.clock.advanceSeconds(60);
    expect(await handler.isComplete(done)).toEqual({ IsComplete: false }); // started now
    expect(await handler.isComplete(done)).toMatchObject({ IsComplete: true }); // its poller runs
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(1);
    sfn.restore();
    const resultEvent = createEvent({ ServiceToken: SERVICE_TOKEN, DatasetImportJobArn: arn }, { ResourceType: 'Custom::PersonalizeDatasetImportResult' });
    await expect(result.onEvent(resultEvent)).rejects.toThrow(/not ACTIVE/); // a signal before the job ended changes nothing

    // A rollback now would delete the dataset, which Personalize refuses while the job runs: Delete waits.
    h.sim.clock.advance(TIMING.stepMs);
    await expect(h.client.send(new DeleteDatasetCommand({ datasetArn }))).rejects.toMatchObject({ name: 'ResourceInUseException' });
    const deleting = completeEvent(remove(arn!), arn!, { action: 'left', since: String(h.sim.clock.now()) });
    expect(await handler.isComplete(deleting)).toEqual({ IsComplete: false });

    h.sim.clock.advance(TIMING.importBaseMs + 60 * 60_000);
    expect(await result.onEvent(resultEvent)).toMatchObject({ Data: { DatasetImportJobArn: arn } });
    expect(await handler.isComplete(deleting)).toEqual({ IsComplete: true });
    expect(h.sim.callCounts()).toMatchObject({ CreateDatasetImportJob: 3 }); // onEvent, and isComplete twice
  });
});
