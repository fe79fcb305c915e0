import { App, CfnParameter, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Dataset, DatasetGroup, DatasetGroupDomain, Filter, FilterExpression, Recommender, RecommenderUseCase, Schema, SchemaField } from '../src';
import { synthError } from './fixtures/synth-error';

const TYPE = 'AWS::Personalize::Recommender';

function domainGroup(choice: DatasetGroupDomain | 'custom' = DatasetGroupDomain.ECOMMERCE): { stack: Stack; datasetGroup: DatasetGroup } {
  const domain = choice === 'custom' ? undefined : choice;
  const stack = new Stack(new App(), 'TestStack', { env: { account: '123456789012', region: 'us-west-2' } });
  const datasetGroup = new DatasetGroup(stack, 'Group', { domain });
  new Dataset(stack, 'Interactions', {
    datasetGroup, schema: Schema.interactions(stack, 'Schema', { domain, fields: [SchemaField.ofString('EVENT_TYPE'), SchemaField.categorical('DEVICE')] }),
  });
  return { stack, datasetGroup };
}


test('renders the use case\'s recipe, the configuration, and waits for the datasets', () => {
  const { stack, datasetGroup } = domainGroup();
  const recommender = new Recommender(stack, 'ForYou', {
    datasetGroup,
    useCase: RecommenderUseCase.RECOMMENDED_FOR_YOU,
    explorationWeight: 0.5,
    explorationItemAgeCutOff: Duration.days(14),
    enableMetadataWithRecommendations: true,
    excludedDatasetColumns: { interactions: ['DEVICE'] },
  });
  const t = Template.fromStack(stack);
  t.hasResourceProperties(TYPE, {
    Name: Match.stringLikeRegexp('^TestStackForYou[0-9A-F]{8}-[0-9a-f]{8}$'),
    RecipeArn: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':personalize:::recipe/aws-ecomm-recommended-for-you']] },
    RecommenderConfig: {
      MinRecommendationRequestsPerSecond: 1,
      ItemExplorationConfig: { explorationWeight: '0.5', explorationItemAgeCutOff: '14' },
      EnableMetadataWithRecommendations: true,
      TrainingDataConfig: { ExcludedDatasetColumns: { Interactions: ['DEVICE'] } },
    },
  });
  const [resource] = Object.values(t.findResources(TYPE)) as any[];
  expect(resource.DependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/^Interactions/)]));
  expect(recommender.useCase).toBe(RecommenderUseCase.RECOMMENDED_FOR_YOU);
  // A later change of the columns is an in-place update that retrains in full, billed.
  Annotations.fromStack(stack).hasWarning('/TestStack/ForYou', Match.stringLikeRegexp('excludedDatasetColumns: a later change .* full retraining'));
});

test('a new use case gets a new generated name, so its replacement never collides', () => {
  const name = (useCase: RecommenderUseCase) => {
    const { stack, datasetGroup } = domainGroup();
    return new Recommender(stack, 'R', { datasetGroup, useCase }).recommenderName;
  };
  expect(name(RecommenderUseCase.MOST_VIEWED)).not.toBe(name(RecommenderUseCase.BEST_SELLERS));
});

test('grantGetRecommendations grants GetRecommendations on the recommender only', () => {
  const { stack, datasetGroup } = domainGroup();
  const recommender = new Recommender(stack, 'R', { datasetGroup, useCase: RecommenderUseCase.MOST_VIEWED });
  const role = new iam.Role(stack, 'Api', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  recommender.grantGetRecommendations(role);
  Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
    PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'personalize:GetRecommendations', Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^R'), 'RecommenderArn'] } }] },
  });
});

test('a minimum above 1 request per second warns of its bill', () => {
  const { stack, datasetGroup } = domainGroup();
  new Recommender(stack, 'R', { datasetGroup, useCase: RecommenderUseCase.MOST_VIEWED, minRecommendationRequestsPerSecond: 10 });
  Annotations.fromStack(stack).hasWarning('/TestStack/R', Match.stringLikeRegexp('minRecommendationRequestsPerSecond is 10: the recommender is billed'));
});

