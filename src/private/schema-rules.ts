import { Token } from 'aws-cdk-lib';
import { API_LIMITS } from './api-limits';
import { ReservedField, ReservedFieldRule, reservedFieldsOf } from './reserved-fields';
import { PropsValidator } from './validation';

/** A schema rendered for a dataset type, before validation. */
export interface RenderedSchema {
  readonly json: string;
  /** The parsed schema; an Error when it is not valid JSON; undefined when it is a token. */
  readonly parsed: unknown;
  /** Whether the library built it from typed fields. */
  readonly built: boolean;
  /** Types named through `SchemaFieldType.of` that the library does not know: they warn. */
  readonly unknownTypes: string[];
}

/** The Avro types Personalize accepts in a schema. */
export const KNOWN_FIELD_TYPES: readonly string[] = ['string', 'int', 'long', 'float', 'double', 'boolean'];

// --- Personalize's schema rules -------------------------------------------------------------
//
// Every rule this library checks, in one place. Sources: Avro, the CreateSchema API model, and the
// Personalize developer guide's pages on schemas and datasets as remembered; nothing here was
// checked against the live service. The rules that are not certain are listed in UNSURE_RULES:
// each warns, and making one fail (or changing its value) is a change to one line there.

/**
 * The rules this library is not sure of. `enforce: true` turns the warning into a synth error.
 * Values are read from here too.
 */
const UNSURE_RULES = {
  /** A reserved field of a type the guide does not give it, but that is believed accepted (double for float, ...). */
  typeNotDocumented: { enforce: false },
  /** Textual fields per Items schema. */
  textualFieldCount: { enforce: false, max: 1 },
  /** Characters per field name (the API's limit on column names elsewhere). */
  fieldNameLength: { enforce: false, max: API_LIMITS.columnNameMaxLength },
  /** Field names that differ only in case may clash. */
  namesDifferingInCase: { enforce: false },
  /** VALUE and REPEAT_FREQUENCY of Actions: the guide's example gives VALUE a long, and no page states their type. */
  actionNumberTypes: { enforce: false },
} satisfies Record<string, { enforce: boolean; max?: number }> & Record<ReservedFieldRule, { enforce: boolean }>;
type UnsureRule = keyof typeof UNSURE_RULES;

/**
 * Metadata fields (all but the reserved ones) per schema: the quotas page (Item interactions: 5)
 * and "Custom datasets and schemas" (Users: 25, Items: 100). Actions count all their fields (MAX_FIELDS).
 */
const MAX_METADATA_FIELDS: Record<string, number> = { Interactions: 5, Items: 100, Users: 25 };

/** CreateSchema's `schema` member: at most this many characters. */
const MAX_SCHEMA_LENGTH = 20_000;

/** The namespace of Personalize's documented schemas. */
export const SCHEMA_NAMESPACE = 'com.amazonaws.personalize.schema';

/** Avro names; Personalize's reserved fields follow it too. */
const FIELD_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

interface DatasetTypeRules {
  /** Whether a field besides the id is needed. */
  readonly needsMetadata: boolean;
  /** Whether string fields may be `textual`. */
  readonly textual: boolean;
}

const DATASET_TYPE_RULES: Record<string, DatasetTypeRules> = {
  Interactions: { needsMetadata: false, textual: false },
  Items: { needsMetadata: true, textual: true },
  Users: { needsMetadata: true, textual: false },
  Actions: { needsMetadata: true, textual: false },
  Action_Interactions: { needsMetadata: false, textual: false },
};

/** Documented limits on the number of fields, all fields counted (actions-datasets.md: at most 10 columns). */
const MAX_FIELDS: Record<string, number> = { Actions: 10 };

/** Records a problem under an unsure rule: an error when the rule is enforced, else a warning. */
function unsure(v: PropsValidator, rule: UnsureRule, field: string, value: unknown, message: string): void {
  if (UNSURE_RULES[rule].enforce) {
    v.fail(field, value, message);
  } else {
    const shown = typeof value === 'string' ? `'${value}'` : JSON.stringify(value);
    v.warn(`schema-${rule}`, `${field} is ${shown}: ${message} (a rule not verified, so only a warning)`);
  }
}

/** One field of a parsed schema. */
interface ParsedField {
  readonly name: string;
  /** The non-null type names. */
  readonly types: string[];
  readonly nullable: boolean;
  readonly categorical: unknown;
  readonly textual: unknown;
}

