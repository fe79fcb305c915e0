import type { CreateDatasetImportJobRequest, DatasetImportJob, ImportMode } from '@aws-sdk/client-personalize';
import { DatasetImportAttributes, DatasetImportControlKeys, GENERATED_NAME_MAX_LENGTH } from '../../private/contract';
import { importJobArnOf, importJobName, isImportJobArn, jobNameOf } from '../aws/names';
import type { PersonalizeApi } from '../aws/personalize-api';
import { Status } from '../aws/status';
import { CustomResourceHandler, unhandled, type Decided } from '../framework/custom-resource-handler';
import { sameValue } from '../framework/diff';
import { isErrorNamed, RESOURCE_IN_USE, RESOURCE_NOT_FOUND } from '../framework/errors';
import { compact, requiredStr, stripControlKeys, toBoolean, toObject, toStr } from '../framework/request';
import type { IsCompleteRequest, IsCompleteResponse, OnEventRequest, ResourceData, ResourceProperties } from '../framework/types';

const ALREADY_EXISTS = 'ResourceAlreadyExistsException';
const DEFAULT_PREFIX = 'cdkp-import';

/** Job states in which the import still runs (import jobs cannot be stopped). */
const RUNNING_STATES: ReadonlySet<string> = new Set([Status.CREATE_PENDING, Status.CREATE_IN_PROGRESS]);

/** Custom::PersonalizeDatasetImport properties, coerced. */
export interface DatasetImportProps {
  readonly datasetArn: string;
  readonly dataLocation: string;
  readonly roleArn?: string;
  readonly importMode?: ImportMode;
  readonly publishAttributionMetricsToS3?: boolean;
  /** '' when absent. */
  readonly importTrigger: string;
  readonly jobNamePrefix: string;
}

/** Settings whose change starts a new import job (and so a new physical id). */
const REIMPORT_MEMBERS: ReadonlyArray<keyof DatasetImportProps> = [
  'datasetArn', 'dataLocation', 'roleArn', 'importMode', 'publishAttributionMetricsToS3', 'importTrigger',
];

export function parseDatasetImportProps(props: ResourceProperties): DatasetImportProps {
  const K = DatasetImportControlKeys;
  const p = stripControlKeys(props, Object.values(K));
  const known = ['datasetArn', 'dataSource', 'roleArn', 'importMode', 'publishAttributionMetricsToS3'];
  const unknown = Object.keys(p).filter((key) => !known.includes(key));
  if (unknown.length > 0) {
    console.log(`Not sent to Personalize: ${unknown.join(', ')}`);
  }
  const source = toObject(p.dataSource, 'dataSource') ?? {};
  const mode = toStr(p.importMode, 'importMode')?.toUpperCase();
  if (mode !== undefined && mode !== 'FULL' && mode !== 'INCREMENTAL') {
    throw new Error(`Property importMode must be FULL or INCREMENTAL, got ${JSON.stringify(p.importMode)}`);
  }
  const roleArn = toStr(p.roleArn, 'roleArn');
  const prefix = toStr(props[K.JOB_NAME_PREFIX], K.JOB_NAME_PREFIX);
  return {
    datasetArn: requiredStr(p.datasetArn, 'datasetArn'),
    dataLocation: requiredStr(source.dataLocation, 'dataSource.dataLocation'),
    roleArn: roleArn === '' ? undefined : roleArn,
    importMode: mode as ImportMode | undefined,
    publishAttributionMetricsToS3: toBoolean(p.publishAttributionMetricsToS3, 'publishAttributionMetricsToS3'),
    importTrigger: toStr(props[K.IMPORT_TRIGGER], K.IMPORT_TRIGGER) ?? '',
    jobNamePrefix: prefix ? prefix.slice(0, GENERATED_NAME_MAX_LENGTH) : DEFAULT_PREFIX,
  };
}

