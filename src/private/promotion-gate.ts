import { CfnOutput, CustomResource, Duration, Stack } from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';
import { CAMPAIGN_READY_RESOURCE_TYPE, CampaignReadyKeys, PROMOTION_GATE_RESOURCE_TYPE, PromotionGateAttributes, PromotionGateKeys } from './contract';
import { pascalCase } from './metrics';
import { PersonalizeProvider } from './provider';
import { PropsValidator } from './validation';

/** A promotion policy as callers without a type checker may pass it. */
interface PolicyInput {
  readonly metric?: unknown;
  readonly minImprovement?: number;
  readonly failDeployment?: unknown;
  readonly minValue?: number;
  readonly maxDropOnNewData?: number;
  readonly maxServedAge?: unknown;
}

/** The candidate when it is a version of this app: its solution, and the metrics it reports. */
interface CandidateInput {
  readonly solutionPath: string;
  readonly metricKeys: readonly string[];
}

/** Checks a campaign's promotion policy at synth. */
export function validatePromotion(v: PropsValidator, policy: PolicyInput, context: { sync: boolean; candidate?: CandidateInput }): void {
  const metricName = (policy.metric as { metricName?: unknown } | undefined)?.metricName;
  if (typeof metricName !== 'string') {
    v.fail('promotion.metric', policy.metric, 'must be an OfflineMetric, e.g. OfflineMetric.NDCG_AT_10');
  } else if (context.candidate && !context.candidate.metricKeys.includes(metricName)) {
    v.fail('promotion.metric', metricName,
      `must be a metric the versions of solution ${context.candidate.solutionPath} report (metrics: ${context.candidate.metricKeys.join(', ')})`);
  }
  v.number('promotion.minImprovement', policy.minImprovement);
  v.number('promotion.minValue', policy.minValue);
  v.number('promotion.maxDropOnNewData', policy.maxDropOnNewData, 0);
  const age = policy.maxServedAge as { toSeconds?: unknown; isUnresolved?: () => boolean; toHumanString?: () => string } | undefined;
  if (age !== undefined && (typeof age?.toSeconds !== 'function' || typeof age.isUnresolved !== 'function')) {
    v.fail('promotion.maxServedAge', policy.maxServedAge, 'must be a Duration, e.g. Duration.days(28)');
  } else if (age !== undefined && !age.isUnresolved!() && (age.toSeconds as (o?: object) => number)({ integral: false }) <= 0) {
    v.fail('promotion.maxServedAge', age.toHumanString!(), 'must be longer than 0');
  }
  if (age !== undefined && policy.maxDropOnNewData === undefined) {
    v.warn('promotion-max-age-unused', 'promotion.maxServedAge has no effect without maxDropOnNewData: on new data the newer version is served anyway');
  }
  v.boolean('promotion.failDeployment', policy.failDeployment);
  if (context.sync) {
    v.failCombination('promotion and syncWithLatestSolutionVersion exclude each other: with sync on, Personalize moves the campaign to every new version itself');
  }
}

/** What a campaign's promotion gate compares. */
export interface PromotionGateSpec {
  /** The newly trained version. */
  readonly candidateVersionArn: string;
  /** The candidate's construct: the gate waits for its whole training. */
  readonly candidate: IConstruct;
  /** The campaign's name, known at synth (the campaign refers to the gate, not the other way round). */
  readonly campaignName: string;
  /** The policy, validated. */
  readonly policy: {
    readonly metric: { readonly metricName: string };
    readonly minImprovement?: number;
    readonly failDeployment?: boolean;
    readonly minValue?: number;
    readonly maxDropOnNewData?: number;
    readonly maxServedAge?: Duration;
  };
}

/**
 * Decides at deploy time which version a campaign serves: `Custom::PersonalizePromotionGate`,
 * whose `ServedVersionArn` becomes the campaign's SolutionVersionArn.
 */
export class PromotionGate extends Construct {
  public readonly servedVersionArn: string;
  public readonly decision: string;
  public readonly reason: string;

  constructor(scope: Construct, id: string, spec: PromotionGateSpec) {
    super(scope, id);
    const stack = Stack.of(this);
    // From the name, not the campaign's ARN attribute: the campaign depends on the gate.
    const campaignArn = stack.formatArn({ service: 'personalize', resource: 'campaign', resourceName: spec.campaignName });
    const provider = PersonalizeProvider.of(this);
    provider.allow(['personalize:DescribeCampaign'], [campaignArn]);
    // The served version may belong to any solution the campaign served before.
    provider.allow(['personalize:GetSolutionMetrics', 'personalize:DescribeSolutionVersion'],
      [stack.formatArn({ service: 'personalize', resource: 'solution', resourceName: '*' })]);
    // What each version was trained on: the group's imports and event trackers (list actions take no resource).
    provider.allow(['personalize:ListDatasets', 'personalize:ListDatasetImportJobs', 'personalize:ListEventTrackers'], ['*']);

    const policy = spec.policy;
    const properties = {
      [PromotionGateKeys.CANDIDATE_VERSION_ARN]: spec.candidateVersionArn,
      [PromotionGateKeys.CAMPAIGN_ARN]: campaignArn,
      [PromotionGateKeys.METRIC]: policy.metric.metricName,
      [PromotionGateKeys.MIN_IMPROVEMENT]: policy.minImprovement ?? 0,
      [PromotionGateKeys.FAIL_DEPLOYMENT]: policy.failDeployment ?? false,
      [PromotionGateKeys.MIN_VALUE]: policy.minValue,
      [PromotionGateKeys.MAX_DROP_ON_NEW_DATA]: policy.maxDropOnNewData,
      [PromotionGateKeys.MAX_SERVED_AGE_SECONDS]: policy.maxServedAge?.toSeconds(),
    };
    // Before deciding, wait until no update of the campaign runs (e.g. a rollback's, which nothing
    // waited for): the gate must read the version the campaign really serves. Same properties as
    // the gate, so that it runs whenever the gate does.
    const settled = new CustomResource(this, 'CampaignSettled', {
      serviceToken: provider.serviceToken,
      resourceType: CAMPAIGN_READY_RESOURCE_TYPE,
      properties: { ...properties, [CampaignReadyKeys.BEFORE_GATE]: true },
    });
    const resource = new CustomResource(this, 'Resource', {
      serviceToken: provider.serviceToken,
      resourceType: PROMOTION_GATE_RESOURCE_TYPE,
      properties,
    });
    resource.node.addDependency(settled);
    // Compare only once the candidate's training has succeeded and its result was read. The
    // version resource itself is referenced already (cfn-lint W3005 on a second dependency).
    for (const child of spec.candidate.node.children) {
      if (child.node.id !== 'Resource') {
        settled.node.addDependency(child);
      }
    }

    const A = PromotionGateAttributes;
    this.servedVersionArn = resource.getAttString(A.SERVED_VERSION_ARN);
    this.decision = resource.getAttString(A.DECISION);
    this.reason = resource.getAttString(A.REASON);

    // `<campaign path>Promotion`, e.g. `ShopCampaignPromotion`: readable, and unique in the stack.
    const campaign = this.node.scope!;
    const label = campaign.node.scopes.slice(stack.node.scopes.length).map(s => pascalCase(s.node.id)).join('');
    new CfnOutput(campaign, 'Promotion', { value: this.reason, description: `Which version ${campaign.node.path} serves, and why` })
      .overrideLogicalId(`${label}Promotion`);
  }
}
