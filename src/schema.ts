import * as crypto from 'crypto';
import { Arn, ArnFormat, IResource, Names, Resource, Token } from 'aws-cdk-lib';
import { CfnSchema } from 'aws-cdk-lib/aws-personalize';
import { Construct } from 'constructs';
// A type only: dataset.ts imports this module at runtime.
import type { DatasetType } from './dataset';
import { DatasetGroupDomain } from './dataset-group';
import { API_LIMITS, NAME_PATTERN } from './private/recipe-catalogue';
import { PropsValidator } from './private/validation';

/**
 * The Avro type of a schema field.
 *
 * Every type Personalize accepts is a static member; `SchemaFieldType.of` covers the rest, with a
 * warning instead of an error.
 */
export class SchemaFieldType {
  /** A string: an id, a categorical value, or (Items only) free text. */
  public static readonly STRING = new SchemaFieldType('string', true);
  /** A 32-bit integer. */
  public static readonly INT = new SchemaFieldType('int', true);
  /** A 64-bit integer, e.g. a Unix timestamp in seconds. */
  public static readonly LONG = new SchemaFieldType('long', true);
  /** A single-precision number. */
  public static readonly FLOAT = new SchemaFieldType('float', true);
  /** A double-precision number. */
  public static readonly DOUBLE = new SchemaFieldType('double', true);
  /** `true` or `false`. */
  public static readonly BOOLEAN = new SchemaFieldType('boolean', true);

  /** An Avro type this library does not know Personalize to accept. Not validated. */
  public static of(name: string): SchemaFieldType {
    return KNOWN_TYPES.find(t => t.name === name) ?? new SchemaFieldType(name, false);
  }

  private constructor(
    /** The Avro name of the type, e.g. `long`. */
    public readonly name: string,
    /** Whether the library knows Personalize to accept it. */
    public readonly known: boolean,
  ) {}

  public toString(): string {
    return this.name;
  }
}

// The values of DatasetType, spelt out to keep this module free of a runtime import of dataset.ts.
const INTERACTIONS = 'Interactions' as DatasetType;
const ITEMS = 'Items' as DatasetType;
const USERS = 'Users' as DatasetType;

const KNOWN_TYPES = [
  SchemaFieldType.STRING, SchemaFieldType.INT, SchemaFieldType.LONG,
  SchemaFieldType.FLOAT, SchemaFieldType.DOUBLE, SchemaFieldType.BOOLEAN,
];

/**
 * Options of any schema field.
 */
export interface SchemaFieldOptions {
  /**
   * Whether the field may be empty (Avro `["null", type]`).
   * @default false
   */
  readonly optional?: boolean;
}

/**
 * Options of a string field.
 */
export interface StringFieldOptions extends SchemaFieldOptions {
  /**
   * Whether the values are categories (several per value, separated by `|`), e.g. genres.
   * @default false
   */
  readonly categorical?: boolean;

  /**
   * Whether the value is unstructured text, e.g. a description (Items only).
   * @default false
   */
  readonly textual?: boolean;
}

/**
 * One column of a Personalize dataset.
 */
export class SchemaField {
  /** A string field. */
  public static ofString(name: string, options: StringFieldOptions = {}): SchemaField {
    return new SchemaField(name, SchemaFieldType.STRING, options);
  }

  /** A categorical string field, e.g. `GENRES` holding `Comedy|Drama`. */
  public static categorical(name: string, options: SchemaFieldOptions = {}): SchemaField {
    return new SchemaField(name, SchemaFieldType.STRING, { ...options, categorical: true });
  }

  /** A free-text string field of an Items dataset, e.g. `DESCRIPTION`. */
  public static textual(name: string, options: SchemaFieldOptions = {}): SchemaField {
    return new SchemaField(name, SchemaFieldType.STRING, { ...options, textual: true });
  }

  /** A 32-bit integer field. */
  public static ofInt(name: string, options: SchemaFieldOptions = {}): SchemaField {
    return new SchemaField(name, SchemaFieldType.INT, options);
  }

  /** A 64-bit integer field, e.g. a timestamp in Unix seconds. */
  public static ofLong(name: string, options: SchemaFieldOptions = {}): SchemaField {
    return new SchemaField(name, SchemaFieldType.LONG, options);
  }

