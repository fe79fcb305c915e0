import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { DatasetGroup, OfflineMetric, Recipe, Solution, TrainingDashboard } from '../src';
import { thrownBy } from './fixtures/synth-error';

function stackWithSolutions(): { stack: Stack; up: Solution; segmentation: Solution } {
  const stack = new Stack(new App(), 'Shop', { env: { account: '123456789012', region: 'us-west-2' } });
  const datasetGroup = DatasetGroup.fromDatasetGroupArn(stack, 'Group', 'arn:aws:personalize:us-west-2:123456789012:dataset-group/shop');
  const up = new Solution(stack, 'Up', { datasetGroup, recipe: Recipe.USER_PERSONALIZATION });
  const segmentation = new Solution(stack, 'Segments', { datasetGroup, recipe: Recipe.ITEM_AFFINITY });
  return { stack, up, segmentation };
}

describe('training metrics of a solution', () => {
  test('read the namespace the training result publishes to, by the solution\'s path (which a replacement keeps), one point per training', () => {
    const { stack, up } = stackWithSolutions();
    const ndcg = up.metricOffline(OfflineMetric.NDCG_AT_10);
    expect(ndcg.namespace).toBe('CdkPersonalize');
    expect(ndcg.metricName).toBe('normalized_discounted_cumulative_gain_at_10');
    expect(stack.resolve(ndcg.dimensions)).toEqual({ SolutionPath: 'Shop/Up' });
    // The version's result publishes under that path, and under the ARN.
    up.addVersion('Version', { outputs: false });
    Template.fromStack(stack).hasResourceProperties('Custom::PersonalizeTrainingResult', { SolutionPath: 'Shop/Up' });
    // An imported solution has no path of this app's: by ARN.
    const imported = Solution.fromSolutionArn(stack, 'Imported', 'arn:aws:personalize:us-west-2:123456789012:solution/other');
    expect(stack.resolve(imported.metricOffline(OfflineMetric.NDCG_AT_10).dimensions)).toEqual({ SolutionArn: 'arn:aws:personalize:us-west-2:123456789012:solution/other' });
    expect(ndcg.statistic).toBe('Maximum');
    expect(ndcg.period.toHours()).toBe(1);
    const hours = up.metricBilledTrainingHours({ period: Duration.days(1) });
    expect([hours.metricName, hours.period.toDays()]).toEqual(['TrainingHours', 1]);
  });
});

describe('TrainingDashboard', () => {
  test('one row per solution with every offline metric and the billed hours, and an alarm below the threshold', () => {
    const { stack, up, segmentation } = stackWithSolutions();
    const board = new TrainingDashboard(stack, 'Training', { solutions: [up], alarmThreshold: 0.25, dashboardName: 'shop-training' });
    board.addSolution(segmentation, { metric: OfflineMetric.RECALL_AT_1_PERCENT, alarmThreshold: 0.1 });
    const template = Template.fromStack(stack);

    template.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: 'shop-training' });
    const body = JSON.stringify(template.findResources('AWS::CloudWatch::Dashboard'));
    for (const name of ['normalized_discounted_cumulative_gain_at_10', 'precision_at_25', 'coverage', 'TrainingHours']) {
      expect(body).toMatch(new RegExp(`CdkPersonalize\\W+${name}\\W+SolutionPath\\W+Shop/Up`));
    }
    expect(body).toContain('alarm below');

    template.resourceCountIs('AWS::CloudWatch::Alarm', 2);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'CdkPersonalize',
      MetricName: 'normalized_discounted_cumulative_gain_at_10',
      Dimensions: [{ Name: 'SolutionPath', Value: 'Shop/Up' }],
      Statistic: 'Minimum',
      Threshold: 0.25,
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'ignore',
      EvaluationPeriods: 1,
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'recall_at_1_percent', Threshold: 0.1 });
    expect(board.alarms).toHaveLength(2);
  });

  test('an alarm\'s id comes from its solution: removing another solution replaces no alarm', () => {
    const alarmIds = (withUp: boolean) => {
      const { stack, up, segmentation } = stackWithSolutions();
      new TrainingDashboard(stack, 'Training', { solutions: withUp ? [up, segmentation] : [segmentation], alarmThreshold: 0.1, metric: OfflineMetric.COVERAGE });
      return Object.keys(Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm'));
    };
    const both = alarmIds(true);
    expect(both).toHaveLength(2);
    expect(both).toEqual(expect.arrayContaining(alarmIds(false)));
  });

  test('any time range a Duration holds, as CloudWatch reads it; a header and labelled axes per solution', () => {
    const { stack, up } = stackWithSolutions();
    new TrainingDashboard(stack, 'Training', { solutions: [up], timeRange: Duration.hours(36) });
    const body = JSON.stringify(Template.fromStack(stack).findResources('AWS::CloudWatch::Dashboard'));
    expect(body).toContain('\\"start\\":\\"-P1DT12H\\"');
    expect(body).toContain('### Shop/Up');
    expect(body).toContain('\\"label\\":\\"hours\\"');
  });

  test('without a threshold there are no alarms', () => {
    const { stack, up } = stackWithSolutions();
    new TrainingDashboard(stack, 'Training', { solutions: [up], metric: OfflineMetric.PRECISION_AT_10 });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::CloudWatch::Alarm', 0);
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
  });

  test('refuses a metric the solution does not report, a solution twice, and what is not a solution or a number', () => {
    const { stack, up } = stackWithSolutions();
    const board = new TrainingDashboard(stack, 'Training', { metric: OfflineMetric.HITS_AT_1_PERCENT });
    expect(thrownBy(() => board.addSolution(up))).toContain("metric is 'hits_at_1_percent': must be a metric solution Shop/Up reports (coverage,");
    expect(thrownBy(() => board.addSolution(up, { metric: 'ndcg' as any }))).toContain('metric is the string "ndcg": must be an OfflineMetric');

    const other = new TrainingDashboard(stack, 'Other', { solutions: [up] });
    expect(thrownBy(() => other.addSolution(up))).toContain('solution Shop/Up is on the dashboard already');
    expect(thrownBy(() => other.addSolution('Up' as any))).toContain("solution is 'Up': must be an ISolution");
    expect(thrownBy(() => new TrainingDashboard(stack, 'Bad', { alarmThreshold: 'low' as any }))).toContain('alarmThreshold is the string "low": must be a number');
    expect(thrownBy(() => new TrainingDashboard(stack, 'Bad2', { metric: 'ndcg' as any }))).toContain('metric is the string "ndcg": must be an OfflineMetric');
    expect(thrownBy(() => new TrainingDashboard(stack, 'Bad3', { alarmTreshold: 1 } as any))).toContain('alarmTreshold');
  });
});
