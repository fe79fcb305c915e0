/**
 * Types the runner only records: it keeps their properties and hands out plausible names, ARNs and
 * attributes, but nothing is simulated. Updates are in place unless the name property changes.
 */
import { createHash } from 'crypto';
import type { ResourceContext, ResourceProvisioner, ResourceResult } from '../protocol/resources';

export interface Names {
  readonly name: string;
  readonly arn: string;
  readonly ctx: ResourceContext;
  readonly props: Record<string, unknown>;
}

export interface RecordedType {
  /** Label in the "recorded (not simulated)" summary. */
  readonly service: string;
  /** Property that names the resource; otherwise a name is generated. */
  readonly nameProperty?: string;
  readonly maxLength?: number;
  readonly lowerCase?: boolean;
  readonly arn?: (n: Omit<Names, 'arn'>) => string;
  /** What Ref returns; default the name. */
  readonly ref?: (n: Names) => string;
  /** Fn::GetAtt values besides Arn. */
  readonly attributes?: (n: Names) => Record<string, unknown>;
}

const arnOf = (service: string, resource: string, global = false) => ({ name, ctx }: Omit<Names, 'arn'>) =>
  `arn:${ctx.partition}:${service}:${global ? '' : ctx.region}:${global ? '' : ctx.accountId}:${resource.replace('{}', name)}`;

/** Stable pseudo-random id derived from a name, e.g. for RoleId. */
const idFor = (prefix: string, name: string) => prefix + createHash('sha256').update(name).digest('hex').slice(0, 17).toUpperCase();

const RECORDED_TYPES: Record<string, RecordedType> = {
  'AWS::IAM::Role': {
    service: 'IAM',
    nameProperty: 'RoleName',
    maxLength: 64,
    arn: ({ name, ctx, props }) => `arn:${ctx.partition}:iam::${ctx.accountId}:role${props.Path ?? '/'}${name}`,
    attributes: ({ name }) => ({ RoleId: idFor('AROA', name) }),
  },
  'AWS::IAM::Policy': { service: 'IAM', attributes: ({ name }) => ({ Id: name }) },
  'AWS::IAM::ManagedPolicy': {
    service: 'IAM',
    nameProperty: 'ManagedPolicyName',
    arn: ({ name, ctx }) => `arn:${ctx.partition}:iam::${ctx.accountId}:policy/${name}`,
    ref: ({ arn }) => arn,
    attributes: ({ arn, name }) => ({ PolicyArn: arn, PolicyId: idFor('ANPA', name) }),
  },
  'AWS::IAM::InstanceProfile': { service: 'IAM', nameProperty: 'InstanceProfileName', arn: ({ name, ctx }) => `arn:${ctx.partition}:iam::${ctx.accountId}:instance-profile/${name}` },
  'AWS::Lambda::Permission': { service: 'Lambda' },
  'AWS::Lambda::EventInvokeConfig': { service: 'Lambda' },
  'AWS::Lambda::LayerVersion': { service: 'Lambda', nameProperty: 'LayerName', arn: arnOf('lambda', 'layer:{}:1'), ref: ({ arn }) => arn },
  'AWS::Logs::LogGroup': { service: 'Logs', nameProperty: 'LogGroupName', arn: arnOf('logs', 'log-group:{}:*') },
  'AWS::Events::Rule': { service: 'EventBridge', nameProperty: 'Name', arn: arnOf('events', 'rule/{}') },
  'AWS::S3::Bucket': {
    service: 'S3',
    nameProperty: 'BucketName',
    maxLength: 63,
    lowerCase: true,
    arn: arnOf('s3', '{}', true),
    attributes: ({ name, ctx }) => ({
      DomainName: `${name}.s3.amazonaws.com`,
      RegionalDomainName: `${name}.s3.${ctx.region}.amazonaws.com`,
      DualStackDomainName: `${name}.s3.dualstack.${ctx.region}.amazonaws.com`,
      WebsiteURL: `http://${name}.s3-website-${ctx.region}.amazonaws.com`,
    }),
  },
  'AWS::S3::BucketPolicy': { service: 'S3' },
  'AWS::SNS::Topic': {
    service: 'SNS',
    nameProperty: 'TopicName',
    arn: arnOf('sns', '{}'),
    ref: ({ arn }) => arn,
    attributes: ({ arn, name }) => ({ TopicArn: arn, TopicName: name }),
  },
  'AWS::SQS::Queue': {
    service: 'SQS',
    nameProperty: 'QueueName',
    arn: arnOf('sqs', '{}'),
    ref: ({ name, ctx }) => `https://sqs.${ctx.region}.amazonaws.com/${ctx.accountId}/${name}`,
    attributes: ({ name, ctx }) => ({ QueueName: name, QueueUrl: `https://sqs.${ctx.region}.amazonaws.com/${ctx.accountId}/${name}` }),
  },
  'AWS::KMS::Key': { service: 'KMS', arn: arnOf('kms', 'key/{}'), attributes: ({ name }) => ({ KeyId: name }) },
  'AWS::KMS::Alias': { service: 'KMS', nameProperty: 'AliasName' },
  'AWS::SSM::Parameter': { service: 'SSM', nameProperty: 'Name', attributes: ({ props }) => ({ Type: props.Type, Value: props.Value }) },
  'AWS::CloudWatch::Alarm': { service: 'CloudWatch', nameProperty: 'AlarmName', arn: arnOf('cloudwatch', 'alarm:{}') },
};

export function recordedHandler(spec: RecordedType): ResourceProvisioner {
  const build = (ctx: ResourceContext, props: Record<string, unknown>): ResourceResult => {
    const explicit = spec.nameProperty ? props[spec.nameProperty] : undefined;
    const name = typeof explicit === 'string' ? explicit : ctx.physicalName({ maxLength: spec.maxLength, lowerCase: spec.lowerCase });
    const arn = spec.arn?.({ name, ctx, props }) ?? '';
    const names: Names = { name, arn, ctx, props };
    return {
      physicalId: name,
      ref: spec.ref?.(names),
      attributes: { ...(spec.arn ? { Arn: arn } : {}), ...spec.attributes?.(names) },
      recorded: spec.service,
    };
  };
  return {
    async create(ctx, props) {
      return build(ctx, props);
    },
    async update(ctx, current, props) {
      const renamed = spec.nameProperty !== undefined && props[spec.nameProperty] !== current.properties[spec.nameProperty];
      if (renamed) return build(ctx, props);
      const rebuilt = build(ctx, props);
      const arn = current.attributes.Arn;
      const names = { name: current.physicalId, arn: typeof arn === 'string' ? arn : '', ctx, props };
      return { ...rebuilt, physicalId: current.physicalId, ref: current.ref, attributes: { ...current.attributes, ...spec.attributes?.(names) } };
    },
    async delete() {},
  };
}

export const RECORDED_HANDLERS: Record<string, ResourceProvisioner> = Object.fromEntries(
  Object.entries(RECORDED_TYPES).map(([type, spec]) => [type, recordedHandler(spec)]),
);

