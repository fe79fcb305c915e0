import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import {
  Campaign, Dataset, DatasetGroup, EventTracker, Filter, FilterCondition, FilterExpression, FilterField, FilterValue,
  Recipe, Schema, SchemaField, Solution,
} from '../src';
import { synthError } from './fixtures/synth-error';

const FILTER = 'AWS::Personalize::Filter';
const purchased = FilterField.eventType().isIn(FilterValue.strings('purchase'));

/** A dataset group with Interactions, Items (GENRES categorical, PRICE float, DESCRIPTION textual, IS_NEW boolean) and Users (AGE int). */
function group(options: { items?: boolean; users?: boolean } = {}): { stack: Stack; datasetGroup: DatasetGroup } {
  const stack = new Stack(new App(), 'TestStack', { env: { account: '123456789012', region: 'us-west-2' } });
  const datasetGroup = new DatasetGroup(stack, 'Group');
  new Dataset(stack, 'Interactions', { datasetGroup, schema: Schema.interactions(stack, 'InteractionsSchema', { fields: [SchemaField.ofString('EVENT_TYPE')] }) });
  if (options.items ?? true) {
    new Dataset(stack, 'Items', {
      datasetGroup,
      schema: Schema.items(stack, 'ItemsSchema', {
        fields: [SchemaField.categorical('GENRES'), SchemaField.ofFloat('PRICE'), SchemaField.textual('DESCRIPTION'), SchemaField.ofBoolean('IS_NEW')],
      }),
    });
  }
  if (options.users ?? true) {
    new Dataset(stack, 'Users', { datasetGroup, schema: Schema.users(stack, 'UsersSchema', { fields: [SchemaField.ofInt('AGE')] }) });
  }
  return { stack, datasetGroup };
}


