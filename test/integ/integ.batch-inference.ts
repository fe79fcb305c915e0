// The second real-account test: a batch inference job on a version trained in the same deploy,
// checked by reading its output from S3. How to run it: README, "Testing in your account".
import * as path from 'path';
import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, Aws, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { INTEG_BATCH_PREFIX, INTEG_BATCH_STACK } from './integ-names';
import { BatchInferenceJob, Dataset, DatasetGroup, Recipe, Schema, SchemaField, Solution } from '../../src';

const app = new App();
const stack = new Stack(app, INTEG_BATCH_STACK);

// A fixed bucket name, so that the assertions name it without importing from the test stack.
const bucketName = `${INTEG_BATCH_PREFIX}${Aws.ACCOUNT_ID}-${Aws.REGION}`;
const bucket = new s3.Bucket(stack, 'Data', {
  bucketName,
  enforceSSL: true,
  blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
  removalPolicy: RemovalPolicy.DESTROY,
  autoDeleteObjects: true,
});
const interactionsUpload = new s3deploy.BucketDeployment(stack, 'Interactions', {
  sources: [s3deploy.Source.asset(path.join(__dirname, '..', '..', 'examples', 'data'))],
  destinationBucket: bucket,
  destinationKeyPrefix: 'interactions/',
});
const usersUpload = new s3deploy.BucketDeployment(stack, 'Users', {
  sources: [s3deploy.Source.asset(path.join(__dirname, 'batch-input'))],
  destinationBucket: bucket,
  destinationKeyPrefix: 'batch/input/',
});
const datasetGroup = new DatasetGroup(stack, 'Group', { removalPolicy: RemovalPolicy.DESTROY, datasetGroupName: `${INTEG_BATCH_PREFIX}group` });
const interactions = new Dataset(stack, 'InteractionsData', {
  datasetGroup,
  schema: Schema.interactions(stack, 'Schema', { fields: [SchemaField.ofString('EVENT_TYPE')] }),
  importSource: { bucket, prefix: 'interactions/' },
});
interactions.node.addDependency(interactionsUpload);

// User-Personalization-v2 without HPO: one training job, the cheapest version that serves users.
const solution = new Solution(stack, 'Up', { datasetGroup, recipe: Recipe.USER_PERSONALIZATION_V2 });
const version = solution.addVersion('Version', { outputPrefix: 'Up' });
const job = new BatchInferenceJob(stack, 'Weekly', {
  solutionVersion: version,
  input: { bucket, prefix: 'batch/input/' },
  output: { bucket, prefix: 'batch/output/' },
  numResults: 10,
});
job.node.addDependency(usersUpload);

const integ = new IntegTest(app, 'BatchInference', {
  testCases: [stack],
  hooks: { postDestroy: [`npx ts-node --transpile-only after-destroy.ts ${INTEG_BATCH_PREFIX} ${INTEG_BATCH_STACK}`] },
  diffAssets: false,
});

// The job wrote one output object per input object, `<input name>.out`, in its own folder.
integ.assertions.awsApiCall('S3', 'listObjectsV2', { Bucket: bucketName, Prefix: 'batch/output/' })
  .expect(ExpectedResult.objectLike({
    Contents: Match.arrayWith([Match.objectLike({ Key: Match.stringLikeRegexp('^batch/output/CdkPersonalizeIntegBatchWeekly[^/]+/users\\.json\\.out$') })]),
  }));
// The stack output names that folder.
integ.assertions.awsApiCall('CloudFormation', 'describeStacks', { StackName: stack.stackName })
  .expect(ExpectedResult.objectLike({
    Stacks: [Match.objectLike({
      Outputs: Match.arrayWith([Match.objectLike({
        OutputKey: Match.stringLikeRegexp('^WeeklyOutputLocation'),
        OutputValue: Match.stringLikeRegexp(`^s3://${INTEG_BATCH_PREFIX}[0-9]+-[a-z0-9-]+/batch/output/CdkPersonalizeIntegBatchWeekly[^/]+/$`),
      })]),
    })],
  }));
