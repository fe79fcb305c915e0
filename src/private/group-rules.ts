import { Token } from 'aws-cdk-lib';
import { API_LIMITS, COLUMN_PATTERN } from './api-limits';
import type { ColumnsLookup, DatasetTypeName } from './filter-rules';
import { reservedFieldsOf } from './reserved-fields';
import type { DatasetColumnsInput } from './solution-input';
import { DATASET_TYPE_KEYS } from './solution-render';
import { PropsValidator } from './validation';

/** Column lists of `trainingDataConfig` (solutions and recommenders) and what reads the group's schemas. */

const NUMERIC = ['int', 'long', 'float', 'double'];

/**
 * Checks excluded or included column lists in themselves (the API's limits, and columns that cannot
 * be excluded: the required ones and EVENT_TYPE).
 */
export function validateColumnLists(v: PropsValidator, field: string, columns: DatasetColumnsInput | undefined, domain?: string): void {
  if (!columns) {
    return;
  }
  const types = (Object.keys(DATASET_TYPE_KEYS) as Array<keyof DatasetColumnsInput>).filter(key => columns[key] !== undefined);
  if (types.length > 3) {
    v.fail(field, types, 'at most 3 dataset types');
  }
  for (const type of types) {
    const names = columns[type]!;
    if (!Array.isArray(names)) {
      v.fail(`${field}.${type}`, names, 'must be a list of column names');
      continue;
    }
    if (names.length > API_LIMITS.datasetColumns) {
      v.fail(`${field}.${type}`, names.length, `at most ${API_LIMITS.datasetColumns} columns`);
    }
    for (const name of names) {
      v.string(`${field}.${type}`, name, { minLength: 1, maxLength: API_LIMITS.columnNameMaxLength, pattern: COLUMN_PATTERN });
    }
    if (field !== 'excludedDatasetColumns') {
      continue;
    }
    const datasetType = DATASET_TYPE_KEYS[type];
    const required = reservedFieldsOf(datasetType, domain).filter(r => r.required || r.name === 'EVENT_TYPE').map(r => r.name);
    for (const name of names.filter(n => typeof n === 'string' && required.includes(n.toUpperCase()))) {
      v.fail(`${field}.${type}`, name, `cannot be excluded from training: ${required.join(', ')} are always used`);
    }
  }
}

/**
 * Problems of column lists against the schemas of the group's datasets in this app. `undefined`
 * datasets are named; schemas that cannot be read at synth are skipped.
 */
export function columnsAgainstSchemas(field: string, columns: DatasetColumnsInput | undefined, lookup: ColumnsLookup, groupPath: string): string[] {
  const problems: string[] = [];
  for (const [key, names] of Object.entries(columns ?? {}) as Array<[keyof DatasetColumnsInput, string[] | undefined]>) {
    const datasetType = DATASET_TYPE_KEYS[key] as DatasetTypeName;
    const found = Array.isArray(names) ? lookup(datasetType) : 'unknown';
    if (found === 'unknown') {
      continue;
    }
    if (found === undefined) {
      problems.push(`${field}.${key} names ${datasetType} columns, but dataset group ${groupPath} has no ${datasetType} dataset in this app`);
      continue;
    }
    for (const name of names!.filter(n => typeof n === 'string' && !Token.isUnresolved(n) && !found.has(n.toUpperCase()))) {
      problems.push(`${field}.${key} is '${name}': the ${datasetType} schema has no such field (it has ${[...found.keys()].join(', ')})`);
    }
  }
  return problems;
}

/** Problems of an optimization objective's item attribute against the group's Items schema in this app. */
export function itemAttributeAgainstSchemas(attribute: string | undefined, lookup: ColumnsLookup, groupPath: string): string[] {
  if (attribute === undefined || Token.isUnresolved(attribute)) {
    return [];
  }
  const field = `optimizationObjective.itemAttribute is '${attribute}'`;
  const found = lookup('Items');
  if (found === 'unknown') {
    return [];
  }
  if (found === undefined) {
    return [`${field}: it names a column of the Items dataset, but dataset group ${groupPath} has no Items dataset in this app`];
  }
  const column = found.get(attribute.toUpperCase());
  if (!column) {
    return [`${field}: the Items schema has no such field (it has ${[...found.keys()].join(', ')})`];
  }
  if (!column.types.some(t => NUMERIC.includes(t))) {
    return [`${field}: the objective needs a numeric Items column (int, long, float or double); ${attribute} is ${column.types.join(' or ')}`];
  }
  return [];
}
