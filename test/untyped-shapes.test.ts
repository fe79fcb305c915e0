import * as fs from 'fs';
import * as path from 'path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as ts from 'typescript';
import { renderShapes, SHAPES_FILE } from '../build-tools/props-shapes';
import * as L from '../src';
import { MemberShape, PROPS_SHAPES } from '../src/private/props-shapes';
import { TYPE_HINTS } from '../src/private/untyped';

/**
 * Every public entry point that takes a props interface checks every member of it for callers
 * without a type checker. The checks come from the interfaces (src/private/props-shapes.ts, written
 * by build-tools/props-shapes.ts); these tests fail when a props interface, a member or an entry
 * point is added without them.
 */

const SRC = path.join(__dirname, '..', 'src');
const js = (value: unknown): any => value;
type Shapes = Record<string, Record<string, MemberShape>>;
const SHAPES = PROPS_SHAPES as unknown as Shapes;

/** `Class.method` (or `Class.new`) of every public entry point with a props parameter, and the interface it takes. */
function entryPoints(): Map<string, string> {
  const files = [...fs.readFileSync(path.join(SRC, 'index.ts'), 'utf-8').matchAll(/from '\.\/([^']+)'/g)].map(m => `${m[1]}.ts`);
  const found = new Map<string, string>();
  for (const file of files) {
    const source = ts.createSourceFile(file, fs.readFileSync(path.join(SRC, file), 'utf-8'), ts.ScriptTarget.Latest, true);
    source.forEachChild(node => {
      if (!ts.isClassDeclaration(node) || !node.name) {
        return;
      }
      for (const member of node.members) {
        if (!ts.isConstructorDeclaration(member) && !ts.isMethodDeclaration(member)) {
          continue;
        }
        const hidden = (ts.getModifiers(member) ?? [])
          .some(m => m.kind === ts.SyntaxKind.PrivateKeyword || m.kind === ts.SyntaxKind.ProtectedKeyword);
        const name = ts.isConstructorDeclaration(member) ? 'new' : (member.name as ts.Identifier).text;
        if (hidden || name.startsWith('_')) {
          continue;
        }
        for (const parameter of member.parameters) {
          const type = parameter.type?.getText().replace(/\[\]$/, '');
          if (type && type in SHAPES) {
            found.set(`${node.name.text}.${name}`, type);
          }
        }
      }
    });
  }
  return found;
}

interface Fixture {
  /** Valid props for the entry point. */
  readonly valid: (s: Stack) => Record<string, unknown>;
  /** Calls the entry point with `props` and synthesizes what it built. */
  readonly call: (s: Stack, props: any) => unknown;
}

const ARN = 'arn:aws:personalize:us-west-2:123456789012';

function group(s: Stack, domain?: L.DatasetGroupDomain) {
  const datasetGroup = new L.DatasetGroup(s, 'Group', { domain });
  new L.Dataset(s, 'Interactions', {
    datasetGroup, schema: L.Schema.interactions(s, 'InteractionsSchema', { domain, fields: [L.SchemaField.ofString('EVENT_TYPE')] }),
  });
  return datasetGroup;
}

function version(s: Stack) {
  return new L.Solution(s, 'Solution', { datasetGroup: group(s), recipe: L.Recipe.USER_PERSONALIZATION }).addVersion('Version');
}

const location = (s: Stack, name: string) => ({ bucket: new s3.Bucket(s, name), prefix: `${name.toLowerCase()}/` });
const hp = (factory: (props: any) => unknown) => ({ valid: () => ({}), call: (_s: Stack, props: any) => factory(props) });
const field = (factory: (name: string, options: any) => unknown) => ({ valid: () => ({}), call: (_s: Stack, options: any) => factory('F', options) });
const schema = (factory: (s: Stack, id: string, options: any) => unknown) => ({
  valid: () => ({ fields: [L.SchemaField.categorical('GENRES')] }), call: (s: Stack, options: any) => factory(s, 'X', options),
});
const dashboardSolution = (s: Stack) => new L.Solution(s, 'Solution', {
  datasetGroup: group(s),
  recipe: L.Recipe.USER_PERSONALIZATION,
  hpo: { ranges: L.HyperParameterRanges.userPersonalization({ bptt: L.HyperParameterRange.integer(8, 32) }) },
});

