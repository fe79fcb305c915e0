import { IResource, Resource } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import { OfflineMetric } from './offline-metric';
import { SOLUTION_LIST_ACTIONS } from './private/actions';
import { PERSONALIZE_METRICS, personalizeMetric, solutionPathOf, solutionTrainingJobMetric, trainingMetric, TrainingMetricDimension } from './private/cloudwatch';
import { TRAINING_HOURS_METRIC } from './private/contract';
import { ownedSolutionOf } from './private/owned-solution';
import { Recipe } from './recipe';

/**
 * An Amazon Personalize solution: a recipe and its configuration, trained into solution versions.
 */
export interface ISolution extends IResource {
  /**
   * The ARN of the solution.
   * @attribute
   */
  readonly solutionArn: string;

  /**
   * The name of the solution.
   * @attribute
   */
  readonly solutionName: string;

  /**
   * The recipe the solution uses, when known.
   */
  readonly recipe?: Recipe;

  /**
   * Grants `actions` on this solution and its versions.
   */
  grant(grantee: iam.IGrantable, ...actions: string[]): iam.Grant;

  /**
   * Grants reading the solution, its versions and their metrics.
   */
  grantRead(grantee: iam.IGrantable): iam.Grant;

  /**
   * A CloudWatch metric of this solution (namespace `AWS/Personalize`, dimension `SolutionArn`).
   *
   * @param metricName e.g. `SolutionTrainingJobExecutionTime`
   */
  metric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric;

  /**
   * Seconds from the start of a training to its end, average per 5 minutes over all versions: a
   * Metrics Insights query, since Personalize publishes the metric per version.
   */
  metricTrainingJobExecutionTime(props?: cloudwatch.MathExpressionOptions): cloudwatch.IMetric;

  /** Trainings started (successful CreateSolutionVersion calls), sum per 5 minutes over all versions (a Metrics Insights query). */
  metricTrainingJobRequests(props?: cloudwatch.MathExpressionOptions): cloudwatch.IMetric;

  /** Trainings that failed, sum per 5 minutes over all versions (a Metrics Insights query). */
  metricTrainingJobErrors(props?: cloudwatch.MathExpressionOptions): cloudwatch.IMetric;

  /**
   * An offline metric of each version trained by this library, one data point per training at the
   * time it ended (namespace `CdkPersonalize`), maximum per hour. A solution of this app is read by
   * dimension `SolutionPath` (its stack and construct path), so the series survives a replacement of
   * the solution; an imported one by `SolutionArn`.
   */
  metricOffline(metric: OfflineMetric, props?: cloudwatch.MetricOptions): cloudwatch.Metric;

  /** The billed training hours of each version trained by this library (namespace `CdkPersonalize`), maximum per hour. */
  metricBilledTrainingHours(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
}

/** Actions that read a solution and its versions. */
const READ_ACTIONS = [
  'personalize:DescribeSolution',
  'personalize:DescribeSolutionVersion',
  'personalize:GetSolutionMetrics',
];

/**
 * Behaviour shared by owned and imported solutions.
 */
export abstract class SolutionBase extends Resource implements ISolution {
  public abstract readonly solutionArn: string;
  public abstract readonly solutionName: string;
  public abstract readonly recipe?: Recipe;

  public grant(grantee: iam.IGrantable, ...actions: string[]): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions,
      resourceArns: [this.solutionArn, `${this.solutionArn}/*`],
    });
  }

  public grantRead(grantee: iam.IGrantable): iam.Grant {
    const grant = this.grant(grantee, ...READ_ACTIONS);
    iam.Grant.addToPrincipal({ grantee, actions: SOLUTION_LIST_ACTIONS, resourceArns: ['*'] });
    return grant;
  }

  public metric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return personalizeMetric(this, { metricName }, { SolutionArn: this.solutionArn }, props);
  }

  public metricTrainingJobExecutionTime(props?: cloudwatch.MathExpressionOptions): cloudwatch.IMetric {
    return solutionTrainingJobMetric(this, PERSONALIZE_METRICS.trainingJobExecutionTime, this.solutionArn, props);
  }

  public metricTrainingJobRequests(props?: cloudwatch.MathExpressionOptions): cloudwatch.IMetric {
    return solutionTrainingJobMetric(this, PERSONALIZE_METRICS.trainingJobRequests, this.solutionArn, props);
  }

  public metricTrainingJobErrors(props?: cloudwatch.MathExpressionOptions): cloudwatch.IMetric {
    return solutionTrainingJobMetric(this, PERSONALIZE_METRICS.trainingJobErrors, this.solutionArn, props);
  }

  public metricOffline(metric: OfflineMetric, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return trainingMetric(this, metric.metricName, this.trainingMetricDimension(), props);
  }

  public metricBilledTrainingHours(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return trainingMetric(this, TRAINING_HOURS_METRIC, this.trainingMetricDimension(), props);
  }

  /** The training results' series: by path for a solution of this app (its replacements keep it), else by ARN. */
  private trainingMetricDimension(): TrainingMetricDimension {
    return ownedSolutionOf(this) ? { solutionPath: solutionPathOf(this) } : { solutionArn: this.solutionArn };
  }
}

/**
 * Attributes of an existing solution.
 */
export interface SolutionAttributes {
  /** The ARN of the solution. */
  readonly solutionArn: string;

  /**
   * The recipe the solution uses; enables recipe-specific checks on its versions.
   * @default - unknown
   */
  readonly recipe?: Recipe;
}
