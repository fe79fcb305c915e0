/**
 * What the resource simulators may use of the runner's services: narrow interfaces, so that a
 * simulator depends on this file and not on how a service is built.
 */

/** Simulated time. */
export interface Clock {
  /** Simulated epoch milliseconds. */
  now(): number;
}

/** The engine's tracked work of one resource: waiting on it lets simulated time pass. */
export interface Activity {
  /** Waits `ms` of simulated time; rejects when `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** Waits for something outside the runner's control without blocking simulated time. */
  wait<T>(promise: Promise<T>): Promise<T>;
}

/** Where a function's code comes from. */
export type FunctionCode =
  | { readonly kind: 'directory'; readonly directory: string }
  | { readonly kind: 'inline'; readonly source: string }
  | { readonly kind: 'unsupported'; readonly reason: string };

export interface FunctionConfig {
  readonly stackName: string;
  readonly logicalId: string;
  readonly functionName: string;
  readonly arn: string;
  readonly runtime: string;
  readonly handler: string;
  readonly code: FunctionCode;
  readonly environment: Record<string, string>;
  readonly timeoutSeconds: number;
  readonly memorySize: number;
}

/** An error as the Lambda runtime reports it. */
export interface LambdaError {
  readonly errorType: string;
  readonly errorMessage: string;
  readonly trace: string[];
}

export type InvokeOutcome =
  | { readonly ok: true; readonly payload: unknown }
  | { readonly ok: false; readonly error: LambdaError };

/** Deployed Lambda functions. */
export interface FunctionHost {
  register(config: FunctionConfig): void;
  unregister(arn: string): void;
  /** The function a name or ARN refers to. */
  find(reference: string): { readonly config: FunctionConfig } | undefined;
  invoke(reference: string, event: unknown): Promise<InvokeOutcome>;
}

export interface StateMachineRecord {
  readonly stackName: string;
  readonly logicalId: string;
  readonly arn: string;
  readonly name: string;
  readonly definition: Record<string, any>;
}

/** A Task resource implemented locally: receives the task's effective input, returns its result. */
export type TaskIntegration = (input: any) => Promise<unknown>;

/** Deployed state machines. */
export interface StateMachineHost {
  register(record: StateMachineRecord): void;
  /** Stops the machine's executions, then forgets it. */
  unregister(arn: string): Promise<void>;
  find(arn: string): StateMachineRecord | undefined;
}

/** AWS::CloudFormation::WaitConditionHandle URLs and what is signalled to them. */
export interface WaitConditionHandles {
  createHandle(baseUrl: string, stackId: string, logicalId: string): string;
  deleteHandle(url: string): void;
  /** The signals' data by UniqueId once `count` succeeded; rejects with WaitConditionFailed. */
  waitFor(handleUrl: string, count: number, timeoutSeconds: number, activity: Activity, cancelled?: AbortSignal): Promise<Record<string, string>>;
}

/** SignalResource for resources with a CreationPolicy. */
export interface ResourceSignalWaiter {
  /** Resolves once `count` SUCCESS signals arrived; rejects with SignalsNotReceived. */
  await(stackId: string, logicalId: string, count: number, timeoutSeconds: number, activity: Activity, cancelled?: AbortSignal): Promise<void>;
}

/** The runner's HTTP endpoint (wait condition handles, custom resource responses). */
export interface Endpoint {
  readonly url: string;
}

/** Responses custom resources PUT to their ResponseURL. */
export interface ResponseInbox {
  urlFor(baseUrl: string, requestId: string): string;
  /** The response body if it arrived within `graceMs` of wall time. */
  take(requestId: string, graceMs: number): Promise<string | undefined>;
}

/** What a simulator may read of the stack's cloud assembly. */
export interface AssemblyView {
  readonly directory: string;
  /** Asset object key to its local path. */
  readonly assets: Map<string, string>;
}
