/**
 * Native AWS::Personalize::* resources.
 *
 * EXTENSION POINT: `PERSONALIZE_SIMULATORS` maps each type to its simulator. DatasetGroup, Schema,
 * Dataset, Campaign, EventTracker, Filter, MetricAttribution and Recommender talk to the Personalize endpoint (the embedded simulator) when one is
 * configured, and are recorded without one; Solution is always recorded. A simulated type creates
 * its resource and waits until it is ACTIVE (where the API has a status), and on delete waits until
 * Describe answers ResourceNotFoundException. Ref is the ARN, as for the real types, and Fn::GetAtt
 * gives the attributes CloudFormation documents for the type.
 */
import {
  CampaignConfig, CreateCampaignCommand, CreateDatasetCommand, CreateDatasetGroupCommand, CreateDatasetImportJobCommand,
  CreateEventTrackerCommand, CreateFilterCommand, DeleteEventTrackerCommand, DeleteFilterCommand, DescribeEventTrackerCommand,
  DescribeFilterCommand, CreateSchemaCommand, DeleteCampaignCommand, DeleteDatasetCommand, DeleteDatasetGroupCommand, DeleteSchemaCommand,
  DescribeCampaignCommand, DescribeDatasetCommand, DescribeDatasetGroupCommand, DescribeDatasetImportJobCommand,
  DescribeSchemaCommand, PersonalizeClient, CreateMetricAttributionCommand, DeleteMetricAttributionCommand,
  DescribeMetricAttributionCommand, MetricAttributionOutput, UpdateMetricAttributionCommand, Tag, TagResourceCommand,
  UntagResourceCommand, UpdateCampaignCommand, CreateRecommenderCommand, DeleteRecommenderCommand, DescribeRecommenderCommand,
  RecommenderConfig, UpdateRecommenderCommand,
} from '@aws-sdk/client-personalize';
import { recordedHandler } from './recorded';
import type { ResourceContext, ResourceProvisioner, ResourceResult } from './types';
import { ResourceFailure } from './types';

/** Simulated time between status polls, and the longest wait. */
const POLL_MS = 10_000;
const MAX_WAIT_MS = 60 * 60_000;
/** What the API calls a resource whose creation failed. */
const CREATE_FAILED = 'CREATE FAILED';

function client(ctx: ResourceContext, endpoint: string): PersonalizeClient {
  return new PersonalizeClient({
    region: ctx.region,
    endpoint,
    credentials: { accessKeyId: 'LOCALDEPLOYACCESSKEY', secretAccessKey: 'local-deploy-secret' },
  });
}

/** The client for the configured endpoint; undefined when there is none (the type is then recorded). */
function personalizeOf(ctx: ResourceContext): PersonalizeClient | undefined {
  const endpoint = ctx.services.personalizeEndpoint;
  return endpoint ? client(ctx, endpoint) : undefined;
}

/** A recorded Personalize resource: Ref is its ARN, as for the real types. */
const recordedPersonalize = (
  resource: string, attribute: string, extra: (ctx: ResourceContext) => Record<string, unknown> = () => ({}),
) => recordedHandler({
  service: 'Personalize',
  nameProperty: 'Name',
  maxLength: 63,
  arn: ({ name, ctx }) => `arn:${ctx.partition}:personalize:${ctx.region}:${ctx.accountId}:${resource}/${name}`,
  ref: ({ arn }) => arn,
  attributes: ({ arn, ctx }) => ({ [attribute]: arn, ...extra(ctx) }),
});

const recordedDatasetGroup = recordedPersonalize('dataset-group', 'DatasetGroupArn');
const recordedSchema = recordedPersonalize('schema', 'SchemaArn');
const recordedDataset = recordedPersonalize('dataset', 'DatasetArn');
const recordedCampaign = recordedPersonalize('campaign', 'CampaignArn', ctx => {
  const now = new Date(ctx.services.clock.now()).toISOString();
  return { Status: 'ACTIVE', CreationDateTime: now, LastUpdatedDateTime: now };
});

