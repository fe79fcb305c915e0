/**
 * An embedded Amazon Personalize simulator for tests and demos (not part of the published library).
 *
 * It speaks Personalize's awsJson1_1 protocol over HTTP, so the unmodified
 * `@aws-sdk/client-personalize` talks to it through `endpoint` (or `AWS_ENDPOINT_URL_PERSONALIZE`).
 * Requests are validated against the real API model; lifecycles follow the service's status
 * strings and advance only on a simulated clock that the caller controls.
 *
 * Everything it reports about training is SIMULATED: no model is trained, HPO is a seeded random
 * search over a synthetic objective, and the metrics and tuned hyperparameters only look plausible.
 * Never read them as predictions of real Personalize results.
 *
 * @example
 * const sim = new PersonalizeSimulator();
 * const endpoint = await sim.start();
 * const client = new PersonalizeClient({ ...sim.clientConfig(), maxAttempts: 2 });
 * sim.clock.advanceMinutes(90);
 * await sim.stop();
 */
import { DEFAULT_START_MS, ServiceClock } from './clock';
import { JobInterval } from './critical-path';
import { FailImportSpec, FailTrainingSpec, FaultInjector, FaultSpec, ImportDataSpec } from './faults';
import { loadModel } from './model';
import { OPERATIONS, seedDatasetGroup } from './ops';
import { CallRecord, SimServer } from './server';
import { ResolvedOptions, SimState, TRAINING_STATES } from './state';

export { ServiceClock } from './clock';
export type { FaultKind, FaultSpec, FailImportSpec, FailTrainingSpec, ImportDataSpec } from './faults';
export type { CallRecord } from './server';
export { TIMING, importDurationMs, planTraining } from './training';
export { criticalPath, type CriticalPath, type JobInterval } from './critical-path';

export interface PersonalizeSimulatorOptions {
  /** Region in ARNs (default us-east-1). */
  readonly region?: string;
  /** Account in ARNs (default 123456789012). */
  readonly accountId?: string;
  /** Solution versions that may be pending/training/stopping at once (default 20, the service quota). */
  readonly versionQuota?: number;
  /** Echo HPO names the way the service is documented to (training.bptt, data.recency_mask). Default false. */
  readonly prefixTunedNames?: boolean;
  /** Simulate automatic training for solutions with performAutoTraining (the API default). Default true. */
  readonly autoTraining?: boolean;
  /** Check every response against the API model and answer 500 on a mismatch (default true). */
  readonly validateResponses?: boolean;
  /** Simulated start time in epoch ms (default 2026-01-01T00:00:00Z). */
  readonly startTime?: number;
  /** Receives log lines (none by default). */
  readonly logger?: (line: string) => void;
}

/** A live resource as `snapshot()` lists it. */
export interface ResourceView {
  readonly arn: string;
  readonly name?: string;
  readonly status: string;
}

export interface SolutionView extends ResourceView {
  readonly datasetGroupArn: string;
  readonly performAutoTraining: boolean;
}

export interface SolutionVersionView extends ResourceView {
  readonly solutionArn: string;
  readonly trainingMode: string;
  readonly trainingType: string;
  readonly failureReason?: string;
}

/** Every live resource (deleted ones are gone). All lists empty means nothing leaked. */
export interface SimSnapshot {
  readonly simulatedTime: number;
  readonly datasetGroups: ResourceView[];
  readonly schemas: ResourceView[];
  readonly datasets: ResourceView[];
  readonly datasetImportJobs: ResourceView[];
  readonly batchJobs: ResourceView[];
  readonly solutions: SolutionView[];
  readonly solutionVersions: SolutionVersionView[];
  readonly campaigns: ResourceView[];
  readonly eventTrackers: ResourceView[];
  readonly filters: ResourceView[];
  readonly metricAttributions: ResourceView[];
  readonly recommenders: ResourceView[];
}

