import { DescribeCampaignCommand, PersonalizeClient, ResourceNotFoundException, type Campaign } from '@aws-sdk/client-personalize';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { afterOnEvent, createEvent, deleteEvent, SERVICE_TOKEN, updateEvent, versionArn } from './events';
import { SdkPersonalizeApi } from '../../src/handlers/aws/personalize-api';
import type { ResourceProperties } from '../../src/handlers/framework/types';
import { CampaignReadyHandler } from '../../src/handlers/resources/campaign-ready-handler';
import { CAMPAIGN_READY_RESOURCE_TYPE } from '../../src/private/contract';

/** The wait for a campaign's latest update, against Personalize mocked at the SDK client. */

const personalize = mockClient(PersonalizeClient);
const CAMPAIGN = 'arn:aws:personalize:us-east-1:123456789012:campaign/shop';
const V1 = versionArn('shop', 'aaaa0001');
const V2 = versionArn('shop', 'aaaa0002');
const READY = { ResourceType: CAMPAIGN_READY_RESOURCE_TYPE, LogicalResourceId: 'CampaignReady' };

let handler: CampaignReadyHandler;

function props(version: string, extra: ResourceProperties = {}): ResourceProperties {
  return { ServiceToken: SERVICE_TOKEN, CampaignArn: CAMPAIGN, SolutionVersionArn: version, MinProvisionedTps: '1', CampaignConfig: '', ...extra };
}

function campaignIs(campaign: Partial<Campaign>): void {
  personalize.on(DescribeCampaignCommand).resolves({ campaign: { campaignArn: CAMPAIGN, status: 'ACTIVE', solutionVersionArn: V1, ...campaign } });
}

/** Runs onEvent for an update from V1 to `to`, then one isComplete. */
async function updateTo(to: string, extra: ResourceProperties = {}) {
  const event = updateEvent(CAMPAIGN, props(V1, extra), props(to, extra), READY);
  const response = await handler.onEvent(event);
  return { response, complete: () => handler.isComplete(afterOnEvent(event, response)) };
}

beforeEach(() => {
  personalize.reset();
  handler = new CampaignReadyHandler(new SdkPersonalizeApi(new PersonalizeClient({ maxAttempts: 1, region: 'us-east-1' })));
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
});

afterEach(() => jest.restoreAllMocks());

test('an update is complete only once the campaign\'s latest update is ACTIVE, though the campaign is ACTIVE throughout', async () => {
  const { response, complete } = await updateTo(V2);
  expect(response).toEqual({ PhysicalResourceId: CAMPAIGN, Data: { CampaignArn: CAMPAIGN }, Decision: { action: 'waiting' } });

  for (const status of ['CREATE PENDING', 'CREATE IN_PROGRESS']) {
    campaignIs({ latestCampaignUpdate: { solutionVersionArn: V2, status } });
    await expect(complete()).resolves.toEqual({ IsComplete: false });
  }
  campaignIs({ solutionVersionArn: V2, latestCampaignUpdate: { solutionVersionArn: V2, status: 'ACTIVE' } });
  await expect(complete()).resolves.toEqual({ IsComplete: true });
});

test('fails with Personalize\'s reason when the update it waits for fails', async () => {
  const { complete } = await updateTo(V2);
  campaignIs({ latestCampaignUpdate: { solutionVersionArn: V2, status: 'CREATE FAILED', failureReason: 'Solution version is not ACTIVE' } });
  await expect(complete()).rejects.toThrow(
    `the update of campaign ${CAMPAIGN} to ${V2} failed: Solution version is not ACTIVE. The campaign still serves ${V1}`);
});

test('during a rollback, the failed update it undoes does not fail it', async () => {
  // Back from V2 to V1: the failed update was to V2.
  const event = updateEvent(CAMPAIGN, props(V2), props(V1), READY);
  const response = await handler.onEvent(event);
  campaignIs({ latestCampaignUpdate: { solutionVersionArn: V2, status: 'CREATE FAILED', failureReason: 'x' } });
  await expect(handler.isComplete(afterOnEvent(event, response))).resolves.toEqual({ IsComplete: true });
});

test('a create waits for the campaign\'s own creation, and fails with its reason', async () => {
  const event = createEvent(props(V1), READY);
  const response = await handler.onEvent(event);
  campaignIs({ status: 'CREATE IN_PROGRESS' });
  await expect(handler.isComplete(afterOnEvent(event, response))).resolves.toEqual({ IsComplete: false });
  campaignIs({ status: 'CREATE FAILED', failureReason: 'Not enough capacity' });
  await expect(handler.isComplete(afterOnEvent(event, response))).rejects.toThrow(`campaign ${CAMPAIGN} failed: Not enough capacity`);
});

test('before a gate: a missing campaign or a failed update is no reason to wait or fail; a running update is', async () => {
  const gate = { BeforeGate: 'true' };
  const event = createEvent(props(V2, gate), READY);
  const response = await handler.onEvent(event);
  const complete = () => handler.isComplete(afterOnEvent(event, response));

  personalize.on(DescribeCampaignCommand).rejects(new ResourceNotFoundException({ message: 'not found', $metadata: {} }));
  await expect(complete()).resolves.toEqual({ IsComplete: true });
  campaignIs({ latestCampaignUpdate: { solutionVersionArn: V2, status: 'CREATE FAILED', failureReason: 'x' } });
  await expect(complete()).resolves.toEqual({ IsComplete: true });
  campaignIs({ latestCampaignUpdate: { solutionVersionArn: V1, status: 'CREATE IN_PROGRESS' } });
  await expect(complete()).resolves.toEqual({ IsComplete: false });
});

test('after the campaign, a missing campaign is an error, not a success', async () => {
  const { complete } = await updateTo(V2);
  personalize.on(DescribeCampaignCommand).rejects(new ResourceNotFoundException({ message: 'Campaign not found', $metadata: {} }));
  await expect(complete()).rejects.toThrow('DescribeCampaign failed: ResourceNotFoundException: Campaign not found');
});

test('a delete holds nothing: it calls nothing', async () => {
  const response = await handler.onEvent(deleteEvent(CAMPAIGN, props(V1)));
  expect(response).toEqual({ PhysicalResourceId: CAMPAIGN, Decision: { action: 'none' } });
  expect(personalize.calls()).toHaveLength(0);
});
