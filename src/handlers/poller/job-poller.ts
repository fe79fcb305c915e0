import {
  DescribeStacksCommand,
  DescribeStackResourceCommand,
  SignalResourceCommand,
  type CloudFormationClient,
  type StackResourceDetail,
} from '@aws-sdk/client-cloudformation';
import type { PersonalizeClient } from '@aws-sdk/client-personalize';
import { JOB_KIND_DESCRIPTIONS, type JobKindDescription, type JobState } from './job-kinds';
import { JOB_KINDS, type JobCheck, type JobKind, type JobPollerInput } from '../../private/contract';
import { SdkPersonalizeApi, type PersonalizeApi } from '../aws/personalize-api';
import { nextPollSeconds } from '../aws/poll-schedule';

export { formatDuration } from '../framework/duration';

/**
 * The job poller: the Lambda tasks of the per-stack state machine that waits for a long Personalize
 * job (a training, an import, a batch job; see job-kinds.ts), and the target of the EventBridge
 * rule that catches a dead execution.
 *
 *   check         Describe the job → WAIT | ENDED (past its deadline, a job that can be stopped is)
 *   signal        SignalResource SUCCESS to the job's WaitCondition, only while this job is the one
 *                 the stack waits for (otherwise NOT_CURRENT; NOT_READY before the wait condition
 *                 is being created)
 *   EventBridge   "Step Functions Execution Status Change" FAILED/TIMED_OUT/ABORTED: stops the job
 *                 if it still runs and can be stopped, and signals FAILURE, if it is still current
 *
 * The signal only says "stop waiting": the result resource after the wait condition reads the
 * outcome from Personalize, so a stale or forged signal cannot change what the stack reports.
 */

export interface CheckEvent extends JobPollerInput {
  readonly action: 'check';
}

/** What `check` returns: whether the job ended, and how long to wait before the next task. */
export type CheckResult = JobCheck;

/** Wait before signalling again, when the wait condition was not ready or the signal failed. */
export const SIGNAL_RETRY_SECONDS = 60;

export interface SignalEvent extends JobPollerInput {
  readonly action: 'signal';
}

export interface ExecutionStatusChangeEvent {
  readonly 'source': 'aws.states';
  readonly 'detail-type': 'Step Functions Execution Status Change';
  readonly 'detail': {
    readonly status: string;
    /** The execution input: a JSON JobPollerInput. */
    readonly input?: string;
    readonly executionArn?: string;
    readonly error?: string;
    readonly cause?: string;
  };
}

export type PollerEvent = CheckEvent | SignalEvent | ExecutionStatusChangeEvent;

/**
 * What `signal` returns. SIGNALLED: the wait condition got the signal. NOT_CURRENT: the stack no
 * longer waits for this job (it moved on, rolled back or was deleted), so nothing was sent.
 * NOT_READY: the wait condition is not being created yet; the state machine tries again later.
 */
export interface SignalResult {
  readonly result: 'SIGNALLED' | 'NOT_CURRENT' | 'NOT_READY';
  readonly reason: string;
}

export interface IgnoredResult {
  readonly ignored: string;
}

/** Execution statuses that mean the state machine will not signal. */
const DEAD_EXECUTION_STATUSES: ReadonlySet<string> = new Set(['FAILED', 'TIMED_OUT', 'ABORTED']);

/** Stands for the job's status in a check whose job no longer exists. */
export const NOT_FOUND_STATUS = 'NOT FOUND';

export interface JobPollerOptions {
  readonly personalize: PersonalizeClient;
  readonly cloudFormation: CloudFormationClient;
  /** Milliseconds since the epoch. */
  readonly now?: () => number;
}

export class JobPoller {
  private readonly personalize: PersonalizeApi;
  private readonly cloudFormation: CloudFormationClient;
  private readonly now: () => number;

  constructor(options: JobPollerOptions) {
    this.personalize = new SdkPersonalizeApi(options.personalize);
    this.cloudFormation = options.cloudFormation;
    this.now = options.now ?? Date.now;
  }

  public async handle(event: PollerEvent): Promise<CheckResult | SignalResult | IgnoredResult> {
    if (isExecutionStatusChange(event)) {
      return this.onExecutionStatusChange(event);
    }
    const action = (event as { action?: unknown }).action;
    switch (action) {
      case 'check':
        return this.check(toPollerInput(event));
      case 'signal':
        return this.signal(toPollerInput(event), 'SUCCESS');
      default:
        throw new Error(`Unsupported job poller event: action ${JSON.stringify(action)}`);
    }
  }

