import type { Campaign, PersonalizeClient } from '@aws-sdk/client-personalize';
import { campaignProgress } from './campaign-progress';
import { CustomResourceHandler } from './custom-resource-handler';
import { isErrorNamed, RESOURCE_NOT_FOUND } from './errors';
import { SdkPersonalizeApi, type PersonalizeApi } from './personalize-api';
import { requiredStr, toBoolean, toStr } from './request';
import { deleteUnservedRetired } from './retired-solutions';
import type { IsCompleteRequest, IsCompleteResponse, OnEventRequest, OnEventResponse } from './types';
import { describeVersion } from './versions';
import { CampaignReadyAttributes, CampaignReadyKeys } from '../private/contract';

/**
 * Custom::PersonalizeCampaignReady. After a campaign, it completes once the campaign's creation or
 * latest update is ACTIVE: CloudFormation's campaign returns from an update at once (the campaign
 * stays ACTIVE while Personalize moves it), so everything that depends on the campaign, and the
 * cleanup of a solution it no longer serves, waits here. Its properties copy what the campaign's
 * template asks for, so each change CloudFormation applies to the campaign is an Update here too.
 * For a gated campaign it then deletes the stack's retired solutions the campaign no longer serves.
 * Before a promotion gate (`BeforeGate`), it completes once nothing runs on the campaign, so that
 * the gate reads the version the campaign really serves. It holds nothing.
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
        return { IsComplete: beforeGate || !this.cleansUp(props) || await this.retiredGone(campaign, event.StackId) };
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

  private cleansUp(props: Record<string, unknown>): boolean {
    return toBoolean(props[CampaignReadyKeys.CLEANS_UP_RETIRED], CampaignReadyKeys.CLEANS_UP_RETIRED) ?? false;
  }

  /**
   * Once the campaign moved, the stack's retired solutions it no longer serves are deleted: true
   * when none is left to wait for.
   */
  private async retiredGone(campaign: Campaign, stackId: string): Promise<boolean> {
    const served = campaign.solutionVersionArn;
    const version = served === undefined ? undefined : await describeVersion(this.personalize, served, true);
    if (!version?.datasetGroupArn) {
      return true;
    }
    const waiting = await deleteUnservedRetired(this.personalize, version.datasetGroupArn, stackId);
    if (waiting.length > 0) {
      console.log(`Waiting for retired solution(s) ${waiting.join(', ')} to be deleted`);
    }
    return waiting.length === 0;
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