  /** A single-precision number field. */
  public static ofFloat(name: string, options: SchemaFieldOptions = {}): SchemaField {
    return new SchemaField(name, SchemaFieldType.FLOAT, options);
  }

  /** A double-precision number field. */
  public static ofDouble(name: string, options: SchemaFieldOptions = {}): SchemaField {
    return new SchemaField(name, SchemaFieldType.DOUBLE, options);
  }

  /** A boolean field. */
  public static ofBoolean(name: string, options: SchemaFieldOptions = {}): SchemaField {
    return new SchemaField(name, SchemaFieldType.BOOLEAN, options);
  }

  /** A field of any type, with any flags; validated like the others as far as the type is known. */
  public static ofType(name: string, fieldType: SchemaFieldType, options: StringFieldOptions = {}): SchemaField {
    return new SchemaField(name, fieldType, options);
  }

  /** Whether the field may be empty. */
  public readonly isOptional: boolean;
  /** Whether the field is categorical. */
  public readonly isCategorical: boolean;
  /** Whether the field is free text. */
  public readonly isTextual: boolean;

  private constructor(
    /** The column name, e.g. `EVENT_TYPE`. */
    public readonly name: string,
    /** The Avro type. */
    public readonly fieldType: SchemaFieldType,
    options: StringFieldOptions,
  ) {
    this.isOptional = options.optional ?? false;
    this.isCategorical = options.categorical ?? false;
    this.isTextual = options.textual ?? false;
  }

  /** @internal */
  public _toAvro(): Record<string, unknown> {
    return {
      name: this.name,
      type: this.isOptional ? ['null', this.fieldType.name] : this.fieldType.name,
      ...(this.isCategorical ? { categorical: true } : {}),
      ...(this.isTextual ? { textual: true } : {}),
    };
  }
}

/** A schema rendered for a dataset type, before validation. */
interface RenderedSchema {
  readonly json: string;
  /** The parsed schema; an Error when it is not valid JSON; undefined when it is a token. */
  readonly parsed: unknown;
  /** Whether the library built it from typed fields. */
  readonly built: boolean;
  /** Types named through `SchemaFieldType.of` that the library does not know: they warn. */
  readonly unknownTypes: string[];
}

/**
 * What a schema contains: typed fields, or the JSON of an existing schema.
 */
export class SchemaDefinition {
  /**
   * A schema of these fields. The fields the dataset type requires are added when missing.
   */
  public static fromFields(fields: SchemaField[]): SchemaDefinition {
    return new SchemaDefinition(fields, undefined);
  }

  /**
   * An existing Avro schema, sent as is and validated like a typed one. Required fields are not
   * added: a schema missing them fails validation.
   */
  public static fromJson(json: string): SchemaDefinition {
    return new SchemaDefinition(undefined, json);
  }

  private constructor(private readonly fields: SchemaField[] | undefined, private readonly json: string | undefined) {}

  /**
   * The schema JSON for a dataset type.
   * @internal
   */
  public _render(datasetType: DatasetType): RenderedSchema {
    if (this.fields) {
      return renderFields(this.fields, datasetType);
    }
    const json = this.json!;
    if (Token.isUnresolved(json)) {
      return { json, parsed: undefined, built: false, unknownTypes: [] };
    }
    try {
      return { json, parsed: JSON.parse(json), built: false, unknownTypes: [] };
    } catch (err) {
      return { json, parsed: new Error((err as Error).message), built: false, unknownTypes: [] };
    }
  }
}

function renderFields(fields: SchemaField[], datasetType: DatasetType): RenderedSchema {
  const given = new Set(fields.map(f => f.name));
  const missing = reservedFieldsOf(datasetType)
    .filter(r => r.required && !r.unsure && !given.has(r.name))
    .map(r => SchemaField.ofType(r.name, SchemaFieldType.of(r.types[0]))._toAvro());
  const record = {
    type: 'record',
    name: datasetType,
    namespace: SCHEMA_NAMESPACE,
    fields: [...missing, ...fields.map(f => f._toAvro())],
    version: '1.0',
  };
  return {
    json: JSON.stringify(record),
    parsed: record,
    built: true,
    unknownTypes: fields.filter(f => !f.fieldType.known).map(f => f.fieldType.name),
  };
}

/**
 * An Amazon Personalize schema: the columns of a dataset, as Avro JSON.
 */
