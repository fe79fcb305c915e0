import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { API_LIMITS, NAME_PATTERN } from './api-limits';
import { HyperParameterEntry, HyperParameterRangeEntry } from './entries';
import { validateColumnLists } from './group-rules';
import { CatalogueRecipe, ParamType, RECIPE_CATALOGUE, findCatalogueRecipe } from './recipe-catalogue';
import type { HyperParameterFacts, RecipeFacts, SolutionInput } from './solution-input';
import { placementOf } from './solution-render';
import { PropsValidator } from './validation';

/** Members of solutionConfig that Personalize ignores when AutoML is on, by prop name. */
const IGNORED_WITH_AUTOML: Array<keyof SolutionInput> = [
  'hyperParameters', 'hpo', 'eventValueThreshold', 'optimizationObjective', 'eventParameters',
  'excludedDatasetColumns', 'includedDatasetColumns', 'autoTrainingSchedule',
];

/**
 * Checks solution props against the recipe catalogue and the API's limits; throws once with
 * every problem. Warnings go to the construct's annotations.
 */
export function validateSolutionInput(scope: IConstruct, props: SolutionInput): void {
  const v = new PropsValidator(scope, 'solution');
  const recipe = props.recipe;

  v.string('solutionName', props.solutionName, { minLength: 1, maxLength: API_LIMITS.nameMaxLength, pattern: NAME_PATTERN });
  v.string('eventType', props.eventType, { maxLength: API_LIMITS.stringMaxLength });
  v.number('eventValueThreshold', props.eventValueThreshold);

  if (props.autoMl) {
    validateAutoMl(v, props);
  } else if (!recipe) {
    v.fail('recipe', undefined, 'a recipe is required unless autoMl is set');
  }

  if (recipe) {
    if (recipe.legacy) {
      v.warn('legacy-recipe', `recipe ${recipe.recipeName} is legacy: Personalize lists it as no longer available for new solutions; prefer Recipe.USER_PERSONALIZATION_V2 or Recipe.USER_PERSONALIZATION`);
    }
    if (!recipe.hyperParametersKnown && (props.hyperParameters || props.hpo)) {
      v.warn('undeclared-recipe', `recipe ${recipe.recipeName} declares no hyperparameters, so hyperparameters and ranges are passed through unchecked; declare them with Recipe.fromArn(arn, { hyperParameters })`);
    }
    validateHyperParameters(v, recipe, props.hyperParameters?._entries ?? []);
    validateTunedSource(v, recipe, props.hyperParameters?._entries ?? [], props.solutionName);
    if (props.hpo) {
      validateHpo(v, recipe, props);
    }
    requireSupport(v, recipe, 'optimizationObjective', props.optimizationObjective?.itemAttribute, 'supportsOptimizationObjective');
    requireSupport(v, recipe, 'eventParameters', props.eventParameters?.map(e => e.eventType), 'supportsEventsConfig');
    if (props.performIncrementalUpdate === true) {
      requireSupport(v, recipe, 'performIncrementalUpdate', true, 'supportsIncrementalUpdate');
    }
  }

  if (props.optimizationObjective) {
    v.string('optimizationObjective.itemAttribute', props.optimizationObjective.itemAttribute,
      { minLength: 1, maxLength: API_LIMITS.itemAttributeMaxLength });
  }
  validateEventParameters(v, props);
  validateColumnLists(v, 'excludedDatasetColumns', props.excludedDatasetColumns);
  validateColumnLists(v, 'includedDatasetColumns', props.includedDatasetColumns);
  validateAutoTraining(v, props);

  v.throwIfInvalid();
}

