// The SDKs are devDependencies on purpose: esbuild bundles them into the handler.
import type { CreateSolutionVersionRequest, SolutionVersionSummary } from '@aws-sdk/client-personalize';
import type { SFNClient } from '@aws-sdk/client-sfn';
import { SolutionVersionAttributes } from '../../private/contract';
import {
  RETRAIN_MEMBERS,
  SOLUTION_VERSION_MEMBERS,
  type SolutionVersionSpec,
  type TrainingModeValue,
} from '../../private/solution-version-spec';
import { startJobPoller } from '../aws/job-executions';
import { generatedVersionName, isSolutionVersionArn, pollerExecutionName, replacementName } from '../aws/names';
import type { PersonalizeApi } from '../aws/personalize-api';
import { expectedTrainingSeconds } from '../aws/poll-schedule';
import { Status, STOPPABLE_VERSION_STATES } from '../aws/status';
import { updateTags } from '../aws/tags';
import { describeVersion, listVersions, stopVersion, timeOf } from '../aws/versions';
import { ADOPT_WINDOW_MS } from '../framework/adopt';
import { retryWithBackoff, type BackoffOptions, type GiveUp } from '../framework/backoff';
import { DONE, ImmediateHandler, type Decided, type Done, type HandlerOptions } from '../framework/custom-resource-handler';
import { sameValue } from '../framework/diff';
import { formatDuration } from '../framework/duration';
import { isErrorNamed, PersonalizeCallError, RESOURCE_IN_USE } from '../framework/errors';
import { compact, requiredStr, stripControlKeys, toInteger, toStr, toStrList, toTags } from '../framework/request';
import type { OnEventRequest, ResourceProperties } from '../framework/types';

/** Used when the construct sends no timeout (it always does). */
export const DEFAULT_TRAINING_TIMEOUT_SECONDS = 6 * 3600;

/** Personalize's per-region quota of solution versions pending or in progress. */
const VERSIONS_IN_PROGRESS_QUOTA = 20;

export { ADOPT_WINDOW_MS } from '../framework/adopt';

/** Statuses that rule out taking a version over: it was stopped, by a rollback or a delete. */
const NOT_ADOPTABLE: ReadonlySet<string> = new Set([Status.CREATE_STOPPING, Status.CREATE_STOPPED]);

/** Custom::PersonalizeSolutionVersion properties → the spec the construct rendered. */
export function parseSolutionVersionSpec(props: ResourceProperties): SolutionVersionSpec {
  const P = Object.fromEntries(Object.entries(SOLUTION_VERSION_MEMBERS).map(([member, facts]) => [member, facts.property])) as
    Record<keyof SolutionVersionSpec, string>;
  const controlKeys = Object.values(SOLUTION_VERSION_MEMBERS).filter(facts => !facts.sent).map(facts => facts.property);
  const sent = Object.values(SOLUTION_VERSION_MEMBERS).filter(facts => facts.sent).map(facts => facts.property);
  const unknown = Object.keys(stripControlKeys(props, controlKeys)).filter((key) => !sent.includes(key));
  if (unknown.length > 0) {
    console.log(`Not sent to Personalize: ${unknown.join(', ')}`);
  }
  const mode = (toStr(props[P.trainingMode], P.trainingMode) ?? 'FULL').toUpperCase();
  if (mode !== 'FULL' && mode !== 'UPDATE') {
    throw new Error(`Property trainingMode must be FULL or UPDATE, got ${JSON.stringify(props[P.trainingMode])}`);
  }
  const name = toStr(props[P.name], P.name);
  const spec: { readonly [K in keyof Required<SolutionVersionSpec>]: SolutionVersionSpec[K] } = {
    solutionArn: requiredStr(props[P.solutionArn], P.solutionArn),
    trainingMode: mode as TrainingModeValue,
    name: name === '' ? undefined : name,
    tags: toTags(props[P.tags], P.tags),
    retrainTrigger: toStr(props[P.retrainTrigger], P.retrainTrigger) ?? '',
    followedImports: toStrList(props[P.followedImports], P.followedImports) ?? [],
    waitCondition: requiredStr(props[P.waitCondition], P.waitCondition),
    stateMachineArn: requiredStr(props[P.stateMachineArn], P.stateMachineArn),
    trainingTimeoutSeconds: positive(props[P.trainingTimeoutSeconds], P.trainingTimeoutSeconds, DEFAULT_TRAINING_TIMEOUT_SECONDS),
  };
  return spec;
}

