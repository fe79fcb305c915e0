import { createHash } from 'crypto';
// The SDK is a devDependency on purpose: esbuild bundles it into the handler.
import {
  CreateSolutionCommand,
  DeleteSolutionCommand,
  DescribeSolutionCommand,
  ListSolutionVersionsCommand,
  StopSolutionVersionCreationCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateSolutionCommand,
  type CreateSolutionRequest,
  type PersonalizeClient,
  type Solution,
  type SolutionVersionSummary,
  type Tag,
} from '@aws-sdk/client-personalize';
import { createdWithin, personalizeArnPrefix } from './adopt';
import { changedMembers } from './diff';
import { callService, isErrorNamed, RESOURCE_IN_USE, RESOURCE_NOT_FOUND } from './errors';
import { compact, isTrue, toCreateSolutionRequest } from './request';
import { DELETING_STATES, Status, STOPPABLE_VERSION_STATES, TRAINING_VERSION_STATES } from './status';
import type {
  IsCompleteRequest,
  IsCompleteResponse,
  OnEventRequest,
  OnEventResponse,
  ResourceData,
  ResourceHandler,
} from './types';
import {
  GENERATED_NAME_MAX_LENGTH,
  IN_PLACE_SOLUTION_CONFIG_MEMBERS,
  IN_PLACE_SOLUTION_MEMBERS,
  SolutionAttributes,
  SolutionControlKeys,
} from '../private/contract';

/** `arn:<partition>:personalize:<region>:<account>:solution/<name>` (a version ARN has one more segment). */
const SOLUTION_ARN = /^arn:[a-z\d-]+:personalize:[^:]*:[^:]*:solution\/([^/]+)$/;

export function isSolutionArn(id: string | undefined): id is string {
  return id !== undefined && SOLUTION_ARN.test(id);
}

function nameFromArn(arn: string): string {
  return SOLUTION_ARN.exec(arn)?.[1] ?? arn;
}

/** Paths (as reported by changedMembers) that UpdateSolution or tagging can change in place. */
const IN_PLACE_PATHS: ReadonlySet<string> = new Set<string>([
  ...IN_PLACE_SOLUTION_MEMBERS,
  ...IN_PLACE_SOLUTION_CONFIG_MEMBERS.map((member) => `solutionConfig.${member}`),
]);

/** What an Update has to do, derived from the old and new properties alone (so isComplete can re-derive it). */
export interface SolutionUpdatePlan {
  readonly before: CreateSolutionRequest;
  readonly after: CreateSolutionRequest;
  /** Every changed member path. */
  readonly changed: string[];
  /** Changed members that force a new solution. */
  readonly replacing: string[];
  /** Whether UpdateSolution is needed (in-place only). */
  readonly updateSolution: boolean;
  /** Whether tags need TagResource/UntagResource (in-place only). */
  readonly updateTags: boolean;
}

export function planSolutionUpdate(event: OnEventRequest): SolutionUpdatePlan {
  const before = toCreateSolutionRequest(event.OldResourceProperties ?? {});
  const after = toCreateSolutionRequest(event.ResourceProperties);
  const changed = changedMembers(before, after, ['solutionConfig']);
  const replacing = changed.filter((path) => !IN_PLACE_PATHS.has(path));
  const inPlace = replacing.length === 0;
  return {
    before,
    after,
    changed,
    replacing,
    updateSolution: inPlace && changed.some((path) => path !== 'tags'),
    updateTags: inPlace && changed.includes('tags'),
  };
}

/** `<base>-<8 hex chars>`, stable for a given CloudFormation request. */
export function replacementName(base: string, requestId: string): string {
  const suffix = createHash('sha256').update(requestId).digest('hex').slice(0, 8);
  return `${base.slice(0, GENERATED_NAME_MAX_LENGTH)}-${suffix}`;
}

const RESOURCE_ALREADY_EXISTS = 'ResourceAlreadyExistsException';

/**
 * Why an existing solution of the requested name was not created by this request (undefined: it
 * was, and is taken over). Personalize reports no creator, so "this request" means: the same dataset
 * group and recipe (or AutoML), created within the adopt window, and not being deleted.
 */
