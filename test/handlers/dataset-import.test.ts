import {
  CreateDatasetCommand,
  CreateDatasetImportJobCommand,
  CreateSchemaCommand,
  DeleteDatasetCommand,
  DescribeDatasetImportJobCommand,
  InvalidInputException,
  PersonalizeClient,
  ResourceAlreadyExistsException,
  ResourceInUseException,
  ResourceNotFoundException,
} from '@aws-sdk/client-personalize';
import { TIMING } from '@cdk-personalize/simulator';
import { Harness, startHarness, stopHarness } from '@cdk-personalize/simulator/testing';
import { AwsStub, mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { afterOnEvent, completeEvent, createEvent, deleteEvent, SERVICE_TOKEN, updateEvent } from './events';
import { importJobArnOf, importJobName } from '../../src/handlers/aws/names';
import { SdkPersonalizeApi } from '../../src/handlers/aws/personalize-api';
import type { OnEventRequest, ResourceProperties } from '../../src/handlers/framework/types';
import {
  DatasetImportHandler, planImportUpdate, parseDatasetImportProps,
} from '../../src/handlers/resources/dataset-import-handler';

const RESOURCE_TYPE = 'Custom::PersonalizeDatasetImport';
const DATASET_ARN = 'arn:aws:personalize:us-east-1:123456789012:dataset/dg/INTERACTIONS';
const ROLE_ARN = 'arn:aws:iam::123456789012:role/personalize-import';
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
  let handler: DatasetImportHandler;

  beforeEach(() => {
    personalize = mockClient(PersonalizeClient);
    handler = new DatasetImportHandler(new SdkPersonalizeApi(new PersonalizeClient({ maxAttempts: 1 })));
    jest.spyOn(console, 'log').mockImplementation(() => undefined);
  });

  afterEach(() => {
    personalize.restore();
    jest.restoreAllMocks();
  });

  const input = (command: any, call = 0) => personalize.commandCalls(command)[call].args[0].input;

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
      expect(await handler.isComplete(completeEvent(event, response.PhysicalResourceId!, response.Decision))).toEqual({ IsComplete: false });
      expect(personalize).toHaveReceivedCommandTimes(CreateDatasetImportJobCommand, 1);
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
        .resolvesOnce(job('CREATE PENDING'))
        .resolves(job('ACTIVE'));

      const response = await handler.onEvent(event);
      expect(response.PhysicalResourceId).toBe(arn);
      const done = completeEvent(event, arn, { action: 'started' });
      expect(await handler.isComplete(done)).toEqual({ IsComplete: false }); // still in use
      expect(await handler.isComplete(done)).toEqual({ IsComplete: false }); // started
      expect(await handler.isComplete(done)).toEqual({ IsComplete: false }); // pending
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
      });
      expect(parseDatasetImportProps(props({ JobNamePrefix: undefined })).jobNamePrefix).toBe('cdkp-import');
      expect(() => parseDatasetImportProps(props({ importMode: 'SOMETIMES' }))).toThrow('Property importMode must be FULL or INCREMENTAL, got "SOMETIMES"');
      expect(() => parseDatasetImportProps(props({ dataSource: {} }))).toThrow('Property dataSource.dataLocation is required');
      expect(() => importJobArnOf('arn:aws:personalize:us-east-1:123456789012:schema/s', 'j')).toThrow('Property datasetArn must be a dataset ARN');
    });
  });

  describe('isComplete', () => {
    test('waits until the job is ACTIVE', async () => {
      const event = create();
      const arn = jobArn(event);
      personalize.on(DescribeDatasetImportJobCommand)
        .resolvesOnce(job('CREATE PENDING'))
        .resolvesOnce(job('CREATE IN_PROGRESS'))
        .resolves(job('ACTIVE'));

      const done = completeEvent(event, arn, { action: 'started' });
      expect((await handler.isComplete(done)).IsComplete).toBe(false);
      expect((await handler.isComplete(done)).IsComplete).toBe(false);
      expect((await handler.isComplete(done)).IsComplete).toBe(true);
      expect(input(DescribeDatasetImportJobCommand)).toEqual({ datasetImportJobArn: arn });
    });

    test('fails with the failure reason when the job failed', async () => {
      const event = create();
      personalize.on(DescribeDatasetImportJobCommand).resolves(job('CREATE FAILED', { failureReason: 'Column TIMESTAMP is missing' }));

      await expect(handler.isComplete(completeEvent(event, jobArn(event), { action: 'started' })))
        .rejects.toThrow(`Importing s3://data/interactions/ into ${DATASET_ARN} failed: Column TIMESTAMP is missing`);
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

      const response = await handler.onEvent(event);

      expect(response.PhysicalResourceId).toBe(arn);
      expect(arn).not.toBe(oldArn);
      expect(await handler.isComplete(completeEvent(event, arn, { action: 'started' }))).toEqual({ IsComplete: false });
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
    });

    test('a kept job that had failed, or is gone, neither fails nor restarts the update', async () => {
      const event = update(oldArn, props(), props({ JobNamePrefix: 'Renamed' }));
      personalize.on(DescribeDatasetImportJobCommand)
        .resolvesOnce(job('CREATE FAILED', { failureReason: 'bad data' }))
        .rejects(new ResourceNotFoundException({ message: 'gone', ...meta }));

      const kept = afterOnEvent(event, await handler.onEvent(event));
      expect(await handler.isComplete(kept)).toMatchObject({ IsComplete: true });
      expect(await handler.isComplete(kept)).toMatchObject({ IsComplete: true });
      expect(personalize).toHaveReceivedCommandTimes(CreateDatasetImportJobCommand, 0);
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
      expect(await handler.onEvent(remove(arn))).toEqual({ PhysicalResourceId: arn, Decision: { action: 'left' } });
      expect(personalize.calls()).toHaveLength(0);
    });

    test('waits for a job that still runs, so that the dataset can be deleted after it', async () => {
      personalize.on(DescribeDatasetImportJobCommand)
        .resolvesOnce(job('CREATE IN_PROGRESS'))
        .resolvesOnce(job('ACTIVE'))
        .resolvesOnce(job('CREATE FAILED'))
        .rejects(new ResourceNotFoundException({ message: 'gone with its dataset', ...meta }));

      const event = completeEvent(remove(arn), arn, { action: 'left' });
      expect(await handler.isComplete(event)).toEqual({ IsComplete: false });
      expect(await handler.isComplete(event)).toEqual({ IsComplete: true });
      expect(await handler.isComplete(event)).toEqual({ IsComplete: true });
      expect(await handler.isComplete(event)).toEqual({ IsComplete: true });
    });

    test('a physical id that is not a job ARN is done at once', async () => {
      expect(await handler.isComplete(completeEvent(remove('failed-create'), 'failed-create', { action: 'left' }))).toEqual({ IsComplete: true });
      expect(personalize.calls()).toHaveLength(0);
    });
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
    const handler = new DatasetImportHandler(new SdkPersonalizeApi(h.client));
    // No role: the API model gives DatasetImportJob.roleArn the pattern of Personalize ARNs, so the
    // simulator's response check rejects an IAM role ARN in DescribeDatasetImportJob.
    const event = create(props({ datasetArn, roleArn: undefined }));

    const { PhysicalResourceId: arn } = await handler.onEvent(event);
    expect(arn).toBe(`arn:aws:personalize:us-east-1:123456789012:dataset-import-job/${importJobName('AppInteractions', event)}`);
    const done = completeEvent(event, arn!, { action: 'started' });
    expect(await handler.isComplete(done)).toEqual({ IsComplete: false }); // dataset still pending: not started
    h.sim.clock.advanceSeconds(60);
    expect(await handler.isComplete(done)).toEqual({ IsComplete: false }); // started now
    h.sim.clock.advance(TIMING.stepMs);
    expect(await handler.isComplete(done)).toEqual({ IsComplete: false }); // importing

    // A rollback now would delete the dataset, which Personalize refuses while the job runs: Delete waits.
    await expect(h.client.send(new DeleteDatasetCommand({ datasetArn }))).rejects.toMatchObject({ name: 'ResourceInUseException' });
    expect(await handler.isComplete(completeEvent(remove(arn!), arn!, { action: 'left' }))).toEqual({ IsComplete: false });

    h.sim.clock.advance(TIMING.importMs);
    expect(await handler.isComplete(done)).toMatchObject({ IsComplete: true, Data: { DatasetImportJobArn: arn } });
    expect(await handler.isComplete(completeEvent(remove(arn!), arn!, { action: 'left' }))).toEqual({ IsComplete: true });
    expect(h.sim.callCounts()).toMatchObject({ CreateDatasetImportJob: 3 }); // onEvent, and isComplete twice
  });
});
