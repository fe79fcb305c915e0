import { CfnOutput } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { LocalCloudFormation } from '..';
import { collector, synth, trail } from './helpers';

/**
 * aws-s3-deployment's BucketDeployment runs a Python Lambda function the runner cannot execute: its
 * Custom::CDKBucketDeployment is recorded (a no-op success), as are its AWS CLI layer and function.
 */

function app(content: string): string {
  return synth('Upload', stack => {
    const bucket = new s3.Bucket(stack, 'Data', { enforceSSL: true });
    const upload = new s3deploy.BucketDeployment(stack, 'Upload', {
      sources: [s3deploy.Source.data('data.csv', content)],
      destinationBucket: bucket,
      destinationKeyPrefix: 'data/',
    });
    new CfnOutput(stack, 'DeployedBucketArn', { value: upload.deployedBucket.bucketArn });
  });
}

describe('Custom::CDKBucketDeployment', () => {
  const out = collector();
  const cfn = new LocalCloudFormation({ log: out.log });
  afterAll(() => cfn.close());

  test('is recorded: created without invoking its Python handler, listed in the summary', async () => {
    const result = await cfn.deploy(app('USER_ID,ITEM_ID\nu1,i1\n'), 'Upload');

    expect(result.status).toBe('CREATE_COMPLETE');
    expect(trail(result.events, e => e.resourceStatus === 'CREATE_COMPLETE')).toEqual(expect.arrayContaining([
      expect.stringMatching(/^UploadCustomResource[0-9A-F]{8} CREATE_COMPLETE$/),
      expect.stringMatching(/^UploadAwsCliLayer[0-9A-F]{8} CREATE_COMPLETE$/),
    ]));
    expect(cfn.invocations).toEqual([]);
    const bucket = cfn.physicalResources('Upload')[Object.keys(cfn.physicalResources('Upload')).find(id => id.startsWith('Data') && !id.includes('Policy'))!];
    // DestinationBucketArn, as the real handler answers.
    expect(result.outputs.DeployedBucketArn).toBe(`arn:aws:s3:::${bucket}`);
    const upload = Object.entries(cfn.physicalResources('Upload')).find(([id]) => id.startsWith('UploadCustomResource'))!;
    expect(upload[1]).toMatch(/^aws\.cdk\.s3deployment\.[0-9a-f]{12}$/);
    const summary = out.lines.find(l => l.startsWith('recorded (not simulated)'));
    expect(summary).toMatch(/\b1 BucketDeployment\b/);
    expect(summary).toMatch(/\b2 Lambda\b/); // the layer and the function
  });

  test('a changed source updates it in place; delete is a no-op', async () => {
    const before = cfn.physicalResources('Upload');
    const result = await cfn.deploy(app('USER_ID,ITEM_ID\nu1,i2\n'), 'Upload');

    expect(result.status).toBe('UPDATE_COMPLETE');
    expect(trail(result.events)).toEqual(expect.arrayContaining([expect.stringMatching(/^UploadCustomResource[0-9A-F]{8} UPDATE_COMPLETE$/)]));
    const id = Object.keys(before).find(k => k.startsWith('UploadCustomResource'))!;
    expect(cfn.physicalResources('Upload')[id]).toBe(before[id]);
    expect((await cfn.destroy('Upload')).status).toBe('DELETE_COMPLETE');
    expect(cfn.invocations).toEqual([]);
  });
});
