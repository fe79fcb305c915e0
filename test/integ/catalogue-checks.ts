// The recipe catalogue's open entries, each turned into the API calls that settle it in a real
// account. The calls only describe recipes, algorithms and feature transformations: they train
// nothing and bill nothing. The real-account test (integ.hpo-retrain.ts) asserts every check.
import { CatalogueParam, CatalogueRecipe, RECIPE_CATALOGUE } from '../../src/private/recipe-catalogue';

/** One open catalogue entry and what a real account must answer for the catalogue to be right. */
export interface CatalogueCheck {
  readonly recipe: string;
  readonly param: string;
  /** The catalogue's own words on what is open. */
  readonly open: string;
  /** The call whose answer settles it. */
  readonly api: 'describeAlgorithm' | 'describeFeatureTransformation';
  /** Where in that answer the catalogue's claim must show. */
  readonly path: string;
  /** The claim, as a plain object the assertion matches partly (objectLike / arrayWith). */
  readonly expected: Record<string, unknown>;
  /** What the check cannot settle, if anything. */
  readonly leavesOpen?: string;
}

const RANGE_LIST: Record<CatalogueParam['type'], string> = {
  integer: 'integerHyperParameterRanges',
  continuous: 'continuousHyperParameterRanges',
  categorical: 'categoricalHyperParameterRanges',
  boolean: 'categoricalHyperParameterRanges',
};

function defaultOf(param: CatalogueParam): string {
  if (param.defaultValue === undefined) {
    throw new Error(`${param.name}: an unverified featurization parameter needs a documented default for its check`);
  }
  return param.defaultValue;
}

function checkOf(recipe: CatalogueRecipe, param: CatalogueParam): CatalogueCheck {
  const open = param.unverified!;
  if (param.placement === 'featureTransformation') {
    // A featurization parameter is one of the recipe's feature transformation's default parameters.
    return {
      recipe: recipe.name,
      param: param.name,
      open,
      api: 'describeFeatureTransformation',
      path: 'featureTransformation.defaultParameters',
      expected: { [param.name]: defaultOf(param) },
      leavesOpen: param.values
        ? `which of ${param.values.join(', ')} CreateSolution accepts: only a training with each value shows it`
        : undefined,
    };
  }
  // An algorithm parameter is named in the algorithm's default ranges, with the catalogue's bounds.
  const range = param.type === 'integer' || param.type === 'continuous'
    ? { name: param.name, minValue: param.min, maxValue: param.max, isTunable: param.tunable }
    : { name: param.name, values: param.values, isTunable: param.tunable };
  return {
    recipe: recipe.name,
    param: param.name,
    open,
    api: 'describeAlgorithm',
    path: `algorithm.defaultHyperParameterRanges.${RANGE_LIST[param.type]}`,
    expected: range,
  };
}

/** A check for every catalogue entry marked unverified, legacy recipes aside (none can be described for new solutions). */
export function catalogueChecks(catalogue: readonly CatalogueRecipe[] = RECIPE_CATALOGUE): CatalogueCheck[] {
  return catalogue
    .filter(recipe => !recipe.legacy)
    .flatMap(recipe => recipe.params.filter(param => param.unverified).map(param => checkOf(recipe, param)));
}
