// Event trackers and filters: what serving reads besides campaigns.
import { ServiceError, alreadyExists, inUse, invalidInput } from '../errors';
import { ParsedComparison, parseFilterExpression } from '../filter-expression';
import { DatasetGroupRec, EventTrackerRec, FilterRec, S, SimState } from '../state';
import { TIMING } from '../training';
import { Tag, toWireTime as t } from '../wire';
import { HandlerTable, compact, deleteLater, newestFirst, paginate } from './common';

const CREATE_STEPS = [[S.IN_PROGRESS, TIMING.stepMs], [S.ACTIVE, TIMING.stepMs]] as const;
/** Distinct dataset fields a filter may read (filter guidelines). */
const FIELDS_PER_FILTER = 10;
/** Filters per dataset group (the default quota). */
const FILTERS_PER_GROUP = 30;

function activeGroup(state: SimState, arn: string): DatasetGroupRec {
  const group = state.get(state.datasetGroups, arn, 'dataset group');
  if (group.status !== S.ACTIVE) throw inUse(`Dataset group ${group.arn} is ${group.status}; it must be ACTIVE`);
  return group;
}

// ---------------------------------------------------------------------------------------------
// Event trackers: one per dataset group.

function createEventTracker(state: SimState, input: { name: string; datasetGroupArn: string; tags?: Tag[] }) {
  const group = activeGroup(state, input.datasetGroupArn);
  if ([...state.eventTrackers.values()].some(e => e.name === input.name)) throw alreadyExists(`event tracker ${input.name}`);
  const other = [...state.eventTrackers.values()].find(e => e.datasetGroupArn === group.arn);
  // [U] The error name: the documentation only says "you will get an error".
  if (other) throw new ServiceError('ResourceAlreadyExistsException', `Dataset group ${group.arn} already has event tracker ${other.arn}; only one event tracker can be associated with a dataset group`);
  const id = state.nextId().toString(16).padStart(8, '0');
  const arn = state.arn(`event-tracker/${id}`);
  state.addTags(arn, input.tags);
  const now = state.now();
  const tracker: EventTrackerRec = {
    arn, name: input.name, datasetGroupArn: group.arn, trackingId: `sim-tracking-${id}`, status: S.PENDING, created: now, updated: now,
  };
  state.eventTrackers.set(arn, tracker);
  state.advanceThrough(tracker, CREATE_STEPS);
  return { eventTrackerArn: arn, trackingId: tracker.trackingId };
}

const trackerBody = (state: SimState, e: EventTrackerRec) => compact({
  name: e.name,
  eventTrackerArn: e.arn,
  accountId: state.options.accountId,
  trackingId: e.trackingId,
  datasetGroupArn: e.datasetGroupArn,
  status: e.status,
  creationDateTime: t(e.created),
  lastUpdatedDateTime: t(e.updated),
});

// ---------------------------------------------------------------------------------------------
// Filters: the expression is checked against the schemas of the group's datasets.

interface Column { readonly types: string[]; readonly categorical: boolean; readonly textual: boolean }

function columnsOf(state: SimState, groupArn: string, dataset: string): Map<string, Column> | undefined {
  const type = dataset.toUpperCase();
  const d = [...state.datasets.values()].find(x => x.datasetGroupArn === groupArn && x.datasetType === type && x.status === S.ACTIVE);
  if (!d) return undefined;
  const schema = state.schemas.get(d.schemaArn);
  const fields = (JSON.parse(schema?.schema ?? '{}') as { fields?: Array<Record<string, unknown>> }).fields ?? [];
  return new Map(fields.map(f => [String(f.name).toUpperCase(), {
    types: (Array.isArray(f.type) ? f.type : [f.type]).filter(x => x !== 'null') as string[],
    categorical: f.categorical === true,
    textual: f.textual === true,
  }]));
}