  /** One poll. A job still running past its deadline is stopped, if its kind can be. */
  public async check(input: JobPollerInput): Promise<CheckResult> {
    const kind = kindOf(input);
    const arn = input.jobArn;
    let job = await kind.describe(this.personalize, arn);
    if (!job) {
      return ended(NOT_FOUND_STATUS, `${kind.noun} ${arn} no longer exists`);
    }
    const finished = outcomeOf(kind, job);
    if (finished) {
      return finished;
    }
    const status = job.status;
    const nowSeconds = this.now() / 1000;
    if (nowSeconds < input.deadline) {
      const created = job.created ? job.created.getTime() / 1000 : input.deadline - input.timeoutSeconds;
      const waitSeconds = nextPollSeconds({
        elapsedSeconds: nowSeconds - created,
        expectedSeconds: input.expectedSeconds,
        secondsToDeadline: input.deadline - nowSeconds,
      });
      console.log(`${capitalized(kind.noun)} ${arn} is ${status}; next check in ${waitSeconds} s`);
      return { outcome: 'WAIT', status, reason: '', waitSeconds };
    }
    console.log(`${capitalized(kind.noun)} ${arn} is ${status}, past its deadline`);
    if (kind.stop?.states.has(status) && !await kind.stop.run(this.personalize, arn)) {
      // Refused: the job has just ended one way or the other.
      job = await kind.describe(this.personalize, arn);
      const endedNow = job && outcomeOf(kind, job);
      if (endedNow) {
        return endedNow;
      }
    }
    return ended(status, kind.deadlineReason(status, input.timeoutSeconds));
  }

  /**
   * Signals the job's wait condition, if this job is still the one the stack waits for: the job's
   * custom resource has this job as its physical id, and the wait condition is being created. A
   * signal to any other job's wait is never sent.
   */
  public async signal(input: JobPollerInput, status: 'SUCCESS' | 'FAILURE', uniqueId = uniqueIdOf(input.jobArn)): Promise<SignalResult> {
    return await this.notReadyToSignal(input) ?? this.send(input, status, uniqueId);
  }

  /** Why `input`'s wait condition cannot be signalled now, or undefined when it can. */
  private async notReadyToSignal(input: JobPollerInput): Promise<SignalResult | undefined> {
    const current = await this.stackResource(input.stackId, input.jobLogicalId);
    if (!current || current.PhysicalResourceId !== input.jobArn || current.ResourceStatus?.startsWith('DELETE')) {
      const reason = `the stack no longer waits for ${input.jobArn} (${input.jobLogicalId} is ${describeResource(current)})`;
      console.log(`Not signalling: ${reason}`);
      return { result: 'NOT_CURRENT', reason };
    }
    const wait = await this.stackResource(input.stackId, input.waitLogicalId);
    if (!wait) {
      // Created after the job's resource, in the same stack operation; once that operation
      // ended (e.g. rolled back before it), it never will be.
      const stackStatus = await this.stackStatus(input.stackId);
      if (!stackStatus.endsWith('_IN_PROGRESS')) {
        const reason = `wait condition ${input.waitLogicalId} does not exist and stack is ${stackStatus}`;
        console.log(`Not signalling: ${reason}`);
        return { result: 'NOT_CURRENT', reason };
      }
      console.log(`Wait condition ${input.waitLogicalId} does not exist yet (stack ${stackStatus})`);
      return { result: 'NOT_READY', reason: `wait condition ${input.waitLogicalId} does not exist yet` };
    }
    if (wait.ResourceStatus !== 'CREATE_IN_PROGRESS') {
      const reason = `wait condition ${input.waitLogicalId} is ${wait.ResourceStatus}`;
      console.log(`Not signalling: ${reason}`);
      return { result: 'NOT_CURRENT', reason };
    }
    return undefined;
  }

  private async send(input: JobPollerInput, status: 'SUCCESS' | 'FAILURE', uniqueId: string): Promise<SignalResult> {
    console.log(`SignalResource ${status} (${uniqueId}) to ${input.waitLogicalId}`);
    try {
      await this.cloudFormation.send(new SignalResourceCommand({
        StackName: input.stackId,
        LogicalResourceId: input.waitLogicalId,
        UniqueId: uniqueId,
        Status: status,
      }));
    } catch (err) {
      if ((err as Error).name !== 'ValidationError') {
        throw err;
      }
      // The wait condition changed state between the two calls; the next round looks again.
      console.log(`SignalResource refused: ${(err as Error).message}`);
      return { result: 'NOT_READY', reason: (err as Error).message };
    }
    return { result: 'SIGNALLED', reason: `${status} to ${input.waitLogicalId}` };
  }

  /**
   * A dead execution: nothing polls the job any more. If the stack still waits for it, the job is
   * stopped where its kind can be (nothing would stop it at its deadline) and the wait fails at once.
   */
  public async onExecutionStatusChange(event: ExecutionStatusChangeEvent): Promise<SignalResult | IgnoredResult> {
    const { status, executionArn } = event.detail ?? {};
    if (!DEAD_EXECUTION_STATUSES.has(status)) {
      console.log(`Execution ${executionArn} is ${status}; nothing to do`);
      return { ignored: `execution status ${status}` };
    }
    let input: JobPollerInput;
    try {
      input = toPollerInput(JSON.parse(event.detail.input ?? ''));
    } catch (err) {
      console.log(`Execution ${executionArn} is ${status}, but its input is unusable: ${(err as Error).message}`);
      return { ignored: `unusable execution input: ${(err as Error).message}` };
    }
    console.log(`Job poller execution ${executionArn} ${status}: ${[event.detail.error, event.detail.cause].filter(Boolean).join(': ')}`);
    const notReady = await this.notReadyToSignal(input);
    if (notReady?.result === 'NOT_CURRENT') {
      return { ignored: `the stack no longer waits for ${input.jobArn}` };
    }
    const kind = kindOf(input);
    const job = await kind.describe(this.personalize, input.jobArn);
    if (job && kind.stop?.states.has(job.status)) {
      await kind.stop.run(this.personalize, input.jobArn);
    }
    // The id names the kind of poller that died: a training's keeps its earlier name.
    return notReady ?? this.send(input, 'FAILURE', `${input.kind === 'training' ? 'training' : input.kind}-poller-${status}`);
  }

