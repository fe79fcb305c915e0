import { HyperParameterRangeEntry } from './private/entries';
import { checkKnownKeys, describeValue } from './private/untyped';
import { HyperParameterType } from './recipe';

/**
 * The values HPO may try for one hyperparameter.
 */
export class HyperParameterRange {
  /** Whole numbers from the minimum to the maximum value, inclusive. */
  public static integer(minValue: number, maxValue: number): HyperParameterRange {
    return new HyperParameterRange(HyperParameterType.INTEGER, minValue, maxValue, undefined);
  }

  /** Real numbers from the minimum to the maximum value, inclusive. */
  public static continuous(minValue: number, maxValue: number): HyperParameterRange {
    return new HyperParameterRange(HyperParameterType.CONTINUOUS, minValue, maxValue, undefined);
  }

  /** One of the given strings. */
  public static categorical(values: string[]): HyperParameterRange {
    return new HyperParameterRange(HyperParameterType.CATEGORICAL, undefined, undefined, values);
  }

  /** Both `true` and `false`, for a boolean hyperparameter (named so because `boolean` is reserved in Java). */
  public static trueOrFalse(): HyperParameterRange {
    return HyperParameterRange.categorical(['true', 'false']);
  }

  /** The kind of range: INTEGER, CONTINUOUS or CATEGORICAL. */
  public readonly type: HyperParameterType;
  /** Lower bound of an integer or continuous range. */
  public readonly minValue?: number;
  /** Upper bound of an integer or continuous range. */
  public readonly maxValue?: number;
  /** Values of a categorical range. */
  public readonly values?: string[];

  private constructor(type: HyperParameterType, minValue: number | undefined, maxValue: number | undefined, values: string[] | undefined) {
    this.type = type;
    this.minValue = minValue;
    this.maxValue = maxValue;
    this.values = values;
  }
}

/**
 * Tunable hyperparameters of User-Personalization, Personalized-Ranking and the legacy HRNN recipes.
 */
export interface UserPersonalizationHyperParameterRanges {
  /**
   * Range for `hidden_dimension` (integer; documented bounds 32 to 256).
   * @default - not tuned
   */
  readonly hiddenDimension?: HyperParameterRange;

  /**
   * Range for `bptt` (integer; documented bounds 2 to 32).
   * @default - not tuned
   */
  readonly bptt?: HyperParameterRange;

  /**
   * Range for `recency_mask` (boolean: categorical over `true` and `false`).
   * @default - not tuned
   */
  readonly recencyMask?: HyperParameterRange;
}

/**
 * Tunable hyperparameters of SIMS.
 */
export interface SimsHyperParameterRanges {
  /**
   * Range for `popularity_discount_factor` (continuous; 0 to 1).
   * @default - not tuned
   */
  readonly popularityDiscountFactor?: HyperParameterRange;

  /**
   * Range for `min_cointeraction_count` (integer; 0 to 10).
   * @default - not tuned
   */
  readonly minCointeractionCount?: HyperParameterRange;
}

/**
 * Tunable hyperparameters of Similar-Items. Its embedding sizes can only be set this way.
 */
export interface SimilarItemsHyperParameterRanges {
  /**
   * Range for `item_id_hidden_dim` (integer; 30 to 200).
   * @default - not tuned
   */
  readonly itemIdHiddenDim?: HyperParameterRange;

  /**
   * Range for `item_metadata_hidden_dim` (integer; 30 to 200).
   * @default - not tuned
   */
  readonly itemMetadataHiddenDim?: HyperParameterRange;
}

/**
 * A range for a hyperparameter named as Personalize names it.
 */
export interface NamedHyperParameterRange {
  /** The hyperparameter's Personalize name, e.g. `bptt`. */
  readonly name: string;
  /** The values HPO may try. */
  readonly range: HyperParameterRange;
}

/**
 * The hyperparameters HPO tunes and their ranges, typed per recipe.
 */
export class HyperParameterRanges {
  /** For `Recipe.USER_PERSONALIZATION`. */
  public static userPersonalization(props: UserPersonalizationHyperParameterRanges): HyperParameterRanges {
    checkKnownKeys('HyperParameterRanges.userPersonalization', 'UserPersonalizationHyperParameterRanges', props);
    return HyperParameterRanges.rnn(props);
  }

  /** For `Recipe.PERSONALIZED_RANKING`. */
  public static personalizedRanking(props: UserPersonalizationHyperParameterRanges): HyperParameterRanges {
    checkKnownKeys('HyperParameterRanges.personalizedRanking', 'UserPersonalizationHyperParameterRanges', props);
    return HyperParameterRanges.rnn(props);
  }