function checkComparison(state: SimState, groupArn: string, c: ParsedComparison, fields: Set<string>): void {
  const dataset = c.dataset === 'CurrentUser' ? 'Users' : c.dataset;
  const list = c.operator === 'IN' || c.operator === 'NOT IN';
  if (c.operator === 'NOT IN' && c.values.some(v => v.startsWith('$'))) {
    throw invalidInput(`Filter expression: placeholder parameters cannot be used with NOT IN (${c.dataset}.${c.field})`);
  }
  const columns = columnsOf(state, groupArn, dataset);
  if (!columns) throw invalidInput(`Filter expression uses ${dataset}, but dataset group ${groupArn} has no ${dataset} dataset`);
  fields.add(`${dataset}.${c.field.toUpperCase()}`);
  if (dataset === 'Interactions' || dataset === 'Action_Interactions') {
    if (c.field !== 'EVENT_TYPE') throw invalidInput(`Filter expression: interactions can only be filtered by EVENT_TYPE, not ${c.field}`);
    if (!list) throw invalidInput(`Filter expression: ${c.dataset}.EVENT_TYPE can only be used with IN or NOT IN`);
    return;
  }
  const column = columns.get(c.field.toUpperCase());
  if (!column) throw invalidInput(`Filter expression: the ${dataset} schema has no field ${c.field}`);
  if (column.textual) throw invalidInput(`Filter expression: ${c.field} is textual; filters cannot use unstructured text`);
  if (column.types.includes('boolean')) throw invalidInput(`Filter expression: ${c.field} is boolean; filters cannot use boolean fields`);
  if (list && !column.types.includes('string')) throw invalidInput(`Filter expression: ${c.field} is not a string field; IN and NOT IN match strings`);
  if (!list && !column.types.some(x => ['int', 'long', 'float', 'double'].includes(x))) {
    throw invalidInput(`Filter expression: ${c.field} is not numeric; ${c.operator} compares numbers`);
  }
  for (const v of c.values.filter(x => x.startsWith('CurrentItem.'))) {
    const field = v.slice('CurrentItem.'.length);
    fields.add(`Items.${field.toUpperCase()}`);
    if (!columnsOf(state, groupArn, 'Items')?.has(field.toUpperCase())) throw invalidInput(`Filter expression: the Items schema has no field ${field} (${v})`);
  }
}

function checkExpression(state: SimState, groupArn: string, expression: string): void {
  const fields = new Set<string>();
  for (const part of parseFilterExpression(expression)) {
    const first = part.comparisons[0].dataset;
    for (const c of part.comparisons) {
      if (c.dataset === 'CurrentUser') throw invalidInput('Filter expression: CurrentUser can only be used in an IF condition');
      if (c.dataset !== first) throw invalidInput(`Filter expression: ${c.dataset} and ${first} cannot be used in one expression; chain expressions with |`);
      checkComparison(state, groupArn, c, fields);
    }
    for (const c of part.ifComparisons) {
      if (c.dataset !== 'CurrentUser') throw invalidInput(`Filter expression: an IF condition can only use CurrentUser, not ${c.dataset}`);
      checkComparison(state, groupArn, c, fields);
    }
  }
  if (fields.size > FIELDS_PER_FILTER) throw invalidInput(`Filter expression reads ${fields.size} dataset fields; at most ${FIELDS_PER_FILTER}`);
}

function createFilter(state: SimState, input: { name: string; datasetGroupArn: string; filterExpression: string; tags?: Tag[] }) {
  const group = activeGroup(state, input.datasetGroupArn);
  const arn = state.arn(`filter/${input.name}`);
  if (state.filters.has(arn)) throw alreadyExists(arn);
  const inGroup = [...state.filters.values()].filter(f => f.datasetGroupArn === group.arn);
  if (inGroup.length >= FILTERS_PER_GROUP) {
    throw new ServiceError('LimitExceededException', `Dataset group ${group.arn} has ${inGroup.length} filters; the quota is ${FILTERS_PER_GROUP}`);
  }
  checkExpression(state, group.arn, input.filterExpression);
  state.addTags(arn, input.tags);
  const now = state.now();
  const filter: FilterRec = {
    arn, name: input.name, datasetGroupArn: group.arn, filterExpression: input.filterExpression, status: S.PENDING, created: now, updated: now,
  };
  state.filters.set(arn, filter);
  state.advanceThrough(filter, CREATE_STEPS);
  return { filterArn: arn };
}

