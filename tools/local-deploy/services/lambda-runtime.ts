/**
 * Runs Lambda functions of the deployed stacks in-process, one invocation at a time.
 */
import * as fs from 'fs';
import * as path from 'path';
import { CFN_RESPONSE_SOURCE } from './cfn-response-shim';
import type { SimClock } from './clock';
import { compileModule, hostConsole, hostProcess, runtimeModulePaths, simulatedDate } from './host-realm';
import type { FunctionConfig, InvokeOutcome, LambdaError } from '../protocol/services';
import type { InvocationRecord } from '../protocol/types';

export interface LambdaRuntimeOptions {
  readonly clock: SimClock;
  /** Variables every invocation gets on top of the function's own (endpoints, region, ...). */
  readonly runnerEnv: () => Record<string, string>;
  readonly region: string;
  readonly tempDir: () => string;
  readonly invocationTimeoutMs: number;
  readonly printLog?: (line: string) => void;
}

const CONSOLE_METHODS = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;

/** A deployed function: its configuration and, once invoked, its loaded module. */
export class LocalFunction {
  private module: any;

  /** `now`: simulated epoch ms, what the function's `Date` reads (wall time when absent). */
  constructor(public readonly config: FunctionConfig, private readonly tempDir: () => string, private readonly now?: () => number) {}

  /** Loads the handler function (cold start). Throws a LambdaError-shaped error. */
  public handler(): (...args: any[]) => unknown {
    const { code, handler, runtime } = this.config;
    if (!runtime.startsWith('nodejs')) throw lambdaError('Runtime.InvalidRuntime', `Runtime ${runtime} is not supported by the local runner`);
    if (code.kind === 'unsupported') throw lambdaError('Runtime.ImportModuleError', code.reason);
    const slash = handler.lastIndexOf('/');
    const dot = handler.indexOf('.', slash + 1);
    if (dot < 0) throw lambdaError('Runtime.MalformedHandlerName', `Bad handler ${handler}`);
    const modulePath = handler.slice(0, dot);
    const exportPath = handler.slice(dot + 1).split('.');
    if (this.module === undefined) {
      const root = code.kind === 'directory' ? code.directory : this.writeInline(code.source);
      const file = ['.js', '.cjs', '/index.js'].map(ext => path.join(root, modulePath + ext)).find(f => fs.existsSync(f));
      if (!file) {
        const esm = fs.existsSync(path.join(root, modulePath + '.mjs'));
        throw lambdaError('Runtime.ImportModuleError', esm
          ? `Error: ${modulePath}.mjs is an ES module, which the local runner cannot load`
          : `Error: Cannot find module '${modulePath}' in ${root}`);
      }
      try {
        const globals = this.now ? { Date: simulatedDate(this.now) } : {};
        this.module = compileModule(file, fs.readFileSync(file, 'utf8'), runtimeModulePaths(), globals);
      } catch (e) {
        throw lambdaError('Runtime.ImportModuleError', errorInfo(e).errorMessage);
      }
    }
    const fn = exportPath.reduce((obj, key) => obj?.[key], this.module);
    if (typeof fn !== 'function') throw lambdaError('Runtime.HandlerNotFound', `${handler} is undefined or not exported`);
    return fn;
  }

  private writeInline(source: string): string {
    const dir = fs.mkdtempSync(path.join(this.tempDir(), `${this.config.logicalId}-`));
    fs.writeFileSync(path.join(dir, 'index.js'), source);
    fs.mkdirSync(path.join(dir, 'node_modules', 'cfn-response'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'node_modules', 'cfn-response', 'index.js'), CFN_RESPONSE_SOURCE);
    return dir;
  }
}

/** The registry of functions and the invoker. */
export class LambdaRuntime {
  public readonly invocations: InvocationRecord[] = [];
  private readonly functions = new Map<string, LocalFunction>();
  private queue: Promise<unknown> = Promise.resolve();
  private requestCounter = 0;
  private readonly throttles: Array<{ match: string; from: number; until: number }> = [];

  constructor(private readonly options: LambdaRuntimeOptions) {}

  /** Adds or replaces (fresh module) a function. */
  public register(config: FunctionConfig): void {
    this.functions.set(config.arn, new LocalFunction(config, this.options.tempDir, () => this.options.clock.now()));
  }

