import * as http from 'http';
import * as https from 'https';
import type { PersonalizeClient, SolutionVersion } from '@aws-sdk/client-personalize';
import { Status, STOPPABLE_VERSION_STATES } from './status';
import { describeVersion, stopVersion, versionIdOf } from './versions';
import type { TrainingPollerInput } from '../private/contract';

/**
 * The training poller: the Lambda tasks of the per-stack state machine that waits for a solution
 * version to train, and the target of the EventBridge rule that catches a dead execution.
 *
 *   check         DescribeSolutionVersion → WAIT | SUCCESS | FAILURE (stops a training past its deadline)
 *   signal        PUTs the outcome to the WaitConditionHandle URL
 *   signal-error  a Catch: stops the training if it still runs, then signals FAILURE
 *   EventBridge   "Step Functions Execution Status Change" FAILED/TIMED_OUT/ABORTED: as signal-error
 */

export type Outcome = 'WAIT' | 'SUCCESS' | 'FAILURE';

export interface CheckEvent extends TrainingPollerInput {
  readonly action: 'check';
}

/**
 * What `check` returns. `reason` is always present ('' for WAIT and SUCCESS) because the state
 * machine's signal task reads `$.check.reason`, and a JSONPath to a missing field fails the task.
 */
export interface CheckResult {
  readonly outcome: Outcome;
  /** The version's status, e.g. `CREATE IN_PROGRESS`. */
  readonly status: string;
  readonly reason: string;
}

export interface SignalEvent extends TrainingPollerInput {
  readonly action: 'signal';
  readonly outcome: Outcome;
  readonly status: string;
  readonly reason?: string;
}

/** A Step Functions Catch result. */
export interface StatesError {
  readonly Error?: string;
  readonly Cause?: string;
}

