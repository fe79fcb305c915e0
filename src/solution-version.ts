import { Aspects, CfnOutput, CfnWaitCondition, CustomResource, Duration, ITaggable, Lazy, Resource, Stack, TagManager, TagType, Token } from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';
import { HyperParameters } from './hyper-parameters';
import { importSolutionVersion } from './imported';
import { OfflineMetric } from './offline-metric';
import { SOLUTION_LIST_ACTIONS, SOLUTION_VERSION_ACTIONS } from './private/actions';
import { API_LIMITS, NAME_PATTERN } from './private/api-limits';
import { solutionPathOf } from './private/cloudwatch';
import {
  SOLUTION_VERSION_RESOURCE_TYPE, SolutionVersionAttributes as SolutionVersionAttributeNames, TRAINING_RESULT_RESOURCE_TYPE,
  TrainingResultAttributes, TrainingResultKeys,
} from './private/contract';
import { JobWaiter, MAX_TRAINING_TIMEOUT_SECONDS, MAX_WAIT_SECONDS } from './private/job-waiter';
import { metricLabel, pascalCase } from './private/metrics';
import { ownedSolutionOf, reportedMetricKeys } from './private/owned-solution';
import { PersonalizeProvider } from './private/provider';
import { applyRemovalPolicyAtSynth } from './private/removal';
import { NUMBER_MAX_LENGTH } from './private/result-budget';
import { checkResultBudget } from './private/result-budget-check';
import { versionProperties } from './private/solution-version-spec';
import { trainingKeyOf } from './private/training-key';
import { checkClass, checkEnumValue, checkKind, checkKnownKeys, checkReference, constructAt } from './private/untyped';
import { PropsValidator } from './private/validation';
import { ISolution } from './solution-base';
import { ISolutionVersion, SolutionVersionAttributes, SolutionVersionProps, TrainingMode } from './solution-version-base';


/** The default training timeout. */
const DEFAULT_TRAINING_TIMEOUT = Duration.hours(6);

/**
 * Trains an Amazon Personalize solution during `cdk deploy` and reports the outcome.
 *
 * Training can run for hours: a custom resource starts it, a per-stack state machine polls it and
 * signals a CloudFormation wait condition (up to 12 hours), and a second custom resource reads the
 * tuned hyperparameters and offline metrics once training succeeded. Deleting the stack, or a
 * rollback, stops a training that is still running.
 */
export class SolutionVersion extends Resource implements ISolutionVersion, ITaggable {
  /** Imports a solution version by its ARN; its solution is the one the ARN names, its recipe unknown. */
  public static fromSolutionVersionArn(scope: Construct, id: string, solutionVersionArn: string): ISolutionVersion {
    return importSolutionVersion(scope, id, { solutionVersionArn });
  }

  /** Imports a solution version with what is known of it, e.g. its solution and that solution's recipe. */
  public static fromSolutionVersionAttributes(scope: Construct, id: string, attrs: SolutionVersionAttributes): ISolutionVersion {
    checkKnownKeys(constructAt('SolutionVersion.fromSolutionVersionAttributes', scope, id), 'SolutionVersionAttributes', attrs);
    return importSolutionVersion(scope, id, attrs);
  }

  public readonly solutionVersionArn: string;
  public readonly tags: TagManager;

  /** The solution this version trains. */
  public readonly solution: ISolution;

  /** How it is trained. */
  public readonly trainingMode: TrainingMode;

  /**
   * The version's status once training ended, e.g. `ACTIVE`.
   * @attribute
   */
  public readonly status: string;

  /**
   * The billed training hours, as a string.
   * @attribute
   */
  public readonly trainingHours: string;

  /**
   * The hyperparameters HPO chose, as a JSON object of name to value (`{}` without HPO).
   * @attribute
   */
  public readonly tunedHyperParametersJson: string;

