import { Arn, ArnFormat, IResource, Names, Resource, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { CfnDatasetGroup } from 'aws-cdk-lib/aws-personalize';
import { Construct } from 'constructs';
import { API_LIMITS, NAME_PATTERN } from './private/recipe-catalogue';
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
   * The domain, for a domain dataset group.
   * @default - a custom dataset group
   */
  readonly domain?: DatasetGroupDomain;

  /**
   * A KMS key that encrypts the datasets. Personalize gets a role that may use it.
   * @default - encrypted with a key that Personalize owns
   */
  readonly encryptionKey?: kms.IKey;
}

/**
 * An Amazon Personalize dataset group.
 *
 * @resource AWS::Personalize::DatasetGroup
 */
export class DatasetGroup extends Resource implements IDatasetGroup {
  /** Imports a dataset group by its ARN. */
  public static fromDatasetGroupArn(scope: Construct, id: string, datasetGroupArn: string): IDatasetGroup {
    const name = Arn.split(datasetGroupArn, ArnFormat.SLASH_RESOURCE_NAME).resourceName!;
    class Import extends Resource implements IDatasetGroup {
      public readonly datasetGroupArn = datasetGroupArn;
      public readonly datasetGroupName = name;
    }
    return new Import(scope, id, { environmentFromArn: Token.isUnresolved(datasetGroupArn) ? undefined : datasetGroupArn });
  }

  public readonly datasetGroupArn: string;
  public readonly datasetGroupName: string;

  /** The role Personalize assumes to use the encryption key, if there is one. */
  public readonly role?: iam.IRole;

  constructor(scope: Construct, id: string, props: DatasetGroupProps = {}) {
    super(scope, id, { physicalName: props.datasetGroupName });

    const validator = new PropsValidator(this, 'dataset group');
    validator.string('datasetGroupName', props.datasetGroupName, { minLength: 1, maxLength: API_LIMITS.nameMaxLength, pattern: NAME_PATTERN });
    validator.throwIfInvalid();

    if (props.encryptionKey) {
      const role = new iam.Role(this, 'Role', { assumedBy: new iam.ServicePrincipal('personalize.amazonaws.com') });
      props.encryptionKey.grant(role, 'kms:Decrypt', 'kms:GenerateDataKey', 'kms:DescribeKey', 'kms:CreateGrant', 'kms:ListGrants');
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
      resource.node.addDependency(this.role);
    }

    this.datasetGroupArn = resource.attrDatasetGroupArn;
    this.datasetGroupName = name;
  }
}
