import { RemovalPolicy } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { E2E, synthStack, removeAssemblies, destroyAndCheckLeftovers, okCalls } from './harness';
import { Dataset, DatasetGroup, DatasetGroupDomain, Recommender, RecommenderUseCase, Schema, SchemaField } from '../../src';

/**
 * A recommender of a domain dataset group deployed, changed and deleted as CloudFormation does it.
 * The simulator trains it for an hour before it is ACTIVE (how long is [U]).
 */

jest.setTimeout(60_000);

const STACK = 'E2eRecommender';
const TYPE = 'AWS::Personalize::Recommender';

function app(useCase: RecommenderUseCase, minRecommendationRequestsPerSecond?: number): string {
  return synthStack(STACK, stack => {
    const domain = DatasetGroupDomain.ECOMMERCE;
    const datasetGroup = new DatasetGroup(stack, 'Group', { removalPolicy: RemovalPolicy.DESTROY, datasetGroupName: 'e2e-recommender', domain });
    new Dataset(stack, 'Interactions', {
      datasetGroup,
      schema: Schema.interactions(stack, 'Schema', { domain, fields: [SchemaField.ofString('EVENT_TYPE')] }),
      importSource: { bucket: new s3.Bucket(stack, 'Data'), prefix: 'interactions/' },
    });
    new Recommender(stack, 'Shop', { datasetGroup, useCase, minRecommendationRequestsPerSecond });
  });
}

let e2e: E2E | undefined;

afterEach(async () => {
  await e2e?.close();
  e2e = undefined;
});

afterAll(() => removeAssemblies());


test('trained during the deploy; a new minimum is an update in place; a new use case replaces it, new first; nothing is left', async () => {
  e2e = await E2E.start();
  const first = await e2e.deploy(app(RecommenderUseCase.MOST_VIEWED), STACK);
  expect({ status: first.status, reason: first.failureReason }).toEqual({ status: 'CREATE_COMPLETE', reason: undefined });
  const [viewed] = e2e.physicalIdsOf(STACK, TYPE);
  // Created once the interactions were imported (it trains on them at once), so never refused.
  expect(e2e.sim.callLog().filter(c => c.operation === 'CreateRecommender').map(c => c.outcome)).toEqual(['ok']);
  expect(e2e.snapshot().recommenders).toEqual([expect.objectContaining({ arn: viewed, status: 'ACTIVE' })]);

  const scaled = await e2e.deploy(app(RecommenderUseCase.MOST_VIEWED, 2), STACK);
  expect({ status: scaled.status, reason: scaled.failureReason }).toEqual({ status: 'UPDATE_COMPLETE', reason: undefined });
  expect(e2e.physicalIdsOf(STACK, TYPE)).toEqual([viewed]);

  const replaced = await e2e.deploy(app(RecommenderUseCase.BEST_SELLERS, 2), STACK);
  expect({ status: replaced.status, reason: replaced.failureReason }).toEqual({ status: 'UPDATE_COMPLETE', reason: undefined });
  const [sellers] = e2e.physicalIdsOf(STACK, TYPE);
  expect(sellers).not.toBe(viewed);
  expect(okCalls(e2e, 'CreateRecommender', 'UpdateRecommender', 'DeleteRecommender'))
    .toEqual(['CreateRecommender', 'UpdateRecommender', 'CreateRecommender', 'DeleteRecommender']);
  await destroyAndCheckLeftovers(e2e, STACK);
});
