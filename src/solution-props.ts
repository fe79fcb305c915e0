import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { IDatasetGroup } from './dataset-group';
import { HpoConfig } from './hpo';
import { HyperParameters } from './hyper-parameters';
import { Recipe } from './recipe';

/**
 * How strongly an optimization objective weighs against relevance.
 */
export enum ObjectiveSensitivity {
  /** Slight preference for the objective. */
  LOW = 'LOW',
  /** Balanced. */
  MEDIUM = 'MEDIUM',
  /** Strong preference for the objective. */
  HIGH = 'HIGH',
  /** Objective ignored. */
  OFF = 'OFF',
}

/**
 * A business objective to optimize for besides relevance, e.g. revenue.
 */
export interface OptimizationObjective {
  /** A numerical, non-nullable column of the Items dataset, e.g. `PRICE`. */
  readonly itemAttribute: string;

  /**
   * How strongly the objective weighs.
   * @default - Personalize's default
   */
  readonly objectiveSensitivity?: ObjectiveSensitivity;
}

/**
 * The weight of one event type during training (User-Personalization-v2, Personalized-Ranking-v2).
 */
export interface EventParameters {
  /** The event type, as in the EVENT_TYPE column. */
  readonly eventType: string;

  /** Relative weight from 0 to 1. Only the ratios between weights matter. */
  readonly weight: number;

  /**
   * Events of this type with a lower EVENT_VALUE are ignored.
   * @default - no threshold
   */
  readonly eventValueThreshold?: number;
}

/**
 * Columns of each dataset type, for including or excluding them from training.
 */
export interface DatasetColumns {
  /**
   * Columns of the Interactions dataset.
   * @default - none
   */
  readonly interactions?: string[];

  /**
   * Columns of the Items dataset.
   * @default - none
   */
  readonly items?: string[];

  /**
   * Columns of the Users dataset.
   * @default - none
   */
  readonly users?: string[];

  /**
   * Columns of the Actions dataset.
   * @default - none
   */
  readonly actions?: string[];

  /**
   * Columns of the Action interactions dataset.
   * @default - none
   */
  readonly actionInteractions?: string[];
}

/**
 * AutoML: Personalize trains several recipes and keeps the best. AWS advises against it; choose a
 * recipe instead where you can.
 */
export interface AutoMlConfig {
  /**
   * The metric to compare recipes by.
   * @default - Personalize's default
   */
  readonly metricName?: string;

  /**
   * The recipes to compare.
   * @default - Personalize's default list
   */
  readonly recipes?: Recipe[];
}

/**
 * Properties of a solution.
 */
export interface SolutionProps {
  /** The dataset group whose data the solution trains on. */
  readonly datasetGroup: IDatasetGroup;

  /**
   * The recipe to train. Required unless AutoML chooses one.
   * @default - none: AutoML chooses
   */
  readonly recipe?: Recipe;

  /**
   * The name of the solution, unique per account and region (1 to 63 characters).
   *
   * A named solution cannot be replaced without a new name, so leave it to the library unless you
   * need a fixed one.
   * @default - a name generated from the construct path
   */
  readonly solutionName?: string;

  /**
   * Fixed hyperparameter values.
   * @default - the recipe's defaults
   */
  readonly hyperParameters?: HyperParameters;

  /**
   * Hyperparameter optimization. When set, Personalize tunes the given ranges while training.
   * @default - no HPO
   */
  readonly hpo?: HpoConfig;

  /**
   * Let Personalize choose among recipes. Cannot be combined with `recipe` or any other training
   * configuration, because Personalize then ignores everything but this.
   * @default - no AutoML
   */
  readonly autoMl?: AutoMlConfig;

  /**
   * Train only on interactions of this event type.
   * @default - all event types
   */
  readonly eventType?: string;

  /**
   * Train only on interactions with at least this EVENT_VALUE.
   * @default - no threshold
   */
  readonly eventValueThreshold?: number;

  /**
   * Optimize for a business objective besides relevance (User-Personalization, Personalized-Ranking).
   * @default - relevance only
   */
  readonly optimizationObjective?: OptimizationObjective;

  /**
   * Per-event-type weights (User-Personalization-v2, Personalized-Ranking-v2). At most 10.
   * Can be changed without replacing the solution.
   * @default - every event type weighs the same
   */
  readonly eventParameters?: EventParameters[];

  /**
   * Columns to leave out of training.
   * @default - every column Personalize can use
   */
  readonly excludedDatasetColumns?: DatasetColumns;

  /**
   * Columns to train on; the others are left out.
   * @default - every column Personalize can use
   */
  readonly includedDatasetColumns?: DatasetColumns;

  /**
   * Let Personalize train new versions on a schedule. Each automatic training is billed, and with
   * HPO configured it repeats the HPO. Can be changed without replacing the solution.
   * @default false
   */
  readonly performAutoTraining?: boolean;

  /**
   * How often automatic training runs, in whole days from 1 to 30. Needs automatic training on.
   * @default Duration.days(7)
   */
  readonly autoTrainingSchedule?: Duration;

  /**
   * Update the model incrementally as new data arrives (Semantic-Similarity).
   * @default - Personalize's default
   */
  readonly performIncrementalUpdate?: boolean;

  /**
   * What happens to the solution, with every version trained on it, when the stack is deleted or a
   * change replaces it. Its versions follow it: a retained solution's training is never stopped. A
   * retained solution needs its dataset group retained too.
   * @default - the dataset group's removal policy (RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE for an imported group)
   */
  readonly removalPolicy?: RemovalPolicy;
}
