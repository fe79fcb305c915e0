import { DescribeSolutionCommand, ListSolutionsCommand } from '@aws-sdk/client-personalize';
import { FaultKind } from '..';
import { Harness, activeSolution, newVersion, startHarness, stopHarness } from '../testing';

let h: Harness;
beforeEach(async () => { h = await startHarness({}, 3); });
afterEach(async () => stopHarness(h));

const list = () => h.client.send(new ListSolutionsCommand({}));

describe('fault injection (the SDK client retries up to 3 attempts)', () => {
  test.each<FaultKind>(['ThrottlingException', 'LimitExceededException', 'InternalServerError', 'ConnectionReset'])(
    '%s: retried to success when it fires fewer times than the attempts', async (kind) => {
      h.sim.faults.inject({ operation: 'ListSolutions', kind, times: 2 });
      const out = await list();
      expect(out.$metadata.attempts).toBe(3);
      expect(h.sim.callCounts().ListSolutions).toBe(3);
      expect(h.sim.callLog().map((c) => c.outcome)).toEqual([kind, kind, 'ok']);
    });

  test.each<[FaultKind, object]>([
    ['ThrottlingException', { name: 'ThrottlingException', $metadata: { httpStatusCode: 400, attempts: 3 } }],
    ['LimitExceededException', { name: 'LimitExceededException', $metadata: { httpStatusCode: 400 } }],
    ['InternalServerError', { name: 'InternalServerError', $metadata: { httpStatusCode: 500 } }],
    ['ConnectionReset', { message: expect.stringContaining('socket hang up') }],
  ])('%s: surfaces when it outlasts the attempts', async (kind, expected) => {
    h.sim.faults.inject({ operation: '*', kind, times: 3 });
    await expect(list()).rejects.toMatchObject(expected);
    expect(h.sim.faults.pending()).toBe(0);
    await list(); // the fault is used up
  });

  test('Slow delays the answer by wall time and then answers normally', async () => {
    h.sim.injectFault({ operation: 'ListSolutions', kind: 'Slow', delayMs: 200 });
    const started = Date.now();
    const out = await list();
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    expect(out.$metadata.attempts).toBe(1);
    expect(h.sim.faults.pending()).toBe(0);
  });

  test('faults target one operation and fire in order', async () => {
    const solutionArn = await activeSolution(h);
    h.sim.faults.inject({ operation: 'CreateSolutionVersion', kind: 'ThrottlingException', times: 3 });
    await h.client.send(new DescribeSolutionCommand({ solutionArn }));
    await expect(newVersion(h, solutionArn)).rejects.toMatchObject({ name: 'ThrottlingException' });
    expect(h.sim.snapshot().solutionVersions).toEqual([]); // a throttled call creates nothing
    await newVersion(h, solutionArn);
    expect(h.sim.snapshot().solutionVersions).toHaveLength(1);
  });
});
