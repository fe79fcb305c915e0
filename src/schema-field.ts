/**
 * Builders of schema fields: the Avro type and the column of a Personalize dataset.
 */

import { checkKnownKeys, describeValue } from './private/untyped';

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
    return new SchemaField(name, SchemaFieldType.STRING, checkOptions('SchemaField.ofString', 'StringFieldOptions', options));
  }

  /** A categorical string field, e.g. `GENRES` holding `Comedy|Drama`. */
  public static categorical(name: string, options: SchemaFieldOptions = {}): SchemaField {
    return new SchemaField(name, SchemaFieldType.STRING, { ...checkOptions('SchemaField.categorical', 'SchemaFieldOptions', options), categorical: true });
  }

  /** A free-text string field of an Items dataset, e.g. `DESCRIPTION`. */
  public static textual(name: string, options: SchemaFieldOptions = {}): SchemaField {
    return new SchemaField(name, SchemaFieldType.STRING, { ...checkOptions('SchemaField.textual', 'SchemaFieldOptions', options), textual: true });
  }

  /** A 32-bit integer field. */
  public static ofInt(name: string, options: SchemaFieldOptions = {}): SchemaField {
    return new SchemaField(name, SchemaFieldType.INT, checkOptions('SchemaField.ofInt', 'SchemaFieldOptions', options));
  }

  /** A 64-bit integer field, e.g. a timestamp in Unix seconds. */
  public static ofLong(name: string, options: SchemaFieldOptions = {}): SchemaField {
    return new SchemaField(name, SchemaFieldType.LONG, checkOptions('SchemaField.ofLong', 'SchemaFieldOptions', options));
  }

  /** A single-precision number field. */
  public static ofFloat(name: string, options: SchemaFieldOptions = {}): SchemaField {
    return new SchemaField(name, SchemaFieldType.FLOAT, checkOptions('SchemaField.ofFloat', 'SchemaFieldOptions', options));
  }

  /** A double-precision number field. */
  public static ofDouble(name: string, options: SchemaFieldOptions = {}): SchemaField {
    return new SchemaField(name, SchemaFieldType.DOUBLE, checkOptions('SchemaField.ofDouble', 'SchemaFieldOptions', options));
  }

  /** A boolean field. */
  public static ofBoolean(name: string, options: SchemaFieldOptions = {}): SchemaField {
    return new SchemaField(name, SchemaFieldType.BOOLEAN, checkOptions('SchemaField.ofBoolean', 'SchemaFieldOptions', options));
  }

  /** A field of any type, with any flags; validated like the others as far as the type is known. */
  public static ofType(name: string, fieldType: SchemaFieldType, options: StringFieldOptions = {}): SchemaField {
    return new SchemaField(name, fieldType, checkOptions('SchemaField.ofType', 'StringFieldOptions', options));
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

/**
 * For callers without a type checker: an options object of known keys with boolean flags (a
 * misspelt `optinal` would otherwise be ignored).
 */
function checkOptions(where: string, iface: 'SchemaFieldOptions' | 'StringFieldOptions', options: StringFieldOptions): StringFieldOptions {
  checkKnownKeys(where, iface, options);
  for (const [key, value] of Object.entries(options ?? {})) {
    if (value !== undefined && typeof value !== 'boolean') {
      throw new Error(`${where}: ${key} is ${describeValue(value)}: must be true or false`);
    }
  }
  return options ?? {};
}