const isNotFound = (e: unknown) => (e as Error).name === 'ResourceNotFoundException';
const isInUse = (e: unknown) => (e as Error).name === 'ResourceInUseException';

/** Polls `check` every POLL_MS of simulated time until it returns true. */
async function waitUntil(
  ctx: ResourceContext, what: string, check: () => Promise<boolean>, physicalId?: string, detail?: () => string, maxWaitMs = MAX_WAIT_MS,
): Promise<void> {
  const stopProgress = ctx.progress(what);
  try {
    for (let waited = 0; ; waited += POLL_MS) {
      if (await check()) return;
      if (waited >= maxWaitMs) throw new ResourceFailure(`Timed out waiting for ${what}${detail?.() ?? ''}`, physicalId);
      await ctx.activity.sleep(POLL_MS);
    }
  } finally {
    stopProgress();
  }
}

/**
 * Runs what follows a create; any error fails the resource with `physicalId`, so that the rollback
 * deletes what was created (a ResourceFailure without one would leave it behind).
 */
async function created<T>(physicalId: string, then: () => Promise<T>): Promise<T> {
  try {
    return await then();
  } catch (e) {
    if (e instanceof ResourceFailure && e.physicalId !== undefined) throw e;
    throw new ResourceFailure((e as Error).message, physicalId);
  }
}

/**
 * Waits until `describe` reports ACTIVE; CREATE FAILED fails the resource with Personalize's reason,
 * keeping `physicalId` so that the rollback deletes what was created.
 */
async function waitForActive(
  ctx: ResourceContext, what: string, physicalId: string,
  describe: () => Promise<{ status?: string; failureReason?: string } | undefined>, maxWaitMs = MAX_WAIT_MS,
): Promise<void> {
  await waitUntil(ctx, what, async () => {
    const current = await describe();
    if (current?.status === CREATE_FAILED) {
      throw new ResourceFailure(`${what} failed: ${current.failureReason ?? CREATE_FAILED}`, physicalId);
    }
    return current?.status === 'ACTIVE';
  }, physicalId, undefined, maxWaitMs);
}

/**
 * Deletes and waits until Describe answers ResourceNotFoundException. A resource that is already
 * gone counts as deleted. A delete refused with ResourceInUseException fails the delete with
 * Personalize's message, as nothing documents that CloudFormation retries it; only with
 * `retryInUse` (the dataset, open fact 33) is it sent again on every poll until MAX_WAIT_MS.
 */
async function deleteAndWait(
  ctx: ResourceContext, what: string, del: () => Promise<unknown>, describe: () => Promise<unknown>, retryInUse = false,
): Promise<void> {
  let sent = false;
  let refusal: string | undefined;
  await waitUntil(ctx, `deletion of ${what}`, async () => {
    if (!sent) {
      try {
        await del();
      } catch (e) {
        if (isNotFound(e)) return true;
        if (retryInUse && isInUse(e)) {
          refusal = (e as Error).message;
          return false;
        }
        throw e;
      }
      sent = true;
    }
    try {
      await describe();
      return false;
    } catch (e) {
      if (isNotFound(e)) return true;
      throw e;
    }
  }, undefined, () => (refusal && !sent ? ` (${refusal})` : ''));
}

/** CloudFormation's `Tags` ([{Key, Value}]) as the API's tags. */
function tagsOf(props: Record<string, unknown>): Tag[] | undefined {
  return (props.Tags as Array<{ Key: string; Value: string }> | undefined)?.map(t => ({ tagKey: t.Key, tagValue: t.Value }));
}

const nameOf = (ctx: ResourceContext, props: Record<string, unknown>) =>
  typeof props.Name === 'string' ? props.Name : ctx.physicalName({ maxLength: 63 });

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

const iso = (date: Date | undefined) => date?.toISOString();

/** Templates may carry numbers and booleans as strings (e.g. from parameters). */
const num = (value: unknown) => (value === undefined ? undefined : Number(value));
const bool = (value: unknown) => (value === undefined ? undefined : value === true || value === 'true');

