/** Dataset groups, schemas and datasets (with their import jobs). */
import {
  CreateDatasetCommand, CreateDatasetGroupCommand, CreateDatasetImportJobCommand, CreateSchemaCommand, DeleteDatasetCommand,
  DeleteDatasetGroupCommand, DeleteSchemaCommand, DescribeDatasetCommand, DescribeDatasetGroupCommand, DescribeDatasetImportJobCommand,
  DescribeSchemaCommand, PersonalizeClient, TagResourceCommand,
} from '@aws-sdk/client-personalize';
import {
  personalizeOf, created, waitForActive, deleteAndWait, tagsOf, nameOf, same, recordedPersonalize,
} from './personalize-common';
import type { ResourceContext, ResourceProvisioner } from '../protocol/resources';

const recordedDatasetGroup = recordedPersonalize('dataset-group', 'DatasetGroupArn');
const recordedSchema = recordedPersonalize('schema', 'SchemaArn');
const recordedDataset = recordedPersonalize('dataset', 'DatasetArn');

// ---------------------------------------------------------------------------------------------
// AWS::Personalize::DatasetGroup

export const datasetGroup: ResourceProvisioner = {
  async create(ctx, props) {
    const personalize = personalizeOf(ctx);
    if (!personalize) return recordedDatasetGroup.create(ctx, props);
    const { datasetGroupArn } = await personalize.send(new CreateDatasetGroupCommand({
      name: nameOf(ctx, props),
      roleArn: props.RoleArn as string | undefined,
      kmsKeyArn: props.KmsKeyArn as string | undefined,
      domain: props.Domain as any,
      tags: tagsOf(props),
    }));
    await created(datasetGroupArn!, () => waitForActive(ctx, `dataset group ${datasetGroupArn}`, datasetGroupArn!, async () =>
      (await personalize.send(new DescribeDatasetGroupCommand({ datasetGroupArn }))).datasetGroup));
    return { physicalId: datasetGroupArn!, attributes: { DatasetGroupArn: datasetGroupArn } };
  },
  async delete(ctx, current) {
    const personalize = personalizeOf(ctx);
    if (!personalize || current.recorded) return;
    const datasetGroupArn = current.physicalId;
    // A group that still holds resources stays in use: fail at once, with Personalize's message.
    await deleteAndWait(ctx, datasetGroupArn,
      () => personalize.send(new DeleteDatasetGroupCommand({ datasetGroupArn })),
      () => personalize.send(new DescribeDatasetGroupCommand({ datasetGroupArn })));
  },
};

// ---------------------------------------------------------------------------------------------
// AWS::Personalize::Schema: every property requires replacement, so there is no update. A schema
// has no status: it exists once CreateSchema answers.

export const schema: ResourceProvisioner = {
  async create(ctx, props) {
    const personalize = personalizeOf(ctx);
    if (!personalize) return recordedSchema.create(ctx, props);
    const { schemaArn } = await personalize.send(new CreateSchemaCommand({
      name: nameOf(ctx, props),
      schema: props.Schema as string,
      domain: props.Domain as any,
    }));
    // CreateSchema takes no tags; CloudFormation tags the schema afterwards.
    const tags = tagsOf(props);
    if (tags?.length) await created(schemaArn!, () => personalize.send(new TagResourceCommand({ resourceArn: schemaArn, tags })));
    return { physicalId: schemaArn!, attributes: { SchemaArn: schemaArn } };
  },
  async delete(ctx, current) {
    const personalize = personalizeOf(ctx);
    if (!personalize || current.recorded) return;
    const schemaArn = current.physicalId;
    await deleteAndWait(ctx, schemaArn,
      () => personalize.send(new DeleteSchemaCommand({ schemaArn })),
      () => personalize.send(new DescribeSchemaCommand({ schemaArn })));
  },
};

// ---------------------------------------------------------------------------------------------
// AWS::Personalize::Dataset: every property but DatasetImportJob requires replacement. An embedded
// DatasetImportJob is started once the dataset is ACTIVE and waited for (whether CloudFormation
// waits is not documented); a changed one is started again by an update.

interface ImportJobSpec {
  readonly JobName?: string;
  readonly RoleArn?: string;
  readonly DataSource?: { readonly DataLocation?: string };
}

async function runImportJob(ctx: ResourceContext, personalize: PersonalizeClient, datasetArn: string, spec: ImportJobSpec): Promise<string> {
  const { datasetImportJobArn } = await personalize.send(new CreateDatasetImportJobCommand({
    jobName: spec.JobName ?? ctx.physicalName({ maxLength: 63 }),
    datasetArn,
    dataSource: { dataLocation: spec.DataSource?.DataLocation },
    roleArn: spec.RoleArn,
  }));
  await waitForActive(ctx, `dataset import job ${datasetImportJobArn}`, datasetArn, async () =>
    (await personalize.send(new DescribeDatasetImportJobCommand({ datasetImportJobArn }))).datasetImportJob);
  return datasetImportJobArn!;
}

export const dataset: ResourceProvisioner = {
  async create(ctx, props) {
    const personalize = personalizeOf(ctx);
    if (!personalize) return recordedDataset.create(ctx, props);
    const { datasetArn } = await personalize.send(new CreateDatasetCommand({
      name: nameOf(ctx, props),
      datasetGroupArn: props.DatasetGroupArn as string,
      datasetType: props.DatasetType as string,
      schemaArn: props.SchemaArn as string,
      tags: tagsOf(props),
    }));
    await created(datasetArn!, async () => {
      await waitForActive(ctx, `dataset ${datasetArn}`, datasetArn!, async () =>
        (await personalize.send(new DescribeDatasetCommand({ datasetArn }))).dataset);
      if (props.DatasetImportJob) await runImportJob(ctx, personalize, datasetArn!, props.DatasetImportJob as ImportJobSpec);
    });
    return { physicalId: datasetArn!, attributes: { DatasetArn: datasetArn } };
  },
  async update(ctx, current, props) {
    const personalize = personalizeOf(ctx);
    if (!personalize || current.recorded) return recordedDataset.update!(ctx, current, props);
    const { DatasetImportJob: newJob, ...rest } = props;
    const { DatasetImportJob: oldJob, ...oldRest } = current.properties;
    if (!same(rest, oldRest)) return dataset.create(ctx, props);
    if (newJob && !same(newJob, oldJob)) await runImportJob(ctx, personalize, current.physicalId, newJob as ImportJobSpec);
    return { physicalId: current.physicalId, attributes: current.attributes };
  },
  async delete(ctx, current) {
    const personalize = personalizeOf(ctx);
    if (!personalize || current.recorded) return;
    const datasetArn = current.physicalId;
    // [U] open fact 33: a dataset whose import still runs is deleted once the import has ended
    // (CloudFormation's Dataset handler waits up to 36 hours for its own import).
    await deleteAndWait(ctx, datasetArn,
      () => personalize.send(new DeleteDatasetCommand({ datasetArn })),
      () => personalize.send(new DescribeDatasetCommand({ datasetArn })), true);
  },
};