export function whyNotAdoptable(solution: Solution, request: CreateSolutionRequest, now: number): string | undefined {
  if (solution.status !== undefined && DELETING_STATES.has(solution.status)) {
    return `it is being deleted (${solution.status}); deploy again once the deletion has finished`;
  }
  if (solution.datasetGroupArn !== request.datasetGroupArn) {
    return `it belongs to dataset group ${solution.datasetGroupArn ?? 'unknown'}, not ${request.datasetGroupArn}`;
  }
  if (request.performAutoML === true) {
    if (solution.performAutoML !== true) {
      return 'it does not use AutoML (performAutoML), and this request does';
    }
  } else if (solution.performAutoML === true || solution.recipeArn !== request.recipeArn) {
    return `it uses ${solution.performAutoML === true ? 'AutoML' : `recipe ${solution.recipeArn ?? 'unknown'}`}, not recipe ${request.recipeArn ?? 'none'}`;
  }
  if (!createdWithin(solution.creationDateTime, now)) {
    return `it was created at ${solution.creationDateTime?.toISOString() ?? 'an unknown time'}, before this deployment`;
  }
  return undefined;
}

export interface SolutionHandlerOptions {
  /** Milliseconds since the epoch. */
  readonly now?: () => number;
}

/**
 * Custom::PersonalizeSolution. Properties are the CreateSolution request (see request.ts);
 * the physical id is the solution ARN.
 */
export class SolutionHandler implements ResourceHandler {
  private readonly now: () => number;

  constructor(private readonly personalize: PersonalizeClient, options: SolutionHandlerOptions = {}) {
    this.now = options.now ?? Date.now;
  }

  public async onEvent(event: OnEventRequest): Promise<OnEventResponse> {
    switch (event.RequestType) {
      case 'Create':
        return this.create(event, toCreateSolutionRequest(event.ResourceProperties));
      case 'Update':
        return this.onUpdate(event);
      case 'Delete':
        return this.onDelete(event);
      default:
        throw new Error(`Unsupported request type: ${String((event as OnEventRequest).RequestType)}`);
    }
  }

  public async isComplete(event: IsCompleteRequest): Promise<IsCompleteResponse> {
    switch (event.RequestType) {
      case 'Create':
        return this.isActive(requireArn(event), false);
      case 'Update':
        return this.isActive(requireArn(event), expectsSolutionUpdate(event), updateRequestedAt(event));
      case 'Delete':
        return this.isDeleted(event.PhysicalResourceId);
      default:
        throw new Error(`Unsupported request type: ${String((event as OnEventRequest).RequestType)}`);
    }
  }

  // --- Create / Update ----------------------------------------------------------------------

  /** CreateSolution, or takes over the solution an earlier delivery of the same request created. */
  private async create(event: OnEventRequest, request: CreateSolutionRequest): Promise<OnEventResponse> {
    console.log(`CreateSolution ${request.name} (recipe ${request.recipeArn ?? 'none'}, performHPO ${request.performHPO ?? false})`);
    let solutionArn: string | undefined;
    try {
      ({ solutionArn } = await callService('CreateSolution', () =>
        this.personalize.send(new CreateSolutionCommand(request))));
    } catch (err) {
      if (!isErrorNamed(err, RESOURCE_ALREADY_EXISTS)) {
        throw err;
      }
      solutionArn = await this.adopt(event, request, err as Error);
      return { PhysicalResourceId: solutionArn, Data: attributes(solutionArn, request.name!) };
    }
    if (!solutionArn) {
      throw new Error(`CreateSolution returned no solutionArn for solution ${request.name}`);
    }
    console.log(`Created ${solutionArn}`);
    return { PhysicalResourceId: solutionArn, Data: attributes(solutionArn, request.name!) };
  }

