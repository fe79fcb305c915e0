// Only the poller signals CloudFormation, so only its bundle carries that client.
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { MAX_ATTEMPTS, personalizeClient } from './aws/clients';
import { TrainingPoller, type CheckResult, type IgnoredResult, type PollerEvent, type SignalResult } from './poller/training-poller';

let poller: TrainingPoller | undefined;

/**
 * The training poller's Lambda: the state machine's tasks (`action`: check, signal)
 * and the EventBridge rule for executions that failed, timed out or were aborted.
 */
export const handler = async (event: PollerEvent): Promise<CheckResult | SignalResult | IgnoredResult> => {
  const kind = 'action' in event ? event.action : `${event['detail-type']} ${event.detail?.status}`;
  console.log(`Training poller: ${kind}`);
  poller ??= new TrainingPoller({ personalize: personalizeClient(), cloudFormation: new CloudFormationClient({ maxAttempts: MAX_ATTEMPTS }) });
  return poller.handle(event);
};