/** The settings that differ between an Update's old and new properties, and whether they start a new import. */
export function planImportUpdate(event: OnEventRequest): { changed: string[]; reimport: boolean } {
  const before = parseDatasetImportProps(event.OldResourceProperties ?? {});
  const after = parseDatasetImportProps(event.ResourceProperties);
  const keys = Object.keys({ ...before, ...after }) as Array<keyof DatasetImportProps>;
  const changed = keys.filter((key) => !sameValue(before[key] ?? null, after[key] ?? null)).sort();
  return { changed, reimport: changed.some((key) => REIMPORT_MEMBERS.includes(key)) };
}

/** What onEvent did, for isComplete. */
type ImportDecision =
  /** A new import job of this request: wait for it and fail with it. */
  | { readonly action: 'started' }
  /** Update: the job stays; wait only while it still runs. */
  | { readonly action: 'kept' }
  /** Delete: nothing is deleted, but wait while the job runs (its dataset cannot be deleted until it ends). */
  | { readonly action: 'left' };

const ACTIONS: ReadonlyArray<ImportDecision['action']> = ['started', 'kept', 'left'];

/**
 * Custom::PersonalizeDatasetImport: one dataset import job per source. The physical id is the job's
 * ARN. onEvent starts the job and isComplete waits until it is ACTIVE, so everything that depends
 * on the import (training) starts on imported data.
 *
 * - Create starts a job named after the request; a job of that name already there (the same
 *   request, delivered again) is taken over.
 * - Update with a changed source (or trigger) starts another job: a new physical id. Other changes
 *   keep the job.
 * - Delete deletes nothing (Personalize cannot delete import jobs; deleting the dataset removes
 *   them), but waits for a job still running, because the dataset cannot be deleted until it ends.
 */
export class DatasetImportHandler extends CustomResourceHandler<ImportDecision> {
  constructor(private readonly personalize: PersonalizeApi) {
    super(ACTIONS);
  }

  protected async onCreate(event: OnEventRequest): Promise<Decided<ImportDecision>> {
    return this.start(parseDatasetImportProps(event.ResourceProperties), event);
  }

  protected async isDone(event: IsCompleteRequest, decision: ImportDecision): Promise<IsCompleteResponse> {
    switch (decision.action) {
      case 'started':
        return this.isImported(event, true);
      case 'kept':
        return this.isImported(event, false);
      case 'left':
        return this.isJobOver(event);
      default:
        return unhandled(decision);
    }
  }

  /** Import jobs cannot be deleted (deleting the dataset removes them), nor stopped. */
  protected async onDelete(event: OnEventRequest): Promise<Decided<ImportDecision>> {
    console.log(`Import jobs cannot be deleted; leaving ${event.PhysicalResourceId ?? 'nothing'}`);
    return { PhysicalResourceId: event.PhysicalResourceId, Decision: { action: 'left' } };
  }

  protected async onUpdate(event: OnEventRequest): Promise<Decided<ImportDecision>> {
    const arn = event.PhysicalResourceId;
    const settings = parseDatasetImportProps(event.ResourceProperties);
    if (!isImportJobArn(arn)) {
      console.log(`Physical id ${arn} is not an import job ARN; starting an import`);
      return this.start(settings, event);
    }
    const plan = planImportUpdate(event);
    console.log(`Changed: ${plan.changed.join(', ') || 'nothing'}`);
    if (plan.reimport) {
      return this.start(settings, event);
    }
    return { PhysicalResourceId: arn, Data: attributes(arn), Decision: { action: 'kept' } };
  }

  /**
   * Starts the import job of this request. A dataset that is not ACTIVE yet refuses imports
   * (ResourceInUseException): the job is then started by isComplete once it can be.
   */
  private async start(settings: DatasetImportProps, event: OnEventRequest): Promise<Decided<ImportDecision>> {
    const jobName = importJobName(settings.jobNamePrefix, event);
    const expectedArn = importJobArnOf(settings.datasetArn, jobName);
    const arn = await this.createJob(settings, jobName) ?? expectedArn;
    return { PhysicalResourceId: arn, Data: attributes(arn), Decision: { action: 'started' } };
  }

