import { campaignProgress } from './campaign-progress';
import { NOT_REPORTED, PromotionBasis, PromotionGateAttributes, PromotionGateKeys, PromotionOutcome } from '../../private/contract';
import type { PersonalizeApi } from '../aws/personalize-api';
import { Status } from '../aws/status';
import { describeVersion, solutionOf } from '../aws/versions';
import { DONE, ImmediateHandler, type Decided, type Done, type HandlerOptions } from '../framework/custom-resource-handler';
import { formatDuration } from '../framework/duration';
import { isErrorNamed, RESOURCE_NOT_FOUND } from '../framework/errors';
import { requiredStr, toBoolean, toNumber } from '../framework/request';
import type { OnEventRequest, ResourceData, ResourceProperties } from '../framework/types';

/** Metric values closer than this are equal (they come back as JSON numbers). */
const EPSILON = 1e-9;

type Outcome = typeof PromotionOutcome[keyof typeof PromotionOutcome];

type Basis = typeof PromotionBasis[keyof typeof PromotionBasis];

/** A decision: the version to serve and, when one was set aside, which. */
export interface GateDecision {
  readonly outcome: Outcome;
  readonly served: string;
  readonly other?: string;
  readonly reason: string;
  readonly candidateValue?: number;
  readonly servedValue?: number;
  /** Whether the two versions were trained on the same data. @default NONE */
  readonly basis?: Basis;
}

/** What a gate compares by, from its properties. */
export interface PromotionRules {
  readonly metric: string;
  /** On the same data: how much the candidate must gain. */
  readonly minImprovement: number;
  /** Always: the lowest value a candidate may be promoted with. */
  readonly minValue?: number;
  /** On new data: how far the candidate may fall below the served value. */
  readonly maxDropOnNewData?: number;
  /** On new data: a served version older than this gives way to a candidate over the floor. */
  readonly maxServedAgeSeconds?: number;
}

/** Custom::PersonalizePromotionGate's properties (PromotionGateKeys), coerced. */
export interface PromotionGateProps {
  readonly candidate: string;
  readonly campaignArn: string;
  readonly rules: PromotionRules;
  readonly failDeployment: boolean;
}

export function parsePromotionGateProps(props: ResourceProperties): PromotionGateProps {
  const K = PromotionGateKeys;
  const optional = (key: string) => (props[key] === '' ? undefined : toNumber(props[key], key));
  return {
    candidate: requiredStr(props[K.CANDIDATE_VERSION_ARN], K.CANDIDATE_VERSION_ARN),
    campaignArn: requiredStr(props[K.CAMPAIGN_ARN], K.CAMPAIGN_ARN),
    rules: {
      metric: requiredStr(props[K.METRIC], K.METRIC),
      minImprovement: toNumber(props[K.MIN_IMPROVEMENT], K.MIN_IMPROVEMENT) ?? 0,
      minValue: optional(K.MIN_VALUE),
      maxDropOnNewData: optional(K.MAX_DROP_ON_NEW_DATA),
      maxServedAgeSeconds: optional(K.MAX_SERVED_AGE_SECONDS),
    },
    failDeployment: toBoolean(props[K.FAIL_DEPLOYMENT], K.FAIL_DEPLOYMENT) ?? false,
  };
}

/** Whether two versions saw the same data, and why (for the decision's sentence). */
export interface TrainingBasis {
  readonly same: boolean;
  readonly why: string;
  /** When the served version finished training, if known. */
  readonly servedTrainedAt?: Date;
}

/** What a gate's physical id records: the outcome and the versions as `<solution name>/<version id>`. */
export interface RecordedDecision {
  readonly outcome: string;
  readonly served: string;
  readonly other?: string;
}

/**
 * A version as the gate's physical id names it: its ARN without the partition, region and
 * account, which the gate's campaign shares.
 */
