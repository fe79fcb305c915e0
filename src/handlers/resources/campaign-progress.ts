import type { Campaign } from '@aws-sdk/client-personalize';
import { Status } from '../aws/status';

/** Campaign and campaign update states that have not ended yet. */
const UNSETTLED: ReadonlySet<string> = new Set([Status.CREATE_PENDING, Status.CREATE_IN_PROGRESS]);

/** Where a campaign stands: settled, still changing, or failed with Personalize's reason. */
export type CampaignProgress =
  | { readonly state: 'settled' }
  | { readonly state: 'changing'; readonly what: string }
  | { readonly state: 'failed'; readonly reason: string };

/**
 * Reads a campaign's progress from DescribeCampaign. The campaign's own status stays ACTIVE while
 * an update runs, and Personalize serves the previous version until the update is ACTIVE, so the
 * latest update is what tells. A failed update fails only when it was the one asked for
 * (`expectedVersionArn`): during a rollback the failed update is the one being undone.
 */
export function campaignProgress(campaign: Campaign | undefined, expectedVersionArn?: string): CampaignProgress {
  const status = campaign?.status;
  if (status === undefined || UNSETTLED.has(status)) {
    return { state: 'changing', what: `campaign is ${status ?? 'not described yet'}` };
  }
  if (status === Status.CREATE_FAILED) {
    return { state: 'failed', reason: `campaign ${campaign!.campaignArn} failed: ${campaign!.failureReason ?? status}` };
  }
  const update = campaign!.latestCampaignUpdate;
  if (update?.status !== undefined && UNSETTLED.has(update.status)) {
    return { state: 'changing', what: `update to ${update.solutionVersionArn ?? 'the same version'} is ${update.status}` };
  }
  if (update?.status === Status.CREATE_FAILED && (expectedVersionArn === undefined || update.solutionVersionArn === expectedVersionArn)) {
    return {
      state: 'failed',
      reason: `the update of campaign ${campaign!.campaignArn} to ${update.solutionVersionArn ?? 'its new settings'} failed: ` +
        `${update.failureReason ?? update.status}. The campaign still serves ${campaign!.solutionVersionArn}`,
    };
  }
  return { state: 'settled' };
}
