import { DatasetImportAttributes, DatasetImportResultKeys } from '../../private/contract';
import { describeImportJob } from '../aws/imports';
import { isImportJobArn, jobNameOf } from '../aws/names';
import type { PersonalizeApi } from '../aws/personalize-api';
import { Status } from '../aws/status';
import { DONE, ResultReader, type Decided, type Done } from '../framework/custom-resource-handler';
import { requiredStr } from '../framework/request';
import type { OnEventRequest, ResourceProperties } from '../framework/types';

export function parseDatasetImportResultProps(props: ResourceProperties): { readonly arn: string } {
  const arn = requiredStr(props[DatasetImportResultKeys.DATASET_IMPORT_JOB_ARN], DatasetImportResultKeys.DATASET_IMPORT_JOB_ARN);
  if (!isImportJobArn(arn)) {
    throw new Error(`Property ${DatasetImportResultKeys.DATASET_IMPORT_JOB_ARN} must be a dataset import job ARN, got ${arn}`);
  }
  return { arn };
}

/**
 * Custom::PersonalizeDatasetImportResult: created after the import's wait condition ended, it reads
 * the outcome from Personalize (never from the signal) and fails, with Personalize's reason, unless
 * the job is ACTIVE. Everything that reads the imported data depends on it.
 */
export class DatasetImportResultHandler extends ResultReader {
  constructor(private readonly personalize: PersonalizeApi) {
    super();
  }

  protected async read(event: OnEventRequest): Promise<Decided<Done>> {
    const { arn } = parseDatasetImportResultProps(event.ResourceProperties);
    const name = jobNameOf(arn);
    const job = await describeImportJob(this.personalize, arn);
    if (!job) {
      throw new Error(`Dataset import job ${arn} does not exist`);
    }
    const location = job.dataSource?.dataLocation ?? 'the data';
    switch (job.status) {
      case Status.ACTIVE:
        console.log(`Import job ${name} is ACTIVE`);
        return {
          PhysicalResourceId: `${arn}/result`,
          Data: { [DatasetImportAttributes.DATASET_IMPORT_JOB_ARN]: arn, [DatasetImportAttributes.JOB_NAME]: name },
          Decision: DONE,
        };
      case Status.CREATE_FAILED:
        throw new Error(`Importing ${location} into ${job.datasetArn ?? 'the dataset'} failed: ${job.failureReason ?? 'Personalize gave no reason'}`);
      default:
        throw new Error(`Import job ${name} is ${job.status}, not ACTIVE: its wait condition ended before the job did (the 11 hours an ` +
          'import is waited for passed, or a signal that did not come from this deployment\'s job poller). The job cannot be stopped; it is left to finish.');
    }
  }
}