/** Checks a rendered schema against Personalize's rules, recording problems and warnings. */
export function validateSchema(v: PropsValidator, rendered: RenderedSchema, datasetType: string, domain?: string): void {
  const field = rendered.built ? 'fields' : 'json.fields';
  if (rendered.parsed === undefined) {
    return; // a token: known at deploy time only
  }
  if (rendered.parsed instanceof Error) {
    v.fail('json', abbreviate(rendered.json), `must be valid JSON (${rendered.parsed.message})`);
    return;
  }
  if (!Token.isUnresolved(rendered.json) && rendered.json.length > MAX_SCHEMA_LENGTH) {
    v.fail('schema', `${rendered.json.length} characters`, `Personalize accepts at most ${MAX_SCHEMA_LENGTH} characters of schema JSON`);
  }
  const record = rendered.parsed as Record<string, unknown>;
  if (typeof record !== 'object' || record === null || Array.isArray(record) || record.type !== 'record') {
    v.fail('json', abbreviate(rendered.json), 'must be an Avro record: {"type": "record", "name": ..., "fields": [...]}');
    return;
  }
  if (typeof record.name !== 'string' || record.name === '') {
    v.fail('json.name', record.name, 'an Avro record needs a name, e.g. "Interactions"');
  }
  if (!Array.isArray(record.fields)) {
    v.fail(field, record.fields, 'must be a list of fields');
    return;
  }

  const fields: ParsedField[] = [];
  record.fields.forEach((raw: unknown, i: number) => {
    const parsed = parseField(v, raw, `${field}[${i}]`);
    if (parsed) {
      fields.push(parsed);
    }
  });

  const seen = new Map<string, string>();
  for (const f of fields) {
    if (Token.isUnresolved(f.name)) {
      continue;
    }
    if (seen.has(f.name)) {
      v.fail(`${field}.${f.name}`, f.name, 'is given twice');
    } else if ([...seen.keys()].some(other => other.toUpperCase() === f.name.toUpperCase())) {
      unsure(v, 'namesDifferingInCase', `${field}.${f.name}`, f.name, 'differs from another field only in case; Personalize may take them for one column');
    }
    seen.set(f.name, f.name);
    checkField(v, f, `${field}.${f.name}`, datasetType, rendered.unknownTypes);
  }

  const byName = new Map(fields.map(f => [f.name, f]));
  for (const reserved of reservedFieldsOf(datasetType, domain)) {
    const f = byName.get(reserved.name);
    const path = `${field}.${reserved.name}`;
    const problem = reservedProblem(reserved, f, datasetType, domain);
    if (problem) {
      v.fail(path, f ? describeType(f) : undefined, problem);
    } else if (f && reserved.unsure && reserved.unsureTypes?.includes(f.types[0])) {
      unsure(v, reserved.unsure, path, describeType(f), `the guide gives ${reserved.name} the type ${reserved.types.join(' or ')}; ${f.types[0]} is believed accepted`);
    }
  }

  const rules = DATASET_TYPE_RULES[datasetType];
  if (rules) {
    const reservedNames = new Set(reservedFieldsOf(datasetType, domain).map(r => r.name));
    const idNames = new Set(reservedFieldsOf(datasetType).filter(r => r.required).map(r => r.name));
    const metadata = fields.filter(f => !reservedNames.has(f.name));
    if (rules.needsMetadata && fields.filter(f => !idNames.has(f.name)).length === 0) {
      v.fail(field, fields.map(f => f.name), `${withArticle(datasetType)} schema needs at least one field besides ${[...idNames].join(', ')}`);
    }
    const maxFields = MAX_FIELDS[datasetType];
    if (maxFields !== undefined && fields.length > maxFields) {
      v.fail(field, `${fields.length} fields`, `${withArticle(datasetType)} schema has at most ${maxFields} fields in all`);
    }
    const quota = MAX_METADATA_FIELDS[datasetType];
    if (quota !== undefined && metadata.length > quota) {
      v.fail(field, `${metadata.length} metadata fields (${metadata.map(f => f.name).join(', ')})`,
        `${withArticle(datasetType)} schema has at most ${quota} fields besides ${[...reservedNames].join(', ')}`);
    }
    const textual = fields.filter(f => f.textual === true);
    const maxTextual = UNSURE_RULES.textualFieldCount.max;
    if (rules.textual && textual.length > maxTextual) {
      unsure(v, 'textualFieldCount', field, textual.map(f => f.name), `Personalize is believed to use at most ${maxTextual} textual field${maxTextual === 1 ? '' : 's'}`);
    }
  }
}

