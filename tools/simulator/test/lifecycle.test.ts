import {
  CreateDatasetGroupCommand,
  CreateSolutionCommand,
  DeleteDatasetGroupCommand,
  DeleteSolutionCommand,
  DescribeDatasetGroupCommand,
  GetSolutionMetricsCommand,
  ListSolutionVersionsCommand,
  ListSolutionsCommand,
  ListTagsForResourceCommand,
  PersonalizeClient,
  StopSolutionVersionCreationCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateSolutionCommand,
} from '@aws-sdk/client-personalize';
import { TIMING, planTraining } from '..';
import { Harness, SIMS, UP, activeSolution, newVersion, solutionOf, startHarness, stopHarness, upHpo, versionOf } from '../testing';

let h: Harness;
beforeEach(async () => { h = await startHarness(); });
afterEach(async () => stopHarness(h));

const EPOCH = Date.UTC(2026, 0, 1);
const NO_HPO_MS = TIMING.versionPendingMs + TIMING.baseTrainingMs + TIMING.roundMs;
const tags = (n: number) => Array.from({ length: n }, (_, i) => ({ tagKey: `k${i}`, tagValue: `v${i}` }));

describe('solution lifecycle', () => {
  test('CREATE PENDING -> CREATE IN_PROGRESS -> ACTIVE on the simulated clock only', async () => {
    const { solutionArn } = await h.client.send(new CreateSolutionCommand({ name: 'sol', datasetGroupArn: h.datasetGroupArn, recipeArn: UP }));
    expect(solutionArn).toBe('arn:aws:personalize:us-east-1:123456789012:solution/sol');
    const first = await solutionOf(h, solutionArn!);
    expect(first).toMatchObject({ status: 'CREATE PENDING', performAutoTraining: true, performHPO: false });
    expect(first.creationDateTime).toEqual(new Date(EPOCH));
    await new Promise((r) => setTimeout(r, 50)); // wall time changes nothing
    expect((await solutionOf(h, solutionArn!)).status).toBe('CREATE PENDING');
    h.sim.clock.advanceSeconds(30);
    expect((await solutionOf(h, solutionArn!)).status).toBe('CREATE IN_PROGRESS');
    h.sim.clock.advanceSeconds(30);
    const active = await solutionOf(h, solutionArn!);
    expect(active.status).toBe('ACTIVE');
    expect(active.lastUpdatedDateTime).toEqual(new Date(EPOCH + 60_000));
  });

  test('version CREATE PENDING -> CREATE IN_PROGRESS -> ACTIVE; trainingHours only when ACTIVE; no tunedHPOParams without HPO', async () => {
    const solutionArn = await activeSolution(h);
    const arn = await newVersion(h, solutionArn);
    expect(arn).toMatch(/^arn:aws:personalize:us-east-1:123456789012:solution\/sol\/[0-9a-f]{8}$/);
    expect(await versionOf(h, arn)).toMatchObject({ status: 'CREATE PENDING', trainingMode: 'FULL', trainingType: 'MANUAL' });
    h.sim.clock.advance(TIMING.versionPendingMs);
    const training = await versionOf(h, arn);
    expect(training.status).toBe('CREATE IN_PROGRESS');
    expect(training.trainingHours).toBeUndefined();
    await expect(h.client.send(new GetSolutionMetricsCommand({ solutionVersionArn: arn }))).rejects.toMatchObject({ name: 'ResourceInUseException' });
    h.sim.clock.advance(NO_HPO_MS - TIMING.versionPendingMs - 1);
    expect((await versionOf(h, arn)).status).toBe('CREATE IN_PROGRESS');
    h.sim.clock.advance(1);
    const done = await versionOf(h, arn);
    expect(done).toMatchObject({ status: 'ACTIVE', trainingHours: 0.667 });
    expect(done.tunedHPOParams).toBeUndefined();
    expect((await solutionOf(h, solutionArn)).latestSolutionVersion).toMatchObject({ solutionVersionArn: arn, status: 'ACTIVE' });
  });

  test.each([
    [4, 4, 1],
    [8, 4, 2],
    [40, 10, 4],
    [40, 5, 8],
  ])('HPO %i jobs / %i parallel trains in %i round(s): 20 min + 40 min per round', async (total, parallel, rounds) => {
    const solutionArn = await activeSolution(h, { performHPO: true, solutionConfig: upHpo(total, parallel) });
    const arn = await newVersion(h, solutionArn);
    const trainingMs = TIMING.baseTrainingMs + rounds * TIMING.roundMs;
    expect(planTraining('FULL', { total, parallel }).durationMs).toBe(trainingMs);
    h.sim.clock.advance(TIMING.versionPendingMs + trainingMs - 1);
    expect((await versionOf(h, arn)).status).toBe('CREATE IN_PROGRESS');
    h.sim.clock.advance(1);
    const v = await versionOf(h, arn);
    expect(v.status).toBe('ACTIVE');
    expect(v.trainingHours).toBeCloseTo((total * 40) / 60, 2);
  });

  test('trainingMode UPDATE needs an ACTIVE FULL version and a recipe that supports it', async () => {
    const up = await activeSolution(h, { name: 'up' });
    await expect(newVersion(h, up, 'UPDATE')).rejects.toMatchObject({ name: 'InvalidInputException', message: expect.stringContaining('needs an ACTIVE solution version') });
    await newVersion(h, up);
    h.sim.clock.advance(NO_HPO_MS);
    const update = await newVersion(h, up, 'UPDATE');
    h.sim.clock.advance(TIMING.versionPendingMs + TIMING.baseTrainingMs + TIMING.updateJobMs);
    expect(await versionOf(h, update)).toMatchObject({ status: 'ACTIVE', trainingMode: 'UPDATE' });

    const sims = await activeSolution(h, { name: 'sims', recipeArn: SIMS });
    await newVersion(h, sims);
    h.sim.clock.advance(NO_HPO_MS);
    await expect(newVersion(h, sims, 'UPDATE')).rejects.toMatchObject({ name: 'InvalidInputException', message: expect.stringContaining('not supported') });
  });

  test('UpdateSolution: CREATE PENDING -> CREATE IN_PROGRESS -> ACTIVE, then applied; ResourceInUse while running', async () => {
    const solutionArn = await activeSolution(h, { performAutoTraining: true });
    await h.client.send(new UpdateSolutionCommand({
      solutionArn, performAutoTraining: false, solutionUpdateConfig: { autoTrainingConfig: { schedulingExpression: 'rate(3 days)' } },
    }));
    // Right after the call DescribeSolution still reports no (or the previous) update: modelled strictly.
    expect((await solutionOf(h, solutionArn)).latestSolutionUpdate).toBeUndefined();
    await expect(h.client.send(new UpdateSolutionCommand({ solutionArn, performAutoTraining: true }))).rejects.toMatchObject({ name: 'ResourceInUseException' });
    await expect(h.client.send(new DeleteSolutionCommand({ solutionArn }))).rejects.toMatchObject({ name: 'ResourceInUseException' });
    h.sim.clock.advanceSeconds(30);
    expect((await solutionOf(h, solutionArn)).latestSolutionUpdate).toMatchObject({ status: 'CREATE IN_PROGRESS', performAutoTraining: false });
    h.sim.clock.advanceSeconds(30);
    const s = await solutionOf(h, solutionArn);
    expect(s.latestSolutionUpdate!.status).toBe('ACTIVE');
    expect(s.performAutoTraining).toBe(false);
    expect(s.solutionConfig?.autoTrainingConfig?.schedulingExpression).toBe('rate(3 days)');
  });
});

