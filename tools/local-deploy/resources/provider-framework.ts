/**
 * Emulation of aws-cdk-lib/custom-resources Provider (the "provider framework").
 *
 * The framework's onEvent function is recognised by its USER_ON_EVENT_FUNCTION_ARN variable. Instead
 * of running the framework's code (which calls Lambda and Step Functions), the runner does what it
 * does: invoke the user's onEvent, fill in the default PhysicalResourceId, then poll the user's
 * isComplete at the waiter state machine's interval (in simulated time) until it reports
 * IsComplete or the retries run out.
 */
import { MAX_RESPONSE_BYTES, type CustomResourceRequest, type CustomResourceResponse } from '../protocol/custom-resource';
import type { ResourceContext } from '../protocol/resources';
import { ResourceFailure } from '../protocol/resources';
import type { FunctionConfig } from '../protocol/services';

type HostedFunction = { readonly config: FunctionConfig };

const USER_ON_EVENT = 'USER_ON_EVENT_FUNCTION_ARN';
const USER_IS_COMPLETE = 'USER_IS_COMPLETE_FUNCTION_ARN';
const WAITER_STATE_MACHINE = 'WAITER_STATE_MACHINE_ARN';
/** The framework answers a failed Create with this id and ignores the Delete that follows. */
export const CREATE_FAILED_MARKER = 'AWSCDK::CustomResourceProviderFramework::CREATE_FAILED';

/** Waiter retry settings (Provider queryInterval / totalTimeout); used when the waiter can't be read. */
export interface WaiterSettings {
  readonly intervalSeconds: number;
  readonly maxAttempts: number;
  readonly backoffRate: number;
}
const FALLBACK_WAITER: WaiterSettings = { intervalSeconds: 10, maxAttempts: 180, backoffRate: 1 };

export function isProviderFramework(fn: HostedFunction): boolean {
  return typeof fn.config.environment[USER_ON_EVENT] === 'string';
}

export async function sendThroughProvider(
  ctx: ResourceContext, framework: HostedFunction, request: CustomResourceRequest,
): Promise<CustomResourceResponse> {
  const env = framework.config.environment;
  if (request.RequestType === 'Delete' && request.PhysicalResourceId === CREATE_FAILED_MARKER) {
    return { Status: 'SUCCESS', PhysicalResourceId: CREATE_FAILED_MARKER };
  }
  // A failed Create without an id gets the marker, so that the rollback's Delete is ignored.
  const failed = (reason: string, physicalId = request.PhysicalResourceId): never => {
    throw new ResourceFailure(reason, physicalId ?? (request.RequestType === 'Create' ? CREATE_FAILED_MARKER : undefined));
  };

  const onEvent = await invokeUser(ctx, env[USER_ON_EVENT], request).catch((e: Error) => failed(e.message));
  const result = (onEvent ?? {}) as Record<string, any>;
  const physicalId: string = result.PhysicalResourceId || (request.RequestType === 'Create' ? request.RequestId : request.PhysicalResourceId);
  if (request.RequestType === 'Delete' && physicalId !== request.PhysicalResourceId) {
    failed(`DELETE: cannot change the physical resource ID from "${request.PhysicalResourceId}" to "${result.PhysicalResourceId}" during deletion`);
  }
  let event: Record<string, any> = { ...request, ...result, PhysicalResourceId: physicalId };

  const isCompleteArn = env[USER_IS_COMPLETE];
  if (isCompleteArn) {
    const waiter = waiterSettings(ctx, env[WAITER_STATE_MACHINE]);
    const stopProgress = ctx.progress(`${ctx.logicalId} (isComplete)`);
    try {
      event = await pollIsComplete(ctx, isCompleteArn, event, waiter, reason => failed(reason, event.PhysicalResourceId));
    } finally {
      stopProgress();
    }
  }

  const response: CustomResourceResponse = {
    Status: 'SUCCESS',
    PhysicalResourceId: event.PhysicalResourceId,
    Data: event.Data,
    NoEcho: event.NoEcho,
  };
  const size = Buffer.byteLength(JSON.stringify({ ...response, Reason: 'SUCCESS', StackId: request.StackId, RequestId: request.RequestId, LogicalResourceId: request.LogicalResourceId }));
  if (size > MAX_RESPONSE_BYTES) failed('Response object is too long.', event.PhysicalResourceId);
  return response;
}

/** First isComplete call right away, then one per retry interval, as the waiter state machine does. */
async function pollIsComplete(
  ctx: ResourceContext, isCompleteArn: string, event: Record<string, any>, waiter: WaiterSettings, failed: (reason: string) => never,
): Promise<Record<string, any>> {
  for (let attempt = 0; attempt <= waiter.maxAttempts; attempt++) {
    if (attempt > 0) {
      await ctx.activity.sleep(waiter.intervalSeconds * Math.pow(waiter.backoffRate, attempt - 1) * 1000);
    }
    const result = (await invokeUser(ctx, isCompleteArn, event).catch((e: Error) => failed(e.message)) ?? {}) as Record<string, any>;
    if (result.IsComplete) {
      return { ...event, ...result, Data: { ...event.Data, ...result.Data } };
    }
    if (result.Data && Object.keys(result.Data).length > 0) failed('"Data" is not allowed if "IsComplete" is "False"');
  }
  return failed('Operation timed out');
}

async function invokeUser(ctx: ResourceContext, functionArn: string, payload: Record<string, any>): Promise<unknown> {
  const outcome = await ctx.services.lambda.invoke(functionArn, payload);
  if (!outcome.ok) throw new Error(outcome.error.errorMessage);
  return outcome.payload;
}

/** Reads the Retry of the waiter's isComplete task (Provider's queryInterval and totalTimeout). */
function waiterSettings(ctx: ResourceContext, waiterArn: string | undefined): WaiterSettings {
  const definition = waiterArn ? ctx.services.stepFunctions.find(waiterArn)?.definition : undefined;
  const states = Object.values<Record<string, any>>(definition?.States ?? {});
  const retry = states.find(s => s.Type === 'Task' && Array.isArray(s.Retry))?.Retry?.[0];
  if (!retry) return FALLBACK_WAITER;
  return {
    intervalSeconds: retry.IntervalSeconds ?? FALLBACK_WAITER.intervalSeconds,
    maxAttempts: retry.MaxAttempts ?? FALLBACK_WAITER.maxAttempts,
    backoffRate: retry.BackoffRate ?? 1,
  };
}