export class PersonalizeSimulator {
  /** Simulated time; lifecycles move only when it advances. */
  readonly clock: ServiceClock;
  /** Fault injection: `faults.inject({ operation, kind, times })`. */
  readonly faults = new FaultInjector();
  readonly region: string;
  private readonly options: ResolvedOptions;
  private readonly state: SimState;
  private readonly server: SimServer;
  private url: string | undefined;

  constructor(options: PersonalizeSimulatorOptions = {}) {
    const logger = options.logger ?? (() => undefined);
    const log = (line: string) => logger(`[personalize-sim] ${line}`);
    this.clock = new ServiceClock(options.startTime ?? DEFAULT_START_MS);
    this.region = options.region ?? 'us-east-1';
    this.options = {
      region: this.region,
      accountId: options.accountId ?? '123456789012',
      versionQuota: options.versionQuota ?? 20,
      prefixTunedNames: options.prefixTunedNames ?? false,
      autoTraining: options.autoTraining ?? true,
    };
    this.state = new SimState(this.clock, this.options, this.faults, log);
    this.server = new SimServer({
      state: this.state,
      faults: this.faults,
      handlers: OPERATIONS,
      model: loadModel(),
      validateResponses: options.validateResponses ?? true,
      log,
    });
  }

  /** Listens on 127.0.0.1 (`port` 0 picks a free port) and returns the endpoint URL. */
  async start(port = 0): Promise<string> {
    this.url = await this.server.start(port);
    return this.url;
  }

  /** Closes the server and every open connection. */
  async stop(): Promise<void> {
    await this.server.stop();
    this.url = undefined;
  }

  /** The endpoint URL while started. */
  get endpoint(): string | undefined {
    return this.url;
  }

  /** Settings for `new PersonalizeClient(...)`: endpoint, region and dummy credentials. */
  clientConfig(): { endpoint: string; region: string; credentials: { accessKeyId: string; secretAccessKey: string } } {
    if (!this.url) throw new Error('start() the simulator first');
    return { endpoint: this.url, region: this.region, credentials: { accessKeyId: 'simulated', secretAccessKey: 'simulated' } };
  }

  /** Limit on versions pending, training or stopping at once; more gives LimitExceededException. */
  get versionQuota(): number {
    return this.options.versionQuota;
  }

  set versionQuota(value: number) {
    this.options.versionQuota = value;
  }

  /** The next training (of `solutionArn`, or of any solution) ends in CREATE FAILED with `reason`. */
  failNextTraining(spec: FailTrainingSpec): void {
    this.faults.failNextTraining(spec);
  }

  /** The next import (from a location ending with `dataLocation`, or any) ends in CREATE FAILED with `reason`. */
  failNextImport(spec: FailImportSpec): void {
    this.faults.failNextImport(spec);
  }

  /**
   * Every live resource's and job's lifecycle from creation to its latest status change, for those
   * that ended (ACTIVE or failed): what Personalize itself took, for the benchmark's critical path.
   */
  jobIntervals(): JobInterval[] {
    const s = this.state;
    s.settle();
    const ended = (status: string) => status === 'ACTIVE' || status.endsWith('FAILED');
    const of = (kind: string, recs: Iterable<{ arn: string; status: string; created: number; updated: number }>) =>
      [...recs].filter(r => ended(r.status)).map(r => ({ kind, arn: r.arn, start: r.created, end: r.updated }));
    return [
      ...of('dataset group', s.datasetGroups.values()),
      ...of('dataset', s.datasets.values()),
      ...of('dataset import job', s.importJobs.values()),
      ...of('solution', s.solutions.values()),
      ...of('solution version', s.versions.values()),
      ...of('campaign', s.campaigns.values()),
      ...of('event tracker', s.eventTrackers.values()),
      ...of('filter', s.filters.values()),
      ...of('metric attribution', s.metricAttributions.values()),
      ...of('recommender', s.recommenders.values()),
      ...[...s.batchJobs.values()].filter(j => ended(j.status)).map(j => ({ kind: `batch ${j.kind} job`, arn: j.arn, start: j.created, end: j.updated })),
    ];
  }