  /**
   * The tuned hyperparameters HPO set at a bound of their declared range, as `name:lower` or
   * `name:upper`, comma-separated, or empty: a value at a bound says the best value may lie beyond
   * the range. The training result's log says where every tuned value landed.
   * @attribute
   */
  public readonly tunedAtBounds: string;

  /**
   * The offline metrics, as a JSON object of metric name to number, e.g.
   * `{"coverage":0.27,"precision_at_25":0.05}` (metrics Personalize did not report are left out).
   * @attribute
   */
  public readonly metricsJson: string;

  private readonly result: CustomResource;
  private readonly tunedNames: string[];
  private readonly handedOut: string[] = []; // tuned names another solution trains on
  private readonly metricKeys: string[];
  private readonly tunedValueMaxLength: number;
  private waitNamed = false;

  constructor(scope: Construct, id: string, props: SolutionVersionProps) {
    const at = constructAt('solution version', scope, id);
    checkKnownKeys(at, 'SolutionVersionProps', props);
    checkReference(`${at} solution`, props.solution, 'an ISolution', 'solutionArn', 'new Solution(...) or Solution.fromSolutionArn(...)');
    checkEnumValue(`${at} trainingMode`, props.trainingMode, Object.values(TrainingMode));
    checkKind(`${at} trainingTimeout`, props.trainingTimeout, 'Duration', ['toSeconds', 'isUnresolved'], 'Duration.hours(6)');
    super(scope, id, { physicalName: props.solutionVersionName });

    this.solution = props.solution;
    const ownedPolicy = ownedSolutionOf(props.solution)?.removalPolicy;
    if (ownedPolicy) {
      // A version follows its solution: deleting a retained solution's version would stop its training.
      applyRemovalPolicyAtSynth(this, ownedPolicy, () => [this.node.findChild('Resource') as CustomResource, this.result]);
    }
    this.trainingMode = props.trainingMode ?? TrainingMode.FULL;
    this.tags = new TagManager(TagType.KEY_VALUE, SOLUTION_VERSION_RESOURCE_TYPE);
    const owned = ownedSolutionOf(props.solution);
    this.tunedNames = owned?.tunedHyperParameterNames ?? [];
    this.tunedValueMaxLength = owned?.tunedValueMaxLength ?? NUMBER_MAX_LENGTH;
    this.metricKeys = reportedMetricKeys(props.solution);
    const timeout = props.trainingTimeout ?? DEFAULT_TRAINING_TIMEOUT;
    this.validate(props, timeout);
    const ranges = Object.fromEntries(Object.entries(owned?.numericRanges ?? {}).filter(([name]) => this.tunedNames.includes(name)));
    checkResultBudget(this, {
      tunedNames: this.tunedNames, metricKeys: this.metricKeys, tunedValueMaxLength: this.tunedValueMaxLength, rangeNames: Object.keys(ranges),
    });
    owned?.versions.push({ trainingMode: this.trainingMode, construct: this });

    const provider = PersonalizeProvider.of(this);
    const waiter = JobWaiter.of(this);

    // A new training needs a new wait condition (they cannot be updated), so the condition is named
    // after everything that starts a training. The poller signals it with SignalResource, which
    // CloudFormation accepts only while it is being created: no URL to leak, no old signals.
    const wait = new CfnWaitCondition(this, 'Training', {});
    wait.cfnOptions.creationPolicy = { resourceSignal: { count: 1, timeout: `PT${MAX_WAIT_SECONDS / 3600}H` } };
    Aspects.of(this).add({ visit: (node: IConstruct) => { if (node === wait) this.nameWait(wait, props); } });

    const version = new CustomResource(this, 'Resource', {
      serviceToken: provider.serviceToken,
      resourceType: SOLUTION_VERSION_RESOURCE_TYPE,
      properties: versionProperties({
        solutionArn: props.solution.solutionArn,
        trainingMode: this.trainingMode,
        name: props.solutionVersionName,
        tags: Lazy.any({ produce: () => this.renderTags() }, { omitEmptyArray: true }),
        retrainTrigger: props.retrainTrigger,
        followedImports: props.retrainOnImport ? Lazy.list({ produce: () => this.followedImports(props) }, { omitEmpty: true }) : undefined,
        waitCondition: wait.logicalId,
        stateMachineArn: waiter.stateMachine.stateMachineArn,
        trainingTimeoutSeconds: timeout.toSeconds(),
      }),
    });
    this.solutionVersionArn = version.getAttString(SolutionVersionAttributeNames.SOLUTION_VERSION_ARN);
    // Train only once the data imports of the dataset group have completed.
    if (owned) {
      version.node.addDependency(...owned.importDependables());
    }

    wait.node.addDependency(version);

    this.result = new CustomResource(this, 'Result', {
      serviceToken: provider.serviceToken,
      resourceType: TRAINING_RESULT_RESOURCE_TYPE,
      properties: {
        [TrainingResultKeys.SOLUTION_VERSION_ARN]: this.solutionVersionArn,
        [TrainingResultKeys.SOLUTION_PATH]: owned ? solutionPathOf(props.solution) : undefined,
        [TrainingResultKeys.TUNED_HYPER_PARAMETERS]: this.tunedNames,
        [TrainingResultKeys.REQUIRED_TUNED_HYPER_PARAMETERS]: Lazy.list({ produce: () => [...new Set(this.handedOut)] }, { omitEmpty: true }),
        [TrainingResultKeys.METRICS]: this.metricKeys,
        [TrainingResultKeys.TRAINING_TIMEOUT_SECONDS]: timeout.toSeconds(),
        [TrainingResultKeys.TUNED_RANGES]: Object.keys(ranges).length > 0 ? ranges : undefined,
      },
    });
    this.result.node.addDependency(wait);

    this.status = this.result.getAttString(TrainingResultAttributes.STATUS);
    this.trainingHours = this.result.getAttString(TrainingResultAttributes.TRAINING_HOURS);
    this.tunedHyperParametersJson = this.result.getAttString(TrainingResultAttributes.TUNED_HPO_PARAMS);
    this.metricsJson = this.result.getAttString(TrainingResultAttributes.METRICS_JSON);
    this.tunedAtBounds = this.result.getAttString(TrainingResultAttributes.TUNED_AT_BOUNDS);

    this.allowTraining(provider, waiter);
    if (props.outputs ?? true) {
      this.addOutputs(props.outputPrefix ?? this.pathBelowStack(), props.detailedOutputs ?? false);
    }
  }

