import { createHash } from 'crypto';

/**
 * Property and attribute names shared by the constructs and the provider's handlers.
 *
 * Custom resource properties are the Personalize API request members in the API's own camelCase
 * spelling, plus a few control keys in PascalCase (CloudFormation's style) that the handler strips
 * before calling the service. CloudFormation delivers every scalar as a string, so handlers coerce
 * booleans and numbers back before sending them.
 */

/** Resource types served by the per-stack provider. */
export const SOLUTION_RESOURCE_TYPE = 'Custom::PersonalizeSolution';
export const SOLUTION_VERSION_RESOURCE_TYPE = 'Custom::PersonalizeSolutionVersion';
export const TRAINING_RESULT_RESOURCE_TYPE = 'Custom::PersonalizeTrainingResult';

/** Control keys of Custom::PersonalizeSolution (everything else is the CreateSolution request). */
export const SolutionControlKeys = {
  /** "true" when the construct generated `name`; a replacement then gets a fresh suffix. */
  NAME_IS_GENERATED: 'NameIsGenerated',
} as const;

/**
 * Tag key the solution handler adds to each solution it creates: a digest of the members whose
 * change replaces it. Reserved: a solution's own tags cannot use it.
 */
export const SOLUTION_SPEC_TAG = 'cdk-personalize:spec';

/** Attributes returned by Custom::PersonalizeSolution. */
export const SolutionAttributes = {
  SOLUTION_ARN: 'SolutionArn',
  SOLUTION_NAME: 'SolutionName',
} as const;

/** Longest generated base name, leaving room for a `-xxxxxxxx` replacement suffix within 63 characters. */
export const GENERATED_NAME_MAX_LENGTH = 54;

/**
 * Tag of a replaced solution whose deletion waits because a campaign still serves one of its
 * versions (a promotion gate kept it): its value is the stack's id. The stack's campaigns and
 * solutions delete it once nothing serves it.
 */
export const RETIRED_SOLUTION_TAG = 'cdk-personalize:retired';

/** Longest stack part of the generated-name prefix; longer stack names are cut and get a hash of the whole name. */
const STACK_PART_MAX_LENGTH = 24;

/**
 * `<stack name>_`, the prefix of every name the library generates in a stack. Stack names cannot
 * contain `_`, so the prefix is the stack's alone in its account and region.
 */
export function stackNamePrefixOf(stackName: string): string {
  const part = stackName.length <= STACK_PART_MAX_LENGTH
    ? stackName
    : `${stackName.slice(0, STACK_PART_MAX_LENGTH - 7)}${createHash('md5').update(stackName).digest('hex').toUpperCase().slice(0, 7)}`;
  return `${part}_`;
}

/** Properties of Custom::PersonalizeSolutionVersion: see solution-version-spec.ts. */

/** Attributes returned by Custom::PersonalizeSolutionVersion. */
export const SolutionVersionAttributes = {
  SOLUTION_VERSION_ARN: 'SolutionVersionArn',
} as const;

/** Properties of Custom::PersonalizeTrainingResult. */
export const TrainingResultKeys = {
  SOLUTION_VERSION_ARN: 'SolutionVersionArn',
  /** The solution's stack name and construct path, for the metrics' stable dimension (absent for an imported solution). */
  SOLUTION_PATH: 'SolutionPath',
  /** The hyperparameter names the construct reads tuned values of. */
  TUNED_HYPER_PARAMETERS: 'TunedHyperParameters',
  /**
   * The tuned names another solution trains on (`tunedHyperParameters()`): the result fails when
   * HPO reported no value for one of them. Absent when no solution takes them.
   */
  REQUIRED_TUNED_HYPER_PARAMETERS: 'RequiredTunedHyperParameters',
  /** The metric keys the construct reads. */
  METRICS: 'Metrics',
  /** The version's trainingTimeout, to tell a stop at the deadline from another stop. */
  TRAINING_TIMEOUT_SECONDS: 'TrainingTimeoutSeconds',
  /**
   * The declared numeric ranges, `{ name: { min, max, integer } }`, so the result can say where each
   * tuned value landed. Absent without HPO over numeric ranges.
   */
  TUNED_RANGES: 'TunedRanges',
} as const;

/** A numeric HPO range as the training result receives it. */
export interface TunedRangeSpec {
  readonly min: number;
  readonly max: number;
  readonly integer: boolean;
}

