import * as fs from 'fs';
import * as path from 'path';
import {
  DescribeSolutionVersionCommand,
  GetSolutionMetricsCommand,
  PersonalizeClient,
  type SolutionVersion,
} from '@aws-sdk/client-personalize';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { completeEvent, createEvent, deleteEvent, SERVICE_TOKEN, updateEvent, versionArn } from './events';
import { SdkPersonalizeApi } from '../../src/handlers/aws/personalize-api';
import type { OnEventRequest, ResourceProperties } from '../../src/handlers/framework/types';
import { dataBytes, mapTunedNames, MAX_DATA_BYTES, TRUNCATED_MARKER, TrainingResultHandler } from '../../src/handlers/resources/training-result-handler';
import { NOT_REPORTED, TRAINING_RESULT_RESOURCE_TYPE } from '../../src/private/contract';

const personalize = mockClient(PersonalizeClient);
let handler: TrainingResultHandler;

/** Personalize's documented DescribeSolutionVersion response for an HRNN solution with HPO. */
function fixtureVersion(): SolutionVersion {
  const raw = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'hrnn-describe-solution-version.json'), 'utf8'));
  const v = raw.solutionVersion;
  // The SDK turns the wire's epoch seconds into Dates.
  return { ...v, creationDateTime: new Date(v.creationDateTime * 1000), lastUpdatedDateTime: new Date(v.lastUpdatedDateTime * 1000) };
}

const FIXTURE_ARN = 'arn:aws:personalize:us-west-2:000000000000:solution/hpo/5a515609';
const ARN = versionArn('movies', '5a515609');
const RESULT_EVENT = { ResourceType: TRAINING_RESULT_RESOURCE_TYPE, LogicalResourceId: 'HrnnVersionResult' };

function props(arn: string, tuned?: string[], metrics?: string[]): ResourceProperties {
  return { ServiceToken: SERVICE_TOKEN, SolutionVersionArn: arn, TunedHyperParameters: tuned, Metrics: metrics };
}

const create = (p: ResourceProperties): OnEventRequest => createEvent(p, RESULT_EVENT);

function describes(version: SolutionVersion, metrics: Record<string, number> = {}) {
  personalize.on(DescribeSolutionVersionCommand).resolves({ solutionVersion: version });
  personalize.on(GetSolutionMetricsCommand).resolves({ solutionVersionArn: version.solutionVersionArn, metrics });
}

let stdout: jest.SpyInstance;

beforeEach(() => {
  personalize.reset();
  handler = new TrainingResultHandler(new SdkPersonalizeApi(new PersonalizeClient({ maxAttempts: 1 })));
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
  stdout = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
});

afterEach(() => {
  jest.restoreAllMocks();
});

test('the documented HRNN response gives the tuned values, and every requested attribute exists', async () => {
  describes(fixtureVersion(), { coverage: 0.2719, precision_at_25: 0.0512 });

  const response = await handler.onEvent(create(props(
    FIXTURE_ARN,
    ['hidden_dimension', 'recency_mask', 'bptt'],
    ['coverage', 'precision_at_25', 'mean_reciprocal_rank_at_25'],
  )));

  expect(response).toEqual({
    PhysicalResourceId: FIXTURE_ARN,
    Decision: { action: 'done' },
    Data: {
      'Status': 'ACTIVE',
      // The documented example has no trainingHours.
      'TrainingHours': NOT_REPORTED,
      'SolutionVersionArn': FIXTURE_ARN,
      'TunedAtBounds': '',
      'TunedHPOParams': '{"hidden_dimension":"58","recency_mask":"false"}',
      'Tuned.hidden_dimension': '58',
      'Tuned.recency_mask': 'false',
      // HPO did not return bptt.
      'Tuned.bptt': NOT_REPORTED,
      'Metric.coverage': '0.2719',
      'Metric.precision_at_25': '0.0512',
      'Metric.mean_reciprocal_rank_at_25': NOT_REPORTED,
      // Numbers, and only those Personalize reported.
      'MetricsJson': '{"coverage":0.2719,"precision_at_25":0.0512}',
    },
  });
  expect(personalize).toHaveReceivedCommandWith(DescribeSolutionVersionCommand, { solutionVersionArn: FIXTURE_ARN });
  expect(personalize).toHaveReceivedCommandWith(GetSolutionMetricsCommand, { solutionVersionArn: FIXTURE_ARN });
});

