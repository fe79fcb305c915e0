import { App, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { Campaign, CampaignProps, DatasetGroup, OfflineMetric, Recipe, Solution, SolutionVersion } from '../src';
import { thrownBy } from './fixtures/synth-error';

const CAMPAIGN = 'AWS::Personalize::Campaign';
const GATE = 'Custom::PersonalizePromotionGate';

function trained(recipe: Recipe = Recipe.USER_PERSONALIZATION): { stack: Stack; version: SolutionVersion } {
  const stack = new Stack(new App(), 'Shop', { env: { account: '123456789012', region: 'us-west-2' } });
  const datasetGroup = DatasetGroup.fromDatasetGroupArn(stack, 'Group', 'arn:aws:personalize:us-west-2:123456789012:dataset-group/shop');
  const solution = new Solution(stack, 'Solution', { datasetGroup, recipe });
  return { stack, version: solution.addVersion('Version', { outputs: false }) };
}

function gated(props: Partial<CampaignProps> = {}, recipe?: Recipe): { stack: Stack; campaign: Campaign } {
  const { stack, version } = trained(recipe);
  const campaign = new Campaign(stack, 'Campaign', {
    solutionVersion: version,
    campaignName: 'shop',
    promotion: { metric: OfflineMetric.NDCG_AT_10, minImprovement: 0.005 },
    ...props,
  });
  return { stack, campaign };
}

/** The message constructing a campaign with `props` fails with. */
function constructError(props: Partial<CampaignProps>, recipe?: Recipe): string {
  return thrownBy(() => gated(props, recipe));
}

describe('Campaign with a promotion policy', () => {
  test('serves the version its gate chose, and the gate compares only after the training and its result', () => {
    const { stack, campaign } = gated();
    const template = Template.fromStack(stack);

    template.hasResourceProperties(GATE, {
      CandidateVersionArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^SolutionVersion'), 'SolutionVersionArn'] },
      // From the name: the campaign's own ARN attribute would be a cycle.
      CampaignArn: { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp(':personalize:us-west-2:123456789012:campaign/shop$')])] },
      Metric: 'normalized_discounted_cumulative_gain_at_10',
      MinImprovement: 0.005,
      FailDeployment: false,
    });
    const [gateId] = Object.keys(template.findResources(GATE));
    template.hasResourceProperties(CAMPAIGN, { SolutionVersionArn: { 'Fn::GetAtt': [gateId, 'ServedVersionArn'] } });
    const [gate] = Object.values(template.findResources(GATE));
    const results = Object.keys(template.findResources('Custom::PersonalizeTrainingResult'));
    // Before deciding, the gate waits for the training result, then for any campaign update still running.
    const [[settledId, settled]] = Object.entries(template.findResources('Custom::PersonalizeCampaignReady', { Properties: { BeforeGate: true } }));
    expect(settled.DependsOn).toEqual(expect.arrayContaining(results));
    expect(settled.Properties).toMatchObject({ ...gate.Properties, BeforeGate: true });
    expect(gate.DependsOn).toEqual([settledId]);

    template.hasOutput('CampaignPromotion', { Value: { 'Fn::GetAtt': [gateId, 'Reason'] } });
    expect(stack.resolve(campaign.servedSolutionVersionArn)).toEqual({ 'Fn::GetAtt': [gateId, 'ServedVersionArn'] });
    expect(stack.resolve(campaign.promotionDecision)).toEqual({ 'Fn::GetAtt': [gateId, 'Decision'] });
  });

  test('the handlers may read the campaign and the metrics of any version it served', () => {
    const template = Template.fromStack(gated().stack);
    const statements = Object.values(template.findResources('AWS::IAM::Policy'))
      .flatMap(p => p.Properties.PolicyDocument.Statement as Array<{ Action: string | string[]; Resource: unknown }>);
    const describe = statements.find(s => [s.Action].flat().includes('personalize:DescribeCampaign'));
    expect(JSON.stringify(describe?.Resource)).toContain(':campaign/shop');
    const metrics = statements.filter(s => [s.Action].flat().includes('personalize:GetSolutionMetrics'));
    expect(JSON.stringify(metrics.map(s => s.Resource))).toContain(':solution/*');
  });

  test('without a policy, the campaign serves the version directly and has no gate', () => {
    const { stack, version } = trained();
    const campaign = new Campaign(stack, 'Campaign', { solutionVersion: version });
    const template = Template.fromStack(stack);
    template.resourceCountIs(GATE, 0);
    expect(campaign.promotionDecision).toBeUndefined();
    expect(stack.resolve(campaign.servedSolutionVersionArn)).toEqual(stack.resolve(version.solutionVersionArn));
  });

  test('an imported version can be gated too', () => {
    const { stack } = trained();
    const version = SolutionVersion.fromSolutionVersionArn(stack, 'Imported', 'arn:aws:personalize:us-west-2:123456789012:solution/shop/1a2b3c4d');
    new Campaign(stack, 'Campaign', { solutionVersion: version, promotion: { metric: OfflineMetric.of('precision_at_10') } });
    Template.fromStack(stack).hasResourceProperties(GATE, {
      CandidateVersionArn: 'arn:aws:personalize:us-west-2:123456789012:solution/shop/1a2b3c4d', Metric: 'precision_at_10', MinImprovement: 0,
    });
  });

  test.each([
    [{ promotion: { metric: OfflineMetric.HITS_AT_1_PERCENT } }, "promotion.metric is 'hits_at_1_percent': must be a metric the versions of solution Shop/Solution report (metrics: coverage,"],
    [{ promotion: { metric: OfflineMetric.NDCG_AT_10, minImprovement: Number.NaN } }, 'promotion.minImprovement is NaN: must be a number'],
    [{ syncWithLatestSolutionVersion: true }, 'promotion and syncWithLatestSolutionVersion exclude each other'],
    [{ promotion: { metric: OfflineMetric.NDCG_AT_10, maxDropOnNewData: -0.01 } }, 'promotion.maxDropOnNewData is -0.01: must be'],
    [{ promotion: { metric: OfflineMetric.NDCG_AT_10, minValue: Number.POSITIVE_INFINITY } }, 'promotion.minValue is Infinity: must be'],
  ])('refuses %j at synth', (props, message) => {
    expect(constructError(props as Partial<CampaignProps>)).toContain(message);
  });

  test('callers without a type checker get the field, the value and what is allowed', () => {
    expect(constructError({ promotion: { metric: 'ndcg' } as any })).toContain('promotion.metric is the string "ndcg": must be an OfflineMetric, e.g. OfflineMetric.NDCG_AT_10');
    expect(constructError({ promotion: { metric: OfflineMetric.NDCG_AT_10, failDeploy: true } as any })).toContain('failDeploy');
    expect(constructError({ promotion: { metric: OfflineMetric.NDCG_AT_10, failDeployment: 'yes' } as any }))
      .toContain('promotion.failDeployment is the string "yes": must be true or false');
    expect(() => OfflineMetric.of('NDCG@10')).toThrow("OfflineMetric.of: metricName 'NDCG@10' must be a GetSolutionMetrics key");
    expect(constructError({ promotion: { metric: OfflineMetric.NDCG_AT_10, maxServedAge: 28 } as any }))
      .toContain('promotion.maxServedAge is number 28: must be a Duration, e.g. Duration.days(28)');
  });

  test('the rules for new data reach the gate: a floor, a tolerated drop and a maximum age in seconds', () => {
    const promotion = { metric: OfflineMetric.NDCG_AT_10, minValue: 0.2, maxDropOnNewData: 0.01, maxServedAge: Duration.days(28) };
    const { stack } = gated({ promotion });
    Template.fromStack(stack).hasResourceProperties(GATE, {
      MinValue: 0.2, MaxDropOnNewData: 0.01, MaxServedAgeSeconds: 28 * 86400, MinImprovement: 0,
    });
  });

  test('a maximum age without a tolerated drop warns: on new data the newer version is served anyway', () => {
    const { stack } = gated({ promotion: { metric: OfflineMetric.NDCG_AT_10, maxServedAge: Duration.days(28) } });
    Annotations.fromStack(stack).hasWarning('/Shop/Campaign', Match.stringLikeRegexp('maxServedAge has no effect without maxDropOnNewData'));
  });
});
