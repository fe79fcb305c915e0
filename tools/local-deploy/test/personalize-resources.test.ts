import {
  CreateDatasetImportJobCommand, DescribeCampaignCommand, DescribeDatasetCommand, DescribeDatasetImportJobCommand, DescribeSchemaCommand,
} from '@aws-sdk/client-personalize';
import { activeSolution, Harness, newVersion, startHarness, stopHarness, versionOf } from '@cdk-personalize/simulator/testing';
import { LocalCloudFormation } from '..';
import { collector, trail, writeAssembly } from './helpers';

/**
 * AWS::Personalize::Schema, Dataset (with an embedded import job) and Campaign, simulated against a
 * started Personalize simulator: create and wait for ACTIVE, update the campaign in place, replace
 * it, roll back a failed create, and delete everything again. Results are SIMULATED.
 */

const REGION = 'us-west-2';
const ACCOUNT = '111122223333';
const ARN = `arn:aws:personalize:${REGION}:${ACCOUNT}`;
const ROLE = `arn:aws:iam::${ACCOUNT}:role/PersonalizeImport`;
const MINUTE = 60_000;

const SCHEMA = JSON.stringify({
  type: 'record',
  name: 'Interactions',
  namespace: 'com.amazonaws.personalize.schema',
  fields: [
    { name: 'USER_ID', type: 'string' },
    { name: 'ITEM_ID', type: 'string' },
    { name: 'TIMESTAMP', type: 'long' },
    { name: 'EVENT_TYPE', type: 'string' },
  ],
  version: '1.0',
});

interface TemplateOptions {
  /** Name prefix of every resource (one per stack, so that stacks do not collide). */
  readonly name: string;
  readonly campaignName?: string;
  readonly campaignConfig?: Record<string, unknown>;
  readonly tags?: Array<{ Key: string; Value: string }>;
  /** Embed a DatasetImportJob in the dataset (default true). */
  readonly importJob?: boolean;
}

/** A dataset group, schema, dataset importing from S3, and a campaign over the VersionArn parameter. */
function template(options: TemplateOptions) {
  const { name } = options;
  return {
    Parameters: {
      VersionArn: { Type: 'String' },
      Tps: { Type: 'Number', Default: 1 },
    },
    Resources: {
      Group: { Type: 'AWS::Personalize::DatasetGroup', Properties: { Name: name } },
      Schema: { Type: 'AWS::Personalize::Schema', Properties: { Name: `${name}-interactions`, Schema: SCHEMA } },
      Dataset: {
        Type: 'AWS::Personalize::Dataset',
        Properties: {
          Name: `${name}-interactions`,
          DatasetGroupArn: { 'Fn::GetAtt': ['Group', 'DatasetGroupArn'] },
          DatasetType: 'Interactions',
          SchemaArn: { Ref: 'Schema' },
          ...(options.importJob === false ? {} : {
            DatasetImportJob: { JobName: `${name}-import`, RoleArn: ROLE, DataSource: { DataLocation: 's3://data-bucket/interactions/' } },
          }),
        },
      },
      Campaign: {
        Type: 'AWS::Personalize::Campaign',
        DependsOn: 'Dataset',
        Properties: {
          Name: options.campaignName ?? `${name}-campaign`,
          SolutionVersionArn: { Ref: 'VersionArn' },
          MinProvisionedTPS: { Ref: 'Tps' },
          ...(options.campaignConfig ? { CampaignConfig: options.campaignConfig } : {}),
          ...(options.tags ? { Tags: options.tags } : {}),
        },
      },
    },
    Outputs: {
      SchemaArn: { Value: { 'Fn::GetAtt': ['Schema', 'SchemaArn'] } },
      SchemaRef: { Value: { Ref: 'Schema' } },
      DatasetArn: { Value: { 'Fn::GetAtt': ['Dataset', 'DatasetArn'] } },
      DatasetRef: { Value: { Ref: 'Dataset' } },
      CampaignArn: { Value: { 'Fn::GetAtt': ['Campaign', 'CampaignArn'] } },
      CampaignRef: { Value: { Ref: 'Campaign' } },
      CampaignStatus: { Value: { 'Fn::GetAtt': ['Campaign', 'Status'] } },
      CampaignCreated: { Value: { 'Fn::GetAtt': ['Campaign', 'CreationDateTime'] } },
      CampaignUpdated: { Value: { 'Fn::GetAtt': ['Campaign', 'LastUpdatedDateTime'] } },
    },
  };
}

