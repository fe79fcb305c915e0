import type { CreateSolutionRequest } from '@aws-sdk/client-personalize';
import { SolutionControlKeys } from '../../private/contract';
import type {
  CategoricalRangeSpec,
  EventParametersSpec,
  HpoConfigSpec,
  HpoRangeSpec,
  ObjectiveSensitivityValue,
  SolutionConfigSpec,
  SolutionSpec,
} from '../../private/solution-spec';
import {
  compact, ignoreUnknown, invalid, mapValues, parseMembers, requiredStr, stripControlKeys, toBoolean, toInteger, toList, toNumber, toObject, toStr,
  toStrList, toStrMap, toTags, type Parsers,
} from '../framework/request';
import type { ResourceProperties } from '../framework/types';

/** Custom::PersonalizeSolution's properties, parsed member by member into the solution spec. */

const OBJECTIVE_SENSITIVITIES: readonly ObjectiveSensitivityValue[] = ['LOW', 'MEDIUM', 'HIGH', 'OFF'];

const SOLUTION_CONFIG_PARSERS: Parsers<SolutionConfigSpec> = {
  // A string in the API, unlike the per-event-type threshold below.
  eventValueThreshold: toStr,
  hpoConfig: toHpoConfig,
  algorithmHyperParameters: toStrMap,
  featureTransformationParameters: toStrMap,
  autoMLConfig: (value, path) => {
    const autoML = toObject(value, path);
    return autoML && {
      metricName: toStr(autoML.metricName, `${path}.metricName`),
      recipeList: toStrList(autoML.recipeList, `${path}.recipeList`),
    };
  },
  eventsConfig: toEventsConfig,
  optimizationObjective: (value, path) => {
    const objective = toObject(value, path);
    const sensitivity = objective && toStr(objective.objectiveSensitivity, `${path}.objectiveSensitivity`);
    if (sensitivity !== undefined && !(OBJECTIVE_SENSITIVITIES as readonly string[]).includes(sensitivity)) {
      throw invalid(`${path}.objectiveSensitivity`, `one of ${OBJECTIVE_SENSITIVITIES.join(', ')}`, sensitivity);
    }
    return objective && {
      itemAttribute: toStr(objective.itemAttribute, `${path}.itemAttribute`),
      objectiveSensitivity: sensitivity as ObjectiveSensitivityValue | undefined,
    };
  },
  trainingDataConfig: (value, path) => {
    const training = toObject(value, path);
    return training && {
      excludedDatasetColumns: toColumnMap(training.excludedDatasetColumns, `${path}.excludedDatasetColumns`),
      includedDatasetColumns: toColumnMap(training.includedDatasetColumns, `${path}.includedDatasetColumns`),
    };
  },
  autoTrainingConfig: (value, path) => {
    const autoTraining = toObject(value, path);
    return autoTraining && { schedulingExpression: toStr(autoTraining.schedulingExpression, `${path}.schedulingExpression`) };
  },
};

const SOLUTION_PARSERS: Parsers<SolutionSpec> = {
  name: requiredStr,
  datasetGroupArn: requiredStr,
  recipeArn: toStr,
  performHPO: toBoolean,
  performAutoML: toBoolean,
  // The API's default (true) retrains every 7 days at the user's cost.
  performAutoTraining: (value, path) => toBoolean(value, path) ?? false,
  performIncrementalUpdate: toBoolean,
  eventType: toStr,
  solutionConfig: toSolutionConfig,
  tags: toTags,
};

/**
 * Custom::PersonalizeSolution properties → the solution spec the construct rendered. The spec is
 * the CreateSolution request: the compiler checks that it can be sent as one.
 */
export function parseSolutionSpec(props: ResourceProperties): SolutionSpec {
  return compact(parseMembers(stripControlKeys(props, Object.values(SolutionControlKeys)), SOLUTION_PARSERS, ''));
}

export const asCreateSolutionRequest = (spec: SolutionSpec): CreateSolutionRequest => spec;

export function toSolutionConfig(value: unknown, path: string): SolutionConfigSpec | undefined {
  const config = toObject(value, path);
  return config && parseMembers(config, SOLUTION_CONFIG_PARSERS, `${path}.`);
}

/** hpoObjective is deliberately not forwarded: Personalize does not support configuring it. */
function toHpoConfig(value: unknown, path: string): HpoConfigSpec | undefined {
  const h = toObject(value, path);
  if (!h) {
    return undefined;
  }
  ignoreUnknown(h, ['hpoResourceConfig', 'algorithmHyperParameterRanges'], `${path}.`);
  const resources = toObject(h.hpoResourceConfig, `${path}.hpoResourceConfig`);
  const ranges = toObject(h.algorithmHyperParameterRanges, `${path}.algorithmHyperParameterRanges`);
  const rangesPath = `${path}.algorithmHyperParameterRanges`;
  return {
    // Strings in the API.
    hpoResourceConfig: resources && {
      maxNumberOfTrainingJobs: toStr(resources.maxNumberOfTrainingJobs, `${path}.hpoResourceConfig.maxNumberOfTrainingJobs`),
      maxParallelTrainingJobs: toStr(resources.maxParallelTrainingJobs, `${path}.hpoResourceConfig.maxParallelTrainingJobs`),
    },
    algorithmHyperParameterRanges: ranges && {
      integerHyperParameterRanges: toList(ranges.integerHyperParameterRanges, `${rangesPath}.integerHyperParameterRanges`, toIntegerRange),
      continuousHyperParameterRanges: toList(ranges.continuousHyperParameterRanges, `${rangesPath}.continuousHyperParameterRanges`, toContinuousRange),
      categoricalHyperParameterRanges: toList(ranges.categoricalHyperParameterRanges, `${rangesPath}.categoricalHyperParameterRanges`, toCategoricalRange),
    },
  };
}

function toIntegerRange(value: unknown, path: string): HpoRangeSpec {
  const r = toObject(value, path) ?? {};
  return {
    name: toStr(r.name, `${path}.name`),
    minValue: toInteger(r.minValue, `${path}.minValue`),
    maxValue: toInteger(r.maxValue, `${path}.maxValue`),
  };
}

function toContinuousRange(value: unknown, path: string): HpoRangeSpec {
  const r = toObject(value, path) ?? {};
  return {
    name: toStr(r.name, `${path}.name`),
    minValue: toNumber(r.minValue, `${path}.minValue`),
    maxValue: toNumber(r.maxValue, `${path}.maxValue`),
  };
}

function toCategoricalRange(value: unknown, path: string): CategoricalRangeSpec {
  const r = toObject(value, path) ?? {};
  return {
    name: toStr(r.name, `${path}.name`),
    values: toStrList(r.values, `${path}.values`),
  };
}

/** eventsConfig: per-event-type threshold and weight are doubles (unlike solutionConfig.eventValueThreshold). */
export function toEventsConfig(value: unknown, path: string): SolutionConfigSpec['eventsConfig'] {
  const e = toObject(value, path);
  return e && {
    eventParametersList: toList(e.eventParametersList, `${path}.eventParametersList`, (v, p): EventParametersSpec => {
      const item = toObject(v, p) ?? {};
      return {
        eventType: toStr(item.eventType, `${p}.eventType`),
        eventValueThreshold: toNumber(item.eventValueThreshold, `${p}.eventValueThreshold`),
        weight: toNumber(item.weight, `${p}.weight`),
      };
    }),
  };
}

function toColumnMap(value: unknown, path: string): Record<string, string[]> | undefined {
  const obj = toObject(value, path);
  return obj && mapValues(obj, (v, key) => toStrList(v, `${path}.${key}`) ?? []);
}
