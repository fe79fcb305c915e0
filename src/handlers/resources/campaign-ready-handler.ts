import type { Campaign } from '@aws-sdk/client-personalize';
import { campaignProgress } from './campaign-progress';
import { deleteUnservedRetired } from './retired-solutions';
import { CampaignReadyAttributes, CampaignReadyKeys } from '../../private/contract';
import type { PersonalizeApi } from '../aws/personalize-api';
import { describeVersion } from '../aws/versions';
import { CustomResourceHandler, unhandled, type Decided } from '../framework/custom-resource-handler';
import { isErrorNamed, RESOURCE_NOT_FOUND } from '../framework/errors';
import { requiredStr, toBoolean, toStr } from '../framework/request';
import type { IsCompleteRequest, IsCompleteResponse, OnEventRequest, ResourceProperties } from '../framework/types';

/** Custom::PersonalizeCampaignReady's properties (CampaignReadyKeys), coerced. */
export interface CampaignReadyProps {
  readonly campaignArn: string;
  /** Before a promotion gate: the campaign may not exist yet, and a failed update does not fail here. */
  readonly beforeGate: boolean;
  /** The version the template asks the campaign to serve. */
  readonly expected?: string;
  /** Whether the stack's retired solutions the campaign no longer serves are deleted here. */
  readonly cleansUp: boolean;
}

export function parseCampaignReadyProps(props: ResourceProperties): CampaignReadyProps {
  const K = CampaignReadyKeys;
  return {
    campaignArn: requiredStr(props[K.CAMPAIGN_ARN], K.CAMPAIGN_ARN),
    beforeGate: toBoolean(props[K.BEFORE_GATE], K.BEFORE_GATE) ?? false,
    expected: toStr(props[K.SOLUTION_VERSION_ARN], K.SOLUTION_VERSION_ARN),
    cleansUp: toBoolean(props[K.CLEANS_UP_RETIRED], K.CLEANS_UP_RETIRED) ?? false,
  };
}

/** What onEvent did, for isComplete: wait for the campaign, or (on Delete) nothing. */
type ReadyDecision = { readonly action: 'waiting' } | { readonly action: 'none' };

const ACTIONS: ReadonlyArray<ReadyDecision['action']> = ['waiting', 'none'];

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
export class CampaignReadyHandler extends CustomResourceHandler<ReadyDecision> {
  constructor(private readonly personalize: PersonalizeApi) {
    super(ACTIONS);
  }

  protected async onCreate(event: OnEventRequest): Promise<Decided<ReadyDecision>> {
    return this.respond(event);
  }

  protected async onUpdate(event: OnEventRequest): Promise<Decided<ReadyDecision>> {
    return this.respond(event);
  }

  protected async onDelete(event: OnEventRequest): Promise<Decided<ReadyDecision>> {
    return { PhysicalResourceId: event.PhysicalResourceId, Decision: { action: 'none' } };
  }

  protected async isDone(event: IsCompleteRequest, decision: ReadyDecision): Promise<IsCompleteResponse> {
    switch (decision.action) {
      case 'waiting':
        return this.waitForCampaign(event);
      case 'none':
        return { IsComplete: true };
      default:
        return unhandled(decision);
    }
  }

  /** The physical id is the campaign's ARN: a new campaign (a new name) is a new resource. */
  private respond(event: OnEventRequest): Decided<ReadyDecision> {
    const { campaignArn } = parseCampaignReadyProps(event.ResourceProperties);
    return { PhysicalResourceId: campaignArn, Data: { [CampaignReadyAttributes.CAMPAIGN_ARN]: campaignArn }, Decision: { action: 'waiting' } };
  }

  private async waitForCampaign(event: IsCompleteRequest): Promise<IsCompleteResponse> {
    const { campaignArn, beforeGate, expected, cleansUp } = parseCampaignReadyProps(event.ResourceProperties);
    const campaign = await this.describe(campaignArn, beforeGate);
    if (campaign === undefined) {
      return { IsComplete: true };
    }
    const progress = campaignProgress(campaign, expected);
    switch (progress.state) {
      case 'settled':
        return { IsComplete: beforeGate || !cleansUp || await this.retiredGone(campaign, event.StackId) };
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
