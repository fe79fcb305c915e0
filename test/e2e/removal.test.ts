import { DescribeCampaignCommand, PersonalizeClient } from '@aws-sdk/client-personalize';
import { RemovalPolicy } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { E2E, synthStack, removeAssemblies, destroyAndCheckLeftovers, okCalls } from './harness';
import { Campaign, Dataset, DatasetGroup, HyperParameters, OfflineMetric, Recipe, Schema, Solution } from '../../src';

/**
 * What `cdk destroy` and a failed first deploy leave, under each removal policy. Every training is
 * SIMULATED.
 */

jest.setTimeout(60_000);

const STACK = 'E2eRemoval';

interface Policies {
  readonly group?: RemovalPolicy;
  readonly campaign?: RemovalPolicy;
  /** A fixed apply_recency_bias: a change replaces the solution. */
  readonly recencyBias?: boolean;
  /** The campaign moves only to a better version. */
  readonly gated?: boolean;
}

function app(policies: Policies = {}): string {
  return synthStack(STACK, stack => {
    const datasetGroup = new DatasetGroup(stack, 'Group', { datasetGroupName: 'e2e-removal', removalPolicy: policies.group });
    new Dataset(stack, 'Interactions', {
      datasetGroup,
      schema: Schema.interactions(stack, 'Schema', {}),
      importSource: { bucket: new s3.Bucket(stack, 'Data'), prefix: 'interactions/', importTrigger: '2026-12-06' },
    });
    const solution = new Solution(stack, 'ForYou', {
      datasetGroup,
      recipe: Recipe.USER_PERSONALIZATION_V2,
      hyperParameters: policies.recencyBias === undefined
        ? undefined
        : HyperParameters.userPersonalizationV2({ applyRecencyBias: policies.recencyBias }),
    });
    new Campaign(stack, 'Campaign', {
      solutionVersion: solution.addVersion('Version'),
      removalPolicy: policies.campaign,
      promotion: policies.gated ? { metric: OfflineMetric.NDCG_AT_10 } : undefined,
    });
  });
}

let e2e: E2E | undefined;

afterEach(async () => {
  await e2e?.close();
  e2e = undefined;
});

afterAll(() => removeAssemblies());

test.each([
  ['by default', undefined],
  ['with RETAIN on the dataset group', RemovalPolicy.RETAIN],
])('%s, destroy keeps the dataset group with its data and the trained version, deletes the billed campaign, and completes', async (_, group) => {
  e2e = await E2E.start();
  const deployed = await e2e.deploy(app({ group }), STACK);
  expect({ status: deployed.status, reason: deployed.failureReason }).toEqual({ status: 'CREATE_COMPLETE', reason: undefined });
  const version = deployed.outputs.ForYouVersionSolutionVersionArn;

  const destroyed = await e2e.destroy(STACK);

  expect(destroyed.status).toBe('DELETE_COMPLETE');
  const kept = e2e.snapshot();
  expect(kept.datasetGroups.map(g => [g.arn.split('/').pop(), g.status])).toEqual([['e2e-removal', 'ACTIVE']]);
  expect(kept.datasets.map(d => d.status)).toEqual(['ACTIVE']);
  expect(kept.datasetImportJobs.map(j => j.status)).toEqual(['ACTIVE']);
  expect(kept.schemas).toHaveLength(1);
  expect(kept.solutionVersions.map(v => [v.arn, v.status])).toEqual([[version, 'ACTIVE']]);
  expect(kept.campaigns).toEqual([]);
  // Skipped, not deleted, in the stack's events; nothing left running.
  const skipped = destroyed.events.filter(e => e.resourceStatus === 'DELETE_SKIPPED').map(e => e.resourceType);
  expect(new Set(skipped)).toEqual(new Set([
    'AWS::Personalize::DatasetGroup', 'AWS::Personalize::Dataset', 'AWS::Personalize::Schema', 'Custom::PersonalizeDatasetImport', 'Custom::PersonalizeDatasetImportResult',
    'Custom::PersonalizeSolution', 'Custom::PersonalizeSolutionVersion', 'Custom::PersonalizeTrainingResult',
    // aws-cdk-lib's own defaults: the bucket and the log groups.
    'AWS::S3::Bucket', 'AWS::Logs::LogGroup',
  ]));
  expect(e2e.runningExecutions()).toEqual([]);
});

test('a retained campaign keeps serving its version after destroy', async () => {
  e2e = await E2E.start();
  const deployed = await e2e.deploy(app({ campaign: RemovalPolicy.RETAIN }), STACK);
  expect(deployed.status).toBe('CREATE_COMPLETE');

  expect((await e2e.destroy(STACK)).status).toBe('DELETE_COMPLETE');

  const [kept] = e2e.snapshot().campaigns;
  const client = new PersonalizeClient({ ...e2e.sim.clientConfig(), maxAttempts: 1 });
  const { campaign } = await client.send(new DescribeCampaignCommand({ campaignArn: kept.arn }));
  expect([campaign?.status, campaign?.solutionVersionArn]).toEqual(['ACTIVE', deployed.outputs.ForYouVersionSolutionVersionArn]);
});

test('with DESTROY on the dataset group, destroy leaves nothing', async () => {
  e2e = await E2E.start();
  expect((await e2e.deploy(app({ group: RemovalPolicy.DESTROY }), STACK)).status).toBe('CREATE_COMPLETE');
  await destroyAndCheckLeftovers(e2e, STACK);
});

test('a first deploy that fails leaves nothing, even with the default policies, so the next deploy can create the same names', async () => {
  e2e = await E2E.start();
  e2e.sim.failNextTraining({ reason: 'Insufficient data for training' });

  const failed = await e2e.deploy(app(), STACK);

  expect(failed.status).toBe('ROLLBACK_COMPLETE');
  expect(failed.failureReason).toContain('Insufficient data for training');
  expect(e2e.leftovers()).toEqual([]);
  await e2e.destroy(STACK);
  expect((await e2e.deploy(app(), STACK)).status).toBe('CREATE_COMPLETE');
});

test('by default, a change that replaces a gated campaign\'s solution keeps the old solution (nothing retires or deletes it), and destroy completes', async () => {
  e2e = await E2E.start();
  const first = await e2e.deploy(app({ gated: true, recencyBias: true }), STACK);
  expect(first.status).toBe('CREATE_COMPLETE');
  const [oldSolution] = e2e.snapshot().solutions.map(s => s.arn);

  const replaced = await e2e.deploy(app({ gated: true, recencyBias: false }), STACK);

  expect({ status: replaced.status, reason: replaced.failureReason }).toEqual({ status: 'UPDATE_COMPLETE', reason: undefined });
  const solutions = e2e.snapshot().solutions;
  expect(solutions).toHaveLength(2);
  expect(solutions.find(s => s.arn === oldSolution)?.status).toBe('ACTIVE');
  expect(okCalls(e2e, 'DeleteSolution')).toEqual([]);
  // The gate served one of the two versions; either way the campaign's delete leaves both solutions.
  expect(['FIRST', 'PROMOTED', 'KEPT']).toContain(replaced.outputs.CampaignPromotion.split(':')[0]);

  const destroyed = await e2e.destroy(STACK);
  expect(destroyed.status).toBe('DELETE_COMPLETE');
  expect(e2e.snapshot().campaigns).toEqual([]);
  expect(e2e.snapshot().solutions.map(s => s.status)).toEqual(['ACTIVE', 'ACTIVE']);
  expect(e2e.sim.inProgressTrainings()).toEqual([]);
  expect(e2e.runningExecutions()).toEqual([]);
});
