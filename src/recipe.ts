import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { partitionOf } from './private/arns';
import { CatalogueParam, CatalogueRecipe, RECIPE_CATALOGUE, findCatalogueRecipe } from './private/recipe-catalogue';
import { checkKnownKeys, describeValue } from './private/untyped';

/**
 * How a hyperparameter's value is typed.
 */
export enum HyperParameterType {
  /** A whole number; tuned with an integer range. */
  INTEGER = 'integer',
  /** A real number; tuned with a continuous range. */
  CONTINUOUS = 'continuous',
  /** One of a set of strings; tuned with a categorical range. */
  CATEGORICAL = 'categorical',
  /** `true` or `false`; tuned with a categorical range over those two strings. */
  BOOLEAN = 'boolean',
}

/**
 * Which map of the solution configuration a hyperparameter is sent in.
 */
export enum HyperParameterPlacement {
  /** `solutionConfig.algorithmHyperParameters`. */
  ALGORITHM = 'algorithm',
  /** `solutionConfig.featureTransformationParameters`. */
  FEATURE_TRANSFORMATION = 'featureTransformation',
}

/**
 * What a recipe accepts for one hyperparameter.
 */
export interface HyperParameterDefinition {
  /** The name Personalize knows it by, e.g. `hidden_dimension`. */
  readonly name: string;

  /** How its value is typed. */
  readonly type: HyperParameterType;

  /**
   * Which configuration map it is sent in.
   * @default HyperParameterPlacement.ALGORITHM
   */
  readonly placement?: HyperParameterPlacement;

  /**
   * The value Personalize uses when none is given.
   * @default - not documented
   */
  readonly defaultValue?: string;

  /**
   * Documented lower bound, inclusive.
   * @default - no lower bound
   */
  readonly minValue?: number;

  /**
   * Documented upper bound, inclusive.
   * @default - no upper bound
   */
  readonly maxValue?: number;

  /**
   * Documented values of a categorical hyperparameter.
   * @default - any string (`true` and `false` for booleans)
   */
  readonly allowedValues?: string[];

  /**
   * Whether an HPO range may name it.
   * @default false
   */
  readonly tunable?: boolean;

  /**
   * Whether it can only be set through an HPO range.
   * @default false
   */
  readonly tunableOnly?: boolean;
}

/**
 * The kind of recommendations a recipe produces.
 */
export class RecipeType {
  /** Recommendations for a user (GetRecommendations with a userId). */
  public static readonly USER_PERSONALIZATION = new RecipeType('USER_PERSONALIZATION');
  /** A user's ranking of a given list of items (GetPersonalizedRanking). */
  public static readonly PERSONALIZED_RANKING = new RecipeType('PERSONALIZED_RANKING');
  /** Items similar to an item (GetRecommendations with an itemId). */
  public static readonly RELATED_ITEMS = new RecipeType('RELATED_ITEMS');
  /** Popular or trending items. */
  public static readonly POPULAR_ITEMS = new RecipeType('POPULAR_ITEMS');
  /** Actions for a user (GetActionRecommendations). */
  public static readonly PERSONALIZED_ACTIONS = new RecipeType('PERSONALIZED_ACTIONS');
  /** Segments of users, through batch segment jobs. */
  public static readonly USER_SEGMENTATION = new RecipeType('USER_SEGMENTATION');

  /** A recipe type this library does not list yet. */
  public static of(name: string): RecipeType {
    return new RecipeType(name);
  }

  private constructor(public readonly name: string) {}

  public toString(): string {
    return this.name;
  }
}

/**
 * Options for a recipe that the catalogue does not know.
 */
export interface CustomRecipeOptions {
  /**
   * The recipe's type.
   * @default - unknown
   */
  readonly recipeType?: RecipeType;

  /**
   * The hyperparameters the recipe accepts. When given, hyperparameters and ranges are validated
   * against them as for a catalogued recipe.
   * @default - none declared: every hyperparameter is passed through with a warning
   */
  readonly hyperParameters?: HyperParameterDefinition[];

  /**
   * Whether the recipe accepts `performHPO` with an HPO configuration.
   * @default true
   */
  readonly supportsHpo?: boolean;

  /**
   * Whether the recipe accepts an events configuration (event weights).
   * @default false
   */
  readonly supportsEventsConfig?: boolean;

  /**
   * Whether the recipe accepts an optimization objective.
   * @default false
   */
  readonly supportsOptimizationObjective?: boolean;

