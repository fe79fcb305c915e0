import { E2E, HOUR, synthExample, synthTrainingApp, TRAINING_STACK, outputsEndingWith, removeAssemblies, destroyAndCheckLeftovers } from './harness';

/**
 * Create, train, update and delete stacks built with the library, deployed by the local runner to
 * the Personalize simulator. Every training result here is SIMULATED.
 */

jest.setTimeout(60_000);

const SOLUTION = 'Custom::PersonalizeSolution';

let e2e: E2E | undefined;

afterEach(async () => {
  await e2e?.close();
  e2e = undefined;
});

afterAll(() => removeAssemblies());

/** Destroys the stack and checks that nothing is left training, running or behind. */
async function destroyAndCheck(env: E2E, stackName: string): Promise<void> {
  expect(env.sim.inProgressTrainings()).toEqual([]);
  await destroyAndCheckLeftovers(env, stackName);
}

test('1. the example app: create, train both solutions, read the tuned values, delete', async () => {
  const { dir, stackName } = synthExample();
  e2e = await E2E.start();

  const deployed = await e2e.deploy(dir, stackName);

  expect({ status: deployed.status, reason: deployed.failureReason }).toEqual({ status: 'CREATE_COMPLETE', reason: undefined });
  // Four outputs per version by default: the ARN, the hours and two JSON objects.
  expect(Object.keys(outputsEndingWith(deployed.outputs, 'VersionTunedHyperParameters')).sort()).toEqual(['Ranking', 'UserPersonalization']);
  for (const prefix of ['RankingVersion', 'UserPersonalizationVersion']) {
    const out = (key: string) => deployed.outputs[`${prefix}${key}`];
    const tuned = JSON.parse(out('TunedHyperParameters'));
    expect(Object.keys(tuned).sort()).toEqual(['bptt', 'recency_mask']);
    const bptt = Number(tuned.bptt);
    expect(Number.isInteger(bptt)).toBe(true);
    expect(bptt).toBeGreaterThanOrEqual(20);
    expect(bptt).toBeLessThanOrEqual(40);
    expect(['true', 'false']).toContain(tuned.recency_mask);
    // 4 HPO jobs of 40 simulated minutes each.
    expect(Number(out('TrainingHours'))).toBeCloseTo(2.667, 3);
    expect(out('SolutionVersionArn')).toMatch(/^arn:aws:personalize:us-west-2:000000000000:solution\/PersonalizeHpoExample_[A-Za-z0-9]+\/[0-9a-f]+$/);
    const metrics = JSON.parse(out('Metrics'));
    for (const metric of ['coverage', 'mean_reciprocal_rank_at_25', 'normalized_discounted_cumulative_gain_at_10', 'precision_at_25']) {
      expect(metrics[metric]).toBeGreaterThan(0);
      expect(metrics[metric]).toBeLessThanOrEqual(1);
    }
  }
  const snapshot = e2e.snapshot();
  expect(snapshot.solutions.map(s => s.status)).toEqual(['ACTIVE', 'ACTIVE']);
  expect(snapshot.solutionVersions.map(v => v.status)).toEqual(['ACTIVE', 'ACTIVE']);
  expect(e2e.calls('CreateSolutionVersion')).toBe(2);
  // Serving: the filter and the event tracker, both ACTIVE; the tracking id is the simulator's.
  expect(snapshot.filters).toEqual([{ arn: deployed.outputs.NotPurchasedFilterArn, name: expect.stringMatching(/-[0-9a-f]{8}$/), status: 'ACTIVE' }]);
  expect(snapshot.eventTrackers.map(t => t.status)).toEqual(['ACTIVE']);
  expect(deployed.outputs.EventTrackerTrackingId).toMatch(/^sim-tracking-[0-9a-f]{8}$/);

  await destroyAndCheck(e2e, stackName);
});

