// Metric attributions: reports on the events of a dataset group, to CloudWatch and optionally S3.
import { ServiceError, alreadyExists, inUse, invalidInput } from '../errors';
import { MetricAttributeRec, MetricAttributionRec, S, SimState } from '../state';
import { TIMING } from '../training';
import { toWireTime as t } from '../wire';
import { HandlerTable, compact, deleteLater, newestFirst, paginate } from './common';

const STEPS = [[S.IN_PROGRESS, TIMING.stepMs], [S.ACTIVE, TIMING.stepMs]] as const;
/** [U] The statuses of an update: modelled on the campaign's (UPDATE PENDING, UPDATE IN_PROGRESS). */
const UPDATE_STEPS = [['UPDATE IN_PROGRESS', TIMING.stepMs], [S.ACTIVE, TIMING.stepMs]] as const;
const MAX_METRICS = 10;
const NUMERIC = ['int', 'long', 'float', 'double'];
const ROLE_ARN = /^arn:([a-z\d-]+):iam::\d{12}:role\/?[a-zA-Z_0-9+=,.@\-_/]+$/;
const S3_PATH = /^(s3|http|https):\/\/.+/;
/** `SUM(Items.PRICE)`, `SUM(Interactions.EVENT_VALUE)` or `SAMPLECOUNT()`, as the API reference writes them. */
const EXPRESSION = /^\s*(?:SAMPLECOUNT\(\s*\)|SUM\(\s*(Items|Interactions)\.([A-Za-z_][A-Za-z0-9_]*)\s*\))\s*$/;

type OutputConfig = MetricAttributionRec['metricsOutputConfig'];

/** The dataset types a metric reads: `ITEMS` or `INTERACTIONS`, none for SAMPLECOUNT(). */
export function datasetTypesReadByMetrics(metrics: readonly MetricAttributeRec[]): Set<string> {
  const types = new Set<string>();
  for (const m of metrics) {
    const dataset = EXPRESSION.exec(m.expression)?.[1];
    if (dataset) types.add(dataset.toUpperCase());
  }
  return types;
}

function checkOutput(config: OutputConfig | undefined): void {
  if (!config?.roleArn || !ROLE_ARN.test(config.roleArn)) {
    throw invalidInput(`metricsOutputConfig.roleArn must be an IAM role ARN, got ${JSON.stringify(config?.roleArn)}`);
  }
  const path = config.s3DataDestination?.path;
  if (config.s3DataDestination && (!path || !S3_PATH.test(path))) {
    throw invalidInput(`metricsOutputConfig.s3DataDestination.path must be an s3:// location, got ${JSON.stringify(path)}`);
  }
}

/** A metric as the service describes it: event type and metric name upper-cased (settled by review). */
const upperCased = (m: MetricAttributeRec): MetricAttributeRec =>
  ({ ...m, eventType: m.eventType.toUpperCase(), metricName: m.metricName.toUpperCase() });

function checkMetrics(state: SimState, groupArn: string, metrics: readonly MetricAttributeRec[]): void {
  if (metrics.length > MAX_METRICS) throw invalidInput(`A metric attribution has at most ${MAX_METRICS} metrics, got ${metrics.length}`);
  const names = new Set<string>();
  for (const m of metrics) {
    if (!m.metricName || !m.eventType || !m.expression) throw invalidInput('Each metric needs eventType, metricName and expression');
    // Names come back upper-cased, so two that differ in case only are one name.
    if (names.has(m.metricName.toUpperCase())) throw invalidInput(`Metric name ${m.metricName} is used twice`);
    names.add(m.metricName.toUpperCase());
    const parsed = EXPRESSION.exec(m.expression);
    if (!parsed) throw invalidInput(`Metric ${m.metricName}: expression ${m.expression} is not SUM(Items.COLUMN), SUM(Interactions.COLUMN) or SAMPLECOUNT()`);
    const [, dataset, column] = parsed;
    if (!dataset) continue;
    // SUM() reads a numeric column of an imported dataset (metric attribution guidelines).
    const d = [...state.datasets.values()]
      .find(x => x.datasetGroupArn === groupArn && x.datasetType === dataset.toUpperCase() && x.status === S.ACTIVE);
    if (!d) throw invalidInput(`Metric ${m.metricName}: dataset group ${groupArn} has no ${dataset} dataset`);
    const fields = (JSON.parse(state.schemas.get(d.schemaArn)?.schema ?? '{}') as { fields?: Array<{ name: string; type: unknown }> }).fields ?? [];
    const field = fields.find(f => f.name.toUpperCase() === column.toUpperCase());
    const types = field ? (Array.isArray(field.type) ? field.type : [field.type]) : [];
    if (!field) throw invalidInput(`Metric ${m.metricName}: the ${dataset} schema has no field ${column}`);
    if (!types.some(x => NUMERIC.includes(String(x)))) throw invalidInput(`Metric ${m.metricName}: SUM() needs a numeric column; ${column} is ${JSON.stringify(field.type)}`);
  }
}

