import * as fs from 'fs';
import * as path from 'path';
import { App, Duration, Stack, Tags } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import {
  DatasetGroup, HyperParameterRange, HyperParameterRanges, HyperParameters, IDatasetGroup, ObjectiveSensitivity,
  Recipe, Solution,
} from '../src';

const SOLUTION = 'Custom::PersonalizeSolution';
const DATASET_GROUP_ARN = 'arn:aws:personalize:us-west-2:123456789012:dataset-group/movies';

function stackWithDatasetGroup(env = { account: '123456789012', region: 'us-west-2' }): { stack: Stack; datasetGroup: IDatasetGroup } {
  const stack = new Stack(new App(), 'TestStack', { env });
  const datasetGroup = DatasetGroup.fromDatasetGroupArn(stack, 'DatasetGroup', DATASET_GROUP_ARN);
  return { stack, datasetGroup };
}

/** The documentation's HRNN + HPO example, written with the typed API. */
function hrnnWithHpo(stack: Stack, datasetGroup: IDatasetGroup): Solution {
  return new Solution(stack, 'Hrnn', {
    datasetGroup,
    recipe: Recipe.HRNN,
    hyperParameters: HyperParameters.hrnn({ hiddenDimension: 55 }),
    hpo: {
      ranges: HyperParameterRanges.hrnn({
        recencyMask: HyperParameterRange.trueOrFalse(),
        bptt: HyperParameterRange.integer(20, 40),
      }),
      maxNumberOfTrainingJobs: 4,
      maxParallelTrainingJobs: 2,
    },
  });
}