  /**
   * CreateSolution said the name is taken. CloudFormation invokes the provider asynchronously and
   * Lambda retries a failed invocation, so this may be the same request delivered again: the solution
   * it created is returned as if created now. Anything else rethrows `alreadyExists`, explained.
   */
  private async adopt(event: OnEventRequest, request: CreateSolutionRequest, alreadyExists: Error): Promise<string> {
    const name = request.name!;
    const refuse = (why: string) => new Error(
      `${alreadyExists.message}. A solution named "${name}" already exists and is not taken over as the one this request ` +
      `created: ${why}. ` +
      'Personalize solution names are unique per account and region: change solutionName, or remove it to let the ' +
      'construct generate one.',
    );
    const prefix = personalizeArnPrefix(event.StackId, request.datasetGroupArn);
    if (!prefix) {
      throw refuse(`its ARN cannot be derived from stack ${event.StackId}`);
    }
    const arn = `${prefix}solution/${name}`;
    let solution: Solution | undefined;
    try {
      solution = await this.describe(arn, true);
    } catch (err) {
      throw new Error(`${alreadyExists.message}. Checking whether this request created ${arn} failed: ${(err as Error).message}`);
    }
    if (!solution) {
      throw refuse(`${arn} was not found`);
    }
    const why = whyNotAdoptable(solution, request, this.now());
    if (why !== undefined) {
      throw refuse(why);
    }
    const solutionArn = solution.solutionArn ?? arn;
    console.log(`Solution ${name} already exists (this request was delivered before; ${solution.status}): taking over ${solutionArn}`);
    return solutionArn;
  }

  private async onUpdate(event: OnEventRequest): Promise<OnEventResponse> {
    const arn = event.PhysicalResourceId;
    if (!isSolutionArn(arn)) {
      // The previous create failed before a solution existed: there is nothing to update.
      console.log(`Physical id ${arn} is not a solution ARN; creating`);
      return this.create(event, toCreateSolutionRequest(event.ResourceProperties));
    }

    const plan = planSolutionUpdate(event);
    console.log(`Changed: ${plan.changed.join(', ') || 'nothing'}`);
    if (plan.replacing.length > 0) {
      const name = this.nameForReplacement(event, plan);
      console.log(`Replacing ${arn} (${plan.replacing.join(', ')} changed)`);
      return this.create(event, { ...plan.after, name });
    }

    if (plan.updateTags) {
      await this.updateTags(arn, plan.before.tags ?? [], plan.after.tags ?? []);
    }
    if (plan.updateSolution) {
      const config = plan.after.solutionConfig ?? {};
      const solutionUpdateConfig = compact({
        autoTrainingConfig: config.autoTrainingConfig,
        eventsConfig: config.eventsConfig,
      });
      const input = compact({
        solutionArn: arn,
        performAutoTraining: plan.after.performAutoTraining,
        performIncrementalUpdate: plan.after.performIncrementalUpdate,
        solutionUpdateConfig: Object.keys(solutionUpdateConfig).length > 0 ? solutionUpdateConfig : undefined,
      });
      console.log(`UpdateSolution ${arn}`);
      const requestedAt = this.now();
      await callService('UpdateSolution', () => this.personalize.send(new UpdateSolutionCommand(input)));
      const data = { ...attributes(arn, nameFromArn(arn)), [SolutionAttributes.UPDATE_REQUESTED_AT]: String(requestedAt) };
      return { PhysicalResourceId: arn, Data: data };
    }
    return { PhysicalResourceId: arn, Data: attributes(arn, nameFromArn(arn)) };
  }

  /**
   * Personalize names are unique per account and region, so the replacement (created before the old
   * solution is deleted) needs a name of its own.
   */
  private nameForReplacement(event: OnEventRequest, plan: SolutionUpdatePlan): string {
    const name = plan.after.name!;
    if (isTrue(event.ResourceProperties[SolutionControlKeys.NAME_IS_GENERATED])) {
      return replacementName(name, event.RequestId);
    }
    if (name !== plan.before.name) {
      return name;
    }
    throw new Error(
      `Changing ${plan.replacing.join(', ')} replaces solution "${name}", and Personalize solution names are unique ` +
      'per account and region, so the replacement cannot reuse the name. Change solutionName, or remove it to let ' +
      'the construct generate one.',
    );
  }

