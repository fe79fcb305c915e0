import { Duration, IResource, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { IConstruct } from 'constructs';
import { TRAINING_METRICS_DIMENSION, TRAINING_METRICS_NAMESPACE, TRAINING_METRICS_PATH_DIMENSION } from './contract';

/** Personalize's CloudWatch namespace. */
export const NAMESPACE = 'AWS/Personalize';

/**
 * The metrics the `metric*()` methods return, as Personalize's "CloudWatch metrics" page lists them.
 * Open [U]: whether a metric listed with two dimensions (SolutionArn, SolutionVersionArn) is also
 * published with SolutionArn alone (the solution's training-job methods query the documented pair
 * with Metrics Insights, which has data either way, and `metric(name)` stays by SolutionArn alone);
 * the names of the GetRecommendations error and latency metrics, which the page spells out for
 * GetPersonalizedRanking; and whether a recommender's calls are published by RecommenderArn, as
 * its methods assume. A real-account test settles them by listing the namespace's metrics
 * (`cloudwatch list-metrics --namespace AWS/Personalize`) after a training and a recommendation.
 */
export const PERSONALIZE_METRICS = {
  trainingJobRequests: { metricName: 'SolutionTrainingJobRequests', statistic: 'Sum' },
  trainingJobErrors: { metricName: 'SolutionTrainingJobError', statistic: 'Sum' },
  trainingJobExecutionTime: { metricName: 'SolutionTrainingJobExecutionTime', statistic: 'Average', unit: cloudwatch.Unit.SECONDS },
  datasetImportJobRequests: { metricName: 'DatasetImportJobRequests', statistic: 'Sum' },
  datasetImportJobErrors: { metricName: 'DatasetImportJobError', statistic: 'Sum' },
  datasetImportJobExecutionTime: { metricName: 'DatasetImportJobExecutionTime', statistic: 'Average', unit: cloudwatch.Unit.SECONDS },
  getRecommendations: { metricName: 'GetRecommendations', statistic: 'Sum' },
  getRecommendations4xxErrors: { metricName: 'GetRecommendations4xxErrors', statistic: 'Sum' },
  getRecommendations5xxErrors: { metricName: 'GetRecommendations5xxErrors', statistic: 'Sum' },
  getRecommendationsLatency: { metricName: 'GetRecommendationsLatency', statistic: 'Average', unit: cloudwatch.Unit.MILLISECONDS },
} as const;

/** A metric by name, with its default statistic and unit. */
export interface MetricFacts {
  readonly metricName: string;
  readonly statistic?: string;
  readonly unit?: cloudwatch.Unit;
}

/**
 * The account and region of `resource` where they differ from its stack's (an imported resource of
 * another environment), for the metric to read them there; undefined members where they do not.
 */
function otherEnvironment(resource: IResource): { account?: string; region?: string } {
  const stack = Stack.of(resource);
  const differs = (value: string, own: string) => !Token.isUnresolved(value) && value !== own;
  return {
    account: differs(resource.env.account, stack.account) ? resource.env.account : undefined,
    region: differs(resource.env.region, stack.region) ? resource.env.region : undefined,
  };
}

/**
 * `metric` of Personalize's namespace with `dimensions`, every 5 minutes, in the resource's account
 * and region and attached to its stack; the caller's options win.
 */
export function personalizeMetric(
  resource: IResource, metric: MetricFacts, dimensions: Record<string, string>, props?: cloudwatch.MetricOptions,
): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: NAMESPACE, dimensionsMap: dimensions, period: Duration.minutes(5), ...otherEnvironment(resource), ...metric, ...props,
  }).attachTo(resource);
}

/**
 * A metric the training result publishes (one data point per trained version), maximum per hour;
 * the caller's options win.
 */
export function trainingMetric(
  resource: IResource, metricName: string, dimension: TrainingMetricDimension, props?: cloudwatch.MetricOptions,
): cloudwatch.Metric {
  return new cloudwatch.Metric({
    ...otherEnvironment(resource),
    namespace: TRAINING_METRICS_NAMESPACE,
    metricName,
    dimensionsMap: 'solutionPath' in dimension
      ? { [TRAINING_METRICS_PATH_DIMENSION]: dimension.solutionPath }
      : { [TRAINING_METRICS_DIMENSION]: dimension.solutionArn },
    statistic: cloudwatch.Stats.MAXIMUM,
    period: Duration.hours(1),
    ...props,
  }).attachTo(resource);
}

/**
 * A training-job metric of one solution over all its versions: Personalize publishes these by
 * SolutionArn and SolutionVersionArn, and a CloudWatch metric is identified by its whole dimension
 * set, so a plain metric by SolutionArn would stay empty. A Metrics Insights query aggregates every
 * version's series (usable in graphs and alarms; it reads the last 3 hours).
 */
export function solutionTrainingJobMetric(
  resource: IResource, metric: MetricFacts, solutionArn: string, props?: cloudwatch.MathExpressionOptions,
): cloudwatch.IMetric {
  const aggregate = metric.statistic === 'Sum' ? 'SUM' : 'AVG';
  const env = otherEnvironment(resource);
  return new cloudwatch.MathExpression({
    searchAccount: env.account,
    searchRegion: env.region,
    expression: `SELECT ${aggregate}(${metric.metricName}) FROM SCHEMA("${NAMESPACE}", SolutionArn, SolutionVersionArn) WHERE SolutionArn = '${solutionArn}'`,
    label: metric.metricName,
    period: Duration.minutes(5),
    ...props,
  });
}

/** Which series of the training results a solution's metrics read: by path (owned) or by ARN (imported). */
export type TrainingMetricDimension = { readonly solutionPath: string } | { readonly solutionArn: string };

/**
 * `<stack name>/<construct path below the stack>` of an owned solution: what its training results
 * are dimensioned by, so that a replacement (a new ARN) keeps the series. At most 255 characters.
 */
export function solutionPathOf(solution: IConstruct): string {
  const stack = Stack.of(solution);
  const below = solution.node.scopes.slice(stack.node.scopes.length).map(s => s.node.id).join('/');
  const path = `${stack.stackName}/${below}`;
  return path.length <= 255 ? path : `${path.slice(0, 120)}...${path.slice(path.length - 120)}`;
}
