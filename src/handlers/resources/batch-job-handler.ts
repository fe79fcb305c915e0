import type { CreateBatchInferenceJobRequest, CreateBatchSegmentJobRequest } from '@aws-sdk/client-personalize';
import type { SFNClient } from '@aws-sdk/client-sfn';
import {
  BATCH_INFERENCE_JOB_RESOURCE_TYPE, BatchJobAttributes, BatchJobControlKeys, GENERATED_NAME_MAX_LENGTH, MAX_JOB_WAIT_SECONDS, type JobKind,
} from '../../private/contract';
import { batchJobTypeOf, describeBatchJob } from '../aws/batch-jobs';
import { awaitUnstoppableJob, startJobPoller } from '../aws/job-executions';
import { batchJobName, pollerExecutionName } from '../aws/names';
import type { PersonalizeApi } from '../aws/personalize-api';
import { Status } from '../aws/status';
import { CustomResourceHandler, unhandled, type Decided, type HandlerOptions } from '../framework/custom-resource-handler';
import { sameValue } from '../framework/diff';
import { isErrorNamed } from '../framework/errors';
import { compact, mapValues, requiredStr, stripControlKeys, toInteger, toNumber, toObject, toStr, toStrMap } from '../framework/request';
import type { IsCompleteRequest, IsCompleteResponse, OnEventRequest, ResourceData, ResourceProperties } from '../framework/types';

const ALREADY_EXISTS = 'ResourceAlreadyExistsException';
const RUNNING: ReadonlySet<string> = new Set([Status.CREATE_PENDING, Status.CREATE_IN_PROGRESS]);

/** A batch job resource's properties, coerced: the request without jobName, and the control keys. */
export interface BatchJobProps {
  readonly kind: Extract<JobKind, 'batchInference' | 'batchSegment'>;
  /** The Create*Job request without jobName; the output path is the base the job's folder goes under. */
  readonly request: Omit<CreateBatchInferenceJobRequest, 'jobName'> | Omit<CreateBatchSegmentJobRequest, 'jobName'>;
  /** The S3 path under which each job gets its folder. */
  readonly outputBasePath: string;
  readonly jobNamePrefix: string;
  readonly jobTrigger: string;
  readonly waitCondition: string;
  readonly stateMachineArn: string;
}

export function parseBatchJobProps(resourceType: string, props: ResourceProperties): BatchJobProps {
  const K = BatchJobControlKeys;
  const raw = stripControlKeys(props, Object.values(K));
  const s3 = (value: unknown, path: string) => {
    const config = toObject(value, path) ?? {};
    return compact({ path: requiredStr(config.path, `${path}.path`), kmsKeyArn: toStr(config.kmsKeyArn, `${path}.kmsKeyArn`) || undefined });
  };
  const jobInput = toObject(raw.jobInput, 'jobInput') ?? {};
  const jobOutput = toObject(raw.jobOutput, 'jobOutput') ?? {};
  const common = {
    solutionVersionArn: requiredStr(raw.solutionVersionArn, 'solutionVersionArn'),
    filterArn: toStr(raw.filterArn, 'filterArn') || undefined,
    numResults: toInteger(raw.numResults, 'numResults'),
    jobInput: { s3DataSource: s3(jobInput.s3DataSource, 'jobInput.s3DataSource') },
    jobOutput: { s3DataDestination: s3(jobOutput.s3DataDestination, 'jobOutput.s3DataDestination') },
    roleArn: requiredStr(raw.roleArn, 'roleArn'),
  };
  const kind = resourceType === BATCH_INFERENCE_JOB_RESOURCE_TYPE ? 'batchInference' : 'batchSegment';
  let request: BatchJobProps['request'] = common;
  if (kind === 'batchInference') {
    const config = toObject(raw.batchInferenceJobConfig, 'batchInferenceJobConfig');
    const ranking = toObject(config?.rankingInfluence, 'batchInferenceJobConfig.rankingInfluence');
    const theme = toObject(raw.themeGenerationConfig, 'themeGenerationConfig');
    const fields = toObject(theme?.fieldsForThemeGeneration, 'themeGenerationConfig.fieldsForThemeGeneration');
    const mode = toStr(raw.batchInferenceJobMode, 'batchInferenceJobMode');
    request = compact({
      ...common,
      batchInferenceJobMode: mode === 'THEME_GENERATION' || mode === 'BATCH_INFERENCE' ? mode : undefined,
      batchInferenceJobConfig: config && compact({
        itemExplorationConfig: toStrMap(config.itemExplorationConfig, 'batchInferenceJobConfig.itemExplorationConfig'),
        rankingInfluence: ranking && mapValues(ranking, (v, key) => toNumber(v, `batchInferenceJobConfig.rankingInfluence.${key}`)!),
      }),
      themeGenerationConfig: fields && { fieldsForThemeGeneration: { itemName: requiredStr(fields.itemName, 'themeGenerationConfig.fieldsForThemeGeneration.itemName') } },
    });
  }
  const prefix = toStr(props[K.JOB_NAME_PREFIX], K.JOB_NAME_PREFIX);
  return {
    kind,
    request: compact(request),
    outputBasePath: common.jobOutput.s3DataDestination.path,
    jobNamePrefix: prefix ? prefix.slice(0, GENERATED_NAME_MAX_LENGTH) : 'cdkp-batch',
    jobTrigger: toStr(props[K.JOB_TRIGGER], K.JOB_TRIGGER) ?? '',
    waitCondition: requiredStr(props[K.WAIT_CONDITION], K.WAIT_CONDITION),
    stateMachineArn: requiredStr(props[K.STATE_MACHINE_ARN], K.STATE_MACHINE_ARN),
  };
}