function positive(value: unknown, path: string, fallback: number): number {
  const n = toInteger(value, path) ?? fallback;
  if (n < 1) {
    throw new Error(`Property ${path} must be a positive integer, got ${JSON.stringify(value)}`);
  }
  return n;
}

/** The spec members that differ between two events' properties, and whether they start a training. */
export function planVersionUpdate(event: OnEventRequest): { changed: string[]; retrain: boolean } {
  const before = parseSolutionVersionSpec(event.OldResourceProperties ?? {});
  const after = parseSolutionVersionSpec(event.ResourceProperties);
  const keys = Object.keys({ ...before, ...after }) as Array<keyof SolutionVersionSpec>;
  const changed = keys.filter((key) => !sameValue(before[key] ?? null, after[key] ?? null)).sort();
  return { changed, retrain: changed.some((key) => RETRAIN_MEMBERS.includes(key as keyof SolutionVersionSpec)) };
}

export interface SolutionVersionHandlerOptions extends HandlerOptions {
  /** Starts the training poller's executions. */
  readonly stepFunctions: SFNClient;
  /** Retries of CreateSolutionVersion after ResourceInUse / LimitExceeded; `sleep` and `now` are injectable. */
  readonly backoff?: BackoffOptions;
}

/**
 * Custom::PersonalizeSolutionVersion: starts a training and the poller that signals its wait
 * condition, without waiting for it (a training can outlast CloudFormation's one hour), so every
 * decision is done at once. The physical id is the solution version ARN.
 */
export class SolutionVersionHandler extends ImmediateHandler {
  private readonly now: () => number;

  constructor(private readonly personalize: PersonalizeApi, private readonly options: SolutionVersionHandlerOptions) {
    super();
    this.now = options.now ?? options.backoff?.now ?? Date.now;
  }

  protected async onCreate(event: OnEventRequest): Promise<Decided<Done>> {
    return this.train(event, parseSolutionVersionSpec(event.ResourceProperties), false);
  }

  // --- Create / Update ----------------------------------------------------------------------

