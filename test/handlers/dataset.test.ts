import {
  CreateDatasetCommand,
  DeleteDatasetCommand,
  DescribeDatasetCommand,
  PersonalizeClient,
  ResourceAlreadyExistsException,
  ResourceInUseException,
  ResourceNotFoundException,
} from '@aws-sdk/client-personalize';
import { AwsStub, mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { completeEvent, createEvent, deleteEvent, SERVICE_TOKEN, updateEvent } from './events';
import { SdkPersonalizeApi } from '../../src/handlers/aws/personalize-api';
import { DatasetHandler } from '../../src/handlers/resources/dataset-handler';

const GROUP = 'arn:aws:personalize:us-east-1:123456789012:dataset-group/shop';
const ARN = 'arn:aws:personalize:us-east-1:123456789012:dataset/shop/ACTIONS';
const SCHEMA = 'arn:aws:personalize:us-east-1:123456789012:schema/actions';
const meta = { $metadata: {} };
const props = (extra: Record<string, unknown> = {}) => ({
  ServiceToken: SERVICE_TOKEN, name: 'shop-actions', datasetGroupArn: GROUP, datasetType: 'Actions', schemaArn: SCHEMA, ...extra,
});
const typed = { ResourceType: 'Custom::PersonalizeDataset', LogicalResourceId: 'Actions' };

let personalize: AwsStub<any, any, any>;
const handler = () => new DatasetHandler(new SdkPersonalizeApi(new PersonalizeClient({ maxAttempts: 1 })));

beforeEach(() => {
  personalize = mockClient(PersonalizeClient);
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
});
afterEach(() => {
  personalize.restore();
  jest.restoreAllMocks();
});

test('create: CreateDataset with the members, then waits until ACTIVE', async () => {
  personalize.on(CreateDatasetCommand).resolves({ datasetArn: ARN });
  personalize.on(DescribeDatasetCommand).resolvesOnce({ dataset: { status: 'CREATE PENDING' } }).resolves({ dataset: { status: 'ACTIVE' } });
  const h = handler();
  const response = await h.onEvent(createEvent(props(), typed));
  expect(response).toEqual({ PhysicalResourceId: ARN, Data: { DatasetArn: ARN }, Decision: { action: 'creating' } });
  expect(personalize.commandCalls(CreateDatasetCommand)[0].args[0].input).toStrictEqual({
    name: 'shop-actions', datasetGroupArn: GROUP, datasetType: 'Actions', schemaArn: SCHEMA,
  });
  const done = completeEvent(createEvent(props(), typed), ARN, response.Decision);
  expect(await h.isComplete(done)).toEqual({ IsComplete: false });
  expect(await h.isComplete(done)).toEqual({ IsComplete: true });
});

test('a repeated request takes over its dataset; another dataset of the type in the group fails by name', async () => {
  personalize.on(CreateDatasetCommand).rejects(new ResourceAlreadyExistsException({ message: 'exists', ...meta }));
  personalize.on(DescribeDatasetCommand).resolvesOnce({ dataset: { name: 'shop-actions', schemaArn: SCHEMA } })
    .resolves({ dataset: { name: 'someone-elses', schemaArn: SCHEMA } });
  expect((await handler().onEvent(createEvent(props(), typed))).PhysicalResourceId).toBe(ARN);
  await expect(handler().onEvent(createEvent(props(), typed))).rejects.toThrow(`Dataset group ${GROUP} already has Actions dataset someone-elses`);
});

test('an update that changes a member is refused, naming it; one that changes nothing keeps the dataset', async () => {
  await expect(handler().onEvent(updateEvent(ARN, props(), props({ schemaArn: `${SCHEMA}-v2` }), typed)))
    .rejects.toThrow("A dataset's schemaArn cannot change");
  expect(await handler().onEvent(updateEvent(ARN, props(), props(), typed))).toMatchObject({ PhysicalResourceId: ARN, Decision: { action: 'kept' } });
});

test('delete: DeleteDataset, sent again while an import keeps it in use, done once it is gone', async () => {
  personalize.on(DeleteDatasetCommand)
    .rejectsOnce(new ResourceInUseException({ message: 'an import is running', ...meta }))
    .resolves({});
  personalize.on(DescribeDatasetCommand)
    .resolvesOnce({ dataset: { status: 'ACTIVE' } })
    .resolvesOnce({ dataset: { status: 'DELETE IN_PROGRESS' } })
    .rejects(new ResourceNotFoundException({ message: 'gone', ...meta }));
  const h = handler();
  const event = { ...deleteEvent(ARN, props()), ...typed };
  const decided = await h.onEvent(event);
  const done = completeEvent(event, ARN, decided.Decision);
  expect(await h.isComplete(done)).toEqual({ IsComplete: false });
  expect(await h.isComplete(done)).toEqual({ IsComplete: false });
  expect(await h.isComplete(done)).toEqual({ IsComplete: true });
  expect(personalize).toHaveReceivedCommandTimes(DeleteDatasetCommand, 2);
});
