import { Duration, IResource } from 'aws-cdk-lib';
import { ISolution } from './solution-base';

/**
 * How a solution version is trained.
 */
export enum TrainingMode {
  /** Train a new model on all data. */
  FULL = 'FULL',
  /**
   * Update the latest FULL model with new items and interactions (User-Personalization and
   * HRNN-Coldstart only, once a FULL version is active).
   */
  UPDATE = 'UPDATE',
}

/**
 * A trained model of an Amazon Personalize solution.
 */
export interface ISolutionVersion extends IResource {
  /**
   * The ARN of the solution version.
   * @attribute
   */
  readonly solutionVersionArn: string;

  /** The solution the version belongs to (for an import, what its attributes say of it). */
  readonly solution: ISolution;
}

/**
 * Attributes of an existing solution version.
 */
export interface SolutionVersionAttributes {
  /** The ARN of the solution version. */
  readonly solutionVersionArn: string;

  /**
   * The solution the version belongs to. An imported solution that knows its recipe
   * (`Solution.fromSolutionAttributes` with `recipe`) lets a campaign check its recipe-specific settings.
   * @default - the solution named in the version's ARN, its recipe unknown
   */
  readonly solution?: ISolution;
}

/**
 * Options for training a solution version.
 */
export interface SolutionVersionOptions {
  /**
   * How to train.
   * @default TrainingMode.FULL
   */
  readonly trainingMode?: TrainingMode;

  /**
   * The name of the solution version. A retraining appends a suffix to it.
   * @default - a name derived from the deployment
   */
  readonly solutionVersionName?: string;

  /**
   * How long training may run. A training still running then is stopped and the deployment fails
   * and rolls back. At most 11 hours: a CloudFormation wait condition waits 12 hours at most, and
   * the last hour is the margin in which the poller stops the training and reports it.
   * @default Duration.hours(6)
   */
  readonly trainingTimeout?: Duration;

  /**
   * A string whose change trains a new version on the next deploy, e.g. the id of the latest
   * data import. It must be known at synth, because a new training needs a new wait condition.
   * Required when the solution's configuration uses values known only at deploy time (a
   * `CfnParameter`, an import from another stack, a dynamic reference): change it whenever they
   * change.
   * @default - a new version trains only when the solution is replaced, or the training mode or
   * version name changes
   */
  readonly retrainTrigger?: string;

  /**
   * Train a new version whenever the solution's dataset group gets new data: a new import job of
   * a dataset of this app (a new source, mode or import trigger). Each such deploy bills a full
   * training, and for a solution with HPO a full HPO run: prefer tuning once and retraining another
   * solution on the tuned values.
   * @default false - an import does not retrain
   */
  readonly retrainOnImport?: boolean;

  /**
   * Whether to add stack outputs: the version ARN, the billed training hours, the tuned
   * hyperparameters as JSON and the offline metrics as JSON (four per version, so that 40
   * versions stay within CloudFormation's 200 outputs per stack).
   * @default true
   */
  readonly outputs?: boolean;

  /**
   * Whether to add one more output per tuned hyperparameter and per offline metric, one for the
   * status and, with HPO, one naming the hyperparameters tuned at a bound of their range (when
   * outputs are on). A User-Personalization version with two tuned hyperparameters then has 17
   * outputs instead of 4.
   * @default false
   */
  readonly detailedOutputs?: boolean;

  /**
   * Prefix of the stack outputs' names, e.g. `Hrnn` gives `HrnnTunedHyperParameters`.
   * @default - the construct's path below the stack, e.g. `HrnnVersion`
   */
  readonly outputPrefix?: string;
}

/**
 * Properties of a solution version.
 */
export interface SolutionVersionProps extends SolutionVersionOptions {
  /** The solution to train. */
  readonly solution: ISolution;
}
