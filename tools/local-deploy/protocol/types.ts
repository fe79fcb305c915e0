/**
 * Public types of the local deploy runner.
 */
import type { ResourceProvisioner } from './resources';
import type { TaskIntegration } from './services';

/** A clock the runner advances while simulated time passes (e.g. the Personalize simulator's clock). */
export interface ExternalClock {
  /** Move simulated time forward by `ms` milliseconds. */
  advance(ms: number): void | Promise<void>;
  /** Current simulated time in epoch milliseconds, if the clock has one. */
  now?(): number;
}

export interface LocalCloudFormationOptions {
  /** Region reported by AWS::Region and given to Lambda functions. Default us-east-1. */
  readonly region?: string;
  /** Account id reported by AWS::AccountId. Default 123456789012. */
  readonly accountId?: string;
  /** Extra environment variables for every Lambda invocation (they override the function's own). */
  readonly env?: Record<string, string>;
  /** Clock advanced whenever simulated time passes. */
  readonly clock?: ExternalClock;
  /**
   * Personalize endpoint for the native AWS::Personalize::* simulators and for the handlers
   * (as AWS_ENDPOINT_URL_PERSONALIZE). Defaults to env.AWS_ENDPOINT_URL_PERSONALIZE.
   */
  readonly personalizeEndpoint?: string;
  /** Receives every printed line. Default: process.stdout. */
  readonly log?: (line: string) => void;
  /** Print "waiting for ..." lines while simulated time passes. Default true. */
  readonly progress?: boolean;
  /** Print console output of Lambda invocations (prefixed by the function's logical id). Default false: captured only. */
  readonly printLambdaLogs?: boolean;
  /** Wall-clock guard for one Lambda invocation. Default 60 000 ms. */
  readonly invocationTimeoutMs?: number;
  /** Wall-clock quiet period before the runner jumps simulated time to the next timer. Default 5 ms. */
  readonly idleGraceMs?: number;
  /**
   * Step Functions Task resources other than Lambda, implemented locally, keyed by the exact
   * Resource string (e.g. an `arn:aws:states:::aws-sdk:...` integration).
   */
  readonly taskIntegrations?: Record<string, TaskIntegration>;
  /** Extra or replacement resource simulators, keyed by resource type. */
  readonly resourceHandlers?: Record<string, ResourceProvisioner>;
}

export type StackStatus =
  | 'CREATE_IN_PROGRESS' | 'CREATE_COMPLETE' | 'CREATE_FAILED'
  | 'ROLLBACK_IN_PROGRESS' | 'ROLLBACK_COMPLETE' | 'ROLLBACK_FAILED'
  | 'UPDATE_IN_PROGRESS' | 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS' | 'UPDATE_COMPLETE'
  | 'UPDATE_ROLLBACK_IN_PROGRESS' | 'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS'
  | 'UPDATE_ROLLBACK_COMPLETE' | 'UPDATE_ROLLBACK_FAILED'
  | 'DELETE_IN_PROGRESS' | 'DELETE_COMPLETE' | 'DELETE_FAILED';

export type ResourceStatus =
  | 'CREATE_IN_PROGRESS' | 'CREATE_COMPLETE' | 'CREATE_FAILED'
  | 'UPDATE_IN_PROGRESS' | 'UPDATE_COMPLETE' | 'UPDATE_FAILED'
  | 'DELETE_IN_PROGRESS' | 'DELETE_COMPLETE' | 'DELETE_FAILED' | 'DELETE_SKIPPED'
  // Not CloudFormation statuses: Step Functions executions started during the operation.
  | 'EXECUTION_STARTED' | 'EXECUTION_SUCCEEDED' | 'EXECUTION_FAILED' | 'EXECUTION_TIMED_OUT' | 'EXECUTION_ABORTED';

/** One entry of the stack's event log, shaped like CloudFormation's DescribeStackEvents. */
export interface StackEvent {
  readonly stackName: string;
  readonly logicalResourceId: string;
  readonly physicalResourceId?: string;
  readonly resourceType: string;
  readonly resourceStatus: StackStatus | ResourceStatus;
  readonly resourceStatusReason?: string;
  /** Construct path from the cloud assembly metadata (without the stack prefix), if known. */
  readonly constructPath?: string;
  /** Simulated time of the event (ISO 8601). */
  readonly timestamp: string;
}

export interface DeployResult {
  readonly stackName: string;
  readonly status: StackStatus;
  /** Output values by output key (empty after a rollback of a create). */
  readonly outputs: Record<string, string>;
  /** Events of this operation, oldest first. */
  readonly events: StackEvent[];
  /** Why the operation failed, if it did (the first failure). */
  readonly failureReason?: string;
  /** True when the assembly matched the deployed stack and nothing was done. */
  readonly noChanges?: boolean;
}

export interface DestroyResult {
  readonly stackName: string;
  readonly status: StackStatus;
  readonly events: StackEvent[];
}

export interface DeployOptions {
  /** Values for template parameters (others take their Default). */
  readonly parameters?: Record<string, string>;
}

/** One Lambda invocation, kept for assertions and debugging. */
export interface InvocationRecord {
  readonly stackName: string;
  readonly functionLogicalId: string;
  readonly event: unknown;
  readonly result?: unknown;
  readonly error?: { readonly errorType: string; readonly errorMessage: string };
  /** Console output of the invocation. */
  readonly logs: string[];
}

/** The part of aws-cdk-lib's cx_api.CloudAssembly the runner needs. */
export interface CloudAssemblyLike {
  readonly directory: string;
}