  /**
   * Whether the recipe accepts incremental updates.
   * @default false
   */
  readonly supportsIncrementalUpdate?: boolean;

  /**
   * Whether solution versions of the recipe accept trainingMode UPDATE.
   * @default false
   */
  readonly supportsUpdateTraining?: boolean;
}

/**
 * An Amazon Personalize recipe: the algorithm a solution trains, with what it accepts.
 *
 * Every recipe that Personalize documents is a static member; `Recipe.fromArn` covers the rest.
 */
export class Recipe {
  /** User-Personalization-v2: the recommended recipe for per-user recommendations. */
  public static readonly USER_PERSONALIZATION_V2 = Recipe.ofCatalogue('aws-user-personalization-v2');
  /** User-Personalization: per-user recommendations with exploration of new items; supports HPO. */
  public static readonly USER_PERSONALIZATION = Recipe.ofCatalogue('aws-user-personalization');
  /** Personalized-Ranking-v2: the recommended recipe for re-ranking a list of items. */
  public static readonly PERSONALIZED_RANKING_V2 = Recipe.ofCatalogue('aws-personalized-ranking-v2');
  /** Personalized-Ranking: re-ranks a list of items for a user; supports HPO. */
  public static readonly PERSONALIZED_RANKING = Recipe.ofCatalogue('aws-personalized-ranking');
  /** Trending-Now: items whose popularity grows fastest. */
  public static readonly TRENDING_NOW = Recipe.ofCatalogue('aws-trending-now');
  /** Popularity-Count: the most popular items. */
  public static readonly POPULARITY_COUNT = Recipe.ofCatalogue('aws-popularity-count');
  /** Similar-Items: related items from interactions and metadata; supports HPO. */
  public static readonly SIMILAR_ITEMS = Recipe.ofCatalogue('aws-similar-items');
  /** SIMS: related items from co-occurrence in user histories; supports HPO. */
  public static readonly SIMS = Recipe.ofCatalogue('aws-sims');
  /** Semantic-Similarity: related items from the meaning of their text. */
  public static readonly SEMANTIC_SIMILARITY = Recipe.ofCatalogue('aws-semantic-similarity');
  /** Next-Best-Action: the actions a user is most likely to take. */
  public static readonly NEXT_BEST_ACTION = Recipe.ofCatalogue('aws-next-best-action');
  /** Item-Affinity: user segments for items. */
  public static readonly ITEM_AFFINITY = Recipe.ofCatalogue('aws-item-affinity');
  /** Item-Attribute-Affinity: user segments for item attributes. */
  public static readonly ITEM_ATTRIBUTE_AFFINITY = Recipe.ofCatalogue('aws-item-attribute-affinity');
  /** HRNN (legacy, no longer available for new solutions): use USER_PERSONALIZATION. */
  public static readonly HRNN = Recipe.ofCatalogue('aws-hrnn');
  /** HRNN-Metadata (legacy, no longer available for new solutions): use USER_PERSONALIZATION. */
  public static readonly HRNN_METADATA = Recipe.ofCatalogue('aws-hrnn-metadata');
  /** HRNN-Coldstart (legacy, no longer available for new solutions): use USER_PERSONALIZATION. */
  public static readonly HRNN_COLDSTART = Recipe.ofCatalogue('aws-hrnn-coldstart');

  /** Every recipe in the catalogue, current and legacy. */
  public static all(): Recipe[] {
    return RECIPE_CATALOGUE.map(entry => Recipe.ofCatalogue(entry.name));
  }

  /**
   * A recipe by ARN. An ARN of a catalogued recipe returns that recipe; any other recipe is taken
   * as the options describe it.
   */
  public static fromArn(recipeArn: string, options: CustomRecipeOptions = {}): Recipe {
    checkKnownKeys('Recipe.fromArn', 'CustomRecipeOptions', options);
    if (!Token.isUnresolved(recipeArn)) {
      const match = /^arn:[a-z\d-]+:personalize:::recipe\/(.+)$/.exec(recipeArn);
      if (!match) {
        throw new Error(`Recipe.fromArn: ${describeValue(recipeArn)} is not a recipe ARN (arn:aws:personalize:::recipe/<name>, e.g. ` +
          'arn:aws:personalize:::recipe/aws-user-personalization); for a recipe this library lists, use Recipe.USER_PERSONALIZATION and its siblings');
      }
      const known = findCatalogueRecipe(match[1]);
      if (known) {
        return Recipe.ofCatalogue(known.name);
      }
    }
    return new Recipe(recipeArn, undefined, options);
  }