  private async stackStatus(stackId: string): Promise<string> {
    try {
      const { Stacks: stacks } = await this.cloudFormation.send(new DescribeStacksCommand({ StackName: stackId }));
      return stacks?.[0]?.StackStatus ?? 'UNKNOWN';
    } catch (err) {
      if (isDoesNotExist(err)) {
        return 'DELETE_COMPLETE';
      }
      throw err;
    }
  }

  private async stackResource(stackId: string, logicalId: string): Promise<StackResourceDetail | undefined> {
    try {
      const { StackResourceDetail: detail } = await this.cloudFormation.send(new DescribeStackResourceCommand({
        StackName: stackId,
        LogicalResourceId: logicalId,
      }));
      return detail;
    } catch (err) {
      if (isDoesNotExist(err)) {
        return undefined;
      }
      throw err;
    }
  }
}

/** CloudFormation's answer for a stack or resource that does not exist (any more). */
function isDoesNotExist(err: unknown): boolean {
  return (err as Error).name === 'ValidationError' && /does not exist/.test((err as Error).message);
}

function describeResource(detail: StackResourceDetail | undefined): string {
  return detail ? `${detail.ResourceStatus} with physical id ${detail.PhysicalResourceId ?? 'none'}` : 'gone';
}

function isExecutionStatusChange(event: unknown): event is ExecutionStatusChangeEvent {
  const e = event as Partial<ExecutionStatusChangeEvent> | undefined;
  return e?.source === 'aws.states' && e['detail-type'] === 'Step Functions Execution Status Change';
}

/** ENDED for a job that ended; undefined while it runs. */
function outcomeOf(kind: JobKindDescription, job: JobState): CheckResult | undefined {
  const reason = kind.endOf(job);
  return reason === undefined ? undefined : ended(job.status, reason);
}

function ended(status: string, reason: string): CheckResult {
  return { outcome: 'ENDED', status, reason, waitSeconds: SIGNAL_RETRY_SECONDS };
}

function kindOf(input: JobPollerInput): JobKindDescription {
  return JOB_KIND_DESCRIPTIONS[input.kind];
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The signal's UniqueId: the last segment of the job's ARN (a version's id, an import job's name). */
function uniqueIdOf(jobArn: string): string {
  return jobArn.slice(jobArn.lastIndexOf('/') + 1);
}

/**
 * The JobPollerInput members of an event, numbers coerced (Step Functions passes them through as
 * given). Executions started before imports were polled carry a training's members under their
 * earlier names (solutionVersionArn, versionLogicalId, trainingTimeoutSeconds, expectedTrainingSeconds).
 */
export function toPollerInput(value: unknown): JobPollerInput {
  const v = (value ?? {}) as Record<string, unknown>;
  const pick = (key: string, earlier: string): unknown => v[key] ?? v[earlier];
  const str = (key: string, earlier = key): string => {
    const s = pick(key, earlier);
    if (typeof s !== 'string' || s === '') {
      throw new Error(`Job poller input ${key} must be a non-empty string, got ${JSON.stringify(s)}`);
    }
    return s;
  };
  const num = (key: string, earlier = key): number => {
    const raw = pick(key, earlier);
    const n = typeof raw === 'string' ? Number(raw) : raw;
    if (typeof n !== 'number' || !Number.isFinite(n)) {
      throw new Error(`Job poller input ${key} must be a number, got ${JSON.stringify(raw)}`);
    }
    return n;
  };
  const kind = v.kind ?? 'training';
  if (!JOB_KINDS.includes(kind as JobKind)) {
    throw new Error(`Job poller input kind must be one of ${JOB_KINDS.join(', ')}, got ${JSON.stringify(v.kind)}`);
  }
  return {
    kind: kind as JobKind,
    jobArn: str('jobArn', 'solutionVersionArn'),
    stackId: str('stackId'),
    jobLogicalId: str('jobLogicalId', 'versionLogicalId'),
    waitLogicalId: str('waitLogicalId'),
    deadline: num('deadline'),
    timeoutSeconds: num('timeoutSeconds', 'trainingTimeoutSeconds'),
    // 0 (no prediction) for executions started before the member existed.
    expectedSeconds: pick('expectedSeconds', 'expectedTrainingSeconds') === undefined ? 0 : num('expectedSeconds', 'expectedTrainingSeconds'),
  };
}
