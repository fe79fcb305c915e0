import { TRAINING_HOURS_METRIC, TRAINING_METRICS_DIMENSION, TRAINING_METRICS_NAMESPACE, TRAINING_METRICS_PATH_DIMENSION } from '../../private/contract';

/** One trained version's figures, as CloudWatch data points. */
export interface TrainingFigures {
  readonly solutionArn: string;
  /** The solution's stack and construct path, which survives a replacement; absent for an imported solution. */
  readonly solutionPath?: string;
  readonly solutionVersionArn: string;
  /** When training ended (epoch ms): the data points' time, so that retrainings draw a line. */
  readonly timestamp: number;
  readonly metrics: Readonly<Record<string, number>>;
  readonly trainingHours?: number;
}

/** CloudWatch's metric names: letters, digits and a few symbols; a directive takes 100 at most. */
const METRIC_NAME = /^[A-Za-z0-9_.\-/#:]{1,255}$/;
const MAX_METRICS = 100;

/**
 * A log record in CloudWatch's embedded metric format: CloudWatch Logs turns it into data points of
 * the namespace, one per metric, with the solution as the dimension. Nothing to call, no extra
 * permission: the function's log group receives it.
 */
export function emfRecord(figures: TrainingFigures): Record<string, unknown> {
  const values: Record<string, number> = {};
  for (const [name, value] of Object.entries(figures.metrics)) {
    if (METRIC_NAME.test(name) && name !== TRAINING_METRICS_DIMENSION && name !== TRAINING_METRICS_PATH_DIMENSION && Number.isFinite(value)) {
      values[name] = value;
    }
  }
  if (figures.trainingHours !== undefined && Number.isFinite(figures.trainingHours)) {
    values[TRAINING_HOURS_METRIC] = figures.trainingHours;
  }
  const names = Object.keys(values).slice(0, MAX_METRICS);
  return {
    _aws: {
      Timestamp: figures.timestamp,
      CloudWatchMetrics: [{
        Namespace: TRAINING_METRICS_NAMESPACE,
        // By path (kept across replacements of the solution) and by ARN.
        Dimensions: figures.solutionPath ? [[TRAINING_METRICS_PATH_DIMENSION], [TRAINING_METRICS_DIMENSION]] : [[TRAINING_METRICS_DIMENSION]],
        Metrics: names.map(name => ({ Name: name, Unit: 'None' })),
      }],
    },
    [TRAINING_METRICS_DIMENSION]: figures.solutionArn,
    ...(figures.solutionPath ? { [TRAINING_METRICS_PATH_DIMENSION]: figures.solutionPath } : {}),
    SolutionVersionArn: figures.solutionVersionArn,
    ...Object.fromEntries(names.map(name => [name, values[name]])),
  };
}

/**
 * Writes the record on a line of its own to standard output, where Lambda's log agent picks it up
 * unprefixed (console.log would add a timestamp and request id, and CloudWatch would not read it).
 */
export function publishTrainingFigures(figures: TrainingFigures, write: (line: string) => void = line => process.stdout.write(line)): void {
  write(`${JSON.stringify(emfRecord(figures))}\n`);
}
