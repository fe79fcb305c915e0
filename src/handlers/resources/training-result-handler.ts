import type { SolutionVersion } from '@aws-sdk/client-personalize';
import { publishTrainingFigures } from './training-metrics';
import { atBounds, describePlacement, parseTunedRanges, placeTunedValues } from './tuned-ranges';
import { NOT_REPORTED, SolutionVersionAttributes, TrainingResultAttributes, TrainingResultKeys, type TunedRangeSpec } from '../../private/contract';
import { MAX_DATA_BYTES } from '../../private/result-budget';
import type { PersonalizeApi } from '../aws/personalize-api';
import { Status } from '../aws/status';
import { describeVersion, solutionOf } from '../aws/versions';
import { DONE, ResultReader, type Decided, type Done, type HandlerOptions } from '../framework/custom-resource-handler';
import { formatDuration } from '../framework/duration';
import { requiredStr, toInteger, toStr, toStrList } from '../framework/request';
import type { OnEventRequest, ResourceData, ResourceProperties } from '../framework/types';

export { MAX_DATA_BYTES } from '../../private/result-budget';

/** The key TunedHPOParams gets when hyperparameters had to be left out to fit MAX_DATA_BYTES. */
export const TRUNCATED_MARKER = '_truncated';

/**
 * Tuned hyperparameters keyed by the names the construct declared. Personalize may echo a name
 * with a prefix (`training.bptt`, `data.recency_mask`): a declared name matches a key equal to it
 * or ending in `.<name>`, an exact key winning. Other keys keep their name without the prefix
 * (unless that name is taken, then they keep the full key). Declared names come first.
 */
export function mapTunedNames(tuned: Record<string, string>, declared: readonly string[]): Map<string, string> {
  const keys = Object.keys(tuned);
  const used = new Set<string>();
  const result = new Map<string, string>();
  for (const name of declared) {
    const key = keys.find((k) => k === name && !used.has(k)) ?? keys.find((k) => k.endsWith(`.${name}`) && !used.has(k));
    if (key !== undefined && !result.has(name)) {
      used.add(key);
      result.set(name, tuned[key]);
    }
  }
  for (const key of keys.filter((k) => !used.has(k))) {
    const short = key.slice(key.lastIndexOf('.') + 1);
    result.set(short !== '' && !result.has(short) ? short : key, tuned[key]);
  }
  return result;
}

/** Size of the attributes as the response carries them. */
export function dataBytes(data: ResourceData): number {
  return Buffer.byteLength(JSON.stringify(data), 'utf8');
}

/**
 * TunedHPOParams as JSON that keeps `data` within MAX_DATA_BYTES: trailing entries (undeclared
 * ones first, as they come last) are dropped and a `_truncated` entry says how many.
 */
export function fitTunedJson(data: ResourceData, tuned: ReadonlyMap<string, string>, maxBytes = MAX_DATA_BYTES): string {
  const entries = [...tuned];
  const render = (kept: number): string => {
    const obj: Record<string, string> = Object.fromEntries(entries.slice(0, kept));
    if (kept < entries.length) {
      obj[TRUNCATED_MARKER] = `${entries.length - kept} of ${entries.length} hyperparameters left out (CloudFormation limits custom resource data to 4 KB)`;
    }
    return JSON.stringify(obj);
  };
  for (let kept = entries.length; kept >= 0; kept--) {
    const json = render(kept);
    if (dataBytes({ ...data, [TrainingResultAttributes.TUNED_HPO_PARAMS]: json }) <= maxBytes) {
      return json;
    }
  }
  throw new Error(
    `The training result attributes take more than ${maxBytes} bytes even without TunedHPOParams, ` +
    'more than a CloudFormation custom resource may return; request fewer tuned hyperparameters or metrics',
  );
}

/**
 * Why a version the wait condition let through is not a usable result, from what Personalize
 * reports now (never from the signal, which anyone allowed to signal the stack could send).
 */
export function notActiveReason(arn: string, version: SolutionVersion, trainingTimeoutSeconds: number | undefined, now: number): string {
  const status = version.status ?? 'in an unknown state';
  switch (version.status) {
    case Status.CREATE_FAILED:
      return `Training of solution version ${arn} failed (${status}): ${version.failureReason ?? 'Personalize gave no reason'}`;
    case Status.CREATE_STOPPING:
    case Status.CREATE_STOPPED: {
      const created = version.creationDateTime?.getTime();
      const ranSeconds = created === undefined ? undefined : (now - created) / 1000;
      if (trainingTimeoutSeconds !== undefined && ranSeconds !== undefined && ranSeconds >= trainingTimeoutSeconds) {
        return `Solution version ${arn} did not finish within the trainingTimeout of ${formatDuration(trainingTimeoutSeconds)} and was stopped ` +
          `(${status}). Raise trainingTimeout (at most 11 hours), or train on less data or fewer HPO jobs.`;
      }
      return `Solution version ${arn} was stopped before it finished (${status}): by a delete, by hand, or because its ` +
        'training poller failed (see the poller\'s log group).';
    }
    default:
      return `Solution version ${arn} is ${status}, not ACTIVE: its wait condition ended before the training did (a signal that ` +
        'did not come from this deployment\'s training poller). The deployment rolls back, which stops the training.';
  }
}

/** Custom::PersonalizeTrainingResult's properties (TrainingResultKeys), coerced. */
export interface TrainingResultProps {
  readonly arn: string;
  /** The hyperparameter names whose tuned values the construct reads. */
  readonly declared: string[];
  /** Those another solution trains on: the result fails without them. */
  readonly required: string[];
  readonly metricKeys: string[];
  readonly timeout?: number;
  readonly solutionPath?: string;
  /** The declared numeric ranges, to say where each tuned value landed. */
  readonly ranges: Record<string, TunedRangeSpec>;
}