  private static ofCatalogue(name: string): Recipe {
    const entry = findCatalogueRecipe(name);
    if (!entry) {
      throw new Error(`recipe '${name}' is not in the catalogue`);
    }
    return new Recipe(undefined, entry, {});
  }

  /** The recipe's name, e.g. `aws-user-personalization`, or its ARN for a recipe outside the catalogue. */
  public readonly recipeName: string;

  /** The recipe's type, when known. */
  public readonly recipeType?: RecipeType;

  /** Whether the recipe accepts an HPO configuration. */
  public readonly supportsHpo: boolean;

  /** Whether Personalize lists the recipe as legacy. */
  public readonly legacy: boolean;

  /** Whether the recipe accepts an events configuration. */
  public readonly supportsEventsConfig: boolean;

  /** Whether the recipe accepts an optimization objective. */
  public readonly supportsOptimizationObjective: boolean;

  /** Whether the recipe accepts incremental updates. */
  public readonly supportsIncrementalUpdate: boolean;

  /** Whether solution versions of the recipe accept trainingMode UPDATE. */
  public readonly supportsUpdateTraining: boolean;

  /** Whether campaigns over the recipe accept item exploration settings. */
  public readonly supportsItemExploration: boolean;

  /** Whether the library knows this recipe's hyperparameters (from the catalogue or declared). */
  public readonly hyperParametersKnown: boolean;

  /** The hyperparameters the recipe accepts. */
  public readonly hyperParameters: HyperParameterDefinition[];

  /** A remark about the recipe, if the catalogue has one. */
  public readonly note?: string;

  private readonly explicitArn?: string;

  private constructor(recipeArn: string | undefined, entry: CatalogueRecipe | undefined, options: CustomRecipeOptions) {
    this.explicitArn = recipeArn;
    if (entry) {
      this.recipeName = entry.name;
      this.recipeType = RecipeType.of(entry.recipeType);
      this.supportsHpo = entry.manualHpo;
      this.legacy = entry.legacy;
      this.supportsEventsConfig = entry.eventsConfig;
      this.supportsOptimizationObjective = entry.optimizationObjective;
      this.supportsIncrementalUpdate = entry.incrementalUpdate;
      this.supportsUpdateTraining = entry.updateTraining;
      this.supportsItemExploration = entry.itemExploration;
      this.hyperParametersKnown = true;
      this.hyperParameters = entry.params.map(toDefinition);
      this.note = entry.note;
    } else {
      this.recipeName = recipeArn ?? '';
      this.recipeType = options.recipeType;
      this.supportsHpo = options.supportsHpo ?? true;
      this.legacy = false;
      this.supportsEventsConfig = options.supportsEventsConfig ?? false;
      this.supportsOptimizationObjective = options.supportsOptimizationObjective ?? false;
      this.supportsIncrementalUpdate = options.supportsIncrementalUpdate ?? false;
      this.supportsUpdateTraining = options.supportsUpdateTraining ?? false;
      this.supportsItemExploration = false;
      this.hyperParametersKnown = options.hyperParameters !== undefined;
      this.hyperParameters = options.hyperParameters ?? [];
    }
  }

  /** Whether the recipe comes from the catalogue rather than `Recipe.fromArn`. */
  public get catalogued(): boolean {
    return this.explicitArn === undefined;
  }

  /**
   * The recipe's ARN in the partition of the stack that contains `scope`.
   *
   * Recipe ARNs carry neither region nor account.
   */
  public recipeArn(scope: IConstruct): string {
    if (this.explicitArn !== undefined) {
      return this.explicitArn;
    }
    return `arn:${partitionOf(scope)}:personalize:::recipe/${this.recipeName}`;
  }

  /** The definition of one hyperparameter, if the recipe has it. */
  public findHyperParameter(name: string): HyperParameterDefinition | undefined {
    return this.hyperParameters.find(p => p.name === name);
  }

  public toString(): string {
    return this.recipeName;
  }
}

function toDefinition(param: CatalogueParam): HyperParameterDefinition {
  return {
    name: param.name,
    type: param.type as HyperParameterType,
    placement: param.placement as HyperParameterPlacement,
    defaultValue: param.defaultValue,
    minValue: param.min,
    maxValue: param.max,
    allowedValues: param.values,
    tunable: param.tunable,
    tunableOnly: param.tunableOnly ?? false,
  };
}
