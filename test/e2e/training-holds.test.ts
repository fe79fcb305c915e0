import { DescribeSolutionCommand, PersonalizeClient } from '@aws-sdk/client-personalize';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { E2E, HOUR, MINUTE, synthStack, synthTrainingApp, TRAINING_STACK, removeAssemblies, destroyAndCheckLeftovers } from './harness';
import { Dataset, DatasetGroup, DatasetImportMode, Schema } from '../../src';

/**
 * Training during a deploy as real CloudFormation runs it: a wait for every training, none for
 * changes made in place, polling that outlives transient errors, the 12-hour edge and forged
 * signals. Every training result here is SIMULATED.
 */

jest.setTimeout(60_000);

const SOLUTION = 'Custom::PersonalizeSolution';
const RESULT = 'Custom::PersonalizeTrainingResult';

let e2e: E2E | undefined;

afterEach(async () => {
  await e2e?.close();
  e2e = undefined;
});

afterAll(() => removeAssemblies());

describe('1. a training key that sees deploy-time values', () => {
  test('a renamed dataset group replaces the solution, and the deploy waits for the new version it trains', async () => {
    e2e = await E2E.start();
    const first = await e2e.deploy(synthTrainingApp({ datasetGroupName: 'e2e' }), TRAINING_STACK);
    expect(first.status).toBe('CREATE_COMPLETE');
    await e2e.cfn.advance(HOUR);

    const renamed = await e2e.deploy(synthTrainingApp({ datasetGroupName: 'e2e-renamed' }), TRAINING_STACK);

    expect({ status: renamed.status, reason: renamed.failureReason }).toEqual({ status: 'UPDATE_COMPLETE', reason: undefined });
    const arn = renamed.outputs.UpSolutionVersionArn;
    expect(arn).not.toBe(first.outputs.UpSolutionVersionArn);
    expect(renamed.outputs.UpStatus).toBe('ACTIVE');
    expect(e2e.statusesOf(arn).pop()).toBe('ACTIVE');
    expect(e2e.snapshot().datasetGroups.map(g => g.name)).toEqual(['e2e-renamed']);
    await destroyAndCheckLeftovers(e2e);
  });

  test('a hyperparameter from a CfnParameter: a change without a new retrainTrigger fails clearly and trains nothing', async () => {
    e2e = await E2E.start();
    const app = (trigger: string) => synthTrainingApp({ hiddenDimensionParameter: true, retrainTrigger: trigger });
    const first = await e2e.deploy(app('dim-64'), TRAINING_STACK, { parameters: { HiddenDimension: '64' } });
    expect(first.status).toBe('CREATE_COMPLETE');
    await e2e.cfn.advance(HOUR);
    const trainings = e2e.calls('CreateSolutionVersion');

    const changed = await e2e.deploy(app('dim-64'), TRAINING_STACK, { parameters: { HiddenDimension: '128' } });

    expect(changed.status).toBe('UPDATE_ROLLBACK_COMPLETE');
    expect(changed.failureReason).toMatch(/A new training of \S+ is needed \(solutionArn changed\), but the wait condition \S+ stayed the same.*change the version's retrainTrigger together with that value\. No training was started\./);
    expect(e2e.calls('CreateSolutionVersion')).toBe(trainings);
    expect(e2e.sim.inProgressTrainings()).toEqual([]);

    const retrained = await e2e.deploy(app('dim-128'), TRAINING_STACK, { parameters: { HiddenDimension: '128' } });
    expect({ status: retrained.status, reason: retrained.failureReason }).toEqual({ status: 'UPDATE_COMPLETE', reason: undefined });
    expect(retrained.outputs.UpStatus).toBe('ACTIVE');
    expect(e2e.calls('CreateSolutionVersion')).toBe(trainings + 1);
    await destroyAndCheckLeftovers(e2e);
  });
});

describe('3. changes UpdateSolution applies in place never train', () => {
  test('turning automatic training on, then changing its schedule, updates the solution in place', async () => {
    // Automatic training simulated as Personalize does it: a version within the hour of a change.
    e2e = await E2E.start({ autoTraining: true });
    const first = await e2e.deploy(synthTrainingApp(), TRAINING_STACK);
    expect(first.status).toBe('CREATE_COMPLETE');
    const [solution] = e2e.physicalIdsOf(TRAINING_STACK, SOLUTION);
    await e2e.cfn.advance(HOUR);

    for (const days of [7, 3]) {
      const updated = await e2e.deploy(synthTrainingApp({ autoTrainingEvery: Duration.days(days) }), TRAINING_STACK);
      expect({ status: updated.status, reason: updated.failureReason }).toEqual({ status: 'UPDATE_COMPLETE', reason: undefined });
      expect(updated.outputs.UpSolutionVersionArn).toBe(first.outputs.UpSolutionVersionArn);
      await e2e.cfn.advance(2 * HOUR);
    }

    expect(e2e.physicalIdsOf(TRAINING_STACK, SOLUTION)).toEqual([solution]);
    expect(e2e.calls('UpdateSolution')).toBe(2);
    expect(e2e.calls('CreateSolutionVersion')).toBe(1);
    // Personalize's own automatic trainings are not the stack's.
    expect(e2e.snapshot().solutionVersions.filter(v => v.trainingType === 'AUTOMATIC').length).toBeGreaterThan(0);
    await destroyAndCheckLeftovers(e2e);
  });

  test('changed event weights update the solution in place', async () => {
    e2e = await E2E.start();
    const first = await e2e.deploy(synthTrainingApp({ clickWeight: 0.5 }), TRAINING_STACK);
    expect(first.status).toBe('CREATE_COMPLETE');
    await e2e.cfn.advance(HOUR);

    const reweighted = await e2e.deploy(synthTrainingApp({ clickWeight: 0.8 }), TRAINING_STACK);

    expect({ status: reweighted.status, reason: reweighted.failureReason }).toEqual({ status: 'UPDATE_COMPLETE', reason: undefined });
    expect(reweighted.outputs.UpSolutionVersionArn).toBe(first.outputs.UpSolutionVersionArn);
    expect(e2e.calls('UpdateSolution')).toBe(1);
    expect(e2e.calls('CreateSolutionVersion')).toBe(1);
    await destroyAndCheckLeftovers(e2e);
  });
});

test('4. 30 minutes of Lambda throttling during a 3-hour training: polling resumes and the training succeeds', async () => {
  // 8 HPO jobs, 2 at a time: 3 h 1 min of training.
  const dir = synthTrainingApp({ jobs: [8, 2] });
  e2e = await E2E.start();
  const start = e2e.sim.clock.now();
  e2e.cfn.throttleLambda('TrainingWaiterPoller', 30 * MINUTE, start + HOUR);

  const deployed = await e2e.deploy(dir, TRAINING_STACK);

  expect({ status: deployed.status, reason: deployed.failureReason }).toEqual({ status: 'CREATE_COMPLETE', reason: undefined });
  expect(deployed.outputs.UpStatus).toBe('ACTIVE');
  expect(e2e.calls('StopSolutionVersionCreation')).toBe(0);
  const throttled = e2e.cfn.invocations.filter(i => i.error?.errorType === 'Lambda.TooManyRequestsException');
  expect(throttled.length).toBeGreaterThan(10);
  // The stack moved on within a poll interval of ACTIVE, as without throttling.
  const active = e2e.versionHistory.get(deployed.outputs.UpSolutionVersionArn)!.find(s => s.status === 'ACTIVE')!.at;
  const waited = deployed.events.find(ev => ev.resourceType === 'AWS::CloudFormation::WaitCondition' && ev.resourceStatus === 'CREATE_COMPLETE')!;
  expect(Date.parse(waited.timestamp) - active).toBeLessThanOrEqual(2 * MINUTE);
  await destroyAndCheckLeftovers(e2e);
});

describe('5. the 12-hour edge', () => {
  test('a trainingTimeout the wait condition would outlast is refused at synth', () => {
    expect(() => synthTrainingApp({ trainingTimeout: Duration.hours(12) }))
      .toThrow(/trainingTimeout is '12 hours': must be from 10 minutes to 11 hours/);
  });

  test('a training that would end after 11 h 40 m is stopped at the 11-hour trainingTimeout, and the stack says so', async () => {
    // 17 HPO jobs one after the other: 20 + 17 x 40 simulated minutes.
    const dir = synthTrainingApp({ jobs: [17, 1], trainingTimeout: Duration.hours(11) });
    e2e = await E2E.start();

    const deployed = await e2e.deploy(dir, TRAINING_STACK);

    expect(deployed.status).toBe('ROLLBACK_COMPLETE');
    const failed = deployed.events.filter(ev => ev.resourceStatus === 'CREATE_FAILED');
    expect(failed.map(ev => ev.resourceType)).toEqual([RESULT]);
    expect(failed[0].resourceStatusReason).toMatch(/did not finish within the trainingTimeout of 11h and was stopped \(CREATE STOPP(ING|ED)\)/);
    // Stopped by the poller, well before the wait condition's own 12 hours.
    const stop = e2e.sim.callLog().find(c => c.operation === 'StopSolutionVersionCreation' && c.outcome === 'ok')!;
    const created = e2e.sim.callLog().find(c => c.operation === 'CreateSolutionVersion' && c.outcome === 'ok')!;
    expect(stop.simulatedTime - created.simulatedTime).toBeGreaterThanOrEqual(11 * HOUR);
    expect(stop.simulatedTime - created.simulatedTime).toBeLessThanOrEqual(11 * HOUR + 2 * MINUTE);
    expect(deployed.events.some(ev => /timed out|within the specified duration/.test(ev.resourceStatusReason ?? ''))).toBe(false);
    expect(e2e.leftovers()).toEqual([]);
  });
});

describe('6. a forged signal is harmless', () => {
  test('no presigned URL anywhere; a SUCCESS signalled by someone else mid-training fails the result clearly and stops the training', async () => {
    const dir = synthTrainingApp({ jobs: [4, 1] });
    e2e = await E2E.start();
    const env = e2e;
    let forged: { status: number; body: string } | undefined;
    env.atSimulatedTime(env.sim.clock.now() + 30 * MINUTE, () => {
      const wait = env.cfn.describeStack(TRAINING_STACK)!.resources.find(r => r.type === 'AWS::CloudFormation::WaitCondition');
      const live = env.cfn.stackEvents(TRAINING_STACK).filter(ev => ev.resourceType === 'AWS::CloudFormation::WaitCondition').pop();
      forged = env.cfn.signalResource(TRAINING_STACK, wait?.logicalId ?? live!.logicalResourceId, 'forged', 'SUCCESS');
    });

    const deployed = await env.deploy(dir, TRAINING_STACK);

    expect(forged?.status).toBe(200);
    expect(deployed.status).toBe('ROLLBACK_COMPLETE');
    const failed = deployed.events.filter(ev => ev.resourceStatus === 'CREATE_FAILED');
    expect(failed.map(ev => ev.resourceType)).toEqual([RESULT]);
    expect(failed[0].resourceStatusReason).toMatch(/is CREATE IN_PROGRESS, not ACTIVE: its wait condition ended before the training did/);
    // Nothing a signal could be forged with is written down: no resource property, execution input
    // or Lambda event holds a presigned URL.
    const everything = JSON.stringify([env.cfn.executions(), env.cfn.invocations.map(i => i.event), env.cfn.stackEvents(TRAINING_STACK)]);
    expect(everything).not.toMatch(/X-Amz-Signature|\/wait\//);
    expect(env.sim.inProgressTrainings()).toEqual([]);
    expect(env.leftovers()).toEqual([]);
  });
});

test('7. an INCREMENTAL first import into a new dataset fails with Personalize\'s reason and rolls back cleanly', async () => {
  const dir = synthStack(TRAINING_STACK, stack => {
    const datasetGroup = new DatasetGroup(stack, 'DatasetGroup', { removalPolicy: RemovalPolicy.DESTROY, datasetGroupName: 'e2e' });
    new Dataset(stack, 'Interactions', {
      datasetGroup,
      schema: Schema.interactions(stack, 'Schema', {}),
      importSource: { bucket: new s3.Bucket(stack, 'Data'), prefix: 'interactions/', importMode: DatasetImportMode.INCREMENTAL },
    });
  });
  e2e = await E2E.start();

  const deployed = await e2e.deploy(dir, TRAINING_STACK);

  expect(deployed.status).toBe('ROLLBACK_COMPLETE');
  expect(deployed.failureReason).toMatch(/CreateDatasetImportJob failed: InvalidInputException: .*the first import must use importMode FULL/);
  expect(e2e.leftovers()).toEqual([]);
});

test('7. an in-place change and a retraining in one deploy: the version trains only once the solution update is ACTIVE', async () => {
  e2e = await E2E.start();
  const first = await e2e.deploy(synthTrainingApp({ clickWeight: 0.5, retrainTrigger: 'a' }), TRAINING_STACK);
  expect(first.status).toBe('CREATE_COMPLETE');
  await e2e.cfn.advance(HOUR);

  const both = await e2e.deploy(synthTrainingApp({ clickWeight: 0.8, retrainTrigger: 'b' }), TRAINING_STACK);

  expect({ status: both.status, reason: both.failureReason }).toEqual({ status: 'UPDATE_COMPLETE', reason: undefined });
  const client = new PersonalizeClient(e2e.sim.clientConfig());
  const [solutionArn] = e2e.physicalIdsOf(TRAINING_STACK, SOLUTION);
  const { solution } = await client.send(new DescribeSolutionCommand({ solutionArn }));
  client.destroy();
  const update = solution!.latestSolutionUpdate!;
  expect(update.solutionUpdateConfig?.eventsConfig?.eventParametersList?.[0]?.weight).toBe(0.8);
  const created = e2e.sim.callLog().filter(c => c.operation === 'CreateSolutionVersion' && c.outcome === 'ok').pop()!;
  expect(created.simulatedTime).toBeGreaterThanOrEqual(update.lastUpdatedDateTime!.getTime());
  await destroyAndCheckLeftovers(e2e);
});
