import { Annotations, IResource, Resource, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { CfnMetricAttribution } from 'aws-cdk-lib/aws-personalize';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { DatasetGroup, DatasetGroupBase, IDatasetGroup } from './dataset-group';
import { API_LIMITS, COLUMN_PATTERN, NAME_PATTERN } from './private/api-limits';
import { personalizeArnComponents } from './private/arns';
import { groupIdentity, nameWithContentDigest } from './private/generated-names';
import { groupColumns } from './private/group-columns';
import { kmsKeyProblem } from './private/kms-keys';
import { acknowledgeNewResourceType } from './private/new-resource-type';
import { checkKnownKeys, checkReference, constructAt, describeValue } from './private/untyped';
import { formatProblems, PropsValidator } from './private/validation';

const PERSONALIZE = 'personalize.amazonaws.com';
const NUMERIC = ['int', 'long', 'float', 'double'];

/** The kind this construct is counted as on its dataset group (a per-group quota). */
const MEMBER_KIND = 'MetricAttribution';

/** Limits of CreateMetricAttribution (API reference). */
const LIMITS = { metrics: 10, textMaxLength: 256 } as const;

function checkColumn(factory: string, column: unknown): string {
  if (typeof column !== 'string' || (!Token.isUnresolved(column) && !COLUMN_PATTERN.test(column))) {
    throw new Error(`MetricExpression.${factory}: column is ${describeValue(column)}: must be a dataset column name (letters, digits and _, not starting with a digit)`);
  }
  return column;
}

/**
 * What a metric attribution computes over the events of one type: `SAMPLECOUNT()` or the `SUM()`
 * of a numeric column of the Items or Item interactions dataset.
 */
export class MetricExpression {
  /** The number of events of the type (`SAMPLECOUNT()`). */
  public static sampleCount(): MetricExpression {
    return new MetricExpression('SAMPLECOUNT()');
  }

  /** The sum of a numeric column of the Items dataset over the events' items, e.g. `SUM(Items.PRICE)`. */
  public static sumOfItems(column: string): MetricExpression {
    return new MetricExpression(`SUM(Items.${checkColumn('sumOfItems', column)})`, { dataset: 'Items', column });
  }

  /** The sum of a numeric column of the Item interactions dataset, e.g. `SUM(Interactions.EVENT_VALUE)`. */
  public static sumOfInteractions(column: string): MetricExpression {
    return new MetricExpression(`SUM(Interactions.${checkColumn('sumOfInteractions', column)})`, { dataset: 'Interactions', column });
  }

  /** An expression as Personalize takes it, not checked against the schemas (an escape hatch). */
  public static of(expression: string): MetricExpression {
    return new MetricExpression(expression);
  }

  /** @internal */
  public readonly _sum?: { readonly dataset: 'Items' | 'Interactions'; readonly column: string };

  private constructor(
    /** The expression as Personalize takes it. */
    public readonly expression: string,
    sum?: { readonly dataset: 'Items' | 'Interactions'; readonly column: string },
  ) {
    this._sum = sum;
  }
}

/**
 * One metric of a metric attribution.
 */
export interface AttributedMetric {
  /**
   * The name of the metric in the reports (1 to 256 characters, unique in the attribution whatever
   * the case). Personalize reports it upper-cased.
   */
  readonly metricName: string;

  /**
   * The event type the metric counts or sums, as the interactions record it (1 to 256 characters).
   * Personalize describes it upper-cased.
   */
  readonly eventType: string;

  /** What the metric computes. */
  readonly expression: MetricExpression;
}

/**
 * Where a metric attribution also writes its reports.
 */
export interface MetricAttributionS3Destination {
  /** The bucket. */
  readonly bucket: s3.IBucket;

  /**
   * The key prefix of the reports.
   * @default - the bucket's root
   */
  readonly prefix?: string;

  /**
   * The KMS key that encrypts the reports.
   * @default - the bucket's default encryption
   */
  readonly encryptionKey?: kms.IKey;
}

/**
 * An Amazon Personalize metric attribution: reports on the impact of recommendations.
 */
export interface IMetricAttribution extends IResource {
  /**
   * The ARN of the metric attribution.
   * @attribute
   */
  readonly metricAttributionArn: string;
}

/**
 * Properties of a metric attribution.
 */
export interface MetricAttributionProps {
  /** The dataset group whose events are reported. One metric attribution per dataset group. */
  readonly datasetGroup: IDatasetGroup;

  /** The metrics (1 to 10). A changed list replaces the metric attribution: see the README. */
  readonly metrics: AttributedMetric[];

  /**
   * The name (1 to 63 characters).
   * @default - a name generated from the construct path and the metrics
   */
  readonly metricAttributionName?: string;

  /**
   * Where the reports also go in S3.
   * @default - CloudWatch only
   */
  readonly s3Destination?: MetricAttributionS3Destination;

  /**
   * The role Personalize assumes to publish the metrics to CloudWatch (and write to S3).
   * @default - a role for this metric attribution, with cloudwatch:PutMetricData and write access to the S3 destination
   */
  readonly role?: iam.IRole;
}

/**
 * An Amazon Personalize metric attribution.
 *
 * @resource AWS::Personalize::MetricAttribution
 */
export class MetricAttribution extends Resource implements IMetricAttribution {
  /** Imports a metric attribution by its ARN. */
  public static fromMetricAttributionArn(scope: Construct, id: string, metricAttributionArn: string): IMetricAttribution {
    class Import extends Resource implements IMetricAttribution {
      public readonly metricAttributionArn = metricAttributionArn;
    }
    return new Import(scope, id, { environmentFromArn: Token.isUnresolved(metricAttributionArn) ? undefined : metricAttributionArn });
  }

  public readonly metricAttributionArn: string;

  /** The name of the metric attribution. */
  public readonly metricAttributionName: string;

  /** The role Personalize assumes to publish the metrics. */
  public readonly role: iam.IRole;

  /** The dataset group of the metric attribution. */
  public readonly datasetGroup: IDatasetGroup;

  private readonly metrics: AttributedMetric[];

  constructor(scope: Construct, id: string, props: MetricAttributionProps) {
    const at = constructAt('metric attribution', scope, id);
    checkKnownKeys(at, 'MetricAttributionProps', props);
    checkReference(`${at} datasetGroup`, props.datasetGroup, 'an IDatasetGroup', 'datasetGroupArn', 'new DatasetGroup(...) or DatasetGroup.fromDatasetGroupArn(...)');
    checkKnownKeys(`${at} s3Destination`, 'MetricAttributionS3Destination', props.s3Destination);
    super(scope, id, { physicalName: props.metricAttributionName });
    this.datasetGroup = props.datasetGroup;
    if (props.datasetGroup instanceof DatasetGroupBase) {
      props.datasetGroup._registerMember(MEMBER_KIND, this);
    }
    this.metrics = Array.isArray(props.metrics) ? props.metrics : [];

    const v = new PropsValidator(this, 'metric attribution');
    v.string('metricAttributionName', props.metricAttributionName, { minLength: 1, maxLength: API_LIMITS.nameMaxLength, pattern: NAME_PATTERN });
    if (!Array.isArray(props.metrics) || props.metrics.length < 1 || props.metrics.length > LIMITS.metrics) {
      v.fail('metrics', Array.isArray(props.metrics) ? `${props.metrics.length} metrics` : props.metrics, `must list 1 to ${LIMITS.metrics} metrics`);
    }
    const names = new Set<string>();
    this.metrics.forEach((metric, i) => {
      checkKnownKeys(`metric attribution at '${this.node.path}' metrics[${i}]`, 'AttributedMetric', metric);
      if (metric.expression instanceof MetricExpression) {
        v.string(`metrics[${i}].expression`, metric.expression.expression, { minLength: 1, maxLength: LIMITS.textMaxLength });
      } else {
        v.fail(`metrics[${i}].expression`, metric.expression,
          'must be a MetricExpression, e.g. MetricExpression.sampleCount() or MetricExpression.sumOfItems(\'PRICE\')');
      }
      v.string(`metrics[${i}].metricName`, metric.metricName, { minLength: 1, maxLength: LIMITS.textMaxLength });
      v.string(`metrics[${i}].eventType`, metric.eventType, { minLength: 1, maxLength: LIMITS.textMaxLength });
      // Personalize upper-cases the names, so `clicks` and `CLICKS` are the same metric.
      const key = typeof metric.metricName === 'string' ? metric.metricName.toUpperCase() : metric.metricName;
      if (!Token.isUnresolved(metric.metricName) && names.has(key)) {
        v.fail(`metrics[${i}].metricName`, metric.metricName, 'must be unique in the metric attribution, whatever the case (Personalize upper-cases it)');
      }
      names.add(key);
    });
    const keyProblem = kmsKeyProblem(props.s3Destination?.encryptionKey);
    if (keyProblem) {
      v.failCombination(`s3Destination.encryptionKey ${keyProblem}`);
    }
    v.throwIfInvalid();
    // Read once the whole app is built: datasets and other attributions may be added later.
    this.node.addValidation({ validate: () => this.validateAgainstGroup() });

    const metrics = this.metrics.map(m => ({ eventType: m.eventType, metricName: m.metricName, expression: m.expression.expression }));
    this.role = props.role ?? this.createRole(props.s3Destination);
    const destination = props.s3Destination;
    const name = props.metricAttributionName
      ?? nameWithContentDigest(this, `${groupIdentity(props.datasetGroup)}\n${JSON.stringify(metrics)}`, API_LIMITS.nameMaxLength);
    const resource = new CfnMetricAttribution(this, 'Resource', {
      name,
      datasetGroupArn: props.datasetGroup.datasetGroupArn,
      metrics,
      metricsOutputConfig: {
        roleArn: this.role.roleArn,
        s3DataDestination: destination && {
          path: `s3://${destination.bucket.bucketName}/${destination.prefix ?? ''}`,
          kmsKeyArn: destination.encryptionKey?.keyArn,
        },
      },
    });
    // Sums read the datasets: create it after them and delete it before them. The role's policy
    // must exist before Personalize uses it.
    if (props.datasetGroup instanceof DatasetGroupBase) {
      resource.node.addDependency(...props.datasetGroup._datasetDependables());
    }
    const policy = props.role ? undefined : this.role.node.tryFindChild('DefaultPolicy');
    if (policy) {
      resource.node.addDependency(policy);
    }
    acknowledgeNewResourceType(resource, false);
    this.metricAttributionArn = this.getResourceArnAttribute(resource.attrMetricAttributionArn, personalizeArnComponents(this, 'metric-attribution', name));
    this.metricAttributionName = name;
  }

  private createRole(destination: MetricAttributionS3Destination | undefined): iam.IRole {
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal(PERSONALIZE),
      description: 'Lets Amazon Personalize publish the metrics of a metric attribution',
    });
    // PutMetricData has no resource-level permissions.
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['cloudwatch:PutMetricData'], resources: ['*'] }));
    if (destination) {
      destination.bucket.grantPut(role, `${destination.prefix ?? ''}*`);
      role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [destination.bucket.bucketArn] }));
      destination.encryptionKey?.grantEncrypt(role);
    }
    return role;
  }

  private validateAgainstGroup(): string[] {
    const group = this.datasetGroup;
    const problems: string[] = [];
    const siblings = group instanceof DatasetGroupBase ? group._membersOf(MEMBER_KIND) : [this];
    if (siblings.length > 1 && siblings[0] === this) {
      problems.push(`dataset group ${group.node.path} has ${siblings.length} metric attributions (${siblings.map(s => s.node.path).join(', ')}): Personalize allows one per dataset group`);
    }
    const sums = this.metrics.filter(m => m.expression._sum);
    if (!(group instanceof DatasetGroup)) {
      Annotations.of(this).addWarningV2('cdk-personalize:metric-attribution-unchecked', `the dataset group ${group.node.path} is imported: `
        + 'its Interactions schema is not checked for EVENT_TYPE, nor the columns the metrics sum against its schemas');
      return problems.length ? [formatProblems('metric attribution', this, problems)] : [];
    }
    const columns = groupColumns(this, group);
    // Metrics count the interactions of an event type: the Interactions dataset needs EVENT_TYPE.
    const interactions = columns('Interactions');
    if (interactions === undefined) {
      problems.push(`dataset group ${group.node.path} has no Interactions dataset in this app: metrics count its events by EVENT_TYPE`);
    } else if (interactions !== 'unknown' && !interactions.has('EVENT_TYPE')) {
      problems.push(`the Interactions schema of dataset group ${group.node.path} has no EVENT_TYPE field: metrics count events by type `
        + '(metrics[].eventType); add SchemaField.ofString(\'EVENT_TYPE\')');
    }
    for (const metric of sums) {
      const { dataset, column } = metric.expression._sum!;
      const found = columns(dataset);
      const where = `metric ${metric.metricName} (${metric.expression.expression})`;
      if (found === undefined) {
        problems.push(`${where}: dataset group ${group.node.path} has no ${dataset} dataset in this app`);
      } else if (found !== 'unknown') {
        const col = found.get(column.toUpperCase());
        if (!col) {
          problems.push(`${where}: the ${dataset} schema has no field ${column}; it has ${[...found.keys()].join(', ')}`);
        } else if (!col.types.some(t => NUMERIC.includes(t))) {
          problems.push(`${where}: SUM() needs a numeric column (int, long, float or double); ${column} is ${col.types.join(' or ')}`);
        }
      }
    }
    return problems.length ? [formatProblems('metric attribution', this, problems)] : [];
  }
}
