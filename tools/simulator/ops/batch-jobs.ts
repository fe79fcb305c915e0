// Batch inference and batch segment jobs: run on the simulated clock, write SIMULATED output.
import { alreadyExists, inUse, invalidInput, limitExceeded } from '../errors';
import { BatchJobRec, S, SimState, SolutionVersionRec } from '../state';
import { TIMING } from '../training';
import { Tag, toWireTime as t } from '../wire';
import { HandlerTable, compact } from './common';

/** Per-region quotas of jobs pending or in progress (the quotas page: 5 each). */
const BATCH_JOBS_IN_PROGRESS = 5;
/** [U] Bounds of numResults: batch inference as GetRecommendations (500), segments up to 5 million users. */
const MAX_RESULTS = { inference: 500, segment: 5_000_000 } as const;
/** Lines of SIMULATED output a job writes (the simulator cannot read the input objects). */
const OUTPUT_LINES = 3;

interface S3Config {
  readonly path: string;
  readonly kmsKeyArn?: string;
}

interface BatchJobInput {
  readonly jobName: string;
  readonly solutionVersionArn: string;
  readonly filterArn?: string;
  readonly numResults?: number;
  readonly jobInput: { readonly s3DataSource: S3Config };
  readonly jobOutput: { readonly s3DataDestination: S3Config };
  readonly roleArn: string;
  readonly tags?: Tag[];
}

interface InferenceInput extends BatchJobInput {
  readonly batchInferenceJobConfig?: { readonly itemExplorationConfig?: Record<string, string>; readonly rankingInfluence?: Record<string, number> };
  readonly batchInferenceJobMode?: 'BATCH_INFERENCE' | 'THEME_GENERATION';
  readonly themeGenerationConfig?: { readonly fieldsForThemeGeneration: { readonly itemName: string } };
}

/** Checks what both kinds share and returns the trained version the job uses. */
function checkJob(state: SimState, kind: BatchJobRec['kind'], input: BatchJobInput): SolutionVersionRec {
  const version = state.get(state.versions, input.solutionVersionArn, 'solution version');
  if (version.status !== S.ACTIVE) throw inUse(`Solution version ${version.arn} is ${version.status}; it must be ACTIVE`);
  const solution = state.get(state.solutions, version.solutionArn, 'solution');
  const recipe = solution.recipe;
  if (kind === 'segment' && recipe.recipeType !== 'USER_SEGMENTATION') {
    throw invalidInput(`Batch segment jobs need a USER_SEGMENTATION recipe; solution ${solution.arn} uses ${recipe.name} (${recipe.recipeType})`);
  }
  if (kind === 'inference') {
    if (recipe.recipeType === 'USER_SEGMENTATION') {
      throw invalidInput(`${recipe.name} is a USER_SEGMENTATION recipe: use a batch segment job`);
    }
    if (recipe.name === 'aws-trending-now' || recipe.recipeType === 'PERSONALIZED_ACTIONS') {
      throw invalidInput(`Batch recommendations are not available for ${recipe.name}`);
    }
  }
  if (input.filterArn !== undefined) {
    const filter = state.get(state.filters, input.filterArn, 'filter');
    if (filter.status !== S.ACTIVE) throw inUse(`Filter ${filter.arn} is ${filter.status}; it must be ACTIVE`);
    if (filter.datasetGroupArn !== solution.datasetGroupArn) {
      throw invalidInput(`Filter ${filter.arn} belongs to another dataset group than solution version ${version.arn}`);
    }
  }
  const max = MAX_RESULTS[kind];
  if (input.numResults !== undefined && (input.numResults < 1 || input.numResults > max)) {
    throw invalidInput(`numResults must be from 1 to ${max}, got ${input.numResults}`);
  }
  const running = [...state.batchJobs.values()].filter((j) => j.kind === kind && (j.status === S.PENDING || j.status === S.IN_PROGRESS));
  if (running.length >= BATCH_JOBS_IN_PROGRESS) {
    throw limitExceeded(`More than ${BATCH_JOBS_IN_PROGRESS} resources with PENDING or IN_PROGRESS status.`);
  }
  return version;
}

function startJob(state: SimState, kind: BatchJobRec['kind'], input: BatchJobInput, extra: Partial<BatchJobRec>): string {
  const arn = state.arn(`${kind === 'inference' ? 'batch-inference-job' : 'batch-segment-job'}/${input.jobName}`);
  if (state.batchJobs.has(arn)) throw alreadyExists(arn);
  state.addTags(arn, input.tags);
  const now = state.now();
  const job: BatchJobRec = {
    kind,
    arn,
    jobName: input.jobName,
    solutionVersionArn: input.solutionVersionArn,
    filterArn: input.filterArn,
    numResults: input.numResults ?? (kind === 'inference' ? 25 : 100),
    inputPath: input.jobInput.s3DataSource.path,
    inputKmsKeyArn: input.jobInput.s3DataSource.kmsKeyArn,
    outputPath: input.jobOutput.s3DataDestination.path,
    outputKmsKeyArn: input.jobOutput.s3DataDestination.kmsKeyArn,
    roleArn: input.roleArn,
    ...extra,
    status: S.PENDING,
    created: now,
    updated: now,
  };
  state.batchJobs.set(arn, job);
  const failWith = state.faults.takeBatchFailure();
  state.advanceThrough(job, [[S.IN_PROGRESS, TIMING.stepMs]], () => state.schedule(TIMING.batchJobMs, () => {
    if (job.status !== S.IN_PROGRESS) return;
    if (failWith !== undefined) {
      state.setStatus(job, S.FAILED, failWith);
      return;
    }
    writeOutput(state, job);
    state.setStatus(job, S.ACTIVE);
  }));
  return arn;
}

