import type { Solution, SolutionVersionSummary, Tag } from '@aws-sdk/client-personalize';
import { campaignServing, deleteUnservedRetired, retire } from './retired-solutions';
import { planSolutionUpdate, whyNotAdoptable, type SolutionUpdatePlan } from './solution-plan';
import { asCreateSolutionRequest, parseSolutionSpec } from './solution-props';
import { specDigest, specTag } from './spec-digest';
import { SOLUTION_SPEC_TAG, SolutionAttributes, SolutionControlKeys } from '../../private/contract';
import type { SolutionSpec } from '../../private/solution-spec';
import { isSolutionArn, replacementName, solutionNameOf } from '../aws/names';
import type { PersonalizeApi } from '../aws/personalize-api';
import { Status, TRAINING_VERSION_STATES, DELETING_STATES, STOPPABLE_VERSION_STATES } from '../aws/status';
import { updateTags } from '../aws/tags';
import { listVersions, stopVersion } from '../aws/versions';
import { personalizeArnPrefix } from '../framework/adopt';
import { CustomResourceHandler, unhandled, type Decided, type HandlerOptions } from '../framework/custom-resource-handler';
import { isErrorNamed, RESOURCE_IN_USE, RESOURCE_NOT_FOUND } from '../framework/errors';
import { compact, isTrue } from '../framework/request';
import type { IsCompleteRequest, IsCompleteResponse, OnEventRequest, ResourceData } from '../framework/types';

const RESOURCE_ALREADY_EXISTS = 'ResourceAlreadyExistsException';

/** What onEvent did, for isComplete. */
type SolutionDecision =
  /** A new solution (on Create, a replacement, or the first one after a failed create): wait until ACTIVE. */
  | { readonly action: 'created' }
  /** UpdateSolution was called at `requestedAt` (epoch ms): wait for that update. */
  | { readonly action: 'updated'; readonly requestedAt: string }
  /** Nothing (or only tags) changed: wait until ACTIVE. */
  | { readonly action: 'kept' }
  /** Delete: stop training versions, delete the solution and wait until it is gone. */
  | { readonly action: 'deleting' }
  /** Delete: a campaign serves one of its versions, so the solution is retired, not deleted. */
  | { readonly action: 'retired'; readonly campaign: string }
  /** Delete of a failed create: there is no solution. */
  | { readonly action: 'none' };

const ACTIONS: ReadonlyArray<SolutionDecision['action']> = ['created', 'updated', 'kept', 'deleting', 'retired', 'none'];

/**
 * Custom::PersonalizeSolution. Properties are the solution spec (the CreateSolution request);
 * the physical id is the solution ARN.
 */
export class SolutionHandler extends CustomResourceHandler<SolutionDecision> {
  private readonly now: () => number;

  constructor(private readonly personalize: PersonalizeApi, options: HandlerOptions = {}) {
    super(ACTIONS);
    this.now = options.now ?? Date.now;
  }

  // --- Create / Update ----------------------------------------------------------------------

  protected async onCreate(event: OnEventRequest): Promise<Decided<SolutionDecision>> {
    return this.create(event, parseSolutionSpec(event.ResourceProperties));
  }

  protected async isDone(event: IsCompleteRequest, decision: SolutionDecision): Promise<IsCompleteResponse> {
    switch (decision.action) {
      case 'created':
      case 'kept':
        return this.isActive(requireArn(event));
      case 'updated':
        return this.isActive(requireArn(event), Number(decision.requestedAt));
      case 'deleting':
        return this.isDeleted(event);
      case 'retired':
      case 'none':
        return { IsComplete: true };
      default:
        return unhandled(decision);
    }
  }

