// The SDK is a devDependency on purpose: esbuild bundles it into the handlers.
import {
  CreateDatasetCommand,
  DeleteDatasetCommand,
  DescribeDatasetCommand,
  CreateBatchInferenceJobCommand,
  CreateBatchSegmentJobCommand,
  CreateDatasetImportJobCommand,
  CreateSolutionCommand,
  CreateSolutionVersionCommand,
  DeleteSolutionCommand,
  DescribeBatchInferenceJobCommand,
  DescribeBatchSegmentJobCommand,
  DescribeCampaignCommand,
  DescribeDatasetImportJobCommand,
  DescribeSolutionCommand,
  DescribeSolutionVersionCommand,
  GetSolutionMetricsCommand,
  ListCampaignsCommand,
  ListDatasetImportJobsCommand,
  ListDatasetsCommand,
  ListEventTrackersCommand,
  ListSolutionsCommand,
  ListSolutionVersionsCommand,
  ListTagsForResourceCommand,
  StopSolutionVersionCreationCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateSolutionCommand,
  type CreateDatasetRequest,
  type CreateDatasetResponse,
  type DeleteDatasetRequest,
  type DescribeDatasetRequest,
  type DescribeDatasetResponse,
  type CreateBatchInferenceJobRequest,
  type CreateBatchInferenceJobResponse,
  type CreateBatchSegmentJobRequest,
  type CreateBatchSegmentJobResponse,
  type DescribeBatchInferenceJobRequest,
  type DescribeBatchInferenceJobResponse,
  type DescribeBatchSegmentJobRequest,
  type DescribeBatchSegmentJobResponse,
  type CreateDatasetImportJobRequest,
  type CreateDatasetImportJobResponse,
  type CreateSolutionRequest,
  type CreateSolutionResponse,
  type CreateSolutionVersionRequest,
  type CreateSolutionVersionResponse,
  type DeleteSolutionRequest,
  type DescribeCampaignRequest,
  type DescribeCampaignResponse,
  type DescribeDatasetImportJobRequest,
  type DescribeDatasetImportJobResponse,
  type DescribeSolutionRequest,
  type DescribeSolutionResponse,
  type DescribeSolutionVersionRequest,
  type DescribeSolutionVersionResponse,
  type GetSolutionMetricsRequest,
  type GetSolutionMetricsResponse,
  type ListCampaignsRequest,
  type ListCampaignsResponse,
  type ListDatasetImportJobsRequest,
  type ListDatasetImportJobsResponse,
  type ListDatasetsRequest,
  type ListDatasetsResponse,
  type ListEventTrackersRequest,
  type ListEventTrackersResponse,
  type ListSolutionsRequest,
  type ListSolutionsResponse,
  type ListSolutionVersionsRequest,
  type ListSolutionVersionsResponse,
  type ListTagsForResourceRequest,
  type ListTagsForResourceResponse,
  type PersonalizeClient,
  type StopSolutionVersionCreationRequest,
  type TagResourceRequest,
  type UntagResourceRequest,
  type UpdateSolutionRequest,
  type UpdateSolutionResponse,
} from '@aws-sdk/client-personalize';
import { callService } from '../framework/errors';

/**
 * Every Personalize operation the handlers call, and nothing else. Each one needs an IAM grant on
 * the role of the function that calls it; a test checks the grants against this list.
 */