test('names echoed with a prefix are mapped back to the declared names; others lose the prefix', async () => {
  describes({
    solutionVersionArn: ARN,
    status: 'ACTIVE',
    trainingHours: 1.372,
    tunedHPOParams: {
      algorithmHyperParameters: {
        'training.bptt': '16',
        'data.recency_mask': 'true',
        'training.hidden_dimension': '128',
        'training.learning_rate': '0.01',
      },
    },
  });

  const { Data } = await handler.onEvent(create(props(ARN, ['hidden_dimension', 'bptt', 'recency_mask'], [])));

  expect(Data).toMatchObject({
    'TrainingHours': '1.372',
    'Tuned.hidden_dimension': '128',
    'Tuned.bptt': '16',
    'Tuned.recency_mask': 'true',
  });
  expect(JSON.parse(Data!.TunedHPOParams)).toEqual({ hidden_dimension: '128', bptt: '16', recency_mask: 'true', learning_rate: '0.01' });
  // Declared names first, in their order.
  expect(Object.keys(JSON.parse(Data!.TunedHPOParams))).toEqual(['hidden_dimension', 'bptt', 'recency_mask', 'learning_rate']);
});

test('name mapping: an exact key wins over a prefixed one; a taken short name keeps its prefix', () => {
  const mapped = mapTunedNames({ 'data.bptt': '4', 'bptt': '8', 'model.bptt': '2', 'constructor': 'x' }, ['bptt', 'constructor']);
  expect(Object.fromEntries(mapped)).toEqual({ 'bptt': '8', 'constructor': 'x', 'data.bptt': '4', 'model.bptt': '2' });
  // "ending in .<name>" is a whole segment, not a suffix of another name.
  expect(Object.fromEntries(mapTunedNames({ 'training.item_bptt': '3' }, ['bptt']))).toEqual({ item_bptt: '3' });
});

test('without HPO: TunedHPOParams is {} and every requested tuned value is not-reported', async () => {
  describes({ solutionVersionArn: ARN, status: 'ACTIVE', trainingHours: 0.25 }, {});
  const { Data } = await handler.onEvent(create(props(ARN, ['hidden_dimension'], ['coverage'])));
  expect(Data).toEqual({
    'Status': 'ACTIVE',
    'TrainingHours': '0.25',
    'SolutionVersionArn': ARN,
    'TunedAtBounds': '',
    'TunedHPOParams': '{}',
    'Tuned.hidden_dimension': NOT_REPORTED,
    'Metric.coverage': NOT_REPORTED,
    'MetricsJson': '{}',
  });
});

test('fails when a value another solution trains on was not reported, rather than hand on the placeholder', async () => {
  describes({ solutionVersionArn: ARN, status: 'ACTIVE', trainingHours: 2, tunedHPOParams: { algorithmHyperParameters: { bptt: '32' } } });
  const taken = { ...props(ARN, ['bptt', 'recency_mask']), RequiredTunedHyperParameters: ['bptt', 'recency_mask'] };
  await expect(handler.onEvent(create(taken))).rejects.toThrow(
    `HPO of solution version ${ARN} reported no value for recency_mask (tunedHPOParams holds: bptt), so the solution that takes its tunedHyperParameters() cannot be trained on them`);
  // Read only for the outputs, the same result is not an error.
  const { Data } = await handler.onEvent(create(props(ARN, ['bptt', 'recency_mask'])));
  expect(Data).toMatchObject({ 'Tuned.bptt': '32', 'Tuned.recency_mask': NOT_REPORTED });
});

test('no requested names or metrics: only the base attributes', async () => {
  describes({ solutionVersionArn: ARN, status: 'ACTIVE' });
  const { Data } = await handler.onEvent(create(props(ARN)));
  expect(Object.keys(Data!).sort()).toEqual(['MetricsJson', 'SolutionVersionArn', 'Status', 'TrainingHours', 'TunedAtBounds', 'TunedHPOParams']);
});

