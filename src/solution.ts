import { CustomResource, Duration, Lazy, Names, Stack, TagManager, TagType, ITaggable, Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { DatasetGroupBase, IDatasetGroup } from './dataset-group';
import { HpoConfig, HyperParameterRanges } from './hpo';
import { HyperParameters } from './hyper-parameters';
import { importSolution } from './imported';
import { SOLUTION_LIST_ACTIONS, SOLUTION_VERSION_ACTIONS } from './private/actions';
import { API_LIMITS, TAG_PATTERN } from './private/api-limits';
import { solutionArnOf } from './private/arns';
import { allowServingChecks } from './private/campaign-ready';
import { GENERATED_NAME_MAX_LENGTH, SOLUTION_RESOURCE_TYPE, SolutionAttributes as SolutionAttributeNames, SolutionControlKeys, SOLUTION_SPEC_TAG } from './private/contract';
import { generatedName, stackNamePrefix } from './private/generated-names';
import { metricKeysFor } from './private/metrics';
import { attachOwnedSolution, OwnedSolution } from './private/owned-solution';
import { PersonalizeProvider } from './private/provider';
import { NUMBER_MAX_LENGTH } from './private/result-budget';
import { performsHpo, renderSolutionSpec, reportedTunedNames } from './private/solution-render';
import { replacementSpec, SolutionSpec } from './private/solution-spec';
import { validateSolutionInput } from './private/solution-validation';
import { checkEnumValue, checkKind, checkClass, checkKnownKeys, checkReference, describeValue } from './private/untyped';
import { formatProblems } from './private/validation';
import { Recipe } from './recipe';
import { ISolution, SolutionAttributes, SolutionBase } from './solution-base';
import { SolutionVersion } from './solution-version';
import { SolutionVersionOptions } from './solution-version-base';

/** Checks for callers without a type checker, before the validation that assumes the types. */
function checkSolutionShape(props: SolutionProps): void {
  checkKnownKeys('solution', 'SolutionProps', props);
  checkKnownKeys('solution hpo', 'HpoConfig', props.hpo);
  checkKnownKeys('solution autoMl', 'AutoMlConfig', props.autoMl);
  checkKnownKeys('solution optimizationObjective', 'OptimizationObjective', props.optimizationObjective);
  checkEnumValue('solution optimizationObjective.objectiveSensitivity', props.optimizationObjective?.objectiveSensitivity, Object.values(ObjectiveSensitivity));
  if (props.eventParameters !== undefined && !Array.isArray(props.eventParameters)) {
    throw new Error(`solution eventParameters is ${describeValue(props.eventParameters)}: must be an array of { eventType, weight }`);
  }
  props.eventParameters?.forEach((p, i) => checkKnownKeys(`solution eventParameters[${i}]`, 'EventParameters', p));
  checkKnownKeys('solution excludedDatasetColumns', 'DatasetColumns', props.excludedDatasetColumns);
  checkKnownKeys('solution includedDatasetColumns', 'DatasetColumns', props.includedDatasetColumns);
  checkKind('solution autoTrainingSchedule', props.autoTrainingSchedule, 'Duration', ['toDays', 'isUnresolved'], 'Duration.days(7)');
  checkReference('solution datasetGroup', props.datasetGroup, 'an IDatasetGroup', 'datasetGroupArn', 'new DatasetGroup(...) or DatasetGroup.fromDatasetGroupArn(...)');
  checkReference('solution recipe', props.recipe, 'a Recipe', 'recipeName', 'Recipe.USER_PERSONALIZATION, or Recipe.fromArn(arn)', true);
  // A plain object would be dropped silently: refuse it.
  checkClass('solution hyperParameters', props.hyperParameters, HyperParameters, 'HyperParameters.userPersonalization({ hiddenDimension: 64 })');
  checkClass('solution hpo.ranges', props.hpo && props.hpo.ranges, HyperParameterRanges, 'HyperParameterRanges.userPersonalization({ ... })', props.hpo !== undefined);
}

/**
 * How strongly an optimization objective weighs against relevance.
 */
export enum ObjectiveSensitivity {
  /** Slight preference for the objective. */
  LOW = 'LOW',
  /** Balanced. */
  MEDIUM = 'MEDIUM',
  /** Strong preference for the objective. */
  HIGH = 'HIGH',
  /** Objective ignored. */
  OFF = 'OFF',
}

/**
 * A business objective to optimize for besides relevance, e.g. revenue.
 */
export interface OptimizationObjective {
  /** A numerical, non-nullable column of the Items dataset, e.g. `PRICE`. */
  readonly itemAttribute: string;

  /**
   * How strongly the objective weighs.
   * @default - Personalize's default
   */
  readonly objectiveSensitivity?: ObjectiveSensitivity;
}

/**
 * The weight of one event type during training (User-Personalization-v2, Personalized-Ranking-v2).
 */
export interface EventParameters {
  /** The event type, as in the EVENT_TYPE column. */
  readonly eventType: string;

  /** Relative weight from 0 to 1. Only the ratios between weights matter. */
  readonly weight: number;

  /**
   * Events of this type with a lower EVENT_VALUE are ignored.
   * @default - no threshold
   */
  readonly eventValueThreshold?: number;
}

/**
 * Columns of each dataset type, for including or excluding them from training.
 */
export interface DatasetColumns {
  /**
   * Columns of the Interactions dataset.
   * @default - none
   */
  readonly interactions?: string[];

  /**
   * Columns of the Items dataset.
   * @default - none
   */
  readonly items?: string[];

  /**
   * Columns of the Users dataset.
   * @default - none
   */
  readonly users?: string[];

  /**
   * Columns of the Actions dataset.
   * @default - none
   */
  readonly actions?: string[];

  /**
   * Columns of the Action interactions dataset.
   * @default - none
   */
  readonly actionInteractions?: string[];
}

/**
 * AutoML: Personalize trains several recipes and keeps the best. AWS advises against it; choose a
 * recipe instead where you can.
 */
export interface AutoMlConfig {
  /**
   * The metric to compare recipes by.
   * @default - Personalize's default
   */
  readonly metricName?: string;

  /**
   * The recipes to compare.
   * @default - Personalize's default list
   */
  readonly recipes?: Recipe[];
}

/**
 * Properties of a solution.
 */
export interface SolutionProps {
  /** The dataset group whose data the solution trains on. */
  readonly datasetGroup: IDatasetGroup;

  /**
   * The recipe to train. Required unless AutoML chooses one.
   * @default - none: AutoML chooses
   */
  readonly recipe?: Recipe;

  /**
   * The name of the solution, unique per account and region (1 to 63 characters).
   *
   * A named solution cannot be replaced without a new name, so leave it to the library unless you
   * need a fixed one.
   * @default - a name generated from the construct path
   */
  readonly solutionName?: string;

  /**
   * Fixed hyperparameter values.
   * @default - the recipe's defaults
   */
  readonly hyperParameters?: HyperParameters;

  /**
   * Hyperparameter optimization. When set, Personalize tunes the given ranges while training.
   * @default - no HPO
   */
  readonly hpo?: HpoConfig;

  /**
   * Let Personalize choose among recipes. Cannot be combined with `recipe` or any other training
   * configuration, because Personalize then ignores everything but this.
   * @default - no AutoML
   */
  readonly autoMl?: AutoMlConfig;

  /**
   * Train only on interactions of this event type.
   * @default - all event types
   */
  readonly eventType?: string;

  /**
   * Train only on interactions with at least this EVENT_VALUE.
   * @default - no threshold
   */
  readonly eventValueThreshold?: number;

  /**
   * Optimize for a business objective besides relevance (User-Personalization, Personalized-Ranking).
   * @default - relevance only
   */
  readonly optimizationObjective?: OptimizationObjective;

  /**
   * Per-event-type weights (User-Personalization-v2, Personalized-Ranking-v2). At most 10.
   * Can be changed without replacing the solution.
   * @default - every event type weighs the same
   */
  readonly eventParameters?: EventParameters[];

  /**
   * Columns to leave out of training.
   * @default - every column Personalize can use
   */
  readonly excludedDatasetColumns?: DatasetColumns;

  /**
   * Columns to train on; the others are left out.
   * @default - every column Personalize can use
   */
  readonly includedDatasetColumns?: DatasetColumns;

  /**
   * Let Personalize train new versions on a schedule. Each automatic training is billed, and with
   * HPO configured it repeats the HPO. Can be changed without replacing the solution.
   * @default false
   */
  readonly performAutoTraining?: boolean;

  /**
   * How often automatic training runs, in whole days from 1 to 30. Needs automatic training on.
   * @default Duration.days(7)
   */
  readonly autoTrainingSchedule?: Duration;

  /**
   * Update the model incrementally as new data arrives (Semantic-Similarity).
   * @default - Personalize's default
   */
  readonly performIncrementalUpdate?: boolean;
}

/**
 * An Amazon Personalize solution with typed hyperparameters and HPO, validated at synth.
 *
 * Backed by `Custom::PersonalizeSolution` because CloudFormation's AWS::Personalize::Solution
 * cannot turn off automatic training or set the newer configuration members.
 */
export class Solution extends SolutionBase implements ITaggable {
  /** Imports a solution by its ARN. */
  public static fromSolutionArn(scope: Construct, id: string, solutionArn: string): ISolution {
    return importSolution(scope, id, { solutionArn });
  }

  /** Imports a solution of this stack's account and region by its name. */
  public static fromSolutionName(scope: Construct, id: string, solutionName: string): ISolution {
    return importSolution(scope, id, { solutionArn: solutionArnOf(scope, solutionName) });
  }

  /** Imports a solution by its attributes, e.g. its recipe, which enables recipe-specific checks on its versions. */
  public static fromSolutionAttributes(scope: Construct, id: string, attrs: SolutionAttributes): ISolution {
    return importSolution(scope, id, attrs);
  }

  public readonly solutionArn: string;
  public readonly solutionName: string;
  public readonly recipe?: Recipe;
  public readonly tags: TagManager;

  /** The dataset group the solution trains on. */
  public readonly datasetGroup: IDatasetGroup;

  /** Whether training runs HPO. */
  public readonly performHpo: boolean;

  /** The names of the hyperparameters HPO tunes. */
  public readonly tunedHyperParameterNames: string[];

  /** The CreateSolution request this solution renders, before tokens are resolved. */
  private readonly spec: Omit<SolutionSpec, 'tags'>;

  constructor(scope: Construct, id: string, props: SolutionProps) {
    super(scope, id, { physicalName: props.solutionName });

    checkSolutionShape(props);
    validateSolutionInput(this, props);

    this.recipe = props.recipe;
    this.datasetGroup = props.datasetGroup;
    this.performHpo = performsHpo(props);
    this.tunedHyperParameterNames = props.hpo?.ranges.names ?? [];
    this.tags = new TagManager(TagType.KEY_VALUE, SOLUTION_RESOURCE_TYPE);

    const nameIsGenerated = props.solutionName === undefined;
    const name = props.solutionName ?? generatedName(this, GENERATED_NAME_MAX_LENGTH)
      ?? Names.uniqueResourceName(this, { maxLength: GENERATED_NAME_MAX_LENGTH });
    this.spec = renderSolutionSpec(this, props, name);

    const provider = PersonalizeProvider.of(this);
    const resource = new CustomResource(this, 'Resource', {
      serviceToken: provider.serviceToken,
      resourceType: SOLUTION_RESOURCE_TYPE,
      properties: {
        ...this.spec,
        tags: Lazy.any({ produce: () => this.renderTags() }, { omitEmptyArray: true }),
        [SolutionControlKeys.NAME_IS_GENERATED]: nameIsGenerated,
      },
    });

    this.solutionArn = resource.getAttString(SolutionAttributeNames.SOLUTION_ARN);
    this.solutionName = resource.getAttString(SolutionAttributeNames.SOLUTION_NAME);

    const datasetGroup = props.datasetGroup;
    const owned: OwnedSolution = {
      replacementSpec: () => replacementSpec(this.spec),
      resourceArns: this.allowProvider(provider, name, nameIsGenerated),
      tunedHyperParameterNames: reportedTunedNames(props),
      rangeNames: props.hpo?.ranges.names ?? [],
      tunedValueMaxLength: Math.max(
        NUMBER_MAX_LENGTH,
        ...(props.hpo?.ranges._entries ?? []).flatMap(e => e.values ?? []).map(v => v.length),
      ),
      metricKeys: metricKeysFor({
        recipeType: props.recipe?.recipeType?.name,
        optimizationObjective: props.optimizationObjective !== undefined,
        eventsConfig: props.eventParameters !== undefined,
      }),
      importDependables: () => datasetGroup instanceof DatasetGroupBase ? datasetGroup._importDependables() : [],
      importJobArns: () => datasetGroup instanceof DatasetGroupBase ? datasetGroup._importJobArns() : [],
      versions: [],
    };
    attachOwnedSolution(this, owned);
    this.node.addValidation({ validate: () => this.validateTags() });
  }

  /**
   * Trains a version of this solution during deployment.
   */
  public addVersion(id: string, options: SolutionVersionOptions = {}): SolutionVersion {
    return new SolutionVersion(this, id, { ...options, solution: this });
  }

  /** Grants the provider what it needs on this solution; returns the ARNs it and its versions may have. */
  private allowProvider(provider: PersonalizeProvider, name: string, nameIsGenerated: boolean): string[] {
    // Generated names share the stack's prefix, which one pattern covers (versions included, as
    // `*` matches `/`). A replacement of a generated name gets a suffix: `<name>-<hex>`.
    const prefix = stackNamePrefix(this);
    const shared = nameIsGenerated && prefix !== undefined && name.startsWith(prefix);
    const names = shared ? [`${prefix}*`] : nameIsGenerated ? [name, `${name}-*`] : [name];
    const solutions = names.map(n => solutionArnOf(this, n));
    const versions = shared ? [] : names.map(n => solutionArnOf(this, `${n}/*`));

    provider.allow(['personalize:CreateSolution'], [this.datasetGroup.datasetGroupArn, ...solutions]);
    provider.allow([
      'personalize:DescribeSolution',
      'personalize:UpdateSolution',
      'personalize:DeleteSolution',
      'personalize:TagResource',
      'personalize:UntagResource',
      'personalize:ListTagsForResource',
    ], solutions);
    provider.allow(SOLUTION_VERSION_ACTIONS, [...solutions, ...versions]);
    provider.allow(SOLUTION_LIST_ACTIONS, ['*']);
    // A replaced solution whose version a campaign still serves is retired, not deleted.
    allowServingChecks(provider, Stack.of(this));
    // Known at synth without referring to the custom resource, so the provider's policies do not depend on it.
    return [...solutions, ...versions];
  }

  private renderTags(): Array<{ tagKey: string; tagValue: string }> {
    return Object.entries(this.tags.tagValues()).map(([tagKey, tagValue]) => ({ tagKey, tagValue }));
  }

  private validateTags(): string[] {
    const tags = this.tags.tagValues();
    const problems: string[] = [];
    const count = Object.keys(tags).length;
    // One tag of the limit is the construct's own (SOLUTION_SPEC_TAG).
    if (count > API_LIMITS.tags - 1) {
      problems.push(`tags has ${count} tags: a solution can have at most ${API_LIMITS.tags - 1} (Personalize allows ${API_LIMITS.tags}, and one is the construct's '${SOLUTION_SPEC_TAG}')`);
    }
    for (const [key, value] of Object.entries(tags)) {
      if (key === SOLUTION_SPEC_TAG) {
        problems.push(`tag key '${key}' is reserved: the construct sets it`);
        continue;
      }
      if (Token.isUnresolved(key) || Token.isUnresolved(value)) {
        continue;
      }
      if (key.length < 1 || key.length > 128 || !TAG_PATTERN.test(key)) {
        problems.push(`tag key '${key}' must have 1 to 128 characters matching ${TAG_PATTERN.source}`);
      }
      if (value.length > 256 || !TAG_PATTERN.test(value)) {
        problems.push(`tag value '${value}' of '${key}' must have 0 to 256 characters matching ${TAG_PATTERN.source}`);
      }
    }
    return problems.length ? [formatProblems('solution tags', this, problems)] : [];
  }
}