// ---------------------------------------------------------------------------------------------
// AWS::Personalize::DatasetGroup

const datasetGroup: ResourceProvisioner = {
  async create(ctx, props) {
    const personalize = personalizeOf(ctx);
    if (!personalize) return recordedDatasetGroup.create(ctx, props);
    const { datasetGroupArn } = await personalize.send(new CreateDatasetGroupCommand({
      name: nameOf(ctx, props),
      roleArn: props.RoleArn as string | undefined,
      kmsKeyArn: props.KmsKeyArn as string | undefined,
      domain: props.Domain as any,
      tags: tagsOf(props),
    }));
    await created(datasetGroupArn!, () => waitForActive(ctx, `dataset group ${datasetGroupArn}`, datasetGroupArn!, async () =>
      (await personalize.send(new DescribeDatasetGroupCommand({ datasetGroupArn }))).datasetGroup));
    return { physicalId: datasetGroupArn!, attributes: { DatasetGroupArn: datasetGroupArn } };
  },
  async delete(ctx, current) {
    const personalize = personalizeOf(ctx);
    if (!personalize || current.recorded) return;
    const datasetGroupArn = current.physicalId;
    // A group that still holds resources stays in use: fail at once, with Personalize's message.
    await deleteAndWait(ctx, datasetGroupArn,
      () => personalize.send(new DeleteDatasetGroupCommand({ datasetGroupArn })),
      () => personalize.send(new DescribeDatasetGroupCommand({ datasetGroupArn })));
  },
};

// ---------------------------------------------------------------------------------------------
// AWS::Personalize::Schema: every property requires replacement, so there is no update. A schema
// has no status: it exists once CreateSchema answers.

const schema: ResourceProvisioner = {
  async create(ctx, props) {
    const personalize = personalizeOf(ctx);
    if (!personalize) return recordedSchema.create(ctx, props);
    const { schemaArn } = await personalize.send(new CreateSchemaCommand({
      name: nameOf(ctx, props),
      schema: props.Schema as string,
      domain: props.Domain as any,
    }));
    // CreateSchema takes no tags; CloudFormation tags the schema afterwards.
    const tags = tagsOf(props);
    if (tags?.length) await created(schemaArn!, () => personalize.send(new TagResourceCommand({ resourceArn: schemaArn, tags })));
    return { physicalId: schemaArn!, attributes: { SchemaArn: schemaArn } };
  },
  async delete(ctx, current) {
    const personalize = personalizeOf(ctx);
    if (!personalize || current.recorded) return;
    const schemaArn = current.physicalId;
    await deleteAndWait(ctx, schemaArn,
      () => personalize.send(new DeleteSchemaCommand({ schemaArn })),
      () => personalize.send(new DescribeSchemaCommand({ schemaArn })));
  },
};

// ---------------------------------------------------------------------------------------------
// AWS::Personalize::Dataset: every property but DatasetImportJob requires replacement. An embedded
// DatasetImportJob is started once the dataset is ACTIVE and waited for (whether CloudFormation
// waits is not documented); a changed one is started again by an update.

interface ImportJobSpec {
  readonly JobName?: string;
  readonly RoleArn?: string;
  readonly DataSource?: { readonly DataLocation?: string };
}

async function runImportJob(ctx: ResourceContext, personalize: PersonalizeClient, datasetArn: string, spec: ImportJobSpec): Promise<string> {
  const { datasetImportJobArn } = await personalize.send(new CreateDatasetImportJobCommand({
    jobName: spec.JobName ?? ctx.physicalName({ maxLength: 63 }),
    datasetArn,
    dataSource: { dataLocation: spec.DataSource?.DataLocation },
    roleArn: spec.RoleArn,
  }));
  await waitForActive(ctx, `dataset import job ${datasetImportJobArn}`, datasetArn, async () =>
    (await personalize.send(new DescribeDatasetImportJobCommand({ datasetImportJobArn }))).datasetImportJob);
  return datasetImportJobArn!;
}

