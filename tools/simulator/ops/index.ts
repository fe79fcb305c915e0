import { campaignHandlers } from './campaigns';
import { HandlerTable } from './common';
import { datasetHandlers } from './datasets';
import { miscHandlers } from './misc';
import { solutionHandlers } from './solutions';

/** Every operation the simulator answers. */
export const OPERATIONS: HandlerTable = {
  ...solutionHandlers,
  ...datasetHandlers,
  ...campaignHandlers,
  ...miscHandlers,
};

export { seedDatasetGroup } from './datasets';
