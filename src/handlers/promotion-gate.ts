import type { PersonalizeClient } from '@aws-sdk/client-personalize';
import { campaignProgress } from './campaign-ready';
import { CustomResourceHandler } from './custom-resource-handler';
import { isErrorNamed, RESOURCE_NOT_FOUND } from './errors';
import { SdkPersonalizeApi, type PersonalizeApi } from './personalize-api';
import { requiredStr, toBoolean, toNumber } from './request';
import type { OnEventRequest, OnEventResponse, ResourceData } from './types';
import { solutionOf } from './versions';
import { NOT_REPORTED, PromotionGateAttributes, PromotionGateKeys, PromotionOutcome } from '../private/contract';

/** Metric values closer than this are equal (they come back as JSON numbers). */
const EPSILON = 1e-9;

type Outcome = typeof PromotionOutcome[keyof typeof PromotionOutcome];

/** A decision: the version to serve and, when one was set aside, which. */
export interface GateDecision {
  readonly outcome: Outcome;
  readonly served: string;
  readonly other?: string;
  readonly reason: string;
  readonly candidateValue?: number;
  readonly servedValue?: number;
}

/**
 * The physical id of a gate is its decision in words (`kept <served> over <candidate> - ...`), so
 * that every stack event of the gate says what it decided, and so that a promotion is a new
 * physical resource: a rollback then goes back to the previous decision, and with it the campaign.
 */
export function physicalIdOf(d: GateDecision): string {
  const head = `${d.outcome.toLowerCase()} ${d.served}${d.other ? ` over ${d.other}` : ''}`;
  return `${head} - ${d.reason}`.slice(0, 1024);
}

/** The decision an earlier physical id records, if it is one. */
export function parsePhysicalId(id: string | undefined): { outcome: string; served: string; other?: string } | undefined {
  const match = /^([a-z]+) (\S+)(?: over (\S+))? - /.exec(id ?? '');
  return match ? { outcome: match[1].toUpperCase(), served: match[2], other: match[3] } : undefined;
}

const fmt = (value: number | undefined) => (value === undefined ? NOT_REPORTED : String(Number(value.toPrecision(6))));

/**
 * Custom::PersonalizePromotionGate: decides which version a campaign serves. A newly trained
 * version (the candidate) replaces the served one only when its offline metric, from
 * GetSolutionMetrics, beats the served version's by the margin. The first version of a campaign
 * is served as it is. Otherwise the served version stays, and the decision says why; with
 * FailDeployment, a rejection fails the deployment instead.
 */
export class PromotionGateHandler extends CustomResourceHandler {
  private readonly personalize: PersonalizeApi;

  constructor(client: PersonalizeClient) {
    super();
    this.personalize = new SdkPersonalizeApi(client);
  }

  protected async onCreate(event: OnEventRequest): Promise<OnEventResponse> {
    return this.decide(event);
  }

  protected async onUpdate(event: OnEventRequest): Promise<OnEventResponse> {
    return this.decide(event);
  }

  /** The gate holds nothing: the campaign is CloudFormation's. */
  protected async onDelete(event: OnEventRequest): Promise<OnEventResponse> {
    return { PhysicalResourceId: event.PhysicalResourceId };
  }