const dataset: ResourceProvisioner = {
  async create(ctx, props) {
    const personalize = personalizeOf(ctx);
    if (!personalize) return recordedDataset.create(ctx, props);
    const { datasetArn } = await personalize.send(new CreateDatasetCommand({
      name: nameOf(ctx, props),
      datasetGroupArn: props.DatasetGroupArn as string,
      datasetType: props.DatasetType as string,
      schemaArn: props.SchemaArn as string,
      tags: tagsOf(props),
    }));
    await created(datasetArn!, async () => {
      await waitForActive(ctx, `dataset ${datasetArn}`, datasetArn!, async () =>
        (await personalize.send(new DescribeDatasetCommand({ datasetArn }))).dataset);
      if (props.DatasetImportJob) await runImportJob(ctx, personalize, datasetArn!, props.DatasetImportJob as ImportJobSpec);
    });
    return { physicalId: datasetArn!, attributes: { DatasetArn: datasetArn } };
  },
  async update(ctx, current, props) {
    const personalize = personalizeOf(ctx);
    if (!personalize || current.recorded) return recordedDataset.update!(ctx, current, props);
    const { DatasetImportJob: newJob, ...rest } = props;
    const { DatasetImportJob: oldJob, ...oldRest } = current.properties;
    if (!same(rest, oldRest)) return dataset.create(ctx, props);
    if (newJob && !same(newJob, oldJob)) await runImportJob(ctx, personalize, current.physicalId, newJob as ImportJobSpec);
    return { physicalId: current.physicalId, attributes: current.attributes };
  },
  async delete(ctx, current) {
    const personalize = personalizeOf(ctx);
    if (!personalize || current.recorded) return;
    const datasetArn = current.physicalId;
    // [U] open fact 33: a dataset whose import still runs is deleted once the import has ended
    // (CloudFormation's Dataset handler waits up to 36 hours for its own import).
    await deleteAndWait(ctx, datasetArn,
      () => personalize.send(new DeleteDatasetCommand({ datasetArn })),
      () => personalize.send(new DescribeDatasetCommand({ datasetArn })), true);
  },
};

// ---------------------------------------------------------------------------------------------
// AWS::Personalize::Campaign: SolutionVersionArn, MinProvisionedTPS and CampaignConfig are updated in
// place with UpdateCampaign, Tags with TagResource/UntagResource; a new Name is a replacement. An
// update returns once UpdateCampaign is accepted (open fact 32), not when it is ACTIVE.

/** Brings the tags of `arn` from `old`'s Tags to `props`'. */
async function retag(personalize: PersonalizeClient, arn: string, props: Record<string, unknown>, old: Record<string, unknown>): Promise<void> {
  if (same(props.Tags, old.Tags)) return;
  const tags = tagsOf(props) ?? [];
  const removed = (tagsOf(old) ?? []).map(t => t.tagKey!).filter(key => !tags.some(t => t.tagKey === key));
  if (removed.length) await personalize.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: removed }));
  if (tags.length) await personalize.send(new TagResourceCommand({ resourceArn: arn, tags }));
}

/** CloudFormation's CampaignConfig as the API's campaignConfig. */
function campaignConfigOf(config: Record<string, unknown> | undefined): CampaignConfig | undefined {
  if (!config) return undefined;
  return {
    itemExplorationConfig: config.ItemExplorationConfig as Record<string, string> | undefined,
    enableMetadataWithRecommendations: bool(config.EnableMetadataWithRecommendations),
    syncWithLatestSolutionVersion: bool(config.SyncWithLatestSolutionVersion),
    rankingInfluence: config.RankingInfluence === undefined ? undefined
      : Object.fromEntries(Object.entries(config.RankingInfluence as Record<string, unknown>).map(([k, v]) => [k, Number(v)])),
  };
}

