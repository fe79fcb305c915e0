import { Token, Tokenization } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { HyperParameterEntry } from './entries';
import { ParamType } from './recipe-catalogue';
import type { DatasetColumnsInput, RecipeFacts, SolutionInput } from './solution-input';
import type { SolutionConfigSpec, SolutionSpec } from './solution-spec';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * The CreateSolution request of a validated solution, without tags (the construct adds them
 * lazily, as Tags.of() may add some after construction).
 */
export function renderSolutionSpec(scope: IConstruct, props: SolutionInput, name: string): Omit<SolutionSpec, 'tags'> {
  return {
    name,
    datasetGroupArn: props.datasetGroup.datasetGroupArn,
    recipeArn: props.recipe?.recipeArn(scope),
    performAutoML: props.autoMl !== undefined,
    // AutoML always runs HPO; Personalize rejects performHPO false with it.
    performHPO: performsHpo(props),
    performAutoTraining: props.performAutoTraining ?? false,
    performIncrementalUpdate: props.performIncrementalUpdate,
    eventType: props.eventType,
    solutionConfig: renderSolutionConfig(scope, props),
  };
}

/** Whether training runs HPO: with ranges, or with AutoML (which always does). */
export function performsHpo(props: SolutionInput): boolean {
  return props.hpo !== undefined || props.autoMl !== undefined;
}

/**
 * The hyperparameters whose tuned values a version reports: with HPO, every declared range and
 * every tunable hyperparameter of the recipe (Personalize reports what it tuned, which need not be
 * only the declared ranges); without HPO, none.
 */
export function reportedTunedNames(props: SolutionInput): string[] {
  if (!performsHpo(props)) {
    return [];
  }
  const declared = props.hpo?.ranges._entries.map(range => range.name) ?? [];
  const tunable = (props.recipe?.hyperParameters ?? []).filter(p => p.tunable).map(p => p.name);
  return [...new Set([...declared, ...tunable])];
}

/** The API's keys for `trainingDataConfig` column maps, by prop name. */
export const DATASET_TYPE_KEYS: Record<keyof DatasetColumnsInput, string> = {
  interactions: 'Interactions',
  items: 'Items',
  users: 'Users',
  actions: 'Actions',
  actionInteractions: 'Action_Interactions',
};

/** Renders `solutionConfig` of the CreateSolution request, or undefined when empty. */
export function renderSolutionConfig(scope: IConstruct, props: SolutionInput): SolutionConfigSpec | undefined {
  const config: Mutable<SolutionConfigSpec> = {};
  if (props.eventValueThreshold !== undefined) {
    config.eventValueThreshold = numberToString(props.eventValueThreshold);
  }

  const algorithm: Record<string, string> = {};
  const featureTransformation: Record<string, string> = {};
  for (const entry of props.hyperParameters?._entries ?? []) {
    const target = placementOf(props.recipe, entry) === 'featureTransformation' ? featureTransformation : algorithm;
    target[entry.name] = entry.value;
  }
  if (Object.keys(algorithm).length > 0) {
    config.algorithmHyperParameters = algorithm;
  }
  if (Object.keys(featureTransformation).length > 0) {
    config.featureTransformationParameters = featureTransformation;
  }

  if (props.hpo) {
    const ranges = props.hpo.ranges._entries;
    const ofType = (type: ParamType) => ranges.filter(r => r.type === type);
    const bounded = (type: ParamType) => ofType(type).map(r => ({ name: r.name, minValue: r.minValue, maxValue: r.maxValue }));
    const resourceConfig: Record<string, string> = {};
    if (props.hpo.maxNumberOfTrainingJobs !== undefined) {
      resourceConfig.maxNumberOfTrainingJobs = numberToString(props.hpo.maxNumberOfTrainingJobs);
    }
    if (props.hpo.maxParallelTrainingJobs !== undefined) {
      resourceConfig.maxParallelTrainingJobs = numberToString(props.hpo.maxParallelTrainingJobs);
    }
    config.hpoConfig = {
      // Personalize asks for all three lists, empty where nothing of that kind is tuned.
      algorithmHyperParameterRanges: {
        integerHyperParameterRanges: bounded('integer'),
        continuousHyperParameterRanges: bounded('continuous'),
        categoricalHyperParameterRanges: ofType('categorical').map(r => ({ name: r.name, values: r.values })),
      },
      hpoResourceConfig: Object.keys(resourceConfig).length > 0 ? resourceConfig : undefined,
    };
  }

  if (props.autoMl) {
    config.autoMLConfig = {
      metricName: props.autoMl.metricName,
      recipeList: props.autoMl.recipes?.map(r => r.recipeArn(scope)),
    };
  }
  if (props.eventParameters) {
    config.eventsConfig = {
      eventParametersList: props.eventParameters.map(e => ({ eventType: e.eventType, eventValueThreshold: e.eventValueThreshold, weight: e.weight })),
    };
  }
  if (props.optimizationObjective) {
    config.optimizationObjective = {
      itemAttribute: props.optimizationObjective.itemAttribute,
      objectiveSensitivity: props.optimizationObjective.objectiveSensitivity,
    };
  }
  if (props.excludedDatasetColumns || props.includedDatasetColumns) {
    config.trainingDataConfig = {
      excludedDatasetColumns: renderColumns(props.excludedDatasetColumns),
      includedDatasetColumns: renderColumns(props.includedDatasetColumns),
    };
  }
  if (props.performAutoTraining) {
    const days = props.autoTrainingSchedule?.toDays() ?? 7;
    config.autoTrainingConfig = { schedulingExpression: `rate(${days} ${days === 1 ? 'day' : 'days'})` };
  }
  return Object.keys(config).length > 0 ? config : undefined;
}

export function renderColumns(columns: DatasetColumnsInput | undefined): Record<string, string[]> | undefined {
  if (!columns) {
    return undefined;
  }
  const result: Record<string, string[]> = {};
  for (const [key, apiKey] of Object.entries(DATASET_TYPE_KEYS)) {
    const names = columns[key as keyof DatasetColumnsInput];
    if (names) {
      result[apiKey] = names;
    }
  }
  return result;
}

export function placementOf(recipe: RecipeFacts | undefined, entry: HyperParameterEntry): string {
  return recipe?.findHyperParameter(entry.name)?.placement ?? entry.placement ?? 'algorithm';
}

function numberToString(value: number): string {
  return Token.isUnresolved(value) ? Tokenization.stringifyNumber(value) : String(value);
}

