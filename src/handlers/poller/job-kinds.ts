import type { JobKind } from '../../private/contract';
import { describeBatchJob } from '../aws/batch-jobs';
import { describeImportJob } from '../aws/imports';
import type { PersonalizeApi } from '../aws/personalize-api';
import { Status, STOPPABLE_VERSION_STATES } from '../aws/status';
import { describeVersion, stopVersion } from '../aws/versions';
import { formatDuration } from '../framework/duration';

/** A job as the poller sees it, whatever its kind. */
export interface JobState {
  readonly status: string;
  readonly failureReason?: string;
  readonly created?: Date;
}

/**
 * What the job poller needs to know about one kind of Personalize job: how to read it, when it has
 * ended, and whether (and how) it can be stopped. A new kind of long job is one of these.
 */
export interface JobKindDescription {
  /** The job in a message, e.g. `solution version`. */
  readonly noun: string;
  /** How to stop a job still running; absent when Personalize cannot stop this kind. */
  readonly stop?: {
    /** States the stop acts on. */
    readonly states: ReadonlySet<string>;
    /** Stops the job; false when Personalize refused because it has just ended. */
    run(personalize: PersonalizeApi, arn: string): Promise<boolean>;
  };
  /** The job's state; undefined when it does not exist (any more). */
  describe(personalize: PersonalizeApi, arn: string): Promise<JobState | undefined>;
  /** Why the job ended ('' when it succeeded), or undefined while it runs. */
  endOf(job: JobState): string | undefined;
  /** Why the wait ended at the deadline, the job being in `status` (and stopped, if it can be). */
  deadlineReason(status: string, timeoutSeconds: number): string;
}

const TRAINING: JobKindDescription = {
  noun: 'solution version',
  describe: async (personalize, arn) => {
    const version = await describeVersion(personalize, arn, true);
    return version && { status: version.status ?? 'UNKNOWN', failureReason: version.failureReason, created: version.creationDateTime };
  },
  endOf: (job) => {
    switch (job.status) {
      case Status.ACTIVE:
        return '';
      case Status.CREATE_FAILED:
        return `training failed: ${job.failureReason ?? 'Personalize gave no reason'}`;
      case Status.CREATE_STOPPING:
      case Status.CREATE_STOPPED:
        return 'training was stopped';
      default:
        return undefined;
    }
  },
  stop: { states: STOPPABLE_VERSION_STATES, run: stopVersion },
  deadlineReason: (status, timeoutSeconds) =>
    `training did not finish within the trainingTimeout of ${formatDuration(timeoutSeconds)} (status ${status}); it was stopped`,
};

const IMPORT: JobKindDescription = {
  noun: 'dataset import job',
  describe: async (personalize, arn) => {
    const job = await describeImportJob(personalize, arn);
    return job && { status: job.status ?? 'UNKNOWN', failureReason: job.failureReason, created: job.creationDateTime };
  },
  endOf: (job) => {
    switch (job.status) {
      case Status.ACTIVE:
        return '';
      case Status.CREATE_FAILED:
        return `import failed: ${job.failureReason ?? 'Personalize gave no reason'}`;
      default:
        return undefined;
    }
  },
  deadlineReason: (status, timeoutSeconds) =>
    `import did not finish within ${formatDuration(timeoutSeconds)} (status ${status}); import jobs cannot be stopped, so it is left to finish`,
};

/** Batch inference and batch segment jobs: read alike, and Personalize cannot stop either. */
function batchJob(noun: string): JobKindDescription {
  return {
    noun,
    describe: (personalize, arn) => describeBatchJob(personalize, arn),
    endOf: (job) => {
      switch (job.status) {
        case Status.ACTIVE:
          return '';
        case Status.CREATE_FAILED:
          return `${noun} failed: ${job.failureReason ?? 'Personalize gave no reason'}`;
        default:
          return undefined;
      }
    },
    deadlineReason: (status, timeoutSeconds) =>
      `${noun} did not finish within ${formatDuration(timeoutSeconds)} (status ${status}); batch jobs cannot be stopped, so it is left to finish`,
  };
}

export const JOB_KIND_DESCRIPTIONS: Readonly<Record<JobKind, JobKindDescription>> = {
  training: TRAINING,
  import: IMPORT,
  batchInference: batchJob('batch inference job'),
  batchSegment: batchJob('batch segment job'),
};
