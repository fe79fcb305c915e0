import {
  DescribeStacksCommand,
  DescribeStackResourceCommand,
  SignalResourceCommand,
  type CloudFormationClient,
  type StackResourceDetail,
} from '@aws-sdk/client-cloudformation';
import type { PersonalizeClient, SolutionVersion } from '@aws-sdk/client-personalize';
import type { TrainingCheck, TrainingPollerInput } from '../../private/contract';
import { versionIdOf } from '../aws/names';
import { SdkPersonalizeApi, type PersonalizeApi } from '../aws/personalize-api';
import { nextPollSeconds } from '../aws/poll-schedule';
import { Status, STOPPABLE_VERSION_STATES } from '../aws/status';
import { describeVersion, stopVersion } from '../aws/versions';
import { formatDuration } from '../framework/duration';

export { formatDuration } from '../framework/duration';

/**
 * The training poller: the Lambda tasks of the per-stack state machine that waits for a solution
 * version to train, and the target of the EventBridge rule that catches a dead execution.
 *
 *   check         DescribeSolutionVersion → WAIT | ENDED (stops a training past its deadline)
 *   signal        SignalResource SUCCESS to the training's WaitCondition, only while this training
 *                 is the one the stack waits for (otherwise NOT_CURRENT; NOT_READY before the
 *                 wait condition is being created)
 *   EventBridge   "Step Functions Execution Status Change" FAILED/TIMED_OUT/ABORTED: stops the
 *                 training if it still runs and signals FAILURE, if it is still current
 *
 * The signal only says "stop waiting": the training result resource after the wait condition reads
 * the outcome from Personalize, so a stale or forged signal cannot change what the stack reports.
 */

export interface CheckEvent extends TrainingPollerInput {
  readonly action: 'check';
}

/** What `check` returns: whether the training ended, and how long to wait before the next task. */
export type CheckResult = TrainingCheck;

/** Wait before signalling again, when the wait condition was not ready or the signal failed. */
export const SIGNAL_RETRY_SECONDS = 60;

export interface SignalEvent extends TrainingPollerInput {
  readonly action: 'signal';
}

export interface ExecutionStatusChangeEvent {
  readonly 'source': 'aws.states';
  readonly 'detail-type': 'Step Functions Execution Status Change';
  readonly 'detail': {
    readonly status: string;
    /** The execution input: a JSON TrainingPollerInput. */
    readonly input?: string;
    readonly executionArn?: string;
    readonly error?: string;
    readonly cause?: string;
  };
}

export type PollerEvent = CheckEvent | SignalEvent | ExecutionStatusChangeEvent;

/**
 * What `signal` returns. SIGNALLED: the wait condition got the signal. NOT_CURRENT: the stack no
 * longer waits for this training (it moved on, rolled back or was deleted), so nothing was sent.
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

/** Stands for the version's status in a check whose version no longer exists. */
export const NOT_FOUND_STATUS = 'NOT FOUND';

export interface TrainingPollerOptions {
  readonly personalize: PersonalizeClient;
  readonly cloudFormation: CloudFormationClient;
  /** Milliseconds since the epoch. */
  readonly now?: () => number;
}

export class TrainingPoller {
  private readonly personalize: PersonalizeApi;
  private readonly cloudFormation: CloudFormationClient;
  private readonly now: () => number;