  /**
   * The value HPO chose for one of the solution's tuned hyperparameters, as a token.
   *
   * @param name the hyperparameter's Personalize name, e.g. `hidden_dimension`; the spelling of the
   *   typed ranges in TypeScript, Java, .NET and Go (hidden dimension in camel case) is accepted too
   */
  public tunedHyperParameter(name: string): string {
    const snake = typeof name === 'string' ? name.replace(/[A-Z]/g, c => `_${c.toLowerCase()}`) : name;
    if (!this.tunedNames.includes(name) && this.tunedNames.includes(snake)) {
      name = snake;
    }
    if (!this.tunedNames.includes(name)) {
      const known = this.tunedNames.length > 0 ? this.tunedNames.join(', ') : 'none (the solution does not run HPO)';
      throw new Error(`tunedHyperParameter: '${name}' is not tuned by solution ${this.solution.node.path}; tuned hyperparameters: ${known}`);
    }
    return this.result.getAttString(`${TrainingResultAttributes.TUNED_PREFIX}${name}`);
  }

  /**
   * The values HPO chose for the declared ranges (only those: HPO may not report other tunables), as
   * fixed hyperparameters for another solution of the same recipe (tune once, retrain without HPO), resolved at deploy time.
   */
  public tunedHyperParameters(): HyperParameters {
    const names = (ownedSolutionOf(this.solution)?.rangeNames ?? []).filter(name => this.tunedNames.includes(name));
    if (names.length === 0) {
      throw new Error(`tunedHyperParameters: solution ${this.solution.node.path} does not run HPO over declared ranges, so its version ${this.node.path} tunes nothing`);
    }
    this.handedOut.push(...names);
    const owned = ownedSolutionOf(this.solution);
    return HyperParameters._of(names.map(name => {
      const range = owned?.numericRanges[name];
      const tunedBy = { path: this.node.path, recipeName: this.solution.recipe?.recipeName, range: range && { min: range.min, max: range.max } };
      return { name, value: this.tunedHyperParameter(name), custom: false, tunedBy };
    }));
  }

