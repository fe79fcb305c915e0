import { Duration } from 'aws-cdk-lib';
import { OfflineMetric } from './offline-metric';

/**
 * When a campaign moves to a newly trained version.
 *
 * Offline metrics are measured on a holdout of the data a version was trained on, so Personalize's
 * guide advises against comparing versions trained on different data. The gate therefore compares
 * the two values only when both versions were trained on the same data (the same completed imports,
 * and no event tracker adding interactions); on new data it applies the floor, the tolerated drop
 * and the maximum age instead.
 */
export interface PromotionPolicy {
  /** The offline metric compared; higher is better. */
  readonly metric: OfflineMetric;

  /**
   * On the same data: how much the new version's value must exceed the served version's, in the
   * metric's units (0.01 is one point of NDCG). A negative margin tolerates a small drop.
   * @default 0 - a tie is promoted
   */
  readonly minImprovement?: number;

  /**
   * The lowest value of the metric a new version may be served with, whatever the data.
   * @default - no floor
   */
  readonly minValue?: number;

  /**
   * On new data: how far the new version's value may fall below the served version's (measured on
   * an older holdout) and still be promoted.
   * @default - no limit: on new data the newer version is served when it meets the floor
   */
  readonly maxDropOnNewData?: number;

  /**
   * On new data: a served version trained longer ago than this gives way to a new version that
   * meets the floor, however the two compare. Only matters with a tolerated drop on new data.
   * @default - no maximum age
   */
  readonly maxServedAge?: Duration;

  /**
   * Fail the deployment when a newly trained version is not promoted, instead of keeping the
   * served version and saying why in the stack output. The deployment then rolls back.
   * @default false
   */
  readonly failDeployment?: boolean;
}
