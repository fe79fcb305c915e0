import { E2E, HOUR, synthTrainingApp, TRAINING_STACK, removeAssemblies, destroyAndCheckLeftovers } from './harness';

/**
 * Updates that fail before the solution is replaced roll back to the solution that exists, as it is:
 * not wedged in UPDATE_ROLLBACK_FAILED, not copied to a new, untrained solution. Every training result
 * here is SIMULATED.
 */

jest.setTimeout(60_000);

const SOLUTION = 'Custom::PersonalizeSolution';

let e2e: E2E | undefined;

afterEach(async () => {
  await e2e?.close();
  e2e = undefined;
});

afterAll(() => removeAssemblies());

test('a refused replacement of a fixed-name solution rolls back cleanly; a new name then replaces it', async () => {
  e2e = await E2E.start();
  const first = await e2e.deploy(synthTrainingApp({ solutionName: 'e2e-fixed', bptt: [20, 40] }), TRAINING_STACK);
  expect(first.status).toBe('CREATE_COMPLETE');
  const [solution] = e2e.physicalIdsOf(TRAINING_STACK, SOLUTION);
  await e2e.cfn.advance(HOUR);

  const refused = await e2e.deploy(synthTrainingApp({ solutionName: 'e2e-fixed', bptt: [8, 16] }), TRAINING_STACK);

  expect(refused.status).toBe('UPDATE_ROLLBACK_COMPLETE');
  expect(refused.failureReason).toMatch(/Changing solutionConfig\.hpoConfig\S* replaces solution "e2e-fixed".*Change solutionName, or remove it/);
  expect(e2e.physicalIdsOf(TRAINING_STACK, SOLUTION)).toEqual([solution]);
  expect(e2e.calls('CreateSolution')).toBe(1);
  expect(e2e.calls('CreateSolutionVersion')).toBe(1);
  // The version the stack had is still there and ACTIVE.
  expect(e2e.statusesOf(first.outputs.UpSolutionVersionArn).pop()).toBe('ACTIVE');
  expect(e2e.snapshot().solutions.map(s => s.name)).toEqual(['e2e-fixed']);

  const renamed = await e2e.deploy(synthTrainingApp({ solutionName: 'e2e-fixed-v2', bptt: [8, 16] }), TRAINING_STACK);
  expect({ status: renamed.status, reason: renamed.failureReason }).toEqual({ status: 'UPDATE_COMPLETE', reason: undefined });
  expect(Number(renamed.outputs.UpTunedBptt)).toBeLessThanOrEqual(16);
  expect(e2e.snapshot().solutions.map(s => s.name)).toEqual(['e2e-fixed-v2']);
  await destroyAndCheckLeftovers(e2e);
});

test('a replacement that Personalize refuses rolls back to the solution the stack had, not to a copy of it', async () => {
  e2e = await E2E.start();
  const app = (trigger: string) => synthTrainingApp({ hiddenDimensionParameter: true, retrainTrigger: trigger });
  const first = await e2e.deploy(app('dim-64'), TRAINING_STACK, { parameters: { HiddenDimension: '64' } });
  expect(first.status).toBe('CREATE_COMPLETE');
  const [solution] = e2e.physicalIdsOf(TRAINING_STACK, SOLUTION);
  await e2e.cfn.advance(HOUR);

  // Only known at deploy: out of hidden_dimension's bounds, which CreateSolution refuses.
  const refused = await e2e.deploy(app('dim-100000'), TRAINING_STACK, { parameters: { HiddenDimension: '100000' } });

  expect(refused.status).toBe('UPDATE_ROLLBACK_COMPLETE');
  expect(refused.failureReason).toMatch(/InvalidInputException.*hidden_dimension/);
  expect(e2e.physicalIdsOf(TRAINING_STACK, SOLUTION)).toEqual([solution]);
  // One solution was ever created: the rollback made no copy.
  expect(e2e.sim.callLog().filter(c => c.operation === 'CreateSolution' && c.outcome === 'ok')).toHaveLength(1);
  expect(e2e.snapshot().solutions.map(s => s.arn)).toEqual([solution]);
  expect(e2e.statusesOf(first.outputs.UpSolutionVersionArn).pop()).toBe('ACTIVE');
  expect(e2e.calls('CreateSolutionVersion')).toBe(1);
  await destroyAndCheckLeftovers(e2e);
});