describe('refused', () => {
  test('a use case of another domain', () => {
    const { stack, datasetGroup } = domainGroup(DatasetGroupDomain.VIDEO_ON_DEMAND);
    expect(() => new Recommender(stack, 'R', { datasetGroup, useCase: RecommenderUseCase.BEST_SELLERS }))
      .toThrow(/use case aws-ecomm-popular-items-by-purchases is of domain ECOMMERCE, but dataset group TestStack\/Group is VIDEO_ON_DEMAND/);
  });

  test('a custom dataset group', () => {
    const { stack, datasetGroup } = domainGroup('custom');
    expect(() => new Recommender(stack, 'R', { datasetGroup, useCase: RecommenderUseCase.TOP_PICKS }))
      .toThrow(/dataset group TestStack\/Group is not a domain dataset group.*train a Solution and serve it with a Campaign/);
  });

  test('item exploration on a use case without it; bad numbers', () => {
    const { stack, datasetGroup } = domainGroup();
    expect(() => new Recommender(stack, 'A', { datasetGroup, useCase: RecommenderUseCase.MOST_VIEWED, explorationWeight: 0.2 }))
      .toThrow(/aws-ecomm-popular-items-by-views has no item exploration/);
    expect(() => new Recommender(stack, 'B', { datasetGroup, useCase: RecommenderUseCase.RECOMMENDED_FOR_YOU, explorationWeight: 2 })).toThrow(/explorationWeight/);
    expect(() => new Recommender(stack, 'C', { datasetGroup, useCase: RecommenderUseCase.RECOMMENDED_FOR_YOU, explorationItemAgeCutOff: Duration.hours(5) }))
      .toThrow(/explorationItemAgeCutOff is '5 hours': must be at least 1 day/);
    expect(() => new Recommender(stack, 'D', { datasetGroup, useCase: RecommenderUseCase.MOST_VIEWED, minRecommendationRequestsPerSecond: 0 }))
      .toThrow(/minRecommendationRequestsPerSecond/);
  });

  test('more recommenders than the quota', () => {
    const { stack, datasetGroup } = domainGroup();
    const cases = [RecommenderUseCase.MOST_VIEWED, RecommenderUseCase.BEST_SELLERS, RecommenderUseCase.FREQUENTLY_BOUGHT_TOGETHER,
      RecommenderUseCase.CUSTOMERS_WHO_VIEWED_X_ALSO_VIEWED, RecommenderUseCase.RECOMMENDED_FOR_YOU, RecommenderUseCase.of('aws-ecomm-new', DatasetGroupDomain.ECOMMERCE)];
    cases.forEach((useCase, i) => new Recommender(stack, `R${i}`, { datasetGroup, useCase }));
    expect(synthError(stack)).toMatch(/dataset group TestStack\/Group has 6 recommenders .*: the quota is 5 per dataset group/);
  });

  test('callers without a type checker: an unknown key, a string for the use case', () => {
    const { stack, datasetGroup } = domainGroup();
    expect(() => new Recommender(stack, 'A', { datasetGroup, useCase: RecommenderUseCase.MOST_VIEWED, tps: 2 } as any))
      .toThrow(/recommender at '[^']+': unknown key 'tps'; RecommenderProps has datasetGroup, useCase/);
    expect(() => new Recommender(stack, 'B', { datasetGroup, useCase: 'aws-ecomm-popular-items-by-views' as any }))
      .toThrow(/recommender at 'TestStack\/B' useCase is .*: must be a RecommenderUseCase/);
  });
});

test('an imported group without its domain: the domain is not checked, and synth says so; fromRecommenderArn', () => {
  const stack = new Stack(new App(), 'TestStack');
  const datasetGroup = DatasetGroup.fromDatasetGroupArn(stack, 'Group', 'arn:aws:personalize:us-west-2:123456789012:dataset-group/g');
  new Recommender(stack, 'R', { datasetGroup, useCase: RecommenderUseCase.TOP_PICKS });
  Annotations.fromStack(stack).hasWarning('/TestStack/R', Match.stringLikeRegexp('imported without its domain'));
  const imported = Recommender.fromRecommenderArn(stack, 'I', 'arn:aws:personalize:us-west-2:123456789012:recommender/r');
  expect(imported.env.region).toBe('us-west-2');
});

