import { Aspects, CfnOutput, CfnWaitCondition, CustomResource, Names, Resource, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, IConstruct } from 'constructs';
import { BatchInferenceJobMode, BatchInferenceJobProps, BatchJobLocation, BatchJobOptions, BatchSegmentJobProps } from './batch-job-props';
import { Filter } from './filter';
import { personalizeArnOf } from './private/arns';
import {
  BATCH_INFERENCE_JOB_RESOURCE_TYPE, BATCH_JOB_RESULT_RESOURCE_TYPE, BATCH_SEGMENT_JOB_RESOURCE_TYPE, BatchJobAttributes, BatchJobControlKeys,
  BatchJobResultKeys, GENERATED_NAME_MAX_LENGTH, MAX_WAIT_SECONDS,
} from './private/contract';
import { isExploring, renderExploration, validateExploration } from './private/exploration';
import { JobWaiter } from './private/job-waiter';
import { kmsKeyProblem } from './private/kms-keys';
import { acknowledgeNag } from './private/nag';
import { PersonalizeProvider } from './private/provider';
import { trainingKeyOf } from './private/training-key';
import { checkEnumValue, checkKind, checkKnownKeys, checkReference, constructAt } from './private/untyped';
import { PropsValidator } from './private/validation';
import { Recipe, RecipeType } from './recipe';
import { Solution } from './solution';

const PERSONALIZE = 'personalize.amazonaws.com';

type BatchKind = 'inference' | 'segment';

/** Batch jobs of each kind pending or in progress at once, per region (the quotas page). */
const BATCH_JOBS_AT_ONCE = 5;

const KINDS = {
  inference: { what: 'batch inference job', resourceType: BATCH_INFERENCE_JOB_RESOURCE_TYPE, arnType: 'batch-inference-job', api: 'BatchInferenceJob' },
  segment: { what: 'batch segment job', resourceType: BATCH_SEGMENT_JOB_RESOURCE_TYPE, arnType: 'batch-segment-job', api: 'BatchSegmentJob' },
} as const;

/**
 * What batch inference and batch segment jobs share: a custom resource that starts the job and the
 * stack's job poller, a wait condition the poller signals once the job ended (up to 11 hours), and
 * a result resource that reads the outcome and fails with Personalize's reason unless it is ACTIVE.
 */
abstract class BatchJobBase extends Resource {
  /**
   * The name of the job of the last deploy that ran it.
   * @attribute
   */
  public readonly jobName: string;

  /**
   * Where the job wrote its output: `s3://<bucket>/<output prefix><job name>/`, available once the job
   * succeeded.
   * @attribute
   */
  public readonly outputLocation: string;

  /** The role Personalize assumes to read the input and write the output. */
  public readonly role: iam.IRole;

  protected readonly jobArn: string;
  private readonly kind: BatchKind;

