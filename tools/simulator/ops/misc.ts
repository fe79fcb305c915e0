// Recipes, algorithms and tags.
import { ServiceError, notFound } from '../errors';
import { RecipeInfo } from '../recipe-catalog';
import { SimState } from '../state';
import { DEFAULT_HPO_JOBS } from '../training';
import { Tag, toWireTime as t } from '../wire';
import { HandlerTable, compact, paginate } from './common';

/** Recipes and algorithms carry a fixed catalogue date. */
const CATALOGUE_TIME = t(Date.UTC(2019, 5, 10));

function recipeOf(state: SimState, arn: string): RecipeInfo {
  const recipe = state.recipes.byRecipeArn(arn);
  if (!recipe) throw notFound('recipe', arn);
  return recipe;
}

function describeAlgorithm(state: SimState, input: { algorithmArn: string }) {
  const recipe = state.recipes.byAlgorithmArn(input.algorithmArn);
  if (!recipe) throw notFound('algorithm', input.algorithmArn);
  const params = recipe.params.filter((p) => p.kind === 'algorithm');
  const numeric = (type: string) => params
    .filter((p) => p.type === type && p.min !== undefined && p.max !== undefined)
    .map((p) => ({ name: p.name, minValue: p.min!, maxValue: p.max!, isTunable: p.tunable === true }));
  const name = recipe.algorithmArn.split('/').pop()!;
  return {
    algorithm: {
      name,
      algorithmArn: recipe.algorithmArn,
      algorithmImage: { name, dockerURI: `${name}:latest` },
      defaultHyperParameters: Object.fromEntries(params.filter((p) => p.default !== undefined).map((p) => [p.name, String(p.default)])),
      defaultHyperParameterRanges: {
        integerHyperParameterRanges: numeric('integer'),
        continuousHyperParameterRanges: numeric('continuous'),
        categoricalHyperParameterRanges: params
          .filter((p) => p.values || p.type === 'boolean')
          .map((p) => ({ name: p.name, values: p.values ?? ['true', 'false'], isTunable: p.tunable === true })),
      },
      defaultResourceConfig: (recipe.manualHpo
        ? { max_number_of_training_jobs: String(DEFAULT_HPO_JOBS.total), max_parallel_training_jobs: String(DEFAULT_HPO_JOBS.parallel) }
        : {}) as Record<string, string>,
      trainingInputMode: 'File',
      creationDateTime: CATALOGUE_TIME,
      lastUpdatedDateTime: CATALOGUE_TIME,
    },
  };
}

function resourceArn(state: SimState, arn: string): string {
  if (!state.exists(arn)) throw notFound('resource', arn);
  return arn;
}

export const miscHandlers: HandlerTable = {
  DescribeRecipe: (state, input: { recipeArn: string }) => {
    const r = recipeOf(state, input.recipeArn);
    if (r.legacy) state.log(`note: ${r.recipeArn} is a legacy recipe (no longer offered by the real service)`);
    return {
      recipe: compact({
        name: r.name,
        recipeArn: r.recipeArn,
        algorithmArn: r.algorithmArn,
        featureTransformationArn: r.featureTransformationArn,
        status: 'ACTIVE',
        description: `${r.recipeType} recipe${r.legacy ? ' (legacy)' : ''}`,
        recipeType: r.recipeType,
        creationDateTime: CATALOGUE_TIME,
        lastUpdatedDateTime: CATALOGUE_TIME,
      }),
    };
  },
  ListRecipes: (state, input: { domain?: string; maxResults?: number; nextToken?: string }) => {
    // Domain (Recommender) recipes are not simulated; legacy recipes are not listed.
    const all = input.domain ? [] : state.recipes.all().filter((r) => !r.legacy);
    const { page, nextToken } = paginate(all, input);
    return compact({
      recipes: page.map((r) => ({
        name: r.name, recipeArn: r.recipeArn, status: 'ACTIVE', creationDateTime: CATALOGUE_TIME, lastUpdatedDateTime: CATALOGUE_TIME,
      })),
      nextToken,
    });
  },
  DescribeAlgorithm: describeAlgorithm,
  TagResource: (state, input: { resourceArn: string; tags: Tag[] }) => {
    state.addTags(resourceArn(state, input.resourceArn), input.tags);
    return {};
  },
  UntagResource: (state, input: { resourceArn: string; tagKeys: string[] }) => {
    const arn = resourceArn(state, input.resourceArn);
    if (input.tagKeys.length > 50) throw new ServiceError('TooManyTagKeysException', 'At most 50 tag keys can be removed at once');
    const kept = (state.tags.get(arn) ?? []).filter((tag) => !input.tagKeys.includes(tag.tagKey));
    if (kept.length > 0) state.tags.set(arn, kept);
    else state.tags.delete(arn);
    return {};
  },
  ListTagsForResource: (state, input: { resourceArn: string }) => ({ tags: state.tags.get(resourceArn(state, input.resourceArn)) ?? [] }),
};
