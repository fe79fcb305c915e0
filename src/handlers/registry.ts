import { personalizeClient, sfnClient } from './aws/clients';
import { SdkPersonalizeApi, type PersonalizeApi } from './aws/personalize-api';
import type { CustomResourceLifecycle } from './framework/types';
import { BatchJobHandler } from './resources/batch-job-handler';
import { BatchJobResultHandler } from './resources/batch-job-result-handler';
import { CampaignReadyHandler } from './resources/campaign-ready-handler';
import { DatasetHandler } from './resources/dataset-handler';
import { DatasetImportHandler } from './resources/dataset-import-handler';
import { DatasetImportResultHandler } from './resources/dataset-import-result-handler';
import { PromotionGateHandler } from './resources/promotion-gate-handler';
import { SolutionHandler } from './resources/solution-handler';
import { SolutionVersionHandler } from './resources/solution-version-handler';
import { TrainingResultHandler } from './resources/training-result-handler';
import {
  RETRY_BUDGET_ENV, BATCH_INFERENCE_JOB_RESOURCE_TYPE, BATCH_JOB_RESULT_RESOURCE_TYPE, BATCH_SEGMENT_JOB_RESOURCE_TYPE, CAMPAIGN_READY_RESOURCE_TYPE,
  DATASET_IMPORT_RESOURCE_TYPE, DATASET_IMPORT_RESULT_RESOURCE_TYPE, DATASET_RESOURCE_TYPE, PROMOTION_GATE_RESOURCE_TYPE,
  SOLUTION_RESOURCE_TYPE,
  SOLUTION_VERSION_RESOURCE_TYPE,
  TRAINING_RESULT_RESOURCE_TYPE,
} from '../private/contract';

export { MAX_ATTEMPTS, personalizeClient, sfnClient } from './aws/clients';

type CustomResourceHandlerFactory = (personalize: PersonalizeApi) => CustomResourceLifecycle;

/** Resource type → handler. Serving another custom resource type is one line here. */
const HANDLER_FACTORIES = new Map<string, CustomResourceHandlerFactory>([
  [SOLUTION_RESOURCE_TYPE, (personalize) => new SolutionHandler(personalize)],
  // The Step Functions client is only created when a solution version or import event arrives.
  [SOLUTION_VERSION_RESOURCE_TYPE, (personalize) => new SolutionVersionHandler(personalize, {
    stepFunctions: sfnClient(),
    backoff: { totalBudgetMs: retryBudgetMs() },
  })],
  [TRAINING_RESULT_RESOURCE_TYPE, (personalize) => new TrainingResultHandler(personalize)],
  [DATASET_IMPORT_RESOURCE_TYPE, (personalize) => new DatasetImportHandler(personalize, { stepFunctions: sfnClient() })],
  [DATASET_IMPORT_RESULT_RESOURCE_TYPE, (personalize) => new DatasetImportResultHandler(personalize)],
  [DATASET_RESOURCE_TYPE, (personalize) => new DatasetHandler(personalize)],
  [PROMOTION_GATE_RESOURCE_TYPE, (personalize) => new PromotionGateHandler(personalize)],
  [CAMPAIGN_READY_RESOURCE_TYPE, (personalize) => new CampaignReadyHandler(personalize)],
  [BATCH_INFERENCE_JOB_RESOURCE_TYPE, (personalize) => new BatchJobHandler(personalize, { stepFunctions: sfnClient() })],
  [BATCH_SEGMENT_JOB_RESOURCE_TYPE, (personalize) => new BatchJobHandler(personalize, { stepFunctions: sfnClient() })],
  [BATCH_JOB_RESULT_RESOURCE_TYPE, (personalize) => new BatchJobResultHandler(personalize)],
]);

/**
 * How long CreateSolutionVersion is retried after throttling, quota or not-yet-ACTIVE errors,
 * from the function's environment (the construct sets it to fit the Lambda timeout).
 */
function retryBudgetMs(): number | undefined {
  const seconds = Number(process.env[RETRY_BUDGET_ENV]);
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : undefined;
}

export function handlerFor(resourceType: string): CustomResourceLifecycle {
  const factory = HANDLER_FACTORIES.get(resourceType);
  if (!factory) {
    throw new Error(`Unsupported resource type "${resourceType}" (supported: ${[...HANDLER_FACTORIES.keys()].join(', ')})`);
  }
  return factory(new SdkPersonalizeApi(personalizeClient()));
}