export function versionRef(arn: string): string {
  const at = arn.indexOf(':solution/');
  return at < 0 ? arn : arn.slice(at + ':solution/'.length);
}

/**
 * The physical id of a gate is its decision, `<OUTCOME>:<served>[:<set aside>]` (solution and
 * version names hold no colon), so that a promotion is a new physical resource: a rollback then
 * goes back to the previous decision, and with it the campaign. The sentence is the Reason attribute.
 */
export function physicalIdOf(d: GateDecision): string {
  return [d.outcome, versionRef(d.served), ...(d.other ? [versionRef(d.other)] : [])].join(':');
}

/** The decision an earlier physical id records, if it is one. */
export function parsePhysicalId(id: string | undefined): RecordedDecision | undefined {
  const match = /^([A-Z_]+):([^:\s]+)(?::([^:\s]+))?$/.exec(id ?? '');
  return match ? { outcome: match[1], served: match[2], other: match[3] } : undefined;
}

const fmt = (value: number | undefined) => (value === undefined ? NOT_REPORTED : String(Number(value.toPrecision(6))));

/**
 * Custom::PersonalizePromotionGate: decides which version a campaign serves. A newly trained
 * version (the candidate) replaces the served one only when its offline metric, from
 * GetSolutionMetrics, beats the served version's by the margin. The first version of a campaign
 * is served as it is. Otherwise the served version stays, and the decision says why; with
 * FailDeployment, a rejection fails the deployment instead.
 */
export class PromotionGateHandler extends ImmediateHandler {
  private readonly now: () => number;

  constructor(private readonly personalize: PersonalizeApi, options: HandlerOptions = {}) {
    super();
    this.now = options.now ?? Date.now;
  }

  protected async onCreate(event: OnEventRequest): Promise<Decided<Done>> {
    return this.decide(event);
  }

  protected async onUpdate(event: OnEventRequest): Promise<Decided<Done>> {
    return this.decide(event);
  }

  /** The gate holds nothing: the campaign is CloudFormation's. */
  protected async onDelete(event: OnEventRequest): Promise<Decided<Done>> {
    return { PhysicalResourceId: event.PhysicalResourceId, Decision: DONE };
  }

