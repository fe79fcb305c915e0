import { Arn, ArnFormat, IResource, RemovalPolicy, Resource, Token } from 'aws-cdk-lib';
import { CfnSchema } from 'aws-cdk-lib/aws-personalize';
import { Construct } from 'constructs';
import { DatasetGroupDomain } from './dataset-group';
import { API_LIMITS, NAME_PATTERN } from './private/api-limits';
import { personalizeArnComponents } from './private/arns';
import { nameWithContentDigest } from './private/generated-names';
import { applyRemovalPolicyAtSynth, retains, STATEFUL_DEFAULT } from './private/removal';
import { reservedFieldsOf } from './private/reserved-fields';
import { RenderedSchema, SCHEMA_NAMESPACE, validateSchema } from './private/schema-rules';
import { checkKnownKeys, constructAt } from './private/untyped';
import { PropsValidator } from './private/validation';
import { SchemaField, SchemaFieldType } from './schema-field';

/**
 * The types of dataset that CloudFormation can create.
 */
export enum DatasetType {
  /** What users did with items: the data every recipe trains on. */
  INTERACTIONS = 'Interactions',
  /** Metadata about items. */
  ITEMS = 'Items',
  /** Metadata about users. */
  USERS = 'Users',
  /** The actions Next-Best-Action recommends (custom dataset groups only; not a CloudFormation type). */
  ACTIONS = 'Actions',
  /** What users did with actions, for Next-Best-Action (custom dataset groups only; not a CloudFormation type). */
  ACTION_INTERACTIONS = 'Action_Interactions',
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
 * An Amazon Personalize schema for a dataset of any type, validated at synth.
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
    return Schema.ofFields(scope, id, DatasetType.INTERACTIONS, options);
  }

  /** A schema for an Items dataset: ITEM_ID is added when missing; at least one other field is needed. */
  public static items(scope: Construct, id: string, options: SchemaFieldsOptions): Schema {
    return Schema.ofFields(scope, id, DatasetType.ITEMS, options);
  }

  /** A schema for a Users dataset: USER_ID is added when missing; at least one other field is needed. */
  public static users(scope: Construct, id: string, options: SchemaFieldsOptions): Schema {
    return Schema.ofFields(scope, id, DatasetType.USERS, options);
  }

  /**
   * A schema for an Actions dataset (Next-Best-Action): ACTION_ID is added when missing; at least one
   * other field is needed, and at most 10 fields in all.
   */
  public static actions(scope: Construct, id: string, options: SchemaFieldsOptions): Schema {
    return Schema.ofFields(scope, id, DatasetType.ACTIONS, options);
  }

  /** A schema for an Action interactions dataset: USER_ID, ACTION_ID, TIMESTAMP and EVENT_TYPE are added when missing. */
  public static actionInteractions(scope: Construct, id: string, options: SchemaFieldsOptions = {}): Schema {
    return Schema.ofFields(scope, id, DatasetType.ACTION_INTERACTIONS, options);
  }

  /** A schema from existing Avro JSON, validated like a typed one. */
  public static fromJson(scope: Construct, id: string, props: SchemaFromJsonProps): Schema {
    checkKnownKeys(constructAt('Schema.fromJson', scope, id), 'SchemaFromJsonProps', props);
    const { json, ...rest } = props;
    return new Schema(scope, id, { ...rest, definition: SchemaDefinition.fromJson(json) });
  }

  /** Imports a schema by its ARN. */
  public static fromSchemaArn(scope: Construct, id: string, schemaArn: string): ISchema {
    return Schema.fromSchemaAttributes(scope, id, { schemaArn });
  }

  /** Imports a schema by its attributes. */
  public static fromSchemaAttributes(scope: Construct, id: string, attrs: SchemaAttributes): ISchema {
    checkKnownKeys(constructAt('Schema.fromSchemaAttributes', scope, id), 'SchemaAttributes', attrs);
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
    const factory = `Schema.${datasetType === DatasetType.ACTION_INTERACTIONS ? 'actionInteractions' : datasetType.toLowerCase()}`;
    checkKnownKeys(constructAt(factory, scope, id), 'SchemaFieldsOptions', options);
    const { fields, ...rest } = options;
    return new Schema(scope, id, { ...rest, datasetType, definition: SchemaDefinition.fromFields(fields ?? []) });
  }

  public readonly schemaArn: string;

  private readonly datasetPolicies: Array<() => RemovalPolicy> = [];
  public readonly schemaName: string;
  /** The dataset type the schema is for (always known; optional only to match `ISchema`). */
  public readonly datasetType?: DatasetType;
  public readonly domain?: DatasetGroupDomain;

  /** The Avro schema as sent to Personalize. */
  public readonly schemaJson: string;

  constructor(scope: Construct, id: string, props: SchemaProps) {
    checkKnownKeys(constructAt('schema', scope, id), 'SchemaProps', props);
    super(scope, id, { physicalName: props.schemaName });

    this.datasetType = props.datasetType;
    this.domain = props.domain;
    const rendered = props.definition._render(props.datasetType);
    this.schemaJson = rendered.json;

    const v = new PropsValidator(this, 'schema');
    v.string('schemaName', props.schemaName, { minLength: 1, maxLength: API_LIMITS.nameMaxLength, pattern: NAME_PATTERN });
    validateSchema(v, rendered, props.datasetType, props.domain);
    v.throwIfInvalid();

    const name = props.schemaName ?? nameWithContentDigest(this, rendered.json, API_LIMITS.nameMaxLength);
    const resource = new CfnSchema(this, 'Resource', {
      name,
      schema: rendered.json,
      domain: props.domain,
    });
    this.schemaArn = this.getResourceArnAttribute(resource.attrSchemaArn, personalizeArnComponents(this, 'schema', name));
    this.schemaName = name;
    // Personalize deletes a schema only once no dataset uses it: a schema follows its datasets.
    applyRemovalPolicyAtSynth(this, () => {
      const policies = this.datasetPolicies.map(p => p());
      return policies.includes(RemovalPolicy.RETAIN) ? RemovalPolicy.RETAIN : policies.some(retains) ? STATEFUL_DEFAULT : RemovalPolicy.DESTROY;
    }, () => [resource]);
  }

  /**
   * Registers a dataset of this app that uses the schema: a retained dataset retains it.
   * @internal
   */
  public _usedBy(datasetPolicy: () => RemovalPolicy): void {
    this.datasetPolicies.push(datasetPolicy);
  }

}