const FIXTURES: Record<string, Fixture> = {
  'Recipe.fromArn': { valid: () => ({}), call: (_s, options) => L.Recipe.fromArn(`${ARN.replace(':us-west-2:123456789012', '::')}:recipe/aws-x`, options) },
  'HyperParameters.userPersonalization': hp(p => L.HyperParameters.userPersonalization(p)),
  'HyperParameters.personalizedRanking': hp(p => L.HyperParameters.personalizedRanking(p)),
  'HyperParameters.hrnn': hp(p => L.HyperParameters.hrnn(p)),
  'HyperParameters.hrnnColdstart': hp(p => L.HyperParameters.hrnnColdstart(p)),
  'HyperParameters.userPersonalizationV2': hp(p => L.HyperParameters.userPersonalizationV2(p)),
  'HyperParameters.personalizedRankingV2': hp(p => L.HyperParameters.personalizedRankingV2(p)),
  'HyperParameters.sims': hp(p => L.HyperParameters.sims(p)),
  'HyperParameters.similarItems': hp(p => L.HyperParameters.similarItems(p)),
  'HyperParameters.trendingNow': hp(p => L.HyperParameters.trendingNow(p)),
  'HyperParameters.nextBestAction': hp(p => L.HyperParameters.nextBestAction(p)),
  'HyperParameters.affinity': hp(p => L.HyperParameters.affinity(p)),
  'HyperParameterRanges.userPersonalization': hp(p => L.HyperParameterRanges.userPersonalization(p)),
  'HyperParameterRanges.personalizedRanking': hp(p => L.HyperParameterRanges.personalizedRanking(p)),
  'HyperParameterRanges.hrnn': hp(p => L.HyperParameterRanges.hrnn(p)),
  'HyperParameterRanges.sims': hp(p => L.HyperParameterRanges.sims(p)),
  'HyperParameterRanges.similarItems': hp(p => L.HyperParameterRanges.similarItems(p)),
  'HyperParameterRanges.custom': {
    valid: () => ({ name: 'bptt', range: L.HyperParameterRange.integer(8, 32) }), call: (_s, range) => L.HyperParameterRanges.custom([range]),
  },
  'DatasetGroup.fromDatasetGroupAttributes': {
    valid: () => ({ datasetGroupArn: `${ARN}:dataset-group/g` }), call: (s, attrs) => L.DatasetGroup.fromDatasetGroupAttributes(s, 'X', attrs),
  },
  'DatasetGroup.new': { valid: () => ({}), call: (s, props) => new L.DatasetGroup(s, 'X', props) },
  'Solution.fromSolutionAttributes': { valid: () => ({ solutionArn: `${ARN}:solution/s` }), call: (s, attrs) => L.Solution.fromSolutionAttributes(s, 'X', attrs) },
  'Solution.new': {
    valid: s => ({ datasetGroup: group(s), recipe: L.Recipe.USER_PERSONALIZATION }), call: (s, props) => new L.Solution(s, 'X', props),
  },
  'Solution.addVersion': {
    valid: () => ({}), call: (s, options) => new L.Solution(s, 'S', { datasetGroup: group(s), recipe: L.Recipe.USER_PERSONALIZATION }).addVersion('X', options),
  },
  'SolutionVersion.fromSolutionVersionAttributes': {
    valid: () => ({ solutionVersionArn: `${ARN}:solution/s/1` }), call: (s, attrs) => L.SolutionVersion.fromSolutionVersionAttributes(s, 'X', attrs),
  },
  'SolutionVersion.new': {
    valid: s => ({ solution: new L.Solution(s, 'S', { datasetGroup: group(s), recipe: L.Recipe.USER_PERSONALIZATION }) }),
    call: (s, props) => new L.SolutionVersion(s, 'X', props),
  },
  'SchemaField.ofString': field((n, o) => L.SchemaField.ofString(n, o)),
  'SchemaField.categorical': field((n, o) => L.SchemaField.categorical(n, o)),
  'SchemaField.textual': field((n, o) => L.SchemaField.textual(n, o)),
  'SchemaField.ofInt': field((n, o) => L.SchemaField.ofInt(n, o)),
  'SchemaField.ofLong': field((n, o) => L.SchemaField.ofLong(n, o)),
  'SchemaField.ofFloat': field((n, o) => L.SchemaField.ofFloat(n, o)),
  'SchemaField.ofDouble': field((n, o) => L.SchemaField.ofDouble(n, o)),
  'SchemaField.ofBoolean': field((n, o) => L.SchemaField.ofBoolean(n, o)),
  'SchemaField.ofType': field((n, o) => L.SchemaField.ofType(n, L.SchemaFieldType.STRING, o)),
  'Schema.interactions': schema((s, id, o) => L.Schema.interactions(s, id, o)),
  'Schema.items': schema((s, id, o) => L.Schema.items(s, id, o)),
  'Schema.users': schema((s, id, o) => L.Schema.users(s, id, o)),
  'Schema.actions': schema((s, id, o) => L.Schema.actions(s, id, o)),
  'Schema.actionInteractions': schema((s, id, o) => L.Schema.actionInteractions(s, id, o)),
  'Schema.fromJson': {
    valid: () => ({ datasetType: L.DatasetType.USERS, json: JSON.stringify({ type: 'record', name: 'Users', fields: [{ name: 'USER_ID', type: 'string' }, { name: 'A', type: 'int' }] }) }),
    call: (s, props) => L.Schema.fromJson(s, 'X', props),
  },
  'Schema.fromSchemaAttributes': { valid: () => ({ schemaArn: `${ARN}:schema/s` }), call: (s, attrs) => L.Schema.fromSchemaAttributes(s, 'X', attrs) },
  'Schema.new': {
    valid: () => ({ datasetType: L.DatasetType.INTERACTIONS, definition: L.SchemaDefinition.fromFields([]) }), call: (s, props) => new L.Schema(s, 'X', props),
  },
  'Dataset.fromDatasetAttributes': { valid: () => ({ datasetArn: `${ARN}:dataset/g/ITEMS` }), call: (s, attrs) => L.Dataset.fromDatasetAttributes(s, 'X', attrs) },
  'Dataset.new': {
    valid: s => ({ datasetGroup: new L.DatasetGroup(s, 'G'), schema: L.Schema.items(s, 'Sc', { fields: [L.SchemaField.categorical('GENRES')] }) }),
    call: (s, props) => new L.Dataset(s, 'X', props),
  },
  'Campaign.new': { valid: s => ({ solutionVersion: version(s) }), call: (s, props) => new L.Campaign(s, 'X', props) },
  'EventTracker.fromEventTrackerAttributes': {
    valid: () => ({ eventTrackerArn: `${ARN}:event-tracker/e`, trackingId: 't' }), call: (s, attrs) => L.EventTracker.fromEventTrackerAttributes(s, 'X', attrs),
  },
  'EventTracker.new': { valid: s => ({ datasetGroup: group(s) }), call: (s, props) => new L.EventTracker(s, 'X', props) },
  'FilterExpression.includeItems': { valid: () => ({}), call: (_s, o) => L.FilterExpression.includeItems(L.FilterField.eventType().isIn(L.FilterValue.strings('a')), o) },
  'FilterExpression.excludeItems': { valid: () => ({}), call: (_s, o) => L.FilterExpression.excludeItems(L.FilterField.eventType().isIn(L.FilterValue.strings('a')), o) },
  'Filter.new': {
    valid: s => ({ datasetGroup: group(s), expression: L.FilterExpression.excludeItems(L.FilterField.eventType().isIn(L.FilterValue.strings('a'))) }),
    call: (s, props) => new L.Filter(s, 'X', props),
  },
  'MetricAttribution.new': {
    valid: s => ({ datasetGroup: group(s), metrics: [{ metricName: 'CLICKS', eventType: 'click', expression: L.MetricExpression.sampleCount() }] }),
    call: (s, props) => new L.MetricAttribution(s, 'X', props),
  },
  'Recommender.new': {
    valid: s => ({ datasetGroup: group(s, L.DatasetGroupDomain.ECOMMERCE), useCase: L.RecommenderUseCase.BEST_SELLERS }),
    call: (s, props) => new L.Recommender(s, 'X', props),
  },
  'TrainingDashboard.new': { valid: s => ({ solutions: [dashboardSolution(s)] }), call: (s, props) => new L.TrainingDashboard(s, 'X', props) },
  'TrainingDashboard.addSolution': { valid: () => ({}), call: (s, options) => new L.TrainingDashboard(s, 'X').addSolution(dashboardSolution(s), options) },
  'BatchInferenceJob.new': {
    valid: s => ({ solutionVersion: version(s), input: location(s, 'In'), output: location(s, 'Out') }), call: (s, props) => new L.BatchInferenceJob(s, 'X', props),
  },
  'BatchSegmentJob.new': {
    valid: s => ({
      solutionVersion: new L.Solution(s, 'Solution', { datasetGroup: group(s), recipe: L.Recipe.ITEM_AFFINITY }).addVersion('Version'),
      input: location(s, 'In'),
      output: location(s, 'Out'),
    }),
    call: (s, props) => new L.BatchSegmentJob(s, 'X', props),
  },
};

