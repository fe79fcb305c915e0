import type { ComparisonSpec, ExpressionPartSpec } from './filter-spec';

/** Limits of filters (CreateFilter's model and the filter guidelines of the developer guide). */
export const FILTER_LIMITS = {
  expressionMaxLength: 2500,
  /** Distinct dataset fields in one filter. */
  fieldsPerFilter: 10,
  /** Distinct dataset fields over every filter of a dataset group. */
  fieldsPerDatasetGroup: 20,
  /** Filters per dataset group (an adjustable quota: a warning). */
  filtersPerDatasetGroup: 30,
} as const;

/** A column as a schema declares it. */
export interface SchemaColumn {
  /** Avro types without `null`, e.g. `['string']`. */
  readonly types: string[];
  readonly categorical: boolean;
  readonly textual: boolean;
}

/**
 * The columns of the dataset group's dataset of a type: a map; `undefined` when the group has no
 * such dataset; `'unknown'` when its schema cannot be read at synth (an imported schema, a token).
 */
export type ColumnsLookup = (datasetType: DatasetTypeName) => Map<string, SchemaColumn> | undefined | 'unknown';

/** The dataset types, as the API names them. */
export type DatasetTypeName = 'Items' | 'Users' | 'Interactions' | 'Actions' | 'Action_Interactions';

const NUMERIC = new Set(['int', 'long', 'float', 'double']);
const LIST_OPERATORS = new Set(['IN', 'NOT IN']);

/** The columns of an Avro record schema, or undefined when it is not one. */
export function columnsOfSchema(parsed: unknown): Map<string, SchemaColumn> | undefined {
  const fields = (parsed as { fields?: unknown } | undefined)?.fields;
  if (!Array.isArray(fields)) {
    return undefined;
  }
  const columns = new Map<string, SchemaColumn>();
  for (const f of fields as Array<Record<string, unknown>>) {
    if (typeof f?.name !== 'string') {
      continue;
    }
    const types = (Array.isArray(f.type) ? f.type : [f.type]).filter((t): t is string => typeof t === 'string' && t !== 'null');
    columns.set(f.name.toUpperCase(), { types, categorical: f.categorical === true, textual: f.textual === true });
  }
  return columns;
}

/** The dataset fields an expression reads, as `<Dataset>.<FIELD>` (CurrentUser and CurrentItem count as Users and Items). */
export function fieldsOf(parts: ExpressionPartSpec[]): Set<string> {
  const fields = new Set<string>();
  for (const part of parts) {
    for (const c of [...part.comparisons, ...part.ifCurrentUser]) {
      fields.add(`${c.source === 'CurrentUser' ? 'Users' : c.source}.${c.field.toUpperCase()}`);
      if (c.valueKind === 'CURRENT_ITEM') {
        fields.add(`Items.${c.reference!.toUpperCase()}`);
      }
    }
  }
  return fields;
}

/**
 * Comparisons of a placeholder with an operator other than IN and `=`: the guide's examples use
 * `<`, `<=`, `>` and `>=` with placeholders, but one of its error pages allows placeholders only with
 * IN and `=` (open fact 35). A warning, not an error.
 */
export function placeholderComparisons(parts: ExpressionPartSpec[]): string[] {
  return parts.flatMap(part => [...part.comparisons, ...part.ifCurrentUser])
    .filter(c => c.valueKind === 'PARAMETER' && c.operator !== 'IN' && c.operator !== '=' && c.operator !== 'NOT IN')
    .map(c => `${c.source}.${c.field} ${c.operator} $${c.reference}`);
}

/** Problems of a built expression, in itself and against the dataset group's schemas. */
export function filterProblems(parts: ExpressionPartSpec[], columns: ColumnsLookup): string[] {
  const problems: string[] = [];
  parts.forEach((part, i) => {
    const where = parts.length > 1 ? `expression ${i + 1} (${part.include ? 'INCLUDE' : 'EXCLUDE'} ${part.target})` : `the expression (${part.include ? 'INCLUDE' : 'EXCLUDE'} ${part.target})`;
    const first = part.comparisons[0].source;
    const allowed = part.target === 'ItemID' ? ['Items', 'Interactions'] : ['Users', 'Interactions'];
    for (const c of part.comparisons) {
      const name = `${c.source}.${c.field}`;
      if (c.source === 'CurrentUser') {
        problems.push(`${where}: ${name} can only be used in ifCurrentUser`);
      } else if (!allowed.includes(c.source)) {
        problems.push(`${where}: ${name} cannot filter ${part.target === 'ItemID' ? 'items' : 'users'}: use fields of ${allowed.join(' or ')}`);
      } else if (c.source !== first) {
        problems.push(`${where}: ${name} mixes ${c.source} with ${first}: the conditions of one expression use the dataset of its first condition; chain two expressions with FilterExpression.chain`);
      }
      problems.push(...comparisonProblems(where, c, columns));
    }
    if (part.ifCurrentUser.length > 0) {
      if (part.target !== 'ItemID') {
        problems.push(`${where}: ifCurrentUser is only for filters of items`);
      }
      if (part.ifConnective === 'OR') {
        problems.push(`${where}: ifCurrentUser conditions can only be joined by AND (FilterCondition.all)`);
      }
      for (const c of part.ifCurrentUser) {
        if (c.source !== 'CurrentUser') {
          problems.push(`${where}: ifCurrentUser can only use FilterField.currentUser fields, not ${c.source}.${c.field}`);
        }
        problems.push(...comparisonProblems(where, c, columns));
      }
    }
  });
  const fields = fieldsOf(parts);
  if (fields.size > FILTER_LIMITS.fieldsPerFilter) {
    problems.push(`the expression reads ${fields.size} dataset fields (${[...fields].join(', ')}): a filter can read at most ${FILTER_LIMITS.fieldsPerFilter}`);
  }
  return problems;
}

