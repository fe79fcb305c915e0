/**
 * Step Functions: deployed state machines, executions run with aws-local-stepfunctions, and the
 * StartExecution / DescribeExecution / StopExecution API the handlers call.
 *
 * Each definition is rewritten before it runs:
 * - Lambda tasks (function ARNs, or `arn:aws:states:::lambda:invoke` with Parameters.FunctionName)
 *   call the local functions;
 * - Wait states become local tasks that sleep in simulated time (0 wall time);
 * - Retry intervals are slept in simulated time as well, and the top-level TimeoutSeconds is
 *   measured in simulated time.
 */
import { createRequire } from 'module';
import type * as LocalStepFunctionsModule from 'aws-local-stepfunctions' with { 'resolution-mode': 'import' };
import type { Activity, SimClock } from './clock';
import type { LambdaRuntime } from './lambda-runtime';
import type { LambdaError, StateMachineRecord, TaskIntegration } from '../protocol/services';

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

export interface ExecutionSummary {
  readonly executionArn: string;
  readonly stateMachineArn: string;
  readonly name: string;
  readonly status: ExecutionStatus;
  readonly input: string;
  readonly output?: string;
  readonly error?: string;
  readonly cause?: string;
  /** Simulated epoch ms. */
  readonly startDate: number;
  readonly stopDate?: number;
}

interface Execution extends ExecutionSummary {
  status: ExecutionStatus;
  output?: string;
  error?: string;
  cause?: string;
  stopDate?: number;
  readonly machine: StateMachineRecord;
  readonly controller: AbortController;
  settled: Promise<void>;
}

export interface StepFunctionsOptions {
  readonly clock: SimClock;
  readonly lambda: LambdaRuntime;
  readonly region: string;
  readonly accountId: string;
  /** Local implementations of other Task resources (e.g. `arn:aws:states:::aws-sdk:personalize:describeSolution`), by exact Resource. */
  readonly integrations?: Record<string, TaskIntegration>;
  /** Reports execution starts and ends (the engine turns them into stack events). */
  readonly onExecution: (machine: StateMachineRecord, execution: ExecutionSummary) => void;
}

/** Error shape of the awsJson1_0 protocol. */
class ApiError extends Error {
  constructor(readonly type: string, message: string) {
    super(message);
  }
}

// aws-local-stepfunctions needs Promise.withResolvers, which Node 20 lacks.
if (typeof (Promise as any).withResolvers !== 'function') {
  (Promise as any).withResolvers = () => {
    let resolve!: (value: unknown) => void;
    let reject!: (reason?: unknown) => void;
    const promise = new Promise((res, rej) => { resolve = res; reject = rej; });
    return { promise, resolve, reject };
  };
}

// The package is ESM-typed but ships a CommonJS build, which this (CommonJS) file loads.
const { StateMachine } = createRequire(__filename)('aws-local-stepfunctions') as typeof LocalStepFunctionsModule;

const LOCAL_WAIT_RESOURCE = 'arn:aws:states:::local:wait';
const LAMBDA_INVOKE = /^arn:[^:]+:states:::lambda:invoke$/;
const LAMBDA_ARN = /^arn:[^:]+:lambda:[^:]*:[^:]*:function:/;
/** aws-local-stepfunctions times tasks in wall time; a local wait must never hit that limit. */
const LOCAL_TASK_TIMEOUT_SECONDS = 2_000_000;

export class LocalStepFunctions {
  private readonly machines = new Map<string, StateMachineRecord>();
  private readonly executions = new Map<string, Execution>();
  private counter = 0;

  constructor(private readonly options: StepFunctionsOptions) {}

  public register(record: StateMachineRecord): void {
    this.machines.set(record.arn, record);
  }

  /** Removes a state machine and stops its running executions. */
  public async unregister(arn: string): Promise<void> {
    this.machines.delete(arn);
    await Promise.all([...this.executions.values()].filter(e => e.stateMachineArn === arn).map(e => this.stop(e, 'States.Aborted', 'State machine deleted')));
  }