  private async decide(event: OnEventRequest): Promise<Decided<Done>> {
    const { candidate, campaignArn, rules, failDeployment } = parsePromotionGateProps(event.ResourceProperties);
    const previous = parsePhysicalId(event.PhysicalResourceId);

    const served = await this.servedVersion(campaignArn);
    let decision: GateDecision;
    if (served === undefined) {
      decision = { outcome: PromotionOutcome.FIRST, served: candidate, reason: `campaign ${campaignArn} does not exist yet: its first version is served as it is` };
    } else if (served === candidate) {
      decision = { outcome: PromotionOutcome.UNCHANGED, served, reason: 'the candidate is the version the campaign serves' };
    } else if (previous?.other === versionRef(candidate) && previous.served === versionRef(served) && previous.outcome !== PromotionOutcome.KEPT) {
      // Back to the inputs of the decision before the last one: a rollback.
      decision = { outcome: PromotionOutcome.RESTORED, served: candidate, other: served, reason: `${served} is rolled back` };
    } else {
      decision = await this.compare(candidate, served, rules);
    }
    console.log(`Promotion gate of ${campaignArn}: ${JSON.stringify(decision)}`);

    if (decision.outcome === PromotionOutcome.KEPT) {
      // The same rejection as last time (e.g. the rollback of a failed update) never fails.
      const repeated = previous?.outcome === PromotionOutcome.KEPT && previous.served === versionRef(decision.served) &&
        previous.other === versionRef(candidate);
      if (failDeployment && !repeated) {
        throw new Error(`Not promoted (failDeployment is set): ${decision.reason}`);
      }
      if (solutionOf(decision.served) !== solutionOf(candidate)) {
        // A version of a replaced solution stays in service: the solution's delete retires it instead.
        decision = { ...decision, reason: `${decision.reason}; ${solutionOf(decision.served)} stays until the campaign moves off it` };
      }
    }

    // A repeated decision keeps its physical id; a new one gets a new id (CloudFormation then treats
    // it as a replacement, and a rollback returns to the previous decision).
    const other = decision.other === undefined ? undefined : versionRef(decision.other);
    const sameAsBefore = previous !== undefined && previous.served === versionRef(decision.served) &&
      (decision.outcome === PromotionOutcome.UNCHANGED || (previous.outcome === decision.outcome && previous.other === other));
    const data: ResourceData = {
      [PromotionGateAttributes.SERVED_VERSION_ARN]: decision.served,
      [PromotionGateAttributes.DECISION]: decision.outcome,
      [PromotionGateAttributes.REASON]: `${decision.outcome}: ${decision.reason}`,
      [PromotionGateAttributes.CANDIDATE_VALUE]: fmt(decision.candidateValue),
      [PromotionGateAttributes.SERVED_VALUE]: fmt(decision.servedValue),
      [PromotionGateAttributes.BASIS]: decision.basis ?? PromotionBasis.NONE,
    };
    return { PhysicalResourceId: sameAsBefore ? event.PhysicalResourceId : physicalIdOf(decision), Data: data, Decision: DONE };
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

  private async compare(candidate: string, served: string, rules: PromotionRules): Promise<GateDecision> {
    const metric = rules.metric;
    const [candidateValue, servedValue] = await Promise.all([this.metricOf(candidate, metric), this.metricOf(served, metric)]);
    const values = { candidateValue, servedValue };
    const promote = (reason: string, basis?: Basis): GateDecision =>
      ({ outcome: PromotionOutcome.PROMOTED, served: candidate, other: served, ...values, reason, basis });
    const keep = (reason: string, basis?: Basis): GateDecision =>
      ({ outcome: PromotionOutcome.KEPT, served, other: candidate, ...values, reason, basis });

    if (candidateValue === undefined) {
      return keep(`${candidate} reports no ${metric}, so it cannot be shown to be better`);
    }
    // The floor holds whatever the data: an absolute value needs no second holdout.
    if (rules.minValue !== undefined && candidateValue + EPSILON < rules.minValue) {
      return keep(`${metric} ${fmt(candidateValue)} of ${candidate} is below minValue ${fmt(rules.minValue)}`);
    }
    if (servedValue === undefined) {
      return promote(`${served} reports no ${metric} to compare with; ${candidate} has ${fmt(candidateValue)}`);
    }
    const gain = candidateValue - servedValue;
    const both = `${metric} ${fmt(candidateValue)} of ${candidate} against ${fmt(servedValue)} of ${served} (${gain >= 0 ? '+' : ''}${fmt(gain)}`;
    const basis = await this.trainingBasis(candidate, served);
    if (basis.same) {
      const comparison = `same data (${basis.why}): ${both}; at least ${fmt(rules.minImprovement)} required)`;
      return gain + EPSILON >= rules.minImprovement
        ? promote(comparison, PromotionBasis.SAME_DATA)
        : keep(comparison, PromotionBasis.SAME_DATA);
    }

    // On new data the two values come from different holdouts: the guide advises against comparing them.
    const newData = `new data (${basis.why})`;
    const ageSeconds = basis.servedTrainedAt && (this.now() - basis.servedTrainedAt.getTime()) / 1000;
    if (rules.maxServedAgeSeconds !== undefined && ageSeconds !== undefined && ageSeconds > rules.maxServedAgeSeconds) {
      return promote(`${newData}: ${served} was trained ${formatDuration(ageSeconds)} ago, more than maxServedAge ` +
        `${formatDuration(rules.maxServedAgeSeconds)}; ${both})`, PromotionBasis.NEW_DATA);
    }
    if (rules.maxDropOnNewData === undefined) {
      return promote(`${newData}: the newer version is served; ${both}, measured on different holdouts, not compared)`, PromotionBasis.NEW_DATA);
    }
    const comparison = `${newData}: ${both}; a drop of at most ${fmt(rules.maxDropOnNewData)} tolerated)`;
    return -gain <= rules.maxDropOnNewData + EPSILON
      ? promote(comparison, PromotionBasis.NEW_DATA)
      : keep(comparison, PromotionBasis.NEW_DATA);
  }

  /**
   * Whether the two versions were trained on the same data: the same dataset group, the same
   * completed imports when each was created, and no event tracker (its events add interactions
   * between trainings that no import records).
   */
  private async trainingBasis(candidate: string, served: string): Promise<TrainingBasis> {
    const [c, s] = await Promise.all([this.versionOf(candidate), this.versionOf(served)]);
    const servedTrainedAt = s?.lastUpdatedDateTime;
    if (!c?.datasetGroupArn || !s?.datasetGroupArn || !c.creationDateTime || !s.creationDateTime) {
      return { same: false, why: `what ${c ? served : candidate} was trained on cannot be read`, servedTrainedAt };
    }
    if (c.datasetGroupArn !== s.datasetGroupArn) {
      return { same: false, why: 'the two versions belong to different dataset groups', servedTrainedAt };
    }
    const group = c.datasetGroupArn;
    const { eventTrackers } = await this.personalize.listEventTrackers({ datasetGroupArn: group });
    if (eventTrackers?.length) {
      return { same: false, why: `dataset group ${group} has event tracker ${eventTrackers[0].eventTrackerArn}, whose events add interactions between trainings`, servedTrainedAt };
    }
    const imports = await this.completedImports(group);
    const seenBy = (created: Date) => new Set(imports.filter(i => i.completed <= created.getTime()).map(i => i.arn));
    const [byCandidate, byServed] = [seenBy(c.creationDateTime), seenBy(s.creationDateTime)];
    const onlyCandidate = [...byCandidate].filter(arn => !byServed.has(arn)).length;
    const onlyServed = [...byServed].filter(arn => !byCandidate.has(arn)).length;
    if (onlyCandidate === 0 && onlyServed === 0) {
      return { same: true, why: `both trained after the same ${byCandidate.size} import${byCandidate.size === 1 ? '' : 's'}`, servedTrainedAt };
    }
    const why = onlyServed === 0
      ? `${candidate} trained on ${onlyCandidate} import${onlyCandidate === 1 ? '' : 's'} more`
      : `the two versions trained on different imports (${onlyCandidate} only in ${candidate}, ${onlyServed} only in ${served})`;
    return { same: false, why, servedTrainedAt };
  }

  private async versionOf(versionArn: string) {
    return describeVersion(this.personalize, versionArn, true);
  }

  /** The imports of the group's datasets that completed, with when. */
  private async completedImports(datasetGroupArn: string): Promise<Array<{ arn: string; completed: number }>> {
    const imports: Array<{ arn: string; completed: number }> = [];
    let datasetsToken: string | undefined;
    do {
      const page = await this.personalize.listDatasets({ datasetGroupArn, nextToken: datasetsToken });
      for (const dataset of page.datasets ?? []) {
        let jobsToken: string | undefined;
        do {
          const jobs = await this.personalize.listDatasetImportJobs({ datasetArn: dataset.datasetArn, nextToken: jobsToken });
          for (const job of jobs.datasetImportJobs ?? []) {
            if (job.status === Status.ACTIVE && job.datasetImportJobArn && job.lastUpdatedDateTime) {
              imports.push({ arn: job.datasetImportJobArn, completed: job.lastUpdatedDateTime.getTime() });
            }
          }
          jobsToken = jobs.nextToken;
        } while (jobsToken);
      }
      datasetsToken = page.nextToken;
    } while (datasetsToken);
    return imports;
  }
}
