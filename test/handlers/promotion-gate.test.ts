import {
  DescribeCampaignCommand,
  DescribeSolutionVersionCommand,
  GetSolutionMetricsCommand,
  ListDatasetImportJobsCommand,
  ListDatasetsCommand,
  ListEventTrackersCommand,
  PersonalizeClient,
  ResourceNotFoundException,
} from '@aws-sdk/client-personalize';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { createEvent, deleteEvent, SERVICE_TOKEN, updateEvent, versionArn } from './events';
import { SdkPersonalizeApi } from '../../src/handlers/aws/personalize-api';
import type { OnEventRequest, OnEventResponse, ResourceProperties } from '../../src/handlers/framework/types';
import { parsePhysicalId, PromotionGateHandler, versionRef } from '../../src/handlers/resources/promotion-gate-handler';
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
  trainedOn();
}

const GROUP = 'arn:aws:personalize:us-east-1:123456789012:dataset-group/shop';
const DATASET = 'arn:aws:personalize:us-east-1:123456789012:dataset/shop/INTERACTIONS';
const HOUR = 3600_000;
const NOW = Date.UTC(2026, 11, 6);

/**
 * What each version was trained on: when it was created (hours before NOW, default 24), in one
 * dataset group with imports completed at the given hours before NOW (default: one, 48 h ago, so
 * every version saw the same data), and event trackers.
 */
function trainedOn(created: Record<string, number> = {}, importsHoursAgo: number[] = [48], trackers: string[] = []): void {
  for (const arn of [V1, V2, OTHER]) {
    const at = NOW - (created[arn] ?? 24) * HOUR;
    personalize.on(DescribeSolutionVersionCommand, { solutionVersionArn: arn }).resolves({
      solutionVersion: { solutionVersionArn: arn, datasetGroupArn: GROUP, status: 'ACTIVE', creationDateTime: new Date(at), lastUpdatedDateTime: new Date(at + HOUR) },
    });
  }
  personalize.on(ListEventTrackersCommand).resolves({ eventTrackers: trackers.map(eventTrackerArn => ({ eventTrackerArn })) });
  personalize.on(ListDatasetsCommand).resolves({ datasets: [{ datasetArn: DATASET }] });
  personalize.on(ListDatasetImportJobsCommand).resolves({
    datasetImportJobs: importsHoursAgo.map((hours, i) => ({
      datasetImportJobArn: `arn:aws:personalize:us-east-1:123456789012:dataset-import-job/import-${i}`, status: 'ACTIVE', lastUpdatedDateTime: new Date(NOW - hours * HOUR),
    })),
  });
}

const create = (p: ResourceProperties): OnEventRequest => createEvent(p, GATE);
const update = (physicalId: string, oldProps: ResourceProperties, p: ResourceProperties) => updateEvent(physicalId, oldProps, p, GATE);

beforeEach(() => {
  personalize.reset();
  handler = new PromotionGateHandler(new SdkPersonalizeApi(new PersonalizeClient({ maxAttempts: 1, region: 'us-east-1' })), { now: () => NOW });
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
});

afterEach(() => jest.restoreAllMocks());

test('the first version of a campaign is served as it is, without comparing', async () => {
  personalizeWith(undefined, {});
  const response = await handler.onEvent(create(props(V1)));
  expect(response.Data).toMatchObject({ ServedVersionArn: V1, Decision: 'FIRST' });
  expect(personalize).not.toHaveReceivedCommand(GetSolutionMetricsCommand);
  expect(response.PhysicalResourceId).toBe(`FIRST:${versionRef(V1)}`);
  expect(parsePhysicalId(response.PhysicalResourceId)).toEqual({ outcome: 'FIRST', served: versionRef(V1), other: undefined });
});