  private async updateTags(arn: string, before: Tag[], after: Tag[]): Promise<void> {
    const old = new Map(before.map((t) => [t.tagKey, t.tagValue]));
    const wanted = new Set(after.map((t) => t.tagKey));
    const toSet = after.filter((t) => old.get(t.tagKey) !== t.tagValue);
    const toRemove = [...old.keys()].filter((key) => !wanted.has(key)) as string[];
    if (toRemove.length > 0) {
      console.log(`UntagResource ${arn}: ${toRemove.join(', ')}`);
      await callService('UntagResource', () =>
        this.personalize.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: toRemove })));
    }
    if (toSet.length > 0) {
      console.log(`TagResource ${arn}: ${toSet.map((t) => t.tagKey).join(', ')}`);
      await callService('TagResource', () =>
        this.personalize.send(new TagResourceCommand({ resourceArn: arn, tags: toSet })));
    }
  }

  /** Complete when the solution (and, after UpdateSolution, its latest update) is ACTIVE. */
  private async isActive(arn: string, awaitUpdate: boolean, requestedAt?: number): Promise<IsCompleteResponse> {
    const solution = await this.describe(arn);
    const name = solution.name ?? nameFromArn(arn);
    const update = solution.latestSolutionUpdate;

    // Right after UpdateSolution, DescribeSolution may still report the previous (ACTIVE) update;
    // a version trained then would train on the old configuration. 1 s allows for clock skew.
    const updateTime = update?.creationDateTime?.getTime();
    if (awaitUpdate && requestedAt !== undefined && (updateTime === undefined || updateTime < requestedAt - 1000)) {
      console.log(`Solution ${name}: the update requested at ${new Date(requestedAt).toISOString()} is not reported yet`);
      return { IsComplete: false };
    }

    if (awaitUpdate && update?.status !== undefined && update.status !== Status.ACTIVE) {
      if (update.status === Status.CREATE_FAILED) {
        throw new Error(`Updating solution ${name} failed: ${update.failureReason ?? update.status}`);
      }
      console.log(`Solution ${name} update is ${update.status}`);
      return { IsComplete: false };
    }

    switch (solution.status) {
      case Status.ACTIVE:
        return { IsComplete: true, Data: attributes(arn, name) };
      case Status.CREATE_FAILED:
        throw new Error(`Creating solution ${name} failed: ${update?.failureReason ?? solution.status}`);
      case Status.DELETE_PENDING:
      case Status.DELETE_IN_PROGRESS:
        throw new Error(`Solution ${name} is being deleted (${solution.status})`);
      default:
        console.log(`Solution ${name} is ${solution.status}`);
        return { IsComplete: false };
    }
  }

  // --- Delete -------------------------------------------------------------------------------

  private async onDelete(event: OnEventRequest): Promise<OnEventResponse> {
    const arn = event.PhysicalResourceId;
    if (!isSolutionArn(arn)) {
      console.log(`Physical id ${arn} is not a solution ARN (failed create); nothing to delete`);
      return { PhysicalResourceId: arn };
    }
    const versions = await this.listVersions(arn);
    if (versions) {
      await this.stopTraining(versions);
    }
    return { PhysicalResourceId: arn };
  }

  /**
   * DeleteSolution is refused while versions train, so stop them first and wait; done once
   * DescribeSolution reports the solution gone (the dataset group can then be deleted).
   */
  private async isDeleted(arn: string | undefined): Promise<IsCompleteResponse> {
    if (!isSolutionArn(arn)) {
      return { IsComplete: true };
    }
    const solution = await this.describe(arn, true);
    if (!solution) {
      console.log(`Solution ${arn} deleted`);
      return { IsComplete: true };
    }
    if (solution.status !== undefined && DELETING_STATES.has(solution.status)) {
      console.log(`Solution ${arn} is ${solution.status}`);
      return { IsComplete: false };
    }

    const versions = await this.listVersions(arn);
    if (!versions) {
      return { IsComplete: true };
    }
    const training = versions.filter((v) => v.status !== undefined && TRAINING_VERSION_STATES.has(v.status));
    if (training.length > 0) {
      console.log(`Waiting for ${training.length} solution version(s) to stop`);
      await this.stopTraining(training);
      return { IsComplete: false };
    }

    try {
      console.log(`DeleteSolution ${arn}`);
      await callService('DeleteSolution', () => this.personalize.send(new DeleteSolutionCommand({ solutionArn: arn })));
    } catch (err) {
      if (isErrorNamed(err, RESOURCE_NOT_FOUND)) {
        return { IsComplete: true };
      }
      if (isErrorNamed(err, RESOURCE_IN_USE)) {
        // e.g. an update or a version still settling, or a campaign still using it: try again later.
        console.log((err as Error).message);
        return { IsComplete: false };
      }
      throw err;
    }
    return { IsComplete: false };
  }

  /** Stops versions that are pending or training; ones already stopping or gone are fine. */
  private async stopTraining(versions: SolutionVersionSummary[]): Promise<void> {
    for (const version of versions) {
      if (version.status === undefined || !STOPPABLE_VERSION_STATES.has(version.status)) {
        continue;
      }
      const solutionVersionArn = version.solutionVersionArn!;
      try {
        console.log(`StopSolutionVersionCreation ${solutionVersionArn} (${version.status})`);
        await callService('StopSolutionVersionCreation', () =>
          this.personalize.send(new StopSolutionVersionCreationCommand({ solutionVersionArn })));
      } catch (err) {
        if (!isErrorNamed(err, RESOURCE_NOT_FOUND, RESOURCE_IN_USE)) {
          throw err;
        }
      }
    }
  }

  /** All versions of the solution, or undefined when the solution no longer exists. */
  private async listVersions(solutionArn: string): Promise<SolutionVersionSummary[] | undefined> {
    const versions: SolutionVersionSummary[] = [];
    let nextToken: string | undefined;
    try {
      do {
        const page = await callService('ListSolutionVersions', () =>
          this.personalize.send(new ListSolutionVersionsCommand({ solutionArn, nextToken, maxResults: 100 })));
        versions.push(...(page.solutionVersions ?? []));
        nextToken = page.nextToken;
      } while (nextToken);
    } catch (err) {
      if (isErrorNamed(err, RESOURCE_NOT_FOUND)) {
        return undefined;
      }
      throw err;
    }
    return versions;
  }

  private async describe(solutionArn: string): Promise<Solution>;
  private async describe(solutionArn: string, allowMissing: true): Promise<Solution | undefined>;
  private async describe(solutionArn: string, allowMissing = false): Promise<Solution | undefined> {
    try {
      const { solution } = await callService('DescribeSolution', () =>
        this.personalize.send(new DescribeSolutionCommand({ solutionArn })));
      if (!solution) {
        throw new Error(`DescribeSolution returned no solution for ${solutionArn}`);
      }
      return solution;
    } catch (err) {
      if (allowMissing && isErrorNamed(err, RESOURCE_NOT_FOUND)) {
        return undefined;
      }
      throw err;
    }
  }
}

/**
 * Whether onEvent called UpdateSolution, re-derived from the properties. Old properties that cannot
 * be read mean onEvent created the solution instead (the previous create had failed).
 */
function expectsSolutionUpdate(event: OnEventRequest): boolean {
  try {
    return planSolutionUpdate(event).updateSolution;
  } catch {
    return false;
  }
}

function updateRequestedAt(event: IsCompleteRequest): number | undefined {
  const value = Number(event.Data?.[SolutionAttributes.UPDATE_REQUESTED_AT]);
  return Number.isFinite(value) && value > 0 ? value : undefined;
}

function requireArn(event: IsCompleteRequest): string {
  if (!isSolutionArn(event.PhysicalResourceId)) {
    throw new Error(`Expected a solution ARN as physical id, got ${event.PhysicalResourceId}`);
  }
  return event.PhysicalResourceId;
}

function attributes(arn: string, name: string): ResourceData {
  return {
    [SolutionAttributes.SOLUTION_ARN]: arn,
    [SolutionAttributes.SOLUTION_NAME]: name,
  };
}
