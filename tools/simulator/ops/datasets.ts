// Dataset groups, schemas, datasets and dataset import jobs.
import type { ImportMode } from '@aws-sdk/client-personalize';
import { datasetTypesReadByMetrics } from './metric-attributions';
import { alreadyExists, inUse, invalidInput, limitExceeded } from '../errors';
import { DatasetGroupRec, DatasetRec, ImportJobRec, S, SimState } from '../state';
import { importDurationMs, TIMING } from '../training';
import { RequestOf, Tag, toWireTime as t } from '../wire';
import { HandlerTable, compact, deleteLater, newestFirst, paginate } from './common';
import { checkSchemaFitsDataset } from './schema-fit';
import { datasetTypesReadBy } from './serving';

const IMPORT_JOBS_IN_PROGRESS = 5;
const DATASET_TYPES = ['INTERACTIONS', 'ITEMS', 'USERS', 'ACTIONS', 'ACTION_INTERACTIONS'];
const CREATE_STEPS = [[S.IN_PROGRESS, TIMING.stepMs], [S.ACTIVE, TIMING.stepMs]] as const;

type DatasetGroupInput = RequestOf<'CreateDatasetGroup'>;

function newDatasetGroup(state: SimState, input: DatasetGroupInput, status: string) {
  const arn = state.arn(`dataset-group/${input.name}`);
  if (state.datasetGroups.has(arn)) throw alreadyExists(arn);
  if (input.kmsKeyArn && !input.roleArn) throw invalidInput('roleArn is required when kmsKeyArn is set');
  state.addTags(arn, input.tags);
  const now = state.now();
  const group: DatasetGroupRec = { ...input, arn, status, created: now, updated: now };
  delete (group as { tags?: unknown }).tags;
  state.datasetGroups.set(arn, group);
  return group;
}

/** Test helper behind PersonalizeSimulator.seedDatasetGroup: ACTIVE at once. */
export function seedDatasetGroup(state: SimState, name: string): string {
  return newDatasetGroup(state, { name }, S.ACTIVE).arn;
}

function createDatasetGroup(state: SimState, input: DatasetGroupInput) {
  const group = newDatasetGroup(state, input, S.PENDING);
  state.advanceThrough(group, CREATE_STEPS);
  return compact({ datasetGroupArn: group.arn, domain: group.domain });
}

const groupBody = (g: DatasetGroupRec) => compact({
  name: g.name,
  datasetGroupArn: g.arn,
  status: g.status,
  domain: g.domain,
  failureReason: g.failureReason,
  creationDateTime: t(g.created),
  lastUpdatedDateTime: t(g.updated),
});

function deleteDatasetGroup(state: SimState, input: { datasetGroupArn: string }) {
  const g = state.get(state.datasetGroups, input.datasetGroupArn, 'dataset group');
  if (g.status !== S.ACTIVE && g.status !== S.FAILED) throw inUse(`Dataset group ${g.arn} is ${g.status}`);
  const child = [...state.solutions.values(), ...state.datasets.values(), ...state.eventTrackers.values(), ...state.filters.values(),
    ...state.metricAttributions.values(), ...state.recommenders.values()]
    .find((r) => r.datasetGroupArn === g.arn);
  if (child) throw inUse(`Dataset group ${g.arn} still contains ${child.arn}; delete it first`);
  deleteLater(state, g, () => state.remove(state.datasetGroups, g.arn));
  return {};
}

function createSchema(state: SimState, input: RequestOf<'CreateSchema'>) {
  const arn = state.arn(`schema/${input.name}`);
  if (state.schemas.has(arn)) throw alreadyExists(arn);
  let parsed: { type?: unknown; fields?: unknown } | undefined;
  try {
    parsed = JSON.parse(input.schema);
  } catch {
    parsed = undefined;
  }
  if (!parsed || parsed.type !== 'record' || !Array.isArray(parsed.fields)) {
    throw invalidInput('schema must be an Avro record schema in JSON ({"type": "record", "fields": [...]})');
  }
  state.schemas.set(arn, { arn, name: input.name, schema: input.schema, domain: input.domain, created: state.now() });
  return { schemaArn: arn };
}

function deleteSchema(state: SimState, input: { schemaArn: string }) {
  const schema = state.get(state.schemas, input.schemaArn, 'schema');
  const user = [...state.datasets.values()].find((d) => d.schemaArn === schema.arn);
  if (user) throw inUse(`Schema ${schema.arn} is used by ${user.arn}`);
  state.remove(state.schemas, schema.arn);
  return {};
}

