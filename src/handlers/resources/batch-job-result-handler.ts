import { BatchJobAttributes, BatchJobResultKeys } from '../../private/contract';
import { batchJobTypeOf, describeBatchJob } from '../aws/batch-jobs';
import type { PersonalizeApi } from '../aws/personalize-api';
import { Status } from '../aws/status';
import { DONE, ResultReader, type Decided, type Done } from '../framework/custom-resource-handler';
import { requiredStr } from '../framework/request';
import type { OnEventRequest } from '../framework/types';

/**
 * Custom::PersonalizeBatchJobResult: created after a batch job's wait condition ended, it reads the
 * outcome from Personalize (never from the signal) and fails, with Personalize's reason, unless the
 * job is ACTIVE: its output is then complete at the job's output location.
 */
export class BatchJobResultHandler extends ResultReader {
  constructor(private readonly personalize: PersonalizeApi) {
    super();
  }

  protected async read(event: OnEventRequest): Promise<Decided<Done>> {
    const arn = requiredStr(event.ResourceProperties[BatchJobResultKeys.JOB_ARN], BatchJobResultKeys.JOB_ARN);
    const type = batchJobTypeOf(arn);
    if (!type) {
      throw new Error(`Property ${BatchJobResultKeys.JOB_ARN} must be a batch inference or batch segment job ARN, got ${arn}`);
    }
    const noun = type === 'batch-inference-job' ? 'Batch inference job' : 'Batch segment job';
    const job = await describeBatchJob(this.personalize, arn);
    if (!job) {
      throw new Error(`${noun} ${arn} does not exist`);
    }
    switch (job.status) {
      case Status.ACTIVE:
        console.log(`${noun} ${job.name} is ACTIVE; its output is at ${job.outputPath}`);
        return {
          PhysicalResourceId: `${arn}/result`,
          Data: {
            [BatchJobAttributes.JOB_ARN]: arn,
            [BatchJobAttributes.JOB_NAME]: job.name,
            [BatchJobAttributes.OUTPUT_LOCATION]: job.outputPath ?? '',
          },
          Decision: DONE,
        };
      case Status.CREATE_FAILED:
        throw new Error(`${noun} ${job.name} failed: ${job.failureReason ?? 'Personalize gave no reason'}`);
      default:
        throw new Error(`${noun} ${job.name} is ${job.status}, not ACTIVE: its wait condition ended before the job did (the 11 hours a ` +
          'job is waited for passed, or a signal that did not come from this deployment\'s job poller). The job cannot be stopped; it is left to finish.');
    }
  }
}