  protected constructor(scope: Construct, id: string, kind: BatchKind, props: BatchJobOptions, request: Record<string, unknown>) {
    super(scope, id);
    this.kind = kind;
    const K = KINDS[kind];
    const stackJobs = Stack.of(this).node.findAll().filter(c => c instanceof BatchJobBase && c.kind === kind).length;
    if (stackJobs > BATCH_JOBS_AT_ONCE) {
      // The quotas page: 5 jobs of each kind pending or in progress per region. A first deploy runs them all at once.
      new PropsValidator(this, K.what).warn('batch-job-quota', `this stack has ${stackJobs} ${K.what}s: Personalize runs at most `
        + `${BATCH_JOBS_AT_ONCE} at once per region (more are refused), and a deploy may start them together. Spread them over stacks or deploys, `
        + 'or raise the quota.');
    }
    this.role = props.role ?? new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal(PERSONALIZE),
      description: `Lets Amazon Personalize read the input and write the output of a ${K.what}`,
    });
    this.grantLocations(props);

    const provider = PersonalizeProvider.of(this);
    const waiter = JobWaiter.of(this);
    const namePrefix = Names.uniqueResourceName(this, { maxLength: GENERATED_NAME_MAX_LENGTH });
    const wait = new CfnWaitCondition(this, 'Wait', {});
    wait.cfnOptions.creationPolicy = { resourceSignal: { count: 1, timeout: `PT${MAX_WAIT_SECONDS / 3600}H` } };
    const properties = {
      ...request,
      solutionVersionArn: props.solutionVersion.solutionVersionArn,
      filterArn: props.filter?.filterArn,
      jobInput: { s3DataSource: s3Config(props.input) },
      jobOutput: { s3DataDestination: s3Config(props.output) },
      roleArn: this.role.roleArn,
      [BatchJobControlKeys.JOB_NAME_PREFIX]: namePrefix,
      [BatchJobControlKeys.JOB_TRIGGER]: props.jobTrigger,
    };
    let named = false;
    Aspects.of(this).add({
      visit: (node: IConstruct) => {
        if (node === wait && !named) {
          named = true;
          this.nameWait(wait, properties, props.jobTrigger);
        }
      },
    });
    const job = new CustomResource(this, 'Resource', {
      serviceToken: provider.serviceToken,
      resourceType: K.resourceType,
      properties: {
        ...properties,
        [BatchJobControlKeys.WAIT_CONDITION]: wait.logicalId,
        [BatchJobControlKeys.STATE_MACHINE_ARN]: waiter.stateMachine.stateMachineArn,
      },
    });
    // The version must have trained, the filter be ready, and Personalize able to reach the data.
    job.node.addDependency(props.solutionVersion, this.role);
    if (props.filter) {
      job.node.addDependency(props.filter);
    }
    for (const location of [props.input, props.output]) {
      if (location.bucket.policy) {
        job.node.addDependency(location.bucket.policy);
      }
    }
    wait.node.addDependency(job);
    const result = new CustomResource(this, 'Result', {
      serviceToken: provider.serviceToken,
      resourceType: BATCH_JOB_RESULT_RESOURCE_TYPE,
      properties: { [BatchJobResultKeys.JOB_ARN]: job.getAttString(BatchJobAttributes.JOB_ARN) },
    });
    result.node.addDependency(wait);
    this.jobArn = result.getAttString(BatchJobAttributes.JOB_ARN);
    this.jobName = result.getAttString(BatchJobAttributes.JOB_NAME);
    this.outputLocation = result.getAttString(BatchJobAttributes.OUTPUT_LOCATION);
    new CfnOutput(this, 'OutputLocation', { value: this.outputLocation, description: `Output of ${K.what} ${this.node.path}` });

    const jobs = personalizeArnOf(this, K.arnType, `${namePrefix}-*`);
    provider.allow([`personalize:Create${K.api}`, `personalize:Describe${K.api}`], [jobs]);
    provider.allow(['states:StartExecution'], [waiter.stateMachine.stateMachineArn]);
    provider.role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['iam:PassRole'],
      resources: [this.role.roleArn],
      conditions: { StringEquals: { 'iam:PassedToService': PERSONALIZE } },
    }));
    waiter.allow([`personalize:Describe${K.api}`], [jobs]);
  }

  /** Read access to the input prefix and write access to the output prefix, for the role and for Personalize itself. */
  private grantLocations(props: BatchJobOptions): void {
    const service = new iam.ServicePrincipal(PERSONALIZE);
    const grant = (location: BatchJobLocation, actions: string[]) => {
      const objects = location.bucket.arnForObjects(`${location.prefix}*`);
      const list = { StringLike: { 's3:prefix': [`${location.prefix}*`] } };
      this.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions, resources: [objects] }));
      this.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [location.bucket.bucketArn], conditions: list }));
      const added = [
        location.bucket.addToResourcePolicy(new iam.PolicyStatement({ principals: [service], actions, resources: [objects] })),
        location.bucket.addToResourcePolicy(new iam.PolicyStatement({
          principals: [service], actions: ['s3:ListBucket'], resources: [location.bucket.bucketArn], conditions: list,
        })),
      ].every(r => r.statementAdded);
      if (!added) {
        new PropsValidator(this, KINDS.inference.what).warn('bucket-policy',
          `the policy of bucket ${location.bucket.node.path} cannot be changed here: it must allow ${PERSONALIZE} ${actions.join(', ')} on '${location.prefix}*' and s3:ListBucket`);
      }
      return objects;
    };
    grant(props.input, ['s3:GetObject']);
    grant(props.output, ['s3:PutObject']);
    const inputKey = props.input.encryptionKey ?? props.input.bucket.encryptionKey;
    inputKey?.grantDecrypt(this.role);
    const outputKey = props.output.encryptionKey ?? props.output.bucket.encryptionKey;
    outputKey?.grantEncryptDecrypt(this.role);
    if (!props.role) {
      acknowledgeNag(this.role, [{ rule: /^AwsSolutions-IAM5\[Resource::.+\/\*\]$/, reason: 'Personalize reads every object under the input prefix and writes under the output prefix, and only those' }]);
    }
  }

  private nameWait(wait: CfnWaitCondition, properties: Record<string, unknown>, jobTrigger: string | undefined): void {
    const { key, deployTimeValues } = trainingKeyOf(this, properties);
    if (deployTimeValues.length > 0 && jobTrigger === undefined) {
      throw new Error(
        `${this.constructor.name} ${this.node.path}: the job uses values known only at deploy time (${deployTimeValues.join('; ')}), so synth ` +
        'cannot tell when a deploy runs it again, and a new run needs a new wait condition. Set jobTrigger, and change it whenever those values change.',
      );
    }
    wait.overrideLogicalId(`${Stack.of(this).resolve(wait.logicalId)}${key}`);
  }
}