/** A value of the wrong kind for `shape`. */
function wrongValue(shape: MemberShape): unknown {
  if (shape.array) {
    return 'not a list';
  }
  switch (shape.kind) {
    case 'string':
      return 42;
    case 'number':
      return 'many';
    case 'boolean':
      return 'yes';
    case 'enum':
      return 'NOT_A_VALUE';
    case 'duration':
      return 3600;
    default:
      return 'arn:aws:personalize:us-west-2:123456789012:x/y';
  }
}

/** What calling `fixture` with `props` throws, at the call or at synth; undefined when nothing does. */
function failure(fixture: Fixture, props: (s: Stack) => Record<string, unknown>): Error | undefined {
  const stack = new Stack(new App(), 'Shapes', { env: { account: '123456789012', region: 'us-west-2' } });
  try {
    fixture.call(stack, props(stack));
    Template.fromStack(stack);
  } catch (err) {
    return err as Error;
  }
  return undefined;
}

test('src/private/props-shapes.ts is what build-tools/props-shapes.ts writes from the interfaces (npx projen props-shapes)', () => {
  expect(fs.readFileSync(SHAPES_FILE, 'utf-8')).toEqual(renderShapes());
});

test('every public entry point that takes a props interface has a fixture here', () => {
  const missing = [...entryPoints().keys()].filter(name => !(name in FIXTURES));
  expect(missing).toEqual([]);
});

