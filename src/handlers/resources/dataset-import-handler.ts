import type { CreateDatasetImportJobRequest, DatasetImportJob, ImportMode } from '@aws-sdk/client-personalize';
import type { SFNClient } from '@aws-sdk/client-sfn';
import { DatasetImportAttributes, DatasetImportControlKeys, GENERATED_NAME_MAX_LENGTH, MAX_JOB_WAIT_SECONDS } from '../../private/contract';
import { describeImportJob, RUNNING_IMPORT_STATES } from '../aws/imports';
import { awaitUnstoppableJob, startJobPoller } from '../aws/job-executions';
import { importJobArnOf, importJobName, isImportJobArn, jobNameOf, pollerExecutionName } from '../aws/names';
import type { PersonalizeApi } from '../aws/personalize-api';
import { medianJobSeconds } from '../aws/poll-schedule';
import { CustomResourceHandler, unhandled, type Decided, type HandlerOptions } from '../framework/custom-resource-handler';
import { sameValue } from '../framework/diff';
import { isErrorNamed, RESOURCE_IN_USE } from '../framework/errors';
import { compact, requiredStr, stripControlKeys, toBoolean, toObject, toStr } from '../framework/request';
import type { IsCompleteRequest, IsCompleteResponse, OnEventRequest, ResourceData, ResourceProperties } from '../framework/types';

const ALREADY_EXISTS = 'ResourceAlreadyExistsException';
const DEFAULT_PREFIX = 'cdkp-import';

export { DELETE_WAIT_SECONDS } from '../aws/job-executions';

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
  /** The import's WaitCondition and the job waiter's state machine (absent from resources made before imports were waited for). */
  readonly waitCondition?: string;
  readonly stateMachineArn?: string;
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
    waitCondition: toStr(props[K.WAIT_CONDITION], K.WAIT_CONDITION) || undefined,
    stateMachineArn: toStr(props[K.STATE_MACHINE_ARN], K.STATE_MACHINE_ARN) || undefined,
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
  /** A new import job of this request: isComplete makes sure it started, then starts its poller. */
  | { readonly action: 'started' }
  /** Update: the job stays (its poller was started again if its wait condition is new). */
  | { readonly action: 'kept' }
  /**
   * Delete: nothing is deleted, but a job still running is waited for (its dataset cannot be
   * deleted until it ends) for up to DELETE_WAIT_SECONDS from `since` (epoch ms, as a string), then left to finish.
   */
  | { readonly action: 'left'; readonly since: string };

const ACTIONS: ReadonlyArray<ImportDecision['action']> = ['started', 'kept', 'left'];

export interface DatasetImportHandlerOptions extends HandlerOptions {
  /** Starts the job poller's executions. */
  readonly stepFunctions: SFNClient;
}

/**
 * Custom::PersonalizeDatasetImport: one dataset import job per source. The physical id is the job's
 * ARN. The job can outlast CloudFormation's hour for a custom resource, so this resource only
 * starts it and its poller; the import's WaitCondition (signalled by the job waiter) waits for it,
 * and Custom::PersonalizeDatasetImportResult after that reads the outcome.
 *
 * - Create starts a job named after the request; a job of that name already there (the same
 *   request, delivered again) is taken over. A dataset not ACTIVE yet refuses imports: isComplete
 *   then starts the job once it can.
 * - Update with a changed source (or trigger) starts another job: a new physical id. Other changes
 *   keep the job; a new wait condition (the import's key changed) gets a poller of its own.
 * - Delete deletes nothing (Personalize cannot delete import jobs; deleting the dataset removes
 *   them). A job still running is waited for within the hour, then left to finish: import jobs
 *   cannot be stopped.
 */
export class DatasetImportHandler extends CustomResourceHandler<ImportDecision> {
  private readonly now: () => number;

  constructor(private readonly personalize: PersonalizeApi, private readonly options: DatasetImportHandlerOptions) {
    super(ACTIONS);
    this.now = options.now ?? Date.now;
  }

  protected async onCreate(event: OnEventRequest): Promise<Decided<ImportDecision>> {
    return this.start(parseDatasetImportProps(event.ResourceProperties), event);
  }

  protected async isDone(event: IsCompleteRequest, decision: ImportDecision): Promise<IsCompleteResponse> {
    switch (decision.action) {
      case 'started':
        return this.isStarted(event);
      case 'kept':
        return { IsComplete: true };
      case 'left':
        return this.isJobOver(event, Number(decision.since));
      default:
        return unhandled(decision);
    }
  }

