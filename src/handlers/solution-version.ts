import { createHash } from 'crypto';
// The SDKs are devDependencies on purpose: esbuild bundles them into the handler.
import {
  CreateSolutionVersionCommand,
  type CreateSolutionVersionRequest,
  type PersonalizeClient,
  type SolutionVersionSummary,
  type Tag,
} from '@aws-sdk/client-personalize';
import { StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { ADOPT_WINDOW_MS } from './adopt';
import { retryWithBackoff, type BackoffOptions, type GiveUp } from './backoff';
import { sameValue } from './diff';
import { callService, isErrorNamed, PersonalizeCallError, RESOURCE_IN_USE } from './errors';
import { compact, requiredStr, stripControlKeys, toInteger, toStr, toTags } from './request';
import { replacementName } from './solution';
import { Status, STOPPABLE_VERSION_STATES } from './status';
import { updateTags } from './tags';
import type { IsCompleteRequest, IsCompleteResponse, OnEventRequest, OnEventResponse, ResourceHandler, ResourceProperties } from './types';
import { describeVersion, isSolutionVersionArn, listVersions, stopVersion, timeOf, versionIdOf } from './versions';
import {
  DEFAULT_POLL_INTERVAL_SECONDS,
  SolutionVersionAttributes,
  SolutionVersionControlKeys,
  type TrainingPollerInput,
} from '../private/contract';

export type TrainingModeValue = 'FULL' | 'UPDATE';

/** Custom::PersonalizeSolutionVersion properties, coerced. */
export interface SolutionVersionSettings {
  readonly solutionArn: string;
  readonly trainingMode: TrainingModeValue;
  /** The user's name; absent when the handler derives one. */
  readonly name?: string;
  readonly tags?: Tag[];
  /** '' when absent. */
  readonly retrainTrigger: string;
  /** Logical id of the training's WaitCondition: new for every training. */
  readonly waitCondition: string;
  readonly stateMachineArn: string;
  readonly trainingTimeoutSeconds: number;
  readonly pollIntervalSeconds: number;
}

/** Used when the construct sends no timeout (it always does). */
export const DEFAULT_TRAINING_TIMEOUT_SECONDS = 6 * 3600;

/** The CreateSolutionVersion request members this handler forwards. */
const VERSION_MEMBERS = ['solutionArn', 'trainingMode', 'name', 'tags'];

/**
 * Members whose change starts a new training (and so a new physical id). A changed wait condition
 * alone does not: the construct names it after more than these (it cannot see deploy-time values),
 * and the poller then just signals the new wait for the version the stack has.
 */
const RETRAIN_MEMBERS = ['solutionArn', 'trainingMode', 'name', 'retrainTrigger'] as const;

/** Personalize's per-region quota of solution versions pending or in progress. */
const VERSIONS_IN_PROGRESS_QUOTA = 20;

export { ADOPT_WINDOW_MS } from './adopt';

/** Statuses that rule out taking a version over: it was stopped, by a rollback or a delete. */
const NOT_ADOPTABLE: ReadonlySet<string> = new Set([Status.CREATE_STOPPING, Status.CREATE_STOPPED]);

export function toSolutionVersionSettings(props: ResourceProperties): SolutionVersionSettings {
  const K = SolutionVersionControlKeys;
  const p = stripControlKeys(props, Object.values(K));
  const unknown = Object.keys(p).filter((key) => !VERSION_MEMBERS.includes(key));
  if (unknown.length > 0) {
    console.log(`Not sent to Personalize: ${unknown.join(', ')}`);
  }
  const mode = (toStr(p.trainingMode, 'trainingMode') ?? 'FULL').toUpperCase();
  if (mode !== 'FULL' && mode !== 'UPDATE') {
    throw new Error(`Property trainingMode must be FULL or UPDATE, got ${JSON.stringify(p.trainingMode)}`);
  }
  const name = toStr(p.name, 'name');
  return {
    solutionArn: requiredStr(p.solutionArn, 'solutionArn'),
    trainingMode: mode,
    name: name === '' ? undefined : name,
    tags: toTags(p.tags, 'tags'),
    retrainTrigger: toStr(props[K.RETRAIN_TRIGGER], K.RETRAIN_TRIGGER) ?? '',
    waitCondition: requiredStr(props[K.WAIT_CONDITION], K.WAIT_CONDITION),
    stateMachineArn: requiredStr(props[K.STATE_MACHINE_ARN], K.STATE_MACHINE_ARN),
    trainingTimeoutSeconds: positive(props[K.TRAINING_TIMEOUT_SECONDS], K.TRAINING_TIMEOUT_SECONDS, DEFAULT_TRAINING_TIMEOUT_SECONDS),
    pollIntervalSeconds: positive(props[K.POLL_INTERVAL_SECONDS], K.POLL_INTERVAL_SECONDS, DEFAULT_POLL_INTERVAL_SECONDS),
  };
}

function positive(value: unknown, path: string, fallback: number): number {
  const n = toInteger(value, path) ?? fallback;
  if (n < 1) {
    throw new Error(`Property ${path} must be a positive integer, got ${JSON.stringify(value)}`);
  }
  return n;
}

/** The settings members that differ between two events' properties, and whether they start a training. */
export function planVersionUpdate(event: OnEventRequest): { changed: string[]; retrain: boolean } {
  const before = toSolutionVersionSettings(event.OldResourceProperties ?? {});
  const after = toSolutionVersionSettings(event.ResourceProperties);
  const keys = Object.keys({ ...before, ...after }) as Array<keyof SolutionVersionSettings>;
  const changed = keys.filter((key) => !sameValue(before[key] ?? null, after[key] ?? null)).sort();
  return { changed, retrain: changed.some((key) => (RETRAIN_MEMBERS as readonly string[]).includes(key)) };
}

function digest(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\n')).digest('hex');
}

/** `cdkp-<16 hex>`: valid for CreateSolutionVersion's name pattern and stable for one CloudFormation request. */
export function generatedVersionName(event: Pick<OnEventRequest, 'StackId' | 'LogicalResourceId' | 'RequestId'>): string {
  return `cdkp-${digest(event.StackId, event.LogicalResourceId, event.RequestId).slice(0, 16)}`;
}

/** A Step Functions execution name (at most 80 characters) that a repeated request reproduces. */
export function pollerExecutionName(event: Pick<OnEventRequest, 'StackId' | 'LogicalResourceId' | 'RequestId'>, versionArn: string): string {
  const versionId = versionIdOf(versionArn).replace(/[^A-Za-z0-9_-]/g, '').slice(0, 32);
  return `cdkp-${versionId}-${digest(event.StackId, event.LogicalResourceId, event.RequestId).slice(0, 32)}`;
}

export interface SolutionVersionHandlerOptions {
  /** Retries of CreateSolutionVersion after ResourceInUse / LimitExceeded; `sleep` and `now` are injectable. */
  readonly backoff?: BackoffOptions;
  /** Milliseconds since the epoch. */
  readonly now?: () => number;
}

/**
 * Custom::PersonalizeSolutionVersion: starts a training and the poller that signals its wait
 * condition, without waiting for it (a training can outlast CloudFormation's one hour).
 * The physical id is the solution version ARN.
 */
export class SolutionVersionHandler implements ResourceHandler {
  private readonly now: () => number;

  constructor(
    private readonly personalize: PersonalizeClient,
    private readonly sfn: SFNClient,
    private readonly options: SolutionVersionHandlerOptions = {},
  ) {
    this.now = options.now ?? options.backoff?.now ?? Date.now;
  }

  public async onEvent(event: OnEventRequest): Promise<OnEventResponse> {
    switch (event.RequestType) {
      case 'Create':
        return this.train(event, toSolutionVersionSettings(event.ResourceProperties), false);
      case 'Update':
        return this.onUpdate(event);
      case 'Delete':
        return this.onDelete(event);
      default:
        throw new Error(`Unsupported request type: ${String((event as OnEventRequest).RequestType)}`);
    }
  }

  /** Nothing to wait for here: the wait condition waits for the training. */
  public async isComplete(_event: IsCompleteRequest): Promise<IsCompleteResponse> {
    return { IsComplete: true };
  }

  // --- Create / Update ----------------------------------------------------------------------

  private async onUpdate(event: OnEventRequest): Promise<OnEventResponse> {
    const arn = event.PhysicalResourceId;
    const settings = toSolutionVersionSettings(event.ResourceProperties);
    if (!isSolutionVersionArn(arn)) {
      console.log(`Physical id ${arn} is not a solution version ARN (failed create); training`);
      return this.train(event, settings, true);
    }
    const plan = planVersionUpdate(event);
    console.log(`Changed: ${plan.changed.join(', ') || 'nothing'}`);
    const newWait = plan.changed.includes('waitCondition');
    if (plan.retrain) {
      if (!newWait) {
        // A rollback of a failed update asks for what the current version already is; only a
        // forward change needs a wait, and nothing would wait for it.
        if (await this.alreadyTrainedFor(arn, settings)) {
          console.log(`${arn} already is a version of ${settings.solutionArn} as asked (a rollback or a repeated request); nothing to train`);
          return { PhysicalResourceId: arn, Data: attributes(arn) };
        }
        throw new Error(
          `A new training of ${settings.solutionArn} is needed (${plan.changed.filter((m) => (RETRAIN_MEMBERS as readonly string[]).includes(m)).join(', ')} ` +
          `changed), but the wait condition ${settings.waitCondition} stayed the same, so nothing would wait for it. This happens when ` +
          'the solution depends on a value known only at deploy time (a parameter, an import) that changed: change the version\'s ' +
          'retrainTrigger together with that value. No training was started.',
        );
      }
      return this.train(event, settings, true);
    }
    if (newWait) {
      // The construct named a new wait condition although nothing that trains changed (e.g. a
      // referenced resource changed in place): the poller signals it for the version the stack has.
      console.log(`New wait condition ${settings.waitCondition} for the existing version ${arn}`);
      await this.startPoller(event, settings, arn);
    }
    if (plan.changed.includes('tags')) {
      const before = toSolutionVersionSettings(event.OldResourceProperties ?? {});
      await updateTags(this.personalize, arn, before.tags ?? [], settings.tags ?? []);
    }
    return { PhysicalResourceId: arn, Data: attributes(arn) };
  }

  /** Whether `arn` is a version of the requested solution, mode and name. */
  private async alreadyTrainedFor(arn: string, settings: SolutionVersionSettings): Promise<boolean> {
    if (!arn.startsWith(`${settings.solutionArn}/`)) {
      return false;
    }
    const version = await describeVersion(this.personalize, arn, true);
    const name = version?.name ?? '';
    return (version?.trainingMode ?? 'FULL') === settings.trainingMode
      && (settings.name === undefined || name === settings.name || name.startsWith(`${settings.name}-`));
  }

  /** CreateSolutionVersion (or finds the one a previous delivery of this request created), then starts the poller. */
  private async train(event: OnEventRequest, settings: SolutionVersionSettings, replacing: boolean): Promise<OnEventResponse> {
    const name = settings.name === undefined
      ? generatedVersionName(event)
      : replacing ? replacementName(settings.name, event.RequestId) : settings.name;
    const request: CreateSolutionVersionRequest = compact({
      solutionArn: settings.solutionArn,
      trainingMode: settings.trainingMode,
      name,
      tags: settings.tags && settings.tags.length > 0 ? settings.tags : undefined,
    });

    if (settings.trainingMode === 'UPDATE') {
      await this.requireActiveFullVersion(settings.solutionArn);
    }

    const arn = await this.createVersion(request);
    await this.startPoller(event, settings, arn);
    return { PhysicalResourceId: arn, Data: attributes(arn) };
  }

  private async requireActiveFullVersion(solutionArn: string): Promise<void> {
    const versions = await listVersions(this.personalize, solutionArn);
    // AUTOTRAIN versions are full trainings too; versions older than trainingMode have none (FULL).
    const full = versions.find((v) => v.status === Status.ACTIVE && (v.trainingMode ?? 'FULL') !== 'UPDATE');
    if (!full) {
      throw new Error(
        `trainingMode UPDATE needs an ACTIVE solution version trained with trainingMode FULL, and solution ${solutionArn} has none ` +
        `(${describeCounts(versions)}). Train a FULL version first.`,
      );
    }
    console.log(`UPDATE training based on ACTIVE FULL version ${full.solutionVersionArn}`);
  }

  private async createVersion(request: CreateSolutionVersionRequest): Promise<string> {
    console.log(`CreateSolutionVersion ${request.name} of ${request.solutionArn} (trainingMode ${request.trainingMode})`);
    try {
      const { solutionVersionArn } = await retryWithBackoff(
        () => callService('CreateSolutionVersion', () => this.personalize.send(new CreateSolutionVersionCommand(request))),
        (err) => isErrorNamed(err, RESOURCE_IN_USE, LIMIT_EXCEEDED, ...THROTTLING),
        (why) => gaveUp(why, request.solutionArn!),
        { ...this.options.backoff, now: this.options.backoff?.now ?? this.now },
      );
      if (!solutionVersionArn) {
        throw new Error(`CreateSolutionVersion returned no solutionVersionArn for ${request.name}`);
      }
      console.log(`Created ${solutionVersionArn}`);
      return solutionVersionArn;
    } catch (err) {
      if (!isErrorNamed(err, RESOURCE_ALREADY_EXISTS)) {
        throw err;
      }
      const existing = await this.findRecentVersion(request.solutionArn!, request.name!);
      if (!existing) {
        throw new Error(
          `${(err as Error).message}. A solution version named "${request.name}" already exists and was not started by this ` +
          'deployment (it is older, stopped, or belongs to another solution); Personalize keeps every version and its name, ' +
          'so choose another solutionVersionName.',
        );
      }
      console.log(`Solution version ${request.name} already exists (a repeated request): ${existing}`);
      return existing;
    }
  }

  /**
   * The version named `name` that an earlier delivery of the same request created. ListSolutionVersions
   * has no names, so recent versions are described, newest first.
   */
  private async findRecentVersion(solutionArn: string, name: string): Promise<string | undefined> {
    const since = this.now() - ADOPT_WINDOW_MS;
    const recent = (await listVersions(this.personalize, solutionArn)).filter((v) => timeOf(v.creationDateTime) >= since);
    for (const summary of recent) {
      const version = await describeVersion(this.personalize, summary.solutionVersionArn!, true);
      if (version?.name === name) {
        return NOT_ADOPTABLE.has(version.status ?? '') ? undefined : version.solutionVersionArn ?? summary.solutionVersionArn;
      }
    }
    return undefined;
  }

  private async startPoller(event: OnEventRequest, settings: SolutionVersionSettings, solutionVersionArn: string): Promise<void> {
    const input: TrainingPollerInput = {
      solutionVersionArn,
      stackId: event.StackId,
      versionLogicalId: event.LogicalResourceId,
      waitLogicalId: settings.waitCondition,
      deadline: Math.floor(this.now() / 1000) + settings.trainingTimeoutSeconds,
      trainingTimeoutSeconds: settings.trainingTimeoutSeconds,
      pollIntervalSeconds: settings.pollIntervalSeconds,
    };
    const name = pollerExecutionName(event, solutionVersionArn);
    try {
      console.log(`StartExecution ${name} of ${settings.stateMachineArn}`);
      const { executionArn } = await callService('StartExecution', () => this.sfn.send(new StartExecutionCommand({
        stateMachineArn: settings.stateMachineArn,
        name,
        input: JSON.stringify(input),
      })));
      console.log(`Training poller ${executionArn} started`);
    } catch (err) {
      if (isErrorNamed(err, EXECUTION_ALREADY_EXISTS)) {
        console.log(`Training poller ${name} already runs (a repeated request)`);
        return;
      }
      // Nothing would signal the wait condition, and a failed create leaves no physical id to
      // clean up later: stop the training now rather than let it run (and bill) unobserved.
      await stopVersion(this.personalize, solutionVersionArn).catch((stopErr) =>
        console.log(`Could not stop ${solutionVersionArn}: ${(stopErr as Error).message}`));
      throw err;
    }
  }

  // --- Delete -------------------------------------------------------------------------------

  /**
   * Personalize has no DeleteSolutionVersion (versions go with their solution): a version still
   * pending or training is stopped, anything else is left as is.
   */
  private async onDelete(event: OnEventRequest): Promise<OnEventResponse> {
    const arn = event.PhysicalResourceId;
    if (!isSolutionVersionArn(arn)) {
      console.log(`Physical id ${arn} is not a solution version ARN (failed create); nothing to do`);
      return { PhysicalResourceId: arn };
    }
    const version = await describeVersion(this.personalize, arn, true);
    if (!version) {
      console.log(`Solution version ${arn} no longer exists`);
    } else if (version.status !== undefined && STOPPABLE_VERSION_STATES.has(version.status)) {
      await stopVersion(this.personalize, arn);
    } else {
      console.log(`Solution version ${arn} is ${version.status}; nothing to do`);
    }
    return { PhysicalResourceId: arn };
  }
}

const LIMIT_EXCEEDED = 'LimitExceededException';
const RESOURCE_ALREADY_EXISTS = 'ResourceAlreadyExistsException';
const EXECUTION_ALREADY_EXISTS = 'ExecutionAlreadyExists';
const THROTTLING = ['ThrottlingException', 'TooManyRequestsException'];

function gaveUp(why: GiveUp, solutionArn: string): Error {
  const err = why.error instanceof Error ? why.error : new Error(String(why.error));
  const hint = isErrorNamed(err, RESOURCE_IN_USE)
    ? `solution ${solutionArn} is not ACTIVE, e.g. it is still being created or updated`
    : isErrorNamed(err, LIMIT_EXCEEDED)
      ? `at most ${VERSIONS_IN_PROGRESS_QUOTA} solution versions may train at once per region`
      : 'the service kept throttling';
  const message = `${err.message} (${hint}; gave up after ${why.attempts} attempts over ${Math.round(why.elapsedMs / 1000)} s)`;
  if (err instanceof PersonalizeCallError) {
    // Keep the operation and error name for callers that test for them.
    const prefix = `${err.operation} failed: ${err.errorName}: `;
    return new PersonalizeCallError(err.operation, err.errorName, message.startsWith(prefix) ? message.slice(prefix.length) : message);
  }
  return new Error(message);
}

function describeCounts(versions: SolutionVersionSummary[]): string {
  if (versions.length === 0) {
    return 'it has no versions';
  }
  const counts = new Map<string, number>();
  for (const v of versions) {
    const key = `${v.trainingMode ?? 'FULL'} ${v.status ?? 'unknown'}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return `versions: ${[...counts].map(([key, n]) => `${n} ${key}`).join(', ')}`;
}

function attributes(arn: string): Record<string, string> {
  return { [SolutionVersionAttributes.SOLUTION_VERSION_ARN]: arn };
}