function createMetricAttribution(state: SimState, input: {
  name: string; datasetGroupArn: string; metrics: MetricAttributeRec[]; metricsOutputConfig: OutputConfig;
}) {
  const group = state.get(state.datasetGroups, input.datasetGroupArn, 'dataset group');
  if (group.status !== S.ACTIVE) throw inUse(`Dataset group ${group.arn} is ${group.status}; it must be ACTIVE`);
  const arn = state.arn(`metric-attribution/${input.name}`);
  if (state.metricAttributions.has(arn)) throw alreadyExists(arn);
  // [U] One per dataset group, and the error's name: modelled strictly (simulator README).
  const other = [...state.metricAttributions.values()].find(m => m.datasetGroupArn === group.arn);
  if (other) throw new ServiceError('ResourceAlreadyExistsException', `Dataset group ${group.arn} already has metric attribution ${other.arn}; a dataset group has one`);
  checkOutput(input.metricsOutputConfig);
  checkMetrics(state, group.arn, input.metrics ?? []);
  const now = state.now();
  const rec: MetricAttributionRec = {
    arn,
    name: input.name,
    datasetGroupArn: group.arn,
    // Stored as the service describes them: event type and metric name upper-cased.
    metrics: input.metrics.map(upperCased),
    metricsOutputConfig: input.metricsOutputConfig,
    status: S.PENDING,
    created: now,
    updated: now,
  };
  state.metricAttributions.set(arn, rec);
  state.advanceThrough(rec, STEPS);
  return { metricAttributionArn: arn };
}

/**
 * The API model leaves metricAttributionArn optional on these two operations; what the service does
 * without one is not documented, so the simulator refuses it (open fact 37).
 */
function requiredArn(arn: string | undefined): string {
  if (arn === undefined) throw invalidInput('metricAttributionArn is required');
  return arn;
}

function updateMetricAttribution(state: SimState, input: {
  metricAttributionArn?: string; addMetrics?: MetricAttributeRec[]; removeMetrics?: string[]; metricsOutputConfig?: OutputConfig;
}) {
  const rec = state.get(state.metricAttributions, requiredArn(input.metricAttributionArn), 'metric attribution');
  if (rec.status !== S.ACTIVE) throw inUse(`Metric attribution ${rec.arn} is ${rec.status}`);
  const unknown = (input.removeMetrics ?? []).find(n => !rec.metrics.some(m => m.metricName === n.toUpperCase()));
  if (unknown) throw invalidInput(`Metric attribution ${rec.arn} has no metric ${unknown}`);
  const removed = new Set((input.removeMetrics ?? []).map(n => n.toUpperCase()));
  const metrics = [...rec.metrics.filter(m => !removed.has(m.metricName)), ...(input.addMetrics ?? []).map(upperCased)];
  checkMetrics(state, rec.datasetGroupArn, metrics);
  if (input.metricsOutputConfig) checkOutput(input.metricsOutputConfig);
  rec.metrics = metrics;
  if (input.metricsOutputConfig) rec.metricsOutputConfig = input.metricsOutputConfig;
  state.setStatus(rec, 'UPDATE PENDING');
  state.advanceThrough(rec, UPDATE_STEPS);
  return { metricAttributionArn: rec.arn };
}

const body = (m: MetricAttributionRec) => compact({
  name: m.name,
  metricAttributionArn: m.arn,
  datasetGroupArn: m.datasetGroupArn,
  metricsOutputConfig: m.metricsOutputConfig,
  status: m.status,
  failureReason: m.failureReason,
  creationDateTime: t(m.created),
  lastUpdatedDateTime: t(m.updated),
});

export const metricAttributionHandlers: HandlerTable = {
  CreateMetricAttribution: createMetricAttribution,
  UpdateMetricAttribution: updateMetricAttribution,
  DescribeMetricAttribution: (state, input: { metricAttributionArn: string }) =>
    ({ metricAttribution: body(state.get(state.metricAttributions, input.metricAttributionArn, 'metric attribution')) }),
  DeleteMetricAttribution: (state, input: { metricAttributionArn: string }) => {
    const m = state.get(state.metricAttributions, input.metricAttributionArn, 'metric attribution');
    if (m.status !== S.ACTIVE && m.status !== S.FAILED) throw inUse(`Metric attribution ${m.arn} is ${m.status}`);
    deleteLater(state, m, () => state.remove(state.metricAttributions, m.arn));
    return {};
  },
  ListMetricAttributions: (state, input: { datasetGroupArn?: string; maxResults?: number; nextToken?: string }) => {
    const all = newestFirst(state.metricAttributions.values()).filter(m => !input.datasetGroupArn || m.datasetGroupArn === input.datasetGroupArn);
    const { page, nextToken } = paginate(all, input);
    return compact({
      metricAttributions: page.map(m => compact({
        name: m.name,
        metricAttributionArn: m.arn,
        datasetGroupArn: m.datasetGroupArn,
        status: m.status,
        failureReason: m.failureReason,
        creationDateTime: t(m.created),
        lastUpdatedDateTime: t(m.updated),
      })),
      nextToken,
    });
  },
  ListMetricAttributionMetrics: (state, input: { metricAttributionArn?: string; maxResults?: number; nextToken?: string }) => {
    const m = state.get(state.metricAttributions, requiredArn(input.metricAttributionArn), 'metric attribution');
    const { page, nextToken } = paginate(m.metrics, input);
    return compact({ metrics: page, nextToken });
  },
};
