import { RemovalPolicy } from 'aws-cdk-lib';
import { E2E, synthStack, removeAssemblies, destroyAndCheckLeftovers, okCalls } from './harness';
import { Dataset, DatasetGroup, EventTracker, Filter, FilterExpression, FilterField, FilterValue, Schema, SchemaField } from '../../src';

/**
 * Filters and event trackers deployed, changed and deleted as CloudFormation does it: a replacement
 * is created before the old resource is deleted.
 */

jest.setTimeout(60_000);

const STACK = 'E2eServing';
const FILTER = 'AWS::Personalize::Filter';
const TRACKER = 'AWS::Personalize::EventTracker';

interface ServingApp {
  readonly eventType: string;
  readonly filterName?: string;
  readonly trackerName?: string;
}

function servingApp(options: ServingApp): string {
  return synthStack(STACK, stack => {
    const datasetGroup = new DatasetGroup(stack, 'Group', { removalPolicy: RemovalPolicy.DESTROY, datasetGroupName: 'e2e-serving' });
    new Dataset(stack, 'Interactions', { datasetGroup, schema: Schema.interactions(stack, 'Schema', { fields: [SchemaField.ofString('EVENT_TYPE')] }) });
    new Filter(stack, 'NotSeen', {
      datasetGroup,
      filterName: options.filterName,
      expression: FilterExpression.excludeItems(FilterField.eventType().isIn(FilterValue.strings(options.eventType))),
    });
    new EventTracker(stack, 'Tracker', { datasetGroup, eventTrackerName: options.trackerName });
  });
}

let e2e: E2E | undefined;

afterEach(async () => {
  await e2e?.close();
  e2e = undefined;
});

afterAll(() => removeAssemblies());


test('a changed filter expression creates the new filter before the old one goes, under a name of its own', async () => {
  e2e = await E2E.start();
  const first = await e2e.deploy(servingApp({ eventType: 'purchase' }), STACK);
  expect(first.status).toBe('CREATE_COMPLETE');
  const [oldFilter] = e2e.physicalIdsOf(STACK, FILTER);
  const [tracker] = e2e.physicalIdsOf(STACK, TRACKER);

  const changed = await e2e.deploy(servingApp({ eventType: 'click' }), STACK);

  expect({ status: changed.status, reason: changed.failureReason }).toEqual({ status: 'UPDATE_COMPLETE', reason: undefined });
  const [newFilter] = e2e.physicalIdsOf(STACK, FILTER);
  expect(newFilter).not.toBe(oldFilter);
  expect(okCalls(e2e, 'CreateFilter', 'DeleteFilter')).toEqual(['CreateFilter', 'CreateFilter', 'DeleteFilter']);
  expect(e2e.snapshot().filters.map(f => f.arn)).toEqual([newFilter]);
  // The tracker did not change.
  expect(e2e.physicalIdsOf(STACK, TRACKER)).toEqual([tracker]);
  await destroyAndCheckLeftovers(e2e, STACK);
});

test('a fixed filter name cannot take a new expression: the deploy fails with Personalize\'s reason and rolls back to the old filter', async () => {
  e2e = await E2E.start();
  await e2e.deploy(servingApp({ eventType: 'purchase', filterName: 'not-seen' }), STACK);
  const [oldFilter] = e2e.physicalIdsOf(STACK, FILTER);

  const changed = await e2e.deploy(servingApp({ eventType: 'click', filterName: 'not-seen' }), STACK);

  expect(changed.status).toBe('UPDATE_ROLLBACK_COMPLETE');
  expect(changed.failureReason).toMatch(/ResourceAlreadyExistsException|already exists/);
  expect(e2e.physicalIdsOf(STACK, FILTER)).toEqual([oldFilter]);
  expect(e2e.snapshot().filters.map(f => f.arn)).toEqual([oldFilter]);
  await destroyAndCheckLeftovers(e2e, STACK);
});

test('a renamed event tracker is refused while the old one exists (one per dataset group), and the rollback keeps the old one', async () => {
  e2e = await E2E.start();
  await e2e.deploy(servingApp({ eventType: 'purchase', trackerName: 'tracker-a' }), STACK);
  const [tracker] = e2e.physicalIdsOf(STACK, TRACKER);

  const renamed = await e2e.deploy(servingApp({ eventType: 'purchase', trackerName: 'tracker-b' }), STACK);

  expect(renamed.status).toBe('UPDATE_ROLLBACK_COMPLETE');
  expect(renamed.failureReason).toMatch(/only one event tracker can be associated with a dataset group/);
  expect(e2e.physicalIdsOf(STACK, TRACKER)).toEqual([tracker]);
  expect(e2e.snapshot().eventTrackers.map(t => t.arn)).toEqual([tracker]);
  await destroyAndCheckLeftovers(e2e, STACK);
});
