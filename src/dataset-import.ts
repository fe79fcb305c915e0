import { Aspects, CfnWaitCondition, CustomResource, Names, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import { DatasetGroupBase, IDatasetGroup } from './dataset-group';
import { DatasetImportMode, DatasetImportSource } from './dataset-props';
import { datasetArnOf, personalizeArnIn } from './private/arns';
import {
  DATASET_IMPORT_RESOURCE_TYPE, DATASET_IMPORT_RESULT_RESOURCE_TYPE, DatasetImportAttributes, DatasetImportControlKeys, DatasetImportResultKeys,
  GENERATED_NAME_MAX_LENGTH, MAX_WAIT_SECONDS,
} from './private/contract';
import { JobWaiter } from './private/job-waiter';
import { acknowledgeNag } from './private/nag';
import { PersonalizeProvider } from './private/provider';
import { trainingKeyOf } from './private/training-key';
import { PropsValidator } from './private/validation';
import { DatasetType } from './schema';

// How a dataset imports from S3: the import's custom resource, wait condition and result, the role
// Personalize reads with, and the grants. Not exported from the package.

const PERSONALIZE = 'personalize.amazonaws.com';

/** What an import needs of its dataset. */
export interface DatasetImportTarget extends IConstruct {
  readonly datasetArn: string;
  readonly datasetGroup: IDatasetGroup;
  readonly datasetType?: DatasetType;
}

/** The import's resources, role and grants; the dataset group records its result. */
export function addDatasetImport(
  d: DatasetImportTarget, source: DatasetImportSource,
): { role: iam.IRole; resource: CustomResource; result: CustomResource } {
  const { bucket, prefix } = source;
  const role = source.role ?? new iam.Role(d, 'ImportRole', {
    assumedBy: new iam.ServicePrincipal(PERSONALIZE),
    description: 'Lets Amazon Personalize read the data of a dataset import',
  });
  if (!source.role) {
    acknowledgeNag(role, [{ rule: /^AwsSolutions-IAM5\[Resource::.+\/\*\]$/, reason: 'Personalize reads every object under the import prefix, and only those' }]);
  }

  // The role reads the data; Personalize also checks the bucket policy for itself.
  const objects = bucket.arnForObjects(`${prefix}*`);
  const listCondition = { StringLike: { 's3:prefix': [`${prefix}*`] } };
  role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [objects] }));
  role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [bucket.bucketArn], conditions: listCondition }));
  const service = new iam.ServicePrincipal(PERSONALIZE);
  const added = [
    bucket.addToResourcePolicy(new iam.PolicyStatement({ principals: [service], actions: ['s3:GetObject'], resources: [objects] })),
    bucket.addToResourcePolicy(new iam.PolicyStatement({ principals: [service], actions: ['s3:ListBucket'], resources: [bucket.bucketArn], conditions: listCondition })),
  ].every(result => result.statementAdded);
  if (!added) {
    new PropsValidator(d, 'dataset').warn('bucket-policy', `the policy of bucket ${bucket.node.path} cannot be changed here: it must allow ${PERSONALIZE} s3:GetObject on '${prefix}*' and s3:ListBucket`);
  }

  const key = source.encryptionKey ?? bucket.encryptionKey;
  if (key) {
    key.grantDecrypt(role);
    key.addToResourcePolicy(new iam.PolicyStatement({ principals: [service], actions: ['kms:Decrypt'], resources: ['*'] }), true);
  }

  const provider = PersonalizeProvider.of(d);
  const waiter = JobWaiter.of(d);
  // A new import job needs a new wait condition (they cannot be updated), so the condition is
  // named after everything that starts one, as a training's is.
  const wait = new CfnWaitCondition(d, 'ImportWait', {});
  wait.cfnOptions.creationPolicy = { resourceSignal: { count: 1, timeout: `PT${MAX_WAIT_SECONDS / 3600}H` } };
  const request = {
    datasetArn: d.datasetArn,
    dataSource: { dataLocation: `s3://${bucket.bucketName}/${prefix}` },
    roleArn: role.roleArn,
    importMode: source.importMode ?? DatasetImportMode.FULL,
    [DatasetImportControlKeys.JOB_NAME_PREFIX]: jobNamePrefix(d),
    [DatasetImportControlKeys.IMPORT_TRIGGER]: source.importTrigger,
  };
  let named = false;
  Aspects.of(d).add({
    visit: (node: IConstruct) => {
      if (node === wait && !named) {
        named = true;
        nameImportWait(d, wait, request, source.importTrigger);
      }
    },
  });
  const resource = new CustomResource(d, 'Import', {
    serviceToken: provider.serviceToken,
    resourceType: DATASET_IMPORT_RESOURCE_TYPE,
    properties: {
      ...request,
      [DatasetImportControlKeys.WAIT_CONDITION]: wait.logicalId,
      [DatasetImportControlKeys.STATE_MACHINE_ARN]: waiter.stateMachine.stateMachineArn,
    },
  });
  // Personalize checks its access when the job starts: the role's policy and the bucket policy
  // must be in place by then, not only the role.
  resource.node.addDependency(role);
  if (bucket.policy) {
    resource.node.addDependency(bucket.policy);
  }
  wait.node.addDependency(resource);
  const result = new CustomResource(d, 'ImportResult', {
    serviceToken: provider.serviceToken,
    resourceType: DATASET_IMPORT_RESULT_RESOURCE_TYPE,
    properties: { [DatasetImportResultKeys.DATASET_IMPORT_JOB_ARN]: resource.getAttString(DatasetImportAttributes.DATASET_IMPORT_JOB_ARN) },
  });
  result.node.addDependency(wait);

  allowProvider(d, provider, role, d.datasetType!);
  provider.allow(['states:StartExecution'], [waiter.stateMachine.stateMachineArn]);
  waiter.allow(['personalize:DescribeDatasetImportJob'], [importJobArnPattern(d)]);
  if (d.datasetGroup instanceof DatasetGroupBase) {
    d.datasetGroup._registerImport(result, result.getAttString(DatasetImportAttributes.DATASET_IMPORT_JOB_ARN));
  }
  return { role, resource, result };
}