  /** The job's ARN, or undefined when it could not be started yet (or already exists). */
  private async createJob(settings: DatasetImportProps, jobName: string): Promise<string | undefined> {
    const request: CreateDatasetImportJobRequest = compact({
      jobName,
      datasetArn: settings.datasetArn,
      dataSource: { dataLocation: settings.dataLocation },
      roleArn: settings.roleArn,
      importMode: settings.importMode,
      publishAttributionMetricsToS3: settings.publishAttributionMetricsToS3,
    });
    try {
      console.log(`CreateDatasetImportJob ${jobName}: ${settings.dataLocation} into ${settings.datasetArn} (${settings.importMode ?? 'FULL'})`);
      const { datasetImportJobArn } = await this.personalize.createDatasetImportJob(request);
      return datasetImportJobArn;
    } catch (err) {
      if (isErrorNamed(err, ALREADY_EXISTS)) {
        console.log(`Import job ${jobName} already exists (this request was delivered before); taking it over`);
        return undefined;
      }
      if (isErrorNamed(err, RESOURCE_IN_USE)) {
        console.log(`Cannot import yet: ${(err as Error).message}`);
        return undefined;
      }
      throw err;
    }
  }

  /**
   * Complete when the job is ACTIVE; fails with Personalize's reason when the job failed.
   *
   * @param started whether this request started the job. An Update that kept the job only waits
   *   for it if it still runs, and neither restarts nor fails on it.
   */
  private async isImported(event: IsCompleteRequest, started: boolean): Promise<IsCompleteResponse> {
    const arn = event.PhysicalResourceId;
    if (!isImportJobArn(arn)) {
      throw new Error(`Expected an import job ARN as physical id, got ${arn}`);
    }
    const settings = parseDatasetImportProps(event.ResourceProperties);
    const name = jobNameOf(arn);
    const job = await this.describe(arn);
    if (!job) {
      if (!started) {
        console.log(`Import job ${name} no longer exists; nothing to wait for`);
        return { IsComplete: true, Data: attributes(arn) };
      }
      // onEvent could not start it (the dataset was not ACTIVE yet): try again.
      await this.createJob(settings, name);
      return { IsComplete: false };
    }
    if (started && job.datasetArn !== undefined && job.datasetArn !== settings.datasetArn) {
      throw new Error(`Import job ${name} exists but imports into ${job.datasetArn}, not ${settings.datasetArn}`);
    }
    switch (job.status) {
      case Status.ACTIVE:
        console.log(`Import job ${name} is ACTIVE`);
        return { IsComplete: true, Data: attributes(arn) };
      case Status.CREATE_FAILED:
        if (!started) {
          console.log(`Import job ${name} had failed (${job.failureReason ?? 'no reason'}); this update does not import again`);
          return { IsComplete: true, Data: attributes(arn) };
        }
        throw new Error(`Importing ${settings.dataLocation} into ${settings.datasetArn} failed: ${job.failureReason ?? job.status}`);
      default:
        console.log(`Import job ${name} is ${job.status}`);
        return { IsComplete: false };
    }
  }

  /** Delete: done unless the job still runs (the dataset cannot be deleted while it does). */
  private async isJobOver(event: IsCompleteRequest): Promise<IsCompleteResponse> {
    const arn = event.PhysicalResourceId;
    if (!isImportJobArn(arn)) {
      return { IsComplete: true };
    }
    const job = await this.describe(arn);
    if (job?.status !== undefined && RUNNING_STATES.has(job.status)) {
      console.log(`Import job ${jobNameOf(arn)} is ${job.status}; waiting for it to end`);
      return { IsComplete: false };
    }
    return { IsComplete: true };
  }

  private async describe(datasetImportJobArn: string): Promise<DatasetImportJob | undefined> {
    try {
      const { datasetImportJob } = await this.personalize.describeDatasetImportJob({ datasetImportJobArn });
      return datasetImportJob;
    } catch (err) {
      if (isErrorNamed(err, RESOURCE_NOT_FOUND)) {
        return undefined;
      }
      throw err;
    }
  }
}

function attributes(arn: string): ResourceData {
  return {
    [DatasetImportAttributes.DATASET_IMPORT_JOB_ARN]: arn,
    [DatasetImportAttributes.JOB_NAME]: jobNameOf(arn),
  };
}
