import { Annotations, Arn, ArnFormat, Duration, IResource, RemovalPolicy, Resource, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import { CfnRecommender } from 'aws-cdk-lib/aws-personalize';
import { Construct } from 'constructs';
import { DatasetGroup, DatasetGroupBase, IDatasetGroup } from './dataset-group';
import { Filter, IFilter } from './filter';
import { API_LIMITS, NAME_PATTERN } from './private/api-limits';
import { personalizeArnComponents, personalizeArnOf } from './private/arns';
import { personalizeMetric, PERSONALIZE_METRICS } from './private/cloudwatch';
import { isExploring, renderExploration, validateExploration } from './private/exploration';
import { groupIdentity, nameWithContentDigest } from './private/generated-names';
import { groupColumns } from './private/group-columns';
import { columnsAgainstSchemas, validateColumnLists } from './private/group-rules';
import { acknowledgeNewResourceType } from './private/new-resource-type';
import { RecommendationGrants } from './private/recommendation-grants';
import { applyRemovalPolicyAtSynth, checkRemovalPolicy, requireRetainedParent } from './private/removal';
import { renderColumns } from './private/solution-render';
import { checkKind, checkKnownKeys, checkReference, constructAt, describeValue } from './private/untyped';
import { formatProblems, PropsValidator } from './private/validation';
import { RecommenderUseCase } from './recommender-use-case';
import { DatasetColumns } from './solution-props';

const RECOMMENDATION_ACTIONS = ['personalize:GetRecommendations'];

/** The kind this construct is counted as on its dataset group (a per-group quota). */
const MEMBER_KIND = 'Recommender';

/** Recommenders per dataset group (the default quota). */
const RECOMMENDERS_PER_GROUP = 5;

/**
 * An Amazon Personalize recommender: serves one use case of a domain dataset group.
 */
export interface IRecommender extends IResource {
  /**
   * The ARN of the recommender.
   * @attribute
   */
  readonly recommenderArn: string;

  /**
   * The name of the recommender.
   * @attribute
   */
  readonly recommenderName: string;

  /** Grants `actions` on this recommender. */
  grant(grantee: iam.IGrantable, ...actions: string[]): iam.Grant;

  /** Grants asking the recommender for recommendations (`personalize:GetRecommendations`), with its filters. */
  grantGetRecommendations(grantee: iam.IGrantable): iam.Grant;

  /** Lets requests to this recommender use `filter`: its grant of recommendations covers the filter. */
  addFilter(filter: IFilter): void;

  /**
   * A CloudWatch metric of this recommender (namespace `AWS/Personalize`, dimension `RecommenderArn`).
   *
   * @param metricName e.g. `GetRecommendations`
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
 * Behaviour shared by owned and imported recommenders.
 */
export abstract class RecommenderBase extends Resource implements IRecommender {
  public abstract readonly recommenderArn: string;
  public abstract readonly recommenderName: string;

  private readonly recommendations = new RecommendationGrants(RECOMMENDATION_ACTIONS);

  public grant(grantee: iam.IGrantable, ...actions: string[]): iam.Grant {
    return iam.Grant.addToPrincipal({ grantee, actions, resourceArns: [this.recommenderArn] });
  }

  public grantGetRecommendations(grantee: iam.IGrantable): iam.Grant {
    return this.recommendations.grant(grantee, this.recommenderArn);
  }

  public addFilter(filter: IFilter): void {
    if (!filter || typeof (filter as IFilter).filterArn !== 'string') {
      throw new Error(`recommender at '${this.node.path}': a filter is ${describeValue(filter)}: must be an IFilter (a Filter, or Filter.fromFilterArn)`);
    }
    this.recommendations.addFilter(filter);
  }

  public metric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return personalizeMetric(this, { metricName }, { RecommenderArn: this.recommenderArn }, props);
  }

  public metricGetRecommendations(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return personalizeMetric(this, PERSONALIZE_METRICS.getRecommendations, { RecommenderArn: this.recommenderArn }, props);
  }

  public metricGetRecommendations4xxErrors(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return personalizeMetric(this, PERSONALIZE_METRICS.getRecommendations4xxErrors, { RecommenderArn: this.recommenderArn }, props);
  }

  public metricGetRecommendations5xxErrors(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return personalizeMetric(this, PERSONALIZE_METRICS.getRecommendations5xxErrors, { RecommenderArn: this.recommenderArn }, props);
  }

  public metricGetRecommendationsLatency(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return personalizeMetric(this, PERSONALIZE_METRICS.getRecommendationsLatency, { RecommenderArn: this.recommenderArn }, props);
  }
}

/**
 * Properties of a recommender.
 */
export interface RecommenderProps {
  /** The domain dataset group. Its domain must be the use case's. */
  readonly datasetGroup: IDatasetGroup;

  /** The use case, e.g. `RecommenderUseCase.RECOMMENDED_FOR_YOU`. */
  readonly useCase: RecommenderUseCase;

  /**
   * The name (1 to 63 characters). A new name, or a new use case, replaces the recommender.
   * @default - a name generated from the construct path and the use case
   */
  readonly recommenderName?: string;

  /**
   * The requests per second the recommender is provisioned for. It is billed for this minimum
   * whether it is used or not; Personalize scales above it on demand.
   * @default 1
   */
  readonly minRecommendationRequestsPerSecond?: number;

  /**
   * How much to recommend new items or items with few interactions (0 to 1), for use cases that
   * recommend for a user (Recommended for you, Top picks).
   * @default - Personalize's default (0.3)
   */
  readonly explorationWeight?: number;

  /**
   * How old an item may be to count for exploration (at least a day; fractions of days are kept).
   * @default - Personalize's default (30 days)
   */
  readonly explorationItemAgeCutOff?: Duration;

  /**
   * Whether recommendations can carry item metadata (billed extra).
   * @default false
   */
  readonly enableMetadataWithRecommendations?: boolean;

  /**
   * Dataset columns to leave out of training.
   * @default - every column is used
   */
  readonly excludedDatasetColumns?: DatasetColumns;

  /**
   * Filters requests to this recommender may use; its grant of recommendations covers them.
   * @default - none (more can be added later)
   */
  readonly filters?: IFilter[];

  /**
   * What happens to the recommender when the stack is deleted or a change replaces it. A
   * recommender is billed while it is active, so it is deleted by default; a retained one keeps
   * serving, and needs its dataset group retained too.
   * @default RemovalPolicy.DESTROY
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * An Amazon Personalize recommender for a domain dataset group.
 *
 * @resource AWS::Personalize::Recommender
 */
export class Recommender extends RecommenderBase {
  /** Imports a recommender of this stack's account and region by its name. */
  public static fromRecommenderName(scope: Construct, id: string, recommenderName: string): IRecommender {
    return Recommender.fromRecommenderArn(scope, id, personalizeArnOf(scope, 'recommender', recommenderName));
  }

  /** Imports a recommender by its ARN. */
  public static fromRecommenderArn(scope: Construct, id: string, recommenderArn: string): IRecommender {
    const name = Arn.split(recommenderArn, ArnFormat.SLASH_RESOURCE_NAME).resourceName!;
    class Import extends RecommenderBase {
      public readonly recommenderArn = recommenderArn;
      public readonly recommenderName = name;
    }
    return new Import(scope, id, { environmentFromArn: Token.isUnresolved(recommenderArn) ? undefined : recommenderArn });
  }

  public readonly recommenderArn: string;

  /** The name of the recommender. */
  public readonly recommenderName: string;

  /** The dataset group of the recommender. */
  public readonly datasetGroup: IDatasetGroup;

  /** The use case the recommender serves. */
  public readonly useCase: RecommenderUseCase;

  private removal?: RemovalPolicy;

  constructor(scope: Construct, id: string, props: RecommenderProps) {
    const at = constructAt('recommender', scope, id);
    checkKnownKeys(at, 'RecommenderProps', props);
    checkReference(`${at} datasetGroup`, props.datasetGroup, 'an IDatasetGroup', 'datasetGroupArn', 'new DatasetGroup(...) or DatasetGroup.fromDatasetGroupArn(...)');
    checkKnownKeys(`${at} excludedDatasetColumns`, 'DatasetColumns', props.excludedDatasetColumns);
    checkKind(`${at} explorationItemAgeCutOff`, props.explorationItemAgeCutOff, 'Duration', ['toDays', 'isUnresolved'], 'Duration.days(30)');
    super(scope, id, { physicalName: props.recommenderName });
    this.removal = checkRemovalPolicy(at, props.removalPolicy);
    if (!(props.useCase instanceof RecommenderUseCase)) {
      throw new Error(`recommender useCase at '${this.node.path}' is ${describeValue(props.useCase)}: must be a RecommenderUseCase, e.g. RecommenderUseCase.RECOMMENDED_FOR_YOU`);
    }
    this.datasetGroup = props.datasetGroup;
    if (props.datasetGroup instanceof DatasetGroupBase) {
      props.datasetGroup._registerMember(MEMBER_KIND, this);
    }
    this.useCase = props.useCase;
    this.validate(props);
    this.node.addValidation({ validate: () => this.validateQuota() });
    this.node.addValidation({ validate: () => this.validateColumns(props) });

    const name = props.recommenderName ?? nameWithContentDigest(this, `${groupIdentity(props.datasetGroup)}\n${props.useCase.recipeName}`, API_LIMITS.nameMaxLength);
    const resource = new CfnRecommender(this, 'Resource', {
      name,
      datasetGroupArn: props.datasetGroup.datasetGroupArn,
      recipeArn: props.useCase.recipeArn,
      recommenderConfig: {
        minRecommendationRequestsPerSecond: props.minRecommendationRequestsPerSecond ?? 1,
        itemExplorationConfig: renderExploration(props),
        enableMetadataWithRecommendations: props.enableMetadataWithRecommendations,
        trainingDataConfig: props.excludedDatasetColumns ? { excludedDatasetColumns: renderColumns(props.excludedDatasetColumns) } : undefined,
      },
    });
    // A recommender trains when it is created, on the group's imported data: create it after the
    // datasets and their imports (delete it before them).
    if (props.datasetGroup instanceof DatasetGroupBase) {
      resource.node.addDependency(...props.datasetGroup._datasetDependables(), ...props.datasetGroup._importDependables());
    }
    acknowledgeNewResourceType(resource, true);
    this.recommenderArn = this.getResourceArnAttribute(resource.attrRecommenderArn, personalizeArnComponents(this, 'recommender', name));
    this.recommenderName = name;
    for (const filter of props.filters ?? []) {
      this.addFilter(filter);
    }
    applyRemovalPolicyAtSynth(this, () => this.removalPolicy, () => [resource]);
    const group = props.datasetGroup instanceof DatasetGroup ? props.datasetGroup : undefined;
    requireRetainedParent(this, 'recommender', () => this.removalPolicy, () => group && {
      what: 'dataset group', path: group.node.path, policy: group.removalPolicy, why: 'Personalize deletes a dataset group only once its recommenders are gone',
    });
  }

  /** What happens to the recommender when the stack is deleted or a change replaces it: the removal policy prop, or its default. */
  public get removalPolicy(): RemovalPolicy {
    return this.removal ?? RemovalPolicy.DESTROY;
  }

  /** Sets what happens to the recommender when the stack is deleted or a change replaces it. */
  public applyRemovalPolicy(policy: RemovalPolicy): void {
    this.removal = checkRemovalPolicy(`recommender at '${this.node.path}'`, policy);
  }

  public addFilter(filter: IFilter): void {
    const problem = filterProblem(filter, this.datasetGroup, this.useCase);
    if (problem) {
      throw new Error(`recommender at '${this.node.path}': ${problem}`);
    }
    super.addFilter(filter);
  }

  private validate(props: RecommenderProps): void {
    const v = new PropsValidator(this, 'recommender');
    v.string('recommenderName', props.recommenderName, { minLength: 1, maxLength: API_LIMITS.nameMaxLength, pattern: NAME_PATTERN });
    v.integer('minRecommendationRequestsPerSecond', props.minRecommendationRequestsPerSecond, 1);
    const tps = props.minRecommendationRequestsPerSecond;
    if (tps !== undefined && !Token.isUnresolved(tps) && tps > 1) {
      v.warn('recommender-min-rps', `minRecommendationRequestsPerSecond is ${tps}: the recommender is billed for this throughput whether it is used or not, and Personalize scales above the minimum on demand anyway`);
    }
    if (props.excludedDatasetColumns !== undefined) {
      v.warn('recommender-columns-retrain', 'excludedDatasetColumns: a later change of these columns updates the recommender in place, and ' +
        'Personalize then starts a full retraining of its models, which is billed; the recommender serves with the previous columns until it ends');
    }
    validateExploration(v, props);
    const useCase = props.useCase;
    validateColumnLists(v, 'excludedDatasetColumns', props.excludedDatasetColumns, useCase.domain);
    if (isExploring(props) && useCase._itemExploration === false) {
      v.failCombination(`explorationWeight and explorationItemAgeCutOff are for use cases that recommend for a user (Recommended for you, Top picks); ${useCase.recipeName} has no item exploration`);
    }
    const domain = props.datasetGroup.domain;
    if (domain === undefined && !(props.datasetGroup instanceof DatasetGroup)) {
      v.warn('recommender-domain-unchecked', `the dataset group ${props.datasetGroup.node.path} is imported without its domain: whether it is a ${useCase.domain} dataset group is not checked`);
    } else if (domain === undefined) {
      v.failCombination(`dataset group ${props.datasetGroup.node.path} is not a domain dataset group (no domain): recommenders serve ${useCase.domain} use cases of a domain dataset group; for a custom dataset group, train a Solution and serve it with a Campaign`);
    } else if (domain !== useCase.domain) {
      v.failCombination(`use case ${useCase.recipeName} is of domain ${useCase.domain}, but dataset group ${props.datasetGroup.node.path} is ${domain}`);
    }
    // Filters are checked with the rest, before any child exists.
    if (props.filters !== undefined && !Array.isArray(props.filters)) {
      v.fail('filters', props.filters, 'must be a list of filters');
    }
    for (const filter of Array.isArray(props.filters) ? props.filters : []) {
      const problem = filterProblem(filter, props.datasetGroup, useCase);
      if (problem) v.failCombination(problem);
    }
    v.throwIfInvalid();
  }

  private validateColumns(props: RecommenderProps): string[] {
    const group = this.datasetGroup;
    if (props.excludedDatasetColumns === undefined) {
      return [];
    }
    if (!(group instanceof DatasetGroup)) {
      Annotations.of(this).addWarningV2('cdk-personalize:recommender-columns-unchecked',
        `the dataset group ${group.node.path} is imported: excludedDatasetColumns is not checked against its schemas`);
      return [];
    }
    const problems = columnsAgainstSchemas('excludedDatasetColumns', props.excludedDatasetColumns, groupColumns(this, group), group.node.path);
    return problems.length ? [formatProblems('recommender', this, problems)] : [];
  }

  private validateQuota(): string[] {
    const group = this.datasetGroup;
    const siblings = group instanceof DatasetGroupBase ? group._membersOf(MEMBER_KIND) : [this];
    if (siblings[0] === this && siblings.length > RECOMMENDERS_PER_GROUP) {
      return [formatProblems('recommender', this, [
        `dataset group ${this.datasetGroup.node.path} has ${siblings.length} recommenders (${siblings.map(r => r.node.path).join(', ')}): the quota is ${RECOMMENDERS_PER_GROUP} per dataset group`,
      ])];
    }
    return [];
  }
}

/** Why `filter` cannot filter a recommender of `group` serving `useCase`, if it cannot. */
function filterProblem(filter: IFilter, group: IDatasetGroup, useCase: RecommenderUseCase): string | undefined {
  if (!filter || typeof (filter as IFilter).filterArn !== 'string') {
    return `a filter is ${describeValue(filter)}: must be an IFilter (a Filter, or Filter.fromFilterArn)`;
  }
  // A filter of another dataset group cannot filter this recommender's recommendations.
  if (filter instanceof Filter && filter.datasetGroup !== group) {
    return `filter ${filter.node.path} belongs to dataset group ${filter.datasetGroup.node.path}, not ${group.node.path}`;
  }
  // Filtering recommenders: CurrentItem is only known when the request names an item.
  if (filter instanceof Filter && filter.usesCurrentItem && useCase._relatedItems === false) {
    return `filter ${filter.node.path} uses CurrentItem, which only use cases of related items have (requests with an itemId: `
      + `FREQUENTLY_BOUGHT_TOGETHER, CUSTOMERS_WHO_VIEWED_X_ALSO_VIEWED, BECAUSE_YOU_WATCHED_X, MORE_LIKE_X); ${useCase.recipeName} has none`;
  }
  return undefined;
}
