import {
  CreateEventTrackerCommand,
  CreateFilterCommand,
  DeleteDatasetCommand,
  DeleteDatasetGroupCommand,
  DeleteFilterCommand,
  DescribeEventTrackerCommand,
  DescribeFilterCommand,
  ListFiltersCommand,
} from '@aws-sdk/client-personalize';
import { Harness, datasetWith, startHarness, stopHarness } from '../testing';

let h: Harness;
beforeEach(async () => { h = await startHarness({}, 1); });
afterEach(async () => stopHarness(h));

const settle = () => h.sim.clock.advanceSeconds(120);

const dataset = (type: 'Interactions' | 'Items', fields: object[]) => datasetWith(h, type, fields);

async function withDatasets(): Promise<{ items: string }> {
  await dataset('Interactions', [
    { name: 'USER_ID', type: 'string' }, { name: 'ITEM_ID', type: 'string' }, { name: 'TIMESTAMP', type: 'long' }, { name: 'EVENT_TYPE', type: 'string' },
  ]);
  const items = await dataset('Items', [
    { name: 'ITEM_ID', type: 'string' }, { name: 'GENRES', type: ['null', 'string'], categorical: true },
    { name: 'PRICE', type: 'float' }, { name: 'DESCRIPTION', type: 'string', textual: true }, { name: 'IS_NEW', type: 'boolean' },
  ]);
  return { items };
}

const create = (filterExpression: string, name = 'f') => h.client.send(new CreateFilterCommand({ name, datasetGroupArn: h.datasetGroupArn, filterExpression }));

describe('event trackers', () => {
  test('CREATE PENDING to ACTIVE with a tracking id; one per dataset group', async () => {
    const { eventTrackerArn, trackingId } = await h.client.send(new CreateEventTrackerCommand({ name: 'tracker', datasetGroupArn: h.datasetGroupArn }));
    expect(eventTrackerArn).toMatch(/^arn:aws:personalize:us-east-1:123456789012:event-tracker\/[0-9a-f]{8}$/);
    expect((await h.client.send(new DescribeEventTrackerCommand({ eventTrackerArn }))).eventTracker).toMatchObject({ status: 'CREATE PENDING', trackingId });
    settle();
    expect((await h.client.send(new DescribeEventTrackerCommand({ eventTrackerArn }))).eventTracker?.status).toBe('ACTIVE');

    await expect(h.client.send(new CreateEventTrackerCommand({ name: 'second', datasetGroupArn: h.datasetGroupArn })))
      .rejects.toMatchObject({ name: 'ResourceAlreadyExistsException', message: expect.stringMatching(/only one event tracker can be associated with a dataset group/) });
    await expect(h.client.send(new DeleteDatasetGroupCommand({ datasetGroupArn: h.datasetGroupArn }))).rejects.toMatchObject({ name: 'ResourceInUseException' });
  });
});

describe('filters', () => {
  test('a valid expression becomes an ACTIVE filter; its dataset cannot go before it', async () => {
    const { items } = await withDatasets();
    const { filterArn } = await create('EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("purchase") | INCLUDE ItemID WHERE Items.GENRES IN ($GENRE) AND Items.PRICE <= 20');
    expect(filterArn).toBe('arn:aws:personalize:us-east-1:123456789012:filter/f');
    settle();
    expect((await h.client.send(new DescribeFilterCommand({ filterArn }))).filter).toMatchObject({ status: 'ACTIVE', datasetGroupArn: h.datasetGroupArn });
    expect((await h.client.send(new ListFiltersCommand({ datasetGroupArn: h.datasetGroupArn }))).Filters?.map(f => f.name)).toEqual(['f']);

    await expect(h.client.send(new DeleteDatasetCommand({ datasetArn: items }))).rejects.toMatchObject({ name: 'ResourceInUseException', message: expect.stringMatching(/read by filter/) });
    await expect(create('EXCLUDE ItemID WHERE Items.PRICE > 1')).rejects.toMatchObject({ name: 'ResourceAlreadyExistsException' });
    await h.client.send(new DeleteFilterCommand({ filterArn }));
    settle();
    await h.client.send(new DeleteDatasetCommand({ datasetArn: items }));
  });

  test.each([
    ['a malformed expression', 'EXCLUDE ItemID Items.PRICE > 1', /expected WHERE/],
    ['an unknown dataset', 'EXCLUDE ItemID WHERE Things.X IN ("a")', /is not a dataset field/],
    ['an unknown field', 'EXCLUDE ItemID WHERE Items.GENRE IN ("a")', /the Items schema has no field GENRE/],
    ['a textual field', 'EXCLUDE ItemID WHERE Items.DESCRIPTION IN ("a")', /textual/],
    ['a boolean field', 'EXCLUDE ItemID WHERE Items.IS_NEW IN ("true")', /boolean/],
    ['IN on a number', 'EXCLUDE ItemID WHERE Items.PRICE IN ("1")', /not a string field/],
    ['a comparison of strings', 'EXCLUDE ItemID WHERE Items.GENRES > 1', /not numeric/],
    ['a string compared', 'EXCLUDE ItemID WHERE Items.PRICE > "1"', /compares numbers/],
    ['NOT IN with a placeholder', 'EXCLUDE ItemID WHERE Items.GENRES NOT IN ($G)', /cannot be used with NOT IN/],
    ['a placeholder with a range operator (open fact 35)', 'INCLUDE ItemID WHERE Items.PRICE <= $MAX', /placeholders can only be used with IN and =/],
    ['interactions other than EVENT_TYPE', 'EXCLUDE ItemID WHERE Interactions.USER_ID IN ("u")', /only be filtered by EVENT_TYPE/],
    ['mixed datasets', 'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("x") AND Items.GENRES IN ("a")', /cannot be used in one expression/],
    ['a missing dataset', 'INCLUDE UserID WHERE Users.AGE > 1', /has no Users dataset/],
    ['CurrentUser outside IF', 'INCLUDE ItemID WHERE CurrentUser.AGE > 1', /only be used in an IF condition/],
    ['a CurrentItem field that does not exist', 'INCLUDE ItemID WHERE Items.GENRES IN (CurrentItem.COLOR)', /no field COLOR/],
  ])('%s is InvalidInputException', async (_, expression, message) => {
    await withDatasets();
    await expect(create(expression)).rejects.toMatchObject({ name: 'InvalidInputException', message: expect.stringMatching(message) });
  });

  test('more than 10 fields, and the quota of 30 filters', async () => {
    await withDatasets();
    const wide = Array.from({ length: 11 }, (_, i) => `Items.F${i} IN ("x")`).join(' AND ');
    await expect(create(`INCLUDE ItemID WHERE ${wide}`)).rejects.toMatchObject({ name: 'InvalidInputException' });
    for (let i = 0; i < 30; i++) await create(`EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("e${i}")`, `f${i}`);
    await expect(create('EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("x")', 'f30')).rejects.toMatchObject({ name: 'LimitExceededException' });
  });
});