function validateAutoMl(v: PropsValidator, props: SolutionInput): void {
  v.warn('automl', 'autoMl is set: Personalize only ever chose among the legacy HRNN recipes with it, and AWS advises choosing a recipe instead');
  if (props.recipe) {
    v.failCombination(`recipe (${props.recipe.recipeName}) and autoMl cannot be combined: with AutoML Personalize chooses the recipe`);
  }
  const ignored = IGNORED_WITH_AUTOML.filter(key => props[key] !== undefined);
  if (ignored.length > 0) {
    v.failCombination(`autoMl cannot be combined with ${ignored.join(', ')}: with AutoML Personalize ignores every other training setting`);
  }
  v.string('autoMl.metricName', props.autoMl?.metricName, { maxLength: API_LIMITS.stringMaxLength });
  const recipes = props.autoMl?.recipes ?? [];
  if (recipes.length > API_LIMITS.autoMlRecipes) {
    v.fail('autoMl.recipes', recipes.length, `at most ${API_LIMITS.autoMlRecipes} recipes`);
  }
}

function validateHyperParameters(v: PropsValidator, recipe: RecipeFacts, entries: HyperParameterEntry[]): void {
  const seen = new Set<string>();
  const known = recipe.hyperParameters.map(p => p.name);
  for (const entry of entries) {
    const field = `hyperParameters.${entry.name}`;
    if (seen.has(entry.name)) {
      v.fail(field, entry.value, 'is given twice');
    }
    seen.add(entry.name);
    v.string(field, entry.value, { maxLength: API_LIMITS.hyperParameterValueLength });

    const definition = recipe.findHyperParameter(entry.name);
    if (!definition) {
      if (!recipe.hyperParametersKnown) {
        continue;
      }
      if (entry.custom) {
        v.warn('undeclared-hyperparameter', `${field} is not a documented hyperparameter of recipe ${recipe.recipeName}; it is passed through unchecked`);
      } else {
        v.fail(field, entry.value, `recipe ${recipe.recipeName} has no such hyperparameter; its hyperparameters are ${listOrNone(known)}`);
      }
      continue;
    }
    if (definition.tunableOnly) {
      v.fail(field, entry.value, `recipe ${recipe.recipeName} takes ${entry.name} only as an HPO range (hpo.ranges)`);
      continue;
    }
    if (Token.isUnresolved(entry.value)) {
      continue;
    }
    validateValue(v, recipe, definition, field, entry);
  }
  const byPlacement = new Map<string, number>();
  for (const entry of entries) {
    const placement = placementOf(recipe, entry);
    byPlacement.set(placement, (byPlacement.get(placement) ?? 0) + 1);
  }
  for (const [placement, count] of byPlacement) {
    if (count > API_LIMITS.hyperParameters) {
      v.fail(`hyperParameters (${placement})`, count, `at most ${API_LIMITS.hyperParameters} entries`);
    }
  }
}

function validateValue(v: PropsValidator, recipe: RecipeFacts, definition: HyperParameterFacts, field: string, entry: HyperParameterEntry): void {
  switch (definition.type) {
    case 'integer':
    case 'continuous': {
      const integer = definition.type === 'integer';
      const value = entry.numeric;
      if (value === undefined || !Number.isFinite(value) || (integer && !Number.isInteger(value))) {
        v.fail(field, entry.value, `must be ${integer ? 'an integer' : 'a number'}`);
      } else if (definition.name.endsWith('_percentile') && (value < 0 || value > 1)) {
        // A percentile is a share from 0 to 1 by definition, whatever else the bounds tolerate.
        v.fail(field, value, 'is a percentile: a share from 0 to 1 (e.g. 0.9 for the 90th percentile)');
      } else if (outside(value, definition)) {
        v.warn('hyperparameter-bounds', `${field} is ${value}, outside the documented bounds ${bounds(definition)} of recipe ${recipe.recipeName}`);
      }
      return;
    }
    case 'boolean':
      if (entry.value !== 'true' && entry.value !== 'false') {
        v.fail(field, entry.value, 'must be true or false');
      }
      return;
    case 'categorical': {
      const allowed = definition.allowedValues ?? [];
      if (allowed.length > 0 && !allowed.includes(entry.value)) {
        if (isUnverified(recipe, definition.name)) {
          v.warn('hyperparameter-value', `${field} is '${entry.value}', not one of the documented values ${allowed.join(', ')} (the documentation is inconsistent here)`);
        } else {
          v.fail(field, entry.value, `must be one of ${allowed.join(', ')}`);
        }
      }
      return;
    }
  }
}