export interface ISchema extends IResource {
  /**
   * The ARN of the schema.
   * @attribute
   */
  readonly schemaArn: string;

  /**
   * The name of the schema.
   * @attribute
   */
  readonly schemaName: string;

  /**
   * The dataset type the schema was written for, when known.
   */
  readonly datasetType?: DatasetType;

  /**
   * The domain of a domain schema, when known.
   */
  readonly domain?: DatasetGroupDomain;
}

/**
 * Behaviour shared by owned and imported schemas.
 */
export abstract class SchemaBase extends Resource implements ISchema {
  public abstract readonly schemaArn: string;
  public abstract readonly schemaName: string;
  public abstract readonly datasetType?: DatasetType;
  public abstract readonly domain?: DatasetGroupDomain;
}

/**
 * Options of every schema.
 */
export interface SchemaOptions {
  /**
   * The name of the schema, unique per account and region (1 to 63 characters).
   * @default - a name generated from the construct path and the schema's content
   */
  readonly schemaName?: string;

  /**
   * The domain, for the datasets of a domain dataset group.
   * @default - a schema for a custom dataset group
   */
  readonly domain?: DatasetGroupDomain;
}

/**
 * Options of a schema built from typed fields for a given dataset type.
 */
export interface SchemaFieldsOptions extends SchemaOptions {
  /**
   * The fields besides the required ones, which are added when missing.
   * @default - only the required fields
   */
  readonly fields?: SchemaField[];
}

/**
 * Properties of a schema taken from existing JSON.
 */
export interface SchemaFromJsonProps extends SchemaOptions {
  /** The dataset type the schema is for; decides which fields it needs. */
  readonly datasetType: DatasetType;

  /** The Avro schema as JSON. */
  readonly json: string;
}

/**
 * Properties of a schema.
 */
export interface SchemaProps extends SchemaOptions {
  /** The dataset type the schema is for; decides which fields it needs. */
  readonly datasetType: DatasetType;

  /** The fields, or existing JSON. */
  readonly definition: SchemaDefinition;
}

/**
 * Attributes of an existing schema.
 */
export interface SchemaAttributes {
  /** The ARN of the schema. */
  readonly schemaArn: string;

  /**
   * The dataset type the schema is for; enables checking it against datasets.
   * @default - unknown
   */
  readonly datasetType?: DatasetType;

  /**
   * The domain of the schema.
   * @default - unknown
   */
  readonly domain?: DatasetGroupDomain;
}

/**
 * An Amazon Personalize schema for an Interactions, Items or Users dataset, validated at synth.
 *
 * Every property of a schema is fixed at creation: any change creates a new schema, and with it a
 * new dataset. Generated names include a hash of the content so that the new schema can be created
 * next to the old one.
 *
 * @resource AWS::Personalize::Schema
 */
export class Schema extends SchemaBase {
  /** A schema for an Interactions dataset: USER_ID, ITEM_ID and TIMESTAMP are added when missing. */
  public static interactions(scope: Construct, id: string, options: SchemaFieldsOptions = {}): Schema {
    return Schema.ofFields(scope, id, INTERACTIONS, options);
  }

  /** A schema for an Items dataset: ITEM_ID is added when missing; at least one other field is needed. */
  public static items(scope: Construct, id: string, options: SchemaFieldsOptions): Schema {
    return Schema.ofFields(scope, id, ITEMS, options);
  }

  /** A schema for a Users dataset: USER_ID is added when missing; at least one other field is needed. */
  public static users(scope: Construct, id: string, options: SchemaFieldsOptions): Schema {
    return Schema.ofFields(scope, id, USERS, options);
  }

  /** A schema from existing Avro JSON, validated like a typed one. */
  public static fromJson(scope: Construct, id: string, props: SchemaFromJsonProps): Schema {
    const { json, ...rest } = props;
    return new Schema(scope, id, { ...rest, definition: SchemaDefinition.fromJson(json) });
  }

  /** Imports a schema by its ARN. */
  public static fromSchemaArn(scope: Construct, id: string, schemaArn: string): ISchema {
    return Schema.fromSchemaAttributes(scope, id, { schemaArn });
  }