function createDataset(state: SimState, input: { name: string; schemaArn: string; datasetGroupArn: string; datasetType: string; tags?: Tag[] }) {
  const group = state.get(state.datasetGroups, input.datasetGroupArn, 'dataset group');
  if (group.status !== S.ACTIVE) throw inUse(`Dataset group ${group.arn} is ${group.status}; it must be ACTIVE`);
  const schema = state.get(state.schemas, input.schemaArn, 'schema');
  const type = input.datasetType.toUpperCase();
  if (!DATASET_TYPES.includes(type)) throw invalidInput('datasetType must be one of Interactions, Items, Users, Actions, Action_Interactions');
  if ((schema.domain ?? undefined) !== (group.domain ?? undefined)) {
    throw invalidInput(`Schema ${schema.arn} has domain ${schema.domain ?? 'none'}; dataset group ${group.arn} has ${group.domain ?? 'none'}`);
  }
  checkSchemaFitsDataset(schema.schema, type, group.domain);
  const arn = state.arn(`dataset/${group.name}/${type}`);
  if (state.datasets.has(arn)) throw alreadyExists(arn);
  state.addTags(arn, input.tags);
  const now = state.now();
  const dataset: DatasetRec = {
    arn, name: input.name, datasetGroupArn: group.arn, datasetType: type, schemaArn: input.schemaArn, status: S.PENDING, created: now, updated: now,
  };
  state.datasets.set(arn, dataset);
  state.advanceThrough(dataset, CREATE_STEPS);
  return { datasetArn: arn };
}

function deleteDataset(state: SimState, input: { datasetArn: string }) {
  const d = state.get(state.datasets, input.datasetArn, 'dataset');
  if (d.status !== S.ACTIVE && d.status !== S.FAILED) throw inUse(`Dataset ${d.arn} is ${d.status}`);
  const jobs = [...state.importJobs.values()].filter((j) => j.datasetArn === d.arn);
  const running = jobs.find((j) => j.status === S.PENDING || j.status === S.IN_PROGRESS);
  if (running) throw inUse(`Dataset import job ${running.arn} is ${running.status}`);
  // [U] Whether Personalize refuses this: strictly, a dataset a filter reads stays until the filter goes.
  const reader = [...state.filters.values()]
    .find((f) => f.datasetGroupArn === d.datasetGroupArn && datasetTypesReadBy(f.filterExpression).has(d.datasetType));
  if (reader) throw inUse(`Dataset ${d.arn} is read by filter ${reader.arn}; delete the filter first`);
  // [U] Likewise for a metric attribution that sums one of its columns.
  const summer = [...state.metricAttributions.values()]
    .find((m) => m.datasetGroupArn === d.datasetGroupArn && datasetTypesReadByMetrics(m.metrics).has(d.datasetType));
  if (summer) throw inUse(`Dataset ${d.arn} is read by metric attribution ${summer.arn}; delete it first`);
  // Refused only while a recommender of the group is being created (the guide's cleanup table);
  // deleting it later halts the recommender's automatic updates.
  const recommender = [...state.recommenders.values()]
    .find((r) => r.datasetGroupArn === d.datasetGroupArn && (r.status === S.PENDING || r.status === S.IN_PROGRESS));
  if (recommender) throw inUse(`Recommender ${recommender.arn} of the dataset group is ${recommender.status}`);
  deleteLater(state, d, () => {
    for (const j of jobs) state.remove(state.importJobs, j.arn);
    state.remove(state.datasets, d.arn);
  });
  return {};
}

function createDatasetImportJob(state: SimState, input: {
  jobName: string;
  datasetArn: string;
  dataSource?: { dataLocation?: string };
  roleArn?: string;
  importMode?: ImportMode;
  publishAttributionMetricsToS3?: boolean;
  tags?: Tag[];
}) {
  const dataset = state.get(state.datasets, input.datasetArn, 'dataset');
  if (dataset.status !== S.ACTIVE) throw inUse(`Dataset ${dataset.arn} is ${dataset.status}; it must be ACTIVE`);
  const arn = state.arn(`dataset-import-job/${input.jobName}`);
  if (state.importJobs.has(arn)) throw alreadyExists(arn);
  // [U] modelled strictly: INCREMENTAL needs data already in the dataset (an ACTIVE import).
  const hasData = [...state.importJobs.values()].some((j) => j.datasetArn === dataset.arn && j.status === S.ACTIVE);
  if (input.importMode === 'INCREMENTAL' && !hasData) {
    throw invalidInput(`Dataset ${dataset.arn} has no data yet: the first import must use importMode FULL, not INCREMENTAL`);
  }
  const running = [...state.importJobs.values()].filter((j) => j.status === S.PENDING || j.status === S.IN_PROGRESS);
  if (running.length >= IMPORT_JOBS_IN_PROGRESS) {
    throw limitExceeded(`More than ${IMPORT_JOBS_IN_PROGRESS} resources with PENDING or IN_PROGRESS status.`);
  }
  state.addTags(arn, input.tags);
  const now = state.now();
  const job: ImportJobRec = {
    arn,
    jobName: input.jobName,
    datasetArn: dataset.arn,
    dataLocation: input.dataSource?.dataLocation,
    roleArn: input.roleArn,
    importMode: input.importMode ?? 'FULL',
    publishAttributionMetricsToS3: input.publishAttributionMetricsToS3,
    status: S.PENDING,
    created: now,
    updated: now,
  };
  state.importJobs.set(arn, job);
  const failWith = state.faults.takeImportFailure(job.dataLocation);
  if (failWith !== undefined) {
    state.advanceThrough(job, [[S.IN_PROGRESS, TIMING.stepMs]], () => state.schedule(TIMING.importFailAfterMs, () => {
      if (job.status === S.IN_PROGRESS) state.setStatus(job, S.FAILED, failWith);
    }));
  } else {
    state.advanceThrough(job, [[S.IN_PROGRESS, TIMING.stepMs], [S.ACTIVE, importDurationMs(state.importRecords(job.dataLocation))]]);
  }
  return { datasetImportJobArn: arn };
}

