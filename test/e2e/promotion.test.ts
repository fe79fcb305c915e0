import { DescribeCampaignCommand, GetSolutionMetricsCommand, PersonalizeClient } from '@aws-sdk/client-personalize';
import { CfnWaitCondition, CfnWaitConditionHandle } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { E2E, synthStack, removeAssemblies, destroyAndCheckLeftovers } from './harness';
import { Campaign, Dataset, DatasetGroup, HyperParameters, OfflineMetric, Recipe, Schema, Solution } from '../../src';

/**
 * Promote only better models: a campaign over a solution that retrains on each week's data, and
 * moves to the new version only when its NDCG@10 beats the served one's. Every metric is SIMULATED
 * (the simulator's retrains shift with the data imported).
 */

jest.setTimeout(240_000);

const STACK = 'E2ePromotion';
const NDCG = 'normalized_discounted_cumulative_gain_at_10';

interface AppOptions {
  readonly week: number;
  readonly minImprovement?: number;
  readonly failDeployment?: boolean;
  /** Adds a resource after the campaign that fails: the deploy rolls back after the campaign moved. */
  readonly failAfterCampaign?: boolean;
  /** A fixed hidden_dimension: a change replaces the solution. */
  readonly hiddenDimension?: number;
}

function app(options: AppOptions): string {
  return synthStack(STACK, stack => {
    const datasetGroup = new DatasetGroup(stack, 'Group', { datasetGroupName: 'e2e-promotion' });
    new Dataset(stack, 'Interactions', {
      datasetGroup,
      schema: Schema.interactions(stack, 'Schema', {}),
      importSource: { bucket: new s3.Bucket(stack, 'Data'), prefix: `week-${options.week}/` },
    });
    const solution = new Solution(stack, 'Shop', {
      datasetGroup,
      recipe: Recipe.USER_PERSONALIZATION,
      hyperParameters: options.hiddenDimension ? HyperParameters.userPersonalization({ hiddenDimension: options.hiddenDimension }) : undefined,
    });
    const version = solution.addVersion('Version', { outputPrefix: 'Shop', retrainTrigger: `week-${options.week}` });
    const campaign = new Campaign(stack, 'Campaign', {
      solutionVersion: version,
      promotion: { metric: OfflineMetric.NDCG_AT_10, minImprovement: options.minImprovement, failDeployment: options.failDeployment },
    });
    if (options.failAfterCampaign) {
      const handle = new CfnWaitConditionHandle(stack, 'Handle');
      const failing = new CfnWaitCondition(stack, 'NeverSignalled', { handle: handle.ref, timeout: '60' });
      failing.node.addDependency(campaign);
    }
  });
}

let e2e: E2E | undefined;
let client: PersonalizeClient | undefined;

afterEach(async () => {
  client?.destroy();
  client = undefined;
  await e2e?.close();
  e2e = undefined;
});

afterAll(() => removeAssemblies());

async function served(): Promise<string> {
  const [campaignArn] = e2e!.physicalIdsOf(STACK, 'AWS::Personalize::Campaign');
  const { campaign } = await client!.send(new DescribeCampaignCommand({ campaignArn }));
  return campaign!.solutionVersionArn!;
}

async function ndcg(versionArn: string): Promise<number> {
  const { metrics } = await client!.send(new GetSolutionMetricsCommand({ solutionVersionArn: versionArn }));
  return metrics![NDCG];
}

/** Deploys week 1 (served as it is); returns its version. */
async function firstWeek(): Promise<string> {
  e2e = await E2E.start();
  client = new PersonalizeClient({ ...e2e.sim.clientConfig(), maxAttempts: 1 });
  const first = await e2e.deploy(app({ week: 1 }), STACK);
  expect({ status: first.status, reason: first.failureReason }).toEqual({ status: 'CREATE_COMPLETE', reason: undefined });
  expect(first.outputs.CampaignPromotion).toMatch(/^FIRST: campaign arn:aws:personalize:us-west-2:000000000000:campaign\/\S+ does not exist yet/);
  expect(await served()).toBe(first.outputs.ShopSolutionVersionArn);
  return first.outputs.ShopSolutionVersionArn;
}