/**
 * How close to a bound a continuous value counts as at the bound: this share of the range's width
 * (an integer value is at a bound only when it equals it).
 */
export const BOUND_TOLERANCE = 0.01;

/** Attributes returned by Custom::PersonalizeTrainingResult. */
export const TrainingResultAttributes = {
  STATUS: 'Status',
  TRAINING_HOURS: 'TrainingHours',
  /** tunedHPOParams.algorithmHyperParameters as JSON, keys mapped back to the declared names. */
  TUNED_HPO_PARAMS: 'TunedHPOParams',
  /** The offline metrics as a JSON object of key to number (keys Personalize did not report left out). */
  METRICS_JSON: 'MetricsJson',
  /** Prefix of one tuned value: `Tuned.bptt`. */
  TUNED_PREFIX: 'Tuned.',
  /** Prefix of one metric: `Metric.coverage`. */
  METRIC_PREFIX: 'Metric.',
  /**
   * The tuned hyperparameters HPO set at a bound of their declared range, `name:lower` or
   * `name:upper`, comma-separated ('' when none): the best value may lie beyond the range.
   */
  TUNED_AT_BOUNDS: 'TunedAtBounds',
} as const;

/** What an attribute shows when Personalize did not report the value. */
export const NOT_REPORTED = 'not-reported';

/**
 * The Personalize jobs the per-stack job waiter polls (a job that can outlast CloudFormation's one
 * hour for a custom resource): a solution version's training, a dataset import, a batch job.
 */
export type JobKind = 'training' | 'import' | 'batchInference' | 'batchSegment';

/** Longest a WaitCondition can wait: 12 hours. */
export const MAX_WAIT_SECONDS = 43_200;

/**
 * Longest a job is waited for: the wait condition's 12 hours less one hour, in which the poller
 * notices the deadline (it never waits past it), stops the job if it can and signals, with retries.
 * The longest trainingTimeout, and the wait of every import.
 */
export const MAX_JOB_WAIT_SECONDS = MAX_WAIT_SECONDS - 3600;
export const JOB_KINDS: readonly JobKind[] = ['training', 'import', 'batchInference', 'batchSegment'];

/** Input of the job poller state machine, and of its Lambda tasks. */
export interface JobPollerInput {
  readonly kind: JobKind;
  /** The job's ARN: a solution version's, or a dataset import job's. */
  readonly jobArn: string;
  /** The stack, and the logical ids of the job's custom resource and of its WaitCondition. */
  readonly stackId: string;
  readonly jobLogicalId: string;
  readonly waitLogicalId: string;
  /** Epoch seconds after which the job no longer waited for (a training is then stopped). */
  readonly deadline: number;
  readonly timeoutSeconds: number;
  /** How long the job is expected to take, from earlier jobs of its kind; 0 when unknown. */
  readonly expectedSeconds: number;
}

/** What the poller's `check` task returns, and the execution input starts with. */
export interface JobCheck {
  readonly outcome: 'WAIT' | 'ENDED';
  /** The job's status, e.g. `CREATE IN_PROGRESS` ('' before the first check). */
  readonly status: string;
  /** Why the job ended ('' while waiting), always present so that a JSONPath to it never fails. */
  readonly reason: string;
  /** Seconds the state machine waits before the next task. */
  readonly waitSeconds: number;
}

/** The execution input of the job poller state machine. */
export interface JobExecutionInput extends JobPollerInput {
  /** The state machine waits `check.waitSeconds` before each check; this is the first. */
  readonly check: JobCheck;
}

/** Resource type of a dataset import, served by the per-stack provider. */
export const DATASET_IMPORT_RESOURCE_TYPE = 'Custom::PersonalizeDatasetImport';

/**
 * Control keys of Custom::PersonalizeDatasetImport. Everything else is the CreateDatasetImportJob
 * request without `jobName`, which the handler derives from the prefix and the request.
 */
export const DatasetImportControlKeys = {
  /** The start of every job name; the handler appends `-<8 hex>` unique to the request. */
  JOB_NAME_PREFIX: 'JobNamePrefix',
  /** A string whose change starts a new import of the same source. */
  IMPORT_TRIGGER: 'ImportTrigger',
  /** The logical id of the import's WaitCondition, which the job poller signals once the job ended. */
  WAIT_CONDITION: 'WaitCondition',
  /** The job waiter's state machine. */
  STATE_MACHINE_ARN: 'StateMachineArn',
} as const;

