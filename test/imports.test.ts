import { App, CfnParameter, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import {
  Campaign, DatasetGroup, Filter, FilterExpression, FilterField, FilterValue, Recipe,
  Recommender, RecommenderUseCase, DatasetGroupDomain, Solution, SolutionVersion,
} from '../src';

const ENV = { account: '123456789012', region: 'us-west-2' };
const SOLUTION_ARN = 'arn:aws:personalize:us-west-2:123456789012:solution/movies';
const VERSION_ARN = `${SOLUTION_ARN}/6a7b8c9d`;

const stack = () => new Stack(new App(), 'TestStack', { env: ENV });

describe('an imported solution version carries its solution', () => {
  test('from its ARN: the solution its ARN names, recipe unknown', () => {
    const version = SolutionVersion.fromSolutionVersionArn(stack(), 'Version', VERSION_ARN);
    expect(version.solution.solutionArn).toBe(SOLUTION_ARN);
    expect(version.solution.solutionName).toBe('movies');
    expect(version.solution.recipe).toBeUndefined();
    expect(version.env).toEqual({ account: '123456789012', region: 'us-west-2' });
  });

  test('from attributes: a solution that knows its recipe lets a campaign check recipe-specific settings, as for an owned version', () => {
    const s = stack();
    const solution = Solution.fromSolutionAttributes(s, 'Solution', { solutionArn: SOLUTION_ARN, recipe: Recipe.SIMS });
    const version = SolutionVersion.fromSolutionVersionAttributes(s, 'Version', { solutionVersionArn: VERSION_ARN, solution });
    expect(version.solution).toBe(solution);
    // SIMS has no item exploration: refused at synth, without a `recipe` prop on the campaign.
    expect(() => new Campaign(s, 'Campaign', { solutionVersion: version, explorationWeight: 0.5 }))
      .toThrow(/explorationWeight and explorationItemAgeCutOff need a recipe with item exploration; recipe aws-sims has none/);
    const ok = new Campaign(s, 'Ok', { solutionVersion: version });
    expect(ok.recipe).toBe(Recipe.SIMS);
  });

  test('a version ARN given as a token gets its solution ARN by splitting at deploy time', () => {
    const s = stack();
    const arn = new CfnParameter(s, 'VersionArn').valueAsString;
    const version = SolutionVersion.fromSolutionVersionArn(s, 'Version', arn);
    const role = new iam.Role(s, 'Role', { assumedBy: new iam.AccountRootPrincipal() });
    version.solution.grantRead(role);
    const split = { 'Fn::Split': ['/', { Ref: 'VersionArn' }] };
    const solutionArn = { 'Fn::Join': ['/', [{ 'Fn::Select': [0, split] }, { 'Fn::Select': [1, split] }]] };
    Template.fromStack(s).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Resource: [solutionArn, { 'Fn::Join': ['', [solutionArn, '/*']] }] })]) },
    });
  });

  test.each([
    ['a version of another solution', { solutionVersionArn: 'arn:aws:personalize:us-west-2:123456789012:solution/other/1a2b' }, true,
      /solution version arn:aws:personalize:us-west-2:123456789012:solution\/other\/1a2b is not a version of solution arn:aws:personalize:us-west-2:123456789012:solution\/movies/],
    ['a solution ARN', { solutionVersionArn: SOLUTION_ARN }, false, /is not a solution version ARN \(arn:<partition>:personalize:<region>:<account>:solution\/<solution name>\/<version id>\)/],
    ['no ARN (JavaScript)', {}, false, /solutionVersionArn is missing: must be a string/],
  ])('refuses %s', (_, attrs, withSolution, message) => {
    const s = stack();
    const solution = withSolution ? Solution.fromSolutionArn(s, 'Solution', SOLUTION_ARN) : undefined;
    expect(() => SolutionVersion.fromSolutionVersionAttributes(s, 'Version', { ...attrs, solution } as any)).toThrow(message);
  });
});

describe('imports by name build the ARN in the stack\'s account and region', () => {
  test.each([
    ['solution', (s: Stack) => Solution.fromSolutionName(s, 'X', 'movies').solutionArn, 'solution/movies'],
    ['dataset group', (s: Stack) => DatasetGroup.fromDatasetGroupName(s, 'X', 'shop').datasetGroupArn, 'dataset-group/shop'],
    ['campaign', (s: Stack) => Campaign.fromCampaignName(s, 'X', 'shop-live').campaignArn, 'campaign/shop-live'],
    ['filter', (s: Stack) => Filter.fromFilterName(s, 'X', 'no-seen').filterArn, 'filter/no-seen'],
    ['recommender', (s: Stack) => Recommender.fromRecommenderName(s, 'X', 'for-you').recommenderArn, 'recommender/for-you'],
  ])('%s', (_, arnOf, resource) => {
    expect(arnOf(stack())).toBe(`arn:aws:personalize:us-west-2:123456789012:${resource}`);
  });

  test('an imported recommender has the members a campaign has: its name and the error and latency metrics', () => {
    const r = Recommender.fromRecommenderName(stack(), 'R', 'for-you');
    expect(r.recommenderName).toBe('for-you');
    expect(r.metricGetRecommendationsLatency().metricName).toBe('GetRecommendationsLatency');
    expect(r.metricGetRecommendations5xxErrors().dimensions).toEqual({ RecommenderArn: r.recommenderArn });
    const c = Campaign.fromCampaignName(stack(), 'C', 'live');
    expect(typeof c.addFilter).toBe('function');
  });
});

test('an owned dataset group, filter and recommender can be referenced from another account: their ARNs are built from their names', () => {
  const app = new App();
  const home = new Stack(app, 'Home', { env: ENV });
  const group = new DatasetGroup(home, 'Group', { domain: DatasetGroupDomain.ECOMMERCE, datasetGroupName: 'shop' });
  const imported = DatasetGroup.fromDatasetGroupAttributes(home, 'Live', {
    datasetGroupArn: 'arn:aws:personalize:us-west-2:123456789012:dataset-group/live', domain: DatasetGroupDomain.ECOMMERCE,
  });
  const recommender = new Recommender(home, 'ForYou', { datasetGroup: imported, useCase: RecommenderUseCase.RECOMMENDED_FOR_YOU, recommenderName: 'for-you' });
  const filter = new Filter(home, 'NotBought', {
    datasetGroup: imported, filterName: 'not-bought', expression: FilterExpression.excludeItems(FilterField.eventType().isIn(FilterValue.strings('purchase'))),
  });
  const other = new Stack(app, 'Consumer', { env: { account: '210987654321', region: 'us-west-2' } });
  const role = new iam.Role(other, 'App', { assumedBy: new iam.AccountRootPrincipal() });
  recommender.grantGetRecommendations(role);
  filter.grant(role, 'personalize:DescribeFilter');
  group.grantRead(role);

  const json = JSON.stringify(Template.fromStack(other).findResources('AWS::IAM::Policy'));
  expect(json).toContain('arn:aws:personalize:us-west-2:123456789012:recommender/for-you');
  expect(json).toContain('arn:aws:personalize:us-west-2:123456789012:filter/not-bought');
  expect(json).toContain('arn:aws:personalize:us-west-2:123456789012:dataset-group/shop');
});