test('a better version by the margin is promoted, and the physical id changes (so a rollback restores the old decision)', async () => {
  personalizeWith(V1, { [V1]: 0.3, [V2]: 0.3125 });
  const before = `FIRST:${versionRef(V1)}`;
  const response = await handler.onEvent(update(before, props(V1), props(V2)));
  expect(response.Data).toMatchObject({ ServedVersionArn: V2, Decision: 'PROMOTED', CandidateValue: '0.3125', ServedValue: '0.3' });
  expect(response.Data!.Reason).toContain(`${NDCG} 0.3125 of ${V2} against 0.3 of ${V1} (+0.0125; at least 0.01 required)`);
  expect(response.PhysicalResourceId).not.toBe(before);
  // Short and structured: the outcome, then each version as <solution name>/<version id>.
  expect(response.PhysicalResourceId).toBe('PROMOTED:shop/aaaa0002:shop/aaaa0001');
  expect(personalize).toHaveReceivedCommandWith(DescribeCampaignCommand, { campaignArn: CAMPAIGN });
});

test('a version that does not beat the served one by the margin is not promoted: the served version stays, and the reason has both values', async () => {
  personalizeWith(V1, { [V1]: 0.3, [V2]: 0.305 });
  const response = await handler.onEvent(update(`FIRST:${versionRef(V1)}`, props(V1), props(V2)));
  expect(response.Data).toMatchObject({ ServedVersionArn: V1, Decision: 'KEPT', CandidateValue: '0.305', ServedValue: '0.3' });
  expect(response.Data!.Reason).toBe(`KEPT: same data (both trained after the same 1 import): ${NDCG} 0.305 of ${V2} against 0.3 of ${V1} (+0.005; at least 0.01 required)`);
  expect(response.Data!.Basis).toBe('SAME_DATA');
  expect(response.PhysicalResourceId).toBe(`KEPT:${versionRef(V1)}:${versionRef(V2)}`);
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
  await expect(handler.onEvent(update(`FIRST:${versionRef(V1)}`, props(V1), failing)))
    .rejects.toThrow(`Not promoted (failDeployment is set): same data (both trained after the same 1 import): ${NDCG} 0.29 of ${V2} against 0.3 of ${V1} (-0.01; at least 0.01 required)`);

  // The gate already recorded this rejection (it kept V1 over V2): CloudFormation sends it again while rolling back.
  const kept = `KEPT:${versionRef(V1)}:${versionRef(V2)}`;
  const again = await handler.onEvent(update(kept, failing, failing));
  expect(again).toMatchObject({ PhysicalResourceId: kept, Data: { ServedVersionArn: V1, Decision: 'KEPT' } });
});

test('a rollback Update that brings back the version the last promotion replaced serves it again', async () => {
  // The campaign still serves V2; the gate's last decision promoted V2 over V1.
  personalizeWith(V2, { [V1]: 0.3, [V2]: 0.35 });
  const promoted = `PROMOTED:${versionRef(V2)}:${versionRef(V1)}`;
  const response = await handler.onEvent(update(promoted, props(V2), props(V1)));
  expect(response.Data).toMatchObject({ ServedVersionArn: V1, Decision: 'RESTORED' });
  expect(personalize).not.toHaveReceivedCommand(GetSolutionMetricsCommand);
});

test('an unchanged candidate keeps the physical id', async () => {
  personalizeWith(V2, {});
  const id = `PROMOTED:${versionRef(V2)}:${versionRef(V1)}`;
  const response = await handler.onEvent(update(id, props(V2), props(V2, { MinImprovement: '0.02' })));
  expect(response).toMatchObject({ PhysicalResourceId: id, Data: { ServedVersionArn: V2, Decision: 'UNCHANGED' } });
});