/** Attributes returned by Custom::PersonalizeDatasetImport and Custom::PersonalizeDatasetImportResult. */
export const DatasetImportAttributes = {
  DATASET_IMPORT_JOB_ARN: 'DatasetImportJobArn',
  JOB_NAME: 'JobName',
} as const;

/**
 * Resource type that reads an import's outcome once its wait condition ended: it fails, with
 * Personalize's reason, unless the job is ACTIVE. What trains on the data depends on it.
 */
export const DATASET_IMPORT_RESULT_RESOURCE_TYPE = 'Custom::PersonalizeDatasetImportResult';

/** Properties of Custom::PersonalizeDatasetImportResult. */
export const DatasetImportResultKeys = {
  DATASET_IMPORT_JOB_ARN: 'DatasetImportJobArn',
} as const;

/** Environment variable of the provider's functions: seconds to keep retrying a throttled or refused create. */
export const RETRY_BUDGET_ENV = 'CREATE_RETRY_BUDGET_SECONDS';

/** Resource type of a campaign's promotion gate, served by the per-stack provider. */
export const PROMOTION_GATE_RESOURCE_TYPE = 'Custom::PersonalizePromotionGate';

/** Properties of Custom::PersonalizePromotionGate. */
export const PromotionGateKeys = {
  /** The newly trained version that may be promoted. */
  CANDIDATE_VERSION_ARN: 'CandidateVersionArn',
  /** The campaign whose served version is compared (it may not exist yet). */
  CAMPAIGN_ARN: 'CampaignArn',
  /** The GetSolutionMetrics key compared, e.g. `normalized_discounted_cumulative_gain_at_10`. */
  METRIC: 'Metric',
  /** How much the candidate's value must exceed the served one's (may be negative: a tolerated drop). */
  MIN_IMPROVEMENT: 'MinImprovement',
  /** Fail the deployment when a new candidate is rejected, instead of keeping the served version. */
  FAIL_DEPLOYMENT: 'FailDeployment',
  /** The lowest value a candidate may be promoted with, whatever the data ('' or absent: none). */
  MIN_VALUE: 'MinValue',
  /** On new data, how far below the served value the candidate may be ('' or absent: no limit). */
  MAX_DROP_ON_NEW_DATA: 'MaxDropOnNewData',
  /** On new data, the age in seconds past which a served version gives way to a candidate over the floor. */
  MAX_SERVED_AGE_SECONDS: 'MaxServedAgeSeconds',
} as const;

/** Whether a gate's two versions were trained on the same data. */
export const PromotionBasis = {
  /** The same imports, no event tracker: their metrics are compared. */
  SAME_DATA: 'SAME_DATA',
  /** Different data: the rules for new data apply. */
  NEW_DATA: 'NEW_DATA',
  /** Nothing was compared (a first version, a metric missing, a rollback). */
  NONE: 'NONE',
} as const;

/** Attributes returned by Custom::PersonalizePromotionGate. */
export const PromotionGateAttributes = {
  /** The version the campaign is to serve. */
  SERVED_VERSION_ARN: 'ServedVersionArn',
  /** One of PromotionOutcome. */
  DECISION: 'Decision',
  /** The decision in a sentence, with both versions' values. */
  REASON: 'Reason',
  CANDIDATE_VALUE: 'CandidateValue',
  SERVED_VALUE: 'ServedValue',
  /** One of PromotionBasis. */
  BASIS: 'Basis',
} as const;

/** Resource type that waits for a campaign's latest update, served by the per-stack provider. */
export const CAMPAIGN_READY_RESOURCE_TYPE = 'Custom::PersonalizeCampaignReady';

/**
 * Properties of Custom::PersonalizeCampaignReady: the campaign, and what its template asks it to
 * serve, so that every change CloudFormation applies with UpdateCampaign is an Update here too.
 */