export interface PersonalizeApi {
  createSolution(input: CreateSolutionRequest): Promise<CreateSolutionResponse>;
  describeSolution(input: DescribeSolutionRequest): Promise<DescribeSolutionResponse>;
  updateSolution(input: UpdateSolutionRequest): Promise<UpdateSolutionResponse>;
  deleteSolution(input: DeleteSolutionRequest): Promise<unknown>;
  createSolutionVersion(input: CreateSolutionVersionRequest): Promise<CreateSolutionVersionResponse>;
  describeSolutionVersion(input: DescribeSolutionVersionRequest): Promise<DescribeSolutionVersionResponse>;
  listSolutionVersions(input: ListSolutionVersionsRequest): Promise<ListSolutionVersionsResponse>;
  stopSolutionVersionCreation(input: StopSolutionVersionCreationRequest): Promise<unknown>;
  getSolutionMetrics(input: GetSolutionMetricsRequest): Promise<GetSolutionMetricsResponse>;
  tagResource(input: TagResourceRequest): Promise<unknown>;
  untagResource(input: UntagResourceRequest): Promise<unknown>;
  listTagsForResource(input: ListTagsForResourceRequest): Promise<ListTagsForResourceResponse>;
  createDatasetImportJob(input: CreateDatasetImportJobRequest): Promise<CreateDatasetImportJobResponse>;
  describeDatasetImportJob(input: DescribeDatasetImportJobRequest): Promise<DescribeDatasetImportJobResponse>;
  createDataset(input: CreateDatasetRequest): Promise<CreateDatasetResponse>;
  describeDataset(input: DescribeDatasetRequest): Promise<DescribeDatasetResponse>;
  deleteDataset(input: DeleteDatasetRequest): Promise<unknown>;
  createBatchInferenceJob(input: CreateBatchInferenceJobRequest): Promise<CreateBatchInferenceJobResponse>;
  describeBatchInferenceJob(input: DescribeBatchInferenceJobRequest): Promise<DescribeBatchInferenceJobResponse>;
  createBatchSegmentJob(input: CreateBatchSegmentJobRequest): Promise<CreateBatchSegmentJobResponse>;
  describeBatchSegmentJob(input: DescribeBatchSegmentJobRequest): Promise<DescribeBatchSegmentJobResponse>;
  describeCampaign(input: DescribeCampaignRequest): Promise<DescribeCampaignResponse>;
  listDatasets(input: ListDatasetsRequest): Promise<ListDatasetsResponse>;
  listDatasetImportJobs(input: ListDatasetImportJobsRequest): Promise<ListDatasetImportJobsResponse>;
  listEventTrackers(input: ListEventTrackersRequest): Promise<ListEventTrackersResponse>;
  listCampaigns(input: ListCampaignsRequest): Promise<ListCampaignsResponse>;
  listSolutions(input: ListSolutionsRequest): Promise<ListSolutionsResponse>;
}

/** The operations of PersonalizeApi as IAM names them (`personalize:CreateSolution`, ...). */
export type PersonalizeOperation = keyof PersonalizeApi;

/**
 * PersonalizeApi over the SDK client. A failed call is rethrown as a PersonalizeCallError that
 * names the operation (the bundles are minified, so command class names do not survive).
 */
export class SdkPersonalizeApi implements PersonalizeApi {
  constructor(private readonly client: PersonalizeClient) {}

  public createSolution(input: CreateSolutionRequest) {
    return callService('CreateSolution', () => this.client.send(new CreateSolutionCommand(input)));
  }

  public describeSolution(input: DescribeSolutionRequest) {
    return callService('DescribeSolution', () => this.client.send(new DescribeSolutionCommand(input)));
  }

  public updateSolution(input: UpdateSolutionRequest) {
    return callService('UpdateSolution', () => this.client.send(new UpdateSolutionCommand(input)));
  }

  public deleteSolution(input: DeleteSolutionRequest) {
    return callService('DeleteSolution', () => this.client.send(new DeleteSolutionCommand(input)));
  }

  public createSolutionVersion(input: CreateSolutionVersionRequest) {
    return callService('CreateSolutionVersion', () => this.client.send(new CreateSolutionVersionCommand(input)));
  }

  public describeSolutionVersion(input: DescribeSolutionVersionRequest) {
    return callService('DescribeSolutionVersion', () => this.client.send(new DescribeSolutionVersionCommand(input)));
  }

  public listSolutionVersions(input: ListSolutionVersionsRequest) {
    return callService('ListSolutionVersions', () => this.client.send(new ListSolutionVersionsCommand(input)));
  }