test('every type a props member refers to has a hint for messages', () => {
  const types = Object.values(SHAPES).flatMap(members => Object.values(members)).filter(m => ['reference', 'object', 'duration'].includes(m.kind)).map(m => m.type);
  expect([...new Set(types)].filter(type => !(type in TYPE_HINTS))).toEqual([]);
});

const cases = [...entryPoints()]
  .flatMap(([entry, iface]) => Object.entries(SHAPES[iface]).map(([member, shape]) => [entry, iface, member, shape] as const));

test.each(cases)('%s: %s.%s of the wrong kind fails naming it, what was given and what is allowed', (entry, _iface, member, shape) => {
  const fixture = FIXTURES[entry];
  const error = failure(fixture, s => ({ ...fixture.valid(s), [member]: js(wrongValue(shape)) }));
  expect(error).toBeDefined();
  expect(error).not.toBeInstanceOf(TypeError);
  expect(error!.message).toMatch(new RegExp(`\\b${member}(\\[0\\])? is `));
});

const required = cases.filter(([entry, , , shape]) => shape.required && !entry.startsWith('HyperParameterRanges.custom'));

test.each(required)('%s: %s.%s left out fails, saying it is missing', (entry, _iface, member) => {
  const fixture = FIXTURES[entry];
  const error = failure(fixture, s => ({ ...fixture.valid(s), [member]: undefined }));
  expect(error?.message).toMatch(new RegExp(`\\b${member} is missing`));
});

test('the valid props of every fixture pass, so that each failure above is the member\'s', () => {
  for (const [entry, fixture] of Object.entries(FIXTURES)) {
    expect({ entry, error: failure(fixture, fixture.valid)?.message }).toEqual({ entry, error: undefined });
  }
});

test('a construct\'s message names its path', () => {
  const error = failure(FIXTURES['Dataset.new'], s => ({ ...FIXTURES['Dataset.new'].valid(s), datasetName: js(42) }));
  expect(error?.message).toBe("dataset at 'Shapes/X' datasetName is number 42: must be a string");
  const duration = failure(FIXTURES['Solution.new'], s => ({ ...FIXTURES['Solution.new'].valid(s), autoTrainingSchedule: js(Duration.days(7).toDays()) }));
  expect(duration?.message).toBe("solution at 'Shapes/X' autoTrainingSchedule is number 7: must be a Duration, e.g. Duration.days(7)");
});