  /**
   * The value of one offline metric of the trained version (GetSolutionMetrics), as a token, e.g.
   * `OfflineMetric.PRECISION_AT_25`. Not a CloudWatch metric: the solution's metric methods give those.
   */
  public offlineMetricValue(metric: OfflineMetric): string {
    checkClass('offlineMetricValue metric', metric, OfflineMetric, 'OfflineMetric.COVERAGE or OfflineMetric.of(\'coverage\')', true);
    return this.offlineMetric(metric.metricName);
  }

  /**
   * One offline metric of the trained version (GetSolutionMetrics), as a token, e.g.
   * `precision_at_25`. Not a CloudWatch metric: those are the solution's `metric*()` methods.
   *
   * @deprecated use the offline metric value method, which takes an `OfflineMetric`
   */
  public offlineMetric(name: string): string {
    if (!this.metricKeys.includes(name)) {
      throw new Error(`offlineMetric: '${name}' is not reported for this solution version; metrics: ${this.metricKeys.join(', ')}`);
    }
    return this.result.getAttString(`${TrainingResultAttributes.METRIC_PREFIX}${name}`);
  }

  private validate(props: SolutionVersionProps, timeout: Duration): void {
    const v = new PropsValidator(this, 'solution version');
    v.string('solutionVersionName', props.solutionVersionName, { minLength: 1, maxLength: API_LIMITS.nameMaxLength, pattern: NAME_PATTERN });
    v.boolean('retrainOnImport', props.retrainOnImport);
    if (!timeout.isUnresolved()) {
      const seconds = timeout.toSeconds();
      if (seconds < 600 || seconds > MAX_TRAINING_TIMEOUT_SECONDS) {
        v.fail('trainingTimeout', timeout.toHumanString(),
          'must be from 10 minutes to 11 hours (a wait condition waits 12 hours at most; the last hour is the margin to stop the training and report it)');
      }
    }
    if (props.retrainTrigger !== undefined && Token.isUnresolved(props.retrainTrigger)) {
      v.fail('retrainTrigger', props.retrainTrigger, 'must be known at synth: a new training needs a new wait condition, named after the trigger');
    }
    const recipe = props.solution.recipe;
    if (this.trainingMode === TrainingMode.UPDATE) {
      if (recipe && !recipe.supportsUpdateTraining) {
        v.fail('trainingMode', 'UPDATE', `recipe ${recipe.recipeName} does not support UPDATE training; use TrainingMode.FULL`);
      }
      const owned = ownedSolutionOf(props.solution);
      if (owned) {
        const full = owned.versions.find(other => other.trainingMode === TrainingMode.FULL);
        if (!full) {
          v.fail('trainingMode', 'UPDATE', `an UPDATE needs a FULL version of solution ${props.solution.node.path} first: add one with trainingMode FULL`);
        } else {
          this.node.addDependency(full.construct);
        }
      }
    }
    v.throwIfInvalid();
  }

