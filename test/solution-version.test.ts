import { App, CfnParameter, Duration, Lazy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import {
  Dataset, DatasetGroup, HyperParameterRange, HyperParameterRanges, HyperParameters, OfflineMetric, Recipe, Schema, SchemaField, Solution,
  SolutionProps, SolutionVersion, SolutionVersionOptions, TrainingMode,
} from '../src';

const VERSION = 'Custom::PersonalizeSolutionVersion';
const RESULT = 'Custom::PersonalizeTrainingResult';

function hrnnStack(versionProps: Record<string, unknown> = {}): { stack: Stack; solution: Solution; version: SolutionVersion } {
  const stack = new Stack(new App(), 'Training', { env: { account: '123456789012', region: 'us-west-2' } });
  const datasetGroup = DatasetGroup.fromDatasetGroupArn(stack, 'Group', 'arn:aws:personalize:us-west-2:123456789012:dataset-group/hpo');
  const solution = new Solution(stack, 'Hrnn', {
    datasetGroup,
    recipe: Recipe.HRNN,
    solutionName: 'hpo',
    hyperParameters: HyperParameters.hrnn({ hiddenDimension: 55 }),
    hpo: {
      ranges: HyperParameterRanges.hrnn({ recencyMask: HyperParameterRange.trueOrFalse(), bptt: HyperParameterRange.integer(20, 40) }),
      maxNumberOfTrainingJobs: 4,
      maxParallelTrainingJobs: 2,
    },
  });
  const version = solution.addVersion('Version', versionProps);
  return { stack, solution, version };
}

function logicalIdOf(template: Template, type: string): string[] {
  return Object.keys(template.findResources(type));
}

describe('SolutionVersion', () => {
  test('starts training through the provider and waits on a wait condition with a 12-hour creation policy', () => {
    const { stack } = hrnnStack({ trainingTimeout: Duration.hours(8), retrainTrigger: 'import-1' });
    const template = Template.fromStack(stack);

    template.hasResourceProperties(VERSION, {
      solutionArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('Hrnn'), 'SolutionArn'] },
      trainingMode: 'FULL',
      RetrainTrigger: 'import-1',
      TrainingTimeoutSeconds: 28800,
      // The poller schedules its own checks.
      PollIntervalSeconds: Match.absent(),
      WaitCondition: Match.stringLikeRegexp('^HrnnVersionTraining[0-9A-Z]+$'),
      StateMachineArn: { Ref: Match.stringLikeRegexp('TrainingWaiterStateMachine') },
    });
    // No handle and no presigned URL: the poller signals with SignalResource, which CloudFormation
    // accepts only while this wait condition is being created.
    template.resourceCountIs('AWS::CloudFormation::WaitConditionHandle', 0);
    const [waitId] = logicalIdOf(template, 'AWS::CloudFormation::WaitCondition');
    template.hasResource('AWS::CloudFormation::WaitCondition', {
      Properties: Match.absent(),
      CreationPolicy: { ResourceSignal: { Count: 1, Timeout: 'PT12H' } },
      DependsOn: [Match.stringLikeRegexp('HrnnVersion')],
    });
    expect(template.findResources(VERSION)[logicalIdOf(template, VERSION)[0]].Properties.WaitCondition).toBe(waitId);
    // The result resource tells a stop at the deadline from other stops.
    template.hasResourceProperties(RESULT, { TrainingTimeoutSeconds: 28800 });
    template.hasResource(RESULT, {
      Properties: {
        SolutionVersionArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('HrnnVersion'), 'SolutionVersionArn'] },
        // The declared ranges, then every other tunable hyperparameter of the recipe.
        TunedHyperParameters: ['bptt', 'recency_mask', 'hidden_dimension'],
        Metrics: Match.arrayWith(['coverage', 'mean_reciprocal_rank_at_25', 'normalized_discounted_cumulative_gain_at_10', 'precision_at_25']),
      },
      DependsOn: [Match.stringLikeRegexp('HrnnVersionTraining')],
    });
  });

  test('adds four outputs a person recognizes by default: the ARN, the hours and two JSON objects', () => {
    const { stack } = hrnnStack({ outputPrefix: 'Hrnn' });
    const outputs = Template.fromStack(stack).findOutputs('*');

    expect(Object.keys(outputs).sort()).toEqual(['HrnnMetrics', 'HrnnSolutionVersionArn', 'HrnnTrainingHours', 'HrnnTunedHyperParameters']);
    expect(outputs.HrnnTunedHyperParameters.Value).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/Result/), 'TunedHPOParams'] });
    expect(outputs.HrnnMetrics.Value).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/Result/), 'MetricsJson'] });
  });

  test('detailedOutputs adds one per tuned hyperparameter and metric, the status, and the hyperparameters tuned at a bound', () => {
    const { stack } = hrnnStack({ outputPrefix: 'Hrnn', detailedOutputs: true });
    const outputs = Template.fromStack(stack).findOutputs('*');

    expect(Object.keys(outputs)).toEqual(expect.arrayContaining([
      'HrnnSolutionVersionArn', 'HrnnStatus', 'HrnnTrainingHours', 'HrnnTunedHyperParameters', 'HrnnMetrics',
      'HrnnTunedBptt', 'HrnnTunedRecencyMask', 'HrnnTunedHiddenDimension', 'HrnnTunedAtBounds',
      'HrnnCoverage', 'HrnnMrrAt25', 'HrnnNdcgAt5', 'HrnnNdcgAt10', 'HrnnNdcgAt25', 'HrnnPrecisionAt5', 'HrnnPrecisionAt10', 'HrnnPrecisionAt25',
    ]));
    expect(Object.keys(outputs)).toHaveLength(17);
    expect(outputs.HrnnTunedAtBounds.Value).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/Result/), 'TunedAtBounds'] });
    expect(outputs.HrnnTunedBptt.Value).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/Result/), 'Tuned.bptt'] });
  });

  test('the result receives the numeric ranges, to say which tuned values landed at a bound; categorical ranges have none', () => {
    const { stack, version } = hrnnStack();
    Template.fromStack(stack).hasResourceProperties('Custom::PersonalizeTrainingResult', {
      TunedRanges: { bptt: { min: 20, max: 40, integer: true } },
    });
    expect(version.tunedAtBounds).toMatch(/\$\{Token\[/);
  });

  test('outputs can be turned off', () => {
    const { stack } = hrnnStack({ outputs: false });
    expect(Object.keys(Template.fromStack(stack).findOutputs('*'))).toEqual([]);
  });

  test('tunedHyperParameter returns a token for a tuned name and fails for others', () => {
    const { version } = hrnnStack();
    expect(version.tunedHyperParameter('bptt')).toMatch(/\$\{Token\[/);
    expect(version.tunedHyperParameter('hidden_dimension')).toMatch(/\$\{Token\[/);
    expect(() => version.tunedHyperParameter('min_user_history_length_percentile'))
      .toThrow(/'min_user_history_length_percentile' is not tuned by solution Training\/Hrnn; tuned hyperparameters: bptt, recency_mask, hidden_dimension/);
    expect(() => version.offlineMetric('auc')).toThrow(/'auc' is not reported/);
  });

  test('tunedHyperParameter also takes the name the typed ranges use; offlineMetricValue takes an OfflineMetric', () => {
    const { stack, version } = hrnnStack();
    expect(stack.resolve(version.tunedHyperParameter('hiddenDimension'))).toEqual(stack.resolve(version.tunedHyperParameter('hidden_dimension')));
    expect(stack.resolve(version.tunedHyperParameter('recencyMask'))).toEqual(stack.resolve(version.tunedHyperParameter('recency_mask')));
    expect(() => version.tunedHyperParameter('minUserHistoryLengthPercentile')).toThrow(/'minUserHistoryLengthPercentile' is not tuned/);
    expect(stack.resolve(version.offlineMetricValue(OfflineMetric.COVERAGE))).toEqual(stack.resolve(version.offlineMetric('coverage')));
    expect(() => version.offlineMetricValue('coverage' as any)).toThrow(/offlineMetricValue metric is the string "coverage": must be OfflineMetric/);
  });

  test('a new retrain trigger means a new wait condition', () => {
    const idsFor = (trigger: string) => {
      const { stack } = hrnnStack({ retrainTrigger: trigger });
      return logicalIdOf(Template.fromStack(stack), 'AWS::CloudFormation::WaitCondition');
    };
    const first = idsFor('import-1');
    expect(idsFor('import-1')).toEqual(first);
    expect(idsFor('import-2').some(id => first.includes(id))).toBe(false);
  });

  test('a changed solution configuration means a new wait condition', () => {
    const waitConditionFor = (maxJobs: number) => {
      const stack = new Stack(new App(), 'S', { env: { account: '123456789012', region: 'us-west-2' } });
      const datasetGroup = DatasetGroup.fromDatasetGroupArn(stack, 'Group', 'arn:aws:personalize:us-west-2:123456789012:dataset-group/hpo');
      new Solution(stack, 'Up', {
        datasetGroup,
        recipe: Recipe.USER_PERSONALIZATION,
        hpo: { ranges: HyperParameterRanges.userPersonalization({ bptt: HyperParameterRange.integer(4, 16) }), maxNumberOfTrainingJobs: maxJobs },
      }).addVersion('V');
      return logicalIdOf(Template.fromStack(stack), 'AWS::CloudFormation::WaitCondition');
    };
    expect(waitConditionFor(4)).not.toEqual(waitConditionFor(8));
  });

  describe('the training key sees what only deploy resolves', () => {
    const waitFor = (build: (stack: Stack) => void) => {
      const stack = new Stack(new App(), 'K', { env: { account: '123456789012', region: 'us-west-2' } });
      build(stack);
      return logicalIdOf(Template.fromStack(stack), 'AWS::CloudFormation::WaitCondition');
    };
    const upIn = (stack: Stack, datasetGroup: DatasetGroup, options: Partial<SolutionProps> = {}, version: SolutionVersionOptions = {}) =>
      new Solution(stack, 'Up', { datasetGroup, recipe: Recipe.USER_PERSONALIZATION_V2, ...options }).addVersion('V', version);

    test('the wait condition is named once: a second synthesis gives the same logical id', () => {
      const app = new App();
      const stack = new Stack(app, 'Twice', { env: { account: '123456789012', region: 'us-west-2' } });
      upIn(stack, new DatasetGroup(stack, 'Group', { datasetGroupName: 'g' }));
      const first = logicalIdOf(Template.fromStack(stack), 'AWS::CloudFormation::WaitCondition');
      const again = Object.entries<any>(app.synth().getStackByName('Twice').template.Resources)
        .filter(([, r]) => r.Type === 'AWS::CloudFormation::WaitCondition').map(([id]) => id);
      expect(first).toHaveLength(1);
      expect(again).toEqual(first);
    });

    test('a renamed dataset group (whose ARN is a token) means a new wait condition', () => {
      const named = (name: string) => waitFor(stack => upIn(stack, new DatasetGroup(stack, 'Group', { datasetGroupName: name })));
      expect(named('movies')).toEqual(named('movies'));
      expect(named('movies')).not.toEqual(named('films'));
    });

    test('a dataset group of another stack (a cross-stack reference) is seen through too', () => {
      const ids = (name: string) => {
        const app = new App();
        const env = { account: '123456789012', region: 'us-west-2' };
        const datasetGroup = new DatasetGroup(new Stack(app, 'Data', { env }), 'Group', { datasetGroupName: name });
        const train = new Stack(app, 'Train', { env });
        upIn(train, datasetGroup);
        return logicalIdOf(Template.fromStack(train), 'AWS::CloudFormation::WaitCondition');
      };
      expect(ids('movies')).toEqual(ids('movies'));
      expect(ids('movies')).not.toEqual(ids('films'));
    });

    test('a dataset group replaced under another construct id means a new wait condition', () => {
      const withId = (id: string) => waitFor(stack => upIn(stack, new DatasetGroup(stack, id, { datasetGroupName: 'movies' })));
      expect(withId('Group')).not.toEqual(withId('Movies'));
    });

    test('changes UpdateSolution applies in place keep the wait condition (no training)', () => {
      const base = (options: Partial<SolutionProps>) => waitFor(stack => upIn(stack, new DatasetGroup(stack, 'Group', { datasetGroupName: 'g' }), options));
      const before = base({});
      expect(base({ performAutoTraining: true })).toEqual(before);
      expect(base({ performAutoTraining: true, autoTrainingSchedule: Duration.days(3) })).toEqual(before);
      expect(base({ eventParameters: [{ eventType: 'click', weight: 0.5 }] })).toEqual(before);
      // What replaces the solution does change it.
      expect(base({ eventType: 'click' })).not.toEqual(before);
    });

    test('a hyperparameter from a CfnParameter fails synth unless a retrainTrigger is set', () => {
      const build = (version: SolutionVersionOptions) => (stack: Stack) => {
        const dim = new CfnParameter(stack, 'HiddenDimension', { type: 'Number', default: 64 });
        new Solution(stack, 'Up', {
          datasetGroup: new DatasetGroup(stack, 'Group', { datasetGroupName: 'g' }),
          recipe: Recipe.USER_PERSONALIZATION,
          hyperParameters: HyperParameters.userPersonalization({ hiddenDimension: dim.valueAsNumber }),
        }).addVersion('V', version);
      };
      expect(() => waitFor(build({}))).toThrow(
        /SolutionVersion K\/Up\/V: the solution's configuration uses values known only at deploy time \(parameter HiddenDimension\).*Set retrainTrigger, and change it whenever those values change/);
      expect(waitFor(build({ retrainTrigger: 'dim-64' }))).toHaveLength(1);
    });
  });

  test('one state machine per stack polls and logs to CloudWatch; a rule catches dead executions', () => {
    const stack = new Stack(new App(), 'Two', { env: { account: '123456789012', region: 'us-west-2' } });
    const datasetGroup = DatasetGroup.fromDatasetGroupArn(stack, 'Group', 'arn:aws:personalize:us-west-2:123456789012:dataset-group/g');
    new Solution(stack, 'A', { datasetGroup, recipe: Recipe.SIMS }).addVersion('V');
    new Solution(stack, 'B', { datasetGroup, recipe: Recipe.SIMILAR_ITEMS }).addVersion('V');
    const template = Template.fromStack(stack);

    // Ours, and the provider framework's waiter for isComplete.
    template.resourceCountIs('AWS::StepFunctions::StateMachine', 2);
    template.resourceCountIs(VERSION, 2);
    // Errors only, never execution data, into a /aws/vendedlogs/ group (outside CloudWatch Logs' resource policy).
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      LoggingConfiguration: { Level: 'ERROR', IncludeExecutionData: false, Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: Match.anyValue() } }] },
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: { 'Fn::Join': ['', ['/aws/vendedlogs/states/cdk-personalize-training-', { 'Fn::Select': [2, { 'Fn::Split': ['/', { Ref: 'AWS::StackId' }] }] }]] },
    });
    // The poller signals this stack's wait conditions only.
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([{
          Action: ['cloudformation:SignalResource', 'cloudformation:DescribeStackResource', 'cloudformation:DescribeStacks'],
          Effect: 'Allow',
          Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':cloudformation:us-west-2:123456789012:stack/Two/*']] },
        }]),
      },
      Roles: [{ Ref: Match.stringLikeRegexp('TrainingWaiterPollerRole') }],
    });
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        'source': ['aws.states'],
        'detail-type': ['Step Functions Execution Status Change'],
        'detail': { status: ['FAILED', 'TIMED_OUT', 'ABORTED'] },
      },
    });
  });

  test('IAM is scoped to the solution and its versions', () => {
    const { stack } = hrnnStack();
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Action: Match.arrayWith(['personalize:CreateSolutionVersion', 'personalize:StopSolutionVersionCreation']),
          Resource: [
            'arn:aws:personalize:us-west-2:123456789012:solution/hpo',
            'arn:aws:personalize:us-west-2:123456789012:solution/hpo/*',
          ],
        })]),
      },
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Action: ['personalize:DescribeSolutionVersion', 'personalize:StopSolutionVersionCreation'],
          Resource: ['arn:aws:personalize:us-west-2:123456789012:solution/hpo', 'arn:aws:personalize:us-west-2:123456789012:solution/hpo/*'],
        })]),
      },
      Roles: [{ Ref: Match.stringLikeRegexp('TrainingWaiterPoller') }],
    });
  });

  test('UPDATE training follows a FULL version of the same solution', () => {
    const stack = new Stack(new App(), 'Upd', { env: { account: '123456789012', region: 'us-west-2' } });
    const datasetGroup = DatasetGroup.fromDatasetGroupArn(stack, 'Group', 'arn:aws:personalize:us-west-2:123456789012:dataset-group/g');
    const solution = new Solution(stack, 'Up', { datasetGroup, recipe: Recipe.USER_PERSONALIZATION });
    solution.addVersion('Full');
    solution.addVersion('Update', { trainingMode: TrainingMode.UPDATE, retrainTrigger: 'import-2' });

    const template = Template.fromStack(stack);
    template.hasResource(VERSION, {
      Properties: { trainingMode: 'UPDATE' },
      DependsOn: Match.arrayWith([Match.stringLikeRegexp('UpFullResult'), Match.stringLikeRegexp('UpFull')]),
    });
  });

  test.each([
    ['trainingTimeout of 12 hours (the wait condition would time out first)', { trainingTimeout: Duration.hours(12) }, /trainingTimeout is '12 hours': must be from 10 minutes to 11 hours/],
    ['trainingTimeout below 10 minutes', { trainingTimeout: Duration.minutes(5) }, /trainingTimeout is '5 minutes'/],
    ['a retrain trigger unknown at synth', { retrainTrigger: Lazy.string({ produce: () => 'x' }) }, /retrainTrigger is .*: must be known at synth/],
    ['a version name with a space', { solutionVersionName: 'v 1' }, /solutionVersionName is 'v 1': must match/],
  ])('fails when %s', (_name, props, message) => {
    expect(() => hrnnStack(props)).toThrow(message);
  });

  test('fails when UPDATE is asked of a recipe without it', () => {
    const stack = new Stack(new App(), 'Sims');
    const datasetGroup = DatasetGroup.fromDatasetGroupArn(stack, 'Group', 'arn:aws:personalize:us-west-2:123456789012:dataset-group/g');
    const solution = new Solution(stack, 'S', { datasetGroup, recipe: Recipe.SIMS });
    solution.addVersion('Full');
    expect(() => solution.addVersion('Update', { trainingMode: TrainingMode.UPDATE })).toThrow(/trainingMode is 'UPDATE': recipe aws-sims does not support UPDATE training/);
  });

  test('fails when UPDATE comes before any FULL version', () => {
    const stack = new Stack(new App(), 'NoFull');
    const datasetGroup = DatasetGroup.fromDatasetGroupArn(stack, 'Group', 'arn:aws:personalize:us-west-2:123456789012:dataset-group/g');
    const solution = new Solution(stack, 'S', { datasetGroup, recipe: Recipe.USER_PERSONALIZATION });
    expect(() => solution.addVersion('Update', { trainingMode: TrainingMode.UPDATE })).toThrow(/an UPDATE needs a FULL version of solution NoFull\/S first/);
  });

  test('trains an imported solution, scoped to its ARN', () => {
    const stack = new Stack(new App(), 'Imported', { env: { account: '123456789012', region: 'us-west-2' } });
    const solution = Solution.fromSolutionArn(stack, 'S', 'arn:aws:personalize:us-west-2:123456789012:solution/existing');
    new SolutionVersion(stack, 'V', { solution });

    const template = Template.fromStack(stack);
    template.hasResourceProperties(VERSION, { solutionArn: 'arn:aws:personalize:us-west-2:123456789012:solution/existing' });
    template.hasResourceProperties(RESULT, { TunedHyperParameters: [] });
  });

  test('trains only after the data imports of its dataset group completed', () => {
    const stack = new Stack(new App(), 'Data', { env: { account: '123456789012', region: 'us-west-2' } });
    const datasetGroup = new DatasetGroup(stack, 'Group', { datasetGroupName: 'movies' });
    const schema = Schema.interactions(stack, 'Schema', { fields: [SchemaField.ofString('EVENT_TYPE')] });
    const bucket = new s3.Bucket(stack, 'Bucket');
    const solution = new Solution(stack, 'Sims', { datasetGroup, recipe: Recipe.SIMS });
    solution.addVersion('Version');
    // Added after the version: still waited for.
    new Dataset(stack, 'Interactions', { datasetGroup, schema, importSource: { bucket, prefix: 'interactions/' } });

    const template = Template.fromStack(stack);
    // The import's result, which exists only once the import job is ACTIVE.
    const [resultId] = Object.keys(template.findResources('Custom::PersonalizeDatasetImportResult'));
    template.hasResource(VERSION, { DependsOn: Match.arrayWith([resultId]) });
  });

  test('retrainOnImport: the version follows the group\'s import jobs, and a new import names a new wait condition', () => {
    const build = (importTrigger: string, retrainOnImport?: boolean) => {
      const stack = new Stack(new App(), 'Data', { env: { account: '123456789012', region: 'us-west-2' } });
      const datasetGroup = new DatasetGroup(stack, 'Group', { datasetGroupName: 'movies' });
      const schema = Schema.interactions(stack, 'Schema', { fields: [SchemaField.ofString('EVENT_TYPE')] });
      const solution = new Solution(stack, 'Sims', { datasetGroup, recipe: Recipe.SIMS });
      solution.addVersion('Version', { retrainOnImport });
      new Dataset(stack, 'Interactions', { datasetGroup, schema, importSource: { bucket: new s3.Bucket(stack, 'Bucket'), prefix: 'i/', importTrigger } });
      return Template.fromStack(stack);
    };
    const template = build('2026-11-28', true);
    const [resultId] = Object.keys(template.findResources('Custom::PersonalizeDatasetImportResult'));
    template.hasResourceProperties(VERSION, { FollowedImports: [{ 'Fn::GetAtt': [resultId, 'DatasetImportJobArn'] }] });
    const wait = (t: Template) => Object.keys(t.findResources('AWS::CloudFormation::WaitCondition')).filter(id => id.includes('Training'));
    expect(wait(build('2026-12-05', true))).not.toEqual(wait(template));
    // Without it, a new import neither changes the version nor its wait condition.
    build('2026-11-28').hasResourceProperties(VERSION, { FollowedImports: Match.absent() });
    expect(wait(build('2026-12-05'))).toEqual(wait(build('2026-11-28')));
  });

  test('retrainOnImport fails for an imported solution: its imports are unknown', () => {
    const stack = new Stack(new App(), 'Imported', { env: { account: '123456789012', region: 'us-west-2' } });
    const solution = Solution.fromSolutionArn(stack, 'S', 'arn:aws:personalize:us-west-2:123456789012:solution/existing');
    new SolutionVersion(stack, 'V', { solution, retrainOnImport: true });
    expect(() => Template.fromStack(stack)).toThrow('SolutionVersion Imported/V: retrainOnImport needs a Solution of this app');
    expect(() => new SolutionVersion(new Stack(), 'V', { solution, retrainOnImport: 'yes' as any })).toThrow('retrainOnImport is the string "yes": must be true or false');
  });
});

