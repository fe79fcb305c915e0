/**
 * AWS::CloudFormation::WaitConditionHandle and AWS::CloudFormation::WaitCondition.
 * Neither can be updated: any change replaces them. A WaitCondition either has a Handle (signals
 * PUT to the handle URL) or a CreationPolicy (SignalResource), not both.
 */
import { isoDurationSeconds } from '../protocol/iso-duration';
import type { ResourceProvisioner } from '../protocol/resources';
import { ResourceFailure, SignalsNotReceived, WaitConditionFailed } from '../protocol/resources';

/** CloudFormation's upper limit for WaitCondition Timeout (12 hours). */
const MAX_TIMEOUT_SECONDS = 43200;

export const waitConditionHandleHandler: ResourceProvisioner = {
  async create(ctx) {
    const url = ctx.services.waitConditions.createHandle(ctx.services.endpoint.url, ctx.stackId, ctx.logicalId);
    return { physicalId: url };
  },
  async delete(ctx, current) {
    ctx.services.waitConditions.deleteHandle(current.physicalId);
  },
};

export const waitConditionHandler: ResourceProvisioner = {
  async create(ctx, props) {
    if (ctx.creationPolicy !== undefined) return createWithPolicy(ctx, props);
    const handle = props.Handle;
    if (typeof handle !== 'string') throw new ResourceFailure('Handle is required for a WaitCondition without a CreationPolicy');
    const timeout = Number(props.Timeout);
    if (!Number.isFinite(timeout) || timeout <= 0 || timeout > MAX_TIMEOUT_SECONDS) {
      throw new ResourceFailure(`Timeout must be between 1 and ${MAX_TIMEOUT_SECONDS} seconds (got ${JSON.stringify(props.Timeout)})`);
    }
    const count = props.Count === undefined ? 1 : Number(props.Count);
    const stopProgress = ctx.progress(ctx.logicalId);
    try {
      const data = await ctx.services.waitConditions.waitFor(handle, count, timeout, ctx.activity, ctx.cancelled);
      return { physicalId: `${ctx.stackId}/${ctx.logicalId}`, attributes: { Data: JSON.stringify(data) } };
    } catch (e) {
      if (e instanceof WaitConditionFailed) throw new ResourceFailure(e.message);
      throw e;
    } finally {
      stopProgress();
    }
  },
  async delete() {},
};

/** A WaitCondition with a CreationPolicy: SignalResource signals while it is being created. */
async function createWithPolicy(ctx: Parameters<ResourceProvisioner['create']>[0], props: Record<string, unknown>) {
  if (Object.keys(props).length > 0) {
    throw new ResourceFailure(`A WaitCondition with a CreationPolicy takes no properties (got ${Object.keys(props).join(', ')})`);
  }
  const signal = ctx.creationPolicy?.ResourceSignal ?? {};
  const timeout = isoDurationSeconds(signal.Timeout ?? 'PT5M');
  if (!Number.isFinite(timeout) || timeout <= 0 || timeout > MAX_TIMEOUT_SECONDS) {
    throw new ResourceFailure(`CreationPolicy ResourceSignal Timeout must be an ISO 8601 duration of at most PT12H (got ${JSON.stringify(signal.Timeout)})`);
  }
  const count = signal.Count === undefined ? 1 : Number(signal.Count);
  const stopProgress = ctx.progress(ctx.logicalId);
  try {
    await ctx.services.signals.await(ctx.stackId, ctx.logicalId, count, timeout, ctx.activity, ctx.cancelled);
    return { physicalId: `${ctx.stackId}/${ctx.logicalId}`, attributes: { Data: '{}' } };
  } catch (e) {
    if (e instanceof SignalsNotReceived) throw new ResourceFailure(e.message);
    throw e;
  } finally {
    stopProgress();
  }
}