export function parseTrainingResultProps(props: ResourceProperties): TrainingResultProps {
  const K = TrainingResultKeys;
  const solutionPath = toStr(props[K.SOLUTION_PATH], K.SOLUTION_PATH);
  return {
    arn: requiredStr(props[K.SOLUTION_VERSION_ARN], K.SOLUTION_VERSION_ARN),
    declared: toStrList(props[K.TUNED_HYPER_PARAMETERS], K.TUNED_HYPER_PARAMETERS) ?? [],
    required: toStrList(props[K.REQUIRED_TUNED_HYPER_PARAMETERS], K.REQUIRED_TUNED_HYPER_PARAMETERS) ?? [],
    metricKeys: toStrList(props[K.METRICS], K.METRICS) ?? [],
    timeout: toInteger(props[K.TRAINING_TIMEOUT_SECONDS], K.TRAINING_TIMEOUT_SECONDS),
    solutionPath: solutionPath === '' ? undefined : solutionPath,
    ranges: parseTunedRanges(props[K.TUNED_RANGES]),
  };
}

/**
 * Custom::PersonalizeTrainingResult: reads what a finished training produced (status, billed
 * hours, tuned hyperparameters, offline metrics). It is created after the training's wait
 * condition ended, and decides the outcome itself: it fails, with Personalize's reason, unless
 * the version is ACTIVE.
 */
export class TrainingResultHandler extends ResultReader {
  private readonly now: () => number;

  constructor(private readonly personalize: PersonalizeApi, options: HandlerOptions = {}) {
    super();
    this.now = options.now ?? Date.now;
  }

  protected async read(event: OnEventRequest): Promise<Decided<Done>> {
    const { arn, declared, metricKeys, timeout, required, solutionPath, ranges } = parseTrainingResultProps(event.ResourceProperties);
    const version = await describeVersion(this.personalize, arn);
    if (version.status !== Status.ACTIVE) {
      throw new Error(notActiveReason(arn, version, timeout, this.now()));
    }
    const { metrics } = await this.personalize.getSolutionMetrics({ solutionVersionArn: arn });

    const placements = placeTunedValues(mapTunedNames(version.tunedHPOParams?.algorithmHyperParameters ?? {}, declared), ranges);
    placements.forEach(p => console.log(`Tuned ${describePlacement(p)}`));
    const data = resultData(arn, version, declared, metrics ?? {}, metricKeys, atBounds(placements));
    const missing = required.filter(name => data[`${TrainingResultAttributes.TUNED_PREFIX}${name}`] === undefined ||
      data[`${TrainingResultAttributes.TUNED_PREFIX}${name}`] === NOT_REPORTED);
    if (missing.length > 0) {
      // Never hand the placeholder on: another solution would train on it.
      const reported = Object.keys(version.tunedHPOParams?.algorithmHyperParameters ?? {});
      throw new Error(`HPO of solution version ${arn} reported no value for ${missing.join(', ')} (tunedHPOParams holds: ` +
        `${reported.length > 0 ? reported.join(', ') : 'nothing'}), so the solution that takes its tunedHyperParameters() cannot be ` +
        'trained on them. Declare ranges only for hyperparameters HPO reports, or give fixed values instead.');
    }
    console.log(`Training result of ${arn}: ${JSON.stringify(data)}`);
    // Every metric Personalize reported, not only those the construct reads, over time in CloudWatch.
    publishTrainingFigures({
      solutionArn: version.solutionArn ?? solutionOf(arn),
      solutionPath,
      solutionVersionArn: arn,
      timestamp: (version.lastUpdatedDateTime ?? new Date(this.now())).getTime(),
      metrics: metrics ?? {},
      trainingHours: version.trainingHours,
    });
    return { PhysicalResourceId: arn, Data: data, Decision: DONE };
  }
}

/** The attributes: every declared tuned name and metric key has one, NOT_REPORTED when Personalize gave none. */
export function resultData(
  arn: string,
  version: SolutionVersion,
  declared: readonly string[],
  metrics: Record<string, number>,
  metricKeys: readonly string[],
  tunedAtBounds = '',
): ResourceData {
  const A = TrainingResultAttributes;
  const tuned = mapTunedNames(version.tunedHPOParams?.algorithmHyperParameters ?? {}, declared);
  const data: ResourceData = {
    [A.STATUS]: version.status ?? NOT_REPORTED,
    [A.TRAINING_HOURS]: typeof version.trainingHours === 'number' ? String(version.trainingHours) : NOT_REPORTED,
    [SolutionVersionAttributes.SOLUTION_VERSION_ARN]: arn,
  };
  for (const name of declared) {
    data[`${A.TUNED_PREFIX}${name}`] = tuned.get(name) ?? NOT_REPORTED;
  }
  const reported: Record<string, number> = {};
  for (const key of metricKeys) {
    const value = Object.prototype.hasOwnProperty.call(metrics, key) ? metrics[key] : undefined;
    data[`${A.METRIC_PREFIX}${key}`] = typeof value === 'number' ? String(value) : NOT_REPORTED;
    if (typeof value === 'number') {
      reported[key] = value;
    }
  }
  data[A.METRICS_JSON] = JSON.stringify(reported);
  data[A.TUNED_AT_BOUNDS] = tunedAtBounds;
  data[A.TUNED_HPO_PARAMS] = fitTunedJson(data, tuned);
  return data;
}