/** `s3://bucket/prefix/` + `<jobName>/`: each job writes to a folder of its own. */
export function outputLocationOf(basePath: string, jobName: string): string {
  return `${basePath.endsWith('/') ? basePath : `${basePath}/`}${jobName}/`;
}

type BatchJobDecision =
  /** A job was started (or kept): done at once; its wait condition waits for it. */
  | { readonly action: 'started' }
  /** Delete: batch jobs cannot be stopped; one still running is waited for, then left to finish. */
  | { readonly action: 'left'; readonly since: string };

export interface BatchJobHandlerOptions extends HandlerOptions {
  readonly stepFunctions: SFNClient;
}

/**
 * Custom::PersonalizeBatchInferenceJob and Custom::PersonalizeBatchSegmentJob: one job per setting of
 * what the job does (and its trigger), named after them: a rollback to earlier settings takes over
 * the job that ran with them rather than running it again. The physical id is the job's ARN. The job runs
 * for as long as it needs: the job waiter signals the resource's wait condition once it ended, and
 * Custom::PersonalizeBatchJobResult reads the outcome. Jobs cannot be stopped or deleted: a delete
 * waits up to DELETE_WAIT_SECONDS for one still running, then leaves it to finish.
 */
export class BatchJobHandler extends CustomResourceHandler<BatchJobDecision> {
  private readonly now: () => number;

  constructor(private readonly personalize: PersonalizeApi, private readonly options: BatchJobHandlerOptions) {
    super(['started', 'left']);
    this.now = options.now ?? Date.now;
  }

  protected async onCreate(event: OnEventRequest): Promise<Decided<BatchJobDecision>> {
    return this.start(event, parseBatchJobProps(event.ResourceType, event.ResourceProperties));
  }

  protected async onUpdate(event: OnEventRequest): Promise<Decided<BatchJobDecision>> {
    const after = parseBatchJobProps(event.ResourceType, event.ResourceProperties);
    const arn = event.PhysicalResourceId ?? '';
    if (!batchJobTypeOf(arn)) {
      return this.start(event, after);
    }
    const before = parseBatchJobProps(event.ResourceType, event.OldResourceProperties ?? {});
    if (!sameValue(before.request, after.request) || before.jobTrigger !== after.jobTrigger || before.jobNamePrefix !== after.jobNamePrefix) {
      console.log('The job changed (or its trigger): running it again');
      return this.start(event, after);
    }
    const job = await describeBatchJob(this.personalize, arn);
    if (before.waitCondition !== after.waitCondition) {
      await this.startPoller(event, after, arn, job?.created);
    }
    const location = job?.outputPath ?? outputLocationOf(after.outputBasePath, nameOf(arn));
    return { PhysicalResourceId: arn, Data: attributes(arn, location), Decision: { action: 'started' } };
  }

