import { Duration } from 'aws-cdk-lib';

/**
 * An offline metric of a trained solution version, as GetSolutionMetrics names it.
 */
export class OfflineMetric {
  /** The share of items that appear in the recommendations. */
  public static readonly COVERAGE = new OfflineMetric('coverage');
  /** Mean reciprocal rank of the first relevant item in the top 25. */
  public static readonly MEAN_RECIPROCAL_RANK_AT_25 = new OfflineMetric('mean_reciprocal_rank_at_25');
  /** Normalized discounted cumulative gain over the top 5. */
  public static readonly NDCG_AT_5 = new OfflineMetric('normalized_discounted_cumulative_gain_at_5');
  /** Normalized discounted cumulative gain over the top 10. */
  public static readonly NDCG_AT_10 = new OfflineMetric('normalized_discounted_cumulative_gain_at_10');
  /** Normalized discounted cumulative gain over the top 25. */
  public static readonly NDCG_AT_25 = new OfflineMetric('normalized_discounted_cumulative_gain_at_25');
  /** Precision over the top 5. */
  public static readonly PRECISION_AT_5 = new OfflineMetric('precision_at_5');
  /** Precision over the top 10. */
  public static readonly PRECISION_AT_10 = new OfflineMetric('precision_at_10');
  /** Precision over the top 25. */
  public static readonly PRECISION_AT_25 = new OfflineMetric('precision_at_25');
  /** User segmentation: hits in the top 1 percent of users. */
  public static readonly HITS_AT_1_PERCENT = new OfflineMetric('hits_at_1_percent');
  /** User segmentation: recall in the top 1 percent of users. */
  public static readonly RECALL_AT_1_PERCENT = new OfflineMetric('recall_at_1_percent');
  /** Solutions with an optimization objective: the average reward of the top k. */
  public static readonly AVERAGE_REWARDS_AT_K = new OfflineMetric('average_rewards_at_k');
  /** Solutions with event weights: weighted normalized discounted cumulative gain of the top k. */
  public static readonly NDCG_WITH_EVENT_WEIGHTS_AT_K = new OfflineMetric('normalized_discounted_cumulative_gain_with_event_weights_at_k');

  /**
   * A metric by its GetSolutionMetrics key, for one this library does not list.
   * @param metricName e.g. `precision_at_10`
   */
  public static of(metricName: string): OfflineMetric {
    if (typeof metricName !== 'string' || !/^[a-z0-9_]{1,100}$/.test(metricName)) {
      throw new Error(`OfflineMetric.of: metricName '${String(metricName)}' must be a GetSolutionMetrics key: lower-case letters, digits and underscores`);
    }
    return new OfflineMetric(metricName);
  }

  private constructor(
    /** The GetSolutionMetrics key, e.g. `normalized_discounted_cumulative_gain_at_10`. */
    public readonly metricName: string,
  ) {}
}

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