export const datasetHandlers: HandlerTable = {
  CreateDatasetGroup: createDatasetGroup,
  DescribeDatasetGroup: (state, input: { datasetGroupArn: string }) => {
    const g = state.get(state.datasetGroups, input.datasetGroupArn, 'dataset group');
    return { datasetGroup: compact({ ...groupBody(g), roleArn: g.roleArn, kmsKeyArn: g.kmsKeyArn }) };
  },
  DeleteDatasetGroup: deleteDatasetGroup,
  ListDatasetGroups: (state, input: { maxResults?: number; nextToken?: string }) => {
    const { page, nextToken } = paginate(newestFirst(state.datasetGroups.values()), input);
    return compact({ datasetGroups: page.map(groupBody), nextToken });
  },
  CreateSchema: createSchema,
  DescribeSchema: (state, input: { schemaArn: string }) => {
    const s = state.get(state.schemas, input.schemaArn, 'schema');
    return {
      schema: compact({
        name: s.name, schemaArn: s.arn, schema: s.schema, domain: s.domain, creationDateTime: t(s.created), lastUpdatedDateTime: t(s.created),
      }),
    };
  },
  DeleteSchema: deleteSchema,
  CreateDataset: createDataset,
  DescribeDataset: (state, input: { datasetArn: string }) => {
    const d = state.get(state.datasets, input.datasetArn, 'dataset');
    return {
      dataset: {
        name: d.name,
        datasetArn: d.arn,
        datasetGroupArn: d.datasetGroupArn,
        datasetType: d.datasetType,
        schemaArn: d.schemaArn,
        status: d.status,
        creationDateTime: t(d.created),
        lastUpdatedDateTime: t(d.updated),
      },
    };
  },
  DeleteDataset: deleteDataset,
  ListSchemas: (state, input: { maxResults?: number; nextToken?: string }) => {
    const { page, nextToken } = paginate(newestFirst(state.schemas.values()), input);
    return compact({
      schemas: page.map((s) => compact({
        name: s.name, schemaArn: s.arn, domain: s.domain, creationDateTime: t(s.created), lastUpdatedDateTime: t(s.created),
      })),
      nextToken,
    });
  },
  ListDatasets: (state, input: { datasetGroupArn?: string; maxResults?: number; nextToken?: string }) => {
    const all = newestFirst(state.datasets.values()).filter((d) => !input.datasetGroupArn || d.datasetGroupArn === input.datasetGroupArn);
    const { page, nextToken } = paginate(all, input);
    return compact({
      datasets: page.map((d) => ({
        name: d.name,
        datasetArn: d.arn,
        datasetType: d.datasetType,
        status: d.status,
        creationDateTime: t(d.created),
        lastUpdatedDateTime: t(d.updated),
      })),
      nextToken,
    });
  },
  CreateDatasetImportJob: createDatasetImportJob,
  ListDatasetImportJobs: (state, input: { datasetArn?: string; maxResults?: number; nextToken?: string }) => {
    const all = newestFirst(state.importJobs.values()).filter((j) => !input.datasetArn || j.datasetArn === input.datasetArn);
    const { page, nextToken } = paginate(all, input);
    return compact({
      datasetImportJobs: page.map((j) => compact({
        jobName: j.jobName,
        datasetImportJobArn: j.arn,
        status: j.status,
        importMode: j.importMode,
        failureReason: j.failureReason,
        creationDateTime: t(j.created),
        lastUpdatedDateTime: t(j.updated),
      })),
      nextToken,
    });
  },
  DescribeDatasetImportJob: (state, input: { datasetImportJobArn: string }) => {
    const j = state.get(state.importJobs, input.datasetImportJobArn, 'dataset import job');
    return {
      datasetImportJob: compact({
        jobName: j.jobName,
        datasetImportJobArn: j.arn,
        datasetArn: j.datasetArn,
        dataSource: j.dataLocation === undefined ? undefined : { dataLocation: j.dataLocation },
        roleArn: j.roleArn,
        status: j.status,
        importMode: j.importMode,
        publishAttributionMetricsToS3: j.publishAttributionMetricsToS3,
        failureReason: j.failureReason,
        creationDateTime: t(j.created),
        lastUpdatedDateTime: t(j.updated),
      }),
    };
  },
};