describe('FilterExpression', () => {
  test.each([
    ['interactions', FilterExpression.excludeItems(purchased), 'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("purchase")'],
    ['every event type', FilterExpression.excludeItems(FilterField.eventType().isIn(FilterValue.allEventTypes())), 'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("*")'],
    ['a placeholder', FilterExpression.includeItems(FilterField.item('GENRES').isIn(FilterValue.parameter('GENRE'))), 'INCLUDE ItemID WHERE Items.GENRES IN ($GENRE)'],
    ['AND with numbers', FilterExpression.includeItems(FilterCondition.all(
      FilterField.item('GENRES').isIn(FilterValue.strings('Comedy', 'Drama')),
      FilterField.item('PRICE').lessThanOrEqualTo(FilterValue.number(20)),
    )), 'INCLUDE ItemID WHERE Items.GENRES IN ("Comedy", "Drama") AND Items.PRICE <= 20'],
    ['OR', FilterExpression.excludeItems(FilterCondition.any(
      FilterField.item('PRICE').greaterThan(FilterValue.number(100)),
      FilterField.item('PRICE').lessThan(FilterValue.number(1.5)),
    )), 'EXCLUDE ItemID WHERE Items.PRICE > 100 OR Items.PRICE < 1.5'],
    ['CurrentItem', FilterExpression.includeItems(FilterField.item('GENRES').isIn(FilterValue.currentItem('GENRES'))), 'INCLUDE ItemID WHERE Items.GENRES IN (CurrentItem.GENRES)'],
    ['IF CurrentUser', FilterExpression.excludeItems(FilterField.item('GENRES').isIn(FilterValue.strings('Horror')), {
      ifCurrentUser: FilterField.currentUser('AGE').lessThan(FilterValue.number(18)),
    }), 'EXCLUDE ItemID WHERE Items.GENRES IN ("Horror") IF CurrentUser.AGE < 18'],
    ['users', FilterExpression.includeUsers(FilterField.user('AGE').greaterThanOrEqualTo(FilterValue.number(18))), 'INCLUDE UserID WHERE Users.AGE >= 18'],
    ['a chain', FilterExpression.chain(
      FilterExpression.excludeItems(purchased),
      FilterExpression.includeItems(FilterField.item('PRICE').notEqualTo(FilterValue.number(0))),
    ), 'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("purchase") | INCLUDE ItemID WHERE Items.PRICE != 0'],
  ])('renders %s', (_, expression, text) => {
    expect(expression.expression).toBe(text);
  });

  test('a placeholder with <, <=, > or >= warns: the guide is of two minds about it', () => {
    const { stack, datasetGroup } = group();
    new Filter(stack, 'Cheap', { datasetGroup, expression: FilterExpression.includeItems(FilterField.item('PRICE').lessThanOrEqualTo(FilterValue.parameter('MAX'))) });
    new Filter(stack, 'Genre', { datasetGroup, expression: FilterExpression.includeItems(FilterField.item('GENRES').isIn(FilterValue.parameter('GENRE'))) });
    const annotations = Annotations.fromStack(stack);
    annotations.hasWarning('/TestStack/Cheap', Match.stringLikeRegexp('Items.PRICE <= \\$MAX: the developer guide shows placeholders with <'));
    annotations.hasNoWarning('/TestStack/Genre', Match.anyValue());
  });

  test('placeholders are listed, from built and raw expressions', () => {
    expect(FilterExpression.includeItems(FilterCondition.all(
      FilterField.item('GENRES').isIn(FilterValue.parameter('GENRE')),
      FilterField.item('PRICE').lessThan(FilterValue.parameter('MAX_PRICE')),
    )).parameterNames).toEqual(['GENRE', 'MAX_PRICE']);
    expect(FilterExpression.raw('INCLUDE ItemID WHERE Items.GENRES IN ($GENRE) | EXCLUDE ItemID WHERE Items.X IN ($GENRE)').parameterNames).toEqual(['GENRE']);
  });

  test('bad building blocks fail at once, naming what is wrong, also for callers without a type checker', () => {
    expect(() => FilterValue.strings()).toThrow('FilterValue.strings needs at least one value');
    expect(() => FilterValue.strings('a"b')).toThrow(/the value 'a"b' has a double quote/);
    expect(() => FilterValue.strings(3 as any)).toThrow('FilterValue.strings: a value is number 3: must be a string');
    expect(() => FilterValue.number(NaN)).toThrow('FilterValue.number is number NaN: must be a finite number');
    expect(() => FilterValue.parameter('$GENRE')).toThrow(/FilterValue.parameter is '\$GENRE': must match/);
    expect(() => FilterField.item('MY FIELD')).toThrow(/FilterField.item is 'MY FIELD'/);
    expect(() => FilterField.item('GENRES').isIn('Comedy' as any)).toThrow(/the value of Items.GENRES is the string "Comedy": must be a FilterValue/);
    expect(() => FilterField.item('GENRES').compare('LIKE' as any, FilterValue.strings('x'))).toThrow(/the operator of Items.GENRES is the string "LIKE": must be one of IN, NOT IN/);
    expect(() => FilterExpression.excludeItems('EVENT_TYPE' as any)).toThrow(/FilterExpression.excludeItems: the condition is the string "EVENT_TYPE"/);
    expect(() => FilterExpression.excludeItems(purchased, { ifUser: purchased } as any)).toThrow("unknown option 'ifUser'");
    expect(() => FilterExpression.raw(42 as any)).toThrow('FilterExpression.raw is number 42: must be a string');
  });

  test('AND inside OR is refused: expressions have no parentheses', () => {
    const and = FilterCondition.all(purchased, purchased);
    expect(() => FilterCondition.any(and, purchased)).toThrow(/cannot hold a condition joined by AND: filter expressions have no parentheses/);
    expect(FilterCondition.all(and, purchased)).toBeInstanceOf(FilterCondition);
  });
});