  protected async onUpdate(event: OnEventRequest): Promise<Decided<SolutionDecision>> {
    const arn = event.PhysicalResourceId;
    if (!isSolutionArn(arn)) {
      // The previous create failed before a solution existed: there is nothing to update.
      console.log(`Physical id ${arn} is not a solution ARN; creating`);
      return this.create(event, parseSolutionSpec(event.ResourceProperties));
    }

    const plan = planSolutionUpdate(event);
    console.log(`Changed: ${plan.changed.join(', ') || 'nothing'}`);
    let tagsBefore: Tag[] = plan.before.tags ?? [];
    if (plan.replacing.length > 0) {
      const current = await this.tagsOf(arn);
      if (current === undefined || !current.some(t => t.tagKey === SOLUTION_SPEC_TAG && t.tagValue === specDigest(plan.after))) {
        const name = this.nameForReplacement(event, plan);
        console.log(`Replacing ${arn} (${plan.replacing.join(', ')} changed)`);
        return this.create(event, { ...plan.after, name });
      }
      // The previous update was refused or failed before it replaced anything, so the solution is what
      // these properties describe: this is its rollback, and replacing it would lose its versions.
      console.log(`Solution ${arn} was created with these ${plan.replacing.join(', ')}: keeping it`);
      tagsBefore = current.filter(t => t.tagKey !== SOLUTION_SPEC_TAG);
    }

    if (plan.updateTags || plan.replacing.length > 0) {
      await updateTags(this.personalize, arn, tagsBefore, plan.after.tags ?? []);
    }
    const data = attributes(arn, solutionNameOf(arn));
    if (!plan.updateSolution) {
      return { PhysicalResourceId: arn, Data: data, Decision: { action: 'kept' } };
    }
    const config = plan.after.solutionConfig ?? {};
    const solutionUpdateConfig = compact({
      autoTrainingConfig: config.autoTrainingConfig,
      eventsConfig: config.eventsConfig,
    });
    console.log(`UpdateSolution ${arn}`);
    const requestedAt = this.now();
    await this.personalize.updateSolution(compact({
      solutionArn: arn,
      performAutoTraining: plan.after.performAutoTraining,
      performIncrementalUpdate: plan.after.performIncrementalUpdate,
      solutionUpdateConfig: Object.keys(solutionUpdateConfig).length > 0 ? solutionUpdateConfig : undefined,
    }));
    return { PhysicalResourceId: arn, Data: data, Decision: { action: 'updated', requestedAt: String(requestedAt) } };
  }

  /** The solution's tags; undefined when it is gone. */
  private async tagsOf(arn: string): Promise<Tag[] | undefined> {
    try {
      return (await this.personalize.listTagsForResource({ resourceArn: arn })).tags ?? [];
    } catch (err) {
      if (isErrorNamed(err, RESOURCE_NOT_FOUND)) {
        return undefined;
      }
      throw err;
    }
  }

  /** CreateSolution, or takes over the solution an earlier delivery of the same request created. */
  private async create(event: OnEventRequest, request: SolutionSpec): Promise<Decided<SolutionDecision>> {
    console.log(`CreateSolution ${request.name} (recipe ${request.recipeArn ?? 'none'}, performHPO ${request.performHPO ?? false})`);
    let solutionArn: string | undefined;
    try {
      // The spec tag is of the properties, not of `request`, whose name a replacement changes.
      const tags = [...request.tags ?? [], specTag(parseSolutionSpec(event.ResourceProperties))];
      ({ solutionArn } = await this.personalize.createSolution(asCreateSolutionRequest({ ...request, tags })));
    } catch (err) {
      if (!isErrorNamed(err, RESOURCE_ALREADY_EXISTS)) {
        throw err;
      }
      solutionArn = await this.adopt(event, request, err as Error);
    }
    if (!solutionArn) {
      throw new Error(`CreateSolution returned no solutionArn for solution ${request.name}`);
    }
    console.log(`Solution ${solutionArn}`);
    return { PhysicalResourceId: solutionArn, Data: attributes(solutionArn, request.name), Decision: { action: 'created' } };
  }

