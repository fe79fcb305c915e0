import type { Domain, ImportMode, TrainingMode } from '@aws-sdk/client-personalize';
import { ServiceClock } from './clock';
import { ServiceError, notFound } from './errors';
import { FaultInjector, ImportDataSpec } from './faults';
import { SearchSpace } from './hpo';
import { RecipeCatalog, RecipeInfo } from './recipe-catalog';
import { HpoJobs, TIMING, TrainingPlan } from './training';
import { SolutionConfigInput, SolutionUpdateConfigInput, Tag } from './wire';

/** Status strings exactly as the service writes them (with spaces). */
export const S = {
  PENDING: 'CREATE PENDING',
  IN_PROGRESS: 'CREATE IN_PROGRESS',
  ACTIVE: 'ACTIVE',
  FAILED: 'CREATE FAILED',
  STOPPING: 'CREATE STOPPING',
  STOPPED: 'CREATE STOPPED',
  DELETE_PENDING: 'DELETE PENDING',
  DELETE_IN_PROGRESS: 'DELETE IN_PROGRESS',
} as const;

/** Version states that still occupy a training slot (and block DeleteSolution). */
export const TRAINING_STATES: readonly string[] = [S.PENDING, S.IN_PROGRESS, S.STOPPING];

export interface Lifecycle {
  status: string;
  readonly created: number;
  updated: number;
  failureReason?: string;
}

export interface DatasetGroupRec extends Lifecycle {
  readonly arn: string;
  readonly name: string;
  readonly domain?: Domain;
  readonly roleArn?: string;
  readonly kmsKeyArn?: string;
}

export interface SchemaRec {
  readonly arn: string;
  readonly name: string;
  readonly schema: string;
  readonly domain?: Domain;
  readonly created: number;
}

export interface DatasetRec extends Lifecycle {
  readonly arn: string;
  readonly name: string;
  readonly datasetGroupArn: string;
  readonly datasetType: string;
  readonly schemaArn: string;
}

export interface ImportJobRec extends Lifecycle {
  readonly arn: string;
  readonly jobName: string;
  readonly datasetArn: string;
  readonly dataLocation?: string;
  readonly roleArn?: string;
  readonly importMode: ImportMode;
  readonly publishAttributionMetricsToS3?: boolean;
}

/** A batch inference or batch segment job. */
export interface BatchJobRec extends Lifecycle {
  readonly kind: 'inference' | 'segment';
  readonly arn: string;
  readonly jobName: string;
  readonly solutionVersionArn: string;
  readonly filterArn?: string;
  readonly numResults: number;
  readonly inputPath: string;
  readonly inputKmsKeyArn?: string;
  readonly outputPath: string;
  readonly outputKmsKeyArn?: string;
  readonly roleArn: string;
  readonly mode?: 'BATCH_INFERENCE' | 'THEME_GENERATION';
  readonly config?: { readonly itemExplorationConfig?: Record<string, string>; readonly rankingInfluence?: Record<string, number> };
  readonly themeGenerationConfig?: { readonly fieldsForThemeGeneration: { readonly itemName: string } };
}

/** An object a batch job wrote (SIMULATED content), by S3 URI. */
export interface BatchOutputRec {
  readonly jobArn: string;
  readonly uri: string;
  readonly lines: readonly string[];
}

export interface SolutionUpdateRec extends Lifecycle {
  readonly config?: SolutionUpdateConfigInput;
  readonly performAutoTraining?: boolean;
  readonly performIncrementalUpdate?: boolean;
}

export interface SolutionRec extends Lifecycle {
  readonly arn: string;
  readonly name: string;
  readonly datasetGroupArn: string;
  readonly recipe: RecipeInfo;
  readonly recipeArn?: string;
  readonly performHPO: boolean;
  readonly performAutoML: boolean;
  performAutoTraining: boolean;
  performIncrementalUpdate?: boolean;
  readonly eventType?: string;
  solutionConfig?: SolutionConfigInput;
  /** Set when HPO runs for FULL versions. */
  readonly hpo?: { readonly jobs: HpoJobs; readonly space: SearchSpace };
  latestUpdate?: SolutionUpdateRec;
  /** [U] What DescribeSolution shows as latestSolutionUpdate until `updateVisibleAt` (eventual consistency). */
  previousUpdate?: SolutionUpdateRec;
  updateVisibleAt?: number;
  /** Bumped to cancel a scheduled automatic training. */
  autoTrainingGeneration: number;
  manualVersionSinceActive: boolean;
}