  /** Import jobs cannot be deleted (deleting the dataset removes them), nor stopped. */
  protected async onDelete(event: OnEventRequest): Promise<Decided<ImportDecision>> {
    console.log(`Import jobs cannot be deleted; leaving ${event.PhysicalResourceId ?? 'nothing'}`);
    return { PhysicalResourceId: event.PhysicalResourceId, Decision: { action: 'left', since: String(this.now()) } };
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
    if (plan.changed.includes('waitCondition')) {
      // A new wait condition waits for this job too: its poller signals it (at once, if the job ended).
      await this.startPoller(event, settings, arn);
    }
    return { PhysicalResourceId: arn, Data: attributes(arn), Decision: { action: 'kept' } };
  }

  /** Starts the import job of this request, or leaves it to isComplete when the dataset is not ACTIVE yet. */
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
   * Complete once the job of this request exists and its poller runs. The job's outcome is not
   * waited for here: the import's wait condition and result resource do that, for up to 11 hours.
   */
  private async isStarted(event: IsCompleteRequest): Promise<IsCompleteResponse> {
    const arn = event.PhysicalResourceId;
    if (!isImportJobArn(arn)) {
      throw new Error(`Expected an import job ARN as physical id, got ${arn}`);
    }
    const settings = parseDatasetImportProps(event.ResourceProperties);
    const name = jobNameOf(arn);
    const job = await describeImportJob(this.personalize, arn);
    if (!job) {
      // onEvent could not start it (the dataset was not ACTIVE yet): try again.
      await this.createJob(settings, name);
      return { IsComplete: false };
    }
    if (job.datasetArn !== undefined && job.datasetArn !== settings.datasetArn) {
      throw new Error(`Import job ${name} exists but imports into ${job.datasetArn}, not ${settings.datasetArn}`);
    }
    console.log(`Import job ${name} is ${job.status}`);
    await this.startPoller(event, settings, arn, job);
    return { IsComplete: true, Data: attributes(arn) };
  }

  /** Starts the job waiter's execution that signals the import's wait condition once the job ended. */
  private async startPoller(event: OnEventRequest, settings: DatasetImportProps, arn: string, job?: DatasetImportJob): Promise<void> {
    if (!settings.waitCondition || !settings.stateMachineArn) {
      console.log('No wait condition to signal (a resource from before imports were waited for)');
      return;
    }
    const startedAt = (job?.creationDateTime?.getTime() ?? this.now()) / 1000;
    await startJobPoller(this.options.stepFunctions, settings.stateMachineArn, pollerExecutionName(event, arn), {
      kind: 'import',
      jobArn: arn,
      stackId: event.StackId,
      jobLogicalId: event.LogicalResourceId,
      waitLogicalId: settings.waitCondition,
      deadline: Math.floor(startedAt) + MAX_JOB_WAIT_SECONDS,
      timeoutSeconds: MAX_JOB_WAIT_SECONDS,
      expectedSeconds: await this.expectedImportSeconds(settings.datasetArn),
    });
  }

  /** How long the dataset's earlier imports took (0 when unknown or unreadable), for the polling schedule. */
  private async expectedImportSeconds(datasetArn: string): Promise<number> {
    try {
      const { datasetImportJobs } = await this.personalize.listDatasetImportJobs({ datasetArn, maxResults: 20 });
      return medianJobSeconds(datasetImportJobs ?? []);
    } catch (err) {
      console.log(`Could not list earlier imports (${(err as Error).message}); polling as for a first import`);
      return 0;
    }
  }

  /** Delete: done once the job no longer runs, or once it has been waited for DELETE_WAIT_SECONDS. */
  private async isJobOver(event: IsCompleteRequest, since: number): Promise<IsCompleteResponse> {
    const arn = event.PhysicalResourceId;
    if (!isImportJobArn(arn)) {
      return { IsComplete: true };
    }
    const job = await describeImportJob(this.personalize, arn);
    const running = job?.status !== undefined && RUNNING_IMPORT_STATES.has(job.status);
    return awaitUnstoppableJob('import', jobNameOf(arn), job?.status, running, (this.now() - since) / 1000);
  }
}

function attributes(arn: string): ResourceData {
  return {
    [DatasetImportAttributes.DATASET_IMPORT_JOB_ARN]: arn,
    [DatasetImportAttributes.JOB_NAME]: jobNameOf(arn),
  };
}