describe('preconditions', () => {
  test('duplicate names, missing dataset groups and unknown ARNs', async () => {
    await activeSolution(h);
    await expect(activeSolution(h)).rejects.toMatchObject({ name: 'ResourceAlreadyExistsException' });
    const missing = 'arn:aws:personalize:us-east-1:123456789012:dataset-group/nope';
    await expect(activeSolution(h, { name: 'other', datasetGroupArn: missing })).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    await expect(solutionOf(h, 'arn:aws:personalize:us-east-1:123456789012:solution/nope')).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    await expect(versionOf(h, 'arn:aws:personalize:us-east-1:123456789012:solution/sol/00000000')).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    await expect(h.client.send(new DescribeDatasetGroupCommand({ datasetGroupArn: missing }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });

  test('CreateSolutionVersion on a solution that is not ACTIVE', async () => {
    const { solutionArn } = await h.client.send(new CreateSolutionCommand({ name: 'sol', datasetGroupArn: h.datasetGroupArn, recipeArn: UP }));
    await expect(newVersion(h, solutionArn!)).rejects.toMatchObject({ name: 'ResourceInUseException', message: expect.stringContaining('CREATE PENDING') });
  });

  test.each([
    ['CREATE PENDING', 0],
    ['CREATE IN_PROGRESS', TIMING.versionPendingMs],
  ])('DeleteSolution while a version is %s', async (status, wait) => {
    const solutionArn = await activeSolution(h);
    await newVersion(h, solutionArn);
    h.sim.clock.advance(wait);
    await expect(h.client.send(new DeleteSolutionCommand({ solutionArn }))).rejects.toMatchObject({
      name: 'ResourceInUseException', message: expect.stringContaining(status),
    });
  });

  test('tags: more than 50 is TooManyTagsException; Tag/Untag/ListTags', async () => {
    await expect(activeSolution(h, { tags: tags(51) })).rejects.toMatchObject({ name: 'TooManyTagsException' });
    const solutionArn = await activeSolution(h, { tags: tags(50) });
    await expect(h.client.send(new TagResourceCommand({ resourceArn: solutionArn, tags: [{ tagKey: 'extra', tagValue: 'x' }] })))
      .rejects.toMatchObject({ name: 'TooManyTagsException' });
    await h.client.send(new UntagResourceCommand({ resourceArn: solutionArn, tagKeys: ['k0', 'k1'] }));
    await h.client.send(new TagResourceCommand({ resourceArn: solutionArn, tags: [{ tagKey: 'k2', tagValue: 'changed' }] }));
    const listed = (await h.client.send(new ListTagsForResourceCommand({ resourceArn: solutionArn }))).tags!;
    expect(listed).toHaveLength(48);
    expect(listed).toContainEqual({ tagKey: 'k2', tagValue: 'changed' });
    await expect(h.client.send(new ListTagsForResourceCommand({ resourceArn: `${solutionArn}x` }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });
});

describe('stop, failure, quota', () => {
  test('Stop from CREATE PENDING is immediate; from CREATE IN_PROGRESS it goes through CREATE STOPPING', async () => {
    const solutionArn = await activeSolution(h);
    const pending = await newVersion(h, solutionArn);
    await h.client.send(new StopSolutionVersionCreationCommand({ solutionVersionArn: pending }));
    expect((await versionOf(h, pending)).status).toBe('CREATE STOPPED');

    const running = await newVersion(h, solutionArn);
    h.sim.clock.advance(TIMING.versionPendingMs);
    await h.client.send(new StopSolutionVersionCreationCommand({ solutionVersionArn: running }));
    expect((await versionOf(h, running)).status).toBe('CREATE STOPPING');
    expect(h.sim.inProgressTrainings().map((v) => v.arn)).toEqual([running]);
    await expect(h.client.send(new DeleteSolutionCommand({ solutionArn }))).rejects.toMatchObject({
      name: 'ResourceInUseException', message: expect.stringContaining('CREATE STOPPING'),
    });
    await expect(h.client.send(new StopSolutionVersionCreationCommand({ solutionVersionArn: running }))).rejects.toMatchObject({ name: 'ResourceInUseException' });
    h.sim.clock.advance(TIMING.stoppingMs);
    expect((await versionOf(h, running)).status).toBe('CREATE STOPPED');
    h.sim.clock.advance(NO_HPO_MS); // a stopped version never finishes
    const stopped = await versionOf(h, running);
    expect(stopped.status).toBe('CREATE STOPPED');
    expect(stopped.trainingHours).toBeUndefined();
    expect(h.sim.inProgressTrainings()).toEqual([]);
  });

  test('StopSolutionVersionCreation on an ACTIVE version is ResourceInUse', async () => {
    const arn = await newVersion(h, await activeSolution(h));
    h.sim.clock.advance(NO_HPO_MS);
    await expect(h.client.send(new StopSolutionVersionCreationCommand({ solutionVersionArn: arn }))).rejects.toMatchObject({ name: 'ResourceInUseException' });
  });

  test('failNextTraining fails only the targeted solution', async () => {
    const a = await activeSolution(h, { name: 'a' });
    const b = await activeSolution(h, { name: 'b' });
    h.sim.failNextTraining({ reason: 'Not enough interactions: 999 < 1000', solutionArn: b });
    const va = await newVersion(h, a);
    const vb = await newVersion(h, b);
    h.sim.clock.advance(TIMING.versionPendingMs + TIMING.failAfterMs);
    expect(await versionOf(h, vb)).toMatchObject({ status: 'CREATE FAILED', failureReason: 'Not enough interactions: 999 < 1000' });
    expect((await versionOf(h, vb)).trainingHours).toBeUndefined();
    await expect(h.client.send(new GetSolutionMetricsCommand({ solutionVersionArn: vb }))).rejects.toMatchObject({ name: 'ResourceInUseException' });
    h.sim.clock.advance(NO_HPO_MS);
    expect((await versionOf(h, va)).status).toBe('ACTIVE');
    // The failure was consumed: the next training of b succeeds.
    const vb2 = await newVersion(h, b);
    h.sim.clock.advance(NO_HPO_MS);
    expect((await versionOf(h, vb2)).status).toBe('ACTIVE');
  });

  test('the version quota gives LimitExceededException (retried by the SDK, then surfaced)', async () => {
    h.sim.versionQuota = 2;
    const solutionArn = await activeSolution(h);
    await newVersion(h, solutionArn);
    await newVersion(h, solutionArn);
    const before = h.sim.callCounts().CreateSolutionVersion;
    await expect(newVersion(h, solutionArn)).rejects.toMatchObject({ name: 'LimitExceededException', message: 'More than 2 resources with PENDING or IN_PROGRESS status.' });
    expect(h.sim.callCounts().CreateSolutionVersion - before).toBe(3); // maxAttempts 3
    h.sim.clock.advance(NO_HPO_MS);
    await newVersion(h, solutionArn);
  });
});

describe('delete cascade and introspection', () => {
  test('DeleteSolution: DELETE PENDING -> DELETE IN_PROGRESS -> gone, with its versions; then nothing is left', async () => {
    const { datasetGroupArn } = await h.client.send(new CreateDatasetGroupCommand({ name: 'group' }));
    expect((await h.client.send(new DescribeDatasetGroupCommand({ datasetGroupArn }))).datasetGroup!.status).toBe('CREATE PENDING');
    h.sim.clock.advanceSeconds(60);
    const solutionArn = await activeSolution(h, { datasetGroupArn });
    const v1 = await newVersion(h, solutionArn);
    h.sim.clock.advance(NO_HPO_MS);
    const v2 = await newVersion(h, solutionArn);
    h.sim.clock.advance(NO_HPO_MS);
    expect(h.sim.snapshot().solutionVersions.map((v) => v.status)).toEqual(['ACTIVE', 'ACTIVE']);

    await expect(h.client.send(new DeleteDatasetGroupCommand({ datasetGroupArn }))).rejects.toMatchObject({ name: 'ResourceInUseException' });
    await h.client.send(new DeleteSolutionCommand({ solutionArn }));
    expect((await solutionOf(h, solutionArn)).status).toBe('DELETE PENDING');
    await expect(newVersion(h, solutionArn)).rejects.toMatchObject({ name: 'ResourceInUseException' });
    await expect(h.client.send(new DeleteSolutionCommand({ solutionArn }))).rejects.toMatchObject({ name: 'ResourceInUseException' });
    h.sim.clock.advanceSeconds(30);
    expect((await solutionOf(h, solutionArn)).status).toBe('DELETE IN_PROGRESS');
    h.sim.clock.advanceSeconds(30);
    await expect(solutionOf(h, solutionArn)).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    for (const v of [v1, v2]) await expect(versionOf(h, v)).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    await expect(h.client.send(new ListSolutionVersionsCommand({ solutionArn }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });

    for (const arn of [datasetGroupArn!, h.datasetGroupArn]) await h.client.send(new DeleteDatasetGroupCommand({ datasetGroupArn: arn }));
    h.sim.clock.advanceSeconds(60);
    const snap = h.sim.snapshot();
    expect(Object.entries(snap).filter(([k, v]) => k !== 'simulatedTime' && (v as unknown[]).length > 0)).toEqual([]);
  });

  test('List* pagination and the call log with simulated times (for polling-cost checks)', async () => {
    const solutionArn = await activeSolution(h);
    for (let i = 0; i < 3; i++) await newVersion(h, solutionArn);
    const page1 = await h.client.send(new ListSolutionVersionsCommand({ solutionArn, maxResults: 2 }));
    expect(page1.solutionVersions).toHaveLength(2);
    const page2 = await h.client.send(new ListSolutionVersionsCommand({ solutionArn, maxResults: 2, nextToken: page1.nextToken }));
    expect(page2.solutionVersions).toHaveLength(1);
    expect(page2.nextToken).toBeUndefined();
    await expect(h.client.send(new ListSolutionsCommand({ nextToken: 'garbage' }))).rejects.toMatchObject({ name: 'InvalidNextTokenException' });

    const arn = page1.solutionVersions![0].solutionVersionArn!;
    let polls = 0;
    while ((await versionOf(h, arn)).status !== 'ACTIVE') {
      polls++;
      h.sim.clock.advanceSeconds(60);
    }
    expect(polls).toBe(NO_HPO_MS / 60_000);
    const describes = h.sim.callLog().filter((c) => c.operation === 'DescribeSolutionVersion');
    expect(describes).toHaveLength(polls + 1);
    expect(describes[1].simulatedTime - describes[0].simulatedTime).toBe(60_000);
  });

  test('AWS_ENDPOINT_URL_PERSONALIZE works with an unmodified client', async () => {
    process.env.AWS_ENDPOINT_URL_PERSONALIZE = h.sim.endpoint;
    try {
      const client = new PersonalizeClient({ region: 'us-east-1' });
      const { solutions } = await client.send(new ListSolutionsCommand({}));
      expect(solutions).toEqual([]);
      client.destroy();
    } finally {
      delete process.env.AWS_ENDPOINT_URL_PERSONALIZE;
    }
  });
});

describe('automatic training (performAutoTraining defaults to true)', () => {
  test('a version appears an hour after ACTIVE, then every schedule period, until turned off', async () => {
    const sim = await startHarness({ autoTraining: true });
    try {
      const { solutionArn } = await sim.client.send(new CreateSolutionCommand({
        name: 'auto', datasetGroupArn: sim.datasetGroupArn, recipeArn: UP, solutionConfig: { autoTrainingConfig: { schedulingExpression: 'rate(1 day)' } },
      }));
      sim.sim.clock.advanceSeconds(60);
      sim.sim.clock.advanceMinutes(60);
      expect(sim.sim.snapshot().solutionVersions).toMatchObject([{ trainingMode: 'AUTOTRAIN', trainingType: 'AUTOMATIC', status: 'CREATE PENDING' }]);
      sim.sim.clock.advanceMinutes(24 * 60);
      expect(sim.sim.snapshot().solutionVersions).toHaveLength(2);
      await sim.client.send(new UpdateSolutionCommand({ solutionArn, performAutoTraining: false }));
      sim.sim.clock.advanceMinutes(10 * 24 * 60);
      expect(sim.sim.snapshot().solutionVersions).toHaveLength(2);
    } finally {
      await stopHarness(sim);
    }
  });
});