export interface SolutionVersionRec extends Lifecycle {
  readonly arn: string;
  readonly name?: string;
  readonly solutionArn: string;
  readonly trainingMode: TrainingMode;
  readonly trainingType: 'MANUAL' | 'AUTOMATIC';
  readonly plan: TrainingPlan;
  readonly failWith?: string;
  /** The solution's configuration when the version was created. */
  readonly solutionConfig?: SolutionConfigInput;
  readonly performIncrementalUpdate?: boolean;
  /** The imports of the group that had completed when the version was created: the data it trains on. */
  readonly trainedOn: readonly string[];
  trainingHours?: number;
  tunedHPOParams?: Record<string, string>;
  metrics?: Record<string, number>;
}

export interface CampaignUpdateRec extends Lifecycle {
  readonly solutionVersionArn?: string;
  readonly minProvisionedTPS?: number;
  readonly campaignConfig?: Record<string, unknown>;
}

export interface CampaignRec extends Lifecycle {
  readonly arn: string;
  readonly name: string;
  solutionVersionArn: string;
  minProvisionedTPS: number;
  campaignConfig?: Record<string, unknown>;
  latestUpdate?: CampaignUpdateRec;
}

export interface EventTrackerRec extends Lifecycle {
  readonly arn: string;
  readonly name: string;
  readonly datasetGroupArn: string;
  readonly trackingId: string;
}

export interface FilterRec extends Lifecycle {
  readonly arn: string;
  readonly name: string;
  readonly datasetGroupArn: string;
  readonly filterExpression: string;
}

export interface MetricAttributeRec {
  readonly eventType: string;
  readonly metricName: string;
  readonly expression: string;
}

export interface MetricAttributionRec extends Lifecycle {
  readonly arn: string;
  readonly name: string;
  readonly datasetGroupArn: string;
  metrics: MetricAttributeRec[];
  metricsOutputConfig: { roleArn: string; s3DataDestination?: { path: string; kmsKeyArn?: string } };
}

export interface RecommenderRec extends Lifecycle {
  readonly arn: string;
  readonly name: string;
  readonly datasetGroupArn: string;
  readonly recipeArn: string;
  recommenderConfig: Record<string, unknown>;
  latestUpdate?: { status: string; created: number; updated: number; recommenderConfig: Record<string, unknown> };
}

export interface ResolvedOptions {
  readonly region: string;
  readonly accountId: string;
  versionQuota: number;
  readonly prefixTunedNames: boolean;
  readonly autoTraining: boolean;
}

interface ScheduledEvent {
  readonly at: number;
  readonly seq: number;
  readonly run: () => void;
}

/** All resources of one simulated account and region, plus the timed lifecycle events. */
export class SimState {
  readonly datasetGroups = new Map<string, DatasetGroupRec>();
  readonly schemas = new Map<string, SchemaRec>();
  readonly datasets = new Map<string, DatasetRec>();
  readonly importJobs = new Map<string, ImportJobRec>();
  readonly batchJobs = new Map<string, BatchJobRec>();
  /** What batch jobs wrote, by URI: a later job writing the same URI replaces it. */
  readonly batchOutputs = new Map<string, BatchOutputRec>();
  /** How many records each import location holds (see ImportDataSpec); the last match wins. */
  readonly importData: ImportDataSpec[] = [];
  readonly solutions = new Map<string, SolutionRec>();
  readonly versions = new Map<string, SolutionVersionRec>();
  readonly campaigns = new Map<string, CampaignRec>();
  readonly eventTrackers = new Map<string, EventTrackerRec>();
  readonly filters = new Map<string, FilterRec>();
  readonly metricAttributions = new Map<string, MetricAttributionRec>();
  readonly recommenders = new Map<string, RecommenderRec>();
  readonly tags = new Map<string, Tag[]>();
  readonly recipes = new RecipeCatalog();

  private readonly queue: ScheduledEvent[] = [];
  private seq = 0;
  private idCounter = 0;
  /** Set while an event runs, so that work it does is stamped with the event's time. */
  private eventTime: number | undefined;

  constructor(
    readonly clock: ServiceClock,
    readonly options: ResolvedOptions,
    readonly faults: FaultInjector,
    readonly log: (line: string) => void,
  ) {
    clock.onAdvance(() => this.settle());
  }

