/**
 * AWS::Lambda::Function: recorded, and registered with the local Lambda runtime so that custom
 * resources and state machines can invoke it. Updates are in place (a fresh module on next use).
 */
import * as fs from 'fs';
import * as path from 'path';
import type { ResourceContext, ResourceProvisioner, ResourceResult } from '../protocol/resources';
import type { FunctionCode, FunctionConfig } from '../protocol/services';

export const lambdaFunctionHandler: ResourceProvisioner = {
  async create(ctx, props) {
    return register(ctx, props, undefined);
  },
  async update(ctx, current, props) {
    const renamed = props.FunctionName !== current.properties.FunctionName;
    if (!renamed) ctx.services.lambda.unregister(String(current.attributes.Arn));
    return register(ctx, props, renamed ? undefined : current.physicalId);
  },
  async delete(ctx, current) {
    ctx.services.lambda.unregister(String(current.attributes.Arn));
  },
};

function register(ctx: ResourceContext, props: Record<string, unknown>, keepName: string | undefined): ResourceResult {
  const functionName = keepName ?? (typeof props.FunctionName === 'string' ? props.FunctionName : ctx.physicalName({ maxLength: 64 }));
  const arn = `arn:${ctx.partition}:lambda:${ctx.region}:${ctx.accountId}:function:${functionName}`;
  const env = (props.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {};
  const config: FunctionConfig = {
    stackName: ctx.stackName,
    logicalId: ctx.logicalId,
    functionName,
    arn,
    runtime: String(props.Runtime ?? 'nodejs22.x'),
    handler: String(props.Handler ?? 'index.handler'),
    code: codeOf(ctx, props.Code as Record<string, unknown> | undefined),
    environment: Object.fromEntries(Object.entries(env).map(([k, v]) => [k, String(v)])),
    timeoutSeconds: Number(props.Timeout ?? 3),
    memorySize: Number(props.MemorySize ?? 128),
  };
  ctx.services.lambda.register(config);
  return { physicalId: functionName, attributes: { Arn: arn }, recorded: 'Lambda' };
}

/** Inline code, or the asset directory that the S3 key points to in the cloud assembly. */
function codeOf(ctx: ResourceContext, code: Record<string, unknown> | undefined): FunctionCode {
  if (typeof code?.ZipFile === 'string') return { kind: 'inline', source: code.ZipFile };
  if (typeof code?.S3Key === 'string') {
    const key = code.S3Key;
    const location = ctx.assembly.assets.get(key) ?? path.join(ctx.assembly.directory, `asset.${key.replace(/\.zip$/, '')}`);
    if (fs.existsSync(location) && fs.statSync(location).isDirectory()) return { kind: 'directory', directory: location };
    return { kind: 'unsupported', reason: `Code asset ${key} is not a directory in the cloud assembly (${location})` };
  }
  if (code?.ImageUri) return { kind: 'unsupported', reason: 'Container image functions are not supported by the local runner' };
  return { kind: 'unsupported', reason: 'Function has no Code the local runner understands' };
}