function validateHpo(v: PropsValidator, recipe: RecipeFacts, props: SolutionInput): void {
  const hpo = props.hpo!;
  const ranges = hpo.ranges._entries;
  if (!recipe.supportsHpo) {
    const supporting = RECIPE_CATALOGUE.filter(r => r.manualHpo && !r.legacy).map(r => r.name);
    v.fail('hpo', ranges.map(r => r.name), `recipe ${recipe.recipeName} does not accept HPO${recipe.note ? ` (${recipe.note})` : ''}; recipes that do: ${supporting.join(', ')}`);
    return;
  }

  const fixed = new Set((props.hyperParameters?._entries ?? []).map(e => e.name));
  const seen = new Set<string>();
  const tunable = recipe.hyperParameters.filter(p => p.tunable).map(p => p.name);
  const perType = new Map<ParamType, number>();
  for (const range of ranges) {
    const field = `hpo.ranges.${range.name}`;
    perType.set(range.type, (perType.get(range.type) ?? 0) + 1);
    if (seen.has(range.name)) {
      v.fail(field, describeRange(range), 'is ranged twice');
    }
    seen.add(range.name);
    if (fixed.has(range.name)) {
      v.fail(field, describeRange(range), 'is also given a fixed value in hyperParameters; a hyperparameter is either fixed or tuned');
    }
    validateRangeShape(v, field, range);

    const definition = recipe.findHyperParameter(range.name);
    if (!definition) {
      if (!recipe.hyperParametersKnown) {
        continue;
      }
      if (range.custom) {
        v.warn('undeclared-hyperparameter', `${field} is not a documented hyperparameter of recipe ${recipe.recipeName}; it is passed through unchecked`);
      } else {
        v.fail(field, describeRange(range), `recipe ${recipe.recipeName} has no such hyperparameter; its tunable hyperparameters are ${listOrNone(tunable)}`);
      }
      continue;
    }
    if (!definition.tunable) {
      v.fail(field, describeRange(range), `${range.name} cannot be tuned; the tunable hyperparameters of recipe ${recipe.recipeName} are ${listOrNone(tunable)}`);
      continue;
    }
    validateRangeAgainstDefinition(v, recipe, field, range, definition);
  }
  for (const [type, count] of perType) {
    if (count > API_LIMITS.rangesPerType) {
      v.fail(`hpo.ranges (${type})`, count, `at most ${API_LIMITS.rangesPerType} ranges of one kind`);
    }
  }

  v.integer('hpo.maxNumberOfTrainingJobs', hpo.maxNumberOfTrainingJobs, 1, API_LIMITS.maxNumberOfTrainingJobs);
  v.integer('hpo.maxParallelTrainingJobs', hpo.maxParallelTrainingJobs, 1, API_LIMITS.maxParallelTrainingJobs);
  const total = hpo.maxNumberOfTrainingJobs;
  const parallel = hpo.maxParallelTrainingJobs;
  if (total !== undefined && parallel !== undefined && !Token.isUnresolved(total) && !Token.isUnresolved(parallel) && parallel > total) {
    v.fail('hpo.maxParallelTrainingJobs', parallel, `must not exceed hpo.maxNumberOfTrainingJobs (${total})`);
  }
}

