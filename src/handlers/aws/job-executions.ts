import { StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { nextPollSeconds } from './poll-schedule';
import type { JobCheck, JobExecutionInput, JobKind, JobPollerInput } from '../../private/contract';
import { formatDuration } from '../framework/duration';
import { callService, isErrorNamed } from '../framework/errors';
import type { IsCompleteResponse } from '../framework/types';

const EXECUTION_ALREADY_EXISTS = 'ExecutionAlreadyExists';

/** The execution input of a job's poller: the job, and the wait before its first check. */
export function jobExecutionInput(input: JobPollerInput): JobExecutionInput {
  const check: JobCheck = {
    outcome: 'WAIT',
    status: '',
    reason: '',
    waitSeconds: nextPollSeconds({ elapsedSeconds: 0, expectedSeconds: input.expectedSeconds, secondsToDeadline: input.timeoutSeconds }),
  };
  return { ...input, check };
}

/**
 * Starts the job waiter's execution for one job. The name is the request's, so a request delivered
 * twice finds its execution already running, which is fine.
 */
export async function startJobPoller(stepFunctions: SFNClient, stateMachineArn: string, name: string, input: JobPollerInput): Promise<void> {
  const what: Record<JobKind, string> = { training: 'Training', import: 'Import', batchInference: 'Batch inference', batchSegment: 'Batch segment' };
  try {
    console.log(`StartExecution ${name} of ${stateMachineArn}`);
    const { executionArn } = await callService('StartExecution', () => stepFunctions.send(new StartExecutionCommand({
      stateMachineArn,
      name,
      input: JSON.stringify(jobExecutionInput(input)),
    })));
    console.log(`${what[input.kind]} poller ${executionArn} started`);
  } catch (err) {
    if (isErrorNamed(err, EXECUTION_ALREADY_EXISTS)) {
      console.log(`${what[input.kind]} poller ${name} already runs (a repeated request)`);
      return;
    }
    throw err;
  }
}

/**
 * How long a delete waits for a job Personalize cannot stop (an import, a batch job) before leaving
 * it to finish: most of the provider's hour. What the job holds cannot be deleted while it runs.
 */
export const DELETE_WAIT_SECONDS = 45 * 60;

/**
 * isComplete of a delete whose job cannot be stopped: done once the job no longer runs, else after
 * DELETE_WAIT_SECONDS of waiting, when the job is left to finish (and the log says so).
 *
 * @param kind how the message names such jobs, e.g. `import` or `batch`
 */
export function awaitUnstoppableJob(
  kind: string, name: string, status: string | undefined, running: boolean, waitedSeconds: number,
): IsCompleteResponse {
  if (!running) {
    return { IsComplete: true };
  }
  if (waitedSeconds < DELETE_WAIT_SECONDS) {
    console.log(`Job ${name} is ${status}; waiting for it to end`);
    return { IsComplete: false };
  }
  console.log(`Job ${name} is still ${status} after ${formatDuration(waitedSeconds)}: ${kind} jobs cannot be stopped, so it is left to finish`);
  return { IsComplete: true };
}
