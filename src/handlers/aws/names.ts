import { createHash } from 'crypto';
import { GENERATED_NAME_MAX_LENGTH } from '../../private/contract';
import type { OnEventRequest } from '../framework/types';

/**
 * Every name and ARN shape the handlers make or read. Generated names are derived from the
 * CloudFormation request, so a request delivered twice makes the same name and finds what its
 * first delivery created.
 */

type RequestIds = Pick<OnEventRequest, 'StackId' | 'LogicalResourceId' | 'RequestId'>;

function digest(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\n')).digest('hex');
}

/** `<base>-<8 hex chars>`, stable for a given CloudFormation request: a replacement's name. */
export function replacementName(base: string, requestId: string): string {
  return `${base.slice(0, GENERATED_NAME_MAX_LENGTH)}-${digest(requestId).slice(0, 8)}`;
}

/** `cdkp-<16 hex>`: valid for CreateSolutionVersion's name pattern and stable for one CloudFormation request. */
export function generatedVersionName(event: RequestIds): string {
  return `cdkp-${digest(event.StackId, event.LogicalResourceId, event.RequestId).slice(0, 16)}`;
}

/** A Step Functions execution name (at most 80 characters) that a repeated request reproduces. */
export function pollerExecutionName(event: RequestIds, versionArn: string): string {
  const versionId = versionIdOf(versionArn).replace(/[^A-Za-z0-9_-]/g, '').slice(0, 32);
  return `cdkp-${versionId}-${digest(event.StackId, event.LogicalResourceId, event.RequestId).slice(0, 32)}`;
}

/**
 * `<prefix>-<8 hex>` for a batch job: the same for the same settings in the same stack (so a rollback
 * to earlier settings finds the job that ran with them instead of running it again), and new for new
 * settings, a new trigger or a new stack.
 */
export function batchJobName(prefix: string, event: Pick<OnEventRequest, 'StackId' | 'LogicalResourceId'>, settings: unknown): string {
  return `${prefix}-${digest(event.StackId, event.LogicalResourceId, JSON.stringify(settings)).slice(0, 8)}`;
}

/** `<prefix>-<8 hex>`: unique per CloudFormation request, the same when a request is delivered twice. */
export function importJobName(prefix: string, event: RequestIds): string {
  return `${prefix}-${digest(event.StackId, event.LogicalResourceId, event.RequestId).slice(0, 8)}`;
}

/** `arn:<partition>:personalize:<region>:<account>:solution/<name>` (a version ARN has one more segment). */
const SOLUTION_ARN = /^arn:[a-z\d-]+:personalize:[^:]*:[^:]*:solution\/([^/]+)$/;
/** `arn:<partition>:personalize:<region>:<account>:solution/<solution name>/<version id>`. */
const SOLUTION_VERSION_ARN = /^(arn:[a-z\d-]+:personalize:[^:]*:[^:]*:solution\/[^/]+)\/([^/]+)$/;
/** `arn:<partition>:personalize:<region>:<account>:dataset-import-job/<name>`. */
const IMPORT_JOB_ARN = /^(arn:[a-z\d-]+:personalize:[^:]*:[^:]*:)dataset-import-job\/([^/]+)$/;
/** `arn:<partition>:personalize:<region>:<account>:dataset/<group>/<TYPE>`. */
const DATASET_ARN = /^(arn:[a-z\d-]+:personalize:[^:]*:[^:]*:)dataset\/.+$/;

export function isSolutionArn(id: string | undefined): id is string {
  return id !== undefined && SOLUTION_ARN.test(id);
}

export function solutionNameOf(arn: string): string {
  return SOLUTION_ARN.exec(arn)?.[1] ?? arn;
}

export function isSolutionVersionArn(id: string | undefined): id is string {
  return id !== undefined && SOLUTION_VERSION_ARN.test(id);
}

/** The last ARN segment, e.g. `5a515609`. */
export function versionIdOf(arn: string): string {
  return SOLUTION_VERSION_ARN.exec(arn)?.[2] ?? arn.split('/').pop() ?? arn;
}

export function isImportJobArn(id: string | undefined): id is string {
  return id !== undefined && IMPORT_JOB_ARN.test(id);
}

export function jobNameOf(arn: string): string {
  return IMPORT_JOB_ARN.exec(arn)?.[2] ?? arn;
}

/** The ARN Personalize gives a job of that name, in the dataset's partition, region and account. */
export function importJobArnOf(datasetArn: string, jobName: string): string {
  const match = DATASET_ARN.exec(datasetArn);
  if (!match) {
    throw new Error(`Property datasetArn must be a dataset ARN, got ${JSON.stringify(datasetArn)}`);
  }
  return `${match[1]}dataset-import-job/${jobName}`;
}
