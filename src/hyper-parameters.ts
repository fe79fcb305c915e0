import { Duration, Token, Tokenization } from 'aws-cdk-lib';
import { HyperParameterEntry } from './private/entries';
import { checkEnumValue, checkKnownKeys, describeValue } from './private/untyped';
import { HyperParameterPlacement } from './recipe';

/**
 * Hyperparameters of User-Personalization, Personalized-Ranking and the legacy HRNN recipes.
 */
export interface UserPersonalizationHyperParameters {
  /**
   * Size of the hidden state of the model (`hidden_dimension`). Documented range 32 to 256.
   * @default - the recipe's default (149; 43 for HRNN and HRNN-Metadata)
   */
  readonly hiddenDimension?: number;

  /**
   * Back-propagation through time (`bptt`): how many past interactions the model looks at.
   * Documented range 2 to 32.
   * @default 32
   */
  readonly bptt?: number;

  /**
   * Whether recent trends weigh more (`recency_mask`).
   * @default true
   */
  readonly recencyMask?: boolean;

  /**
   * Drops users whose history is shorter than this percentile (`min_user_history_length_percentile`), 0 to 1.
   * @default 0
   */
  readonly minUserHistoryLengthPercentile?: number;

  /**
   * Drops users whose history is longer than this percentile (`max_user_history_length_percentile`), 0 to 1.
   * @default 0.99
   */
  readonly maxUserHistoryLengthPercentile?: number;
}

/**
 * Where HRNN-Coldstart measures the age of an item from.
 */
export enum ColdStartRelativeFrom {
  /** From the time of training. */
  CURRENT_TIME = 'currentTime',
  /** From the newest item's creation time. */
  LATEST_ITEM = 'latestItem',
}

/**
 * Hyperparameters of the legacy HRNN-Coldstart recipe.
 */
export interface HrnnColdstartHyperParameters extends UserPersonalizationHyperParameters {
  /**
   * Items with at most this many interactions count as cold (`cold_start_max_interactions`).
   * @default 15
   */
  readonly coldStartMaxInteractions?: number;

  /**
   * Items younger than this count as cold (`cold_start_max_duration`, sent in days).
   * @default Duration.days(5)
   */
  readonly coldStartMaxDuration?: Duration;

  /**
   * Where the age of an item is measured from (`cold_start_relative_from`).
   * @default ColdStartRelativeFrom.LATEST_ITEM
   */
  readonly coldStartRelativeFrom?: ColdStartRelativeFrom;
}

/**
 * Hyperparameters of User-Personalization-v2 and Personalized-Ranking-v2.
 */
export interface RecencyBiasHyperParameters {
  /**
   * Whether newer interactions weigh more (`apply_recency_bias`).
   * @default true
   */
  readonly applyRecencyBias?: boolean;
}

/**
 * Hyperparameters of the SIMS recipe.
 */
export interface SimsHyperParameters {
  /**
   * How much popular items are discounted (`popularity_discount_factor`), 0 to 1.
   * @default 0.5
   */
  readonly popularityDiscountFactor?: number;

  /**
   * Fewest co-interactions for two items to count as similar (`min_cointeraction_count`), 0 to 10.
   * @default 3
   */
  readonly minCointeractionCount?: number;

  /**
   * Drops users below this history-length percentile (`min_user_history_length_percentile`), 0 to 1.
   * @default 0.005
   */
  readonly minUserHistoryLengthPercentile?: number;

  /**
   * Drops users above this history-length percentile (`max_user_history_length_percentile`), 0 to 1.
   * @default 0.995
   */
  readonly maxUserHistoryLengthPercentile?: number;

  /**
   * Drops items below this interaction-count percentile (`min_item_interaction_count_percentile`), 0 to 1.
   * @default 0.01
   */
  readonly minItemInteractionCountPercentile?: number;

  /**
   * Drops items above this interaction-count percentile (`max_item_interaction_count_percentile`), 0 to 1.
   * @default 0.9
   */
  readonly maxItemInteractionCountPercentile?: number;
}

/**
 * Hyperparameters of the Similar-Items recipe. Its embedding sizes can only be tuned, see
 * `HyperParameterRanges.similarItems`.
 */
export interface SimilarItemsHyperParameters {
  /**
   * How much popular items are discounted (`popularity_discount_factor`), 0 to 1.
   * @default 0
   */
  readonly popularityDiscountFactor?: number;
}

/**
 * How often Trending-Now looks for new trends.
 */