function s3Config(location: BatchJobLocation): Record<string, unknown> {
  const key = location.encryptionKey ?? location.bucket.encryptionKey;
  return { path: `s3://${location.bucket.bucketName}/${location.prefix}`, kmsKeyArn: key?.keyArn };
}

/** What callers without a type checker may get wrong before anything is built: the references. */
function checkReferences(what: string, props: BatchJobOptions): void {
  checkReference(`${what} solutionVersion`, props?.solutionVersion, 'an ISolutionVersion', 'solutionVersionArn', 'solution.addVersion(...) or SolutionVersion.fromSolutionVersionArn(...)');
  checkReference(`${what} filter`, props.filter, 'an IFilter', 'filterArn', 'new Filter(...) or Filter.fromFilterArn(...)', true);
  for (const [field, location] of [['input', props.input], ['output', props.output]] as const) {
    if (location === null || typeof location !== 'object') {
      throw new Error(`${what}: ${field} is ${JSON.stringify(location)}: must be a location, e.g. { bucket, prefix: 'batch/${field}/' }`);
    }
    checkKnownKeys(`${what} ${field}`, 'BatchJobLocation', location);
    checkReference(`${what} ${field}.bucket`, location.bucket, 'an s3.IBucket', 'bucketName', 'new s3.Bucket(...) or s3.Bucket.fromBucketName(...)');
  }
}