  protected async onUpdate(event: OnEventRequest): Promise<Decided<Done>> {
    const arn = event.PhysicalResourceId;
    const settings = parseSolutionVersionSpec(event.ResourceProperties);
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
          return { PhysicalResourceId: arn, Data: attributes(arn), Decision: DONE };
        }
        throw new Error(
          `A new training of ${settings.solutionArn} is needed (${plan.changed.filter((m) => RETRAIN_MEMBERS.includes(m as keyof SolutionVersionSpec)).join(', ')} ` +
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
      const before = parseSolutionVersionSpec(event.OldResourceProperties ?? {});
      await updateTags(this.personalize, arn, before.tags ?? [], settings.tags ?? []);
    }
    return { PhysicalResourceId: arn, Data: attributes(arn), Decision: DONE };
  }

  /** Whether `arn` is a version of the requested solution, mode and name. */
  private async alreadyTrainedFor(arn: string, settings: SolutionVersionSpec): Promise<boolean> {
    if (!arn.startsWith(`${settings.solutionArn}/`)) {
      return false;
    }
    const version = await describeVersion(this.personalize, arn, true);
    const name = version?.name ?? '';
    return (version?.trainingMode ?? 'FULL') === settings.trainingMode
      && (settings.name === undefined || name === settings.name || name.startsWith(`${settings.name}-`));
  }

  /** CreateSolutionVersion (or finds the one a previous delivery of this request created), then starts the poller. */
  private async train(event: OnEventRequest, settings: SolutionVersionSpec, replacing: boolean): Promise<Decided<Done>> {
    const name = settings.name === undefined
      ? generatedVersionName(event)
      : replacing ? replacementName(settings.name, event.RequestId) : settings.name;
    const request: CreateSolutionVersionRequest = compact({
      solutionArn: settings.solutionArn,
      trainingMode: settings.trainingMode,
      name,
      tags: settings.tags && settings.tags.length > 0 ? settings.tags : undefined,
    });

    // An UPDATE needs the list anyway (an ACTIVE FULL version to build on); the poller's prediction reuses it.
    const earlier = settings.trainingMode === 'UPDATE' ? await listVersions(this.personalize, settings.solutionArn) : undefined;
    if (earlier) {
      this.requireActiveFullVersion(settings.solutionArn, earlier);
    }

    const arn = await this.createVersion(request);
    await this.startPoller(event, settings, arn, earlier);
    return { PhysicalResourceId: arn, Data: attributes(arn), Decision: DONE };
  }

  private requireActiveFullVersion(solutionArn: string, versions: readonly SolutionVersionSummary[]): void {
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
        () => this.personalize.createSolutionVersion(request),
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

  /**
   * How long the solution's earlier trainings of the same mode took (0 when unknown or unreadable),
   * from `earlier` when the caller listed the versions already.
   */
  private async expectedTrainingSeconds(settings: SolutionVersionSpec, earlier?: readonly SolutionVersionSummary[]): Promise<number> {
    try {
      const versions = earlier ?? await listVersions(this.personalize, settings.solutionArn);
      const seconds = expectedTrainingSeconds(versions, settings.trainingMode);
      console.log(seconds > 0 ? `Earlier trainings took ${formatDuration(seconds)}` : 'No earlier training of this mode to predict from');
      return seconds;
    } catch (err) {
      // Only the polling schedule depends on it: poll as for a first training.
      console.log(`Could not list earlier versions (${(err as Error).message}); polling as for a first training`);
      return 0;
    }
  }

  private async startPoller(
    event: OnEventRequest, settings: SolutionVersionSpec, solutionVersionArn: string, earlier?: readonly SolutionVersionSummary[],
  ): Promise<void> {
    const expected = await this.expectedTrainingSeconds(settings, earlier);
    try {
      await startJobPoller(this.options.stepFunctions, settings.stateMachineArn, pollerExecutionName(event, solutionVersionArn), {
        kind: 'training',
        jobArn: solutionVersionArn,
        stackId: event.StackId,
        jobLogicalId: event.LogicalResourceId,
        waitLogicalId: settings.waitCondition,
        deadline: Math.floor(this.now() / 1000) + settings.trainingTimeoutSeconds,
        timeoutSeconds: settings.trainingTimeoutSeconds,
        expectedSeconds: expected,
      });
    } catch (err) {
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
  protected async onDelete(event: OnEventRequest): Promise<Decided<Done>> {
    const arn = event.PhysicalResourceId;
    if (!isSolutionVersionArn(arn)) {
      console.log(`Physical id ${arn} is not a solution version ARN (failed create); nothing to do`);
      return { PhysicalResourceId: arn, Decision: DONE };
    }
    const version = await describeVersion(this.personalize, arn, true);
    if (!version) {
      console.log(`Solution version ${arn} no longer exists`);
    } else if (version.status !== undefined && STOPPABLE_VERSION_STATES.has(version.status)) {
      await stopVersion(this.personalize, arn);
    } else {
      console.log(`Solution version ${arn} is ${version.status}; nothing to do`);
    }
    return { PhysicalResourceId: arn, Decision: DONE };
  }
}

const LIMIT_EXCEEDED = 'LimitExceededException';
const RESOURCE_ALREADY_EXISTS = 'ResourceAlreadyExistsException';
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

function describeCounts(versions: readonly SolutionVersionSummary[]): string {
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