  /**
   * Names the wait condition after the training key, at synth (after every construct has its final
   * configuration). Fails when the key cannot see a deploy-time value and no retrainTrigger is set.
   */
  private nameWait(wait: CfnWaitCondition, props: SolutionVersionProps): void {
    if (this.waitNamed) {
      return;
    }
    this.waitNamed = true;
    const solution = ownedSolutionOf(props.solution)?.replacementSpec() ?? props.solution.solutionArn;
    const imports = props.retrainOnImport ? this.followedImports(props) : [];
    const material = [solution, this.trainingMode, props.retrainTrigger ?? '', props.solutionVersionName ?? '', ...imports];
    const { key, deployTimeValues } = trainingKeyOf(this, material);
    if (deployTimeValues.length > 0 && props.retrainTrigger === undefined) {
      throw new Error(
        `SolutionVersion ${this.node.path}: the solution's configuration uses values known only at deploy time ` +
        `(${deployTimeValues.join('; ')}), so synth cannot tell when a deploy trains a new version, and a new training needs ` +
        'a new wait condition. Set retrainTrigger, and change it whenever those values change.',
      );
    }
    wait.overrideLogicalId(`${Stack.of(this).resolve(wait.logicalId)}${key}`);
  }

  /** The group's import jobs a version with retrainOnImport follows; only an owned solution knows them. */
  private followedImports(props: SolutionVersionProps): string[] {
    const owned = ownedSolutionOf(props.solution);
    if (!owned) {
      throw new Error(`SolutionVersion ${this.node.path}: retrainOnImport needs a Solution of this app, whose dataset group's imports it follows`);
    }
    return owned.importJobArns();
  }

  private allowTraining(provider: PersonalizeProvider, waiter: JobWaiter): void {
    const owned = ownedSolutionOf(this.solution);
    const arns = owned?.resourceArns ?? [this.solution.solutionArn, `${this.solution.solutionArn}/*`];
    if (!owned) {
      // An owned solution already gave the provider these rights.
      provider.allow(SOLUTION_VERSION_ACTIONS, arns);
      provider.allow(SOLUTION_LIST_ACTIONS, ['*']);
    }
    provider.allow(['states:StartExecution'], [waiter.stateMachine.stateMachineArn]);
    waiter.allow(['personalize:DescribeSolutionVersion', 'personalize:StopSolutionVersionCreation'], arns);
  }

  private addOutputs(prefix: string, detailed: boolean): void {
    const output = (suffix: string, value: string, description: string) =>
      new CfnOutput(this, `Output${suffix}`, { value, description }).overrideLogicalId(`${prefix}${suffix}`);
    const solutionPath = this.solution.node.path;
    output('SolutionVersionArn', this.solutionVersionArn, `Solution version of ${solutionPath}`);
    output('TrainingHours', this.trainingHours, `Billed training hours of ${solutionPath}`);
    output('TunedHyperParameters', this.tunedHyperParametersJson, `Hyperparameters HPO chose for ${solutionPath} (JSON)`);
    output('Metrics', this.metricsJson, `Offline metrics of ${solutionPath} (JSON)`);
    if (!detailed) {
      return;
    }
    output('Status', this.status, `Training status of ${solutionPath}`);
    if (this.tunedNames.length > 0) {
      output('TunedAtBounds', this.tunedAtBounds, `Hyperparameters HPO set at a bound of their range for ${solutionPath} (widen those ranges)`);
    }
    for (const name of this.tunedNames) {
      output(`Tuned${pascalCase(name)}`, this.tunedHyperParameter(name), `${name} chosen by HPO for ${solutionPath}`);
    }
    for (const key of this.metricKeys) {
      output(metricLabel(key), this.offlineMetricValue(OfflineMetric.of(key)), `Offline metric ${key} of ${solutionPath}`);
    }
  }

  /** `Hrnn/Version` → `HrnnVersion`: unique in the stack and readable. */
  private pathBelowStack(): string {
    const depth = Stack.of(this).node.scopes.length;
    return this.node.scopes.slice(depth).map(scope => pascalCase(scope.node.id)).join('');
  }

  private renderTags(): Array<{ tagKey: string; tagValue: string }> {
    return Object.entries(this.tags.tagValues()).map(([tagKey, tagValue]) => ({ tagKey, tagValue }));
  }
}
