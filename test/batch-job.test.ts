import { App, CfnParameter, CfnResource, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import {
  BatchInferenceJob, BatchInferenceJobMode, BatchInferenceJobProps, BatchSegmentJob, DatasetGroup, Filter, FilterExpression, FilterField, FilterValue,
  Recipe, Solution, SolutionVersion,
} from '../src';

const JOB = 'Custom::PersonalizeBatchInferenceJob';
const SEGMENT_JOB = 'Custom::PersonalizeBatchSegmentJob';
const GROUP_ARN = 'arn:aws:personalize:us-west-2:123456789012:dataset-group/movies';

function setup(recipe: Recipe = Recipe.USER_PERSONALIZATION_V2) {
  const stack = new Stack(new App(), 'TestStack', { env: { account: '123456789012', region: 'us-west-2' } });
  const datasetGroup = DatasetGroup.fromDatasetGroupArn(stack, 'Group', GROUP_ARN);
  const solution = new Solution(stack, 'Solution', { datasetGroup, recipe });
  const version = solution.addVersion('Version', { outputs: false });
  const bucket = new s3.Bucket(stack, 'Batch');
  return { stack, datasetGroup, solution, version, bucket };
}

function inference(extra: Partial<BatchInferenceJobProps> = {}, recipe?: Recipe) {
  const s = setup(recipe);
  const job = new BatchInferenceJob(s.stack, 'Job', {
    solutionVersion: s.version,
    input: { bucket: s.bucket, prefix: 'batch/input/' },
    output: { bucket: s.bucket, prefix: 'batch/output/' },
    ...extra,
  });
  return { ...s, job };
}

describe('BatchInferenceJob', () => {
  test('runs the job on the trained version, reading the input prefix and writing under the output prefix, then waits for it', () => {
    const { stack, job } = inference({ numResults: 50, jobTrigger: 'week-1' });
    const template = Template.fromStack(stack);

    template.hasResourceProperties(JOB, {
      solutionVersionArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^SolutionVersion'), 'SolutionVersionArn'] },
      numResults: 50,
      jobInput: { s3DataSource: { path: { 'Fn::Join': ['', ['s3://', { Ref: Match.stringLikeRegexp('^Batch') }, '/batch/input/']] } } },
      jobOutput: { s3DataDestination: { path: { 'Fn::Join': ['', ['s3://', { Ref: Match.stringLikeRegexp('^Batch') }, '/batch/output/']] } } },
      roleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^JobRole'), 'Arn'] },
      JobTrigger: 'week-1',
      WaitCondition: Match.stringLikeRegexp('^JobWait[0-9A-F]{16}$'),
    });
    // After the version's training result; a wait condition of 12 hours; a result after it.
    const [jobId, resource] = Object.entries(template.findResources(JOB))[0];
    expect(resource.DependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/^SolutionVersionResult/)]));
    template.hasResource('AWS::CloudFormation::WaitCondition', { CreationPolicy: { ResourceSignal: { Count: 1, Timeout: 'PT12H' } }, DependsOn: [jobId] });
    template.hasResourceProperties('Custom::PersonalizeBatchJobResult', { JobArn: { 'Fn::GetAtt': [jobId, 'JobArn'] } });
    template.hasOutput('*', { Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('^JobResult'), 'OutputLocation'] } });
    expect(stack.resolve(job.batchInferenceJobArn)).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^JobResult/), 'JobArn'] });
    // Personalize reads the input and writes the output, by its role and by the bucket policy.
    for (const [action, prefix] of [['s3:GetObject', 'batch/input/'], ['s3:PutObject', 'batch/output/']]) {
      template.hasResourceProperties('AWS::IAM::Policy', {
        Roles: [{ Ref: Match.stringLikeRegexp('^JobRole') }],
        PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: action, Resource: { 'Fn::Join': ['', [Match.anyValue(), `/${prefix}*`]] } })]) },
      });
    }
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Principal: { Service: 'personalize.amazonaws.com' }, Action: 's3:GetObject' }),
          Match.objectLike({ Principal: { Service: 'personalize.amazonaws.com' }, Action: 's3:PutObject' }),
        ]),
      },
    });
    // The provider may create and describe this job's runs only: ARNs built at synth, in the stack's environment.
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Action: ['personalize:CreateBatchInferenceJob', 'personalize:DescribeBatchInferenceJob'],
          Resource: Match.stringLikeRegexp('^arn:aws:personalize:us-west-2:123456789012:batch-inference-job/TestStackJob[0-9A-F]+-\\*$'),
        })]),
      },
    });
  });

  test('a new trigger names a new wait condition; the same settings keep it', () => {
    const wait = (trigger: string) => Object.keys(Template.fromStack(inference({ jobTrigger: trigger }).stack).findResources('AWS::CloudFormation::WaitCondition'))
      .filter(id => id.startsWith('JobWait'));
    expect(wait('week-1')).toEqual(wait('week-1'));
    expect(wait('week-2')).not.toEqual(wait('week-1'));
  });

  test('the wait condition\'s name does not change with the library\'s handler code (the job waiter is not part of the key)', () => {
    const wait = (changeCode: boolean) => {
      const { stack } = inference({ jobTrigger: 'week-1' });
      if (changeCode) {
        const poller = stack.node.findChild('CdkPersonalizeTrainingWaiter').node.findChild('Poller').node.defaultChild as CfnResource;
        poller.addPropertyOverride('Code.S3Key', 'another-build.zip');
      }
      return Object.keys(Template.fromStack(stack).findResources('AWS::CloudFormation::WaitCondition')).filter(id => id.startsWith('JobWait'));
    };
    expect(wait(true)).toEqual(wait(false));
  });

  test('a bucket with a KMS key: the key goes to Personalize, and the role may use it', () => {
    const s = setup();
    const key = new kms.Key(s.stack, 'Key');
    const bucket = new s3.Bucket(s.stack, 'Encrypted', { encryption: s3.BucketEncryption.KMS, encryptionKey: key });
    new BatchInferenceJob(s.stack, 'Job', { solutionVersion: s.version, input: { bucket, prefix: 'in/' }, output: { bucket, prefix: 'out/' } });
    const template = Template.fromStack(s.stack);
    template.hasResourceProperties(JOB, {
      jobInput: { s3DataSource: { kmsKeyArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Key'), 'Arn'] } } },
      jobOutput: { s3DataDestination: { kmsKeyArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Key'), 'Arn'] } } },
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: Match.arrayWith(['kms:Decrypt', 'kms:Encrypt']) })]) },
    });
  });

  test('exploration, ranking influence and themes render as the API takes them', () => {
    const explore = inference({ explorationWeight: 0.4, explorationItemAgeCutOff: Duration.days(7) }, Recipe.USER_PERSONALIZATION);
    Template.fromStack(explore.stack).hasResourceProperties(JOB, {
      batchInferenceJobConfig: { itemExplorationConfig: { explorationWeight: '0.4', explorationItemAgeCutOff: '7' } },
    });
    const themes = inference({ mode: BatchInferenceJobMode.THEME_GENERATION, themeItemNameColumn: 'TITLE' }, Recipe.SIMILAR_ITEMS);
    Template.fromStack(themes.stack).hasResourceProperties(JOB, {
      batchInferenceJobMode: 'THEME_GENERATION', themeGenerationConfig: { fieldsForThemeGeneration: { itemName: 'TITLE' } },
    });
    const ranking = inference({ rankingInfluence: { popularity: 0.5 } }, Recipe.SEMANTIC_SIMILARITY);
    Template.fromStack(ranking.stack).hasResourceProperties(JOB, { batchInferenceJobConfig: { rankingInfluence: { POPULARITY: 0.5 } } });
  });

  // creating-batch-inference-job.md and batch-inference-job-output-examples.md: no batch
  // recommendations with Trending-Now or Next-Best-Action; USER_SEGMENTATION recipes make segments.
  test.each([
    [Recipe.TRENDING_NOW, /has no batch recommendations/],
    [Recipe.NEXT_BEST_ACTION, /has no batch recommendations/],
    [Recipe.ITEM_AFFINITY, /is a USER_SEGMENTATION recipe.*use a BatchSegmentJob/],
  ])('refuses a version of %s', (recipe, message) => {
    expect(() => inference({}, recipe)).toThrow(message);
  });

  test.each<[string, Partial<BatchInferenceJobProps>, Recipe | undefined, RegExp]>([
    ['numResults above 500', { numResults: 501 }, undefined, /numResults is 501/],
    ['numResults 0', { numResults: 0 }, undefined, /numResults is 0/],
    ['themes without Similar-Items', { mode: BatchInferenceJobMode.THEME_GENERATION, themeItemNameColumn: 'TITLE' }, undefined, /THEME_GENERATION needs the Similar-Items recipe/],
    ['themes without the name column', { mode: BatchInferenceJobMode.THEME_GENERATION }, Recipe.SIMILAR_ITEMS, /themeItemNameColumn .*is required with THEME_GENERATION/],
    ['a name column without themes', { themeItemNameColumn: 'TITLE' }, undefined, /themeItemNameColumn is 'TITLE': is only for mode THEME_GENERATION/],
    ['exploration on a recipe without it', { explorationWeight: 0.3 }, Recipe.SIMS, /needs a recipe with item exploration; aws-sims has none/],
    ['a weight above 1', { explorationWeight: 1.5 }, Recipe.USER_PERSONALIZATION, /explorationWeight is 1.5/],
    ['ranking influence off Semantic-Similarity', { rankingInfluence: { freshness: 0.2 } }, undefined, /rankingInfluence .*is only for recipe aws-semantic-similarity/],
    ['a prefix that is a URL', { input: { bucket: new s3.Bucket(new Stack(), 'B'), prefix: 's3://bucket/in/' } }, undefined, /input.prefix is 's3:\/\/bucket\/in\/': must be a key within the bucket/],
  ])('refuses %s, naming the construct and the field', (_, extra, recipe, message) => {
    expect(() => inference(extra, recipe)).toThrow(message);
    expect(() => inference(extra, recipe)).toThrow(/batch inference job at 'TestStack\/Job'/);
  });

  test('a filter of another dataset group is refused', () => {
    const s = setup();
    const other = DatasetGroup.fromDatasetGroupArn(s.stack, 'Other', 'arn:aws:personalize:us-west-2:123456789012:dataset-group/books');
    const filter = new Filter(s.stack, 'Filter', { datasetGroup: other, expression: FilterExpression.includeItems(FilterField.item('GENRES').isIn(FilterValue.parameter('GENRE'))) });
    expect(() => new BatchInferenceJob(s.stack, 'Job', {
      solutionVersion: s.version, filter, input: { bucket: s.bucket, prefix: 'in/' }, output: { bucket: s.bucket, prefix: 'out/' },
    })).toThrow(/filter is 'TestStack\/Filter': must belong to the dataset group of solution TestStack\/Solution/);
  });

  test('output within the input prefix warns: a later run would read it as input (the guide recommends a separate folder)', () => {
    const { stack } = inference();
    expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue())).toHaveLength(0);
    const s = setup();
    new BatchInferenceJob(s.stack, 'Job', { solutionVersion: s.version, input: { bucket: s.bucket, prefix: 'batch/' }, output: { bucket: s.bucket, prefix: 'batch/out/' } });
    Annotations.fromStack(s.stack).hasWarning('/TestStack/Job', Match.stringLikeRegexp("output.prefix 'batch/out/' lies within input.prefix 'batch/'"));
  });

  test('a sixth job of a kind in a stack warns: Personalize runs five at once per region (the quotas page)', () => {
    const s = setup();
    for (let i = 0; i < 6; i++) {
      new BatchInferenceJob(s.stack, `Job${i}`, { solutionVersion: s.version, input: { bucket: s.bucket, prefix: 'in/' }, output: { bucket: s.bucket, prefix: `out${i}/` } });
    }
    expect(Annotations.fromStack(s.stack).findWarning('*', Match.stringLikeRegexp('at most 5 at once per region'))).toHaveLength(1);
  });

  test('an input known only at deploy time needs a jobTrigger, known at synth', () => {
    const s = setup();
    const bucket = s3.Bucket.fromBucketName(s.stack, 'Param', new CfnParameter(s.stack, 'BucketName').valueAsString);
    new BatchInferenceJob(s.stack, 'Job', { solutionVersion: s.version, input: { bucket, prefix: 'in/' }, output: { bucket, prefix: 'out/' } });
    expect(() => Template.fromStack(s.stack)).toThrow(/BatchInferenceJob TestStack\/Job: the job uses values known only at deploy time \(parameter BucketName\).*Set jobTrigger/);
    const t = setup();
    expect(() => new BatchInferenceJob(t.stack, 'Job', {
      solutionVersion: t.version,
      input: { bucket: t.bucket, prefix: 'in/' },
      output: { bucket: t.bucket, prefix: 'out/' },
      jobTrigger: new CfnParameter(t.stack, 'Trigger').valueAsString,
    })).toThrow(/jobTrigger .*must be a string known at synth/);
  });

  test('callers without a type checker get the prop, the value and what is expected', () => {
    const s = setup();
    const base = { solutionVersion: s.version, input: { bucket: s.bucket, prefix: 'in/' }, output: { bucket: s.bucket, prefix: 'out/' } };
    expect(() => new BatchInferenceJob(s.stack, 'A', { ...base, solutionVersion: 'arn:aws:personalize:...' } as any)).toThrow(/batch inference job at 'TestStack\/A' solutionVersion/);
    expect(() => new BatchInferenceJob(s.stack, 'B', { ...base, input: 's3://bucket/in/' } as any)).toThrow(/batch inference job at 'TestStack\/B' input is the string "s3:\/\/bucket\/in\/": must be an object \(BatchJobLocation\)/);
    expect(() => new BatchInferenceJob(s.stack, 'C', { ...base, numResult: 10 } as any)).toThrow(/numResult/);
    expect(() => new BatchInferenceJob(s.stack, 'D', { ...base, mode: 'themes' } as any)).toThrow(/batch inference job at 'TestStack\/D' mode is the string "themes": must be one of BATCH_INFERENCE, THEME_GENERATION/);
    expect(() => new BatchInferenceJob(s.stack, 'E', { ...base, output: { bucket: s.bucket, prefx: 'out/' } } as any)).toThrow(/prefx/);
  });
});