const filterBody = (f: FilterRec) => compact({
  name: f.name,
  filterArn: f.arn,
  datasetGroupArn: f.datasetGroupArn,
  filterExpression: f.filterExpression,
  status: f.status,
  failureReason: f.failureReason,
  creationDateTime: t(f.created),
  lastUpdatedDateTime: t(f.updated),
});

/** Datasets a filter reads, as upper-case dataset types. */
export function datasetTypesReadBy(expression: string): Set<string> {
  const types = new Set<string>();
  for (const part of parseFilterExpression(expression)) {
    for (const c of [...part.comparisons, ...part.ifComparisons]) {
      types.add((c.dataset === 'CurrentUser' ? 'Users' : c.dataset).toUpperCase());
      if (c.values.some(v => v.startsWith('CurrentItem.'))) types.add('ITEMS');
    }
  }
  return types;
}

export const servingHandlers: HandlerTable = {
  CreateEventTracker: createEventTracker,
  DescribeEventTracker: (state, input: { eventTrackerArn: string }) =>
    ({ eventTracker: trackerBody(state, state.get(state.eventTrackers, input.eventTrackerArn, 'event tracker')) }),
  DeleteEventTracker: (state, input: { eventTrackerArn: string }) => {
    const e = state.get(state.eventTrackers, input.eventTrackerArn, 'event tracker');
    if (e.status !== S.ACTIVE && e.status !== S.FAILED) throw inUse(`Event tracker ${e.arn} is ${e.status}`);
    deleteLater(state, e, () => state.remove(state.eventTrackers, e.arn));
    return {};
  },
  ListEventTrackers: (state, input: { datasetGroupArn?: string; maxResults?: number; nextToken?: string }) => {
    const all = newestFirst(state.eventTrackers.values()).filter(e => !input.datasetGroupArn || e.datasetGroupArn === input.datasetGroupArn);
    const { page, nextToken } = paginate(all, input);
    return compact({
      eventTrackers: page.map(e => compact({
        name: e.name, eventTrackerArn: e.arn, status: e.status, creationDateTime: t(e.created), lastUpdatedDateTime: t(e.updated),
      })),
      nextToken,
    });
  },
  CreateFilter: createFilter,
  DescribeFilter: (state, input: { filterArn: string }) => ({ filter: filterBody(state.get(state.filters, input.filterArn, 'filter')) }),
  DeleteFilter: (state, input: { filterArn: string }) => {
    const f = state.get(state.filters, input.filterArn, 'filter');
    if (f.status !== S.ACTIVE && f.status !== S.FAILED) throw inUse(`Filter ${f.arn} is ${f.status}`);
    deleteLater(state, f, () => state.remove(state.filters, f.arn));
    return {};
  },
  ListFilters: (state, input: { datasetGroupArn?: string; maxResults?: number; nextToken?: string }) => {
    const all = newestFirst(state.filters.values()).filter(f => !input.datasetGroupArn || f.datasetGroupArn === input.datasetGroupArn);
    const { page, nextToken } = paginate(all, input);
    return compact({
      Filters: page.map(f => compact({
        name: f.name,
        filterArn: f.arn,
        datasetGroupArn: f.datasetGroupArn,
        status: f.status,
        creationDateTime: t(f.created),
        lastUpdatedDateTime: t(f.updated),
      })),
      nextToken,
    });
  },
};