  public stopSolutionVersionCreation(input: StopSolutionVersionCreationRequest) {
    return callService('StopSolutionVersionCreation', () => this.client.send(new StopSolutionVersionCreationCommand(input)));
  }

  public getSolutionMetrics(input: GetSolutionMetricsRequest) {
    return callService('GetSolutionMetrics', () => this.client.send(new GetSolutionMetricsCommand(input)));
  }

  public tagResource(input: TagResourceRequest) {
    return callService('TagResource', () => this.client.send(new TagResourceCommand(input)));
  }

  public untagResource(input: UntagResourceRequest) {
    return callService('UntagResource', () => this.client.send(new UntagResourceCommand(input)));
  }

  public listTagsForResource(input: ListTagsForResourceRequest) {
    return callService('ListTagsForResource', () => this.client.send(new ListTagsForResourceCommand(input)));
  }

  public createDatasetImportJob(input: CreateDatasetImportJobRequest) {
    return callService('CreateDatasetImportJob', () => this.client.send(new CreateDatasetImportJobCommand(input)));
  }

  public describeDatasetImportJob(input: DescribeDatasetImportJobRequest) {
    return callService('DescribeDatasetImportJob', () => this.client.send(new DescribeDatasetImportJobCommand(input)));
  }

  public createDataset(input: CreateDatasetRequest) {
    return callService('CreateDataset', () => this.client.send(new CreateDatasetCommand(input)));
  }

  public describeDataset(input: DescribeDatasetRequest) {
    return callService('DescribeDataset', () => this.client.send(new DescribeDatasetCommand(input)));
  }

  public deleteDataset(input: DeleteDatasetRequest) {
    return callService('DeleteDataset', () => this.client.send(new DeleteDatasetCommand(input)));
  }

  public createBatchInferenceJob(input: CreateBatchInferenceJobRequest) {
    return callService('CreateBatchInferenceJob', () => this.client.send(new CreateBatchInferenceJobCommand(input)));
  }

  public describeBatchInferenceJob(input: DescribeBatchInferenceJobRequest) {
    return callService('DescribeBatchInferenceJob', () => this.client.send(new DescribeBatchInferenceJobCommand(input)));
  }

  public createBatchSegmentJob(input: CreateBatchSegmentJobRequest) {
    return callService('CreateBatchSegmentJob', () => this.client.send(new CreateBatchSegmentJobCommand(input)));
  }

  public describeBatchSegmentJob(input: DescribeBatchSegmentJobRequest) {
    return callService('DescribeBatchSegmentJob', () => this.client.send(new DescribeBatchSegmentJobCommand(input)));
  }

  public describeCampaign(input: DescribeCampaignRequest) {
    return callService('DescribeCampaign', () => this.client.send(new DescribeCampaignCommand(input)));
  }

  public listDatasets(input: ListDatasetsRequest) {
    return callService('ListDatasets', () => this.client.send(new ListDatasetsCommand(input)));
  }

  public listDatasetImportJobs(input: ListDatasetImportJobsRequest) {
    return callService('ListDatasetImportJobs', () => this.client.send(new ListDatasetImportJobsCommand(input)));
  }

  public listEventTrackers(input: ListEventTrackersRequest) {
    return callService('ListEventTrackers', () => this.client.send(new ListEventTrackersCommand(input)));
  }

  public listCampaigns(input: ListCampaignsRequest) {
    return callService('ListCampaigns', () => this.client.send(new ListCampaignsCommand(input)));
  }

  public listSolutions(input: ListSolutionsRequest) {
    return callService('ListSolutions', () => this.client.send(new ListSolutionsCommand(input)));
  }
}

/** The IAM action of an operation: `createSolution` → `personalize:CreateSolution`. */
export function iamActionOf(operation: PersonalizeOperation): string {
  return `personalize:${operation[0].toUpperCase()}${operation.slice(1)}`;
}