  private async decide(event: OnEventRequest): Promise<OnEventResponse> {
    const props = event.ResourceProperties;
    const K = PromotionGateKeys;
    const candidate = requiredStr(props[K.CANDIDATE_VERSION_ARN], K.CANDIDATE_VERSION_ARN);
    const campaignArn = requiredStr(props[K.CAMPAIGN_ARN], K.CAMPAIGN_ARN);
    const metric = requiredStr(props[K.METRIC], K.METRIC);
    const minImprovement = toNumber(props[K.MIN_IMPROVEMENT], K.MIN_IMPROVEMENT) ?? 0;
    const failDeployment = toBoolean(props[K.FAIL_DEPLOYMENT], K.FAIL_DEPLOYMENT) ?? false;
    const previous = parsePhysicalId(event.PhysicalResourceId);

    const served = await this.servedVersion(campaignArn);
    let decision: GateDecision;
    if (served === undefined) {
      decision = { outcome: PromotionOutcome.FIRST, served: candidate, reason: `campaign ${campaignArn} does not exist yet: its first version is served as it is` };
    } else if (served === candidate) {
      decision = { outcome: PromotionOutcome.UNCHANGED, served, reason: 'the candidate is the version the campaign serves' };
    } else if (previous?.other === candidate && previous.served === served && previous.outcome !== PromotionOutcome.KEPT) {
      // Back to the inputs of the decision before the last one: a rollback.
      decision = { outcome: PromotionOutcome.RESTORED, served: candidate, other: served, reason: `${served} is rolled back` };
    } else {
      decision = await this.compare(candidate, served, metric, minImprovement);
    }
    console.log(`Promotion gate of ${campaignArn}: ${JSON.stringify(decision)}`);

    if (decision.outcome === PromotionOutcome.KEPT) {
      // The same rejection as last time (e.g. the rollback of a failed update) never fails.
      const repeated = previous?.outcome === PromotionOutcome.KEPT && previous.served === decision.served && previous.other === candidate;
      if (solutionOf(decision.served) !== solutionOf(candidate)) {
        throw new Error(`Not promoted, and the deployment fails: ${decision.reason}. The campaign serves a version of another solution ` +
          `(${solutionOf(decision.served)}), which this deployment replaces or may delete, so it cannot keep serving it; the deployment rolls back ` +
          'to the previous configuration. Keeping a served version works for retrainings of the same solution.');
      }
      if (failDeployment && !repeated) {
        throw new Error(`Not promoted (failDeployment is set): ${decision.reason}`);
      }
    }

    // A repeated decision keeps its physical id; a new one gets a new id (CloudFormation then treats
    // it as a replacement, and a rollback returns to the previous decision).
    const sameAsBefore = previous !== undefined && previous.served === decision.served &&
      (decision.outcome === PromotionOutcome.UNCHANGED || (previous.outcome === decision.outcome && previous.other === decision.other));
    const data: ResourceData = {
      [PromotionGateAttributes.SERVED_VERSION_ARN]: decision.served,
      [PromotionGateAttributes.DECISION]: decision.outcome,
      [PromotionGateAttributes.REASON]: `${decision.outcome}: ${decision.reason}`,
      [PromotionGateAttributes.CANDIDATE_VALUE]: fmt(decision.candidateValue),
      [PromotionGateAttributes.SERVED_VALUE]: fmt(decision.servedValue),
    };
    return { PhysicalResourceId: sameAsBefore ? event.PhysicalResourceId : physicalIdOf(decision), Data: data };
  }

  /** The version the campaign serves now, or undefined when there is no such campaign. */
  private async servedVersion(campaignArn: string): Promise<string | undefined> {
    try {
      const { campaign } = await this.personalize.describeCampaign({ campaignArn });
      // Personalize serves the previous version until the latest update is ACTIVE: a decision
      // against a campaign still moving would compare with a version about to change.
      const progress = campaignProgress(campaign);
      if (progress.state === 'changing') {
        throw new Error(`Campaign ${campaignArn} is still changing (${progress.what}), so the promotion gate cannot tell which version it ` +
          'serves. Deploy again once the campaign\'s latest update is ACTIVE or failed.');
      }
      // After a failed update, the campaign still serves its solutionVersionArn.
      return campaign?.solutionVersionArn;
    } catch (err) {
      if (isErrorNamed(err, RESOURCE_NOT_FOUND)) {
        return undefined;
      }
      throw err;
    }
  }

  private async metricOf(versionArn: string, metric: string): Promise<number | undefined> {
    try {
      const { metrics } = await this.personalize.getSolutionMetrics({ solutionVersionArn: versionArn });
      const value = metrics?.[metric];
      return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
    } catch (err) {
      // The served version's solution may be gone.
      if (isErrorNamed(err, RESOURCE_NOT_FOUND)) {
        return undefined;
      }
      throw err;
    }
  }

  private async compare(candidate: string, served: string, metric: string, minImprovement: number): Promise<GateDecision> {
    const [candidateValue, servedValue] = await Promise.all([this.metricOf(candidate, metric), this.metricOf(served, metric)]);
    const values = { candidateValue, servedValue };
    if (candidateValue === undefined) {
      return { outcome: PromotionOutcome.KEPT, served, other: candidate, ...values, reason: `${candidate} reports no ${metric}, so it cannot be shown to be better` };
    }
    if (servedValue === undefined) {
      return {
        outcome: PromotionOutcome.PROMOTED,
        served: candidate,
        other: served,
        ...values,
        reason: `${served} reports no ${metric} to compare with; ${candidate} has ${fmt(candidateValue)}`,
      };
    }
    const gain = candidateValue - servedValue;
    const comparison = `${metric} ${fmt(candidateValue)} of ${candidate} against ${fmt(servedValue)} of ${served} ` +
      `(${gain >= 0 ? '+' : ''}${fmt(gain)}; at least ${fmt(minImprovement)} required)`;
    return gain + EPSILON >= minImprovement
      ? { outcome: PromotionOutcome.PROMOTED, served: candidate, other: served, ...values, reason: comparison }
      : { outcome: PromotionOutcome.KEPT, served, other: candidate, ...values, reason: comparison };
  }
}