  public find(arn: string): StateMachineRecord | undefined {
    return this.machines.get(arn);
  }

  public list(): ExecutionSummary[] {
    return [...this.executions.values()].map(summary);
  }

  public async stopAll(): Promise<void> {
    await Promise.all([...this.executions.values()].map(e => this.stop(e, 'States.Aborted', 'Runner closed')));
  }

  /** Serves one API call (awsJson1_0). */
  public async handle(operation: string, body: any): Promise<{ status: number; body: unknown }> {
    try {
      switch (operation) {
        case 'StartExecution': return { status: 200, body: this.startExecution(body) };
        case 'DescribeExecution': return { status: 200, body: this.describe(body.executionArn) };
        case 'StopExecution': {
          const execution = this.get(body.executionArn);
          await this.stop(execution, body.error, body.cause);
          return { status: 200, body: { stopDate: execution.stopDate! / 1000 } };
        }
        default: throw new ApiError('UnknownOperationException', `Operation ${operation} is not supported by the local runner`);
      }
    } catch (e) {
      if (e instanceof ApiError) return { status: 400, body: { __type: e.type, message: e.message } };
      throw e;
    }
  }

  /** Starts an execution in the background. */
  public startExecution(request: { stateMachineArn?: string; name?: string; input?: string }): { executionArn: string; startDate: number } {
    const machine = this.machines.get(String(request.stateMachineArn));
    if (!machine) throw new ApiError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${request.stateMachineArn}'`);
    const name = request.name ?? `local-${String(++this.counter).padStart(6, '0')}`;
    const executionArn = `${machine.arn.replace(':stateMachine:', ':execution:')}:${name}`;
    const input = request.input ?? '{}';
    const existing = this.executions.get(executionArn);
    if (existing) {
      if (existing.input !== input) throw new ApiError('ExecutionAlreadyExists', `Execution Already Exists: '${executionArn}'`);
      return { executionArn, startDate: existing.startDate / 1000 };
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(input);
    } catch {
      throw new ApiError('InvalidExecutionInput', 'Invalid execution input: not JSON');
    }
    const execution: Execution = {
      executionArn,
      stateMachineArn: machine.arn,
      name,
      input,
      machine,
      status: 'RUNNING',
      startDate: this.options.clock.now(),
      controller: new AbortController(),
      settled: Promise.resolve(),
    };
    this.executions.set(executionArn, execution);
    this.options.onExecution(machine, summary(execution));
    execution.settled = this.run(execution, parsed);
    return { executionArn, startDate: execution.startDate / 1000 };
  }

  private get(arn: unknown): Execution {
    const execution = this.executions.get(String(arn));
    if (!execution) throw new ApiError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
    return execution;
  }

  private describe(arn: unknown): Record<string, unknown> {
    const e = this.get(arn);
    return {
      executionArn: e.executionArn,
      stateMachineArn: e.stateMachineArn,
      name: e.name,
      status: e.status,
      startDate: e.startDate / 1000,
      stopDate: e.stopDate === undefined ? undefined : e.stopDate / 1000,
      input: e.input,
      output: e.output,
      error: e.error,
      cause: e.cause,
    };
  }

  private async stop(execution: Execution, error?: string, cause?: string): Promise<void> {
    if (execution.status !== 'RUNNING') return;
    execution.error = error;
    execution.cause = cause;
    execution.controller.abort();
    await execution.settled;
  }

