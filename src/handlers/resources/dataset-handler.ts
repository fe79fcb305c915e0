import { DatasetAttributeNames } from '../../private/contract';
import type { PersonalizeApi } from '../aws/personalize-api';
import { Status } from '../aws/status';
import { CustomResourceHandler, unhandled, type Decided } from '../framework/custom-resource-handler';
import { isErrorNamed, RESOURCE_IN_USE, RESOURCE_NOT_FOUND } from '../framework/errors';
import { requiredStr } from '../framework/request';
import type { IsCompleteRequest, IsCompleteResponse, OnEventRequest, ResourceProperties } from '../framework/types';

const ALREADY_EXISTS = 'ResourceAlreadyExistsException';

/** Custom::PersonalizeDataset properties: CreateDataset's members. */
export interface DatasetSpec {
  readonly name: string;
  readonly datasetGroupArn: string;
  readonly datasetType: string;
  readonly schemaArn: string;
}

export function parseDatasetSpec(props: ResourceProperties): DatasetSpec {
  return {
    name: requiredStr(props.name, 'name'),
    datasetGroupArn: requiredStr(props.datasetGroupArn, 'datasetGroupArn'),
    datasetType: requiredStr(props.datasetType, 'datasetType'),
    schemaArn: requiredStr(props.schemaArn, 'schemaArn'),
  };
}

type DatasetDecision =
  /** Created (or taken over): wait until ACTIVE. */
  | { readonly action: 'creating' }
  /** Delete: wait until gone, sending DeleteDataset again while an import keeps it in use. */
  | { readonly action: 'deleting' }
  | { readonly action: 'kept' };

/**
 * Custom::PersonalizeDataset: the Actions and Action_Interactions datasets Next-Best-Action needs,
 * which AWS::Personalize::Dataset cannot create. The physical id is the dataset's ARN. Every member
 * is fixed, as for AWS::Personalize::Dataset; a group holds one dataset of each type, so a changed
 * dataset cannot be created next to the old one: an update that changes one is refused, by name.
 */
export class DatasetHandler extends CustomResourceHandler<DatasetDecision> {
  constructor(private readonly personalize: PersonalizeApi) {
    super(['creating', 'deleting', 'kept']);
  }

  protected async onCreate(event: OnEventRequest): Promise<Decided<DatasetDecision>> {
    const spec = parseDatasetSpec(event.ResourceProperties);
    let arn: string;
    try {
      console.log(`CreateDataset ${spec.name} (${spec.datasetType}) in ${spec.datasetGroupArn}`);
      arn = (await this.personalize.createDataset({ ...spec })).datasetArn!;
    } catch (err) {
      if (!isErrorNamed(err, ALREADY_EXISTS)) {
        throw err;
      }
      arn = await this.existing(spec, (err as Error).message);
    }
    return { PhysicalResourceId: arn, Data: { [DatasetAttributeNames.DATASET_ARN]: arn }, Decision: { action: 'creating' } };
  }

  protected async onUpdate(event: OnEventRequest): Promise<Decided<DatasetDecision>> {
    const before = parseDatasetSpec(event.OldResourceProperties ?? {});
    const after = parseDatasetSpec(event.ResourceProperties);
    const changed = (Object.keys(after) as Array<keyof DatasetSpec>).filter(key => before[key] !== after[key]);
    if (changed.length > 0) {
      throw new Error(`A dataset's ${changed.join(', ')} cannot change: a dataset group holds one ${after.datasetType} dataset, so a new one ` +
        'cannot be created next to it. Delete the dataset in one deploy and add it again in the next.');
    }
    const arn = event.PhysicalResourceId!;
    return { PhysicalResourceId: arn, Data: { [DatasetAttributeNames.DATASET_ARN]: arn }, Decision: { action: 'kept' } };
  }

  protected async onDelete(event: OnEventRequest): Promise<Decided<DatasetDecision>> {
    await this.sendDelete(event.PhysicalResourceId);
    return { PhysicalResourceId: event.PhysicalResourceId, Decision: { action: 'deleting' } };
  }

  protected async isDone(event: IsCompleteRequest, decision: DatasetDecision): Promise<IsCompleteResponse> {
    switch (decision.action) {
      case 'creating':
        return this.isActive(event.PhysicalResourceId!);
      case 'deleting':
        return this.isGone(event.PhysicalResourceId);
      case 'kept':
        return { IsComplete: true };
      default:
        return unhandled(decision);
    }
  }

  /** A dataset of this type already in the group: taken over when it is this one (a repeated request). */
  private async existing(spec: DatasetSpec, message: string): Promise<string> {
    const group = /dataset-group\/([^/]+)$/.exec(spec.datasetGroupArn)?.[1];
    const arn = `${spec.datasetGroupArn.replace(/dataset-group\/[^/]+$/, 'dataset/')}${group}/${spec.datasetType.toUpperCase()}`;
    const { dataset } = await this.personalize.describeDataset({ datasetArn: arn });
    if (dataset?.name !== spec.name || dataset.schemaArn !== spec.schemaArn) {
      throw new Error(`Dataset group ${spec.datasetGroupArn} already has ${spec.datasetType} dataset ${dataset?.name ?? arn} (${message})`);
    }
    console.log(`Dataset ${spec.name} already exists (this request was delivered before); taking it over`);
    return arn;
  }

  private async isActive(arn: string): Promise<IsCompleteResponse> {
    const { dataset } = await this.personalize.describeDataset({ datasetArn: arn });
    switch (dataset?.status) {
      case Status.ACTIVE:
        return { IsComplete: true };
      case Status.CREATE_FAILED:
        throw new Error(`Dataset ${arn} could not be created: ${(dataset as { failureReason?: string }).failureReason ?? 'Personalize gave no reason'}`);
      default:
        console.log(`Dataset ${arn} is ${dataset?.status}`);
        return { IsComplete: false };
    }
  }

  /** DeleteDataset; false when Personalize refused because an import into it still runs. */
  private async sendDelete(arn: string | undefined): Promise<boolean> {
    if (!arn?.includes(':dataset/')) {
      return true;
    }
    try {
      console.log(`DeleteDataset ${arn}`);
      await this.personalize.deleteDataset({ datasetArn: arn });
      return true;
    } catch (err) {
      if (isErrorNamed(err, RESOURCE_NOT_FOUND)) {
        return true;
      }
      if (isErrorNamed(err, RESOURCE_IN_USE)) {
        console.log(`Not yet: ${(err as Error).message}`);
        return false;
      }
      throw err;
    }
  }

  private async isGone(arn: string | undefined): Promise<IsCompleteResponse> {
    if (!arn?.includes(':dataset/')) {
      return { IsComplete: true };
    }
    try {
      const { dataset } = await this.personalize.describeDataset({ datasetArn: arn });
      if (dataset?.status !== undefined && !dataset.status.startsWith('DELETE')) {
        await this.sendDelete(arn);
      }
      return { IsComplete: false };
    } catch (err) {
      if (isErrorNamed(err, RESOURCE_NOT_FOUND)) {
        return { IsComplete: true };
      }
      throw err;
    }
  }
}
