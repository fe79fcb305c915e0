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