  private async run(execution: Execution, input: unknown): Promise<void> {
    const activity = this.options.clock.begin();
    const signal = execution.controller.signal;
    const { definition, handlers, retryOverrides } = this.prepare(execution.machine.definition, activity, signal);
    let timedOut = false;
    const cancelTimeout = typeof definition.TimeoutSeconds === 'number'
      ? this.options.clock.schedule(definition.TimeoutSeconds * 1000, () => { timedOut = true; execution.controller.abort(); })
      : () => {};
    delete definition.TimeoutSeconds;
    try {
      const machine = new StateMachine(definition as any, { validationOptions: { checkArn: false, checkPaths: false } });
      const run = machine.run(input as any, {
        overrides: { taskResourceLocalHandlers: handlers, retryIntervalOverrides: retryOverrides },
        context: {
          Execution: { Id: execution.executionArn, Name: execution.name },
          StateMachine: { Id: execution.machine.arn, Name: execution.machine.name },
        },
      });
      signal.addEventListener('abort', () => run.abort(), { once: true });
      const output = await run.result;
      this.finish(execution, 'SUCCEEDED', { output: JSON.stringify(output) });
    } catch (e) {
      if (timedOut) {
        this.finish(execution, 'TIMED_OUT', { error: 'States.Timeout', cause: 'Execution timed out (simulated time)' });
      } else if (signal.aborted) {
        this.finish(execution, 'ABORTED', { error: execution.error, cause: execution.cause });
      } else {
        const cause = (e as { cause?: { name?: string; message?: string } }).cause;
        this.finish(execution, 'FAILED', { error: cause?.name ?? 'States.Runtime', cause: cause?.message ?? (e as Error).message });
      }
    } finally {
      cancelTimeout();
      activity.end();
    }
  }

  private finish(execution: Execution, status: ExecutionStatus, fields: { output?: string; error?: string; cause?: string }): void {
    Object.assign(execution, fields, { status, stopDate: this.options.clock.now() });
    this.options.onExecution(execution.machine, summary(execution));
  }

  /** Clones the definition, binding tasks and waits to local handlers (see the file comment). */
  private prepare(source: Record<string, any>, activity: Activity, signal: AbortSignal) {
    const definition = JSON.parse(JSON.stringify(source)) as Record<string, any>;
    const handlers: Record<string, (input: any) => Promise<any>> = {};
    const retryOverrides: Record<string, number> = {};
    const visit = (graph: Record<string, any>) => {
      for (const [name, state] of Object.entries<Record<string, any>>(graph.States ?? {})) {
        if (state.Type === 'Wait') {
          const wait = { ...state };
          for (const key of ['Seconds', 'SecondsPath', 'Timestamp', 'TimestampPath', 'Comment']) delete state[key];
          Object.assign(state, { Type: 'Task', Resource: LOCAL_WAIT_RESOURCE, TimeoutSeconds: LOCAL_TASK_TIMEOUT_SECONDS });
          handlers[name] = async input => {
            await activity.sleep(this.waitMs(wait, input, name), signal);
            return input;
          };
        } else if (state.Type === 'Task') {
          const invoke = this.taskInvoker(name, state);
          if (state.Retry) retryOverrides[name] = 0;
          handlers[name] = withSimulatedRetries(state, invoke, activity, signal);
        }
        for (const branch of state.Branches ?? []) visit(branch);
        if (state.Iterator) visit(state.Iterator);
        if (state.ItemProcessor) visit(state.ItemProcessor);
      }
    };
    visit(definition);
    return { definition, handlers, retryOverrides };
  }

  private waitMs(state: Record<string, any>, input: unknown, name: string): number {
    if (typeof state.Seconds === 'number') return state.Seconds * 1000;
    if (state.SecondsPath) {
      // Step Functions fails the execution unless the path holds a non-negative integer.
      const seconds = jsonPath(input, state.SecondsPath, name);
      if (typeof seconds !== 'number' || !Number.isInteger(seconds) || seconds < 0) {
        throw namedError('States.Runtime', `Wait state ${name}: SecondsPath ${state.SecondsPath} must be a non-negative integer, got ${JSON.stringify(seconds)}`);
      }
      return seconds * 1000;
    }
    const timestamp = state.Timestamp ?? (state.TimestampPath ? jsonPath(input, state.TimestampPath, name) : undefined);
    if (timestamp !== undefined) return Math.max(0, Date.parse(String(timestamp)) - this.options.clock.now());
    return 0;
  }

