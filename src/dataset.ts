import { CustomResource, IResource, Names, RemovalPolicy, Resource, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import { CfnDataset } from 'aws-cdk-lib/aws-personalize';
import { Construct } from 'constructs';
import { DatasetGroup, DatasetGroupBase, IDatasetGroup } from './dataset-group';
import { addDatasetImport } from './dataset-import';
import { DatasetAttributes, DatasetImportMode, DatasetProps } from './dataset-props';
import { API_LIMITS, NAME_PATTERN } from './private/api-limits';
import { datasetArnOf } from './private/arns';
import { PERSONALIZE_METRICS, personalizeMetric } from './private/cloudwatch';
import { DATASET_RESOURCE_TYPE, DatasetAttributeNames, DatasetImportAttributes } from './private/contract';
import { PersonalizeProvider } from './private/provider';
import { applyRemovalPolicyAtSynth, checkRemovalPolicy, requireRetainedParent, STATEFUL_DEFAULT } from './private/removal';
import { checkEnumValue, checkKnownKeys, checkReference, constructAt } from './private/untyped';
import { PropsValidator } from './private/validation';
import { DatasetType, ISchema, Schema } from './schema';

/**
 * An Amazon Personalize dataset.
 */
export interface IDataset extends IResource {
  /**
   * The ARN of the dataset.
   * @attribute
   */
  readonly datasetArn: string;

  /**
   * The type of the dataset, when known.
   */
  readonly datasetType?: DatasetType;

  /**
   * Grants `actions` on this dataset, e.g. `personalize:PutItems`.
   */
  grant(grantee: iam.IGrantable, ...actions: string[]): iam.Grant;

  /**
   * A CloudWatch metric of this dataset's imports (namespace `AWS/Personalize`, dimension `DatasetArn`).
   *
   * @param metricName e.g. `DatasetSize`
   */
  metric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric;

  /** Seconds from the start of an import to its end, average per 5 minutes. */
  metricImportJobExecutionTime(props?: cloudwatch.MetricOptions): cloudwatch.Metric;

  /** CreateDatasetImportJob calls that failed, sum per 5 minutes. */
  metricImportJobErrors(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
}

/**
 * Behaviour shared by owned and imported datasets.
 */
export abstract class DatasetBase extends Resource implements IDataset {
  public abstract readonly datasetArn: string;
  public abstract readonly datasetType?: DatasetType;

  public grant(grantee: iam.IGrantable, ...actions: string[]): iam.Grant {
    return iam.Grant.addToPrincipal({ grantee, actions, resourceArns: [this.datasetArn] });
  }

  public metric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return personalizeMetric(this, { metricName }, { DatasetArn: this.datasetArn }, props);
  }

  public metricImportJobExecutionTime(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return personalizeMetric(this, PERSONALIZE_METRICS.datasetImportJobExecutionTime, { DatasetArn: this.datasetArn }, props);
  }

  public metricImportJobErrors(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return personalizeMetric(this, PERSONALIZE_METRICS.datasetImportJobErrors, { DatasetArn: this.datasetArn }, props);
  }
}

/** Dataset types CloudFormation cannot create: a custom resource creates them. */
const ACTION_TYPES: readonly DatasetType[] = [DatasetType.ACTIONS, DatasetType.ACTION_INTERACTIONS];

/** The kind a dataset is counted as on its dataset group, with its type appended (one of each type per group). */
const MEMBER_KIND = 'Dataset';

/**
 * An Amazon Personalize dataset, with an optional import from S3. Actions and Action interactions
 * datasets (Next-Best-Action), which CloudFormation cannot create, are created by a custom resource
 * (`Custom::PersonalizeDataset`).
 *
 * An import can outlast CloudFormation's hour for a custom resource, so it is waited for as a
 * training is: a custom resource (`Custom::PersonalizeDatasetImport`) starts the job and the stack's
 * job poller, a wait condition waits for it (up to 11 hours), and a result resource
 * (`Custom::PersonalizeDatasetImportResult`) reads the outcome and fails with Personalize's reason
 * unless the job is ACTIVE. The dataset group records the result, so that solution versions start
 * training on imported data. The import job that AWS::Personalize::Dataset can embed is not used:
 * its resource returns no attribute of the job to depend on, and whether it waits for the job to
 * finish is not documented; waiting explicitly makes the ordering certain.
 *
 * @resource AWS::Personalize::Dataset
 */
export class Dataset extends DatasetBase {
  /** Imports a dataset by its ARN. */
  public static fromDatasetArn(scope: Construct, id: string, datasetArn: string): IDataset {
    return Dataset.fromDatasetAttributes(scope, id, { datasetArn });
  }

  /** Imports a dataset by its attributes. */
  public static fromDatasetAttributes(scope: Construct, id: string, attrs: DatasetAttributes): IDataset {
    checkKnownKeys(constructAt('Dataset.fromDatasetAttributes', scope, id), 'DatasetAttributes', attrs);
    const datasetType = attrs.datasetType ?? datasetTypeFromArn(attrs.datasetArn);
    class Import extends DatasetBase {
      public readonly datasetArn = attrs.datasetArn;
      public readonly datasetType = datasetType;
    }
    return new Import(scope, id, { environmentFromArn: Token.isUnresolved(attrs.datasetArn) ? undefined : attrs.datasetArn });
  }

  public readonly datasetArn: string;
  /** The type of the dataset (always known; optional only to match `IDataset`). */
  public readonly datasetType?: DatasetType;

  /**
   * The name of the dataset (dataset ARNs carry the group and the type instead).
   * @attribute
   */
  public readonly datasetName: string;

  /** The dataset group the dataset belongs to. */
  public readonly datasetGroup: IDatasetGroup;

  /** The schema of the dataset. */
  public readonly schema: ISchema;

  /** The role Personalize assumes to read the import's data, if there is an import. */
  public readonly importRole?: iam.IRole;

  /**
   * The ARN of the import job, if there is an import.
   * @attribute
   */
  public readonly datasetImportJobArn?: string;

  private removal?: RemovalPolicy;

  constructor(scope: Construct, id: string, props: DatasetProps) {
    const at = constructAt('dataset', scope, id);
    checkKnownKeys(at, 'DatasetProps', props);
    checkKnownKeys(`${at} importSource`, 'DatasetImportSource', props.importSource);
    checkReference(`${at} datasetGroup`, props.datasetGroup, 'an IDatasetGroup', 'datasetGroupArn', 'new DatasetGroup(...) or DatasetGroup.fromDatasetGroupArn(...)');
    checkEnumValue(`${at} importSource.importMode`, props.importSource?.importMode, Object.values(DatasetImportMode));
    super(scope, id, { physicalName: props.datasetName });
    this.removal = checkRemovalPolicy(at, props.removalPolicy);

    const datasetType = validateDatasetProps(this, props);
    this.datasetType = datasetType;
    this.datasetGroup = props.datasetGroup;
    this.schema = props.schema;

    const name = props.datasetName ?? Names.uniqueResourceName(this, { maxLength: API_LIMITS.nameMaxLength });
    const definition = { name, datasetGroupArn: props.datasetGroup.datasetGroupArn, datasetType, schemaArn: props.schema.schemaArn };
    let resource: CfnDataset | CustomResource;
    if (ACTION_TYPES.includes(datasetType)) {
      // AWS::Personalize::Dataset takes Interactions, Items and Users only.
      const provider = PersonalizeProvider.of(this);
      resource = new CustomResource(this, 'Resource', { serviceToken: provider.serviceToken, resourceType: DATASET_RESOURCE_TYPE, properties: definition });
      this.datasetArn = resource.getAttString(DatasetAttributeNames.DATASET_ARN);
      provider.allow(
        ['personalize:CreateDataset', 'personalize:DescribeDataset', 'personalize:DeleteDataset'],
        [datasetArnOf(this, props.datasetGroup, datasetType), props.datasetGroup.datasetGroupArn, props.schema.schemaArn],
      );
    } else {
      const cfn = new CfnDataset(this, 'Resource', definition);
      this.datasetArn = cfn.attrDatasetArn;
      resource = cfn;
    }
    this.datasetName = name;
    if (props.datasetGroup instanceof DatasetGroupBase) {
      props.datasetGroup._registerDataset(resource);
      props.datasetGroup._registerMember(`${MEMBER_KIND}:${datasetType}`, this);
    }

    let importResources: CustomResource[] = [];
    if (props.importSource) {
      const added = addDatasetImport(this, props.importSource);
      importResources = [added.resource, added.result];
      this.importRole = added.role;
      this.datasetImportJobArn = added.result.getAttString(DatasetImportAttributes.DATASET_IMPORT_JOB_ARN);
    }

    const group = props.datasetGroup instanceof DatasetGroup ? props.datasetGroup : undefined;
    // The import resources follow the dataset: a retained dataset's delete never waits for its import.
    applyRemovalPolicyAtSynth(this, () => this.removalPolicy, () => [resource, ...importResources]);
    requireRetainedParent(this, 'dataset', () => this.removalPolicy, () => group && {
      what: 'dataset group', path: group.node.path, policy: group.removalPolicy, why: 'Personalize deletes a dataset group only once its datasets are gone',
    });
    if (props.schema instanceof Schema) {
      props.schema._usedBy(() => this.removalPolicy);
    }
  }

  /** What happens to the dataset when the stack is deleted or a change replaces it: the removal policy prop, or its default. */
  public get removalPolicy(): RemovalPolicy {
    return this.removal ?? (this.datasetGroup instanceof DatasetGroup ? this.datasetGroup.removalPolicy : STATEFUL_DEFAULT);
  }

  /** Sets what happens to the dataset, with its data, when the stack is deleted or a change replaces it. */
  public applyRemovalPolicy(policy: RemovalPolicy): void {
    this.removal = checkRemovalPolicy(`dataset at '${this.node.path}'`, policy);
  }
}

function validateDatasetProps(scope: Dataset, props: DatasetProps): DatasetType {
  const v = new PropsValidator(scope, 'dataset');
  v.string('datasetName', props.datasetName, { minLength: 1, maxLength: API_LIMITS.nameMaxLength, pattern: NAME_PATTERN });

  const schemaType = props.schema.datasetType;
  const datasetType = props.datasetType ?? schemaType;
  if (datasetType === undefined) {
    v.fail('datasetType', undefined, 'is required when the schema\'s dataset type is not known (give it, or import the schema with its datasetType)');
  } else if (schemaType !== undefined && schemaType !== datasetType) {
    v.fail('datasetType', datasetType, `must match the schema, which is for ${schemaType}`);
  }

  // A domain dataset group takes schemas of its domain only, and a custom one schemas without.
  const group = props.datasetGroup;
  if (datasetType !== undefined && ACTION_TYPES.includes(datasetType) && group.domain !== undefined) {
    v.fail('datasetType', datasetType, `is for custom dataset groups only (Next-Best-Action); dataset group ${group.node.path} has domain ${group.domain}`);
  }
  // "Custom datasets and schemas": a dataset group has at most one dataset of each type.
  const twin = datasetType !== undefined && group instanceof DatasetGroupBase ? group._membersOf(`${MEMBER_KIND}:${datasetType}`)[0] : undefined;
  if (twin) {
    v.fail('datasetType', datasetType, `dataset group ${group.node.path} already has the ${datasetType} dataset ${twin.node.path}: a dataset group has one dataset of each type`);
  }
  const groupKnown = group instanceof DatasetGroup || group.domain !== undefined;
  const schemaKnown = props.schema instanceof Schema || props.schema.domain !== undefined;
  if (groupKnown && schemaKnown && group.domain !== props.schema.domain) {
    v.fail('schema.domain', props.schema.domain ?? 'none', `must match the dataset group's domain (${group.domain ?? 'none: a custom dataset group'})`);
  }

  const source = props.importSource;
  if (source && !Token.isUnresolved(source.prefix)) {
    if (source.prefix.startsWith('/') || source.prefix.startsWith('s3://')) {
      v.fail('importSource.prefix', source.prefix, 'must be a key within the bucket, e.g. \'interactions/\' or \'data/items.csv\'');
    } else {
      // s3://<bucket>/<prefix>; bucket names have at least 3 characters.
      const bucketName = Token.isUnresolved(source.bucket.bucketName) ? 'xxx' : source.bucket.bucketName;
      const location = `s3://${bucketName}/${source.prefix}`;
      if (location.length > API_LIMITS.stringMaxLength) {
        v.fail('importSource.prefix', source.prefix, `makes the data location ${location.length} characters long: Personalize accepts at most ${API_LIMITS.stringMaxLength}`);
      }
    }
  }
  if (source?.importMode === DatasetImportMode.INCREMENTAL) {
    // This construct creates the dataset, so the stack's first deploy imports into an empty
    // dataset, which Personalize refuses in INCREMENTAL mode. Later deploys may switch to it.
    v.warn('incremental-first-import', 'importSource.importMode is INCREMENTAL: Personalize refuses an INCREMENTAL import into a dataset '
      + 'that has no data yet, so the first deploy of this dataset (or of a replacement) fails. Import with FULL first, then switch to INCREMENTAL.');
  }
  v.throwIfInvalid();
  return datasetType!;
}

/** `dataset/<group>/INTERACTIONS` → Interactions, when the ARN is known at synth. */
function datasetTypeFromArn(datasetArn: string): DatasetType | undefined {
  if (Token.isUnresolved(datasetArn)) {
    return undefined;
  }
  const upper = datasetArn.split('/').pop()?.toUpperCase();
  return Object.values(DatasetType).find(t => t.toUpperCase() === upper);
}