  /** Simulated time of the work being done (an event's due time while it runs). */
  now(): number {
    return this.eventTime ?? this.clock.now();
  }

  arn(resource: string): string {
    return `arn:aws:personalize:${this.options.region}:${this.options.accountId}:${resource}`;
  }

  /** Runs `run` once the clock reaches now() + delayMs. */
  schedule(delayMs: number, run: () => void): void {
    const event = { at: this.now() + delayMs, seq: this.seq++, run };
    const i = this.queue.findIndex((e) => e.at > event.at);
    this.queue.splice(i < 0 ? this.queue.length : i, 0, event);
  }

  /** Fires every due event in time order (events may schedule further events). */
  settle(): void {
    while (this.queue.length > 0 && this.queue[0].at <= this.clock.now()) {
      const event = this.queue.shift()!;
      this.eventTime = event.at;
      try {
        event.run();
      } finally {
        this.eventTime = undefined;
      }
    }
  }

  /** Simulated time of the next pending event, if any. */
  nextEventAt(): number | undefined {
    return this.queue[0]?.at;
  }

  setStatus(rec: Lifecycle, status: string, failureReason?: string): void {
    rec.status = status;
    rec.updated = this.now();
    if (failureReason !== undefined) rec.failureReason = failureReason;
  }

  /** Moves `rec` through `steps` ([status, delay] pairs) as long as nobody changed its status meanwhile. */
  advanceThrough(rec: Lifecycle, steps: ReadonlyArray<readonly [string, number]>, done?: () => void): void {
    const [step, ...rest] = steps;
    if (step === undefined) return done?.();
    const expected = rec.status;
    this.schedule(step[1], () => {
      if (rec.status !== expected) return;
      this.setStatus(rec, step[0]);
      this.advanceThrough(rec, rest, done);
    });
  }

  /** Records the simulator takes to be at `dataLocation`, which set how long its import runs. */
  importRecords(dataLocation: string | undefined): number {
    const matching = this.importData.filter((d) => !d.dataLocation || (dataLocation ?? '').endsWith(d.dataLocation));
    return matching.length > 0 ? matching[matching.length - 1].records : TIMING.defaultImportRecords;
  }

  /** A fresh number for deterministic ids. */
  nextId(): number {
    return ++this.idCounter;
  }

  get<T>(map: Map<string, T>, arn: string, what: string): T {
    const rec = map.get(arn);
    if (!rec) throw notFound(what, arn);
    return rec;
  }

  /** True when any resource has this ARN (for the tagging operations). */
  exists(arn: string): boolean {
    const maps = [
      this.datasetGroups, this.schemas, this.datasets, this.importJobs, this.solutions, this.versions, this.campaigns,
      this.eventTrackers, this.filters, this.metricAttributions, this.recommenders, this.batchJobs,
    ];
    return maps.some((m: Map<string, unknown>) => m.has(arn));
  }

  /** Throws TooManyTagsException when a new resource would get more than 50 tags. */
  checkTags(tags: readonly Tag[] | undefined): void {
    const keys = new Set((tags ?? []).map((t) => t.tagKey));
    if (keys.size > 50) throw new ServiceError('TooManyTagsException', `A resource can have at most 50 tags, got ${keys.size}`);
  }

  /** Merges tags into a resource's tag set; more than 50 distinct keys is an error. */
  addTags(arn: string, tags: readonly Tag[] | undefined): void {
    const merged = new Map((this.tags.get(arn) ?? []).map((t) => [t.tagKey, t.tagValue] as const));
    for (const t of tags ?? []) merged.set(t.tagKey, t.tagValue);
    if (merged.size > 50) {
      throw new ServiceError('TooManyTagsException', `A resource can have at most 50 tags; this request would give ${arn} ${merged.size}`);
    }
    if (merged.size > 0) this.tags.set(arn, [...merged].map(([tagKey, tagValue]) => ({ tagKey, tagValue })));
  }

  /** Forgets a resource and its tags. */
  remove<T>(map: Map<string, T>, arn: string): void {
    map.delete(arn);
    this.tags.delete(arn);
  }

  /** Versions that are pending, training or stopping. */
  trainingVersions(): SolutionVersionRec[] {
    return [...this.versions.values()].filter((v) => TRAINING_STATES.includes(v.status));
  }
}