describe('tunedHyperParameters: tune once, retrain without HPO', () => {
  const build = (recipe: Recipe, solutionName?: string) => {
    const stack = new Stack(new App(), 'TuneOnce', { env: { account: '123456789012', region: 'us-west-2' } });
    const datasetGroup = new DatasetGroup(stack, 'Group');
    const tuning = new Solution(stack, 'Tuning', {
      datasetGroup,
      recipe: Recipe.USER_PERSONALIZATION,
      hpo: {
        ranges: HyperParameterRanges.userPersonalization({ bptt: HyperParameterRange.integer(20, 40) }),
        maxNumberOfTrainingJobs: 2,
        maxParallelTrainingJobs: 2,
      },
    });
    const version = tuning.addVersion('Version');
    new Solution(stack, 'Production', { datasetGroup, recipe, solutionName, hyperParameters: version.tunedHyperParameters() });
    return { stack, version };
  };

  test('a tuning range beyond the documented bounds warns on the solution that takes its values as fixed ones (open fact 44)', () => {
    const { stack } = build(Recipe.USER_PERSONALIZATION);
    const production = Annotations.fromStack(stack).findWarning('/TuneOnce/Production', Match.anyValue()).map(w => String(w.entry.data));
    expect(production).toEqual([expect.stringMatching(
      /^hyperParameters.bptt is tuned by TuneOnce\/Tuning\/Version over 20 to 40, beyond the documented bounds 2 to 32: HPO may choose a value Personalize refuses as a fixed value here/)]);
  });

  test('the declared ranges\' values, resolved at deploy time from the version\'s training result', () => {
    const { stack } = build(Recipe.USER_PERSONALIZATION);
    Template.fromStack(stack).hasResourceProperties('Custom::PersonalizeSolution', {
      name: Match.stringLikeRegexp('Production'),
      solutionConfig: { algorithmHyperParameters: { bptt: { 'Fn::GetAtt': [Match.stringLikeRegexp('^TuningVersionResult'), 'Tuned.bptt'] } } },
    });
    // The tuning's result fails when HPO reports no value for a name handed on.
    Template.fromStack(stack).hasResourceProperties('Custom::PersonalizeTrainingResult', { RequiredTunedHyperParameters: ['bptt'] });
  });

  test('a solution of another recipe cannot take them; a version without HPO has none', () => {
    expect(() => build(Recipe.PERSONALIZED_RANKING)).toThrow(/hyperParameters tuned by TuneOnce\/Tuning\/Version on recipe aws-user-personalization: a solution of recipe aws-personalized-ranking cannot take them/);
    const stack = new Stack(new App(), 'NoHpo');
    const plain = new Solution(stack, 'Plain', { datasetGroup: new DatasetGroup(stack, 'Group'), recipe: Recipe.USER_PERSONALIZATION });
    expect(() => plain.addVersion('Version').tunedHyperParameters()).toThrow(/solution NoHpo\/Plain does not run HPO over declared ranges/);
  });

  test('fails when the solution taking them has a fixed name: each retune is a replacement the name refuses', () => {
    expect(() => build(Recipe.USER_PERSONALIZATION, 'production')).toThrow(
      "hyperParameters tuned by TuneOnce/Tuning/Version with a fixed solutionName 'production': each new tuning replaces this solution");
  });
});
