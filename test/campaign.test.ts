import { App, Duration, Lazy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { DatasetGroup, Recipe, Solution, SolutionVersion } from '../src';
import { Campaign } from '../src/campaign';
import { CampaignProps } from '../src/campaign-props';

const CAMPAIGN = 'AWS::Personalize::Campaign';
const VERSION_ARN = 'arn:aws:personalize:us-west-2:123456789012:solution/movies/6a7b8c9d';
const CAMPAIGN_ARN = 'arn:aws:personalize:us-west-2:123456789012:campaign/movies';

function trainedVersion(recipe: Recipe = Recipe.USER_PERSONALIZATION): { stack: Stack; version: SolutionVersion } {
  const stack = new Stack(new App(), 'TestStack', { env: { account: '123456789012', region: 'us-west-2' } });
  const datasetGroup = DatasetGroup.fromDatasetGroupArn(stack, 'Group', 'arn:aws:personalize:us-west-2:123456789012:dataset-group/movies');
  const solution = new Solution(stack, 'Solution', { datasetGroup, recipe });
  return { stack, version: solution.addVersion('Version', { outputs: false }) };
}

function campaign(props: Omit<CampaignProps, 'solutionVersion'> = {}, recipe?: Recipe): { stack: Stack; campaign: Campaign } {
  const { stack, version } = trainedVersion(recipe);
  return { stack, campaign: new Campaign(stack, 'Campaign', { solutionVersion: version, ...props }) };
}

function warnings(stack: Stack): string[] {
  return Annotations.fromStack(stack).findWarning('*', Match.anyValue()).map(w => String(w.entry.data));
}

describe('Campaign', () => {
  test('serves the version with 1 TPS and no configuration by default, once training has succeeded', () => {
    const { stack, campaign: c } = campaign();
    const template = Template.fromStack(stack);

    template.hasResourceProperties(CAMPAIGN, {
      Name: Match.stringLikeRegexp('^[a-zA-Z0-9][a-zA-Z0-9\\-_]*$'),
      SolutionVersionArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^SolutionVersion'), 'SolutionVersionArn'] },
      MinProvisionedTPS: 1,
      CampaignConfig: Match.absent(),
    });
    const [resource] = Object.values(template.findResources(CAMPAIGN));
    const waits = Object.keys(template.findResources('AWS::CloudFormation::WaitCondition'));
    const results = Object.keys(template.findResources('Custom::PersonalizeTrainingResult'));
    expect(resource.DependsOn).toEqual(expect.arrayContaining([...waits, ...results]));
    // cfn-lint 1.51 does not know the type yet (E3006 would fail users' CI).
    expect(resource.Metadata['cfn-lint']).toEqual({ config: { ignore_checks: ['E3006'] } });
    expect(warnings(stack)).toEqual([]);
    expect(stack.resolve(c.campaignArn)).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^Campaign/), 'CampaignArn'] });
    expect(c.recipe).toBe(Recipe.USER_PERSONALIZATION);
  });

  test('renders item exploration, metadata and the name', () => {
    const { stack } = campaign({
      campaignName: 'movies',
      explorationWeight: 0.3,
      explorationItemAgeCutOff: Duration.days(30),
      enableMetadataWithRecommendations: true,
    });

    Template.fromStack(stack).hasResourceProperties(CAMPAIGN, {
      Name: 'movies',
      CampaignConfig: {
        ItemExplorationConfig: { explorationWeight: '0.3', explorationItemAgeCutOff: '30' },
        EnableMetadataWithRecommendations: true,
        SyncWithLatestSolutionVersion: Match.absent(),
      },
    });
  });

  test('takes a cut-off of fractional days, as the recipe page does (positive floats, at least one day)', () => {
    const { stack } = campaign({ explorationItemAgeCutOff: Duration.hours(36) });
    Template.fromStack(stack).hasResourceProperties(CAMPAIGN, {
      CampaignConfig: { ItemExplorationConfig: { explorationItemAgeCutOff: '1.5' } },
    });
  });

  test('warns when more than 1 TPS is provisioned, because it is billed by the hour', () => {
    const { stack } = campaign({ minProvisionedTps: 10 });

    Template.fromStack(stack).hasResourceProperties(CAMPAIGN, { MinProvisionedTPS: 10 });
    expect(warnings(stack)).toEqual([expect.stringMatching(/minProvisionedTps is 10: the campaign is billed by the hour/)]);
  });

  test('sync with the latest version serves the solution\'s $LATEST', () => {
    const { stack } = campaign({ syncWithLatestSolutionVersion: true });

    Template.fromStack(stack).hasResourceProperties(CAMPAIGN, {
      SolutionVersionArn: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^Solution'), 'SolutionArn'] }, '/$LATEST']] },
      CampaignConfig: { SyncWithLatestSolutionVersion: true },
    });
  });

  test('an imported version is served as is; the recipe can still be given (deprecated)', () => {
    const stack = new Stack(new App(), 'TestStack');
    const solutionVersion = SolutionVersion.fromSolutionVersionArn(stack, 'Version', VERSION_ARN);
    const c = new Campaign(stack, 'Campaign', { solutionVersion, recipe: Recipe.USER_PERSONALIZATION_V2, explorationWeight: 0 });

    Template.fromStack(stack).hasResourceProperties(CAMPAIGN, {
      SolutionVersionArn: VERSION_ARN,
      CampaignConfig: { ItemExplorationConfig: { explorationWeight: '0' } },
    });
    expect(c.recipe).toBe(Recipe.USER_PERSONALIZATION_V2);
  });

  test('warns when exploration settings cannot be checked', () => {
    const stack = new Stack(new App(), 'TestStack');
    const solutionVersion = SolutionVersion.fromSolutionVersionArn(stack, 'Version', VERSION_ARN);
    new Campaign(stack, 'Campaign', { solutionVersion, explorationWeight: 0.5 });
    new Campaign(stack, 'Custom', {
      solutionVersion,
      recipe: Recipe.fromArn('arn:aws:personalize:::recipe/aws-new-thing'),
      explorationItemAgeCutOff: Duration.days(7),
    });

    expect(warnings(stack)).toEqual([
      expect.stringMatching(/the recipe is unknown: import the version with SolutionVersion.fromSolutionVersionAttributes and a solution that knows its recipe/),
      expect.stringMatching(/recipe arn:aws:personalize:::recipe\/aws-new-thing is not in the catalogue: item exploration settings are sent unchecked/),
    ]);
  });

  test('grantGetRecommendations allows recommendations and rankings from the campaign only', () => {
    const { stack, campaign: c } = campaign();
    const app = new iam.Role(stack, 'App', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    c.grantGetRecommendations(app);

    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^App') }],
      PolicyDocument: {
        Statement: [{
          Effect: 'Allow',
          Action: ['personalize:GetRecommendations', 'personalize:GetPersonalizedRanking'],
          Resource: stack.resolve(c.campaignArn),
        }],
      },
    });
  });

  test('imports by ARN, with grants', () => {
    const stack = new Stack(new App(), 'TestStack');
    const imported = Campaign.fromCampaignArn(stack, 'Imported', CAMPAIGN_ARN);
    const app = new iam.Role(stack, 'App', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    imported.grantGetRecommendations(app);

    expect(imported.campaignName).toBe('movies');
    expect(imported.env.region).toBe('us-west-2');
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [Match.objectLike({ Resource: CAMPAIGN_ARN })] },
    });
  });

  test('token values are not validated', () => {
    const { stack } = campaign({
      minProvisionedTps: Lazy.number({ produce: () => 0 }),
      explorationWeight: Lazy.number({ produce: () => 2 }),
    });

    Template.fromStack(stack).hasResourceProperties(CAMPAIGN, {
      MinProvisionedTPS: 0,
      CampaignConfig: { ItemExplorationConfig: { explorationWeight: '2' } },
    });
  });
});