  protected async onDelete(event: OnEventRequest): Promise<Decided<BatchJobDecision>> {
    console.log(`Batch jobs cannot be deleted or stopped; leaving ${event.PhysicalResourceId ?? 'nothing'}`);
    return { PhysicalResourceId: event.PhysicalResourceId, Decision: { action: 'left', since: String(this.now()) } };
  }

  protected async isDone(event: IsCompleteRequest, decision: BatchJobDecision): Promise<IsCompleteResponse> {
    switch (decision.action) {
      case 'started':
        return { IsComplete: true };
      case 'left':
        return this.isJobOver(event.PhysicalResourceId, Number(decision.since));
      default:
        return unhandled(decision);
    }
  }

  private async start(event: OnEventRequest, props: BatchJobProps): Promise<Decided<BatchJobDecision>> {
    const jobName = batchJobName(props.jobNamePrefix, event, [props.request, props.jobTrigger]);
    const location = outputLocationOf(props.outputBasePath, jobName);
    const destination = { ...props.request.jobOutput?.s3DataDestination, path: location };
    const request = { ...props.request, jobName, jobOutput: { s3DataDestination: destination } };
    const operation = props.kind === 'batchInference' ? 'CreateBatchInferenceJob' : 'CreateBatchSegmentJob';
    console.log(`${operation} ${jobName} with ${props.request.solutionVersionArn}: ${props.request.jobInput?.s3DataSource?.path} to ${location}`);
    let arn: string;
    try {
      arn = props.kind === 'batchInference'
        ? (await this.personalize.createBatchInferenceJob(request as CreateBatchInferenceJobRequest)).batchInferenceJobArn!
        : (await this.personalize.createBatchSegmentJob(request as CreateBatchSegmentJobRequest)).batchSegmentJobArn!;
    } catch (err) {
      if (!isErrorNamed(err, ALREADY_EXISTS)) {
        throw err;
      }
      console.log(`Job ${jobName} already ran with these settings (a repeated request, or a rollback to them); taking it over`);
      arn = jobArnOf(props, jobName);
    }
    await this.startPoller(event, props, arn);
    return { PhysicalResourceId: arn, Data: attributes(arn, location), Decision: { action: 'started' } };
  }

  private async startPoller(event: OnEventRequest, props: BatchJobProps, arn: string, created?: Date): Promise<void> {
    const startedAt = (created?.getTime() ?? this.now()) / 1000;
    await startJobPoller(this.options.stepFunctions, props.stateMachineArn, pollerExecutionName(event, arn), {
      kind: props.kind,
      jobArn: arn,
      stackId: event.StackId,
      jobLogicalId: event.LogicalResourceId,
      waitLogicalId: props.waitCondition,
      deadline: Math.floor(startedAt) + MAX_JOB_WAIT_SECONDS,
      timeoutSeconds: MAX_JOB_WAIT_SECONDS,
      expectedSeconds: 0,
    });
  }

  private async isJobOver(arn: string | undefined, since: number): Promise<IsCompleteResponse> {
    if (!batchJobTypeOf(arn)) {
      return { IsComplete: true };
    }
    const job = await describeBatchJob(this.personalize, arn!);
    return awaitUnstoppableJob('batch', nameOf(arn!), job?.status, job !== undefined && RUNNING.has(job.status), (this.now() - since) / 1000);
  }
}

function nameOf(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}

/** The job's ARN from the version's region and account (for a job a repeated request already created). */
function jobArnOf(props: BatchJobProps, jobName: string): string {
  const base = /^(arn:[a-z\d-]+:personalize:[^:]*:[^:]*:)/.exec(props.request.solutionVersionArn ?? '')?.[1];
  if (!base) {
    throw new Error(`Property solutionVersionArn must be a solution version ARN, got ${props.request.solutionVersionArn}`);
  }
  return `${base}${props.kind === 'batchInference' ? 'batch-inference-job' : 'batch-segment-job'}/${jobName}`;
}

function attributes(arn: string, location: string): ResourceData {
  return { [BatchJobAttributes.JOB_ARN]: arn, [BatchJobAttributes.JOB_NAME]: nameOf(arn), [BatchJobAttributes.OUTPUT_LOCATION]: location };
}