describe('Filter', () => {
  test('renders CfnFilter with a name that changes with the expression, after the datasets', () => {
    const { stack, datasetGroup } = group();
    const a = new Filter(stack, 'NotBought', { datasetGroup, expression: FilterExpression.excludeItems(purchased) });
    const b = new Filter(stack, 'Cheap', { datasetGroup, expression: FilterExpression.includeItems(FilterField.item('PRICE').lessThan(FilterValue.number(10))) });
    const template = Template.fromStack(stack);

    template.hasResourceProperties(FILTER, {
      Name: Match.stringLikeRegexp('^TestStackNotBought[A-F0-9]*-[0-9a-f]{8}$'),
      DatasetGroupArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Group'), 'DatasetGroupArn'] },
      FilterExpression: 'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("purchase")',
    });
    const resources = template.findResources(FILTER);
    for (const resource of Object.values(resources)) {
      expect(resource.DependsOn).toEqual(expect.arrayContaining([
        expect.stringMatching(/^Interactions/), expect.stringMatching(/^Items/), expect.stringMatching(/^Users/),
      ]));
    }
    expect(a.filterName.slice(-9)).not.toBe(b.filterName.slice(-9));

    const again = group();
    const changed = new Filter(again.stack, 'NotBought', { datasetGroup: again.datasetGroup, expression: FilterExpression.excludeItems(FilterField.eventType().isIn(FilterValue.strings('click'))) });
    expect(changed.filterName.slice(0, -9)).toBe(a.filterName.slice(0, -9));
    expect(changed.filterName).not.toBe(a.filterName);
  });

  test('checks fields against the schemas of the group, naming each problem', () => {
    const { stack, datasetGroup } = group({ users: false });
    new Filter(stack, 'Bad', {
      datasetGroup,
      expression: FilterExpression.chain(
        FilterExpression.includeItems(FilterCondition.all(
          FilterField.item('GENRE').isIn(FilterValue.strings('Comedy')),
          FilterField.item('PRICE').isIn(FilterValue.strings('cheap')),
          FilterField.item('GENRES').greaterThan(FilterValue.number(3)),
          FilterField.item('DESCRIPTION').isIn(FilterValue.strings('x')),
          FilterField.item('IS_NEW').isIn(FilterValue.strings('true')),
        )),
        FilterExpression.excludeItems(FilterField.item('GENRES').isNotIn(FilterValue.parameter('G'))),
        FilterExpression.excludeItems(FilterCondition.all(purchased, FilterField.item('PRICE').lessThan(FilterValue.number(1)))),
        FilterExpression.includeItems(FilterField.item('PRICE').lessThan(FilterValue.number(1)), { ifCurrentUser: FilterField.currentUser('AGE').lessThan(FilterValue.number(18)) }),
        FilterExpression.includeItems(FilterField.user('AGE').lessThan(FilterValue.number(1))),
      ),
    });
    const message = synthError(stack);
    expect(message).toContain("invalid filter at 'TestStack/Bad'");
    expect(message).toContain('expression 1 (INCLUDE ItemID): Items.GENRE: the Items schema has no field GENRE (it has ITEM_ID, GENRES, PRICE, DESCRIPTION, IS_NEW)');
    expect(message).toContain('Items.PRICE is float: IN and NOT IN need a string field');
    expect(message).toContain('Items.GENRES is string: comparisons need a numeric field');
    expect(message).toContain('Items.DESCRIPTION is textual: filters cannot use unstructured text');
    expect(message).toContain('Items.IS_NEW is boolean');
    expect(message).toContain('expression 2 (EXCLUDE ItemID): Items.GENRES NOT IN $G: a placeholder cannot be used with NOT IN');
    expect(message).toContain('expression 3 (EXCLUDE ItemID): Items.PRICE mixes Items with Interactions: the conditions of one expression use the dataset of its first condition; chain two expressions');
    expect(message).toContain('expression 4 (INCLUDE ItemID): CurrentUser.AGE: the dataset group has no Users dataset in this app');
    expect(message).toContain('expression 5 (INCLUDE ItemID): Users.AGE cannot filter items: use fields of Items or Interactions');
  });

  test('a valid expression over every dataset synthesizes', () => {
    const { stack, datasetGroup } = group();
    new Filter(stack, 'Good', {
      datasetGroup,
      expression: FilterExpression.chain(
        FilterExpression.excludeItems(purchased),
        FilterExpression.includeItems(FilterField.item('GENRES').isIn(FilterValue.parameter('GENRE')), { ifCurrentUser: FilterField.currentUser('AGE').greaterThan(FilterValue.number(12)) }),
      ),
    });
    expect(() => Template.fromStack(stack)).not.toThrow();
  });

  test('datasets added after the filter are seen', () => {
    const stack = new Stack(new App(), 'TestStack');
    const datasetGroup = new DatasetGroup(stack, 'Group');
    new Filter(stack, 'F', { datasetGroup, expression: FilterExpression.includeItems(FilterField.item('GENRES').isIn(FilterValue.strings('x'))) });
    new Dataset(stack, 'Items', { datasetGroup, schema: Schema.items(stack, 'S', { fields: [SchemaField.categorical('GENRES')] }) });
    const template = Template.fromStack(stack);
    expect(Object.values(template.findResources(FILTER))[0].DependsOn).toEqual([expect.stringMatching(/^Items/)]);
  });

  test('the expression length, the field limits and the filter quota', () => {
    const { stack, datasetGroup } = group();
    expect(() => new Filter(stack, 'Long', { datasetGroup, expression: FilterExpression.raw(`EXCLUDE ItemID WHERE Items.GENRES IN ("${'x'.repeat(2500)}")`) }))
      .toThrow(/expression is 'EXCLUDE ItemID WHERE Items.GENRES IN \("x+\.\.\.': must have 1 to 2500 characters \(it has 2541\)/);

    const wide = FilterExpression.includeItems(FilterCondition.all(...Array.from({ length: 11 }, (_, i) => FilterField.item(`F${i}`).isIn(FilterValue.strings('x')))));
    const other = group();
    new Filter(other.stack, 'Wide', { datasetGroup: other.datasetGroup, expression: wide });
    expect(synthError(other.stack)).toMatch(/the expression reads 11 dataset fields .*: a filter can read at most 10/);

    const many = group();
    for (let i = 0; i < 31; i++) {
      new Filter(many.stack, `F${i}`, { datasetGroup: many.datasetGroup, expression: FilterExpression.excludeItems(FilterField.eventType().isIn(FilterValue.strings(`e${i}`))) });
    }
    const warnings = Annotations.fromStack(many.stack).findWarning('*', Match.stringLikeRegexp('has 31 filters: the default quota is 30'));
    expect(warnings).toHaveLength(1);
  });

  test('an imported dataset group is not checked, with a warning; a raw expression only for its length', () => {
    const stack = new Stack(new App(), 'TestStack');
    const datasetGroup = DatasetGroup.fromDatasetGroupArn(stack, 'G', 'arn:aws:personalize:us-west-2:123456789012:dataset-group/movies');
    new Filter(stack, 'Built', { datasetGroup, expression: FilterExpression.includeItems(FilterField.item('ANYTHING').isIn(FilterValue.strings('x'))) });
    new Filter(stack, 'Raw', { datasetGroup, filterName: 'raw', expression: FilterExpression.raw('EXCLUDE ActionID WHERE Action_Interactions.EVENT_TYPE IN ("taken")') });
    const template = Template.fromStack(stack);
    template.hasResourceProperties(FILTER, { Name: 'raw', FilterExpression: 'EXCLUDE ActionID WHERE Action_Interactions.EVENT_TYPE IN ("taken")' });
    expect(Annotations.fromStack(stack).findWarning('/TestStack/Built', Match.stringLikeRegexp('is imported: the expression\'s fields are not checked'))).toHaveLength(1);
  });

  test('props are checked without a type checker', () => {
    const { stack, datasetGroup } = group();
    expect(() => new Filter(stack, 'A', { datasetGroup, expression: 'EXCLUDE ItemID' as any })).toThrow(/filter at 'TestStack\/A' expression is the string "EXCLUDE ItemID": must be a FilterExpression/);
    expect(() => new Filter(stack, 'B', { datasetGroup, expression: FilterExpression.excludeItems(purchased), name: 'x' } as any)).toThrow("filter at 'TestStack/B': unknown key 'name'; FilterProps has datasetGroup, expression, filterName");
    expect(() => new Filter(stack, 'C', { datasetGroup, expression: FilterExpression.excludeItems(purchased), filterName: 'bad name' })).toThrow(/filterName is 'bad name': must match/);
  });

  test('fromFilterArn', () => {
    const stack = new Stack();
    const f = Filter.fromFilterArn(stack, 'F', 'arn:aws:personalize:us-west-2:123456789012:filter/not-bought');
    expect(f.filterName).toBe('not-bought');
    expect(f.env.region).toBe('us-west-2');
  });
});

