/**
 * Lambda-backed custom resources (AWS::CloudFormation::CustomResource and Custom::*).
 *
 * A ServiceToken that is a CDK Provider framework onEvent function is emulated (see
 * provider-framework.ts); any other Lambda function is invoked directly and its response is
 * taken from the PUT to the ResponseURL the runner serves.
 */
import { isProviderFramework, sendThroughProvider } from './provider-framework';
import { MAX_RESPONSE_BYTES, type CustomResourceRequest, type CustomResourceResponse, type RequestType } from '../protocol/custom-resource';
import type { ResourceContext, ResourceProvisioner, ResourceInstance, ResourceResult } from '../protocol/resources';
import { ResourceFailure } from '../protocol/resources';

export const customResourceHandler: ResourceProvisioner = {
  async create(ctx, properties) {
    return send(ctx, 'Create', properties);
  },
  async update(ctx, current, properties) {
    if (properties.ServiceToken !== current.properties.ServiceToken) {
      throw new ResourceFailure('Modifying service token is not allowed.');
    }
    return send(ctx, 'Update', properties, current);
  },
  async delete(ctx, current) {
    await send(ctx, 'Delete', current.properties, current);
  },
  attributeError(instance, attribute, stackId) {
    return `CustomResource attribute error: Vendor response doesn't contain ${attribute} key in object ${stackId}|${instance.logicalId}|${instance.physicalId}`;
  },
};

async function send(
  ctx: ResourceContext, type: RequestType, properties: Record<string, unknown>, current?: ResourceInstance,
): Promise<ResourceResult> {
  const token = properties.ServiceToken;
  if (typeof token !== 'string' || !token) throw new ResourceFailure('ServiceToken is required');
  const fn = ctx.services.lambda.find(token);
  if (!fn) {
    throw new ResourceFailure(`ServiceToken ${token} is not a Lambda function of a deployed stack (only Lambda-backed custom resources are simulated)`);
  }
  const requestId = ctx.services.nextRequestId();
  const request: CustomResourceRequest = {
    RequestType: type,
    ServiceToken: token,
    ResponseURL: ctx.services.responses.urlFor(ctx.services.endpoint.url, requestId),
    StackId: ctx.stackId,
    RequestId: requestId,
    LogicalResourceId: ctx.logicalId,
    ResourceType: ctx.type,
    ResourceProperties: stringifyScalars(properties) as Record<string, unknown>,
    ...(type === 'Update' ? { OldResourceProperties: stringifyScalars(current!.properties) as Record<string, unknown> } : {}),
    ...(current ? { PhysicalResourceId: current.physicalId } : {}),
  };
  const response = isProviderFramework(fn)
    ? await sendThroughProvider(ctx, fn, request)
    : await sendToFunction(ctx, fn.config.arn, request);
  return checkResponse(request, response);
}

/** Invokes a plain Lambda custom resource and collects what it PUT to the ResponseURL. */
async function sendToFunction(ctx: ResourceContext, functionArn: string, request: CustomResourceRequest): Promise<CustomResourceResponse> {
  const outcome = await ctx.services.lambda.invoke(functionArn, request);
  const body = await ctx.services.responses.take(request.RequestId, outcome.ok ? 1000 : 50);
  if (body === undefined) {
    if (!outcome.ok) throw new ResourceFailure(`Custom resource handler failed without responding: ${outcome.error.errorType}: ${outcome.error.errorMessage}`);
    throw new ResourceFailure(`CloudFormation did not receive a response from your Custom Resource. Please check your logs for requestId [${request.RequestId}].`);
  }
  if (Buffer.byteLength(body) > MAX_RESPONSE_BYTES) throw new ResourceFailure('Response object is too long.');
  try {
    return JSON.parse(body) as CustomResourceResponse;
  } catch {
    throw new ResourceFailure('Invalid response object: not JSON');
  }
}

function checkResponse(request: CustomResourceRequest, response: CustomResourceResponse): ResourceResult {
  const physicalId = response.PhysicalResourceId;
  if (response.Status !== 'SUCCESS') {
    throw new ResourceFailure(response.Reason || 'Failed', physicalId ?? request.PhysicalResourceId);
  }
  if (!physicalId) throw new ResourceFailure('Invalid PhysicalResourceId');
  return { physicalId, attributes: { ...response.Data } };
}

/** CloudFormation hands custom resources every scalar as a string. */
export function stringifyScalars(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stringifyScalars);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, stringifyScalars(v)]));
  }
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : value;
}