  public unregister(arn: string): void {
    this.functions.delete(arn);
  }

  /** Finds a function by ARN (qualifiers ignored), partial ARN or name. */
  public find(reference: string): LocalFunction | undefined {
    const match = /^(?:arn:[^:]+:lambda:[^:]*:[^:]*:function:)?([^:]+)(?::[^:]+)?$/.exec(reference);
    const name = match?.[1];
    for (const fn of this.functions.values()) {
      if (fn.config.arn === reference || fn.config.functionName === name) return fn;
    }
    return undefined;
  }

  /**
   * Throttles every invocation of functions whose logical id contains `match` for `durationMs` of
   * simulated time from `startMs` (default now): they fail with Lambda's TooManyRequestsException
   * (as Step Functions sees it, `Lambda.TooManyRequestsException`) without running.
   */
  public throttle(match: string, durationMs: number, startMs = this.options.clock.now()): void {
    this.throttles.push({ match, from: startMs, until: startMs + durationMs });
  }

  /** Invokes a function and waits for its result. Invocations never overlap. */
  public async invoke(reference: string, event: unknown): Promise<InvokeOutcome> {
    const fn = this.find(reference);
    if (!fn) {
      return { ok: false, error: lambdaError('ResourceNotFoundException', `Function not found: ${reference}`) };
    }
    const now = this.options.clock.now();
    if (this.throttles.some(t => fn.config.logicalId.includes(t.match) && now >= t.from && now < t.until)) {
      this.invocations.push({ stackName: fn.config.stackName, functionLogicalId: fn.config.logicalId, event, error: { errorType: 'Lambda.TooManyRequestsException', errorMessage: 'Rate Exceeded.' }, logs: [] });
      return { ok: false, error: lambdaError('Lambda.TooManyRequestsException', 'Rate Exceeded.') };
    }
    const activity = this.options.clock.begin();
    const run = this.queue.then(() => this.invokeNow(fn, event));
    this.queue = run.catch(() => undefined);
    try {
      return await run;
    } finally {
      activity.end();
    }
  }

  private async invokeNow(fn: LocalFunction, event: unknown): Promise<InvokeOutcome> {
    const { config } = fn;
    const logs: string[] = [];
    const requestId = `${(++this.requestCounter).toString(16).padStart(8, '0')}-0000-4000-8000-000000000000`;
    const restoreEnv = applyEnv(this.environmentFor(config));
    const restoreConsole = captureConsole(line => {
      logs.push(line);
      this.options.printLog?.(`  [${config.logicalId}] ${line}`);
    });
    let outcome: InvokeOutcome;
    try {
      const handler = fn.handler();
      const payload = await this.callHandler(handler, clone(event), config, requestId);
      outcome = { ok: true, payload: clone(payload) ?? null };
    } catch (e) {
      outcome = { ok: false, error: errorInfo(e) };
    } finally {
      restoreConsole();
      restoreEnv();
    }
    this.invocations.push({
      stackName: config.stackName,
      functionLogicalId: config.logicalId,
      event,
      ...(outcome.ok ? { result: outcome.payload } : { error: { errorType: outcome.error.errorType, errorMessage: outcome.error.errorMessage } }),
      logs,
    });
    return outcome;
  }