/** Advances the simulator until every version is ACTIVE. */
async function train(h: Harness, versionArns: string[]): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const statuses = await Promise.all(versionArns.map(async arn => (await versionOf(h, arn)).status));
    if (statuses.every(s => s === 'ACTIVE')) return;
    h.sim.advanceToNextEvent();
  }
  throw new Error('versions did not train');
}

describe('Personalize schema, dataset and campaign against the simulator', () => {
  let h: Harness;
  let cfn: LocalCloudFormation;
  const out = collector();
  let v1: string;
  let v2: string;
  let firstCampaign: string;

  const describeCampaign = async (campaignArn: string) => (await h.client.send(new DescribeCampaignCommand({ campaignArn }))).campaign!;
  const stackResources = (prefix: string) => {
    const s = h.sim.snapshot();
    const ours = (r: { arn: string }) => r.arn.includes(`/${prefix}`);
    return [...s.datasetGroups, ...s.schemas, ...s.datasets, ...s.datasetImportJobs, ...s.campaigns].filter(ours).map(r => r.arn);
  };

  beforeAll(async () => {
    h = await startHarness({ region: REGION, accountId: ACCOUNT });
    // Two trained versions to serve, made outside any stack.
    const solutionArn = await activeSolution(h);
    v1 = await newVersion(h, solutionArn);
    v2 = await newVersion(h, solutionArn);
    await train(h, [v1, v2]);
    cfn = new LocalCloudFormation({ region: REGION, accountId: ACCOUNT, personalizeEndpoint: h.sim.endpoint, clock: h.sim.clock, log: out.log });
  });

  afterAll(async () => {
    await cfn?.close();
    await stopHarness(h);
  });

  test('creates each resource, waits for ACTIVE, and gives Ref and the documented attributes', async () => {
    const started = h.sim.clock.now();
    const result = await cfn.deploy(writeAssembly('LdData', template({ name: 'ld' })), 'LdData', { parameters: { VersionArn: v1 } });

    expect(result.status).toBe('CREATE_COMPLETE');
    // Group and Schema are independent and created in parallel; the schema is ACTIVE sooner.
    expect(trail(result.events, e => /COMPLETE/.test(e.resourceStatus))).toEqual([
      'Schema CREATE_COMPLETE', 'Group CREATE_COMPLETE', 'Dataset CREATE_COMPLETE', 'Campaign CREATE_COMPLETE',
    ]);
    firstCampaign = `${ARN}:campaign/ld-campaign`;
    expect(result.outputs).toEqual({
      SchemaArn: `${ARN}:schema/ld-interactions`,
      SchemaRef: `${ARN}:schema/ld-interactions`,
      DatasetArn: `${ARN}:dataset/ld/INTERACTIONS`,
      DatasetRef: `${ARN}:dataset/ld/INTERACTIONS`,
      CampaignArn: firstCampaign,
      CampaignRef: firstCampaign,
      CampaignStatus: 'ACTIVE',
      CampaignCreated: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/),
      CampaignUpdated: expect.stringMatching(/Z$/),
    });
    expect(cfn.physicalResources('LdData')).toEqual({
      Group: `${ARN}:dataset-group/ld`,
      Schema: `${ARN}:schema/ld-interactions`,
      Dataset: `${ARN}:dataset/ld/INTERACTIONS`,
      Campaign: firstCampaign,
    });

    // What the simulator holds: everything ACTIVE, the import done with the IAM role.
    const { schema } = await h.client.send(new DescribeSchemaCommand({ schemaArn: result.outputs.SchemaArn }));
    expect(schema?.schema).toBe(SCHEMA);
    const { dataset } = await h.client.send(new DescribeDatasetCommand({ datasetArn: result.outputs.DatasetArn }));
    expect(dataset).toMatchObject({ status: 'ACTIVE', datasetType: 'INTERACTIONS', schemaArn: result.outputs.SchemaArn });
    const { datasetImportJob: job } = await h.client.send(new DescribeDatasetImportJobCommand({ datasetImportJobArn: `${ARN}:dataset-import-job/ld-import` }));
    expect(job).toMatchObject({ status: 'ACTIVE', roleArn: ROLE, dataSource: { dataLocation: 's3://data-bucket/interactions/' }, datasetArn: result.outputs.DatasetArn });
    expect(await describeCampaign(firstCampaign)).toMatchObject({ status: 'ACTIVE', solutionVersionArn: v1, minProvisionedTPS: 1 });

    // The import (10 min) and the campaign (5 min) took simulated time; nothing was only recorded.
    expect(h.sim.clock.now() - started).toBeGreaterThanOrEqual(15 * MINUTE);
    expect(out.lines.filter(l => l.startsWith('recorded (not simulated)'))).toEqual([]);
  });

  test('updates the campaign in place with UpdateCampaign: version, TPS and configuration', async () => {
    const updates = h.sim.callCounts().UpdateCampaign ?? 0;
    const assembly = writeAssembly('LdData', template({
      name: 'ld',
      campaignConfig: { ItemExplorationConfig: { explorationWeight: '0.3' }, EnableMetadataWithRecommendations: 'true' },
    }));
    const result = await cfn.deploy(assembly, 'LdData', { parameters: { VersionArn: v2, Tps: '2' } });

    expect(result.status).toBe('UPDATE_COMPLETE');
    expect(trail(result.events)).toEqual(['Campaign UPDATE_IN_PROGRESS', 'Campaign UPDATE_COMPLETE']);
    expect(result.outputs.CampaignArn).toBe(firstCampaign);
    expect(result.outputs.CampaignStatus).toBe('ACTIVE');
    expect(h.sim.callCounts().UpdateCampaign).toBe(updates + 1);
    // The update returned once UpdateCampaign was accepted (open fact 32): the old version is still served.
    expect(await describeCampaign(firstCampaign)).toMatchObject({
      status: 'ACTIVE', solutionVersionArn: v1, latestCampaignUpdate: { status: 'CREATE PENDING', solutionVersionArn: v2 },
    });
    h.sim.clock.advanceMinutes(10);
    expect(await describeCampaign(firstCampaign)).toMatchObject({
      status: 'ACTIVE',
      solutionVersionArn: v2,
      minProvisionedTPS: 2,
      campaignConfig: { itemExplorationConfig: { explorationWeight: '0.3' }, enableMetadataWithRecommendations: true },
      latestCampaignUpdate: { status: 'ACTIVE', solutionVersionArn: v2, minProvisionedTPS: 2 },
    });
  });

  test('tags change in place; an unchanged template changes nothing', async () => {
    const updates = h.sim.callCounts().UpdateCampaign ?? 0;
    const base = { name: 'ld', campaignConfig: { ItemExplorationConfig: { explorationWeight: '0.3' }, EnableMetadataWithRecommendations: 'true' } };
    const tagged = await cfn.deploy(writeAssembly('LdData', template({ ...base, tags: [{ Key: 'team', Value: 'recs' }] })), 'LdData', {
      parameters: { VersionArn: v2, Tps: '2' },
    });

    expect(tagged.status).toBe('UPDATE_COMPLETE');
    expect(h.sim.callCounts().UpdateCampaign).toBe(updates);
    expect(h.sim.callCounts().TagResource).toBe(1);

    const again = await cfn.deploy(writeAssembly('LdData', template({ ...base, tags: [{ Key: 'team', Value: 'recs' }] })), 'LdData', {
      parameters: { VersionArn: v2, Tps: '2' },
    });
    expect(trail(again.events)).toEqual([]);
  });

  test('a new campaign name replaces the campaign: the new one first, the old one deleted in cleanup', async () => {
    const result = await cfn.deploy(writeAssembly('LdData', template({ name: 'ld', campaignName: 'ld-campaign-2' })), 'LdData', {
      parameters: { VersionArn: v2 },
    });

    expect(result.status).toBe('UPDATE_COMPLETE');
    expect(result.outputs.CampaignArn).toBe(`${ARN}:campaign/ld-campaign-2`);
    expect(h.sim.snapshot().campaigns.map(c => c.arn)).toEqual([`${ARN}:campaign/ld-campaign-2`]);
    expect(await describeCampaign(result.outputs.CampaignArn)).toMatchObject({ solutionVersionArn: v2, minProvisionedTPS: 1 });
  });

  test('deleting the stack deletes the campaign, dataset, schema and group and waits until they are gone', async () => {
    const result = await cfn.destroy('LdData');

    expect(result.status).toBe('DELETE_COMPLETE');
    expect(trail(result.events, e => e.resourceStatus === 'DELETE_COMPLETE')).toEqual([
      'Campaign DELETE_COMPLETE', 'Dataset DELETE_COMPLETE', 'Schema DELETE_COMPLETE', 'Group DELETE_COMPLETE',
    ]);
    expect(stackResources('ld')).toEqual([]);
    const s = h.sim.snapshot();
    expect([s.schemas, s.datasets, s.datasetImportJobs, s.campaigns]).toEqual([[], [], [], []]);
  });

  test('a dataset whose import job still runs is deleted once the job has ended (ResourceInUseException is retried)', async () => {
    const deployed = await cfn.deploy(writeAssembly('LdBusy', template({ name: 'ldbusy', importJob: false })), 'LdBusy', { parameters: { VersionArn: v2 } });
    expect(deployed.status).toBe('CREATE_COMPLETE');
    // An import started outside the stack, still running when the stack is deleted.
    const { datasetImportJobArn } = await h.client.send(new CreateDatasetImportJobCommand({
      jobName: 'ldbusy-outside', datasetArn: deployed.outputs.DatasetArn, dataSource: { dataLocation: 's3://data-bucket/more/' }, roleArn: ROLE,
    }));
    const started = h.sim.clock.now();

    const result = await cfn.destroy('LdBusy');

    expect(result.status).toBe('DELETE_COMPLETE');
    // The job takes 30 s + 10 min; the dataset could only be deleted after that.
    expect(h.sim.clock.now() - started).toBeGreaterThan(10 * MINUTE);
    const deletes = h.sim.callLog().filter(c => c.operation === 'DeleteDataset' && c.simulatedTime >= started).map(c => c.outcome);
    expect(deletes[0]).toBe('ResourceInUseException');
    expect(deletes[deletes.length - 1]).toBe('ok');
    expect(stackResources('ldbusy')).toEqual([]);
    expect(h.sim.snapshot().datasetImportJobs.map(j => j.arn)).not.toContain(datasetImportJobArn);
  });

  test('a campaign over a version still training fails with Personalize\'s message, and the rollback deletes everything', async () => {
    const training = await newVersion(h, (await versionOf(h, v1)).solutionArn!);
    const result = await cfn.deploy(writeAssembly('LdFail', template({ name: 'ldfail' })), 'LdFail', { parameters: { VersionArn: training } });

    expect(result.status).toBe('ROLLBACK_COMPLETE');
    expect(result.failureReason).toBe(`Solution version ${training} is CREATE IN_PROGRESS; it must be ACTIVE`);
    expect(trail(result.events).slice(-8)).toEqual([
      'Campaign CREATE_FAILED', 'Campaign DELETE_COMPLETE',
      'Dataset DELETE_IN_PROGRESS', 'Dataset DELETE_COMPLETE', 'Group DELETE_IN_PROGRESS', 'Group DELETE_COMPLETE',
      'Schema DELETE_IN_PROGRESS', 'Schema DELETE_COMPLETE',
    ]);
    expect(stackResources('ldfail')).toEqual([]);
    await cfn.destroy('LdFail');
  });
});

describe('without a Personalize endpoint', () => {
  test('schema, dataset and campaign are recorded, with ARNs for Ref and their attributes', async () => {
    const out = collector();
    const cfn = new LocalCloudFormation({ region: REGION, accountId: ACCOUNT, log: out.log });
    try {
      const result = await cfn.deploy(writeAssembly('LdRecorded', template({ name: 'rec' })), 'LdRecorded', {
        parameters: { VersionArn: `${ARN}:solution/sol/abc` },
      });

      expect(result.status).toBe('CREATE_COMPLETE');
      expect(result.outputs).toMatchObject({
        SchemaArn: `${ARN}:schema/rec-interactions`,
        DatasetRef: `${ARN}:dataset/rec-interactions`,
        CampaignArn: `${ARN}:campaign/rec-campaign`,
        CampaignRef: `${ARN}:campaign/rec-campaign`,
      });
      expect(out.lines).toContain('recorded (not simulated): 4 Personalize');
      expect((await cfn.destroy('LdRecorded')).status).toBe('DELETE_COMPLETE');
    } finally {
      await cfn.close();
    }
  });
});
