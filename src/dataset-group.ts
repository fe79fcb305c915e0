import { Arn, ArnFormat, IResource, Names, RemovalPolicy, Resource, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { CfnDatasetGroup } from 'aws-cdk-lib/aws-personalize';
import { Construct, DependencyGroup, IConstruct, IDependable } from 'constructs';
import { API_LIMITS, NAME_PATTERN } from './private/api-limits';
import { personalizeArnComponents, personalizeArnOf } from './private/arns';
import { kmsKeyProblem } from './private/kms-keys';
import { applyRemovalPolicyAtSynth, cfnResourcesOf, checkRemovalPolicy, STATEFUL_DEFAULT } from './private/removal';
import { checkEnumValue, checkKnownKeys, constructAt } from './private/untyped';
import { PropsValidator } from './private/validation';

/**
 * An Amazon Personalize dataset group: the container of datasets that solutions train on.
 */
export interface IDatasetGroup extends IResource {
  /**
   * The ARN of the dataset group.
   * @attribute
   */
  readonly datasetGroupArn: string;

  /**
   * The name of the dataset group.
   * @attribute
   */
  readonly datasetGroupName: string;

  /**
   * The domain of a domain dataset group, when known.
   */
  readonly domain?: DatasetGroupDomain;

  /**
   * Grants `actions` on this dataset group.
   */
  grant(grantee: iam.IGrantable, ...actions: string[]): iam.Grant;

  /**
   * Grants describing the dataset group and listing what it contains.
   */
  grantRead(grantee: iam.IGrantable): iam.Grant;
}

/**
 * The domain of a domain dataset group.
 */
export enum DatasetGroupDomain {
  /** Retail and e-commerce. */
  ECOMMERCE = 'ECOMMERCE',
  /** Video on demand. */
  VIDEO_ON_DEMAND = 'VIDEO_ON_DEMAND',
}

/** Actions that read a dataset group. */
const READ_ACTIONS = ['personalize:DescribeDatasetGroup'];
/** List actions that IAM only authorizes on `*`. */
const LIST_ACTIONS = [
  'personalize:ListDatasetGroups',
  'personalize:ListDatasets',
  'personalize:ListDatasetImportJobs',
  'personalize:ListSolutions',
  'personalize:ListCampaigns',
];

/**
 * Behaviour shared by owned and imported dataset groups.
 */
export abstract class DatasetGroupBase extends Resource implements IDatasetGroup {
  public abstract readonly datasetGroupArn: string;
  public abstract readonly datasetGroupName: string;
  public abstract readonly domain?: DatasetGroupDomain;

  /** The data imports into datasets of this group; filled as datasets are added, read at synth. */
  private readonly imports = new DependencyGroup();
  private readonly importJobs: string[] = [];
  private readonly members = new Map<string, IConstruct[]>();
  private readonly datasets = new DependencyGroup();

  public grant(grantee: iam.IGrantable, ...actions: string[]): iam.Grant {
    return iam.Grant.addToPrincipal({ grantee, actions, resourceArns: [this.datasetGroupArn] });
  }

  public grantRead(grantee: iam.IGrantable): iam.Grant {
    const grant = this.grant(grantee, ...READ_ACTIONS);
    iam.Grant.addToPrincipal({ grantee, actions: LIST_ACTIONS, resourceArns: ['*'] });
    return grant;
  }

  /**
   * Records a data import into a dataset of this group: done once the import job is ACTIVE.
   * @internal
   */
  public _registerImport(dependable: IDependable, importJobArn?: string): void {
    this.imports.add(dependable);
    if (importJobArn !== undefined) {
      this.importJobs.push(importJobArn);
    }
  }

  /**
   * The import job ARNs (tokens) of the imports into this group's datasets, in the order added.
   * @internal
   */
  public _importJobArns(): string[] {
    return [...this.importJobs];
  }

  /**
   * What training must wait for: the data imports into this group's datasets. The one element is
   * a live group, so imports added after the caller asked are included too.
   * @internal
   */
  public _importDependables(): IDependable[] {
    return [this.imports];
  }

  /**
   * Records a resource of this group of a kind with a per-group quota (event trackers, filters,
   * metric attributions, recommenders), so that the quota is counted on the group.
   * @internal
   */
  public _registerMember(kind: string, member: IConstruct): void {
    const members = this.members.get(kind) ?? [];
    members.push(member);
    this.members.set(kind, members);
  }

  /**
   * The resources of `kind` recorded on this group, in the order they were added.
   * @internal
   */
  public _membersOf(kind: string): IConstruct[] {
    return [...(this.members.get(kind) ?? [])];
  }

  /**
   * Records a dataset of this group.
   * @internal
   */
  public _registerDataset(dependable: IDependable): void {
    this.datasets.add(dependable);
  }

  /**
   * What a resource reading the datasets (a filter) waits for: the group's datasets, as a live group.
   * @internal
   */
  public _datasetDependables(): IDependable[] {
    return [this.datasets];
  }
}

/**
 * Properties of a dataset group.
 */
export interface DatasetGroupProps {
  /**
   * The name of the dataset group, unique per account and region.
   * @default - a name generated from the construct path
   */
  readonly datasetGroupName?: string;

  /**
   * The domain, for a domain dataset group. Its schemas then need the same domain.
   * @default - a custom dataset group
   */
  readonly domain?: DatasetGroupDomain;

  /**
   * A KMS key that encrypts the datasets. Personalize gets a role that may use it.
   * @default - encrypted with a key that Personalize owns
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * What happens to the dataset group, with its imported data, when the stack is deleted or a
   * change replaces it. It is also the default of its datasets and of the solutions trained on it:
   * Personalize deletes a dataset group only once they are gone. Retaining it keeps the role that
   * lets Personalize use the encryption key, too.
   * @default RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE - kept, except when the deploy that creates it rolls back
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * Attributes of an existing dataset group.
 */
export interface DatasetGroupAttributes {
  /** The ARN of the dataset group. */
  readonly datasetGroupArn: string;

  /**
   * The domain of the dataset group; enables checking that schemas match it.
   * @default - unknown
   */
  readonly domain?: DatasetGroupDomain;
}

/** What Personalize does with the dataset group's key (the documented set for a dataset group key). */
const KEY_ACTIONS = ['kms:Decrypt', 'kms:GenerateDataKey', 'kms:DescribeKey', 'kms:CreateGrant', 'kms:ListGrants'];

/**
 * An Amazon Personalize dataset group.
 *
 * @resource AWS::Personalize::DatasetGroup
 */
export class DatasetGroup extends DatasetGroupBase {
  /** Imports a dataset group of this stack's account and region by its name. */
  public static fromDatasetGroupName(scope: Construct, id: string, datasetGroupName: string): IDatasetGroup {
    return DatasetGroup.fromDatasetGroupArn(scope, id, personalizeArnOf(scope, 'dataset-group', datasetGroupName));
  }

  /** Imports a dataset group by its ARN. */
  public static fromDatasetGroupArn(scope: Construct, id: string, datasetGroupArn: string): IDatasetGroup {
    return DatasetGroup.fromDatasetGroupAttributes(scope, id, { datasetGroupArn });
  }

  /** Imports a dataset group by its attributes. */
  public static fromDatasetGroupAttributes(scope: Construct, id: string, attrs: DatasetGroupAttributes): IDatasetGroup {
    checkKnownKeys(constructAt('DatasetGroup.fromDatasetGroupAttributes', scope, id), 'DatasetGroupAttributes', attrs);
    const name = Arn.split(attrs.datasetGroupArn, ArnFormat.SLASH_RESOURCE_NAME).resourceName!;
    class Import extends DatasetGroupBase {
      public readonly datasetGroupArn = attrs.datasetGroupArn;
      public readonly datasetGroupName = name;
      public readonly domain = attrs.domain;
    }
    return new Import(scope, id, { environmentFromArn: Token.isUnresolved(attrs.datasetGroupArn) ? undefined : attrs.datasetGroupArn });
  }

  public readonly datasetGroupArn: string;
  public readonly datasetGroupName: string;
  public readonly domain?: DatasetGroupDomain;

  /** The role Personalize assumes to use the encryption key, if there is one. */
  public readonly role?: iam.IRole;

  /** The key that encrypts the datasets, if not Personalize's own. */
  public readonly encryptionKey?: kms.IKey;

  private removal?: RemovalPolicy;

  constructor(scope: Construct, id: string, props: DatasetGroupProps = {}) {
    const at = constructAt('dataset group', scope, id);
    checkKnownKeys(at, 'DatasetGroupProps', props);
    checkEnumValue(`${at} domain`, props.domain, Object.values(DatasetGroupDomain));
    super(scope, id, { physicalName: props.datasetGroupName });

    const validator = new PropsValidator(this, 'dataset group');
    validator.string('datasetGroupName', props.datasetGroupName, { minLength: 1, maxLength: API_LIMITS.nameMaxLength, pattern: NAME_PATTERN });
    const keyProblem = kmsKeyProblem(props.encryptionKey);
    if (keyProblem) {
      validator.failCombination(`encryptionKey ${keyProblem}`);
    }
    validator.throwIfInvalid();
    this.removal = checkRemovalPolicy(at, props.removalPolicy);

    this.domain = props.domain;
    this.encryptionKey = props.encryptionKey;
    if (props.encryptionKey) {
      // Personalize uses the key both through this role and as itself; a key policy it cannot
      // extend (an imported key) must already allow both.
      const principal = new iam.ServicePrincipal('personalize.amazonaws.com');
      const role = new iam.Role(this, 'Role', {
        assumedBy: principal,
        description: 'Lets Amazon Personalize use the key of its dataset group',
      });
      props.encryptionKey.grant(role, ...KEY_ACTIONS);
      props.encryptionKey.addToResourcePolicy(new iam.PolicyStatement({
        principals: [principal],
        actions: KEY_ACTIONS,
        resources: ['*'],
      }), true);
      this.role = role;
    }

    const name = props.datasetGroupName ?? Names.uniqueResourceName(this, { maxLength: API_LIMITS.nameMaxLength });
    const resource = new CfnDatasetGroup(this, 'Resource', {
      name,
      domain: props.domain,
      kmsKeyArn: props.encryptionKey?.keyArn,
      roleArn: this.role?.roleArn,
    });
    if (this.role) {
      // The role's policy, not only the role, must exist before Personalize checks the key.
      resource.node.addDependency(this.role);
    }

    this.datasetGroupArn = this.getResourceArnAttribute(resource.attrDatasetGroupArn, personalizeArnComponents(this, 'dataset-group', name));
    this.datasetGroupName = name;
    applyRemovalPolicyAtSynth(this, () => this.removalPolicy, () => [resource, ...(this.role ? cfnResourcesOf(this.role) : [])]);
  }

  /** What happens to the group when the stack is deleted or a change replaces it: the removal policy prop, or its default. */
  public get removalPolicy(): RemovalPolicy {
    return this.removal ?? STATEFUL_DEFAULT;
  }

  /** Sets what happens to the group, and by default to its datasets and solutions, when the stack is deleted. */
  public applyRemovalPolicy(policy: RemovalPolicy): void {
    this.removal = checkRemovalPolicy(`dataset group at '${this.node.path}'`, policy);
  }
}