function validateRangeShape(v: PropsValidator, field: string, range: HyperParameterRangeEntry): void {
  if (range.type === 'categorical') {
    const values = range.values ?? [];
    if (values.length === 0) {
      v.fail(field, values, 'a categorical range needs at least one value');
    }
    const duplicates = values.filter((value, i) => values.indexOf(value) !== i);
    if (duplicates.length > 0) {
      v.fail(field, values, `values must be distinct (repeated: ${[...new Set(duplicates)].join(', ')})`);
    }
    if (values.length > API_LIMITS.categoricalValues) {
      v.fail(field, values.length, `at most ${API_LIMITS.categoricalValues} values`);
    }
    for (const value of values) {
      v.string(`${field}.values`, value, { maxLength: API_LIMITS.categoricalValueLength });
    }
    return;
  }
  const { minValue, maxValue } = range;
  if (minValue === undefined || maxValue === undefined || Token.isUnresolved(minValue) || Token.isUnresolved(maxValue)) {
    return;
  }
  if (range.type === 'integer') {
    if (!Number.isInteger(minValue) || !Number.isInteger(maxValue)) {
      v.fail(field, describeRange(range), 'an integer range needs integer bounds');
    }
    if (minValue < API_LIMITS.integerRangeMin || maxValue > API_LIMITS.integerRangeMax) {
      v.fail(field, describeRange(range), `integer ranges must lie within ${API_LIMITS.integerRangeMin} to ${API_LIMITS.integerRangeMax}`);
    }
  } else if (minValue < API_LIMITS.continuousRangeMin || !Number.isFinite(minValue) || !Number.isFinite(maxValue)) {
    v.fail(field, describeRange(range), `continuous ranges need finite bounds of at least ${API_LIMITS.continuousRangeMin}`);
  }
  if (minValue > maxValue) {
    v.fail(field, describeRange(range), 'minValue must not exceed maxValue');
  }
}

function validateRangeAgainstDefinition(
  v: PropsValidator, recipe: RecipeFacts, field: string, range: HyperParameterRangeEntry, definition: HyperParameterFacts,
): void {
  const expected = definition.type === 'boolean' ? 'categorical' : definition.type;
  if (range.type !== expected) {
    const factory = definition.type === 'boolean' ? 'boolean' : expected;
    v.fail(field, describeRange(range), `${range.name} is a ${definition.type} hyperparameter: use HyperParameterRange.${factory}()`);
    return;
  }
  if (definition.type === 'boolean') {
    const wrong = (range.values ?? []).filter(value => value !== 'true' && value !== 'false');
    if (wrong.length > 0) {
      v.fail(field, range.values, `${range.name} is boolean: its values can only be 'true' and 'false'`);
    }
    return;
  }
  if (range.type === 'categorical') {
    const allowed = definition.allowedValues ?? [];
    const wrong = (range.values ?? []).filter(value => allowed.length > 0 && !allowed.includes(value));
    if (wrong.length > 0) {
      v.fail(field, range.values, `values must be among ${allowed.join(', ')}`);
    }
    return;
  }
  const { minValue, maxValue } = range;
  if (minValue === undefined || maxValue === undefined || Token.isUnresolved(minValue) || Token.isUnresolved(maxValue)) {
    return;
  }
  if (outside(minValue, definition) || outside(maxValue, definition)) {
    v.warn('range-bounds', `${field} is ${minValue} to ${maxValue}, beyond the documented bounds ${bounds(definition)} of ${range.name} for recipe ${recipe.recipeName}; Personalize may reject or clamp it`);
  }
}

function validateEventParameters(v: PropsValidator, props: SolutionInput): void {
  const list = props.eventParameters;
  if (!list) {
    return;
  }
  if (list.length > API_LIMITS.eventParameters) {
    v.fail('eventParameters', `${list.length} entries`, `at most ${API_LIMITS.eventParameters}`);
  }
  const seen = new Set<string>();
  list.forEach((entry, i) => {
    v.string(`eventParameters[${i}].eventType`, entry.eventType, { minLength: 1, maxLength: API_LIMITS.stringMaxLength });
    v.number(`eventParameters[${i}].weight`, entry.weight, 0, 1);
    v.number(`eventParameters[${i}].eventValueThreshold`, entry.eventValueThreshold);
    if (!Token.isUnresolved(entry.eventType) && seen.has(entry.eventType)) {
      v.fail(`eventParameters[${i}].eventType`, entry.eventType, 'each event type may appear once');
    }
    seen.add(entry.eventType);
  });
}