export interface SignalErrorEvent extends TrainingPollerInput {
  readonly action: 'signal-error';
  readonly error?: StatesError;
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

export type PollerEvent = CheckEvent | SignalEvent | SignalErrorEvent | ExecutionStatusChangeEvent;

/** What signal, signal-error and the EventBridge event return. */
export interface SignalResult {
  readonly signalled: 'SUCCESS' | 'FAILURE';
  readonly reason: string;
}

export interface IgnoredResult {
  readonly ignored: string;
}

/** The body CloudFormation expects on a WaitConditionHandle URL. */
export interface WaitConditionSignal {
  readonly Status: 'SUCCESS' | 'FAILURE';
  readonly Reason: string;
  readonly UniqueId: string;
  readonly Data: string;
}

export interface HttpResponse {
  readonly statusCode: number;
  readonly body: string;
}

export type HttpPut = (url: string, body: string) => Promise<HttpResponse>;

/** Longest Reason sent: CloudFormation shows it in the stack events. */
export const MAX_REASON_LENGTH = 4000;

/** Execution statuses that mean the state machine will not signal. */
const DEAD_EXECUTION_STATUSES: ReadonlySet<string> = new Set(['FAILED', 'TIMED_OUT', 'ABORTED']);

/** Stands for the version's status in a check whose version no longer exists. */
export const NOT_FOUND_STATUS = 'NOT FOUND';

/**
 * PUT with node's own http/https (a pre-signed S3 URL on AWS, a local http:// URL in tests).
 * `Content-Type` is empty, as cfn-response sends it: the URL is signed without one.
 */
export const httpPut: HttpPut = (url, body) => new Promise((resolve, reject) => {
  const target = new URL(url);
  const transport = target.protocol === 'https:' ? https : target.protocol === 'http:' ? http : undefined;
  if (!transport) {
    reject(new Error(`Unsupported wait handle URL protocol ${target.protocol}`));
    return;
  }
  const request = transport.request(target, {
    method: 'PUT',
    headers: { 'Content-Type': '', 'Content-Length': Buffer.byteLength(body, 'utf8') },
    timeout: 30_000,
  }, (response) => {
    const chunks: Buffer[] = [];
    response.on('data', (chunk: Buffer) => chunks.push(chunk));
    response.on('end', () => resolve({ statusCode: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    response.on('error', reject);
  });
  request.on('timeout', () => request.destroy(new Error('PUT to the wait handle timed out after 30 s')));
  request.on('error', reject);
  request.end(body);
});

export interface TrainingPollerOptions {
  readonly personalize: PersonalizeClient;
  readonly put?: HttpPut;
  /** Milliseconds since the epoch. */
  readonly now?: () => number;
}

export class TrainingPoller {
  private readonly personalize: PersonalizeClient;
  private readonly put: HttpPut;
  private readonly now: () => number;

  constructor(options: TrainingPollerOptions) {
    this.personalize = options.personalize;
    this.put = options.put ?? httpPut;
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
      case 'signal': {
        const e = event as SignalEvent;
        return this.signal(toPollerInput(e), e.outcome, e.status, e.reason);
      }
      case 'signal-error':
        return this.signalError(toPollerInput(event), describeStatesError((event as SignalErrorEvent).error));
      default:
        throw new Error(`Unsupported training poller event: action ${JSON.stringify(action)}`);
    }
  }

  /** One poll. A training still pending or running past the deadline is stopped and fails. */
  public async check(input: TrainingPollerInput): Promise<CheckResult> {
    const arn = input.solutionVersionArn;
    let version = await describeVersion(this.personalize, arn, true);
    if (!version) {
      return { outcome: 'FAILURE', status: NOT_FOUND_STATUS, reason: `solution version ${arn} no longer exists` };
    }
    const status = version.status ?? 'UNKNOWN';
    const finished = outcomeOf(version);
    if (finished) {
      return finished;
    }
    const overdue = this.now() / 1000 >= input.deadline;
    console.log(`Solution version ${arn} is ${status}${overdue ? ', past its deadline' : ''}`);
    if (!overdue) {
      return { outcome: 'WAIT', status, reason: '' };
    }

    const timeout = `the trainingTimeout of ${formatDuration(input.trainingTimeoutSeconds)}`;
    if (!STOPPABLE_VERSION_STATES.has(status)) {
      return { outcome: 'FAILURE', status, reason: `training did not finish within ${timeout} (status ${status})` };
    }
    if (!await stopVersion(this.personalize, arn)) {
      // Refused: the training has just ended one way or the other.
      version = await describeVersion(this.personalize, arn, true);
      const ended = version && outcomeOf(version);
      if (ended && (ended.outcome === 'SUCCESS' || ended.status === Status.CREATE_FAILED)) {
        return ended;
      }
    }
    return { outcome: 'FAILURE', status, reason: `training did not finish within ${timeout}; it was stopped` };
  }

  /** PUTs the outcome to the wait condition handle. Throws on a non-2xx response (the state machine retries). */
  public async signal(input: TrainingPollerInput, outcome: Outcome, status: string, reason?: string): Promise<SignalResult> {
    if (outcome !== 'SUCCESS' && outcome !== 'FAILURE') {
      throw new Error(`Cannot signal outcome ${JSON.stringify(outcome)}: only SUCCESS or FAILURE end a wait condition`);
    }
    const body: WaitConditionSignal = {
      Status: outcome,
      Reason: truncate(reason || status || outcome, MAX_REASON_LENGTH),
      UniqueId: versionIdOf(input.solutionVersionArn),
      Data: status ?? '',
    };
    const where = redact(input.waitHandleUrl);
    console.log(`Signalling ${body.Status} to ${where}: ${body.Reason}`);
    const response = await this.put(input.waitHandleUrl, JSON.stringify(body));
    if (response.statusCode < 200 || response.statusCode >= 300) {
      throw new Error(`Signalling the wait condition (${where}) failed: HTTP ${response.statusCode} ${truncate(response.body, 500)}`);
    }
    return { signalled: body.Status, reason: body.Reason };
  }

  /**
   * Signals FAILURE for a poller that broke, after stopping the training if it still runs (the
   * stack is about to fail; nothing should train on unobserved). A failed stop is rethrown after
   * the signal, so the state machine retries both.
   */
  public async signalError(input: TrainingPollerInput, reason: string): Promise<SignalResult> {
    let status = 'UNKNOWN';
    let stopError: unknown;
    try {
      const version = await describeVersion(this.personalize, input.solutionVersionArn, true);
      status = version?.status ?? NOT_FOUND_STATUS;
      if (STOPPABLE_VERSION_STATES.has(status)) {
        await stopVersion(this.personalize, input.solutionVersionArn);
      }
    } catch (err) {
      console.log(`Could not stop ${input.solutionVersionArn}: ${(err as Error).message}`);
      stopError = err;
    }
    const result = await this.signal(input, 'FAILURE', status, reason);
    if (stopError) {
      throw stopError;
    }
    return result;
  }

  public async onExecutionStatusChange(event: ExecutionStatusChangeEvent): Promise<SignalResult | IgnoredResult> {
    const { status, executionArn, error, cause } = event.detail ?? {};
    if (!DEAD_EXECUTION_STATUSES.has(status)) {
      console.log(`Execution ${executionArn} is ${status}; nothing to do`);
      return { ignored: `execution status ${status}` };
    }
    let input: TrainingPollerInput;
    try {
      input = toPollerInput(JSON.parse(event.detail.input ?? ''));
    } catch (err) {
      // Without the input there is no wait handle to signal; the wait condition times out.
      console.log(`Execution ${executionArn} is ${status}, but its input is unusable: ${(err as Error).message}`);
      return { ignored: `unusable execution input: ${(err as Error).message}` };
    }
    const detail = error || cause ? `: ${[error, cause].filter(Boolean).join(': ')}` : '';
    return this.signalError(input, `training poller execution ${status}${detail}`);
  }
}

function isExecutionStatusChange(event: unknown): event is ExecutionStatusChangeEvent {
  const e = event as Partial<ExecutionStatusChangeEvent> | undefined;
  return e?.source === 'aws.states' && e['detail-type'] === 'Step Functions Execution Status Change';
}

/** SUCCESS or FAILURE for a version whose training ended; undefined while it runs. */
function outcomeOf(version: SolutionVersion): CheckResult | undefined {
  const status = version.status ?? 'UNKNOWN';
  switch (status) {
    case Status.ACTIVE:
      return { outcome: 'SUCCESS', status, reason: '' };
    case Status.CREATE_FAILED:
      return { outcome: 'FAILURE', status, reason: `training failed: ${version.failureReason ?? 'Personalize gave no reason'}` };
    case Status.CREATE_STOPPING:
    case Status.CREATE_STOPPED:
      return { outcome: 'FAILURE', status, reason: 'training was stopped' };
    default:
      return undefined;
  }
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
    waitHandleUrl: str('waitHandleUrl'),
    deadline: num('deadline'),
    trainingTimeoutSeconds: num('trainingTimeoutSeconds'),
    pollIntervalSeconds: num('pollIntervalSeconds'),
  };
}

/**
 * "training poller failed: <Error>: <Cause>". A Lambda task's Cause is the JSON of the Lambda error;
 * its errorMessage is what matters.
 */
export function describeStatesError(error: StatesError | undefined): string {
  let cause = error?.Cause ?? '';
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: unknown };
    if (typeof parsed?.errorMessage === 'string') {
      cause = parsed.errorMessage;
    }
  } catch {
    // Not JSON: keep it as it is.
  }
  return `training poller failed: ${[error?.Error ?? 'Error', cause].filter(Boolean).join(': ')}`;
}

/** 21600 → "6h", 5400 → "1h 30m", 90 → "1m 30s". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const parts = [[Math.floor(s / 3600), 'h'], [Math.floor((s % 3600) / 60), 'm'], [s % 60, 's']]
    .filter(([n]) => n !== 0)
    .map(([n, unit]) => `${n}${unit}`);
  return parts.length > 0 ? parts.join(' ') : '0s';
}

function truncate(text: string, max: number): string {
  const marker = ' ... (truncated)';
  return text.length <= max ? text : `${text.slice(0, max - marker.length)}${marker}`;
}

/** The handle URL without its query: the pre-signed signature does not belong in logs. */
function redact(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}