  /**
   * CreateSolution said the name is taken. CloudFormation invokes the provider asynchronously and
   * Lambda retries a failed invocation, so this may be the same request delivered again: the solution
   * it created is returned as if created now. Anything else rethrows `alreadyExists`, explained.
   */
  private async adopt(event: OnEventRequest, request: SolutionSpec, alreadyExists: Error): Promise<string> {
    const name = request.name;
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

  /**
   * Personalize names are unique per account and region, so the replacement (created before the old
   * solution is deleted) needs a name of its own.
   */
  private nameForReplacement(event: OnEventRequest, plan: SolutionUpdatePlan): string {
    const name = plan.after.name;
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

  /**
   * Complete when the solution is ACTIVE; after UpdateSolution (called at `updateRequestedAt`),
   * also its latest update.
   */
  private async isActive(arn: string, updateRequestedAt?: number): Promise<IsCompleteResponse> {
    const solution = await this.describe(arn);
    const name = solution.name ?? solutionNameOf(arn);
    const update = solution.latestSolutionUpdate;
    const awaitUpdate = updateRequestedAt !== undefined;

    // Right after UpdateSolution, DescribeSolution may still report the previous (ACTIVE) update;
    // a version trained then would train on the old configuration. 1 s allows for clock skew.
    const updateTime = update?.creationDateTime?.getTime();
    if (awaitUpdate && Number.isFinite(updateRequestedAt) && (updateTime === undefined || updateTime < updateRequestedAt - 1000)) {
      console.log(`Solution ${name}: the update requested at ${new Date(updateRequestedAt).toISOString()} is not reported yet`);
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

  protected async onDelete(event: OnEventRequest): Promise<Decided<SolutionDecision>> {
    const arn = event.PhysicalResourceId;
    if (!isSolutionArn(arn)) {
      console.log(`Physical id ${arn} is not a solution ARN (failed create); nothing to delete`);
      return { PhysicalResourceId: arn, Decision: { action: 'none' } };
    }
    // A campaign still serves one of its versions (a promotion gate kept it over a version of the
    // solution that replaced this one): Personalize would refuse the delete. Retire it instead; the
    // stack deletes it once nothing serves it.
    const servedBy = await campaignServing(this.personalize, arn);
    if (servedBy !== undefined) {
      await retire(this.personalize, arn, event.StackId);
      console.log(`Solution ${arn} is retired, not deleted: campaign ${servedBy} serves one of its versions`);
      return { PhysicalResourceId: arn, Decision: { action: 'retired', campaign: servedBy } };
    }
    const versions = await listVersions(this.personalize, arn, true);
    if (versions) {
      await this.stopTraining(versions);
    }
    return { PhysicalResourceId: arn, Decision: { action: 'deleting' } };
  }

  /**
   * DeleteSolution is refused while versions train, so stop them first and wait; done once
   * DescribeSolution reports the solution gone (the dataset group can then be deleted).
   */
  private async isDeleted(event: IsCompleteRequest): Promise<IsCompleteResponse> {
    const arn = requireArn(event);
    const solution = await this.describe(arn, true);
    if (!solution) {
      console.log(`Solution ${arn} deleted`);
      // Retired solutions of the stack that nothing serves any more go too (e.g. when the stack is
      // deleted after its campaign): the dataset group can only be deleted once they are gone.
      const group = typeof event.ResourceProperties.datasetGroupArn === 'string' ? event.ResourceProperties.datasetGroupArn : undefined;
      const waiting = group ? await deleteUnservedRetired(this.personalize, group, event.StackId) : [];
      if (waiting.length > 0) {
        console.log(`Waiting for retired solution(s) ${waiting.join(', ')} to be deleted`);
      }
      return { IsComplete: waiting.length === 0 };
    }
    if (solution.status !== undefined && DELETING_STATES.has(solution.status)) {
      console.log(`Solution ${arn} is ${solution.status}`);
      return { IsComplete: false };
    }

    const versions = await listVersions(this.personalize, arn, true);
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
      await this.personalize.deleteSolution({ solutionArn: arn });
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
      if (version.status !== undefined && STOPPABLE_VERSION_STATES.has(version.status)) {
        await stopVersion(this.personalize, version.solutionVersionArn!);
      }
    }
  }

  private async describe(solutionArn: string): Promise<Solution>;
  private async describe(solutionArn: string, allowMissing: true): Promise<Solution | undefined>;
  private async describe(solutionArn: string, allowMissing = false): Promise<Solution | undefined> {
    try {
      const { solution } = await this.personalize.describeSolution({ solutionArn });
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
