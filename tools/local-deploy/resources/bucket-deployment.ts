/**
 * Custom::CDKBucketDeployment (aws-s3-deployment's BucketDeployment): RECORDED, not simulated.
 *
 * Its handler is a Python Lambda function (with the AWS CLI from a layer) that copies asset zips
 * into a bucket; the runner runs Node.js handlers only, and S3 is recorded anyway. So the resource
 * succeeds without invoking anything: it is listed in the "recorded (not simulated)" summary, gets
 * the physical id and attributes the real handler answers with, and updates and deletes are no-ops.
 * Whatever waits for the upload (a DependsOn) therefore waits for nothing, locally.
 */
import type { ResourceContext, ResourceProvisioner, ResourceResult } from '../protocol/resources';

function result(ctx: ResourceContext, props: Record<string, unknown>, physicalId: string): ResourceResult {
  const bucket = String(props.DestinationBucketName ?? '');
  return {
    physicalId,
    attributes: {
      DestinationBucketArn: `arn:${ctx.partition}:s3:::${bucket}`,
      SourceObjectKeys: props.SourceObjectKeys ?? [],
    },
    recorded: 'BucketDeployment',
  };
}

export const bucketDeploymentHandler: ResourceProvisioner = {
  async create(ctx, props) {
    // The real handler names it aws.cdk.s3deployment.<uuid>; this one is deterministic.
    return result(ctx, props, `aws.cdk.s3deployment.${ctx.physicalName({ lowerCase: true }).split('-').pop()}`);
  },
  async update(ctx, current, props) {
    return result(ctx, props, current.physicalId);
  },
  async delete() {},
};

/**
 * Custom::S3AutoDeleteObjects (a bucket's `autoDeleteObjects`): RECORDED, not simulated. Its
 * handler empties the bucket with the S3 SDK before the bucket is deleted; S3 is recorded here,
 * so there is nothing to empty and every event is a no-op.
 */
export const autoDeleteObjectsHandler: ResourceProvisioner = {
  async create(ctx, props) {
    return { physicalId: `${String(props.BucketName ?? '')}-auto-delete-${ctx.physicalName({ lowerCase: true }).split('-').pop()}`, recorded: 'S3AutoDeleteObjects' };
  },
  async update(_ctx, current) {
    return { physicalId: current.physicalId, recorded: 'S3AutoDeleteObjects' };
  },
  async delete() {},
};