  constructor(options: TrainingPollerOptions) {
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
        throw new Error(`Unsupported training poller event: action ${JSON.stringify(action)}`);
    }
  }

  /** One poll. A training still pending or running past the deadline is stopped. */
  public async check(input: TrainingPollerInput): Promise<CheckResult> {
    const arn = input.solutionVersionArn;
    let version = await describeVersion(this.personalize, arn, true);
    if (!version) {
      return ended(NOT_FOUND_STATUS, `solution version ${arn} no longer exists`);
    }
    const status = version.status ?? 'UNKNOWN';
    const finished = outcomeOf(version);
    if (finished) {
      return finished;
    }
    const nowSeconds = this.now() / 1000;
    const overdue = nowSeconds >= input.deadline;
    if (!overdue) {
      const created = version.creationDateTime ? version.creationDateTime.getTime() / 1000 : input.deadline - input.trainingTimeoutSeconds;
      const waitSeconds = nextPollSeconds({
        elapsedSeconds: nowSeconds - created,
        expectedSeconds: input.expectedTrainingSeconds,
        secondsToDeadline: input.deadline - nowSeconds,
      });
      console.log(`Solution version ${arn} is ${status}; next check in ${waitSeconds} s`);
      return { outcome: 'WAIT', status, reason: '', waitSeconds };
    }
    console.log(`Solution version ${arn} is ${status}, past its deadline`);

    const timeout = `the trainingTimeout of ${formatDuration(input.trainingTimeoutSeconds)}`;
    if (STOPPABLE_VERSION_STATES.has(status) && !await stopVersion(this.personalize, arn)) {
      // Refused: the training has just ended one way or the other.
      version = await describeVersion(this.personalize, arn, true);
      const endedNow = version && outcomeOf(version);
      if (endedNow) {
        return endedNow;
      }
    }
    return ended(status, `training did not finish within ${timeout} (status ${status}); it was stopped`);
  }

  /**
   * Signals the training's wait condition, if this training is still the one the stack waits for:
   * the version's custom resource has this version as its physical id, and the wait condition is
   * being created. A signal to any other training's wait is never sent.
   */
  public async signal(input: TrainingPollerInput, status: 'SUCCESS' | 'FAILURE', uniqueId = versionIdOf(input.solutionVersionArn)): Promise<SignalResult> {
    return await this.notReadyToSignal(input) ?? this.send(input, status, uniqueId);
  }

  /** Why `input`'s wait condition cannot be signalled now, or undefined when it can. */
  private async notReadyToSignal(input: TrainingPollerInput): Promise<SignalResult | undefined> {
    const current = await this.stackResource(input.stackId, input.versionLogicalId);
    if (!current || current.PhysicalResourceId !== input.solutionVersionArn || current.ResourceStatus?.startsWith('DELETE')) {
      const reason = `the stack no longer waits for ${input.solutionVersionArn} (${input.versionLogicalId} is ${describeResource(current)})`;
      console.log(`Not signalling: ${reason}`);
      return { result: 'NOT_CURRENT', reason };
    }
    const wait = await this.stackResource(input.stackId, input.waitLogicalId);
    if (!wait) {
      // Created after the version's resource, in the same stack operation; once that operation
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

  private async send(input: TrainingPollerInput, status: 'SUCCESS' | 'FAILURE', uniqueId: string): Promise<SignalResult> {
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
   * A dead execution: nothing polls the training any more. If the stack still waits for it, the
   * training is stopped (nothing would stop it at its deadline) and the wait fails at once.
   */
  public async onExecutionStatusChange(event: ExecutionStatusChangeEvent): Promise<SignalResult | IgnoredResult> {
    const { status, executionArn } = event.detail ?? {};
    if (!DEAD_EXECUTION_STATUSES.has(status)) {
      console.log(`Execution ${executionArn} is ${status}; nothing to do`);
      return { ignored: `execution status ${status}` };
    }
    let input: TrainingPollerInput;
    try {
      input = toPollerInput(JSON.parse(event.detail.input ?? ''));
    } catch (err) {
      console.log(`Execution ${executionArn} is ${status}, but its input is unusable: ${(err as Error).message}`);
      return { ignored: `unusable execution input: ${(err as Error).message}` };
    }
    console.log(`Training poller execution ${executionArn} ${status}: ${[event.detail.error, event.detail.cause].filter(Boolean).join(': ')}`);
    const notReady = await this.notReadyToSignal(input);
    if (notReady?.result === 'NOT_CURRENT') {
      return { ignored: `the stack no longer waits for ${input.solutionVersionArn}` };
    }
    const version = await describeVersion(this.personalize, input.solutionVersionArn, true);
    if (version?.status !== undefined && STOPPABLE_VERSION_STATES.has(version.status)) {
      await stopVersion(this.personalize, input.solutionVersionArn);
    }
    return notReady ?? this.send(input, 'FAILURE', `training-poller-${status}`);
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

/** ENDED for a version whose training ended; undefined while it runs. */
function outcomeOf(version: SolutionVersion): CheckResult | undefined {
  const status = version.status ?? 'UNKNOWN';
  switch (status) {
    case Status.ACTIVE:
      return ended(status, '');
    case Status.CREATE_FAILED:
      return ended(status, `training failed: ${version.failureReason ?? 'Personalize gave no reason'}`);
    case Status.CREATE_STOPPING:
    case Status.CREATE_STOPPED:
      return ended(status, 'training was stopped');
    default:
      return undefined;
  }
}

function ended(status: string, reason: string): CheckResult {
  return { outcome: 'ENDED', status, reason, waitSeconds: SIGNAL_RETRY_SECONDS };
}

/** The TrainingPollerInput members of an event, numbers coerced (Step Functions passes them through as given). */
export function toPollerInput(value: unknown): TrainingPollerInput {
  const v = (value ?? {}) as Record<string, unknown>;
  const str = (key: string): string => {
    if (typeof v[key] !== 'string' || v[key] === '') {
      throw new Error(`Training poller input ${key} must be a non-empty string, got ${JSON.stringify(v[key])}`);
    }
    return v[key] as string;
  };
  const num = (key: string): number => {
    const n = typeof v[key] === 'string' ? Number(v[key]) : v[key];
    if (typeof n !== 'number' || !Number.isFinite(n)) {
      throw new Error(`Training poller input ${key} must be a number, got ${JSON.stringify(v[key])}`);
    }
    return n;
  };
  return {
    solutionVersionArn: str('solutionVersionArn'),
    stackId: str('stackId'),
    versionLogicalId: str('versionLogicalId'),
    waitLogicalId: str('waitLogicalId'),
    deadline: num('deadline'),
    trainingTimeoutSeconds: num('trainingTimeoutSeconds'),
    // 0 (no prediction) for executions started before the member existed.
    expectedTrainingSeconds: v.expectedTrainingSeconds === undefined ? 0 : num('expectedTrainingSeconds'),
  };
}
