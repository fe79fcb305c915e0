/**
 * The contract between the engine and the per-type resource simulators.
 */
import type {
  Activity, AssemblyView, Clock, Endpoint, FunctionHost, ResourceSignalWaiter, ResponseInbox, StateMachineHost, WaitConditionHandles,
} from './services';

/** A deployed resource as the engine keeps it. */
export interface ResourceInstance {
  readonly logicalId: string;
  readonly type: string;
  readonly physicalId: string;
  /** Resolved properties it was created or last updated with. */
  readonly properties: Record<string, unknown>;
  /** Fn::GetAtt values. */
  readonly attributes: Record<string, unknown>;
  /** Value of Ref when it differs from the physical id. */
  readonly ref?: string;
  /** Service label when the resource is only recorded, not simulated (e.g. 'IAM'). */
  readonly recorded?: string;
}

export interface ResourceResult {
  readonly physicalId: string;
  readonly attributes?: Record<string, unknown>;
  readonly ref?: string;
  readonly recorded?: string;
}

/** A wait condition failed, timed out or was cancelled (the message is CloudFormation's). */
export class WaitConditionFailed extends Error {}

/** A CreationPolicy's signals did not arrive, or one was FAILURE (the message is CloudFormation's). */
export class SignalsNotReceived extends Error {}

/** Failure of a resource operation; `physicalId` is kept when the resource exists anyway (custom resources). */
export class ResourceFailure extends Error {
  constructor(message: string, readonly physicalId?: string) {
    super(message);
    this.name = 'ResourceFailure';
  }
}

/** Runner-wide services the simulators use. */
export interface RunnerServices {
  readonly clock: Clock;
  readonly lambda: FunctionHost;
  readonly stepFunctions: StateMachineHost;
  readonly waitConditions: WaitConditionHandles;
  /** SignalResource for resources with a CreationPolicy. */
  readonly signals: ResourceSignalWaiter;
  readonly endpoint: Endpoint;
  readonly responses: ResponseInbox;
  readonly personalizeEndpoint?: string;
  /** A fresh, deterministic CloudFormation request id. */
  nextRequestId(): string;
}

/** What the stack's pseudo parameters report. */
export interface StackIdentity {
  readonly stackName: string;
  readonly stackId: string;
  readonly region: string;
  readonly accountId: string;
  readonly partition: string;
  readonly urlSuffix: string;
}

export interface ResourceContext extends StackIdentity {
  readonly logicalId: string;
  readonly type: string;
  /** The resource's CreationPolicy attribute, if it has one. */
  readonly creationPolicy?: Record<string, any>;
  readonly assembly: AssemblyView;
  readonly services: RunnerServices;
  /** The engine's activity: sleep or wait on it so that simulated time can pass. */
  readonly activity: Activity;
  /** Aborted when another resource of the operation failed: long waits give up ("Resource creation cancelled"). */
  readonly cancelled?: AbortSignal;
  /** Deterministic generated name, `<stack>-<logicalId>-<SUFFIX>`, new for each replacement. */
  physicalName(options?: { maxLength?: number; lowerCase?: boolean }): string;
  /** Prints "waiting for <label> ... <simulated time>" lines until the returned function is called. */
  progress(label: string): () => void;
}

/** Simulator of one resource type. */
export interface ResourceProvisioner {
  create(ctx: ResourceContext, properties: Record<string, unknown>): Promise<ResourceResult>;
  /**
   * In-place update. Returning a different physical id makes it a replacement: the engine deletes the
   * old physical resource during cleanup. Without `update`, every change is a replacement.
   */
  update?(ctx: ResourceContext, current: ResourceInstance, properties: Record<string, unknown>): Promise<ResourceResult>;
  /**
   * Whether a change from `old` to `properties` requires replacement (a property CloudFormation
   * documents as such). The engine then creates the new resource itself, as CloudFormation does, so
   * a failed replacement leaves the old one in place and the rollback calls nothing.
   */
  replaces?(old: Record<string, unknown>, properties: Record<string, unknown>): boolean;
  delete(ctx: ResourceContext, current: ResourceInstance): Promise<void>;
  /** CloudFormation's message for an unknown Fn::GetAtt attribute. */
  attributeError?(instance: ResourceInstance, attribute: string, stackId: string): string;
}