describe('a campaign with filters', () => {
  function served(recipe: Recipe) {
    const { stack, datasetGroup } = group();
    const solution = new Solution(stack, 'S', { datasetGroup, recipe });
    const campaign = new Campaign(stack, 'C', { solutionVersion: solution.addVersion('V', { outputs: false }) });
    return { stack, datasetGroup, campaign };
  }

  test('grantGetRecommendations covers the filters given as props, and those added after the grant', () => {
    const { stack, datasetGroup, campaign } = served(Recipe.USER_PERSONALIZATION_V2);
    const role = new iam.Role(stack, 'Reader', { assumedBy: new iam.AccountRootPrincipal() });
    campaign.grantGetRecommendations(role);
    const filter = new Filter(stack, 'NotBought', { datasetGroup, expression: FilterExpression.excludeItems(purchased) });
    campaign.addFilter(filter);

    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^Reader') }],
      PolicyDocument: {
        Statement: [{
          Action: ['personalize:GetRecommendations', 'personalize:GetPersonalizedRanking'],
          Effect: 'Allow',
          Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^C'), 'CampaignArn'] },
        }, {
          Action: ['personalize:GetRecommendations', 'personalize:GetPersonalizedRanking'],
          Effect: 'Allow',
          Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^NotBought'), 'FilterArn'] },
        }],
      },
    });
  });

  test('a CurrentItem filter needs a recipe of related items', () => {
    const { stack, datasetGroup, campaign } = served(Recipe.USER_PERSONALIZATION_V2);
    const filter = new Filter(stack, 'Same', { datasetGroup, expression: FilterExpression.includeItems(FilterField.item('GENRES').isIn(FilterValue.currentItem('GENRES'))) });
    expect(() => campaign.addFilter(filter)).toThrow(/filter TestStack\/Same uses CurrentItem, which only recipes of related items \(RELATED_ITEMS\) have; recipe aws-user-personalization-v2 is USER_PERSONALIZATION/);
    const similar = served(Recipe.SIMS);
    const f2 = new Filter(similar.stack, 'Same', { datasetGroup: similar.datasetGroup, expression: FilterExpression.includeItems(FilterField.item('GENRES').isIn(FilterValue.currentItem('GENRES'))) });
    expect(() => similar.campaign.addFilter(f2)).not.toThrow();
  });
});