/** Checks what both kinds take: the locations, numResults, the trigger, the filter's group. */
function validateCommon(scope: Construct, what: string, props: BatchJobOptions, maxResults: number, numResults: number | undefined): PropsValidator {
  const v = new PropsValidator(scope, what);
  for (const [field, location] of [['input', props.input], ['output', props.output]] as const) {
    if (typeof location.prefix !== 'string') {
      v.fail(`${field}.prefix`, location.prefix, 'must be a string: a key prefix in the bucket, e.g. \'batch/input/\'');
    } else if (!Token.isUnresolved(location.prefix) && (location.prefix.startsWith('/') || location.prefix.startsWith('s3://'))) {
      v.fail(`${field}.prefix`, location.prefix, 'must be a key within the bucket, e.g. \'batch/input/\'');
    }
  }
  for (const [field, location] of [['input', props.input], ['output', props.output]] as const) {
    const keyProblem = kmsKeyProblem(location.encryptionKey ?? location.bucket.encryptionKey);
    if (keyProblem) {
      v.failCombination(`${field}.encryptionKey ${keyProblem}`);
    }
  }
  v.integer('numResults', numResults, 1, maxResults);
  if (props.jobTrigger !== undefined && (typeof props.jobTrigger !== 'string' || Token.isUnresolved(props.jobTrigger))) {
    v.fail('jobTrigger', props.jobTrigger, 'must be a string known at synth: a new run needs a new wait condition, named after it');
  }
  const sameBucket = props.input.bucket === props.output.bucket;
  if (sameBucket && typeof props.output.prefix === 'string' && typeof props.input.prefix === 'string' && props.output.prefix.startsWith(props.input.prefix)) {
    v.warn('output-in-input', `output.prefix '${props.output.prefix}' lies within input.prefix '${props.input.prefix}': a later run would read `
      + 'earlier output as input. The guide recommends a separate output folder or bucket.');
  }
  const solution = props.solutionVersion.solution;
  if (props.filter instanceof Filter && solution instanceof Solution && props.filter.datasetGroup !== solution.datasetGroup) {
    v.fail('filter', props.filter.node.path, `must belong to the dataset group of solution ${solution.node.path}`);
  }
  return v;
}

/**
 * An Amazon Personalize batch inference job: recommendations for every line of the input (users,
 * items, or both, in JSON Lines), written to S3 during `cdk deploy`.
 *
 * The job runs on each deploy that changes it or its job trigger, after its solution version has
 * trained; the deploy waits for it (up to 11 hours) and fails with Personalize's reason if it fails.
 * Each run writes to a folder of its own (the output location). A job cannot be stopped: a delete
 * during a run waits up to 45 minutes, then leaves it to finish.
 */
export class BatchInferenceJob extends BatchJobBase {
  /**
   * The ARN of the job of the last deploy that ran it.
   * @attribute
   */
  public readonly batchInferenceJobArn: string;

  constructor(scope: Construct, id: string, props: BatchInferenceJobProps) {
    const at = constructAt('batch inference job', scope, id);
    checkKnownKeys(at, 'BatchInferenceJobProps', props);
    checkReferences(at, props);
    checkEnumValue(`${at} mode`, props.mode, Object.values(BatchInferenceJobMode));
    checkKind(`${at} explorationItemAgeCutOff`, props.explorationItemAgeCutOff, 'Duration', ['toDays', 'isUnresolved'], 'Duration.days(7)');
    super(scope, id, 'inference', props, renderInference(props));
    validateInference(this, props);
    this.batchInferenceJobArn = this.jobArn;
  }
}

function renderInference(props: BatchInferenceJobProps): Record<string, unknown> {
  const influence: Record<string, number> = {};
  if (props.rankingInfluence?.freshness !== undefined) influence.FRESHNESS = props.rankingInfluence.freshness;
  if (props.rankingInfluence?.popularity !== undefined) influence.POPULARITY = props.rankingInfluence.popularity;
  const exploration = renderExploration(props);
  const config = { itemExplorationConfig: exploration, rankingInfluence: Object.keys(influence).length > 0 ? influence : undefined };
  return {
    numResults: props.numResults,
    batchInferenceJobMode: props.mode,
    batchInferenceJobConfig: exploration || config.rankingInfluence ? config : undefined,
    themeGenerationConfig: props.themeItemNameColumn === undefined
      ? undefined
      : { fieldsForThemeGeneration: { itemName: props.themeItemNameColumn } },
  };
}

