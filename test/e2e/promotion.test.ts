import { DescribeCampaignCommand, GetSolutionMetricsCommand, PersonalizeClient } from '@aws-sdk/client-personalize';
import { CfnWaitCondition, CfnWaitConditionHandle, RemovalPolicy } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { E2E, synthStack, removeAssemblies, destroyAndCheckLeftovers, okCalls } from './harness';
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
  /** The retraining trigger; also the week of the data imported unless `dataWeek` says otherwise. */
  readonly week: number;
  readonly dataWeek?: number;
  readonly minImprovement?: number;
  readonly maxDropOnNewData?: number;
  readonly failDeployment?: boolean;
  /** Adds a resource after the campaign that fails: the deploy rolls back after the campaign moved. */
  readonly failAfterCampaign?: boolean;
  /** A fixed hidden_dimension: a change replaces the solution. */
  readonly hiddenDimension?: number;
}

function app(options: AppOptions): string {
  return synthStack(STACK, stack => {
    const datasetGroup = new DatasetGroup(stack, 'Group', { removalPolicy: RemovalPolicy.DESTROY, datasetGroupName: 'e2e-promotion' });
    new Dataset(stack, 'Interactions', {
      datasetGroup,
      schema: Schema.interactions(stack, 'Schema', {}),
      importSource: { bucket: new s3.Bucket(stack, 'Data'), prefix: `week-${options.dataWeek ?? options.week}/` },
    });
    const solution = new Solution(stack, 'Shop', {
      datasetGroup,
      recipe: Recipe.USER_PERSONALIZATION,
      hyperParameters: options.hiddenDimension ? HyperParameters.userPersonalization({ hiddenDimension: options.hiddenDimension }) : undefined,
    });
    const version = solution.addVersion('Version', { outputPrefix: 'Shop', retrainTrigger: `week-${options.week}` });
    const campaign = new Campaign(stack, 'Campaign', {
      solutionVersion: version,
      promotion: {
        metric: OfflineMetric.NDCG_AT_10,
        minImprovement: options.minImprovement,
        maxDropOnNewData: options.maxDropOnNewData,
        failDeployment: options.failDeployment,
      },
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

test('each week\'s retraining on new data serves unless it drops more than maxDropOnNewData; the stack says why, with both values', async () => {
  let current = await firstWeek();
  let currentWeek = 1;
  const outcomes: string[] = [];
  const maxDrop = 0.005;
  for (let week = 2; week <= 6; week++) {
    const deployed = await e2e!.deploy(app({ week, maxDropOnNewData: maxDrop }), STACK);
    expect({ week, status: deployed.status, reason: deployed.failureReason }).toEqual({ week, status: 'UPDATE_COMPLETE', reason: undefined });
    const candidate = deployed.outputs.ShopSolutionVersionArn;
    const [candidateValue, servedValue] = [await ndcg(candidate), await ndcg(current)];
    const decision = deployed.outputs.CampaignPromotion;
    // Each week imports new data: the values come from different holdouts, and the rule for new data applies.
    const more = week - currentWeek;
    const newData = `new data (${candidate} trained on ${more} import${more === 1 ? '' : 's'} more): ` +
      `${NDCG} ${candidateValue} of ${candidate} against ${servedValue} of ${current}`;
    if (candidateValue >= servedValue - maxDrop) {
      expect(decision).toContain(`PROMOTED: ${newData}`);
      current = candidate;
      currentWeek = week;
    } else {
      expect(decision).toContain(`KEPT: ${newData}`);
      // The stack event of the gate says it in short: the outcome, the version served, the one set aside.
      const events = e2e!.cfn.stackEvents(STACK).filter(e => e.resourceType === 'Custom::PersonalizePromotionGate' && e.resourceStatus === 'UPDATE_COMPLETE');
      const ref = (arn: string) => arn.split(':solution/')[1];
      expect(events[events.length - 1].physicalResourceId).toBe(`KEPT:${ref(current)}:${ref(candidate)}`);
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

test('a margin for the same data never keeps a stale model: each week\'s retraining on new data is served', async () => {
  await firstWeek();
  for (let week = 2; week <= 4; week++) {
    const deployed = await e2e!.deploy(app({ week, minImprovement: 0.005 }), STACK);
    expect({ week, status: deployed.status, reason: deployed.failureReason }).toEqual({ week, status: 'UPDATE_COMPLETE', reason: undefined });
    expect(deployed.outputs.CampaignPromotion).toMatch(/^PROMOTED: new data \(.* trained on 1 import more\): the newer version is served; /);
    expect(await served()).toBe(deployed.outputs.ShopSolutionVersionArn);
  }
  await destroyAndCheckLeftovers(e2e!, STACK);
});

test('a retraining on the same data is compared with the margin; with failDeployment a loser fails the deploy with both values and rolls back', async () => {
  const week1 = await firstWeek();

  // Retrained on week 1's data again: the same imports, so the two values are compared. No
  // retraining can improve NDCG@10 by 0.5.
  const deployed = await e2e!.deploy(app({ week: 2, dataWeek: 1, minImprovement: 0.5, failDeployment: true }), STACK);

  expect(deployed.status).toBe('UPDATE_ROLLBACK_COMPLETE');
  expect(deployed.failureReason).toMatch(new RegExp('Not promoted \\(failDeployment is set\\): same data \\(both trained after the same 1 import\\): ' +
    `${NDCG} [\\d.]+ of \\S+ against ${await ndcg(week1)} of ${week1} .*at least 0.5 required`));
  expect(await served()).toBe(week1);
  expect(e2e!.sim.inProgressTrainings()).toEqual([]);
  // The same deploy without failDeployment keeps week 1 and completes.
  const kept = await e2e!.deploy(app({ week: 2, dataWeek: 1, minImprovement: 0.5 }), STACK);
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

test('a new solution configuration that loses is kept out of service without failing; the old solution stays until nothing serves it, and nothing is left', async () => {
  const week1 = await firstWeek();
  const oldSolution = week1.replace(/\/[^/]+$/, '');

  // hidden_dimension replaces the solution. Its first version, on the same data, loses: the
  // campaign keeps serving week 1, whose solution CloudFormation deletes after the deploy.
  const deployed = await e2e!.deploy(app({ week: 1, hiddenDimension: 200, minImprovement: 0.5 }), STACK);

  expect({ status: deployed.status, reason: deployed.failureReason }).toEqual({ status: 'UPDATE_COMPLETE', reason: undefined });
  expect(deployed.outputs.CampaignPromotion).toMatch(new RegExp(`^KEPT: same data .*; ${oldSolution} stays until the campaign moves off it$`));
  expect(await served()).toBe(week1);
  // Retired, not deleted: Personalize would refuse while the campaign serves it.
  const solutions = () => e2e!.snapshot().solutions.map(s => s.arn).sort();
  const newSolution = deployed.outputs.ShopSolutionVersionArn.replace(/\/[^/]+$/, '');
  expect(solutions()).toEqual([oldSolution, newSolution].sort());
  expect(okCalls(e2e!, 'DeleteSolution')).toEqual([]);

  // Deleting the stack deletes the campaign, then the current solution and the retired one.
  await destroyAndCheckLeftovers(e2e!, STACK);
  expect(okCalls(e2e!, 'DeleteSolution')).toHaveLength(2);
});

test('a retired solution is deleted once a later version of the new configuration is promoted', async () => {
  await firstWeek();
  const kept = await e2e!.deploy(app({ week: 1, hiddenDimension: 200, minImprovement: 0.5 }), STACK);
  expect(kept.outputs.CampaignPromotion).toMatch(/^KEPT: /);

  // Week 2: new data, the newer version of the new configuration is served.
  const promoted = await e2e!.deploy(app({ week: 2, hiddenDimension: 200, minImprovement: 0.5 }), STACK);

  expect({ status: promoted.status, reason: promoted.failureReason }).toEqual({ status: 'UPDATE_COMPLETE', reason: undefined });
  expect(promoted.outputs.CampaignPromotion).toMatch(/^PROMOTED: new data /);
  expect(await served()).toBe(promoted.outputs.ShopSolutionVersionArn);
  // The campaign moved off the retired solution, which was then deleted in the same deploy.
  expect(e2e!.snapshot().solutions.map(s => s.arn)).toEqual([promoted.outputs.ShopSolutionVersionArn.replace(/\/[^/]+$/, '')]);
  expect(okCalls(e2e!, 'DeleteSolution')).toEqual(['DeleteSolution']);
  expect(e2e!.sim.callLog().filter(c => c.operation === 'DeleteSolution').length).toBe(1);
  // The training records of both solutions share one series by path: a dashboard keeps its history
  // across the replacement (by ARN, they are two series).
  const records = e2e!.cfn.invocations.flatMap(i => i.logs).filter(l => l.startsWith('{"_aws"')).map(l => JSON.parse(l));
  expect(records.map(r => r._aws.CloudWatchMetrics[0].Dimensions)).toEqual(Array(3).fill([['SolutionPath'], ['SolutionArn']]));
  expect(new Set(records.map(r => r.SolutionPath))).toEqual(new Set([`${STACK}/Shop`]));
  expect(new Set(records.map(r => r.SolutionArn)).size).toBe(2);
  await destroyAndCheckLeftovers(e2e!, STACK);
});
