import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { RankingInfluence } from './campaign-props';
import { IFilter } from './filter';
import { ISolutionVersion } from './solution-version-base';

/**
 * Where a batch job reads its input or writes its output in Amazon S3.
 */
export interface BatchJobLocation {
  /** The bucket. */
  readonly bucket: s3.IBucket;

  /**
   * The key prefix, e.g. `batch/input/`. Personalize reads every object whose key starts with it,
   * so end it with `/` to read one folder only.
   */
  readonly prefix: string;

  /**
   * The KMS key of the objects.
   *
   * @default - the bucket's encryption key, if it has one
   */
  readonly encryptionKey?: kms.IKey;
}

/**
 * What batch inference and batch segment jobs have in common: the base of their props.
 */
export interface BatchJobOptions {
  /** The trained solution version that makes the recommendations. */
  readonly solutionVersion: ISolutionVersion;

  /** Where the input lines are, in JSON Lines. */
  readonly input: BatchJobLocation;

  /**
   * Where the output goes: each job writes to a folder of its own under it, named after the job
   * (the output location attribute). Keep it apart from the input.
   */
  readonly output: BatchJobLocation;

  /**
   * A filter of the solution's dataset group.
   *
   * @default - no filter
   */
  readonly filter?: IFilter;

  /**
   * A string whose change runs the job again on the next deploy, e.g. the date of new input.
   *
   * @default - the job runs again only when its settings change
   */
  readonly jobTrigger?: string;

  /**
   * The role Personalize assumes to read the input and write the output.
   *
   * @default - a role with read access to the input prefix and write access to the output prefix
   */
  readonly role?: iam.IRole;
}

/** What a batch inference job makes. */
export enum BatchInferenceJobMode {
  /** Item recommendations. */
  BATCH_INFERENCE = 'BATCH_INFERENCE',
  /** Recommendations with themes from Content Generator (Similar-Items only). */
  THEME_GENERATION = 'THEME_GENERATION',
}

/**
 * Properties of a `BatchInferenceJob`.
 */
export interface BatchInferenceJobProps extends BatchJobOptions {
  /**
   * How many items to recommend per input line: from 1 to 500.
   *
   * @default 25
   */
  readonly numResults?: number;

  /**
   * What the job makes.
   *
   * @default BatchInferenceJobMode.BATCH_INFERENCE
   */
  readonly mode?: BatchInferenceJobMode;

  /**
   * The column of the Items dataset with the item names, for themes (THEME_GENERATION only, and
   * required with it).
   *
   * @default - none
   */
  readonly themeItemNameColumn?: string;

  /**
   * How much to explore new items, from 0 to 1 (recipes with item exploration only).
   *
   * @default - the recipe's default
   */
  readonly explorationWeight?: number;

  /**
   * Items younger than this count as new for exploration, at least 1 day (recipes with item
   * exploration only).
   *
   * @default - the recipe's default
   */
  readonly explorationItemAgeCutOff?: Duration;

  /**
   * How much newer or more popular items rise in the ranking (Semantic-Similarity only).
   *
   * @default - no influence
   */
  readonly rankingInfluence?: RankingInfluence;
}

/**
 * Properties of a `BatchSegmentJob`.
 */
export interface BatchSegmentJobProps extends BatchJobOptions {
  /**
   * How many users each segment holds: from 1 to 5,000,000.
   *
   * @default 100
   */
  readonly numResults?: number;
}
