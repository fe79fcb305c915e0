import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { columnsOfSchema, type ColumnsLookup, type SchemaColumn } from './filter-rules';

/** What a dataset construct of this app looks like here (matched by shape: the core imports nothing public). */
interface DatasetLike {
  readonly datasetGroup: unknown;
  readonly datasetType?: string;
  readonly schema: { readonly schemaJson?: string };
}

function isDatasetOf(c: IConstruct, group: unknown): c is IConstruct & DatasetLike {
  const d = c as unknown as Partial<DatasetLike>;
  return d.datasetGroup === group && typeof d.datasetType === 'string' && typeof d.schema === 'object' && d.schema !== null;
}

/**
 * The columns of `group`'s datasets in this app, by dataset type: a map; `undefined` when the app
 * has no such dataset in the group; `'unknown'` when its schema is imported or a token.
 */
export function groupColumns(scope: IConstruct, group: unknown): ColumnsLookup {
  const datasets = scope.node.root.node.findAll().filter(c => isDatasetOf(c, group)) as Array<IConstruct & DatasetLike>;
  return type => {
    const dataset = datasets.find(d => d.datasetType === type);
    if (!dataset) {
      return undefined;
    }
    const json = dataset.schema.schemaJson;
    if (json === undefined || Token.isUnresolved(json)) {
      return 'unknown';
    }
    try {
      return columnsOfSchema(JSON.parse(json)) ?? 'unknown';
    } catch {
      return 'unknown';
    }
  };
}

export type { SchemaColumn };