test('filters: the grant covers them (also those added later); a filter of another group is refused; metrics by RecommenderArn', () => {
  const { stack, datasetGroup } = domainGroup();
  const recent = new Filter(stack, 'Recent', { datasetGroup, expression: FilterExpression.raw('EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("purchase")') });
  const recommender = new Recommender(stack, 'R', { datasetGroup, useCase: RecommenderUseCase.RECOMMENDED_FOR_YOU, filters: [recent] });
  const role = new iam.Role(stack, 'Api', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  recommender.grantGetRecommendations(role);
  const later = new Filter(stack, 'Later', { datasetGroup, expression: FilterExpression.raw('EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("view")') });
  recommender.addFilter(later);
  const statements = JSON.stringify(Template.fromStack(stack).findResources('AWS::IAM::Policy'));
  expect(statements).toMatch(/Recent[0-9A-F]{8}","FilterArn/);
  expect(statements).toMatch(/Later[0-9A-F]{8}","FilterArn/);

  const otherGroup = new DatasetGroup(stack, 'Other', { domain: DatasetGroupDomain.ECOMMERCE });
  const foreign = new Filter(stack, 'Foreign', { datasetGroup: otherGroup, expression: FilterExpression.raw('EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("x")') });
  expect(() => recommender.addFilter(foreign)).toThrow(/filter TestStack\/Foreign belongs to dataset group TestStack\/Other, not TestStack\/Group/);
  expect(stack.resolve(recommender.metricGetRecommendations().dimensions)).toEqual({ RecommenderArn: { 'Fn::GetAtt': [expect.stringMatching(/^R/), 'RecommenderArn'] } });
});

test('a foreign filter in props is collected with the other problems, before the recommender\'s resource exists', () => {
  const { stack, datasetGroup } = domainGroup();
  const otherGroup = new DatasetGroup(stack, 'Other', { domain: DatasetGroupDomain.ECOMMERCE });
  const foreign = new Filter(stack, 'Foreign', { datasetGroup: otherGroup, expression: FilterExpression.raw('EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("x")') });
  expect(() => new Recommender(stack, 'R', { datasetGroup, useCase: RecommenderUseCase.RECOMMENDED_FOR_YOU, explorationWeight: 2, filters: [foreign] }))
    .toThrow(/\(2 problems\):\n {2}- explorationWeight is 2: must be a number from 0 to 1\n {2}- filter TestStack\/Foreign belongs to dataset group TestStack\/Other/);
  expect(stack.node.tryFindChild('R')?.node.tryFindChild('Resource')).toBeUndefined();
});

test('the quota of recommenders is counted on their dataset group', () => {
  const { stack, datasetGroup } = domainGroup();
  const cases = [RecommenderUseCase.MOST_VIEWED, RecommenderUseCase.BEST_SELLERS, RecommenderUseCase.FREQUENTLY_BOUGHT_TOGETHER,
    RecommenderUseCase.CUSTOMERS_WHO_VIEWED_X_ALSO_VIEWED, RecommenderUseCase.RECOMMENDED_FOR_YOU, RecommenderUseCase.of('aws-ecomm-extra', DatasetGroupDomain.ECOMMERCE)];
  cases.forEach((useCase, i) => new Recommender(stack, `R${i}`, { datasetGroup, useCase }));
  expect(() => Template.fromStack(stack)).toThrow(/dataset group TestStack\/Group has 6 recommenders .*: the quota is 5 per dataset group/);
});

test('a weight from a parameter renders as a reference', () => {
  const { stack, datasetGroup } = domainGroup();
  const weight = new CfnParameter(stack, 'Weight', { type: 'Number', default: 0.3 }).valueAsNumber;
  new Recommender(stack, 'R', { datasetGroup, useCase: RecommenderUseCase.RECOMMENDED_FOR_YOU, explorationWeight: weight });
  Template.fromStack(stack).hasResourceProperties(TYPE, {
    RecommenderConfig: { ItemExplorationConfig: { explorationWeight: { Ref: 'Weight' } } },
  });
});