function comparisonProblems(where: string, c: ComparisonSpec, columns: ColumnsLookup): string[] {
  const problems: string[] = [];
  const name = `${c.source}.${c.field}`;
  const list = LIST_OPERATORS.has(c.operator);
  if (c.operator === 'NOT IN' && c.valueKind === 'PARAMETER') {
    problems.push(`${where}: ${name} NOT IN $${c.reference}: a placeholder cannot be used with NOT IN; use IN and swap INCLUDE and EXCLUDE`);
  }
  if (list && c.valueKind === 'NUMBER') {
    problems.push(`${where}: ${name} ${c.operator} takes strings, placeholders or CurrentItem fields, not a number; compare numbers with =, <, >, ...`);
  }
  if (!list && (c.valueKind === 'STRINGS' || c.valueKind === 'ALL_EVENT_TYPES')) {
    problems.push(`${where}: ${name} ${c.operator} compares numbers: give FilterValue.number or a placeholder, or use IN for strings`);
  }
  if (c.valueKind === 'ALL_EVENT_TYPES' && c.source !== 'Interactions') {
    problems.push(`${where}: FilterValue.allEventTypes() is only for FilterField.eventType()`);
  }
  if (c.source === 'Interactions') {
    // FilterField.eventType() is the only field of Interactions the builders make.
    if (!list) {
      problems.push(`${where}: ${name} can only be compared with IN or NOT IN`);
    }
    const interactions = columns('Interactions');
    if (interactions === undefined) {
      problems.push(`${where}: ${name}: the dataset group has no Interactions dataset in this app`);
    } else if (interactions !== 'unknown' && !interactions.has(c.field.toUpperCase())) {
      problems.push(`${where}: ${name}: the Interactions schema has no field ${c.field} (it has ${[...interactions.keys()].join(', ')}); add SchemaField.ofString('${c.field}')`);
    }
    return problems;
  }

  const datasetType = c.source === 'Items' ? 'Items' : 'Users';
  problems.push(...columnProblems(where, name, datasetType, c.field, list, columns));
  if (c.valueKind === 'CURRENT_ITEM') {
    problems.push(...columnProblems(where, `CurrentItem.${c.reference}`, 'Items', c.reference!, list, columns));
  }
  return problems;
}

function columnProblems(
  where: string, name: string, datasetType: 'Items' | 'Users', field: string, list: boolean, columns: ColumnsLookup,
): string[] {
  const found = columns(datasetType);
  if (found === 'unknown') {
    return [];
  }
  if (found === undefined) {
    return [`${where}: ${name}: the dataset group has no ${datasetType} dataset in this app`];
  }
  const column = found.get(field.toUpperCase());
  if (!column) {
    return [`${where}: ${name}: the ${datasetType} schema has no field ${field} (it has ${[...found.keys()].join(', ')})`];
  }
  const type = column.types.join('|') || 'unknown';
  if (column.textual) {
    return [`${where}: ${name} is textual: filters cannot use unstructured text`];
  }
  if (column.types.includes('boolean')) {
    return [`${where}: ${name} is boolean: filters cannot use boolean fields; store "True"/"False" strings or 0/1 numbers instead`];
  }
  if (list && !column.types.includes('string')) {
    return [`${where}: ${name} is ${type}: IN and NOT IN need a string field; compare numbers with =, <, >, ...`];
  }
  if (!list && !column.types.some(t => NUMERIC.has(t))) {
    return [`${where}: ${name} is ${type}: comparisons need a numeric field (int, long, float, double); use IN for strings`];
  }
  return [];
}
