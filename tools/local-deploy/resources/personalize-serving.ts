/** Campaigns, event trackers, filters, metric attributions and recommenders. */
import {
  CampaignConfig, CreateCampaignCommand, CreateEventTrackerCommand, CreateFilterCommand, DeleteEventTrackerCommand, DeleteFilterCommand,
  DescribeEventTrackerCommand, DescribeFilterCommand, DeleteCampaignCommand, DescribeCampaignCommand, PersonalizeClient,
  CreateMetricAttributionCommand, DeleteMetricAttributionCommand, DescribeMetricAttributionCommand, MetricAttributionOutput,
  UpdateMetricAttributionCommand, TagResourceCommand, UntagResourceCommand, UpdateCampaignCommand, CreateRecommenderCommand,
  DeleteRecommenderCommand, DescribeRecommenderCommand, RecommenderConfig, UpdateRecommenderCommand,
} from '@aws-sdk/client-personalize';
import {
  personalizeOf, recordedPersonalize, created, waitForActive, deleteAndWait, tagsOf, nameOf, same, iso, num, bool,
} from './personalize-common';
import type { ResourceProvisioner, ResourceResult } from '../protocol/resources';

const recordedCampaign = recordedPersonalize('campaign', 'CampaignArn', ctx => {
  const now = new Date(ctx.services.clock.now()).toISOString();
  return { Status: 'ACTIVE', CreationDateTime: now, LastUpdatedDateTime: now };
});

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

export const campaign: ResourceProvisioner = {
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


export const eventTracker: ResourceProvisioner = {
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

export const filter: ResourceProvisioner = {
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

export const metricAttribution: ResourceProvisioner = {
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

export const recommender: ResourceProvisioner = {
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
