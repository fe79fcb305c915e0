import { personalizeClient, sfnClient } from './clients';
import { DatasetImportHandler } from './dataset-import';
import { SolutionHandler } from './solution';
import { SolutionVersionHandler } from './solution-version';
import { TrainingResultHandler } from './training-result';
import type { ResourceHandler, ResourceHandlerFactory } from './types';
import {
  DATASET_IMPORT_RESOURCE_TYPE, SOLUTION_RESOURCE_TYPE, SOLUTION_VERSION_RESOURCE_TYPE, TRAINING_RESULT_RESOURCE_TYPE,
} from '../private/contract';

export { MAX_ATTEMPTS, personalizeClient, sfnClient } from './clients';

/** Resource type → handler. Serving another custom resource type is one line here. */
const HANDLERS = new Map<string, ResourceHandlerFactory>([
  [SOLUTION_RESOURCE_TYPE, (personalize) => new SolutionHandler(personalize)],
  // The Step Functions client is only created when a solution version event arrives.
  [SOLUTION_VERSION_RESOURCE_TYPE, (personalize) => new SolutionVersionHandler(personalize, sfnClient())],
  [TRAINING_RESULT_RESOURCE_TYPE, (personalize) => new TrainingResultHandler(personalize)],
  [DATASET_IMPORT_RESOURCE_TYPE, (personalize) => new DatasetImportHandler(personalize)],
]);

export function handlerFor(resourceType: string): ResourceHandler {
  const factory = HANDLERS.get(resourceType);
  if (!factory) {
    throw new Error(`Unsupported resource type "${resourceType}" (supported: ${[...HANDLERS.keys()].join(', ')})`);
  }
  return factory(personalizeClient());
}
