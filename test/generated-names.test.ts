import { App, Stack } from 'aws-cdk-lib';
import {
  DatasetGroup, DatasetGroupDomain, Filter, FilterExpression, FilterField, FilterValue, MetricAttribution, MetricExpression, Recommender,
  RecommenderUseCase,
} from '../src';

/**
 * Generated names of resources inside a dataset group. A renamed group is replaced, and with it
 * every resource inside it; CloudFormation creates each replacement before deleting the old one,
 * so a name that ignored the group would collide ("Resource already exists").
 */

function namesIn(datasetGroupName: string | undefined, groupId = 'Group') {
  const stack = new Stack(new App(), 'TestStack', { env: { account: '123456789012', region: 'us-west-2' } });
  const custom = new DatasetGroup(stack, groupId, { datasetGroupName });
  const domain = new DatasetGroup(stack, `${groupId}Domain`, {
    datasetGroupName: datasetGroupName && `${datasetGroupName}-domain`, domain: DatasetGroupDomain.ECOMMERCE,
  });
  return {
    filter: new Filter(stack, 'NotBought', {
      datasetGroup: custom, expression: FilterExpression.excludeItems(FilterField.eventType().isIn(FilterValue.strings('purchase'))),
    }).filterName,
    attribution: new MetricAttribution(stack, 'Impact', {
      datasetGroup: custom, metrics: [{ metricName: 'CLICKS', eventType: 'click', expression: MetricExpression.sampleCount() }],
    }).metricAttributionName,
    recommender: new Recommender(stack, 'ForYou', { datasetGroup: domain, useCase: RecommenderUseCase.MOST_VIEWED }).recommenderName,
  };
}

test('a renamed dataset group gives the filter, the metric attribution and the recommender new names', () => {
  const before = namesIn('shop-2026');
  const after = namesIn('shop-2027');
  for (const key of ['filter', 'attribution', 'recommender'] as const) {
    expect({ key, name: after[key] }).not.toEqual({ key, name: before[key] });
  }
  // The same group gives the same names: nothing is replaced without a change.
  expect(namesIn('shop-2026')).toEqual(before);
});

test('a group with a generated name is identified by its construct path', () => {
  expect(namesIn(undefined, 'Group')).toEqual(namesIn(undefined, 'Group'));
  expect(namesIn(undefined, 'Group').filter).not.toBe(namesIn(undefined, 'Shop').filter);
});
