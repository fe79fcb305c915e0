import { batchJobHandlers } from './batch-jobs';
import { campaignHandlers } from './campaigns';
import { HandlerTable } from './common';
import { datasetHandlers } from './datasets';
import { metricAttributionHandlers } from './metric-attributions';
import { miscHandlers } from './misc';
import { recommenderHandlers } from './recommenders';
import { servingHandlers } from './serving';
import { solutionHandlers } from './solutions';

/** Every operation the simulator answers. */
export const OPERATIONS: HandlerTable = {
  ...solutionHandlers,
  ...datasetHandlers,
  ...campaignHandlers,
  ...servingHandlers,
  ...metricAttributionHandlers,
  ...recommenderHandlers,
  ...miscHandlers,
  ...batchJobHandlers,
};

export { seedDatasetGroup } from './datasets';