test('each week\'s retraining serves only when it beats the served version; otherwise the stack says why, with both values', async () => {
  let current = await firstWeek();
  const outcomes: string[] = [];
  for (let week = 2; week <= 6; week++) {
    const deployed = await e2e!.deploy(app({ week }), STACK);
    expect({ week, status: deployed.status, reason: deployed.failureReason }).toEqual({ week, status: 'UPDATE_COMPLETE', reason: undefined });
    const candidate = deployed.outputs.ShopSolutionVersionArn;
    const [candidateValue, servedValue] = [await ndcg(candidate), await ndcg(current)];
    const decision = deployed.outputs.CampaignPromotion;
    const both = `${NDCG} ${candidateValue} of ${candidate} against ${servedValue} of ${current}`;
    if (candidateValue >= servedValue) {
      expect(decision).toContain(`PROMOTED: ${both}`);
      current = candidate;
    } else {
      expect(decision).toContain(`KEPT: ${both}`);
      // The stack event of the gate says it too.
      const events = e2e!.cfn.stackEvents(STACK).filter(e => e.resourceType === 'Custom::PersonalizePromotionGate' && e.resourceStatus === 'UPDATE_COMPLETE');
      expect(events[events.length - 1].physicalResourceId).toContain(`kept ${current} over ${candidate} - ${both}`);
    }
    expect(await served()).toBe(current);
    outcomes.push(decision.split(':')[0]);
  }
  // The simulated data of these weeks gives both outcomes.
  expect(new Set(outcomes)).toEqual(new Set(['PROMOTED', 'KEPT']));

  // Metrics over time: each training's result logged one embedded-metric-format record, which
  // CloudWatch turns into a data point per metric at the time the training ended.
  const records = e2e!.cfn.invocations.flatMap(i => i.logs).filter(l => l.startsWith('{"_aws"')).map(l => JSON.parse(l));
  expect(records).toHaveLength(6);
  expect(records.map(r => r._aws.CloudWatchMetrics[0].Namespace)).toEqual(Array(6).fill('CdkPersonalize'));
  expect(new Set(records.map(r => r.SolutionArn)).size).toBe(1);
  const times = records.map(r => r._aws.Timestamp);
  expect([...times].sort((a, b) => a - b)).toEqual(times);
  for (const record of records) {
    expect(record[NDCG]).toBe(await ndcg(record.SolutionVersionArn));
    expect(record.TrainingHours).toBeGreaterThan(0);
  }
  await destroyAndCheckLeftovers(e2e!, STACK);
});

test('with failDeployment, a version that does not beat the served one fails the deploy with both values and rolls back', async () => {
  const week1 = await firstWeek();

  // No retraining can improve NDCG@10 by 0.5.
  const deployed = await e2e!.deploy(app({ week: 2, minImprovement: 0.5, failDeployment: true }), STACK);

  expect(deployed.status).toBe('UPDATE_ROLLBACK_COMPLETE');
  expect(deployed.failureReason).toMatch(new RegExp(`Not promoted \\(failDeployment is set\\): ${NDCG} [\\d.]+ of \\S+ against ${await ndcg(week1)} of ${week1} .*at least 0.5 required`));
  expect(await served()).toBe(week1);
  expect(e2e!.sim.inProgressTrainings()).toEqual([]);
  // The same deploy without failDeployment keeps week 1 and completes.
  const kept = await e2e!.deploy(app({ week: 2, minImprovement: 0.5 }), STACK);
  expect(kept.status).toBe('UPDATE_COMPLETE');
  expect(kept.outputs.CampaignPromotion).toMatch(/^KEPT: /);
  expect(await served()).toBe(week1);
  await destroyAndCheckLeftovers(e2e!, STACK);
});