export const CampaignReadyKeys = {
  CAMPAIGN_ARN: 'CampaignArn',
  SOLUTION_VERSION_ARN: 'SolutionVersionArn',
  MIN_PROVISIONED_TPS: 'MinProvisionedTps',
  /** The campaign's configuration as JSON ('' without one). */
  CAMPAIGN_CONFIG: 'CampaignConfig',
  /**
   * 'true' before a promotion gate: the campaign may not exist yet, and a failed update is not this
   * deployment's; only an update still running is waited for. Its other properties then name what
   * the gate decides on, so that the wait runs whenever the gate does.
   */
  BEFORE_GATE: 'BeforeGate',
  /**
   * 'true' for a gated campaign: once settled, the stack's retired solutions it no longer serves
   * are deleted (a gate may have kept a version of a replaced solution).
   */
  CLEANS_UP_RETIRED: 'CleansUpRetired',
} as const;

/** Attributes returned by Custom::PersonalizeCampaignReady. */
export const CampaignReadyAttributes = {
  /** The campaign's ARN, available once its latest update is ACTIVE. */
  CAMPAIGN_ARN: 'CampaignArn',
} as const;

/** What a promotion gate decided. */
export const PromotionOutcome = {
  /** The campaign did not exist: its first version is served as it is. */
  FIRST: 'FIRST',
  /** The candidate is already served. */
  UNCHANGED: 'UNCHANGED',
  /** The candidate beat the served version by the margin. */
  PROMOTED: 'PROMOTED',
  /** The candidate did not: the served version stays. */
  KEPT: 'KEPT',
  /** The candidate is the version the previous decision replaced (a rollback): it is served again. */
  RESTORED: 'RESTORED',
} as const;

/**
 * The CloudWatch namespace of the training results: each trained version's offline metrics (named
 * as GetSolutionMetrics names them) and `TrainingHours`, dimensioned by `SolutionArn`, written by
 * the training result handler in CloudWatch's embedded metric format.
 */
export const TRAINING_METRICS_NAMESPACE = 'CdkPersonalize';
export const TRAINING_METRICS_DIMENSION = 'SolutionArn';
/**
 * The second dimension set of the training results, for solutions of this app: the stack's name
 * and the solution's construct path (`Shop/ForYou`), which a replacement of the solution keeps, so
 * dashboards and alarms keep their history.
 */
export const TRAINING_METRICS_PATH_DIMENSION = 'SolutionPath';
export const TRAINING_HOURS_METRIC = 'TrainingHours';

/** Resource types of batch jobs, served by the per-stack provider. */
export const BATCH_INFERENCE_JOB_RESOURCE_TYPE = 'Custom::PersonalizeBatchInferenceJob';
export const BATCH_SEGMENT_JOB_RESOURCE_TYPE = 'Custom::PersonalizeBatchSegmentJob';

/**
 * Control keys of the batch job resources. Everything else is the CreateBatchInferenceJob (or
 * CreateBatchSegmentJob) request without `jobName`, which the handler derives from the prefix and
 * the request; it also appends `<jobName>/` to the output path, so that each job writes apart.
 */
export const BatchJobControlKeys = {
  JOB_NAME_PREFIX: 'JobNamePrefix',
  /** A string whose change runs the job again. */
  JOB_TRIGGER: 'JobTrigger',
  WAIT_CONDITION: 'WaitCondition',
  STATE_MACHINE_ARN: 'StateMachineArn',
} as const;

/** Attributes of the batch job resources and of their result. */
export const BatchJobAttributes = {
  JOB_ARN: 'JobArn',
  JOB_NAME: 'JobName',
  /** The S3 path the job writes to: the output path and the job's name. */
  OUTPUT_LOCATION: 'OutputLocation',
} as const;

/** Resource type that reads a batch job's outcome once its wait condition ended. */
export const BATCH_JOB_RESULT_RESOURCE_TYPE = 'Custom::PersonalizeBatchJobResult';

/** Properties of Custom::PersonalizeBatchJobResult. */
export const BatchJobResultKeys = {
  JOB_ARN: 'JobArn',
} as const;

/**
 * Resource type of a dataset CloudFormation cannot create (Actions, Action_Interactions). Its
 * properties are CreateDataset's members: name, datasetGroupArn, datasetType, schemaArn.
 */
export const DATASET_RESOURCE_TYPE = 'Custom::PersonalizeDataset';

/** Attributes returned by Custom::PersonalizeDataset. */
export const DatasetAttributeNames = {
  DATASET_ARN: 'DatasetArn',
} as const;