  /** Supports async handlers, callback handlers and the legacy context.done/succeed/fail. */
  private callHandler(handler: (...args: any[]) => unknown, event: unknown, config: FunctionConfig, requestId: string): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(lambdaError('Sandbox.Timedout', `Task timed out after ${this.options.invocationTimeoutMs / 1000} seconds (wall-clock guard of the local runner)`)),
        this.options.invocationTimeoutMs,
      );
      const finish = (error: unknown, result?: unknown) => {
        clearTimeout(timer);
        if (error !== undefined && error !== null) reject(error);
        else resolve(result);
      };
      const context = {
        functionName: config.functionName,
        functionVersion: '$LATEST',
        invokedFunctionArn: config.arn,
        memoryLimitInMB: String(config.memorySize),
        awsRequestId: requestId,
        logGroupName: `/aws/lambda/${config.functionName}`,
        logStreamName: `local/[$LATEST]${requestId.replace(/-/g, '')}`,
        callbackWaitsForEmptyEventLoop: true,
        getRemainingTimeInMillis: () => config.timeoutSeconds * 1000,
        done: (error?: unknown, result?: unknown) => finish(error, result),
        succeed: (result?: unknown) => finish(undefined, result),
        fail: (error?: unknown) => finish(error ?? new Error('failed')),
      };
      try {
        const returned = handler(event, context, (error: unknown, result: unknown) => finish(error, result));
        if (returned && typeof (returned as Promise<unknown>).then === 'function') {
          (returned as Promise<unknown>).then(result => finish(undefined, result), error => finish(error ?? new Error('rejected')));
        } else if (handler.length < 3) {
          finish(undefined, returned);
        }
      } catch (e) {
        finish(e);
      }
    });
  }

  private environmentFor(config: FunctionConfig): Record<string, string> {
    const region = this.options.region;
    return {
      ...config.environment,
      ...this.options.runnerEnv(),
      AWS_REGION: region,
      AWS_DEFAULT_REGION: region,
      AWS_ACCESS_KEY_ID: 'LOCALDEPLOYACCESSKEY',
      AWS_SECRET_ACCESS_KEY: 'local-deploy-secret',
      AWS_SESSION_TOKEN: 'local-deploy-session',
      AWS_LAMBDA_FUNCTION_NAME: config.functionName,
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(config.memorySize),
      AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${config.functionName}`,
      AWS_EXECUTION_ENV: `AWS_Lambda_${config.runtime}`,
      LAMBDA_TASK_ROOT: config.code.kind === 'directory' ? config.code.directory : '',
    };
  }
}

/** Sets variables on the host process; the returned function puts the previous values back. */
function applyEnv(vars: Record<string, string>): () => void {
  const env = hostProcess.env;
  const previous = new Map<string, string | undefined>();
  for (const [key, value] of Object.entries(vars)) {
    previous.set(key, env[key]);
    env[key] = value;
  }
  return () => {
    for (const [key, value] of previous) {
      if (value === undefined) delete env[key];
      else env[key] = value;
    }
  };
}

function captureConsole(sink: (line: string) => void): () => void {
  const target = hostConsole as unknown as Record<string, unknown>;
  const saved = CONSOLE_METHODS.map(m => [m, target[m]] as const);
  for (const m of CONSOLE_METHODS) {
    target[m] = (...args: unknown[]) => sink(args.map(a => typeof a === 'string' ? a : safeStringify(a)).join(' '));
  }
  // Lambda sends standard output to the log group too (unprefixed, e.g. embedded metric format records).
  const stdout = hostProcess.stdout as unknown as { write: unknown };
  const write = stdout.write;
  stdout.write = (chunk: unknown, ...rest: unknown[]) => {
    for (const line of String(chunk).split('\n').filter(l => l !== '')) sink(line);
    const done = rest.find(r => typeof r === 'function') as (() => void) | undefined;
    done?.();
    return true;
  };
  return () => {
    for (const [m, original] of saved) target[m] = original;
    stdout.write = write;
  };
}

function safeStringify(value: unknown): string {
  if (value !== null && typeof value === 'object' && 'message' in value && 'stack' in value) return String((value as Error).stack);
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

function clone(value: unknown): unknown {
  return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
}

function lambdaError(errorType: string, errorMessage: string): LambdaError {
  return { errorType, errorMessage, trace: [] };
}

/** Normalizes anything thrown (possibly from another realm, so no instanceof) to a LambdaError. */
export function errorInfo(e: unknown): LambdaError {
  if (e !== null && typeof e === 'object') {
    const o = e as Record<string, unknown>;
    if (typeof o.errorType === 'string' && typeof o.errorMessage === 'string') {
      return { errorType: o.errorType, errorMessage: o.errorMessage, trace: Array.isArray(o.trace) ? o.trace.map(String) : [] };
    }
    const message = typeof o.message === 'string' ? o.message : JSON.stringify(e);
    const type = typeof o.name === 'string' && o.name ? o.name : 'Error';
    return { errorType: type, errorMessage: message, trace: typeof o.stack === 'string' ? o.stack.split('\n') : [] };
  }
  return { errorType: 'Error', errorMessage: String(e), trace: [] };
}
