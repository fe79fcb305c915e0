import { Annotations, CustomResource, Lazy, Names, RemovalPolicy, Stack, TagManager, TagType, ITaggable, Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { DatasetGroup, DatasetGroupBase, IDatasetGroup } from './dataset-group';
import { HyperParameterRanges } from './hpo';
import { HyperParameters } from './hyper-parameters';
import { importSolution } from './imported';
import { SOLUTION_LIST_ACTIONS, SOLUTION_VERSION_ACTIONS } from './private/actions';
import { API_LIMITS, TAG_PATTERN } from './private/api-limits';
import { solutionArnOf } from './private/arns';
import { allowServingChecks } from './private/campaign-ready';
import {
  GENERATED_NAME_MAX_LENGTH, SOLUTION_RESOURCE_TYPE, SolutionAttributes as SolutionAttributeNames, SolutionControlKeys, SOLUTION_SPEC_TAG,
  type TunedRangeSpec,
} from './private/contract';
import { generatedName, stackNamePrefix } from './private/generated-names';
import { groupColumns } from './private/group-columns';
import { warnAboveGroupQuota } from './private/group-quota';
import { columnsAgainstSchemas, itemAttributeAgainstSchemas } from './private/group-rules';
import { metricKeysFor } from './private/metrics';
import { attachOwnedSolution, OwnedSolution } from './private/owned-solution';
import { PersonalizeProvider } from './private/provider';
import { applyRemovalPolicyAtSynth, checkRemovalPolicy, requireRetainedParent, STATEFUL_DEFAULT } from './private/removal';
import { NUMBER_MAX_LENGTH } from './private/result-budget';
import { performsHpo, renderSolutionSpec, reportedTunedNames } from './private/solution-render';
import { replacementSpec, SolutionSpec } from './private/solution-spec';
import { validateSolutionInput } from './private/solution-validation';
import { checkClass, checkEnumValue, checkKind, checkKnownKeys, checkReference, constructAt, describeValue } from './private/untyped';
import { formatProblems } from './private/validation';
import { Recipe, RecipeType } from './recipe';
import { DatasetType } from './schema';
import { ISolution, SolutionAttributes, SolutionBase } from './solution-base';
import { ObjectiveSensitivity, SolutionProps } from './solution-props';
import { SolutionVersion } from './solution-version';
import { SolutionVersionOptions } from './solution-version-base';

/** Active solutions per dataset group (the quotas page; adjustable, so a warning). */
const SOLUTIONS_PER_GROUP = 10;

/** The HPO ranges with numeric bounds known at synth, as the training result receives them. */
function numericRangesOf(props: SolutionProps): Record<string, TunedRangeSpec> {
  return Object.fromEntries((props.hpo?.ranges._entries ?? [])
    .filter(e => e.type !== 'categorical' && typeof e.minValue === 'number' && typeof e.maxValue === 'number' &&
      !Token.isUnresolved(e.minValue) && !Token.isUnresolved(e.maxValue) && e.maxValue > e.minValue)
    .map(e => [e.name, { min: e.minValue!, max: e.maxValue!, integer: e.type === 'integer' }]));
}

/** Checks for callers without a type checker, before the validation that assumes the types. */
function checkSolutionShape(at: string, props: SolutionProps): void {
  checkKnownKeys(at, 'SolutionProps', props);
  checkKnownKeys(`${at} hpo`, 'HpoConfig', props.hpo);
  checkKnownKeys(`${at} autoMl`, 'AutoMlConfig', props.autoMl);
  checkKnownKeys(`${at} optimizationObjective`, 'OptimizationObjective', props.optimizationObjective);
  checkEnumValue(`${at} optimizationObjective.objectiveSensitivity`, props.optimizationObjective?.objectiveSensitivity, Object.values(ObjectiveSensitivity));
  if (props.eventParameters !== undefined && !Array.isArray(props.eventParameters)) {
    throw new Error(`${at} eventParameters is ${describeValue(props.eventParameters)}: must be an array of { eventType, weight }`);
  }
  props.eventParameters?.forEach((p, i) => checkKnownKeys(`${at} eventParameters[${i}]`, 'EventParameters', p));
  checkKnownKeys(`${at} excludedDatasetColumns`, 'DatasetColumns', props.excludedDatasetColumns);
  checkKnownKeys(`${at} includedDatasetColumns`, 'DatasetColumns', props.includedDatasetColumns);
  checkKind(`${at} autoTrainingSchedule`, props.autoTrainingSchedule, 'Duration', ['toDays', 'isUnresolved'], 'Duration.days(7)');
  checkReference(`${at} datasetGroup`, props.datasetGroup, 'an IDatasetGroup', 'datasetGroupArn', 'new DatasetGroup(...) or DatasetGroup.fromDatasetGroupArn(...)');
  checkReference(`${at} recipe`, props.recipe, 'a Recipe', 'recipeName', 'Recipe.USER_PERSONALIZATION, or Recipe.fromArn(arn)', true);
  // A plain object would be dropped silently: refuse it.
  checkClass(`${at} hyperParameters`, props.hyperParameters, HyperParameters, 'HyperParameters.userPersonalization({ hiddenDimension: 64 })');
  checkClass(`${at} hpo.ranges`, props.hpo && props.hpo.ranges, HyperParameterRanges, 'HyperParameterRanges.userPersonalization({ ... })', props.hpo !== undefined);
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
    checkKnownKeys(constructAt('Solution.fromSolutionAttributes', scope, id), 'SolutionAttributes', attrs);
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

  private removal?: RemovalPolicy;

  constructor(scope: Construct, id: string, props: SolutionProps) {
    super(scope, id, { physicalName: props.solutionName });

    checkSolutionShape(constructAt('solution', scope, id), props);
    validateSolutionInput(this, props);
    this.removal = checkRemovalPolicy(`solution at '${this.node.path}'`, props.removalPolicy);

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
      numericRanges: numericRangesOf(props),
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
      removalPolicy: () => this.removalPolicy,
    };
    attachOwnedSolution(this, owned);
    this.node.addValidation({ validate: () => this.validateTags() });
    this.node.addValidation({ validate: () => this.validateActionData() });
    this.node.addValidation({ validate: () => this.validateAgainstSchemas(props) });
    warnAboveGroupQuota(this, datasetGroup, 'Solution', SOLUTIONS_PER_GROUP);
    applyRemovalPolicyAtSynth(this, () => this.removalPolicy, () => [resource]);
    const group = datasetGroup instanceof DatasetGroup ? datasetGroup : undefined;
    requireRetainedParent(this, 'solution', () => this.removalPolicy, () => group && {
      what: 'dataset group', path: group.node.path, policy: group.removalPolicy, why: 'Personalize deletes a dataset group only once its solutions are gone',
    });
  }

  /** What happens to the solution, with its trained versions, when the stack is deleted or a change replaces it: the removal policy prop, or its default. */
  public get removalPolicy(): RemovalPolicy {
    return this.removal ?? (this.datasetGroup instanceof DatasetGroup ? this.datasetGroup.removalPolicy : STATEFUL_DEFAULT);
  }

  /** Sets what happens to the solution and its trained versions when the stack is deleted or a change replaces it. */
  public applyRemovalPolicy(policy: RemovalPolicy): void {
    this.removal = checkRemovalPolicy(`solution at '${this.node.path}'`, policy);
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

  /**
   * Next-Best-Action needs an Actions dataset (datasets-schemas-overview.md): checked when the app
   * owns the dataset group, and so knows all its datasets.
   */
  private validateActionData(): string[] {
    if (this.recipe?.recipeType?.name !== RecipeType.PERSONALIZED_ACTIONS.name || !(this.datasetGroup instanceof DatasetGroup)) {
      return [];
    }
    const actions = groupColumns(this, this.datasetGroup)(DatasetType.ACTIONS as 'Items');
    return actions === undefined
      ? [`solution at '${this.node.path}': recipe ${this.recipe.recipeName} needs an Actions dataset in dataset group ${this.datasetGroup.node.path}, `
        + 'with imported action metadata: add a Dataset with Schema.actions(...) and an importSource']
      : [];
  }

  /** The columns the props name, against the schemas of the group's datasets in this app. */
  private validateAgainstSchemas(props: SolutionProps): string[] {
    const named = [props.optimizationObjective, props.excludedDatasetColumns, props.includedDatasetColumns].some(p => p !== undefined);
    if (!named) {
      return [];
    }
    const group = this.datasetGroup;
    if (!(group instanceof DatasetGroup)) {
      Annotations.of(this).addWarningV2('cdk-personalize:solution-columns-unchecked', `the dataset group ${group.node.path} is imported: `
        + 'the columns of optimizationObjective, excludedDatasetColumns and includedDatasetColumns are not checked against its schemas');
      return [];
    }
    const lookup = groupColumns(this, group);
    const problems = [
      ...itemAttributeAgainstSchemas(props.optimizationObjective?.itemAttribute, lookup, group.node.path),
      ...columnsAgainstSchemas('excludedDatasetColumns', props.excludedDatasetColumns, lookup, group.node.path),
      ...columnsAgainstSchemas('includedDatasetColumns', props.includedDatasetColumns, lookup, group.node.path),
    ];
    return problems.length ? [formatProblems('solution', this, problems)] : [];
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
