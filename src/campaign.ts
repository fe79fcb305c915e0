import { Arn, ArnFormat, CustomResource, IResource, Names, RemovalPolicy, Resource, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import { CfnCampaign } from 'aws-cdk-lib/aws-personalize';
import { Construct } from 'constructs';
import { CampaignProps } from './campaign-props';
import { Filter, IFilter } from './filter';
import { API_LIMITS, NAME_PATTERN } from './private/api-limits';
import { personalizeArnComponents, personalizeArnOf } from './private/arns';
import { CampaignReady } from './private/campaign-ready';
import { PERSONALIZE_METRICS, personalizeMetric } from './private/cloudwatch';
import { isExploring, renderExploration, validateExploration } from './private/exploration';
import { warnAboveGroupQuota } from './private/group-quota';
import { acknowledgeNewResourceType } from './private/new-resource-type';
import { ownedSolutionOf, reportedMetricKeys } from './private/owned-solution';
import { PromotionGate, validatePromotion } from './private/promotion-gate';
import { CAMPAIGN_RECOMMENDATION_ACTIONS, RecommendationGrants } from './private/recommendation-grants';
import { applyRemovalPolicyAtSynth, checkRemovalPolicy, requireRetainedParent } from './private/removal';
import { checkKnownKeys, checkReference, constructAt } from './private/untyped';
import { PropsValidator } from './private/validation';
import { Recipe, RecipeType } from './recipe';
import { Solution } from './solution';
import { SolutionVersion } from './solution-version';
import { ISolutionVersion } from './solution-version-base';

/** Active campaigns per dataset group (the quotas page; adjustable, so a warning). */
const CAMPAIGNS_PER_GROUP = 5;

/**
 * An Amazon Personalize campaign: a deployed solution version that serves real-time recommendations.
 */
export interface ICampaign extends IResource {
  /**
   * The ARN of the campaign.
   * @attribute
   */
  readonly campaignArn: string;

  /**
   * The name of the campaign.
   * @attribute
   */
  readonly campaignName: string;

  /**
   * Grants `actions` on this campaign.
   */
  grant(grantee: iam.IGrantable, ...actions: string[]): iam.Grant;

  /**
   * Grants getting recommendations and personalized rankings from this campaign, with the
   * filters it is used with.
   */
  grantGetRecommendations(grantee: iam.IGrantable): iam.Grant;

  /** Lets requests to this campaign use `filter`: its grant of recommendations covers the filter. */
  addFilter(filter: IFilter): void;

  /**
   * A CloudWatch metric of this campaign (namespace `AWS/Personalize`, dimension `CampaignArn`).
   *
   * @param metricName e.g. `GetPersonalizedRanking`
   */
  metric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric;

  /** Successful GetRecommendations calls, sum per 5 minutes. */
  metricGetRecommendations(props?: cloudwatch.MetricOptions): cloudwatch.Metric;

  /** GetRecommendations calls answered with a 4xx status, sum per 5 minutes. */
  metricGetRecommendations4xxErrors(props?: cloudwatch.MetricOptions): cloudwatch.Metric;

  /** GetRecommendations calls answered with a 5xx status, sum per 5 minutes. */
  metricGetRecommendations5xxErrors(props?: cloudwatch.MetricOptions): cloudwatch.Metric;

  /** Milliseconds a GetRecommendations call took, average per 5 minutes. */
  metricGetRecommendationsLatency(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
}

/**
 * Behaviour shared by owned and imported campaigns.
 */
export abstract class CampaignBase extends Resource implements ICampaign {
  public abstract readonly campaignArn: string;
  public abstract readonly campaignName: string;

  private readonly recommendations = new RecommendationGrants(CAMPAIGN_RECOMMENDATION_ACTIONS);

  public grant(grantee: iam.IGrantable, ...actions: string[]): iam.Grant {
    return iam.Grant.addToPrincipal({ grantee, actions, resourceArns: [this.campaignArn] });
  }

  public grantGetRecommendations(grantee: iam.IGrantable): iam.Grant {
    return this.recommendations.grant(grantee, this.campaignArn);
  }

  /**
   * Lets requests to this campaign use `filter`: the campaign's grant of recommendations covers it,
   * also for grants made before.
   */
  public addFilter(filter: IFilter): void {
    this.recommendations.addFilter(filter);
  }

  public metric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return personalizeMetric(this, { metricName }, { CampaignArn: this.campaignArn }, props);
  }

  public metricGetRecommendations(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return personalizeMetric(this, PERSONALIZE_METRICS.getRecommendations, { CampaignArn: this.campaignArn }, props);
  }

  public metricGetRecommendations4xxErrors(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return personalizeMetric(this, PERSONALIZE_METRICS.getRecommendations4xxErrors, { CampaignArn: this.campaignArn }, props);
  }

  public metricGetRecommendations5xxErrors(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return personalizeMetric(this, PERSONALIZE_METRICS.getRecommendations5xxErrors, { CampaignArn: this.campaignArn }, props);
  }

  public metricGetRecommendationsLatency(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return personalizeMetric(this, PERSONALIZE_METRICS.getRecommendationsLatency, { CampaignArn: this.campaignArn }, props);
  }
}

/**
 * An Amazon Personalize campaign over a solution version.
 *
 * The campaign is created once the version's training has succeeded. Its ARN attribute is
 * available to dependents only once the campaign serves what the template asks for: a deploy that
 * moves it to a new version waits until Personalize's update of the campaign is ACTIVE.
 *
 * @resource AWS::Personalize::Campaign
 */
export class Campaign extends CampaignBase {
  /** Imports a campaign of this stack's account and region by its name. */
  public static fromCampaignName(scope: Construct, id: string, campaignName: string): ICampaign {
    return Campaign.fromCampaignArn(scope, id, personalizeArnOf(scope, 'campaign', campaignName));
  }

  /** Imports a campaign by its ARN. */
  public static fromCampaignArn(scope: Construct, id: string, campaignArn: string): ICampaign {
    const name = Arn.split(campaignArn, ArnFormat.SLASH_RESOURCE_NAME).resourceName!;
    class Import extends CampaignBase {
      public readonly campaignArn = campaignArn;
      public readonly campaignName = name;
    }
    return new Import(scope, id, { environmentFromArn: Token.isUnresolved(campaignArn) ? undefined : campaignArn });
  }

  public readonly campaignArn: string;
  public readonly campaignName: string;

  /** The solution version the campaign was created with. */
  public readonly solutionVersion: ISolutionVersion;

  /** The recipe, when known. */
  public readonly recipe?: Recipe;

  /**
   * The version the campaign serves: with a promotion policy, the one its gate chose at deploy time.
   * @attribute
   */
  public readonly servedSolutionVersionArn: string;

  /**
   * With a promotion policy, what the gate decided: `FIRST`, `PROMOTED`, `KEPT`, `UNCHANGED` or
   * `RESTORED` (a rollback); undefined without one.
   * @attribute
   */
  public readonly promotionDecision?: string;

  /**
   * With a promotion policy, the decision in a sentence with both versions' values.
   * @attribute
   */
  public readonly promotionReason?: string;

  private removal?: RemovalPolicy;

  constructor(scope: Construct, id: string, props: CampaignProps) {
    const at = constructAt('campaign', scope, id);
    checkKnownKeys(at, 'CampaignProps', props);
    checkReference(`${at} solutionVersion`, props.solutionVersion, 'an ISolutionVersion', 'solutionVersionArn', 'solution.addVersion(...) or SolutionVersion.fromSolutionVersionArn(...)');
    super(scope, id, { physicalName: props.campaignName });
    this.removal = checkRemovalPolicy(at, props.removalPolicy);

    const owned = props.solutionVersion instanceof SolutionVersion ? props.solutionVersion : undefined;
    this.solutionVersion = props.solutionVersion;
    this.recipe = props.recipe ?? props.solutionVersion.solution?.recipe;
    this.validate(props, owned);

    const sync = props.syncWithLatestSolutionVersion ?? false;
    const influence = props.rankingInfluence;
    const rankingInfluence: Record<string, number> = {};
    if (influence?.freshness !== undefined) {
      rankingInfluence.FRESHNESS = influence.freshness;
    }
    if (influence?.popularity !== undefined) {
      rankingInfluence.POPULARITY = influence.popularity;
    }
    const campaignConfig: CfnCampaign.CampaignConfigProperty = {
      itemExplorationConfig: renderExploration(props),
      enableMetadataWithRecommendations: props.enableMetadataWithRecommendations,
      syncWithLatestSolutionVersion: props.syncWithLatestSolutionVersion,
      rankingInfluence: Object.keys(rankingInfluence).length > 0 ? rankingInfluence : undefined,
    };
    const hasConfig = Object.values(campaignConfig).some(value => value !== undefined);

    const name = props.campaignName ?? Names.uniqueResourceName(this, { maxLength: API_LIMITS.nameMaxLength });
    const gate = props.promotion && new PromotionGate(this, 'PromotionGate', {
      policy: props.promotion, candidateVersionArn: props.solutionVersion.solutionVersionArn, candidate: props.solutionVersion, campaignName: name,
    });
    // With sync on, Personalize wants the solution, which it reads as "its latest version".
    this.servedSolutionVersionArn = gate?.servedVersionArn
      ?? (sync && owned ? `${owned.solution.solutionArn}/$LATEST` : props.solutionVersion.solutionVersionArn);
    const resource = new CfnCampaign(this, 'Resource', {
      name,
      solutionVersionArn: this.servedSolutionVersionArn,
      minProvisionedTps: props.minProvisionedTps ?? 1,
      campaignConfig: hasConfig ? campaignConfig : undefined,
    });
    acknowledgeNewResourceType(resource, true);
    // A campaign can only be created over a trained version: wait for the whole training, not only
    // for the version's ARN.
    resource.node.addDependency(props.solutionVersion);

    // CloudFormation returns from a campaign update at once: dependents wait until it is ACTIVE.
    const ready = new CampaignReady(this, 'Ready', resource, name, props.promotion !== undefined);
    this.campaignArn = this.getResourceArnAttribute(ready.campaignArn, personalizeArnComponents(this, 'campaign', name));
    applyRemovalPolicyAtSynth(this, () => this.removalPolicy, () => [resource, ready.node.defaultChild as CustomResource]);
    const solution = props.solutionVersion.solution;
    warnAboveGroupQuota(this, solution instanceof Solution ? solution.datasetGroup : undefined, 'Campaign', CAMPAIGNS_PER_GROUP);
    const solutionPolicy = solution && ownedSolutionOf(solution)?.removalPolicy;
    requireRetainedParent(this, 'campaign', () => this.removalPolicy, () => solutionPolicy && {
      what: 'solution', path: solution.node.path, policy: solutionPolicy(), why: 'Personalize deletes a solution only once no campaign serves it',
    });
    this.campaignName = name;
    this.promotionDecision = gate?.decision;
    this.promotionReason = gate?.reason;
    for (const filter of props.filters ?? []) {
      this.addFilter(filter);
    }
  }

  /** What happens to the campaign when the stack is deleted or a change replaces it: the removal policy prop, or its default. */
  public get removalPolicy(): RemovalPolicy {
    return this.removal ?? RemovalPolicy.DESTROY;
  }

  /** Sets what happens to the campaign when the stack is deleted or a change replaces it. */
  public applyRemovalPolicy(policy: RemovalPolicy): void {
    this.removal = checkRemovalPolicy(`campaign at '${this.node.path}'`, policy);
  }

  public addFilter(filter: IFilter): void {
    if (!filter || typeof (filter as IFilter).filterArn !== 'string') {
      throw new Error(`campaign at '${this.node.path}': a filter is ${typeof filter}: must be an IFilter (a Filter, or Filter.fromFilterArn)`);
    }
    // CurrentItem is only known for recommendations of related items.
    const recipe = this.recipe;
    if (filter instanceof Filter && filter.usesCurrentItem && recipe?.catalogued && recipe.recipeType?.name !== RecipeType.RELATED_ITEMS.name) {
      throw new Error(`campaign at '${this.node.path}': filter ${filter.node.path} uses CurrentItem, which only recipes of related items (RELATED_ITEMS) have; recipe ${recipe.recipeName} is ${recipe.recipeType?.name ?? 'of no known type'}`);
    }
    super.addFilter(filter);
  }

  private validate(props: CampaignProps, owned: SolutionVersion | undefined): void {
    const v = new PropsValidator(this, 'campaign');
    v.string('campaignName', props.campaignName, { minLength: 1, maxLength: API_LIMITS.nameMaxLength, pattern: NAME_PATTERN });
    v.integer('minProvisionedTps', props.minProvisionedTps, 1);
    if (props.minProvisionedTps !== undefined && !Token.isUnresolved(props.minProvisionedTps) && props.minProvisionedTps > 1) {
      v.warn('campaign-min-tps', `minProvisionedTps is ${props.minProvisionedTps}: the campaign is billed by the hour for this throughput whether it is used or not, and Personalize scales above the minimum on demand anyway`);
    }
    validateExploration(v, props);
    if (props.rankingInfluence !== undefined) {
      checkKnownKeys(`campaign at '${this.node.path}' rankingInfluence`, 'RankingInfluence', props.rankingInfluence);
      v.number('rankingInfluence.freshness', props.rankingInfluence.freshness, 0, 1);
      v.number('rankingInfluence.popularity', props.rankingInfluence.popularity, 0, 1);
      const recipe = this.recipe;
      if (recipe?.catalogued && recipe.recipeName !== Recipe.SEMANTIC_SIMILARITY.recipeName) {
        v.failCombination(`rankingInfluence is only for recipe ${Recipe.SEMANTIC_SIMILARITY.recipeName}; recipe ${recipe.recipeName} has none`);
      }
    }
    if (props.filters !== undefined && !Array.isArray(props.filters)) {
      v.fail('filters', props.filters, 'must be a list of filters');
    }
    const exploring = isExploring(props);
    const recipe = this.recipe;
    if (exploring && recipe && !recipe.supportsItemExploration) {
      if (recipe.catalogued) {
        v.failCombination(`explorationWeight and explorationItemAgeCutOff need a recipe with item exploration; recipe ${recipe.recipeName} has none`);
      } else {
        v.warn('campaign-exploration-unchecked', `recipe ${recipe.recipeName} is not in the catalogue: item exploration settings are sent unchecked`);
      }
    } else if (exploring && !recipe) {
      v.warn('campaign-exploration-unchecked', 'the recipe is unknown: import the version with SolutionVersion.fromSolutionVersionAttributes ' +
        'and a solution that knows its recipe, to check that it supports item exploration');
    }

    if (props.promotion !== undefined) {
      checkKnownKeys(`campaign at '${this.node.path}' promotion`, 'PromotionPolicy', props.promotion);
      const candidate = owned && { solutionPath: owned.solution.node.path, metricKeys: reportedMetricKeys(owned.solution) };
      validatePromotion(v, props.promotion, { sync: props.syncWithLatestSolutionVersion ?? false, candidate });
    }
    if (props.syncWithLatestSolutionVersion && !owned) {
      v.fail('syncWithLatestSolutionVersion', true, 'needs a SolutionVersion of this app as solutionVersion: the campaign then refers to its solution');
    }
    v.throwIfInvalid();
  }
}
