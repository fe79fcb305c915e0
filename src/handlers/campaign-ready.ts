import type { Campaign, PersonalizeClient } from '@aws-sdk/client-personalize';
import { CustomResourceHandler } from './custom-resource-handler';
import { isErrorNamed, RESOURCE_NOT_FOUND } from './errors';
import { SdkPersonalizeApi, type PersonalizeApi } from './personalize-api';
import { requiredStr, toBoolean, toStr } from './request';
import { Status } from './status';
import type { IsCompleteRequest, IsCompleteResponse, OnEventRequest, OnEventResponse } from './types';
import { CampaignReadyAttributes, CampaignReadyKeys } from '../private/contract';

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

/**
 * Custom::PersonalizeCampaignReady: completes once a campaign's creation or latest update is
 * ACTIVE (after the campaign), or once nothing runs on it (before a promotion gate, which then
 * reads the version the campaign really serves). CloudFormation's campaign returns from an update at once (the campaign stays ACTIVE while
 * Personalize moves it), so everything that depends on a campaign, and the cleanup of a solution it
 * no longer serves, waits here. Its properties copy what the campaign's template asks for, so each
 * change CloudFormation applies to the campaign is an Update of this resource. It holds nothing.
 */
export class CampaignReadyHandler extends CustomResourceHandler {
  private readonly personalize: PersonalizeApi;

  constructor(client: PersonalizeClient) {
    super();
    this.personalize = new SdkPersonalizeApi(client);
  }

  protected async onCreate(event: OnEventRequest): Promise<OnEventResponse> {
    return this.respond(event);
  }

  protected async onUpdate(event: OnEventRequest): Promise<OnEventResponse> {
    return this.respond(event);
  }

  protected async onDelete(event: OnEventRequest): Promise<OnEventResponse> {
    return { PhysicalResourceId: event.PhysicalResourceId };
  }

  protected async isCreateComplete(event: IsCompleteRequest): Promise<IsCompleteResponse> {
    return this.waitForCampaign(event);
  }

  protected async isUpdateComplete(event: IsCompleteRequest): Promise<IsCompleteResponse> {
    return this.waitForCampaign(event);
  }

  /** The physical id is the campaign's ARN: a new campaign (a new name) is a new resource. */
  private respond(event: OnEventRequest): OnEventResponse {
    const campaignArn = requiredStr(event.ResourceProperties[CampaignReadyKeys.CAMPAIGN_ARN], CampaignReadyKeys.CAMPAIGN_ARN);
    return { PhysicalResourceId: campaignArn, Data: { [CampaignReadyAttributes.CAMPAIGN_ARN]: campaignArn } };
  }

  private async waitForCampaign(event: IsCompleteRequest): Promise<IsCompleteResponse> {
    const props = event.ResourceProperties;
    const campaignArn = requiredStr(props[CampaignReadyKeys.CAMPAIGN_ARN], CampaignReadyKeys.CAMPAIGN_ARN);
    const beforeGate = toBoolean(props[CampaignReadyKeys.BEFORE_GATE], CampaignReadyKeys.BEFORE_GATE) ?? false;
    const expected = toStr(props[CampaignReadyKeys.SOLUTION_VERSION_ARN], CampaignReadyKeys.SOLUTION_VERSION_ARN);
    const campaign = await this.describe(campaignArn, beforeGate);
    if (campaign === undefined) {
      return { IsComplete: true };
    }
    const progress = campaignProgress(campaign, expected);
    switch (progress.state) {
      case 'settled':
        return { IsComplete: true };
      case 'changing':
        console.log(`Campaign ${campaignArn}: ${progress.what}`);
        return { IsComplete: false };
      case 'failed':
        if (beforeGate) {
          console.log(`Campaign ${campaignArn}: ${progress.reason}`);
          return { IsComplete: true };
        }
        throw new Error(progress.reason);
    }
  }

  /** The campaign; undefined when it does not exist and `mayBeMissing` (a first deploy's gate). */
  private async describe(campaignArn: string, mayBeMissing: boolean): Promise<Campaign | undefined> {
    try {
      return (await this.personalize.describeCampaign({ campaignArn })).campaign;
    } catch (err) {
      if (mayBeMissing && isErrorNamed(err, RESOURCE_NOT_FOUND)) {
        return undefined;
      }
      throw err;
    }
  }
}
