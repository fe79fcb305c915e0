import { readFileSync } from 'fs';
import { join } from 'path';

/** A hyperparameter as listed in recipes.json. */
export interface RecipeParam {
  readonly name: string;
  /** Older documented spelling that the simulator also accepts. */
  readonly altName?: string;
  readonly kind: 'algorithm' | 'featurization' | 'campaign';
  readonly type: 'integer' | 'continuous' | 'categorical' | 'boolean';
  readonly default?: string | number;
  readonly min?: number;
  readonly max?: number;
  readonly values?: string[];
  readonly tunable?: boolean;
  /** Can only be set through an HPO range (Similar-Items). */
  readonly hpoOnly?: boolean;
}

/** A recipe as the simulator knows it. */
export interface RecipeInfo {
  readonly name: string;
  readonly recipeArn: string;
  readonly algorithmArn: string;
  readonly featureTransformationArn?: string;
  readonly recipeType: string;
  readonly legacy: boolean;
  readonly manualHpo: boolean;
  readonly trainingModeUpdate: boolean;
  readonly eventsConfig: boolean;
  readonly optimizationObjective: boolean;
  readonly performIncrementalUpdate: boolean;
  readonly params: readonly RecipeParam[];
}

interface RawRecipe {
  type: string;
  status: string;
  manualHpo: boolean;
  algorithm?: string;
  sameParamsAs?: string;
  trainingModeUpdate?: boolean;
  eventsConfig?: boolean;
  optimizationObjective?: boolean;
  performIncrementalUpdate?: boolean;
  params?: RecipeParam[];
}

// Not in recipes.json: feature-transformation ARNs from the fact sheet, section 1.1.
const FEATURE_TRANSFORMATIONS: Record<string, string> = {
  'aws-personalized-ranking': 'JSON-percentile-filtering',
  'aws-popularity-count': 'sims',
  'aws-sims': 'sims',
  'aws-semantic-similarity': 'aws-semantic-similarity',
  'aws-item-affinity': 'item-affinity',
  'aws-item-attribute-affinity': 'item-attribute-affinity',
  'aws-hrnn': 'JSON-percentile-filtering',
  'aws-hrnn-metadata': 'featurize_metadata',
  'aws-hrnn-coldstart': 'featurize_coldstart',
};

const GLOBAL_ARN = /^arn:[a-z\d-]+:personalize:::(recipe|algorithm)\/(.+)$/;

/** The recipe table of recipes.json (copied from the fact sheet), indexed by recipe and algorithm. */
export class RecipeCatalog {
  private readonly recipes = new Map<string, RecipeInfo>();

  constructor() {
    const raw = JSON.parse(readFileSync(join(__dirname, 'recipes.json'), 'utf8')) as { recipes: Record<string, RawRecipe> };
    for (const [name, r] of Object.entries(raw.recipes)) {
      const params = r.params ?? raw.recipes[r.sameParamsAs ?? '']?.params ?? [];
      const ft = FEATURE_TRANSFORMATIONS[name];
      this.recipes.set(name, {
        name,
        recipeArn: `arn:aws:personalize:::recipe/${name}`,
        algorithmArn: `arn:aws:personalize:::algorithm/${r.algorithm ?? name}`,
        featureTransformationArn: ft ? `arn:aws:personalize:::feature-transformation/${ft}` : undefined,
        recipeType: r.type,
        legacy: r.status !== 'current',
        manualHpo: r.manualHpo,
        trainingModeUpdate: r.trainingModeUpdate === true,
        eventsConfig: r.eventsConfig === true,
        optimizationObjective: r.optimizationObjective === true,
        performIncrementalUpdate: r.performIncrementalUpdate === true,
        params,
      });
    }
  }

  /** Looks a recipe up by its ARN (any partition). */
  byRecipeArn(arn: string): RecipeInfo | undefined {
    const m = GLOBAL_ARN.exec(arn);
    return m && m[1] === 'recipe' ? this.recipes.get(m[2]) : undefined;
  }

  byAlgorithmArn(arn: string): RecipeInfo | undefined {
    const m = GLOBAL_ARN.exec(arn);
    if (!m || m[1] !== 'algorithm') return undefined;
    return this.all().find((r) => r.algorithmArn.endsWith(`/${m[2]}`));
  }

  all(): RecipeInfo[] {
    return [...this.recipes.values()];
  }
}

/** Finds a parameter by its current or older spelling. */
export function findParam(recipe: RecipeInfo, name: string): RecipeParam | undefined {
  return recipe.params.find((p) => p.name === name || p.altName === name);
}
