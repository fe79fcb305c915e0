/**
 * The training result resource's data budget, shared by the construct (checked at synth) and the
 * handler (enforced at deploy). No runtime dependency: the handlers bundle it.
 */
import { SolutionVersionAttributes, TrainingResultAttributes as A } from './contract';

/**
 * CloudFormation refuses custom resource responses over 4096 bytes. The Provider framework's
 * response also carries Status, Reason, StackId, RequestId, LogicalResourceId and the physical id,
 * so Data gets at most this many bytes (as JSON).
 */
export const MAX_DATA_BYTES = 3000;

/** Longest value a numeric hyperparameter, a metric or the training hours take as a string. */
export const NUMBER_MAX_LENGTH = 24;

/** Longest solution version ARN: partition, region and account at their longest, a 63-character name, the id. */
const ARN_MAX_LENGTH = 'arn:aws-iso-b:personalize:ap-southeast-5:123456789012:solution/'.length + 63 + '/0123456789ab'.length;

/** Longest status string. */
const STATUS_MAX_LENGTH = 'CREATE IN_PROGRESS'.length;

export interface ResultShape {
  /** The tuned names the version reports. */
  readonly tunedNames: readonly string[];
  /** The names of its numeric ranges, which the bounds report may name. @default none */
  readonly rangeNames?: readonly string[];
  /** The metric keys it reports. */
  readonly metricKeys: readonly string[];
  /** The longest tuned value (NUMBER_MAX_LENGTH, or a longer categorical value). */
  readonly tunedValueMaxLength: number;
}

export interface ResultEstimate {
  /** Bytes of the data that cannot be shortened: one attribute per name and key, the metrics JSON. */
  readonly required: number;
  /** Bytes with the whole tuned-hyperparameters JSON as well. */
  readonly full: number;
}

/** The most bytes the data of a result of this shape can take (attribute names as the handler writes them). */
export function estimateResultBytes(shape: ResultShape): ResultEstimate {
  const value = 'x'.repeat(shape.tunedValueMaxLength);
  const number = 'x'.repeat(NUMBER_MAX_LENGTH);
  const data: Record<string, string> = {
    [A.STATUS]: 'x'.repeat(STATUS_MAX_LENGTH),
    [A.TRAINING_HOURS]: number,
    [SolutionVersionAttributes.SOLUTION_VERSION_ARN]: 'x'.repeat(ARN_MAX_LENGTH),
  };
  for (const name of shape.tunedNames) {
    data[`${A.TUNED_PREFIX}${name}`] = value;
  }
  for (const key of shape.metricKeys) {
    data[`${A.METRIC_PREFIX}${key}`] = number;
  }
  // Numbers in the metrics JSON are unquoted: two characters less than the stand-in strings.
  data[A.METRICS_JSON] = JSON.stringify(Object.fromEntries(shape.metricKeys.map(key => [key, number])));
  data[A.TUNED_AT_BOUNDS] = (shape.rangeNames ?? []).map(name => `${name}:upper`).join(',');
  const required = bytes(data);
  const tuned = JSON.stringify(Object.fromEntries(shape.tunedNames.map(name => [name, value])));
  return { required, full: bytes({ ...data, [A.TUNED_HPO_PARAMS]: tuned }) };
}

function bytes(data: Record<string, string>): number {
  return new TextEncoder().encode(JSON.stringify(data)).length;
}