function validateAutoTraining(v: PropsValidator, props: SolutionInput): void {
  const schedule = props.autoTrainingSchedule;
  if (schedule && props.performAutoTraining !== true) {
    v.failCombination('autoTrainingSchedule needs performAutoTraining: true (automatic training is off by default)');
  }
  if (schedule && !schedule.isUnresolved()) {
    const days = schedule.toDays({ integral: false });
    if (!Number.isInteger(days) || days < API_LIMITS.autoTrainingDaysMin || days > API_LIMITS.autoTrainingDaysMax) {
      v.fail('autoTrainingSchedule', schedule.toHumanString(), `must be whole days from ${API_LIMITS.autoTrainingDaysMin} to ${API_LIMITS.autoTrainingDaysMax} (rate(1 day) to rate(30 days))`);
    }
  }
  if (props.performAutoTraining === true && props.hpo) {
    v.warn('auto-training-hpo', 'performAutoTraining is on with HPO: every automatic training repeats the HPO and is billed');
  }
}

/** The catalogue's flag behind each capability of a recipe. */
const CATALOGUE_FLAGS = {
  supportsOptimizationObjective: 'optimizationObjective',
  supportsEventsConfig: 'eventsConfig',
  supportsIncrementalUpdate: 'incrementalUpdate',
} as const satisfies Record<string, keyof CatalogueRecipe>;

function requireSupport(v: PropsValidator, recipe: RecipeFacts, field: string, value: unknown, capability: keyof typeof CATALOGUE_FLAGS): void {
  if (value === undefined || recipe[capability] || !recipe.catalogued && !recipe.hyperParametersKnown) {
    return;
  }
  const supporting = RECIPE_CATALOGUE.filter(entry => entry[CATALOGUE_FLAGS[capability]]).map(entry => entry.name);
  v.fail(field, value, `recipe ${recipe.recipeName} does not support it; recipes that do: ${listOrNone(supporting)}`);
}

function outside(value: number, definition: HyperParameterFacts): boolean {
  return (definition.minValue !== undefined && value < definition.minValue) || (definition.maxValue !== undefined && value > definition.maxValue);
}

function bounds(definition: HyperParameterFacts): string {
  return `${definition.minValue ?? '-∞'} to ${definition.maxValue ?? '∞'}`;
}

function describeRange(range: HyperParameterRangeEntry): unknown {
  return range.type === 'categorical' ? range.values : { minValue: range.minValue, maxValue: range.maxValue };
}

function listOrNone(names: string[]): string {
  return names.length > 0 ? names.join(', ') : 'none';
}

function isUnverified(recipe: RecipeFacts, name: string): boolean {
  return findCatalogueRecipe(recipe.recipeName)?.params.find(p => p.name === name)?.unverified !== undefined;
}

/** Values HPO chose on one recipe mean nothing to another: the names and their meaning differ. */
function validateTunedSource(v: PropsValidator, recipe: RecipeFacts, entries: HyperParameterEntry[], solutionName: string | undefined): void {
  const sources = new Map(entries.filter(e => e.tunedBy).map(e => [e.tunedBy!.path, e.tunedBy!]));
  for (const source of sources.values()) {
    if (source.recipeName !== recipe.recipeName) {
      v.failCombination(`hyperParameters tuned by ${source.path} on recipe ${source.recipeName ?? '(unknown)'}: a solution of recipe ${recipe.recipeName} cannot take them; tune a solution of the same recipe`);
    }
    // New values replace the solution, and a replacement cannot keep a fixed name.
    if (solutionName !== undefined) {
      v.failCombination(`hyperParameters tuned by ${source.path} with a fixed solutionName '${solutionName}': each new tuning replaces this solution, ` +
        'which CloudFormation refuses for a fixed name only after HPO has trained; leave solutionName out so that each replacement gets a generated name');
    }
  }
  // HPO over a range beyond the documented bounds may choose a value Personalize refuses as a fixed one (open fact 44).
  for (const entry of entries.filter(e => e.tunedBy?.range)) {
    const definition = recipe.findHyperParameter(entry.name);
    const { min, max } = entry.tunedBy!.range!;
    if (definition && (outside(min, definition) || outside(max, definition))) {
      v.warn('tuned-beyond-bounds', `hyperParameters.${entry.name} is tuned by ${entry.tunedBy!.path} over ${min} to ${max}, beyond the documented bounds `
        + `${bounds(definition)}: HPO may choose a value Personalize refuses as a fixed value here (the offline simulator does), which fails the deploy after the HPO training; keep the range within the bounds`);
    }
  }
}
