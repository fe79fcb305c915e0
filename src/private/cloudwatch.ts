import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { TRAINING_METRICS_DIMENSION, TRAINING_METRICS_NAMESPACE } from './contract';

/** Personalize's CloudWatch namespace. */
export const NAMESPACE = 'AWS/Personalize';

/**
 * The metrics the `metric*()` methods return, as Personalize's "CloudWatch metrics" page lists them.
 * Open [U]: whether a metric listed with two dimensions (SolutionArn, SolutionVersionArn) is also
 * published with SolutionArn alone, which the solution's methods use; and the names of the
 * GetRecommendations error and latency metrics, which the page spells out for
 * GetPersonalizedRanking; and whether a recommender's calls are published by RecommenderArn, as
 * its methods assume. A real-account test settles both by listing the namespace's metrics
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

/** `metric` of Personalize's namespace with `dimensions`, every 5 minutes; the caller's options win. */
export function personalizeMetric(metric: MetricFacts, dimensions: Record<string, string>, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
  return new cloudwatch.Metric({ namespace: NAMESPACE, dimensionsMap: dimensions, period: Duration.minutes(5), ...metric, ...props });
}

/**
 * A metric the training result publishes (one data point per trained version), maximum per hour;
 * the caller's options win.
 */
export function trainingMetric(metricName: string, solutionArn: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: TRAINING_METRICS_NAMESPACE,
    metricName,
    dimensionsMap: { [TRAINING_METRICS_DIMENSION]: solutionArn },
    statistic: cloudwatch.Stats.MAXIMUM,
    period: Duration.hours(1),
    ...props,
  });
}