  /** Imports a schema by its attributes. */
  public static fromSchemaAttributes(scope: Construct, id: string, attrs: SchemaAttributes): ISchema {
    const name = Arn.split(attrs.schemaArn, ArnFormat.SLASH_RESOURCE_NAME).resourceName!;
    class Import extends SchemaBase {
      public readonly schemaArn = attrs.schemaArn;
      public readonly schemaName = name;
      public readonly datasetType = attrs.datasetType;
      public readonly domain = attrs.domain;
    }
    return new Import(scope, id, { environmentFromArn: Token.isUnresolved(attrs.schemaArn) ? undefined : attrs.schemaArn });
  }

  private static ofFields(scope: Construct, id: string, datasetType: DatasetType, options: SchemaFieldsOptions): Schema {
    const { fields, ...rest } = options;
    return new Schema(scope, id, { ...rest, datasetType, definition: SchemaDefinition.fromFields(fields ?? []) });
  }

  public readonly schemaArn: string;
  public readonly schemaName: string;
  /** The dataset type the schema is for (always known; optional only to match `ISchema`). */
  public readonly datasetType?: DatasetType;
  public readonly domain?: DatasetGroupDomain;

  /** The Avro schema as sent to Personalize. */
  public readonly schemaJson: string;

  constructor(scope: Construct, id: string, props: SchemaProps) {
    super(scope, id, { physicalName: props.schemaName });

    this.datasetType = props.datasetType;
    this.domain = props.domain;
    const rendered = props.definition._render(props.datasetType);
    this.schemaJson = rendered.json;

    const v = new PropsValidator(this, 'schema');
    v.string('schemaName', props.schemaName, { minLength: 1, maxLength: API_LIMITS.nameMaxLength, pattern: NAME_PATTERN });
    validateSchema(v, rendered, props.datasetType, props.domain);
    v.throwIfInvalid();

    const name = props.schemaName ?? this.generatedName(rendered.json);
    const resource = new CfnSchema(this, 'Resource', {
      name,
      schema: rendered.json,
      domain: props.domain,
    });
    this.schemaArn = resource.attrSchemaArn;
    this.schemaName = name;
  }

  /** `<path-based name>-<8 hex of the content>`: a changed schema gets a name of its own. */
  private generatedName(json: string): string {
    const base = Names.uniqueResourceName(this, { maxLength: API_LIMITS.nameMaxLength - 9 });
    if (Token.isUnresolved(json)) {
      return base;
    }
    return `${base}-${crypto.createHash('sha256').update(json).digest('hex').slice(0, 8)}`;
  }
}

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
  /** Schemas of a domain dataset group need EVENT_TYPE in Interactions. */
  domainEventType: { enforce: false },
  /** EVENT_VALUE is a float or a double (perhaps float only). */
  eventValueType: { enforce: false, types: ['float', 'double'] },
  /** Metadata fields (all but the reserved ones) per dataset type, from Personalize's quotas. */
  metadataFieldQuota: { enforce: false, max: { Interactions: 5, Items: 100, Users: 25 } as Record<string, number> },
  /** Textual fields per Items schema. */
  textualFieldCount: { enforce: false, max: 1 },
  /** Characters per field name (the API's limit on column names elsewhere). */
  fieldNameLength: { enforce: false, max: API_LIMITS.columnNameMaxLength },
  /** Field names that differ only in case may clash. */
  namesDifferingInCase: { enforce: false },
};
type UnsureRule = keyof typeof UNSURE_RULES;

/** CreateSchema's `schema` member: at most this many characters. */
const MAX_SCHEMA_LENGTH = 20_000;

/** The namespace of Personalize's documented schemas. */
const SCHEMA_NAMESPACE = 'com.amazonaws.personalize.schema';

/** Avro names; Personalize's reserved fields follow it too. */
const FIELD_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

interface ReservedField {
  readonly name: string;
  /** Allowed types, the first being the one the builder adds. */
  readonly types: string[];
  /** Whether every schema of the dataset type needs it. Required fields cannot be optional. */
  readonly required: boolean;
  /** Whether the row only applies to schemas of a domain. */
  readonly domainOnly?: boolean;
  /** The unsure rule this row states, if it is one. */
  readonly unsure?: UnsureRule;
}