/** Ref is the ARN; the attributes are those CloudFormation documents, read from DescribeCampaign. */
async function campaignResult(personalize: PersonalizeClient, campaignArn: string): Promise<ResourceResult> {
  const { campaign: c } = await personalize.send(new DescribeCampaignCommand({ campaignArn }));
  return {
    physicalId: campaignArn,
    attributes: {
      CampaignArn: campaignArn,
      Status: c?.status,
      CreationDateTime: iso(c?.creationDateTime),
      LastUpdatedDateTime: iso(c?.lastUpdatedDateTime),
    },
  };
}

const campaign: ResourceProvisioner = {
  async create(ctx, props) {
    const personalize = personalizeOf(ctx);
    if (!personalize) return recordedCampaign.create(ctx, props);
    const { campaignArn } = await personalize.send(new CreateCampaignCommand({
      name: nameOf(ctx, props),
      solutionVersionArn: props.SolutionVersionArn as string,
      minProvisionedTPS: num(props.MinProvisionedTPS),
      campaignConfig: campaignConfigOf(props.CampaignConfig as Record<string, unknown> | undefined),
      tags: tagsOf(props),
    }));
    return created(campaignArn!, async () => {
      await waitForActive(ctx, `campaign ${campaignArn}`, campaignArn!, async () =>
        (await personalize.send(new DescribeCampaignCommand({ campaignArn }))).campaign);
      return campaignResult(personalize, campaignArn!);
    });
  },
  async update(ctx, current, props) {
    const personalize = personalizeOf(ctx);
    if (!personalize || current.recorded) return recordedCampaign.update!(ctx, current, props);
    const old = current.properties;
    if (props.Name !== old.Name) return campaign.create(ctx, props);
    const campaignArn = current.physicalId;

    const configChanged = !same(props.CampaignConfig, old.CampaignConfig);
    if (configChanged || props.SolutionVersionArn !== old.SolutionVersionArn || props.MinProvisionedTPS !== old.MinProvisionedTPS) {
      await personalize.send(new UpdateCampaignCommand({
        campaignArn,
        solutionVersionArn: props.SolutionVersionArn as string,
        minProvisionedTPS: num(props.MinProvisionedTPS) ?? 1,
        // A removed configuration is sent empty: an absent one leaves the current one as it is.
        campaignConfig: configChanged ? campaignConfigOf(props.CampaignConfig as Record<string, unknown> | undefined) ?? {} : undefined,
      }));
      // [U] open fact 32: the campaign stays ACTIVE while the update runs, so a handler that
      // stabilises on the campaign's status returns at once. Modelled so: nothing waits here.
    }

    await retag(personalize, campaignArn, props, old);
    return campaignResult(personalize, campaignArn);
  },
  async delete(ctx, current) {
    const personalize = personalizeOf(ctx);
    if (!personalize || current.recorded) return;
    const campaignArn = current.physicalId;
    await deleteAndWait(ctx, campaignArn,
      () => personalize.send(new DeleteCampaignCommand({ campaignArn })),
      () => personalize.send(new DescribeCampaignCommand({ campaignArn })));
  },
};

// ---------------------------------------------------------------------------------------------
// AWS::Personalize::EventTracker and AWS::Personalize::Filter: Name, DatasetGroupArn (and a
// filter's FilterExpression) require replacement; Tags are updated in place.

const recordedEventTracker = recordedPersonalize('event-tracker', 'EventTrackerArn', () => ({ TrackingId: 'recorded-tracking-id' }));
const recordedFilter = recordedPersonalize('filter', 'FilterArn', ctx => {
  const now = new Date(ctx.services.clock.now()).toISOString();
  return { Status: 'ACTIVE', CreationDateTime: now, LastUpdatedDateTime: now };
});


