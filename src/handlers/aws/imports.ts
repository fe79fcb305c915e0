import type { DatasetImportJob } from '@aws-sdk/client-personalize';
import type { PersonalizeApi } from './personalize-api';
import { Status } from './status';
import { isErrorNamed, RESOURCE_NOT_FOUND } from '../framework/errors';

/** Import job states in which the job still runs (import jobs cannot be stopped). */
export const RUNNING_IMPORT_STATES: ReadonlySet<string> = new Set([Status.CREATE_PENDING, Status.CREATE_IN_PROGRESS]);

/** DescribeDatasetImportJob; undefined when the job does not exist (any more). */
export async function describeImportJob(personalize: PersonalizeApi, datasetImportJobArn: string): Promise<DatasetImportJob | undefined> {
  try {
    const { datasetImportJob } = await personalize.describeDatasetImportJob({ datasetImportJobArn });
    return datasetImportJob;
  } catch (err) {
    if (isErrorNamed(err, RESOURCE_NOT_FOUND)) {
      return undefined;
    }
    throw err;
  }
}