test('a losing candidate of another (replacing) solution is kept out of service without failing: the served solution stays until the campaign moves', async () => {
  personalizeWith(OTHER, { [OTHER]: 0.33, [V2]: 0.3 });
  const kept = await handler.onEvent(update('first ' + OTHER + ' - x', props(OTHER), props(V2)));
  expect(kept.Data).toMatchObject({ ServedVersionArn: OTHER, Decision: 'KEPT' });
  expect(kept.Data!.Reason).toMatch(/; arn:aws:personalize:us-east-1:123456789012:solution\/shop-replaced stays until the campaign moves off it$/);
  // With failDeployment it fails, as any rejection does.
  await expect(handler.onEvent(update('first ' + OTHER + ' - x', props(OTHER), props(V2, { FailDeployment: 'true' }))))
    .rejects.toThrow('Not promoted (failDeployment is set)');
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

describe('versions trained on different data are not compared as if they were not', () => {
  test('a retraining on a newer import is served by default, though its value from another holdout is lower', async () => {
    personalizeWith(V1, { [V1]: 0.3, [V2]: 0.25 });
    trainedOn({ [V1]: 170, [V2]: 2 }, [200, 10]);
    const response = await handler.onEvent(update('x', props(V1), props(V2)));
    expect(response.Data).toMatchObject({ ServedVersionArn: V2, Decision: 'PROMOTED', Basis: 'NEW_DATA' });
    expect(response.Data!.Reason).toBe(`PROMOTED: new data (${V2} trained on 1 import more): the newer version is served; ` +
      `${NDCG} 0.25 of ${V2} against 0.3 of ${V1} (-0.05, measured on different holdouts, not compared)`);
  });

  test('maxDropOnNewData bounds how far below the served value a version on new data may be', async () => {
    personalizeWith(V1, { [V1]: 0.3, [V2]: 0.25 });
    trainedOn({ [V1]: 170, [V2]: 2 }, [200, 10]);
    const kept = await handler.onEvent(update('x', props(V1), props(V2, { MaxDropOnNewData: '0.02' })));
    expect(kept.Data).toMatchObject({ ServedVersionArn: V1, Decision: 'KEPT', Basis: 'NEW_DATA' });
    expect(kept.Data!.Reason).toContain('new data (');
    expect(kept.Data!.Reason).toContain('(-0.05; a drop of at most 0.02 tolerated)');
    const promoted = await handler.onEvent(update('x', props(V1), props(V2, { MaxDropOnNewData: '0.06' })));
    expect(promoted.Data).toMatchObject({ ServedVersionArn: V2, Decision: 'PROMOTED' });
  });

  test('maxServedAge: a served version trained too long ago gives way, however the two compare', async () => {
    personalizeWith(V1, { [V1]: 0.3, [V2]: 0.25 });
    trainedOn({ [V1]: 30 * 24, [V2]: 2 }, [31 * 24, 10]);
    const response = await handler.onEvent(update('x', props(V1), props(V2, { MaxDropOnNewData: '0.02', MaxServedAgeSeconds: String(28 * 86400) })));
    expect(response.Data).toMatchObject({ ServedVersionArn: V2, Decision: 'PROMOTED', Basis: 'NEW_DATA' });
    expect(response.Data!.Reason).toContain(`${V1} was trained 719h ago, more than maxServedAge 672h`);
  });

  test('minValue is a floor whatever the data, also for the newest version', async () => {
    personalizeWith(V1, { [V1]: 0.3, [V2]: 0.25 });
    trainedOn({ [V1]: 30 * 24, [V2]: 2 }, [31 * 24, 10]);
    const response = await handler.onEvent(update('x', props(V1), props(V2, { MinValue: '0.28', MaxServedAgeSeconds: '60' })));
    expect(response.Data).toMatchObject({ ServedVersionArn: V1, Decision: 'KEPT' });
    expect(response.Data!.Reason).toBe(`KEPT: ${NDCG} 0.25 of ${V2} is below minValue 0.28`);
  });

  test('an event tracker adds interactions between trainings: never the same data', async () => {
    personalizeWith(V1, { [V1]: 0.3, [V2]: 0.29 });
    trainedOn({}, [48], ['arn:aws:personalize:us-east-1:123456789012:event-tracker/t']);
    const response = await handler.onEvent(update('x', props(V1), props(V2)));
    expect(response.Data).toMatchObject({ Decision: 'PROMOTED', Basis: 'NEW_DATA' });
    expect(response.Data!.Reason).toContain('has event tracker arn:aws:personalize:us-east-1:123456789012:event-tracker/t, whose events add interactions');
  });

  test('a retraining without a new import is the same data: its value is compared with the margin', async () => {
    personalizeWith(V1, { [V1]: 0.3, [V2]: 0.25 });
    trainedOn({ [V1]: 100, [V2]: 2 }, [200]);
    const response = await handler.onEvent(update('x', props(V1), props(V2)));
    expect(response.Data).toMatchObject({ Decision: 'KEPT', Basis: 'SAME_DATA' });
  });
});