const eventTracker: ResourceProvisioner = {
  async create(ctx, props) {
    const personalize = personalizeOf(ctx);
    if (!personalize) return recordedEventTracker.create(ctx, props);
    const { eventTrackerArn, trackingId } = await personalize.send(new CreateEventTrackerCommand({
      name: nameOf(ctx, props),
      datasetGroupArn: props.DatasetGroupArn as string,
      tags: tagsOf(props),
    }));
    await created(eventTrackerArn!, () => waitForActive(ctx, `event tracker ${eventTrackerArn}`, eventTrackerArn!, async () =>
      (await personalize.send(new DescribeEventTrackerCommand({ eventTrackerArn }))).eventTracker));
    return { physicalId: eventTrackerArn!, attributes: { EventTrackerArn: eventTrackerArn, TrackingId: trackingId } };
  },
  replaces: (old, props) => props.Name !== old.Name || props.DatasetGroupArn !== old.DatasetGroupArn,
  async update(ctx, current, props) {
    const personalize = personalizeOf(ctx);
    if (!personalize || current.recorded) return recordedEventTracker.update!(ctx, current, props);
    const old = current.properties;
    await retag(personalize, current.physicalId, props, old);
    return { physicalId: current.physicalId, attributes: current.attributes };
  },
  async delete(ctx, current) {
    const personalize = personalizeOf(ctx);
    if (!personalize || current.recorded) return;
    const eventTrackerArn = current.physicalId;
    await deleteAndWait(ctx, eventTrackerArn,
      () => personalize.send(new DeleteEventTrackerCommand({ eventTrackerArn })),
      () => personalize.send(new DescribeEventTrackerCommand({ eventTrackerArn })));
  },
};

async function filterResult(personalize: PersonalizeClient, filterArn: string): Promise<ResourceResult> {
  const { filter: f } = await personalize.send(new DescribeFilterCommand({ filterArn }));
  return {
    physicalId: filterArn,
    attributes: {
      FilterArn: filterArn, Status: f?.status, CreationDateTime: iso(f?.creationDateTime), LastUpdatedDateTime: iso(f?.lastUpdatedDateTime),
    },
  };
}

const filter: ResourceProvisioner = {
  async create(ctx, props) {
    const personalize = personalizeOf(ctx);
    if (!personalize) return recordedFilter.create(ctx, props);
    const { filterArn } = await personalize.send(new CreateFilterCommand({
      name: nameOf(ctx, props),
      datasetGroupArn: props.DatasetGroupArn as string,
      filterExpression: props.FilterExpression as string,
      tags: tagsOf(props),
    }));
    return created(filterArn!, async () => {
      await waitForActive(ctx, `filter ${filterArn}`, filterArn!, async () =>
        (await personalize.send(new DescribeFilterCommand({ filterArn }))).filter);
      return filterResult(personalize, filterArn!);
    });
  },
  replaces: (old, props) =>
    props.Name !== old.Name || props.DatasetGroupArn !== old.DatasetGroupArn || props.FilterExpression !== old.FilterExpression,
  async update(ctx, current, props) {
    const personalize = personalizeOf(ctx);
    if (!personalize || current.recorded) return recordedFilter.update!(ctx, current, props);
    const old = current.properties;
    await retag(personalize, current.physicalId, props, old);
    return filterResult(personalize, current.physicalId);
  },
  async delete(ctx, current) {
    const personalize = personalizeOf(ctx);
    if (!personalize || current.recorded) return;
    const filterArn = current.physicalId;
    await deleteAndWait(ctx, filterArn,
      () => personalize.send(new DeleteFilterCommand({ filterArn })),
      () => personalize.send(new DescribeFilterCommand({ filterArn })));
  },
};

// ---------------------------------------------------------------------------------------------
// AWS::Personalize::MetricAttribution: Name, DatasetGroupArn and Metrics require replacement;
// MetricsOutputConfig is updated in place (UpdateMetricAttribution). It has no tags.

const recordedMetricAttribution = recordedPersonalize('metric-attribution', 'MetricAttributionArn', () => ({ Status: 'ACTIVE' }));

function outputConfigOf(config: Record<string, unknown>): MetricAttributionOutput {
  const s3 = config.S3DataDestination as Record<string, unknown> | undefined;
  return {
    roleArn: config.RoleArn as string,
    s3DataDestination: s3 && { path: s3.Path as string, kmsKeyArn: s3.KmsKeyArn as string | undefined },
  };
}