function validateInference(scope: BatchInferenceJob, props: BatchInferenceJobProps): void {
  const v = validateCommon(scope, 'batch inference job', props, 500, props.numResults);
  const recipe = props.solutionVersion.solution?.recipe;
  const type = recipe?.catalogued ? recipe.recipeType?.name : undefined;
  if (type === RecipeType.USER_SEGMENTATION.name) {
    v.fail('solutionVersion', recipe!.recipeName, 'is a USER_SEGMENTATION recipe, which makes user segments: use a BatchSegmentJob');
  } else if (type === RecipeType.PERSONALIZED_ACTIONS.name || recipe?.recipeName === Recipe.TRENDING_NOW.recipeName) {
    v.fail('solutionVersion', recipe!.recipeName, 'has no batch recommendations (the guide: not with Trending-Now or Next-Best-Action)');
  }
  const themes = props.mode === BatchInferenceJobMode.THEME_GENERATION;
  if (themes && recipe?.catalogued && recipe.recipeName !== Recipe.SIMILAR_ITEMS.recipeName) {
    v.fail('mode', props.mode, `THEME_GENERATION needs the Similar-Items recipe, not ${recipe.recipeName}`);
  }
  if (themes && props.themeItemNameColumn === undefined) {
    v.fail('themeItemNameColumn', undefined, 'is required with THEME_GENERATION: the Items column with the item names');
  } else if (!themes && props.themeItemNameColumn !== undefined) {
    v.fail('themeItemNameColumn', props.themeItemNameColumn, 'is only for mode THEME_GENERATION');
  }
  validateExploration(v, props);
  if (isExploring(props) && recipe?.catalogued && !recipe.supportsItemExploration) {
    v.fail('explorationWeight', props.explorationWeight ?? '(cut-off)', `needs a recipe with item exploration; ${recipe.recipeName} has none`);
  }
  if (props.rankingInfluence !== undefined) {
    checkKnownKeys(`batch inference job at '${scope.node.path}' rankingInfluence`, 'RankingInfluence', props.rankingInfluence);
    v.number('rankingInfluence.freshness', props.rankingInfluence.freshness, 0, 1);
    v.number('rankingInfluence.popularity', props.rankingInfluence.popularity, 0, 1);
    if (recipe?.catalogued && recipe.recipeName !== Recipe.SEMANTIC_SIMILARITY.recipeName) {
      v.fail('rankingInfluence', JSON.stringify(props.rankingInfluence), `is only for recipe ${Recipe.SEMANTIC_SIMILARITY.recipeName}, not ${recipe.recipeName}`);
    }
  }
  v.throwIfInvalid();
}

/**
 * An Amazon Personalize batch segment job: for each item (Item-Affinity) or item attribute query
 * (Item-Attribute-Affinity) of the input, the users most likely to interact, written to S3 during
 * `cdk deploy`. It runs, waits and fails like a `BatchInferenceJob`.
 */
export class BatchSegmentJob extends BatchJobBase {
  /**
   * The ARN of the job of the last deploy that ran it.
   * @attribute
   */
  public readonly batchSegmentJobArn: string;

  constructor(scope: Construct, id: string, props: BatchSegmentJobProps) {
    const at = constructAt('batch segment job', scope, id);
    checkKnownKeys(at, 'BatchSegmentJobProps', props);
    checkReferences(at, props);
    super(scope, id, 'segment', props, { numResults: props.numResults });
    const v = validateCommon(this, 'batch segment job', props, 5_000_000, props.numResults);
    const recipe = props.solutionVersion.solution?.recipe;
    if (recipe?.catalogued && recipe.recipeType?.name !== RecipeType.USER_SEGMENTATION.name) {
      v.fail('solutionVersion', recipe.recipeName, `must be trained with a USER_SEGMENTATION recipe (Item-Affinity, Item-Attribute-Affinity), not ${recipe.recipeType?.name ?? 'an unknown type'}`);
    }
    v.throwIfInvalid();
    this.batchSegmentJobArn = this.jobArn;
  }
}