test('a promotion rolled back by a later failure serves the old version again', async () => {
  const week1 = await firstWeek();

  // A margin of -1 promotes whatever trains; then a resource after the campaign fails.
  const deployed = await e2e!.deploy(app({ week: 2, minImprovement: -1, failAfterCampaign: true }), STACK);

  expect({ status: deployed.status, reason: deployed.failureReason }).toEqual({
    status: 'UPDATE_ROLLBACK_COMPLETE', reason: expect.stringContaining('WaitCondition timed out'),
  });
  // CloudFormation returned from the campaign's update at once; the library waited until
  // Personalize served week 2 before the failing resource ran, so the rollback's update was accepted.
  const updates = e2e!.sim.callLog().filter(c => c.operation === 'UpdateCampaign').map(c => c.outcome);
  expect(updates).toEqual(['ok', 'ok']); // to week 2, then back
  const [campaignArn] = e2e!.physicalIdsOf(STACK, 'AWS::Personalize::Campaign');
  const { campaign } = await client!.send(new DescribeCampaignCommand({ campaignArn }));
  expect(campaign!.latestCampaignUpdate!.solutionVersionArn).toBe(week1);
  const after = e2e!.cfn.describeStack(STACK)!;
  expect(after.outputs.CampaignPromotion).toMatch(/^FIRST: /);

  // Nothing waits for the rollback's own update (open fact 34): the next deploy's gate does, and
  // then compares with week 1, which the campaign serves again.
  const next = await e2e!.deploy(app({ week: 2, minImprovement: -1 }), STACK);
  expect({ status: next.status, reason: next.failureReason }).toEqual({ status: 'UPDATE_COMPLETE', reason: undefined });
  expect(next.outputs.CampaignPromotion).toMatch(new RegExp(`^PROMOTED: .* against [\\d.]+ of ${week1} `));
  expect(await served()).toBe(next.outputs.ShopSolutionVersionArn);
  await destroyAndCheckLeftovers(e2e!, STACK);
});

test('a campaign update is waited for: what depends on the campaign runs once Personalize serves the new version', async () => {
  const week1 = await firstWeek();

  const deployed = await e2e!.deploy(app({ week: 2, minImprovement: -1 }), STACK);

  expect(deployed.status).toBe('UPDATE_COMPLETE');
  const week2 = deployed.outputs.ShopSolutionVersionArn;
  expect(week2).not.toBe(week1);
  // Served as soon as the stack completes: the stack did not finish while the update still ran.
  expect(await served()).toBe(week2);
  const [campaignArn] = e2e!.physicalIdsOf(STACK, 'AWS::Personalize::Campaign');
  const { campaign } = await client!.send(new DescribeCampaignCommand({ campaignArn }));
  expect(campaign!.latestCampaignUpdate!.status).toBe('ACTIVE');
  await destroyAndCheckLeftovers(e2e!, STACK);
});

test('a new solution configuration that loses fails the deploy even without failDeployment: the old solution cannot stay served', async () => {
  const week1 = await firstWeek();

  // hidden_dimension replaces the solution; CloudFormation would delete the old one, whose version the campaign serves.
  const deployed = await e2e!.deploy(app({ week: 1, hiddenDimension: 200, minImprovement: 0.5 }), STACK);

  expect(deployed.status).toBe('UPDATE_ROLLBACK_COMPLETE');
  expect(deployed.failureReason).toMatch(/Not promoted, and the deployment fails: .* serves a version of another solution/);
  expect(await served()).toBe(week1);
  // The new solution was deleted by the rollback; only week 1's solution is left, and nothing trains.
  expect(e2e!.snapshot().solutions.map(s => s.arn)).toEqual([week1.replace(/\/[^/]+$/, '')]);
  expect(e2e!.sim.inProgressTrainings()).toEqual([]);
  await destroyAndCheckLeftovers(e2e!, STACK);
});