test('2. a changed HPO range replaces the solution, trains a new version on it and deletes the old one', async () => {
  const before = synthTrainingApp({ bptt: [20, 40] });
  const after = synthTrainingApp({ bptt: [8, 16] });
  e2e = await E2E.start();

  const first = await e2e.deploy(before, TRAINING_STACK);
  expect(first.status).toBe('CREATE_COMPLETE');
  const [oldSolution] = e2e.physicalIdsOf(TRAINING_STACK, SOLUTION);
  const oldVersion = first.outputs.UpSolutionVersionArn;
  expect(oldVersion.startsWith(`${oldSolution}/`)).toBe(true);
  expect(Number(first.outputs.UpTunedBptt)).toBeGreaterThanOrEqual(20);
  expect(Number(first.outputs.UpTunedBptt)).toBeLessThanOrEqual(40);

  await e2e.cfn.advance(HOUR);
  const second = await e2e.deploy(after, TRAINING_STACK);

  expect(second.status).toBe('UPDATE_COMPLETE');
  const [newSolution] = e2e.physicalIdsOf(TRAINING_STACK, SOLUTION);
  expect(newSolution).toMatch(new RegExp(`^${oldSolution}-[0-9a-f]{8}$`));
  const newVersion = second.outputs.UpSolutionVersionArn;
  expect(newVersion).not.toBe(oldVersion);
  expect(newVersion.startsWith(`${newSolution}/`)).toBe(true);
  expect(second.outputs.UpStatus).toBe('ACTIVE');
  const bptt = Number(second.outputs.UpTunedBptt);
  expect(bptt).toBeGreaterThanOrEqual(8);
  expect(bptt).toBeLessThanOrEqual(16);
  expect(e2e.calls('CreateSolution')).toBe(2);
  expect(e2e.calls('CreateSolutionVersion')).toBe(2);

  // The old solution went in the cleanup, with its version.
  const snapshot = e2e.snapshot();
  expect(snapshot.solutions.map(s => s.arn)).toEqual([newSolution]);
  expect(snapshot.solutionVersions.map(v => v.arn)).toEqual([newVersion]);
  expect(second.events.some(ev => ev.physicalResourceId === oldSolution && ev.resourceStatus === 'DELETE_COMPLETE')).toBe(true);

  await destroyAndCheck(e2e, TRAINING_STACK);
});

test('3. redeploying the unchanged app trains nothing', async () => {
  const dir = synthTrainingApp();
  e2e = await E2E.start();

  const first = await e2e.deploy(dir, TRAINING_STACK);
  expect(first.status).toBe('CREATE_COMPLETE');
  const counts = e2e.sim.callCounts();

  await e2e.cfn.advance(HOUR);
  const again = await e2e.deploy(synthTrainingApp(), TRAINING_STACK);

  expect(again.noChanges).toBe(true);
  expect(again.outputs).toEqual(first.outputs);
  expect(e2e.calls('CreateSolutionVersion')).toBe(counts.CreateSolutionVersion);
  expect(e2e.calls('CreateSolution')).toBe(counts.CreateSolution);
  expect(e2e.snapshot().solutionVersions).toHaveLength(1);

  await destroyAndCheck(e2e, TRAINING_STACK);
});

test('4. a changed retrainTrigger trains a new version of the same solution', async () => {
  e2e = await E2E.start();

  const first = await e2e.deploy(synthTrainingApp({ retrainTrigger: 'import-1' }), TRAINING_STACK);
  expect(first.status).toBe('CREATE_COMPLETE');
  const [solution] = e2e.physicalIdsOf(TRAINING_STACK, SOLUTION);

  await e2e.cfn.advance(HOUR);
  const second = await e2e.deploy(synthTrainingApp({ retrainTrigger: 'import-2' }), TRAINING_STACK);

  expect(second.status).toBe('UPDATE_COMPLETE');
  expect(e2e.physicalIdsOf(TRAINING_STACK, SOLUTION)).toEqual([solution]);
  expect(e2e.calls('CreateSolution')).toBe(1);
  expect(e2e.calls('CreateSolutionVersion')).toBe(2);
  const newVersion = second.outputs.UpSolutionVersionArn;
  expect(newVersion).not.toBe(first.outputs.UpSolutionVersionArn);
  expect(newVersion.startsWith(`${solution}/`)).toBe(true);
  expect(second.outputs.UpStatus).toBe('ACTIVE');
  // Both versions belong to the one solution; the old one stays ACTIVE (Personalize keeps versions).
  const versions = e2e.snapshot().solutionVersions;
  expect(versions.map(v => [v.arn, v.solutionArn, v.status])).toEqual([
    [first.outputs.UpSolutionVersionArn, solution, 'ACTIVE'],
    [newVersion, solution, 'ACTIVE'],
  ]);

  await destroyAndCheck(e2e, TRAINING_STACK);
});
