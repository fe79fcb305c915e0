import { RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { IDatasetGroup } from './dataset-group';
import { DatasetType, ISchema } from './schema';

/**
 * How an import treats the data already in the dataset.
 */
export enum DatasetImportMode {
  /** Replace the dataset's bulk data with the imported data. */
  FULL = 'FULL',
  /** Add the imported data to the dataset's data. */
  INCREMENTAL = 'INCREMENTAL',
}

/**
 * Where a dataset's data comes from: CSV files in S3.
 */
export interface DatasetImportSource {
  /** The bucket holding the data. */
  readonly bucket: s3.IBucket;

  /**
   * The key of one CSV file, or a folder of them ending in `/`. Personalize, and its role, may
   * read only the keys starting with it.
   */
  readonly prefix: string;

  /**
   * Whether the import replaces or adds to the dataset's data.
   * @default DatasetImportMode.FULL
   */
  readonly importMode?: DatasetImportMode;

  /**
   * A string whose change imports the same source again on the next deploy, e.g. the date of the
   * latest export. A change of bucket, prefix or mode always imports again.
   * @default - imports again only when the source changes
   */
  readonly importTrigger?: string;

  /**
   * The role Personalize assumes to read the data. It is given read access to the prefix (an
   * imported role must allow that itself if its policies cannot be changed).
   * @default - a role that may read only the prefix
   */
  readonly role?: iam.IRole;

  /**
   * The key that encrypts the objects. Personalize and its role may decrypt with it.
   * @default - the bucket's encryption key, if it has one
   */
  readonly encryptionKey?: kms.IKey;
}

/**
 * Properties of a dataset.
 */
export interface DatasetProps {
  /** The dataset group the dataset belongs to. */
  readonly datasetGroup: IDatasetGroup;

  /** The schema of the dataset's data. */
  readonly schema: ISchema;

  /**
   * The type of the dataset. A dataset group holds at most one dataset of each type.
   * @default - the schema's dataset type
   */
  readonly datasetType?: DatasetType;

  /**
   * The name of the dataset (1 to 63 characters).
   * @default - a name generated from the construct path
   */
  readonly datasetName?: string;

  /**
   * Data to import into the dataset during deployment. Training in the same deployment waits for it.
   * @default - no import: add data with PutEvents, PutItems or PutUsers, or an import of your own
   */
  readonly importSource?: DatasetImportSource;

  /**
   * What happens to the dataset, with its imported data, when the stack is deleted or a change
   * replaces it. A retained dataset keeps its schema (Personalize deletes a schema only once no
   * dataset uses it) and needs its dataset group retained too.
   * @default - the dataset group's removal policy (RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE for an imported group)
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * Attributes of an existing dataset.
 */
export interface DatasetAttributes {
  /** The ARN of the dataset. */
  readonly datasetArn: string;

  /**
   * The type of the dataset.
   * @default - read from the ARN when it is known at synth
   */
  readonly datasetType?: DatasetType;
}