describe('Solution', () => {
  test('renders the documentation\'s HRNN HPO request exactly', () => {
    const { stack, datasetGroup } = stackWithDatasetGroup();
    hrnnWithHpo(stack, datasetGroup);

    const fixture = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'hrnn-hpo-create-solution.json'), 'utf-8'));
    const resources = Template.fromStack(stack).findResources(SOLUTION);
    const [properties] = Object.values(resources).map(r => r.Properties);

    // The members the example leaves out, added as the issue allows.
    expect(properties.name).toMatch(/^[a-zA-Z0-9][a-zA-Z0-9\-_]*$/);
    expect(properties.datasetGroupArn).toEqual(DATASET_GROUP_ARN);
    expect(properties.performAutoTraining).toBe(false);
    expect(properties.solutionConfig.hpoConfig.algorithmHyperParameterRanges.continuousHyperParameterRanges).toEqual([]);

    // Everything the example shows, unchanged.
    const { ServiceToken, NameIsGenerated, name, datasetGroupArn, performAutoTraining, ...rest } = properties;
    delete rest.solutionConfig.hpoConfig.algorithmHyperParameterRanges.continuousHyperParameterRanges;
    expect(rest).toEqual(fixture);
    expect(NameIsGenerated).toBe(true);
    expect(ServiceToken).toBeDefined();
  });

  test('recipe ARN follows the partition when the region is unknown', () => {
    const stack = new Stack(new App(), 'Agnostic');
    const datasetGroup = DatasetGroup.fromDatasetGroupArn(stack, 'DatasetGroup', DATASET_GROUP_ARN);
    new Solution(stack, 'S', { datasetGroup, recipe: Recipe.USER_PERSONALIZATION });

    Template.fromStack(stack).hasResourceProperties(SOLUTION, {
      recipeArn: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':personalize:::recipe/aws-user-personalization']] },
    });
  });

  test('automatic training is off by default and nothing else is sent', () => {
    const { stack, datasetGroup } = stackWithDatasetGroup();
    new Solution(stack, 'S', { datasetGroup, recipe: Recipe.USER_PERSONALIZATION_V2 });

    Template.fromStack(stack).hasResourceProperties(SOLUTION, {
      performAutoTraining: false,
      performHPO: false,
      performAutoML: false,
      solutionConfig: Match.absent(),
      tags: Match.absent(),
    });
  });

  test('renders every member of the newer API', () => {
    const { stack, datasetGroup } = stackWithDatasetGroup();
    new Solution(stack, 'S', {
      datasetGroup,
      recipe: Recipe.USER_PERSONALIZATION_V2,
      solutionName: 'my-solution',
      eventType: 'click',
      eventValueThreshold: 0.5,
      eventParameters: [{ eventType: 'click', weight: 0.3 }, { eventType: 'purchase', weight: 1, eventValueThreshold: 10 }],
      excludedDatasetColumns: { items: ['GENRE'] },
      includedDatasetColumns: { users: ['AGE'], interactions: ['DEVICE'] },
      performAutoTraining: true,
      autoTrainingSchedule: Duration.days(3),
      hyperParameters: HyperParameters.userPersonalizationV2({ applyRecencyBias: false }),
    });

    Template.fromStack(stack).hasResourceProperties(SOLUTION, {
      name: 'my-solution',
      NameIsGenerated: false,
      eventType: 'click',
      performAutoTraining: true,
      solutionConfig: {
        eventValueThreshold: '0.5',
        algorithmHyperParameters: { apply_recency_bias: 'false' },
        eventsConfig: {
          eventParametersList: [
            { eventType: 'click', weight: 0.3 },
            { eventType: 'purchase', weight: 1, eventValueThreshold: 10 },
          ],
        },
        trainingDataConfig: {
          excludedDatasetColumns: { Items: ['GENRE'] },
          includedDatasetColumns: { Users: ['AGE'], Interactions: ['DEVICE'] },
        },
        autoTrainingConfig: { schedulingExpression: 'rate(3 days)' },
      },
    });
  });

  test('optimization objective and feature transformation parameters go where the recipe expects', () => {
    const { stack, datasetGroup } = stackWithDatasetGroup();
    new Solution(stack, 'S', {
      datasetGroup,
      recipe: Recipe.USER_PERSONALIZATION,
      hyperParameters: HyperParameters.userPersonalization({ bptt: 16, recencyMask: false, maxUserHistoryLengthPercentile: 0.95 }),
      optimizationObjective: { itemAttribute: 'PRICE', objectiveSensitivity: ObjectiveSensitivity.HIGH },
    });

    Template.fromStack(stack).hasResourceProperties(SOLUTION, {
      solutionConfig: {
        algorithmHyperParameters: Match.objectEquals({ bptt: '16', recency_mask: 'false' }),
        featureTransformationParameters: Match.objectEquals({ max_user_history_length_percentile: '0.95' }),
        optimizationObjective: { itemAttribute: 'PRICE', objectiveSensitivity: 'HIGH' },
      },
    });
  });

  test('SIMS ranges render as continuous and integer lists, and HPO without resource limits omits them', () => {
    const { stack, datasetGroup } = stackWithDatasetGroup();
    new Solution(stack, 'S', {
      datasetGroup,
      recipe: Recipe.SIMS,
      hpo: {
        ranges: HyperParameterRanges.sims({
          popularityDiscountFactor: HyperParameterRange.continuous(0.1, 0.9),
          minCointeractionCount: HyperParameterRange.integer(1, 8),
        }),
      },
    });

    Template.fromStack(stack).hasResourceProperties(SOLUTION, {
      performHPO: true,
      solutionConfig: {
        hpoConfig: Match.objectEquals({
          algorithmHyperParameterRanges: {
            integerHyperParameterRanges: [{ name: 'min_cointeraction_count', minValue: 1, maxValue: 8 }],
            continuousHyperParameterRanges: [{ name: 'popularity_discount_factor', minValue: 0.1, maxValue: 0.9 }],
            categoricalHyperParameterRanges: [],
          },
        }),
      },
    });
  });

  test('AutoML renders only autoMLConfig, without a recipe, and warns', () => {
    const { stack, datasetGroup } = stackWithDatasetGroup();
    new Solution(stack, 'S', {
      datasetGroup,
      autoMl: { metricName: 'precision_at_25', recipes: [Recipe.HRNN, Recipe.HRNN_METADATA] },
    });

    const template = Template.fromStack(stack);
    template.hasResourceProperties(SOLUTION, {
      performAutoML: true,
      performHPO: true,
      recipeArn: Match.absent(),
      solutionConfig: Match.objectEquals({
        autoMLConfig: {
          metricName: 'precision_at_25',
          recipeList: ['arn:aws:personalize:::recipe/aws-hrnn', 'arn:aws:personalize:::recipe/aws-hrnn-metadata'],
        },
      }),
    });
    Annotations.fromStack(stack).hasWarning('/TestStack/S', Match.stringLikeRegexp('autoMl is set'));
  });

  test('tags from Tags.of reach the request', () => {
    const { stack, datasetGroup } = stackWithDatasetGroup();
    const solution = new Solution(stack, 'S', { datasetGroup, recipe: Recipe.SIMS });
    Tags.of(solution).add('team', 'recs');

    Template.fromStack(stack).hasResourceProperties(SOLUTION, {
      tags: [{ tagKey: 'team', tagValue: 'recs' }],
    });
  });

  test('fails when more than 49 tags are added (one of the 50 is the construct\'s)', () => {
    const withTags = (count: number) => {
      const { stack, datasetGroup } = stackWithDatasetGroup();
      const solution = new Solution(stack, 'S', { datasetGroup, recipe: Recipe.SIMS });
      for (let i = 0; i < count; i++) {
        Tags.of(solution).add(`key${i}`, 'v');
      }
      return stack;
    };
    expect(() => Template.fromStack(withTags(49))).not.toThrow();
    expect(() => Template.fromStack(withTags(50))).toThrow(/tags has 50 tags: a solution can have at most 49 \(Personalize allows 50, and one is the construct's 'cdk-personalize:spec'\)/);
  });

  test('the construct\'s own tag key is reserved', () => {
    const { stack, datasetGroup } = stackWithDatasetGroup();
    const solution = new Solution(stack, 'S', { datasetGroup, recipe: Recipe.SIMS });
    Tags.of(solution).add('cdk-personalize:spec', 'mine');

    expect(() => Template.fromStack(stack)).toThrow(/tag key 'cdk-personalize:spec' is reserved: the construct sets it/);
  });

  test('the legacy recipe of the documentation example is warned about, and the out-of-bounds range too', () => {
    const { stack, datasetGroup } = stackWithDatasetGroup();
    hrnnWithHpo(stack, datasetGroup);

    const annotations = Annotations.fromStack(stack);
    annotations.hasWarning('/TestStack/Hrnn', Match.stringLikeRegexp('recipe aws-hrnn is legacy'));
    annotations.hasWarning('/TestStack/Hrnn', Match.stringLikeRegexp('hpo.ranges.bptt is 20 to 40, beyond the documented bounds 2 to 32'));
  });

  test('one provider serves every solution of a stack', () => {
    const { stack, datasetGroup } = stackWithDatasetGroup();
    new Solution(stack, 'A', { datasetGroup, recipe: Recipe.SIMS });
    new Solution(stack, 'B', { datasetGroup, recipe: Recipe.SIMILAR_ITEMS });

    const template = Template.fromStack(stack);
    // onEvent, isComplete and the provider framework's three functions.
    template.resourceCountIs('AWS::Lambda::Function', 5);
    template.resourceCountIs(SOLUTION, 2);
    template.hasResourceProperties('AWS::Lambda::Function', { Runtime: 'nodejs22.x', Handler: 'index.handler' });
  });

  test('a replacement name is left to the handler: the generated base leaves room for a suffix', () => {
    const { stack, datasetGroup } = stackWithDatasetGroup();
    new Solution(stack, 'AVeryLongConstructIdThatGoesOnAndOnAndOnBeyondSixtyThreeCharactersForSure', { datasetGroup, recipe: Recipe.SIMS });

    const [properties] = Object.values(Template.fromStack(stack).findResources(SOLUTION)).map(r => r.Properties);
    expect(properties.name.length).toBeLessThanOrEqual(54);
  });

  test('handlers get least privilege: no personalize:*, * only for List actions', () => {
    const { stack, datasetGroup } = stackWithDatasetGroup();
    new Solution(stack, 'S', { datasetGroup, recipe: Recipe.SIMS, solutionName: 'sims' });

    const policies = Template.fromStack(stack).findResources('AWS::IAM::Policy');
    const statements = Object.values(policies).flatMap(p => p.Properties.PolicyDocument.Statement as any[]);
    for (const statement of statements) {
      const actions = ([] as string[]).concat(statement.Action);
      expect(actions).not.toContain('personalize:*');
      if (([] as unknown[]).concat(statement.Resource).includes('*')) {
        for (const action of actions.filter(a => a.startsWith('personalize:'))) {
          expect(action).toMatch(/^personalize:List/);
        }
      }
    }
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Action: 'personalize:CreateSolution',
          Resource: Match.arrayWith([
            DATASET_GROUP_ARN,
            'arn:aws:personalize:us-west-2:123456789012:solution/sims',
          ]),
        })]),
      },
    });
  });

  test('grantRead covers the solution and its versions', () => {
    const { stack, datasetGroup } = stackWithDatasetGroup();
    const solution = new Solution(stack, 'S', { datasetGroup, recipe: Recipe.SIMS });
    const role = new iam.Role(stack, 'Reader', { assumedBy: new iam.AccountRootPrincipal() });
    solution.grantRead(role);

    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('Reader') }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: ['personalize:DescribeSolution', 'personalize:DescribeSolutionVersion', 'personalize:GetSolutionMetrics'],
            Resource: [
              { 'Fn::GetAtt': [Match.anyValue(), 'SolutionArn'] },
              { 'Fn::Join': ['', [{ 'Fn::GetAtt': [Match.anyValue(), 'SolutionArn'] }, '/*']] },
            ],
          }),
          Match.objectLike({ Action: ['personalize:ListSolutions', 'personalize:ListSolutionVersions'], Resource: '*' }),
        ]),
      },
    });
  });

  test('fromSolutionArn imports name and ARN', () => {
    const { stack } = stackWithDatasetGroup();
    const solution = Solution.fromSolutionArn(stack, 'Imported', 'arn:aws:personalize:us-west-2:123456789012:solution/existing');

    expect(solution.solutionName).toEqual('existing');
    expect(solution.solutionArn).toEqual('arn:aws:personalize:us-west-2:123456789012:solution/existing');
    expect(solution.recipe).toBeUndefined();
  });

  test('a dataset group owned by the stack passes its ARN', () => {
    const stack = new Stack(new App(), 'Owned', { env: { account: '123456789012', region: 'us-west-2' } });
    const datasetGroup = new DatasetGroup(stack, 'Group', { datasetGroupName: 'movies' });
    new Solution(stack, 'S', { datasetGroup, recipe: Recipe.SIMS });

    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Personalize::DatasetGroup', { Name: 'movies' });
    template.hasResourceProperties(SOLUTION, { datasetGroupArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('Group'), 'DatasetGroupArn'] } });
  });
});