/**
 * Names the import's wait condition after what starts a new import job, at synth. Fails when that
 * depends on a value known only at deploy time and no import trigger is set.
 */
function nameImportWait(d: DatasetImportTarget, wait: CfnWaitCondition, request: Record<string, unknown>, importTrigger: string | undefined): void {
  const { key, deployTimeValues } = trainingKeyOf(d, request);
  if (deployTimeValues.length > 0 && importTrigger === undefined) {
    throw new Error(
      `Dataset ${d.node.path}: the import's source uses values known only at deploy time (${deployTimeValues.join('; ')}), ` +
      'so synth cannot tell when a deploy starts a new import, and a new import needs a new wait condition. ' +
      'Set importSource.importTrigger, and change it whenever those values change.',
    );
  }
  wait.overrideLogicalId(`${Stack.of(d).resolve(wait.logicalId)}${key}`);
}

/** The ARNs of the dataset's import jobs, built at synth. */
function importJobArnPattern(d: DatasetImportTarget): string {
  return personalizeArnIn(d, d.datasetGroup, 'dataset-import-job', `${jobNamePrefix(d)}-*`);
}

function jobNamePrefix(d: DatasetImportTarget): string {
  return Names.uniqueResourceName(d, { maxLength: GENERATED_NAME_MAX_LENGTH });
}

function allowProvider(d: DatasetImportTarget, provider: PersonalizeProvider, role: iam.IRole, datasetType: DatasetType): void {
  // ARNs built at synth, so the provider's policy does not wait for the dataset to be created.
  provider.allow(
    ['personalize:CreateDatasetImportJob', 'personalize:DescribeDatasetImportJob'],
    [datasetArnOf(d, d.datasetGroup, datasetType), importJobArnPattern(d)],
  );
  // Earlier imports' durations set the polling schedule. IAM authorizes List actions on * only.
  provider.allow(['personalize:ListDatasetImportJobs'], ['*']);
  provider.role.addToPrincipalPolicy(new iam.PolicyStatement({
    actions: ['iam:PassRole'],
    resources: [role.roleArn],
    conditions: { StringEquals: { 'iam:PassedToService': PERSONALIZE } },
  }));
}