describe('BatchSegmentJob', () => {
  test('runs on a USER_SEGMENTATION version, with up to 5 million users a segment', () => {
    const s = setup(Recipe.ITEM_AFFINITY);
    new BatchSegmentJob(s.stack, 'Segments', {
      solutionVersion: s.version, numResults: 5_000_000, input: { bucket: s.bucket, prefix: 'items/' }, output: { bucket: s.bucket, prefix: 'segments/' },
    });
    Template.fromStack(s.stack).hasResourceProperties(SEGMENT_JOB, { numResults: 5000000 });
    const t = setup(Recipe.ITEM_ATTRIBUTE_AFFINITY);
    expect(() => new BatchSegmentJob(t.stack, 'TooMany', {
      solutionVersion: t.version, numResults: 5_000_001, input: { bucket: t.bucket, prefix: 'items/' }, output: { bucket: t.bucket, prefix: 'more/' },
    })).toThrow(/numResults is 5000001/);
  });

  // user-segmentation-recipes.md: segments come from Item-Affinity and Item-Attribute-Affinity.
  test('refuses a version of another recipe type', () => {
    const s = setup(Recipe.USER_PERSONALIZATION_V2);
    expect(() => new BatchSegmentJob(s.stack, 'Segments', {
      solutionVersion: s.version, input: { bucket: s.bucket, prefix: 'items/' }, output: { bucket: s.bucket, prefix: 'segments/' },
    })).toThrow(/solutionVersion is 'aws-user-personalization-v2': must be trained with a USER_SEGMENTATION recipe/);
  });

  test('an imported version of unknown recipe is taken as it is', () => {
    const stack = new Stack(new App(), 'Imported', { env: { account: '123456789012', region: 'us-west-2' } });
    const version = SolutionVersion.fromSolutionVersionArn(stack, 'V', 'arn:aws:personalize:us-west-2:123456789012:solution/segments/abcd1234');
    const bucket = new s3.Bucket(stack, 'B');
    new BatchSegmentJob(stack, 'Segments', { solutionVersion: version, input: { bucket, prefix: 'items/' }, output: { bucket, prefix: 'segments/' } });
    Template.fromStack(stack).resourceCountIs(SEGMENT_JOB, 1);
  });
});