  /** The next batch inference or batch segment job ends in CREATE FAILED with `reason`. */
  failNextBatchJob(reason: string): void {
    this.faults.failNextBatchJob(reason);
  }

  /** What batch jobs wrote (SIMULATED), by S3 URI, e.g. `s3://bucket/output/job/batch-input.json.out`. */
  batchOutputs(): Array<{ readonly jobArn: string; readonly uri: string; readonly lines: readonly string[] }> {
    return [...this.state.batchOutputs.values()];
  }

  /**
   * Sets how many records the imports from a location (ending with `dataLocation`, or every
   * location) read: an import runs TIMING.importBaseMs plus a minute per TIMING.importRecordsPerMinute.
   */
  setImportData(spec: ImportDataSpec): void {
    if (!Number.isFinite(spec.records) || spec.records < 0) throw new Error(`records must be a number of at least 0, got ${spec.records}`);
    this.state.importData.push(spec);
  }

  /** Shorthand for `faults.inject`. */
  injectFault(spec: FaultSpec): void {
    this.faults.inject(spec);
  }

  /** Creates an ACTIVE dataset group at once and returns its ARN. */
  seedDatasetGroup(name: string): string {
    return seedDatasetGroup(this.state, name);
  }

  /** Moves the clock to the next scheduled lifecycle event; false when nothing is scheduled. */
  advanceToNextEvent(): boolean {
    const at = this.state.nextEventAt();
    if (at === undefined) return false;
    this.clock.advance(Math.max(0, at - this.clock.now()));
    return true;
  }

  /** Every live resource with its status. */
  snapshot(): SimSnapshot {
    const s = this.state;
    s.settle();
    const basic = (r: { arn: string; name?: string; jobName?: string; status?: string }): ResourceView =>
      ({ arn: r.arn, name: r.name ?? r.jobName, status: r.status ?? 'ACTIVE' });
    return {
      simulatedTime: this.clock.now(),
      datasetGroups: [...s.datasetGroups.values()].map(basic),
      schemas: [...s.schemas.values()].map(basic),
      datasets: [...s.datasets.values()].map(basic),
      datasetImportJobs: [...s.importJobs.values()].map(basic),
      batchJobs: [...s.batchJobs.values()].map(basic),
      solutions: [...s.solutions.values()].map((r) => ({
        ...basic(r), datasetGroupArn: r.datasetGroupArn, performAutoTraining: r.performAutoTraining,
      })),
      solutionVersions: [...s.versions.values()].map((v) => ({
        ...basic(v),
        solutionArn: v.solutionArn,
        trainingMode: v.trainingMode,
        trainingType: v.trainingType,
        ...(v.failureReason === undefined ? {} : { failureReason: v.failureReason }),
      })),
      campaigns: [...s.campaigns.values()].map(basic),
      eventTrackers: [...s.eventTrackers.values()].map(basic),
      filters: [...s.filters.values()].map(basic),
      metricAttributions: [...s.metricAttributions.values()].map(basic),
      recommenders: [...s.recommenders.values()].map(basic),
    };
  }

  /** Versions still occupying a training slot (CREATE PENDING, CREATE IN_PROGRESS, CREATE STOPPING). */
  inProgressTrainings(): SolutionVersionView[] {
    return this.snapshot().solutionVersions.filter((v) => TRAINING_STATES.includes(v.status));
  }

  /** Every request received, in order (including faulted ones). */
  callLog(): readonly CallRecord[] {
    return this.server.calls;
  }

  /** Requests received per operation. */
  callCounts(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const c of this.server.calls) counts[c.operation] = (counts[c.operation] ?? 0) + 1;
    return counts;
  }
}
