import type { CreateSolutionRequest } from '@aws-sdk/client-personalize';
import type { ResourceProperties } from './types';
import { SolutionControlKeys } from '../private/contract';
import type {
  CategoricalRangeSpec,
  EventParametersSpec,
  HpoConfigSpec,
  HpoRangeSpec,
  ObjectiveSensitivityValue,
  SolutionConfigSpec,
  SolutionSpec,
  TagSpec,
} from '../private/solution-spec';

/**
 * CloudFormation turns every scalar in custom resource properties into a string. The helpers here
 * turn them back into the types the Personalize API expects, accepting values that are already
 * typed too, and build requests from an explicit list of members so that control keys and
 * unsupported members never reach the service.
 */

type Raw = Record<string, unknown>;

/** Added by CloudFormation to every custom resource's properties. */
export const SERVICE_TOKEN = 'ServiceToken';

/** Properties without ServiceToken and the given control keys. */
export function stripControlKeys(props: ResourceProperties, controlKeys: readonly string[] = []): Raw {
  const drop = new Set([SERVICE_TOKEN, ...controlKeys]);
  return Object.fromEntries(Object.entries(props).filter(([key]) => !drop.has(key)));
}

/** Reads a "true"/"false" control flag (CloudFormation sends it as a string). */
export function isTrue(value: unknown): boolean {
  return value === true || (typeof value === 'string' && value.toLowerCase() === 'true');
}

export function toBoolean(value: unknown, path: string): boolean | undefined {
  if (value === undefined || value === null || typeof value === 'boolean') {
    return value ?? undefined;
  }
  if (typeof value === 'string') {
    const lower = value.trim().toLowerCase();
    if (lower === 'true' || lower === 'false') {
      return lower === 'true';
    }
  }
  throw invalid(path, 'a boolean', value);
}

export function toNumber(value: unknown, path: string): number | undefined {
  if (value === undefined || value === null) {
    return undefined;
  }
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n === 'number' && Number.isFinite(n)) {
    return n;
  }
  throw invalid(path, 'a number', value);
}

export function toInteger(value: unknown, path: string): number | undefined {
  const n = toNumber(value, path);
  if (n !== undefined && !Number.isInteger(n)) {
    throw invalid(path, 'an integer', value);
  }
  return n;
}

/** Strings stay strings; numbers and booleans (already typed by a test or a caller) are stringified. */
export function toStr(value: unknown, path: string): string | undefined {
  if (value === undefined || value === null) {
    return undefined;
  }
  if (typeof value === 'string') {
    return value;
  }
  if (typeof value === 'number' || typeof value === 'boolean') {
    return String(value);
  }
  throw invalid(path, 'a string', value);
}

export function requiredStr(value: unknown, path: string): string {
  const s = toStr(value, path);
  if (s === undefined || s === '') {
    throw new Error(`Property ${path} is required`);
  }
  return s;
}

export function toObject(value: unknown, path: string): Raw | undefined {
  if (value === undefined || value === null) {
    return undefined;
  }
  if (typeof value === 'object' && !Array.isArray(value)) {
    return value as Raw;
  }
  throw invalid(path, 'an object', value);
}

export function toList<T>(value: unknown, path: string, item: (v: unknown, path: string) => T): T[] | undefined {
  if (value === undefined || value === null) {
    return undefined;
  }
  if (!Array.isArray(value)) {
    throw invalid(path, 'a list', value);
  }
  return value.map((v, i) => item(v, `${path}[${i}]`));
}

export function toStrList(value: unknown, path: string): string[] | undefined {
  return toList(value, path, (v, p) => requiredStr(v, p));
}

/** map<string, string>, e.g. algorithmHyperParameters. */
export function toStrMap(value: unknown, path: string): Record<string, string> | undefined {
  const obj = toObject(value, path);
  return obj && mapValues(obj, (v, key) => toStr(v, `${path}.${key}`) ?? '');
}

/** Drops undefined members, recursively, so requests compare and serialise cleanly. */
export function compact<T>(value: T): T {
  if (Array.isArray(value)) {
    return value.map(compact) as T;
  }
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [k, compact(v)]),
    ) as T;
  }
  return value;
}

/** A parser for each member of a type: the compiler checks that none is missing. */
type Parsers<T> = { readonly [K in keyof T]-?: (value: unknown, path: string) => T[K] };

function parseMembers<T>(raw: Raw, parsers: Parsers<T>, prefix: string): T {
  ignoreUnknown(raw, Object.keys(parsers), prefix);
  const parsed: Record<string, unknown> = {};
  for (const [member, parse] of Object.entries(parsers) as Array<[string, (value: unknown, path: string) => unknown]>) {
    parsed[member] = parse(raw[member], `${prefix}${member}`);
  }
  return parsed as T;
}

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

export function toTags(value: unknown, path: string): TagSpec[] | undefined {
  return toList(value, path, (v, p) => {
    const t = toObject(v, p) ?? {};
    return { tagKey: requiredStr(t.tagKey, `${p}.tagKey`), tagValue: toStr(t.tagValue, `${p}.tagValue`) ?? '' };
  });
}

function mapValues<T>(obj: Raw, fn: (value: unknown, key: string) => T): Record<string, T> {
  return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, fn(v, k)]));
}

/** Logs (rather than forwards) members this handler does not know, e.g. hpoObjective. */
function ignoreUnknown(obj: Raw, known: readonly string[], prefix: string): void {
  const unknown = Object.keys(obj).filter((key) => !known.includes(key));
  if (unknown.length > 0) {
    console.log(`Not sent to Personalize: ${unknown.map((key) => prefix + key).join(', ')}`);
  }
}

function invalid(path: string, expected: string, value: unknown): Error {
  return new Error(`Property ${path} must be ${expected}, got ${JSON.stringify(value)}`);
}