test('says which tuned values HPO set at a bound of their declared range, and logs where each landed', async () => {
  describes({
    solutionVersionArn: ARN,
    status: 'ACTIVE',
    tunedHPOParams: { algorithmHyperParameters: { 'hidden_dimension': '256', 'bptt': '40', 'training.learning_rate': '0.0998' } },
  });
  const log = jest.spyOn(console, 'log').mockImplementation(() => {});
  // CloudFormation delivers the ranges with every scalar as a string.
  const ranges = {
    hidden_dimension: { min: '32', max: '256', integer: 'true' },
    bptt: { min: '2', max: '64', integer: 'true' },
    learning_rate: { min: '0.001', max: '0.1', integer: 'false' },
  };
  const { Data } = await handler.onEvent(create({ ...props(ARN, ['hidden_dimension', 'bptt', 'learning_rate']), TunedRanges: ranges }));

  // 0.0998 is within 1 % of the continuous range's width from its upper bound; 40 of 2..64 is inside.
  expect(Data!.TunedAtBounds).toBe('hidden_dimension:upper,learning_rate:upper');
  const lines = log.mock.calls.map(c => String(c[0]));
  expect(lines).toContain('Tuned hidden_dimension = 256, 100% into 32..256: HPO chose the upper bound, so the best value may lie above the range; consider widening it');
  expect(lines).toContain('Tuned bptt = 40, 61% into 2..64');
  log.mockRestore();
});

test('an integer one step inside a bound is not at it, and a value HPO did not report is left out', async () => {
  describes({ solutionVersionArn: ARN, status: 'ACTIVE', tunedHPOParams: { algorithmHyperParameters: { hidden_dimension: '33' } } });
  const ranges = { hidden_dimension: { min: 32, max: 256, integer: true }, bptt: { min: 2, max: 64, integer: true } };
  const { Data } = await handler.onEvent(create({ ...props(ARN, ['hidden_dimension', 'bptt']), TunedRanges: ranges }));
  expect(Data!.TunedAtBounds).toBe('');
});

test('the attributes stay within CloudFormation\'s 4 KB: TunedHPOParams is cut, with a marker, and stays JSON', async () => {
  const many = Object.fromEntries(Array.from({ length: 120 }, (_, i) => [`training.extra_parameter_${i}`, `value-${'x'.repeat(20)}-${i}`]));
  describes({
    solutionVersionArn: ARN,
    status: 'ACTIVE',
    tunedHPOParams: { algorithmHyperParameters: { 'training.bptt': '16', ...many } },
  }, { coverage: 0.5 });
  const event = create(props(ARN, ['bptt'], ['coverage', 'precision_at_5']));

  const { Data } = await handler.onEvent(event);

  expect(dataBytes(Data!)).toBeLessThanOrEqual(MAX_DATA_BYTES);
  const tuned = JSON.parse(Data!.TunedHPOParams);
  expect(tuned.bptt).toBe('16');
  expect(tuned[TRUNCATED_MARKER]).toMatch(/^\d+ of 121 hyperparameters left out/);
  expect(Data!['Tuned.bptt']).toBe('16');
  expect(Data!['Metric.precision_at_5']).toBe(NOT_REPORTED);

  // The whole response the Provider framework sends fits in CloudFormation's 4096 bytes.
  const response = {
    Status: 'SUCCESS',
    Reason: 'See the details in CloudWatch Log Stream: 2025/01/01/[$LATEST]0123456789abcdef0123456789abcdef',
    StackId: `arn:aws:cloudformation:us-east-1:123456789012:stack/${'s'.repeat(128)}/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d`,
    RequestId: event.RequestId,
    LogicalResourceId: 'HrnnVersionResult0123456789ABCDEF',
    PhysicalResourceId: ARN,
    NoEcho: false,
    Data,
  };
  expect(Buffer.byteLength(JSON.stringify(response))).toBeLessThan(4096);
});

const CREATED = new Date(Date.UTC(2025, 0, 1, 12));
const HOUR_MS = 3600_000;

test.each([
  ['CREATE FAILED', 'Insufficient data for training', 1, `Training of solution version ${ARN} failed (CREATE FAILED): Insufficient data for training`],
  ['CREATE STOPPED', undefined, 2, `Solution version ${ARN} did not finish within the trainingTimeout of 2h and was stopped (CREATE STOPPED). Raise trainingTimeout`],
  ['CREATE STOPPING', undefined, 1, `Solution version ${ARN} was stopped before it finished (CREATE STOPPING): by a delete, by hand, or because its training poller failed`],
  ['CREATE IN_PROGRESS', undefined, 1, `Solution version ${ARN} is CREATE IN_PROGRESS, not ACTIVE: its wait condition ended before the training did`],
  ['CREATE PENDING', undefined, 0, `Solution version ${ARN} is CREATE PENDING, not ACTIVE: its wait condition ended before the training did`],
])('a version in %s fails the resource with what Personalize reports now', async (status, failureReason, hoursSinceCreation, message) => {
  const now = () => CREATED.getTime() + hoursSinceCreation * HOUR_MS;
  handler = new TrainingResultHandler(new SdkPersonalizeApi(new PersonalizeClient({ maxAttempts: 1 })), { now });
  describes({ solutionVersionArn: ARN, status, failureReason, creationDateTime: CREATED });
  await expect(handler.onEvent(create({ ...props(ARN, ['bptt'], ['coverage']), TrainingTimeoutSeconds: '7200' }))).rejects.toThrow(message);
  expect(personalize).not.toHaveReceivedCommand(GetSolutionMetricsCommand);
});