describe('Campaign validation', () => {
  test.each<[string, Omit<CampaignProps, 'solutionVersion'>, Recipe | undefined, RegExp]>([
    ['exploration is set for a recipe without it', { explorationWeight: 0.3 }, Recipe.SIMS,
      /explorationWeight and explorationItemAgeCutOff need a recipe with item exploration; recipe aws-sims has none/],
    ['the exploration age cut-off is set for a ranking recipe', { explorationItemAgeCutOff: Duration.days(3) }, Recipe.PERSONALIZED_RANKING,
      /recipe aws-personalized-ranking has none/],
    ['the exploration weight is above 1', { explorationWeight: 1.5 }, undefined, /explorationWeight is 1.5: must be a number from 0 to 1/],
    ['the exploration weight is negative', { explorationWeight: -0.1 }, undefined, /explorationWeight is -0.1: must be a number from 0 to 1/],
    ['the age cut-off is below a day', { explorationItemAgeCutOff: Duration.hours(12) }, undefined, /explorationItemAgeCutOff is '12 hours': must be at least 1 day/],
    ['the minimum TPS is 0', { minProvisionedTps: 0 }, undefined, /minProvisionedTps is 0: must be an integer of at least 1/],
    ['the minimum TPS is not an integer', { minProvisionedTps: 1.5 }, undefined, /minProvisionedTps is 1.5: must be an integer of at least 1/],
    ['the name does not fit the API', { campaignName: 'my campaign' }, undefined, /campaignName is 'my campaign': must match/],
  ])('fails when %s', (_, props, recipe, message) => {
    expect(() => campaign(props, recipe)).toThrow(message);
  });

  test('fails when sync is asked for over an imported version', () => {
    const stack = new Stack(new App(), 'TestStack');
    const solutionVersion = SolutionVersion.fromSolutionVersionArn(stack, 'Version', VERSION_ARN);

    expect(() => new Campaign(stack, 'Campaign', { solutionVersion, syncWithLatestSolutionVersion: true }))
      .toThrow(/syncWithLatestSolutionVersion is true: needs a SolutionVersion of this app as solutionVersion/);
  });

  test('fails with every problem at once', () => {
    expect(() => campaign({ campaignName: '-c', minProvisionedTps: 0, explorationWeight: 2 }, Recipe.SIMS))
      .toThrow(/invalid campaign at 'TestStack\/Campaign' \(4 problems\)/);
  });
});

