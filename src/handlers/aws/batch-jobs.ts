import type { PersonalizeApi } from './personalize-api';
import { isErrorNamed, RESOURCE_NOT_FOUND } from '../framework/errors';

/** The two kinds of batch job, by what their ARNs name them. */
export type BatchJobType = 'batch-inference-job' | 'batch-segment-job';

/** `arn:<partition>:personalize:<region>:<account>:batch-inference-job/<name>` (or batch-segment-job). */
const BATCH_JOB_ARN = /^arn:[a-z\d-]+:personalize:[^:]*:[^:]*:(batch-inference-job|batch-segment-job)\/([^/]+)$/;

export function batchJobTypeOf(arn: string | undefined): BatchJobType | undefined {
  return arn === undefined ? undefined : BATCH_JOB_ARN.exec(arn)?.[1] as BatchJobType | undefined;
}

/** A batch job as the handlers read it, whatever its kind. */
export interface BatchJobState {
  readonly name: string;
  readonly status: string;
  readonly failureReason?: string;
  readonly created?: Date;
  readonly outputPath?: string;
}

/** DescribeBatchInferenceJob or DescribeBatchSegmentJob, by the ARN; undefined when the job does not exist. */
export async function describeBatchJob(personalize: PersonalizeApi, arn: string): Promise<BatchJobState | undefined> {
  const type = batchJobTypeOf(arn);
  if (!type) {
    throw new Error(`${arn} is not a batch inference or batch segment job ARN`);
  }
  try {
    const job = type === 'batch-inference-job'
      ? (await personalize.describeBatchInferenceJob({ batchInferenceJobArn: arn })).batchInferenceJob
      : (await personalize.describeBatchSegmentJob({ batchSegmentJobArn: arn })).batchSegmentJob;
    return job && {
      name: job.jobName ?? arn.slice(arn.lastIndexOf('/') + 1),
      status: job.status ?? 'UNKNOWN',
      failureReason: job.failureReason,
      created: job.creationDateTime,
      outputPath: job.jobOutput?.s3DataDestination?.path,
    };
  } catch (err) {
    if (isErrorNamed(err, RESOURCE_NOT_FOUND)) {
      return undefined;
    }
    throw err;
  }
}