async function metricAttributionResult(personalize: PersonalizeClient, metricAttributionArn: string): Promise<ResourceResult> {
  const { metricAttribution: m } = await personalize.send(new DescribeMetricAttributionCommand({ metricAttributionArn }));
  return { physicalId: metricAttributionArn, attributes: { MetricAttributionArn: metricAttributionArn, Status: m?.status } };
}

const metricAttribution: ResourceProvisioner = {
  async create(ctx, props) {
    const personalize = personalizeOf(ctx);
    if (!personalize) return recordedMetricAttribution.create(ctx, props);
    const { metricAttributionArn } = await personalize.send(new CreateMetricAttributionCommand({
      name: nameOf(ctx, props),
      datasetGroupArn: props.DatasetGroupArn as string,
      metrics: (props.Metrics as Array<Record<string, string>>)
        .map(m => ({ eventType: m.EventType, metricName: m.MetricName, expression: m.Expression })),
      metricsOutputConfig: outputConfigOf(props.MetricsOutputConfig as Record<string, unknown>),
    }));
    return created(metricAttributionArn!, async () => {
      await waitForActive(ctx, `metric attribution ${metricAttributionArn}`, metricAttributionArn!, async () =>
        (await personalize.send(new DescribeMetricAttributionCommand({ metricAttributionArn }))).metricAttribution);
      return metricAttributionResult(personalize, metricAttributionArn!);
    });
  },
  replaces: (old, props) => props.Name !== old.Name || props.DatasetGroupArn !== old.DatasetGroupArn || !same(props.Metrics, old.Metrics),
  async update(ctx, current, props) {
    const personalize = personalizeOf(ctx);
    if (!personalize || current.recorded) return recordedMetricAttribution.update!(ctx, current, props);
    const metricAttributionArn = current.physicalId;
    if (!same(props.MetricsOutputConfig, current.properties.MetricsOutputConfig)) {
      await personalize.send(new UpdateMetricAttributionCommand({
        metricAttributionArn, metricsOutputConfig: outputConfigOf(props.MetricsOutputConfig as Record<string, unknown>),
      }));
      await waitForActive(ctx, `update of metric attribution ${metricAttributionArn}`, metricAttributionArn, async () =>
        (await personalize.send(new DescribeMetricAttributionCommand({ metricAttributionArn }))).metricAttribution);
    }
    return metricAttributionResult(personalize, metricAttributionArn);
  },
  async delete(ctx, current) {
    const personalize = personalizeOf(ctx);
    if (!personalize || current.recorded) return;
    const metricAttributionArn = current.physicalId;
    await deleteAndWait(ctx, metricAttributionArn,
      () => personalize.send(new DeleteMetricAttributionCommand({ metricAttributionArn })),
      () => personalize.send(new DescribeMetricAttributionCommand({ metricAttributionArn })));
  },
};

// ---------------------------------------------------------------------------------------------
// AWS::Personalize::Recommender: Name, DatasetGroupArn and RecipeArn require replacement (RecipeArn: [U],
// UpdateRecommender cannot change it); RecommenderConfig is updated in place, Tags too.

const recordedRecommender = recordedPersonalize('recommender', 'RecommenderArn', ctx => {
  const now = new Date(ctx.services.clock.now()).toISOString();
  return { Status: 'ACTIVE', CreationDateTime: now, LastUpdatedDateTime: now };
});
/** [U] How long CloudFormation waits for a recommender to train: the local runner waits up to 12 hours. */
const RECOMMENDER_MAX_WAIT_MS = 12 * 60 * 60_000;

function recommenderConfigOf(config: Record<string, unknown> | undefined): RecommenderConfig | undefined {
  if (!config) return undefined;
  const training = config.TrainingDataConfig as Record<string, unknown> | undefined;
  return {
    minRecommendationRequestsPerSecond: num(config.MinRecommendationRequestsPerSecond),
    enableMetadataWithRecommendations: config.EnableMetadataWithRecommendations === undefined
      ? undefined : String(config.EnableMetadataWithRecommendations) === 'true',
    itemExplorationConfig: config.ItemExplorationConfig as Record<string, string> | undefined,
    trainingDataConfig: training && { excludedDatasetColumns: training.ExcludedDatasetColumns as Record<string, string[]> | undefined },
  };
}

