import { IResource, Resource } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import { SOLUTION_LIST_ACTIONS } from './private/actions';
import { PERSONALIZE_METRICS, personalizeMetric, trainingMetric } from './private/cloudwatch';
import { TRAINING_HOURS_METRIC } from './private/contract';
import { OfflineMetric } from './promotion';
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

  /** Seconds from the start of a training to its end, average per 5 minutes. */
  metricTrainingJobExecutionTime(props?: cloudwatch.MetricOptions): cloudwatch.Metric;

  /** Trainings started (successful CreateSolutionVersion calls), sum per 5 minutes. */
  metricTrainingJobRequests(props?: cloudwatch.MetricOptions): cloudwatch.Metric;

  /** CreateSolutionVersion calls that failed, sum per 5 minutes. */
  metricTrainingJobErrors(props?: cloudwatch.MetricOptions): cloudwatch.Metric;

  /**
   * An offline metric of each version trained by this library, one data point per training at the
   * time it ended (namespace `CdkPersonalize`, dimension `SolutionArn`), maximum per hour.
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
    return personalizeMetric({ metricName }, { SolutionArn: this.solutionArn }, props);
  }

  public metricTrainingJobExecutionTime(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return personalizeMetric(PERSONALIZE_METRICS.trainingJobExecutionTime, { SolutionArn: this.solutionArn }, props);
  }

  public metricTrainingJobRequests(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return personalizeMetric(PERSONALIZE_METRICS.trainingJobRequests, { SolutionArn: this.solutionArn }, props);
  }

  public metricTrainingJobErrors(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return personalizeMetric(PERSONALIZE_METRICS.trainingJobErrors, { SolutionArn: this.solutionArn }, props);
  }

  public metricOffline(metric: OfflineMetric, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return trainingMetric(metric.metricName, this.solutionArn, props);
  }

  public metricBilledTrainingHours(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return trainingMetric(TRAINING_HOURS_METRIC, this.solutionArn, props);
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