export class TrendDiscoveryFrequency {
  /** Every 30 minutes. */
  public static readonly THIRTY_MINUTES = new TrendDiscoveryFrequency('30 minutes');
  /** Every hour. */
  public static readonly ONE_HOUR = new TrendDiscoveryFrequency('1 hour');
  /** Every 2 hours. */
  public static readonly TWO_HOURS = new TrendDiscoveryFrequency('2 hours');
  /** Every 3 hours. */
  public static readonly THREE_HOURS = new TrendDiscoveryFrequency('3 hours');
  /** Every day. */
  public static readonly ONE_DAY = new TrendDiscoveryFrequency('1 day');

  /** A frequency string this library does not list. */
  public static of(value: string): TrendDiscoveryFrequency {
    return new TrendDiscoveryFrequency(value);
  }

  private constructor(public readonly value: string) {}
}

/**
 * Hyperparameters of the Trending-Now recipe.
 */
export interface TrendingNowHyperParameters {
  /**
   * How often trends are recomputed (`trend_discovery_frequency`).
   * @default TrendDiscoveryFrequency.TWO_HOURS
   */
  readonly trendDiscoveryFrequency?: TrendDiscoveryFrequency;
}

/**
 * Hyperparameters of the Next-Best-Action recipe.
 */
export interface NextBestActionHyperParameters {
  /**
   * The window over which a user's future actions are predicted (`action_optimization_period`,
   * sent in whole days). Documented range 7 to 28 days.
   * @default Duration.days(14)
   */
  readonly actionOptimizationPeriod?: Duration;
}

/**
 * Hyperparameters of the Item-Affinity and Item-Attribute-Affinity recipes.
 */
export interface AffinityHyperParameters {
  /**
   * Size of the hidden state of the model (`hidden_dimension`). Documented range 32 to 256.
   * @default 149
   */
  readonly hiddenDimension?: number;
}

/**
 * Fixed hyperparameter values of a solution, typed per recipe.
 *
 * Each factory takes the hyperparameters of one recipe family; `custom` takes any.
 */
export class HyperParameters {
  /** For `Recipe.USER_PERSONALIZATION`. */
  public static userPersonalization(props: UserPersonalizationHyperParameters): HyperParameters {
    checkKnownKeys('HyperParameters.userPersonalization', 'UserPersonalizationHyperParameters', props);
    return new HyperParameters(rnnEntries(props));
  }

  /** For `Recipe.PERSONALIZED_RANKING`. */
  public static personalizedRanking(props: UserPersonalizationHyperParameters): HyperParameters {
    checkKnownKeys('HyperParameters.personalizedRanking', 'UserPersonalizationHyperParameters', props);
    return new HyperParameters(rnnEntries(props));
  }

  /** For the legacy `Recipe.HRNN` and `Recipe.HRNN_METADATA`. */
  public static hrnn(props: UserPersonalizationHyperParameters): HyperParameters {
    checkKnownKeys('HyperParameters.hrnn', 'UserPersonalizationHyperParameters', props);
    return new HyperParameters(rnnEntries(props));
  }

  /** For the legacy `Recipe.HRNN_COLDSTART`. */
  public static hrnnColdstart(props: HrnnColdstartHyperParameters): HyperParameters {
    checkKnownKeys('HyperParameters.hrnnColdstart', 'HrnnColdstartHyperParameters', props);
    return new HyperParameters([
      ...rnnEntries(props),
      ...entries({
        cold_start_max_interactions: props.coldStartMaxInteractions,
        cold_start_max_duration: props.coldStartMaxDuration?.toDays({ integral: false }),
        cold_start_relative_from: props.coldStartRelativeFrom,
      }),
    ]);
  }

  /** For `Recipe.USER_PERSONALIZATION_V2`. */
  public static userPersonalizationV2(props: RecencyBiasHyperParameters): HyperParameters {
    checkKnownKeys('HyperParameters.userPersonalizationV2', 'RecencyBiasHyperParameters', props);
    return new HyperParameters(entries({ apply_recency_bias: props.applyRecencyBias }));
  }

  /** For `Recipe.PERSONALIZED_RANKING_V2`. */
  public static personalizedRankingV2(props: RecencyBiasHyperParameters): HyperParameters {
    checkKnownKeys('HyperParameters.personalizedRankingV2', 'RecencyBiasHyperParameters', props);
    return new HyperParameters(entries({ apply_recency_bias: props.applyRecencyBias }));
  }

  /** For `Recipe.SIMS`. */
  public static sims(props: SimsHyperParameters): HyperParameters {
    checkKnownKeys('HyperParameters.sims', 'SimsHyperParameters', props);
    return new HyperParameters(entries({
      popularity_discount_factor: props.popularityDiscountFactor,
      min_cointeraction_count: props.minCointeractionCount,
      min_user_history_length_percentile: props.minUserHistoryLengthPercentile,
      max_user_history_length_percentile: props.maxUserHistoryLengthPercentile,
      min_item_interaction_count_percentile: props.minItemInteractionCountPercentile,
      max_item_interaction_count_percentile: props.maxItemInteractionCountPercentile,
    }));
  }