test('an update reads the (new) version again', async () => {
  describes({ solutionVersionArn: ARN, status: 'ACTIVE' }, { coverage: 0.1 });
  const response = await handler.onEvent(updateEvent('old-arn', props('old-arn'), props(ARN, [], ['coverage']), RESULT_EVENT));
  expect(response).toMatchObject({ PhysicalResourceId: ARN, Data: { 'Metric.coverage': '0.1' } });
});

test('delete and isComplete call nothing', async () => {
  const event = { ...deleteEvent(ARN, props(ARN)), ...RESULT_EVENT };
  await expect(handler.onEvent(event)).resolves.toEqual({ PhysicalResourceId: ARN, Decision: { action: 'done' } });
  await expect(handler.isComplete(completeEvent(create(props(ARN)), ARN, { action: 'done' }))).resolves.toEqual({ IsComplete: true });
  expect(personalize).not.toHaveReceivedAnyCommand();
});

test('rejects malformed properties', async () => {
  await expect(handler.onEvent(create(props('')))).rejects.toThrow('Property SolutionVersionArn is required');
  await expect(handler.onEvent(create({ SolutionVersionArn: ARN, Metrics: 'coverage' }))).rejects.toThrow('Property Metrics must be a list');
});

test('every metric Personalize reported, and the billed hours, go to CloudWatch as one embedded-metric-format line per training', async () => {
  const ended = new Date('2026-12-01T06:00:00Z');
  describes({ ...fixtureVersion(), solutionVersionArn: ARN, solutionArn: 'arn:aws:personalize:us-west-2:000000000000:solution/movies', trainingHours: 1.25, lastUpdatedDateTime: ended },
    { coverage: 0.2719, precision_at_25: 0.0512, normalized_discounted_cumulative_gain_at_10: 0.31 });

  await handler.onEvent(create(props(ARN, [], ['coverage'])));

  const lines = stdout.mock.calls.map(([chunk]) => String(chunk));
  expect(lines).toHaveLength(1);
  expect(lines[0].endsWith('\n')).toBe(true);
  const record = JSON.parse(lines[0]);
  expect(record).toEqual({
    _aws: {
      Timestamp: ended.getTime(),
      CloudWatchMetrics: [{
        Namespace: 'CdkPersonalize',
        Dimensions: [['SolutionArn']],
        Metrics: ['coverage', 'precision_at_25', 'normalized_discounted_cumulative_gain_at_10', 'TrainingHours'].map(Name => ({ Name, Unit: 'None' })),
      }],
    },
    SolutionArn: 'arn:aws:personalize:us-west-2:000000000000:solution/movies',
    SolutionVersionArn: ARN,
    coverage: 0.2719,
    precision_at_25: 0.0512,
    normalized_discounted_cumulative_gain_at_10: 0.31,
    TrainingHours: 1.25,
  });
});

test('a solution of the app is published by its path too, which a replacement keeps', async () => {
  describes({ ...fixtureVersion(), solutionVersionArn: ARN, solutionArn: 'arn:aws:personalize:us-west-2:000000000000:solution/movies-1a2b3c4d' }, { coverage: 0.27 });
  await handler.onEvent(create({ ...props(ARN, [], ['coverage']), SolutionPath: 'Shop/Movies' }));
  const record = JSON.parse(String(stdout.mock.calls[0][0]));
  expect(record._aws.CloudWatchMetrics[0].Dimensions).toEqual([['SolutionPath'], ['SolutionArn']]);
  expect(record).toMatchObject({ SolutionPath: 'Shop/Movies', SolutionArn: 'arn:aws:personalize:us-west-2:000000000000:solution/movies-1a2b3c4d' });
});

test('a version that is not ACTIVE publishes nothing', async () => {
  describes({ ...fixtureVersion(), solutionVersionArn: ARN, status: 'CREATE FAILED', failureReason: 'no data' });
  await expect(handler.onEvent(create(props(ARN)))).rejects.toThrow('no data');
  expect(stdout).not.toHaveBeenCalled();
});