describe('EventTracker', () => {
  test('renders CfnEventTracker; the tracking id is an attribute; grantPutEvents', () => {
    const { stack, datasetGroup } = group();
    const tracker = new EventTracker(stack, 'Tracker', { datasetGroup });
    const role = new iam.Role(stack, 'Writer', { assumedBy: new iam.AccountRootPrincipal() });
    tracker.grantPutEvents(role);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Personalize::EventTracker', {
      Name: Match.stringLikeRegexp('^TestStackTracker'),
      DatasetGroupArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Group'), 'DatasetGroupArn'] },
    });
    expect(stack.resolve(tracker.trackingId)).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^Tracker/), 'TrackingId'] });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [{ Action: 'personalize:PutEvents', Effect: 'Allow', Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Tracker'), 'EventTrackerArn'] } }] },
    });
  });

  test('one per dataset group', () => {
    const { stack, datasetGroup } = group();
    new EventTracker(stack, 'A', { datasetGroup });
    new EventTracker(stack, 'B', { datasetGroup });
    expect(synthError(stack)).toMatch(/dataset group TestStack\/Group has 2 event trackers \(TestStack\/A, TestStack\/B\): Personalize allows one per dataset group/);
  });

  test('imports and untyped callers', () => {
    const stack = new Stack();
    const imported = EventTracker.fromEventTrackerAttributes(stack, 'T', { eventTrackerArn: 'arn:aws:personalize:us-west-2:123456789012:event-tracker/abc', trackingId: 'tid' });
    expect(imported.trackingId).toBe('tid');
    const { stack: s2, datasetGroup } = group();
    expect(() => new EventTracker(s2, 'X', { datasetGroup, name: 'x' } as any)).toThrow("event tracker at 'TestStack/X': unknown key 'name'; EventTrackerProps has datasetGroup, eventTrackerName");
  });
});

test('a campaign\'s filters prop is covered by its grant', () => {
  const { stack, datasetGroup } = group();
  const filter = new Filter(stack, 'NotBought', { datasetGroup, expression: FilterExpression.excludeItems(purchased) });
  const solution = new Solution(stack, 'S', { datasetGroup, recipe: Recipe.USER_PERSONALIZATION_V2 });
  const campaign = new Campaign(stack, 'C', { solutionVersion: solution.addVersion('V', { outputs: false }), filters: [filter] });
  const role = new iam.Role(stack, 'Reader', { assumedBy: new iam.AccountRootPrincipal() });
  campaign.grantGetRecommendations(role);
  Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
    Roles: [{ Ref: Match.stringLikeRegexp('^Reader') }],
    PolicyDocument: {
      Statement: [{
        Action: ['personalize:GetRecommendations', 'personalize:GetPersonalizedRanking'],
        Resource: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^C'), 'CampaignArn'] }, { 'Fn::GetAtt': [Match.stringLikeRegexp('^NotBought'), 'FilterArn'] }],
        Effect: 'Allow',
      }],
    },
  });
});
