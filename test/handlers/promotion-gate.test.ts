import {
  DescribeCampaignCommand,
  GetSolutionMetricsCommand,
  PersonalizeClient,
  ResourceNotFoundException,
} from '@aws-sdk/client-personalize';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { createEvent, deleteEvent, SERVICE_TOKEN, updateEvent, versionArn } from './events';
import { parsePhysicalId, PromotionGateHandler } from '../../src/handlers/promotion-gate';
import type { OnEventRequest, OnEventResponse, ResourceProperties } from '../../src/handlers/types';
import { PROMOTION_GATE_RESOURCE_TYPE } from '../../src/private/contract';

/** The gate of one campaign, against Personalize mocked at the SDK client (the real client's serialization runs). */

const personalize = mockClient(PersonalizeClient);
const CAMPAIGN = 'arn:aws:personalize:us-east-1:123456789012:campaign/shop';
const NDCG = 'normalized_discounted_cumulative_gain_at_10';
const V1 = versionArn('shop', 'aaaa0001');
const V2 = versionArn('shop', 'aaaa0002');
const OTHER = versionArn('shop-replaced', 'bbbb0001');
const GATE = { ResourceType: PROMOTION_GATE_RESOURCE_TYPE, LogicalResourceId: 'CampaignPromotionGate' };

let handler: PromotionGateHandler;

/** Properties as CloudFormation delivers them: every scalar a string. */
function props(candidate: string, extra: ResourceProperties = {}): ResourceProperties {
  return { ServiceToken: SERVICE_TOKEN, CandidateVersionArn: candidate, CampaignArn: CAMPAIGN, Metric: NDCG, MinImprovement: '0.01', FailDeployment: 'false', ...extra };
}

/** The campaign serves `served` (none: it does not exist); each version reports its NDCG@10. */
function personalizeWith(served: string | undefined, values: Record<string, number | undefined>): void {
  if (served === undefined) {
    personalize.on(DescribeCampaignCommand).rejects(new ResourceNotFoundException({ message: `Campaign ${CAMPAIGN} not found`, $metadata: {} }));
  } else {
    personalize.on(DescribeCampaignCommand).resolves({ campaign: { campaignArn: CAMPAIGN, solutionVersionArn: served, status: 'ACTIVE' } });
  }
  for (const [arn, value] of Object.entries(values)) {
    personalize.on(GetSolutionMetricsCommand, { solutionVersionArn: arn })
      .resolves({ solutionVersionArn: arn, metrics: value === undefined ? { coverage: 0.3 } : { [NDCG]: value, coverage: 0.3 } });
  }
}

const create = (p: ResourceProperties): OnEventRequest => createEvent(p, GATE);
const update = (physicalId: string, oldProps: ResourceProperties, p: ResourceProperties) => updateEvent(physicalId, oldProps, p, GATE);

beforeEach(() => {
  personalize.reset();
  handler = new PromotionGateHandler(new PersonalizeClient({ maxAttempts: 1, region: 'us-east-1' }));
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
});

afterEach(() => jest.restoreAllMocks());

test('the first version of a campaign is served as it is, without comparing', async () => {
  personalizeWith(undefined, {});
  const response = await handler.onEvent(create(props(V1)));
  expect(response.Data).toMatchObject({ ServedVersionArn: V1, Decision: 'FIRST' });
  expect(personalize).not.toHaveReceivedCommand(GetSolutionMetricsCommand);
  expect(parsePhysicalId(response.PhysicalResourceId)).toEqual({ outcome: 'FIRST', served: V1, other: undefined });
});

test('a better version by the margin is promoted, and the physical id changes (so a rollback restores the old decision)', async () => {
  personalizeWith(V1, { [V1]: 0.3, [V2]: 0.3125 });
  const before = 'first ' + V1 + ' - campaign does not exist yet';
  const response = await handler.onEvent(update(before, props(V1), props(V2)));
  expect(response.Data).toMatchObject({ ServedVersionArn: V2, Decision: 'PROMOTED', CandidateValue: '0.3125', ServedValue: '0.3' });
  expect(response.Data!.Reason).toContain(`${NDCG} 0.3125 of ${V2} against 0.3 of ${V1} (+0.0125; at least 0.01 required)`);
  expect(response.PhysicalResourceId).not.toBe(before);
  expect(response.PhysicalResourceId).toMatch(new RegExp(`^promoted ${V2} over ${V1} - `));
  expect(personalize).toHaveReceivedCommandWith(DescribeCampaignCommand, { campaignArn: CAMPAIGN });
});

test('a version that does not beat the served one by the margin is not promoted: the served version stays, and the reason has both values', async () => {
  personalizeWith(V1, { [V1]: 0.3, [V2]: 0.305 });
  const response = await handler.onEvent(update('first ' + V1 + ' - x', props(V1), props(V2)));
  expect(response.Data).toMatchObject({ ServedVersionArn: V1, Decision: 'KEPT', CandidateValue: '0.305', ServedValue: '0.3' });
  expect(response.Data!.Reason).toBe(`KEPT: ${NDCG} 0.305 of ${V2} against 0.3 of ${V1} (+0.005; at least 0.01 required)`);
  expect(response.PhysicalResourceId).toMatch(new RegExp(`^kept ${V1} over ${V2} - ${NDCG} 0.305`));
});

test('a tie is promoted with the default margin of 0, and a negative margin tolerates a drop', async () => {
  personalizeWith(V1, { [V1]: 0.3, [V2]: 0.3 });
  expect((await handler.onEvent(update('x', props(V1), props(V2, { MinImprovement: '0' })))).Data!.Decision).toBe('PROMOTED');
  personalizeWith(V1, { [V1]: 0.3, [V2]: 0.295 });
  expect((await handler.onEvent(update('x', props(V1), props(V2, { MinImprovement: '-0.01' })))).Data!.Decision).toBe('PROMOTED');
  expect((await handler.onEvent(update('x', props(V1), props(V2, { MinImprovement: undefined })))).Data!.Decision).toBe('KEPT');
});

