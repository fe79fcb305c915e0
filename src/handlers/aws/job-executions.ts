import { StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { nextPollSeconds } from './poll-schedule';
import type { JobCheck, JobExecutionInput, JobKind, JobPollerInput } from '../../private/contract';
import { callService, isErrorNamed } from '../framework/errors';

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
