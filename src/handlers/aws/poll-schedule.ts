import type { SolutionVersionSummary } from '@aws-sdk/client-personalize';

/**
 * When the training poller calls DescribeSolutionVersion next.
 *
 * A first training (no history) is polled every 3 minutes: 20 calls per hour, at most 3 minutes
 * late. The HPO job counts do not shorten that: Personalize documents no duration per job, and a
 * guess from them would make the poller late whenever the guess is wrong.
 *
 * A retrain knows how long the solution's earlier versions of the same training mode took. Until
 * a window around that duration opens, the poller halves the time left to the window (at most
 * 15 minutes, at least 2); in the window (±15 %, at least ±5 minutes) it polls every 2 minutes;
 * after it, every 3 minutes, as for a first training. It never waits past the deadline, and it
 * never gives up before it: only the training's end or the deadline ends the polling.
 */
export const POLL_SCHEDULE = {
  /** Interval without history, and after the expected window. */
  unknownSeconds: 180,
  /** Interval inside the expected window. */
  windowSeconds: 120,
  /** Longest interval before the window. */
  sparseMaxSeconds: 900,
  /** Half-width of the window, as a share of the expected duration ... */
  windowShare: 0.15,
  /** ... and at least. */
  windowMinSeconds: 300,
  /** Shortest wait (at the deadline). */
  minSeconds: 10,
  /** Earlier versions whose durations predict the next one (their median). */
  historySize: 3,
} as const;

export interface PollMoment {
  /** Seconds since the version was created. */
  readonly elapsedSeconds: number;
  /** The predicted training duration in seconds; 0 when unknown. */
  readonly expectedSeconds: number;
  /** Seconds until the deadline. */
  readonly secondsToDeadline: number;
}

/** Seconds to wait before the next DescribeSolutionVersion, a whole number. */
export function nextPollSeconds(moment: PollMoment): number {
  const S = POLL_SCHEDULE;
  let wait: number = S.unknownSeconds;
  if (moment.expectedSeconds > 0) {
    const margin = Math.max(S.windowMinSeconds, S.windowShare * moment.expectedSeconds);
    const opens = moment.expectedSeconds - margin;
    const closes = moment.expectedSeconds + margin;
    if (moment.elapsedSeconds < opens) {
      wait = Math.min(S.sparseMaxSeconds, Math.max(S.windowSeconds, (opens - moment.elapsedSeconds) / 2));
    } else if (moment.elapsedSeconds <= closes) {
      wait = S.windowSeconds;
    }
  }
  return Math.round(Math.max(S.minSeconds, Math.min(wait, moment.secondsToDeadline)));
}

/** UPDATE, or full (FULL and AUTOTRAIN both train on all data; a version from before trainingMode is FULL). */
const kindOf = (mode: string | undefined) => (mode === 'UPDATE' ? 'UPDATE' : 'FULL');

/**
 * The expected duration of a new training: the median of how long the solution's latest ACTIVE
 * versions of the same kind took (creation to last update), or 0 without any.
 */
export function expectedTrainingSeconds(versions: readonly SolutionVersionSummary[], trainingMode: string): number {
  return medianJobSeconds(versions.filter(v => kindOf(v.trainingMode) === kindOf(trainingMode)));
}

/** A job as List* operations summarize it. */
export interface JobSummary {
  readonly status?: string;
  readonly creationDateTime?: Date;
  readonly lastUpdatedDateTime?: Date;
}

/** The median duration of the newest ACTIVE jobs of `jobs` (POLL_SCHEDULE.historySize of them), 0 when none. */
export function medianJobSeconds(jobs: readonly JobSummary[]): number {
  const durations = jobs
    .filter(v => v.status === 'ACTIVE' && v.creationDateTime && v.lastUpdatedDateTime)
    .sort((a, b) => b.creationDateTime!.getTime() - a.creationDateTime!.getTime())
    .slice(0, POLL_SCHEDULE.historySize)
    .map(v => (v.lastUpdatedDateTime!.getTime() - v.creationDateTime!.getTime()) / 1000)
    .filter(seconds => seconds > 0)
    .sort((a, b) => a - b);
  if (durations.length === 0) {
    return 0;
  }
  const mid = Math.floor(durations.length / 2);
  return Math.round(durations.length % 2 ? durations[mid] : (durations[mid - 1] + durations[mid]) / 2);
}

export interface PollingOutcome {
  /** Seconds after creation of each check; the last one sees the end. */
  readonly checks: number[];
  /** Seconds from the end of training to the check that saw it. */
  readonly delaySeconds: number;
  /** Checks per hour from creation to that check. */
  readonly callsPerHour: number;
}

/**
 * The checks the schedule makes for a training that takes `trainingSeconds`, expected to take
 * `expectedSeconds` (0: unknown), with a deadline `deadlineSeconds` after creation. For the
 * benchmark and the tests; it follows the state machine: a wait, a check, and so on.
 */
export function pollingOutcome(trainingSeconds: number, expectedSeconds: number, deadlineSeconds: number): PollingOutcome {
  const checks: number[] = [];
  let at = nextPollSeconds({ elapsedSeconds: 0, expectedSeconds, secondsToDeadline: deadlineSeconds });
  for (;;) {
    checks.push(at);
    if (at >= trainingSeconds || at >= deadlineSeconds) {
      break;
    }
    at += nextPollSeconds({ elapsedSeconds: at, expectedSeconds, secondsToDeadline: deadlineSeconds - at });
  }
  return { checks, delaySeconds: at - trainingSeconds, callsPerHour: checks.length / (at / 3600) };
}
