// Only the poller signals CloudFormation, so only its bundle carries that client.
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { MAX_ATTEMPTS, personalizeClient } from './aws/clients';
import { JobPoller, type CheckResult, type IgnoredResult, type PollerEvent, type SignalResult } from './poller/job-poller';

let poller: JobPoller | undefined;

/**
 * The job poller's Lambda: the state machine's tasks (`action`: check, signal) for trainings and
 * imports, and the EventBridge rule for executions that failed, timed out or were aborted.
 */
export const handler = async (event: PollerEvent): Promise<CheckResult | SignalResult | IgnoredResult> => {
  const kind = 'action' in event ? `${event.action} ${(event as { kind?: string }).kind ?? 'training'}` : `${event['detail-type']} ${event.detail?.status}`;
  console.log(`Job poller: ${kind}`);
  poller ??= new JobPoller({ personalize: personalizeClient(), cloudFormation: new CloudFormationClient({ maxAttempts: MAX_ATTEMPTS }) });
  return poller.handle(event);
};