/** The fields Personalize gives a meaning to, per dataset type. */
const RESERVED_FIELDS: Record<string, ReservedField[]> = {
  Interactions: [
    { name: 'USER_ID', types: ['string'], required: true },
    { name: 'ITEM_ID', types: ['string'], required: true },
    { name: 'TIMESTAMP', types: ['long'], required: true },
    { name: 'EVENT_TYPE', types: ['string'], required: false },
    { name: 'EVENT_TYPE', types: ['string'], required: true, domainOnly: true, unsure: 'domainEventType' },
    { name: 'EVENT_VALUE', types: UNSURE_RULES.eventValueType.types, required: false, unsure: 'eventValueType' },
    { name: 'IMPRESSION', types: ['string'], required: false },
    { name: 'RECOMMENDATION_ID', types: ['string'], required: false },
  ],
  Items: [
    { name: 'ITEM_ID', types: ['string'], required: true },
    { name: 'CREATION_TIMESTAMP', types: ['long'], required: false },
  ],
  Users: [
    { name: 'USER_ID', types: ['string'], required: true },
  ],
};

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
};

/** Records a problem under an unsure rule: an error when the rule is enforced, else a warning. */
function unsure(v: PropsValidator, rule: UnsureRule, field: string, value: unknown, message: string): void {
  if (UNSURE_RULES[rule].enforce) {
    v.fail(field, value, message);
  } else {
    const shown = typeof value === 'string' ? `'${value}'` : JSON.stringify(value);
    v.warn(`schema-${rule}`, `${field} is ${shown}: ${message} (a rule not verified, so only a warning)`);
  }
}

function reservedFieldsOf(datasetType: DatasetType, domain?: DatasetGroupDomain): ReservedField[] {
  return (RESERVED_FIELDS[datasetType] ?? []).filter(r => !r.domainOnly || domain !== undefined);
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
function validateSchema(v: PropsValidator, rendered: RenderedSchema, datasetType: DatasetType, domain?: DatasetGroupDomain): void {
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
    const problem = reservedProblem(reserved, f, datasetType, domain);
    if (!problem) {
      continue;
    }
    if (reserved.unsure) {
      unsure(v, reserved.unsure, `${field}.${reserved.name}`, f ? describeType(f) : undefined, problem);
    } else {
      v.fail(`${field}.${reserved.name}`, f ? describeType(f) : undefined, problem);
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
    const quota = UNSURE_RULES.metadataFieldQuota.max[datasetType];
    if (quota !== undefined && metadata.length > quota) {
      unsure(v, 'metadataFieldQuota', field, `${metadata.length} metadata fields`, `Personalize is believed to accept at most ${quota} in ${withArticle(datasetType)} dataset`);
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
    v.fail(`${path}.type`, type, `must be one of ${KNOWN_TYPES.join(', ')}, or ["null", <type>] for an optional field`);
    return undefined;
  }
  return { name: f.name, types, nullable, categorical: f.categorical, textual: f.textual };
}

function checkField(v: PropsValidator, f: ParsedField, path: string, datasetType: DatasetType, unknownTypes: string[]): void {
  if (!FIELD_NAME_PATTERN.test(f.name)) {
    v.fail(path, f.name, `a field name must match ${FIELD_NAME_PATTERN.source}`);
  } else if (f.name.length > UNSURE_RULES.fieldNameLength.max) {
    unsure(v, 'fieldNameLength', path, f.name, `has ${f.name.length} characters; Personalize is believed to accept at most ${UNSURE_RULES.fieldNameLength.max}`);
  }
  const type = f.types[0];
  if (!KNOWN_TYPES.some(t => t.name === type)) {
    if (unknownTypes.includes(type)) {
      v.warn('schema-field-type', `schema field '${f.name}' has type '${type}', which this library does not know Personalize to accept; it is not validated`);
    } else {
      v.fail(`${path}.type`, type, `must be one of ${KNOWN_TYPES.join(', ')}`);
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
  reserved: ReservedField, f: ParsedField | undefined, datasetType: DatasetType, domain?: DatasetGroupDomain,
): string | undefined {
  if (!f) {
    if (!reserved.required) {
      return undefined;
    }
    const what = withArticle(reserved.domainOnly ? `${domain} ${datasetType} schema` : `${datasetType} schema`);
    return `${what} needs ${reserved.name} (${reserved.types.join(' or ')})`;
  }
  if (!reserved.types.includes(f.types[0])) {
    return `${reserved.name} must be ${reserved.types.join(' or ')}`;
  }
  if (reserved.required && f.nullable) {
    return `${reserved.name} is required, so it cannot be optional (["null", ...])`;
  }
  return undefined;
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