  /** For the legacy HRNN recipes. */
  public static hrnn(props: UserPersonalizationHyperParameterRanges): HyperParameterRanges {
    checkKnownKeys('HyperParameterRanges.hrnn', 'UserPersonalizationHyperParameterRanges', props);
    return HyperParameterRanges.rnn(props);
  }

  /** For `Recipe.SIMS`. */
  public static sims(props: SimsHyperParameterRanges): HyperParameterRanges {
    checkKnownKeys('HyperParameterRanges.sims', 'SimsHyperParameterRanges', props);
    return new HyperParameterRanges(named({
      popularity_discount_factor: props.popularityDiscountFactor,
      min_cointeraction_count: props.minCointeractionCount,
    }));
  }

  /** For `Recipe.SIMILAR_ITEMS`. */
  public static similarItems(props: SimilarItemsHyperParameterRanges): HyperParameterRanges {
    checkKnownKeys('HyperParameterRanges.similarItems', 'SimilarItemsHyperParameterRanges', props);
    return new HyperParameterRanges(named({
      item_id_hidden_dim: props.itemIdHiddenDim,
      item_metadata_hidden_dim: props.itemMetadataHiddenDim,
    }));
  }

  /**
   * Ranges by Personalize name, for what the typed factories do not cover.
   *
   * On a catalogued recipe, a name the catalogue does not list produces a warning, not an error.
   */
  public static custom(ranges: NamedHyperParameterRange[]): HyperParameterRanges {
    if (!Array.isArray(ranges)) {
      throw new Error(`HyperParameterRanges.custom: expected an array of { name, range }, got ${describeValue(ranges)}`);
    }
    ranges.forEach((r, i) => {
      checkKnownKeys(`HyperParameterRanges.custom: ranges[${i}]`, 'NamedHyperParameterRange', r);
      if (typeof r.name !== 'string' || !(r.range instanceof HyperParameterRange)) {
        throw new Error(`HyperParameterRanges.custom: ranges[${i}] needs a name (string) and a range (HyperParameterRange.integer, .continuous, .categorical or .trueOrFalse)`);
      }
    });
    return new HyperParameterRanges(ranges.map(r => toEntry(r.name, r.range, true)));
  }

  /** Several sets of ranges as one. */
  public static combine(...sets: HyperParameterRanges[]): HyperParameterRanges {
    return new HyperParameterRanges(sets.flatMap(s => s._entries));
  }

  private static rnn(props: UserPersonalizationHyperParameterRanges): HyperParameterRanges {
    return new HyperParameterRanges(named({
      hidden_dimension: props.hiddenDimension,
      bptt: props.bptt,
      recency_mask: props.recencyMask,
    }));
  }

  /** @internal */
  public readonly _entries: HyperParameterRangeEntry[];

  private constructor(entries: HyperParameterRangeEntry[]) {
    this._entries = entries;
  }

  /** The names of the tuned hyperparameters. */
  public get names(): string[] {
    return this._entries.map(e => e.name);
  }
}

/**
 * Hyperparameter optimization: which hyperparameters to tune, over which ranges, with how many
 * training jobs.
 */
export interface HpoConfig {
  /** The hyperparameters to tune and their ranges. */
  readonly ranges: HyperParameterRanges;

  /**
   * How many training jobs HPO runs in total, 1 to 40. More jobs cost more training hours.
   * @default - the algorithm's default
   */
  readonly maxNumberOfTrainingJobs?: number;

  /**
   * How many of those jobs run at once, 1 to 10, at most the number of training jobs.
   * @default - the algorithm's default
   */
  readonly maxParallelTrainingJobs?: number;
}

function named(ranges: Record<string, HyperParameterRange | undefined>): HyperParameterRangeEntry[] {
  return Object.entries(ranges)
    .filter((pair): pair is [string, HyperParameterRange] => pair[1] !== undefined)
    .map(([name, range]) => {
      if (!(range instanceof HyperParameterRange)) {
        throw new Error(`HyperParameterRanges: the range of ${name} is ${describeValue(range)}: must be a HyperParameterRange, `
          + 'e.g. HyperParameterRange.integer(8, 32)');
      }
      return toEntry(name, range, false);
    });
}

function toEntry(name: string, range: HyperParameterRange, custom: boolean): HyperParameterRangeEntry {
  return { name, type: range.type, minValue: range.minValue, maxValue: range.maxValue, values: range.values, custom };
}