async function recommenderResult(personalize: PersonalizeClient, recommenderArn: string): Promise<ResourceResult> {
  const { recommender: r } = await personalize.send(new DescribeRecommenderCommand({ recommenderArn }));
  return {
    physicalId: recommenderArn,
    attributes: {
      RecommenderArn: recommenderArn, Status: r?.status, CreationDateTime: iso(r?.creationDateTime), LastUpdatedDateTime: iso(r?.lastUpdatedDateTime),
    },
  };
}

const recommender: ResourceProvisioner = {
  async create(ctx, props) {
    const personalize = personalizeOf(ctx);
    if (!personalize) return recordedRecommender.create(ctx, props);
    const { recommenderArn } = await personalize.send(new CreateRecommenderCommand({
      name: nameOf(ctx, props),
      datasetGroupArn: props.DatasetGroupArn as string,
      recipeArn: props.RecipeArn as string,
      recommenderConfig: recommenderConfigOf(props.RecommenderConfig as Record<string, unknown> | undefined),
      tags: tagsOf(props),
    }));
    return created(recommenderArn!, async () => {
      await waitForActive(ctx, `recommender ${recommenderArn}`, recommenderArn!, async () =>
        (await personalize.send(new DescribeRecommenderCommand({ recommenderArn }))).recommender, RECOMMENDER_MAX_WAIT_MS);
      return recommenderResult(personalize, recommenderArn!);
    });
  },
  replaces: (old, props) => props.Name !== old.Name || props.DatasetGroupArn !== old.DatasetGroupArn || props.RecipeArn !== old.RecipeArn,
  async update(ctx, current, props) {
    const personalize = personalizeOf(ctx);
    if (!personalize || current.recorded) return recordedRecommender.update!(ctx, current, props);
    const recommenderArn = current.physicalId;
    const old = current.properties;
    if (!same(props.RecommenderConfig, old.RecommenderConfig)) {
      // A removed configuration is sent as the defaults: an absent member keeps its current value.
      await personalize.send(new UpdateRecommenderCommand({
        recommenderArn,
        recommenderConfig: recommenderConfigOf(props.RecommenderConfig as Record<string, unknown> | undefined)
          ?? { minRecommendationRequestsPerSecond: 1 },
      }));
      await waitForActive(ctx, `update of recommender ${recommenderArn}`, recommenderArn, async () =>
        (await personalize.send(new DescribeRecommenderCommand({ recommenderArn }))).recommender?.latestRecommenderUpdate);
    }
    await retag(personalize, recommenderArn, props, old);
    return recommenderResult(personalize, recommenderArn);
  },
  async delete(ctx, current) {
    const personalize = personalizeOf(ctx);
    if (!personalize || current.recorded) return;
    const recommenderArn = current.physicalId;
    await deleteAndWait(ctx, recommenderArn,
      () => personalize.send(new DeleteRecommenderCommand({ recommenderArn })),
      () => personalize.send(new DescribeRecommenderCommand({ recommenderArn })));
  },
};

/** Resource type → simulator. Replace the recorded entries with endpoint-backed ones as they are built. */
export const PERSONALIZE_SIMULATORS: Record<string, ResourceProvisioner> = {
  'AWS::Personalize::DatasetGroup': datasetGroup,
  'AWS::Personalize::Schema': schema,
  'AWS::Personalize::Dataset': dataset,
  'AWS::Personalize::Solution': recordedPersonalize('solution', 'SolutionArn'),
  'AWS::Personalize::Campaign': campaign,
  'AWS::Personalize::EventTracker': eventTracker,
  'AWS::Personalize::Filter': filter,
  'AWS::Personalize::MetricAttribution': metricAttribution,
  'AWS::Personalize::Recommender': recommender,
};