  /** For `Recipe.SIMILAR_ITEMS`. */
  public static similarItems(props: SimilarItemsHyperParameters): HyperParameters {
    checkKnownKeys('HyperParameters.similarItems', 'SimilarItemsHyperParameters', props);
    return new HyperParameters(entries({ popularity_discount_factor: props.popularityDiscountFactor }));
  }

  /** For `Recipe.TRENDING_NOW`. */
  public static trendingNow(props: TrendingNowHyperParameters): HyperParameters {
    checkKnownKeys('HyperParameters.trendingNow', 'TrendingNowHyperParameters', props);
    return new HyperParameters(entries({ trend_discovery_frequency: props.trendDiscoveryFrequency?.value }));
  }

  /** For `Recipe.NEXT_BEST_ACTION`. */
  public static nextBestAction(props: NextBestActionHyperParameters): HyperParameters {
    checkKnownKeys('HyperParameters.nextBestAction', 'NextBestActionHyperParameters', props);
    return new HyperParameters(entries({ action_optimization_period: props.actionOptimizationPeriod?.toDays({ integral: false }) }));
  }

  /** For `Recipe.ITEM_AFFINITY` and `Recipe.ITEM_ATTRIBUTE_AFFINITY`. */
  public static affinity(props: AffinityHyperParameters): HyperParameters {
    checkKnownKeys('HyperParameters.affinity', 'AffinityHyperParameters', props);
    return new HyperParameters(entries({ hidden_dimension: props.hiddenDimension }));
  }

  /**
   * Hyperparameters by their Personalize names, for what the typed factories do not cover.
   *
   * On a catalogued recipe, a name the catalogue does not list produces a warning, not an error.
   *
   * @param values name to value, as Personalize expects them (strings)
   * @param placement where names unknown to the recipe are sent; known names always go where the recipe expects them
   */
  public static custom(values: { [name: string]: string }, placement?: HyperParameterPlacement): HyperParameters {
    if (values === null || typeof values !== 'object' || Array.isArray(values)) {
      throw new Error(`HyperParameters.custom: expected an object of name to string value, got ${describeValue(values)}`);
    }
    checkEnumValue('HyperParameters.custom placement', placement, Object.values(HyperParameterPlacement));
    for (const [name, value] of Object.entries(values)) {
      if (typeof value !== 'string') {
        throw new Error(`HyperParameters.custom: '${name}' is ${describeValue(value)}: values must be strings, as Personalize takes them (e.g. '${String(value)}')`);
      }
    }
    return new HyperParameters(Object.entries(values).map(([name, value]) => ({
      name,
      value,
      custom: true,
      placement: placement ?? HyperParameterPlacement.ALGORITHM,
      numeric: Token.isUnresolved(value) || value.trim() === '' || isNaN(Number(value)) ? undefined : Number(value),
    })));
  }

  /** @internal */
  public static _of(values: HyperParameterEntry[]): HyperParameters {
    return new HyperParameters(values);
  }

  /** Several sets of hyperparameters as one, e.g. typed values plus custom ones. */
  public static combine(...sets: HyperParameters[]): HyperParameters {
    return new HyperParameters(sets.flatMap(s => s._entries));
  }

  /** @internal */
  public readonly _entries: HyperParameterEntry[];

  private constructor(values: HyperParameterEntry[]) {
    this._entries = values;
  }

  /** The hyperparameter names this set gives values for. */
  public get names(): string[] {
    return this._entries.map(e => e.name);
  }
}

function rnnEntries(props: UserPersonalizationHyperParameters): HyperParameterEntry[] {
  return entries({
    hidden_dimension: props.hiddenDimension,
    bptt: props.bptt,
    recency_mask: props.recencyMask,
    min_user_history_length_percentile: props.minUserHistoryLengthPercentile,
    max_user_history_length_percentile: props.maxUserHistoryLengthPercentile,
  });
}

/** Renders typed values to the strings the API expects, keeping numbers for range checks. */
function entries(values: Record<string, number | boolean | string | undefined>): HyperParameterEntry[] {
  const result: HyperParameterEntry[] = [];
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined) {
      continue;
    }
    if (typeof value === 'number') {
      const rendered = Token.isUnresolved(value) ? Tokenization.stringifyNumber(value) : String(value);
      result.push({ name, value: rendered, numeric: Token.isUnresolved(value) ? undefined : value, custom: false });
    } else {
      result.push({ name, value: String(value), custom: false });
    }
  }
  return result;
}