test('with failDeployment, a new rejection fails with both values; the same rejection again (a rollback) does not', async () => {
  personalizeWith(V1, { [V1]: 0.3, [V2]: 0.29 });
  const failing = props(V2, { FailDeployment: 'true' });
  await expect(handler.onEvent(update('first ' + V1 + ' - x', props(V1), failing)))
    .rejects.toThrow(`Not promoted (failDeployment is set): ${NDCG} 0.29 of ${V2} against 0.3 of ${V1} (-0.01; at least 0.01 required)`);

  // The gate already recorded this rejection (it kept V1 over V2): CloudFormation sends it again while rolling back.
  const kept = `kept ${V1} over ${V2} - earlier`;
  const again = await handler.onEvent(update(kept, failing, failing));
  expect(again).toMatchObject({ PhysicalResourceId: kept, Data: { ServedVersionArn: V1, Decision: 'KEPT' } });
});

test('a rollback Update that brings back the version the last promotion replaced serves it again', async () => {
  // The campaign still serves V2; the gate's last decision promoted V2 over V1.
  personalizeWith(V2, { [V1]: 0.3, [V2]: 0.35 });
  const promoted = `promoted ${V2} over ${V1} - ...`;
  const response = await handler.onEvent(update(promoted, props(V2), props(V1)));
  expect(response.Data).toMatchObject({ ServedVersionArn: V1, Decision: 'RESTORED' });
  expect(personalize).not.toHaveReceivedCommand(GetSolutionMetricsCommand);
});

test('an unchanged candidate keeps the physical id', async () => {
  personalizeWith(V2, {});
  const id = `promoted ${V2} over ${V1} - ...`;
  const response = await handler.onEvent(update(id, props(V2), props(V2, { MinImprovement: '0.02' })));
  expect(response).toMatchObject({ PhysicalResourceId: id, Data: { ServedVersionArn: V2, Decision: 'UNCHANGED' } });
});

test('a losing candidate of another solution fails the deployment: the served version\'s solution may be deleted under the campaign', async () => {
  personalizeWith(OTHER, { [OTHER]: 0.33, [V2]: 0.3 });
  await expect(handler.onEvent(update('first ' + OTHER + ' - x', props(OTHER), props(V2))))
    .rejects.toThrow(/Not promoted, and the deployment fails: .* serves a version of another solution \(arn:aws:personalize:us-east-1:123456789012:solution\/shop-replaced\)/);
  // A winning one of another solution is promoted.
  personalizeWith(OTHER, { [OTHER]: 0.3, [V2]: 0.33 });
  expect((await handler.onEvent(update('x', props(OTHER), props(V2)))).Data!.Decision).toBe('PROMOTED');
});

test('a candidate without the metric is not promoted; a served version without it is replaced', async () => {
  personalizeWith(V1, { [V1]: 0.3, [V2]: undefined });
  const kept = await handler.onEvent(update('x', props(V1), props(V2)));
  expect(kept.Data).toMatchObject({ Decision: 'KEPT', CandidateValue: 'not-reported' });
  expect(kept.Data!.Reason).toContain(`${V2} reports no ${NDCG}`);

  personalize.reset();
  personalizeWith(V1, { [V1]: undefined, [V2]: 0.3 });
  expect((await handler.onEvent(update('x', props(V1), props(V2)))).Data).toMatchObject({ Decision: 'PROMOTED', ServedValue: 'not-reported' });
});

test('Personalize\'s own error reaches the stack event', async () => {
  personalize.on(DescribeCampaignCommand).rejects(Object.assign(new Error('User is not authorized to perform personalize:DescribeCampaign'), { name: 'AccessDeniedException' }));
  await expect(handler.onEvent(create(props(V1)))).rejects.toThrow('DescribeCampaign failed: AccessDeniedException: User is not authorized');
});

test('delete leaves the campaign alone', async () => {
  const response: OnEventResponse = await handler.onEvent(deleteEvent('kept x over y - z', props(V1)));
  expect(response.PhysicalResourceId).toBe('kept x over y - z');
  expect(personalize.calls()).toHaveLength(0);
});

test('fails rather than decide while the campaign\'s latest update still runs: the served version is about to change', async () => {
  personalize.on(DescribeCampaignCommand).resolves({
    campaign: { campaignArn: CAMPAIGN, solutionVersionArn: V1, status: 'ACTIVE', latestCampaignUpdate: { solutionVersionArn: OTHER, status: 'CREATE IN_PROGRESS' } },
  });
  await expect(handler.onEvent(create(props(V2)))).rejects.toThrow(
    `Campaign ${CAMPAIGN} is still changing (update to ${OTHER} is CREATE IN_PROGRESS)`);
  expect(personalize).not.toHaveReceivedCommand(GetSolutionMetricsCommand);
});

test('after a failed update, the version the campaign still serves is the one compared', async () => {
  personalizeWith(V1, { [V1]: 0.3, [V2]: 0.4 });
  personalize.on(DescribeCampaignCommand).resolves({
    campaign: { campaignArn: CAMPAIGN, solutionVersionArn: V1, status: 'ACTIVE', latestCampaignUpdate: { solutionVersionArn: OTHER, status: 'CREATE FAILED' } },
  });
  const response = await handler.onEvent(create(props(V2)));
  expect(response.Data).toMatchObject({ ServedVersionArn: V2, Decision: 'PROMOTED' });
});
