/**
 * AWS::CloudFormation::WaitConditionHandle and AWS::CloudFormation::WaitCondition.
 * Neither can be updated: any change replaces them.
 */
import { WaitConditionFailed } from '../wait-conditions';
import type { ResourceHandler } from './types';
import { ResourceFailure } from './types';

/** CloudFormation's upper limit for WaitCondition Timeout (12 hours). */
const MAX_TIMEOUT_SECONDS = 43200;

export const waitConditionHandleHandler: ResourceHandler = {
  async create(ctx) {
    const url = ctx.services.waitConditions.createHandle(ctx.services.endpoint.url, ctx.stackName, ctx.logicalId);
    return { physicalId: url };
  },
  async delete(ctx, current) {
    ctx.services.waitConditions.deleteHandle(current.physicalId);
  },
};

export const waitConditionHandler: ResourceHandler = {
  async create(ctx, props) {
    const handle = props.Handle;
    if (typeof handle !== 'string') throw new ResourceFailure('WaitCondition without Handle (CreationPolicy signals) is not supported by the local runner');
    const timeout = Number(props.Timeout);
    if (!Number.isFinite(timeout) || timeout <= 0 || timeout > MAX_TIMEOUT_SECONDS) {
      throw new ResourceFailure(`Timeout must be between 1 and ${MAX_TIMEOUT_SECONDS} seconds (got ${JSON.stringify(props.Timeout)})`);
    }
    const count = props.Count === undefined ? 1 : Number(props.Count);
    const stopProgress = ctx.progress(ctx.logicalId);
    try {
      const data = await ctx.services.waitConditions.waitFor(handle, count, timeout, ctx.activity);
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