  /** The local implementation of one Task state's Resource. */
  private taskInvoker(name: string, state: Record<string, any>): (input: any) => Promise<unknown> {
    const resource = String(state.Resource);
    const invoke = async (functionName: string, payload: unknown) => {
      const outcome = await this.options.lambda.invoke(functionName, payload);
      if (!outcome.ok) throw taskError(outcome.error);
      return outcome.payload;
    };
    if (LAMBDA_ARN.test(resource)) {
      return input => invoke(resource, input);
    }
    if (LAMBDA_INVOKE.test(resource)) {
      return async input => {
        const payload = await invoke(String(input?.FunctionName), input?.Payload ?? {});
        return {
          ExecutedVersion: '$LATEST',
          Payload: payload,
          StatusCode: 200,
          SdkHttpMetadata: { HttpStatusCode: 200 },
          SdkResponseMetadata: { RequestId: 'local' },
        };
      };
    }
    const integration = this.options.integrations?.[resource];
    if (integration) return integration;
    return async () => {
      throw namedError('States.Runtime', `Task ${name}: resource ${resource} is not supported by the local runner`);
    };
  }
}

/**
 * Sleeps a retrier's interval in simulated time before the error reaches aws-local-stepfunctions,
 * whose own retry pause is overridden to 0. Mirrors its retrier matching and attempt counting.
 */
function withSimulatedRetries(
  state: Record<string, any>, invoke: (input: any) => Promise<unknown>, activity: Activity, signal: AbortSignal,
): (input: any) => Promise<any> {
  const retriers: Array<Record<string, any>> = state.Retry ?? [];
  let attempts = retriers.map(() => 0);
  let retrying = false;
  return async input => {
    if (!retrying) attempts = retriers.map(() => 0);
    retrying = false;
    try {
      return await invoke(input);
    } catch (e) {
      const errorName = (e as Error).name;
      const i = retriers.findIndex(r => (r.ErrorEquals as string[]).some(x => x === errorName || x === 'States.ALL' || x === 'States.TaskFailed'));
      const retrier = retriers[i];
      if (retrier && attempts[i] < (retrier.MaxAttempts ?? 3)) {
        const seconds = (retrier.IntervalSeconds ?? 1) * Math.pow(retrier.BackoffRate ?? 2, attempts[i]);
        attempts[i]++;
        retrying = true;
        await activity.sleep(Math.min(seconds, retrier.MaxDelaySeconds ?? Infinity) * 1000, signal);
      }
      throw e;
    }
  };
}

/** A Lambda error as Step Functions reports it: Error = errorType, Cause = the JSON error. */
function taskError(error: LambdaError): Error {
  return namedError(error.errorType, JSON.stringify({ errorType: error.errorType, errorMessage: error.errorMessage }));
}

function namedError(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

function summary(e: Execution): ExecutionSummary {
  const { executionArn, stateMachineArn, name, status, input, output, error, cause, startDate, stopDate } = e;
  return { executionArn, stateMachineArn, name, status, input, output, error, cause, startDate, stopDate };
}

/** Reads `$`, `$.a.b`, `$.a[0]`, `$['a']` paths. */
function jsonPath(input: unknown, expression: string, state: string): unknown {
  if (!expression.startsWith('$') || expression.startsWith('$$')) {
    throw namedError('States.Runtime', `Wait state ${state}: path ${expression} is not supported by the local runner`);
  }
  const tokens = expression.slice(1).match(/\.[^.[]+|\[\d+\]|\['[^']*'\]/g) ?? [];
  return tokens.reduce<any>((value, token) => {
    const key = token.startsWith('.') ? token.slice(1) : token.startsWith("['") ? token.slice(2, -2) : Number(token.slice(1, -1));
    return value?.[key];
  }, input);
}
