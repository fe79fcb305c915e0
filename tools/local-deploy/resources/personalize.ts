/**
 * Native AWS::Personalize::* resources.
 *
 * EXTENSION POINT: `PERSONALIZE_SIMULATORS` maps each type to its simulator. DatasetGroup talks to
 * the Personalize endpoint (the embedded simulator) when one is configured; the other types are
 * recorded until they are wired the same way (create, wait for ACTIVE, delete, wait until gone).
 */
import {
  CreateDatasetGroupCommand, DeleteDatasetGroupCommand, DescribeDatasetGroupCommand, PersonalizeClient,
} from '@aws-sdk/client-personalize';
import { recordedHandler } from './recorded';
import type { ResourceContext, ResourceHandler } from './types';
import { ResourceFailure } from './types';

/** Simulated time between status polls, and the longest wait. */
const POLL_MS = 10_000;
const MAX_WAIT_MS = 60 * 60_000;

function client(ctx: ResourceContext, endpoint: string): PersonalizeClient {
  return new PersonalizeClient({
    region: ctx.region,
    endpoint,
    credentials: { accessKeyId: 'LOCALDEPLOYACCESSKEY', secretAccessKey: 'local-deploy-secret' },
  });
}

/** A recorded Personalize resource: Ref is its ARN, as for the real types. */
const recordedPersonalize = (resource: string, attribute: string) => recordedHandler({
  service: 'Personalize',
  nameProperty: 'Name',
  maxLength: 63,
  arn: ({ name, ctx }) => `arn:${ctx.partition}:personalize:${ctx.region}:${ctx.accountId}:${resource}/${name}`,
  ref: ({ arn }) => arn,
  attributes: ({ arn }) => ({ [attribute]: arn }),
});

const recordedDatasetGroup = recordedPersonalize('dataset-group', 'DatasetGroupArn');

/** Polls `check` every POLL_MS of simulated time until it returns true. */
async function waitUntil(ctx: ResourceContext, what: string, check: () => Promise<boolean>): Promise<void> {
  for (let waited = 0; ; waited += POLL_MS) {
    if (await check()) return;
    if (waited >= MAX_WAIT_MS) throw new ResourceFailure(`Timed out waiting for ${what}`);
    await ctx.activity.sleep(POLL_MS);
  }
}

const datasetGroup: ResourceHandler = {
  async create(ctx, props) {
    const endpoint = ctx.services.personalizeEndpoint;
    if (!endpoint) return recordedDatasetGroup.create(ctx, props);
    const personalize = client(ctx, endpoint);
    const tags = (props.Tags as Array<{ Key: string; Value: string }> | undefined)?.map(t => ({ tagKey: t.Key, tagValue: t.Value }));
    const { datasetGroupArn } = await personalize.send(new CreateDatasetGroupCommand({
      name: typeof props.Name === 'string' ? props.Name : ctx.physicalName({ maxLength: 63 }),
      roleArn: props.RoleArn as string | undefined,
      kmsKeyArn: props.KmsKeyArn as string | undefined,
      domain: props.Domain as any,
      tags,
    }));
    await waitUntil(ctx, `dataset group ${datasetGroupArn}`, async () => {
      const { datasetGroup: group } = await personalize.send(new DescribeDatasetGroupCommand({ datasetGroupArn }));
      if (group?.status === 'CREATE FAILED') throw new ResourceFailure(group.failureReason ?? 'CREATE FAILED');
      return group?.status === 'ACTIVE';
    });
    return { physicalId: datasetGroupArn!, attributes: { DatasetGroupArn: datasetGroupArn } };
  },
  async delete(ctx, current) {
    const endpoint = ctx.services.personalizeEndpoint;
    if (!endpoint || current.recorded) return;
    const personalize = client(ctx, endpoint);
    const datasetGroupArn = current.physicalId;
    try {
      await personalize.send(new DeleteDatasetGroupCommand({ datasetGroupArn }));
    } catch (e) {
      if ((e as Error).name === 'ResourceNotFoundException') return;
      throw e;
    }
    await waitUntil(ctx, `deletion of ${datasetGroupArn}`, async () => {
      try {
        await personalize.send(new DescribeDatasetGroupCommand({ datasetGroupArn }));
        return false;
      } catch (e) {
        if ((e as Error).name === 'ResourceNotFoundException') return true;
        throw e;
      }
    });
  },
};

/** Resource type → simulator. Replace the recorded entries with endpoint-backed ones as they are built. */
export const PERSONALIZE_SIMULATORS: Record<string, ResourceHandler> = {
  'AWS::Personalize::DatasetGroup': datasetGroup,
  'AWS::Personalize::Schema': recordedPersonalize('schema', 'SchemaArn'),
  'AWS::Personalize::Dataset': recordedPersonalize('dataset', 'DatasetArn'),
  'AWS::Personalize::Solution': recordedPersonalize('solution', 'SolutionArn'),
  'AWS::Personalize::Campaign': recordedPersonalize('campaign', 'CampaignArn'),
};