/**
 * The job's output: one `<input object>.out` under the output path, as Personalize names it. The
 * simulator cannot read the input, so it stands for `batch-input.json` with a few SIMULATED lines.
 */
function writeOutput(state: SimState, job: BatchJobRec): void {
  const uri = `${job.outputPath.endsWith('/') ? job.outputPath : `${job.outputPath}/`}batch-input.json.out`;
  const ids = (prefix: string, seed: number) => Array.from({ length: Math.min(job.numResults, 5) }, (_, i) => `${prefix}${(seed * 7 + i * 13) % 97}`);
  const lines = Array.from({ length: OUTPUT_LINES }, (_, n) => JSON.stringify(job.kind === 'inference'
    ? { input: { userId: `user-${n + 1}` }, output: { recommendedItems: ids('item-', n + 1) }, error: null, simulated: true }
    : { input: { itemId: `item-${n + 1}` }, output: { recommendedUsers: ids('user-', n + 1) }, simulated: true }));
  state.batchOutputs.set(uri, { jobArn: job.arn, uri, lines });
  state.log(`${job.jobName} wrote ${uri} (SIMULATED)`);
}

function createBatchInferenceJob(state: SimState, input: InferenceInput) {
  const version = checkJob(state, 'inference', input);
  const recipe = state.get(state.solutions, version.solutionArn, 'solution').recipe;
  const mode = input.batchInferenceJobMode ?? 'BATCH_INFERENCE';
  if (mode === 'THEME_GENERATION') {
    if (recipe.name !== 'aws-similar-items') throw invalidInput(`THEME_GENERATION needs the Similar-Items recipe, not ${recipe.name}`);
    if (!input.themeGenerationConfig) throw invalidInput('THEME_GENERATION needs themeGenerationConfig');
  } else if (input.themeGenerationConfig) {
    throw invalidInput('themeGenerationConfig is only for batchInferenceJobMode THEME_GENERATION');
  }
  const exploration = input.batchInferenceJobConfig?.itemExplorationConfig;
  if (exploration && !recipe.params.some((p) => p.name === 'explorationWeight')) {
    throw invalidInput(`itemExplorationConfig is not supported by ${recipe.name}`);
  }
  const arn = startJob(state, 'inference', input, {
    mode, config: input.batchInferenceJobConfig, themeGenerationConfig: input.themeGenerationConfig,
  });
  return { batchInferenceJobArn: arn };
}

function body(j: BatchJobRec) {
  return compact({
    jobName: j.jobName,
    solutionVersionArn: j.solutionVersionArn,
    filterArn: j.filterArn,
    numResults: j.numResults,
    jobInput: { s3DataSource: compact({ path: j.inputPath, kmsKeyArn: j.inputKmsKeyArn }) },
    jobOutput: { s3DataDestination: compact({ path: j.outputPath, kmsKeyArn: j.outputKmsKeyArn }) },
    roleArn: j.roleArn,
    status: j.status,
    failureReason: j.failureReason,
    creationDateTime: t(j.created),
    lastUpdatedDateTime: t(j.updated),
  });
}

function batchJob(state: SimState, arn: string, kind: BatchJobRec['kind']): BatchJobRec {
  const job = state.get(state.batchJobs, arn, kind === 'inference' ? 'batch inference job' : 'batch segment job');
  if (job.kind !== kind) throw invalidInput(`${arn} is not a batch ${kind} job`);
  return job;
}

export const batchJobHandlers: HandlerTable = {
  CreateBatchInferenceJob: createBatchInferenceJob,
  DescribeBatchInferenceJob: (state, input: { batchInferenceJobArn: string }) => {
    const j = batchJob(state, input.batchInferenceJobArn, 'inference');
    return {
      batchInferenceJob: compact({
        ...body(j),
        batchInferenceJobArn: j.arn,
        batchInferenceJobMode: j.mode,
        batchInferenceJobConfig: j.config,
        themeGenerationConfig: j.themeGenerationConfig,
      }),
    };
  },
  CreateBatchSegmentJob: (state, input: BatchJobInput) => {
    checkJob(state, 'segment', input);
    return { batchSegmentJobArn: startJob(state, 'segment', input, {}) };
  },
  DescribeBatchSegmentJob: (state, input: { batchSegmentJobArn: string }) => {
    const j = batchJob(state, input.batchSegmentJobArn, 'segment');
    return { batchSegmentJob: { ...body(j), batchSegmentJobArn: j.arn } };
  },
};
