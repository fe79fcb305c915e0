import type { SolutionVersionSummary } from '@aws-sdk/client-personalize';
import { expectedTrainingSeconds, nextPollSeconds, pollingOutcome, POLL_SCHEDULE } from '../../src/handlers/aws/poll-schedule';

const HOUR = 3600;
const DEADLINE = 11 * HOUR;

describe('targets of issue 10', () => {
  test.each([2, 3, 6, 11])('a retrain of %d h, as long as the last ones: at most 15 calls per hour, at most 120 s late', (hours) => {
    const outcome = pollingOutcome(hours * HOUR, hours * HOUR, DEADLINE + HOUR);
    expect(outcome.callsPerHour).toBeLessThanOrEqual(15);
    expect(outcome.delaySeconds).toBeLessThanOrEqual(120);
  });

  test.each([1 / 3, 1, 2, 3, 11])('a first training of %d h: at most 20 calls per hour, at most 180 s late', (hours) => {
    const outcome = pollingOutcome(hours * HOUR, 0, DEADLINE + HOUR);
    expect(outcome.callsPerHour).toBeLessThanOrEqual(20);
    expect(outcome.delaySeconds).toBeLessThanOrEqual(180);
  });

  test.each([2, 3, 11])('a retrain of %d h that runs 25 %% longer than the last ones is at most 180 s late', (hours) => {
    const outcome = pollingOutcome(1.25 * hours * HOUR, hours * HOUR, 1.25 * DEADLINE);
    expect(outcome.delaySeconds).toBeLessThanOrEqual(POLL_SCHEDULE.unknownSeconds);
    expect(outcome.callsPerHour).toBeLessThanOrEqual(15);
  });

  test('a retrain that ends much sooner than expected is at most the sparse interval late', () => {
    const outcome = pollingOutcome(2 * HOUR, 6 * HOUR, DEADLINE);
    expect(outcome.delaySeconds).toBeLessThanOrEqual(POLL_SCHEDULE.sparseMaxSeconds);
  });
});

describe('nextPollSeconds', () => {
  test('never waits past the deadline, and never less than the minimum', () => {
    expect(nextPollSeconds({ elapsedSeconds: 100, expectedSeconds: 0, secondsToDeadline: 30 })).toBe(30);
    expect(nextPollSeconds({ elapsedSeconds: 100, expectedSeconds: 0, secondsToDeadline: -5 })).toBe(POLL_SCHEDULE.minSeconds);
  });

  test('whole seconds (a Step Functions Wait needs an integer)', () => {
    for (let elapsed = 0; elapsed < 5 * HOUR; elapsed += 137.3) {
      expect(Number.isInteger(nextPollSeconds({ elapsedSeconds: elapsed, expectedSeconds: 3.3 * HOUR, secondsToDeadline: 6 * HOUR }))).toBe(true);
    }
  });

  test('polls until the deadline: a training that never ends is checked up to the deadline', () => {
    const outcome = pollingOutcome(Infinity, 2 * HOUR, 6 * HOUR);
    expect(outcome.checks[outcome.checks.length - 1]).toBe(6 * HOUR);
    const gaps = outcome.checks.slice(1).map((at, i) => at - outcome.checks[i]);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(POLL_SCHEDULE.sparseMaxSeconds);
  });
});

describe('expectedTrainingSeconds', () => {
  const at = (hours: number) => new Date(Date.UTC(2026, 0, 1) + hours * HOUR * 1000);
  const v = (status: string, trainingMode: string | undefined, start: number, hours: number): SolutionVersionSummary =>
    ({ status, trainingMode: trainingMode as any, creationDateTime: at(start), lastUpdatedDateTime: at(start + hours) });

  test('no ACTIVE version of the mode: unknown (0)', () => {
    expect(expectedTrainingSeconds([], 'FULL')).toBe(0);
    expect(expectedTrainingSeconds([v('CREATE FAILED', 'FULL', 0, 1), v('ACTIVE', 'UPDATE', 2, 1)], 'FULL')).toBe(0);
  });

  test('the median of the newest three of the same mode; a summary without a mode counts as FULL', () => {
    expect(expectedTrainingSeconds([v('ACTIVE', 'FULL', 0, 10), v('ACTIVE', undefined, 1, 1), v('ACTIVE', 'FULL', 3, 3), v('ACTIVE', 'FULL', 9, 2)], 'FULL')).toBe(2 * HOUR);
    expect(expectedTrainingSeconds([v('ACTIVE', 'FULL', 0, 1), v('ACTIVE', 'FULL', 3, 2)], 'FULL')).toBe(1.5 * HOUR);
    expect(expectedTrainingSeconds([v('ACTIVE', 'UPDATE', 0, 0.25), v('ACTIVE', 'FULL', 3, 2)], 'UPDATE')).toBe(0.25 * HOUR);
  });

  test('an automatic training (AUTOTRAIN) is a full training: it predicts a FULL one, not an UPDATE', () => {
    expect(expectedTrainingSeconds([v('ACTIVE', 'AUTOTRAIN', 0, 4)], 'FULL')).toBe(4 * HOUR);
    expect(expectedTrainingSeconds([v('ACTIVE', 'AUTOTRAIN', 0, 4)], 'UPDATE')).toBe(0);
  });
});