function parseField(v: PropsValidator, raw: unknown, path: string): ParsedField | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    v.fail(path, raw, 'must be an object with a name and a type');
    return undefined;
  }
  const f = raw as Record<string, unknown>;
  if (typeof f.name !== 'string') {
    v.fail(`${path}.name`, f.name, 'must be a string');
    return undefined;
  }
  const type = f.type;
  let types: string[];
  let nullable = false;
  if (typeof type === 'string') {
    types = [type];
  } else if (Array.isArray(type) && type.every(t => typeof t === 'string')) {
    nullable = type.includes('null');
    types = (type as string[]).filter(t => t !== 'null');
    if (!nullable || types.length !== 1) {
      v.fail(`${path}.type`, type, 'a union must be ["null", <type>]: Personalize takes no other unions');
      return undefined;
    }
  } else {
    v.fail(`${path}.type`, type, `must be one of ${KNOWN_FIELD_TYPES.join(', ')}, or ["null", <type>] for an optional field`);
    return undefined;
  }
  return { name: f.name, types, nullable, categorical: f.categorical, textual: f.textual };
}

function checkField(v: PropsValidator, f: ParsedField, path: string, datasetType: string, unknownTypes: string[]): void {
  if (!FIELD_NAME_PATTERN.test(f.name)) {
    v.fail(path, f.name, `a field name must match ${FIELD_NAME_PATTERN.source}`);
  } else if (f.name.length > UNSURE_RULES.fieldNameLength.max) {
    unsure(v, 'fieldNameLength', path, f.name, `has ${f.name.length} characters; Personalize is believed to accept at most ${UNSURE_RULES.fieldNameLength.max}`);
  }
  const type = f.types[0];
  if (!KNOWN_FIELD_TYPES.includes(type)) {
    if (unknownTypes.includes(type)) {
      v.warn('schema-field-type', `schema field '${f.name}' has type '${type}', which this library does not know Personalize to accept; it is not validated`);
    } else {
      v.fail(`${path}.type`, type, `must be one of ${KNOWN_FIELD_TYPES.join(', ')}`);
    }
  }
  for (const flag of ['categorical', 'textual'] as const) {
    const value = f[flag];
    if (value !== undefined && typeof value !== 'boolean') {
      v.fail(`${path}.${flag}`, value, 'must be true or false');
    }
  }
  if (f.categorical === true && type !== 'string') {
    v.fail(`${path}.categorical`, true, `only string fields can be categorical (the field is ${type})`);
  }
  if (f.textual === true) {
    if (type !== 'string') {
      v.fail(`${path}.textual`, true, `only string fields can be textual (the field is ${type})`);
    }
    if (!DATASET_TYPE_RULES[datasetType]?.textual) {
      v.fail(`${path}.textual`, true, `only Items datasets have textual fields (this schema is for ${datasetType})`);
    }
    if (f.categorical === true) {
      v.fail(path, 'categorical and textual', 'a field is either categorical or textual, not both');
    }
  }
}

/** Why a reserved field does not fit, or undefined when it does. */
function reservedProblem(
  reserved: ReservedField, f: ParsedField | undefined, datasetType: string, domain?: string,
): string | undefined {
  const kind = `${domain ? `${domain} ` : ''}${datasetType} schema`;
  if (!f) {
    if (!reserved.required) {
      return undefined;
    }
    return `${withArticle(kind)} needs ${reserved.name} (${describeReserved(reserved)})`;
  }
  if (![...reserved.types, ...reserved.unsureTypes ?? []].includes(f.types[0])) {
    return `${reserved.name} must be ${reserved.types.join(' or ')}`;
  }
  if (reserved.required && f.nullable) {
    return `${reserved.name} is required, so it cannot be optional (["null", ...])`;
  }
  if (reserved.categorical === true && f.categorical !== true) {
    return `${reserved.name} is a categorical string in ${withArticle(kind)}: set categorical (SchemaField.categorical)`;
  }
  if (reserved.categorical === false && f.categorical === true) {
    return `${reserved.name} is a reserved string in ${withArticle(kind)}, which cannot be categorical`;
  }
  if (reserved.textual === true && f.textual !== true) {
    return `${reserved.name} is a textual string in ${withArticle(kind)}: set textual (SchemaField.textual)`;
  }
  return undefined;
}

function describeReserved(reserved: ReservedField): string {
  const flag = reserved.categorical ? 'categorical ' : reserved.textual ? 'textual ' : '';
  return `${flag}${reserved.types.join(' or ')}`;
}

function describeType(f: ParsedField): string {
  return f.nullable ? `["null","${f.types[0]}"]` : f.types[0];
}

function withArticle(noun: string): string {
  return `${/^[AEIO]/i.test(noun) ? 'an' : 'a'} ${noun}`; // 'a Users schema'
}

function abbreviate(json: string): string {
  return json.length > 80 ? `${json.slice(0, 77)}...` : json;
}
