import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Campaign, Dataset, DatasetGroup, Recipe, Solution } from '../src';

/** `metric*()` returns CloudWatch metrics of Personalize's namespace, as aws-cdk-lib constructs do. */

function stack() {
  return new Stack(new App(), 'Metrics', { env: { account: '123456789012', region: 'us-east-1' } });
}

test('a solution\'s training-job metrics query every version\'s series (Personalize publishes them per version), usable in an alarm', () => {
  const s = stack();
  const solution = new Solution(s, 'S', { datasetGroup: new DatasetGroup(s, 'G'), recipe: Recipe.USER_PERSONALIZATION });
  const time = solution.metricTrainingJobExecutionTime();
  expect(time).toBeInstanceOf(cloudwatch.MathExpression);
  const query = (m: cloudwatch.IMetric) => s.resolve((m as cloudwatch.MathExpression).expression);
  expect(query(time)).toEqual({
    'Fn::Join': ['', [
      'SELECT AVG(SolutionTrainingJobExecutionTime) FROM SCHEMA("AWS/Personalize", SolutionArn, SolutionVersionArn) WHERE SolutionArn = \'',
      { 'Fn::GetAtt': [expect.stringMatching(/^S/), 'SolutionArn'] }, '\'',
    ]],
  });
  expect(JSON.stringify(query(solution.metricTrainingJobErrors()))).toContain('SELECT SUM(SolutionTrainingJobError) FROM SCHEMA');
  expect((solution.metricTrainingJobRequests({ period: Duration.hours(1) }) as cloudwatch.MathExpression).period.toHours()).toBe(1);

  new cloudwatch.Alarm(s, 'Failed', { metric: solution.metricTrainingJobErrors(), threshold: 1, evaluationPeriods: 1 });
  Template.fromStack(s).hasResourceProperties('AWS::CloudWatch::Alarm', {
    Metrics: [Match.objectLike({ Expression: Match.objectLike({ 'Fn::Join': Match.anyValue() }), Period: 300 })],
  });
});

test('an imported solution, a campaign and a dataset have theirs', () => {
  const s = stack();
  const arn = 'arn:aws:personalize:us-east-1:123456789012:solution/existing';
  const imported = Solution.fromSolutionArn(s, 'Imported', arn);
  expect(s.resolve(imported.metric('SolutionTrainingJobRequests').dimensions)).toEqual({ SolutionArn: arn });

  const campaign = Campaign.fromCampaignArn(s, 'C', 'arn:aws:personalize:us-east-1:123456789012:campaign/recs');
  expect(campaign.metricGetRecommendations().statistic).toBe('Sum');
  expect(campaign.metricGetRecommendations5xxErrors().metricName).toBe('GetRecommendations5xxErrors');
  expect(campaign.metricGetRecommendationsLatency().unit).toBe(cloudwatch.Unit.MILLISECONDS);
  expect(s.resolve(campaign.metricGetRecommendations4xxErrors().dimensions)).toEqual({ CampaignArn: 'arn:aws:personalize:us-east-1:123456789012:campaign/recs' });

  const dataset = Dataset.fromDatasetArn(s, 'D', 'arn:aws:personalize:us-east-1:123456789012:dataset/movies/INTERACTIONS');
  expect(dataset.metricImportJobExecutionTime().metricName).toBe('DatasetImportJobExecutionTime');
  expect(s.resolve(dataset.metric('DatasetSize').dimensions)).toEqual({ DatasetArn: 'arn:aws:personalize:us-east-1:123456789012:dataset/movies/INTERACTIONS' });
});

test('a resource imported from another account or region is measured there; one of the stack\'s own environment carries none', () => {
  const s = stack();
  const far = Campaign.fromCampaignArn(s, 'Far', 'arn:aws:personalize:eu-west-1:210987654321:campaign/recs');
  const farMetric = far.metricGetRecommendations();
  expect([farMetric.account, farMetric.region]).toEqual(['210987654321', 'eu-west-1']);
  const near = Campaign.fromCampaignArn(s, 'Near', 'arn:aws:personalize:us-east-1:123456789012:campaign/recs');
  expect([near.metricGetRecommendations().account, near.metricGetRecommendations().region]).toEqual(['123456789012', 'us-east-1']);
  // On a dashboard, only the other environment is spelled out.
  const farSolution = Solution.fromSolutionArn(s, 'FarSolution', 'arn:aws:personalize:eu-west-1:210987654321:solution/shop');
  const query = farSolution.metricTrainingJobErrors() as cloudwatch.MathExpression;
  expect([query.searchAccount, query.searchRegion]).toEqual(['210987654321', 'eu-west-1']);
  const dashboard = new cloudwatch.Dashboard(s, 'Board');
  dashboard.addWidgets(new cloudwatch.GraphWidget({ left: [farMetric, near.metricGetRecommendations()] }));
  const body = JSON.stringify(Template.fromStack(s).findResources('AWS::CloudWatch::Dashboard'));
  expect(body).toContain('eu-west-1');
  expect(body).toContain('210987654321');
});