describe('rankingInfluence', () => {
  test('is rendered as FRESHNESS and POPULARITY for Semantic-Similarity', () => {
    const { stack } = campaign({ rankingInfluence: { freshness: 0.4, popularity: 0 } }, Recipe.SEMANTIC_SIMILARITY);
    Template.fromStack(stack).hasResourceProperties(CAMPAIGN, {
      CampaignConfig: { RankingInfluence: { FRESHNESS: 0.4, POPULARITY: 0 } },
    });
  });

  test('is checked: 0 to 1, only Semantic-Similarity, known keys', () => {
    expect(() => campaign({ rankingInfluence: { freshness: 1.5 } }, Recipe.SEMANTIC_SIMILARITY)).toThrow(/rankingInfluence.freshness is 1.5: must be a number from 0 to 1/);
    expect(() => campaign({ rankingInfluence: { popularity: 0.5 } })).toThrow(/rankingInfluence is only for recipe aws-semantic-similarity; recipe aws-user-personalization has none/);
    expect(() => campaign({ rankingInfluence: { recency: 0.5 } as any }, Recipe.SEMANTIC_SIMILARITY)).toThrow("campaign at 'TestStack/Campaign' rankingInfluence: unknown key 'recency'; RankingInfluence has freshness, popularity");
  });
});
