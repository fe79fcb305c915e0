import { Annotations, Arn, ArnFormat, IResource, Resource, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { CfnFilter } from 'aws-cdk-lib/aws-personalize';
import { Construct } from 'constructs';
import { DatasetGroup, DatasetGroupBase, IDatasetGroup } from './dataset-group';
import { FilterExpression } from './filter-expression';
import { API_LIMITS, NAME_PATTERN } from './private/api-limits';
import { personalizeArnComponents, personalizeArnOf } from './private/arns';
import { FILTER_LIMITS, fieldsOf, filterProblems, placeholderComparisons } from './private/filter-rules';
import { groupIdentity, nameWithContentDigest } from './private/generated-names';
import { groupColumns } from './private/group-columns';
import { acknowledgeNewResourceType } from './private/new-resource-type';
import { checkKnownKeys, checkReference, constructAt } from './private/untyped';
import { formatProblems, PropsValidator } from './private/validation';

/** The kind this construct is counted as on its dataset group (a per-group quota). */
const MEMBER_KIND = 'Filter';

/**
 * An Amazon Personalize filter: which items (or users) recommendations may hold.
 */
export interface IFilter extends IResource {
  /**
   * The ARN of the filter.
   * @attribute
   */
  readonly filterArn: string;

  /**
   * The name of the filter.
   * @attribute
   */
  readonly filterName: string;

  /** Grants `actions` on this filter. */
  grant(grantee: iam.IGrantable, ...actions: string[]): iam.Grant;
}

/**
 * Behaviour shared by owned and imported filters.
 */
export abstract class FilterBase extends Resource implements IFilter {
  public abstract readonly filterArn: string;
  public abstract readonly filterName: string;

  public grant(grantee: iam.IGrantable, ...actions: string[]): iam.Grant {
    return iam.Grant.addToPrincipal({ grantee, actions, resourceArns: [this.filterArn] });
  }
}

/**
 * Properties of a filter.
 */
export interface FilterProps {
  /** The dataset group whose datasets the filter reads. */
  readonly datasetGroup: IDatasetGroup;

  /**
   * The expression, e.g. `FilterExpression.excludeItems(FilterField.eventType().isIn(FilterValue.strings('purchase')))`.
   * A filter cannot be changed: a new expression replaces it.
   */
  readonly expression: FilterExpression;

  /**
   * The name of the filter, unique per account and region (1 to 63 characters). A fixed name
   * cannot survive a change of the expression (the replacement is created before the old filter
   * is deleted, and needs a name of its own): change the name together with the expression.
   * @default - a name generated from the construct path and the expression
   */
  readonly filterName?: string;
}

/**
 * An Amazon Personalize filter over a dataset group, checked at synth against the schemas of the
 * group's datasets in this app.
 *
 * @resource AWS::Personalize::Filter
 */
export class Filter extends FilterBase {
  /** Imports a filter of this stack's account and region by its name. */
  public static fromFilterName(scope: Construct, id: string, filterName: string): IFilter {
    return Filter.fromFilterArn(scope, id, personalizeArnOf(scope, 'filter', filterName));
  }

  /** Imports a filter by its ARN. */
  public static fromFilterArn(scope: Construct, id: string, filterArn: string): IFilter {
    const name = Arn.split(filterArn, ArnFormat.SLASH_RESOURCE_NAME).resourceName!;
    class Import extends FilterBase {
      public readonly filterArn = filterArn;
      public readonly filterName = name;
    }
    return new Import(scope, id, { environmentFromArn: Token.isUnresolved(filterArn) ? undefined : filterArn });
  }

  public readonly filterArn: string;
  public readonly filterName: string;

  /** The dataset group of the filter. */
  public readonly datasetGroup: IDatasetGroup;

  /** The expression. */
  public readonly expression: FilterExpression;

  /** Names of the placeholders (`$GENRE` gives `GENRE`) whose values each request gives. */
  public readonly parameterNames: string[];

  /** Whether the expression refers to `CurrentItem`, so that it only serves related-items recipes. */
  public readonly usesCurrentItem: boolean;

  constructor(scope: Construct, id: string, props: FilterProps) {
    const at = constructAt('filter', scope, id);
    checkKnownKeys(at, 'FilterProps', props);
    checkReference(`${at} datasetGroup`, props.datasetGroup, 'an IDatasetGroup', 'datasetGroupArn', 'new DatasetGroup(...) or DatasetGroup.fromDatasetGroupArn(...)');
    super(scope, id, { physicalName: props.filterName });
    if (!(props.expression instanceof FilterExpression)) {
      throw new Error(`filter expression at '${this.node.path}' is ${typeof props.expression}: must be a FilterExpression, e.g. FilterExpression.raw('EXCLUDE ItemID WHERE ...')`);
    }
    this.datasetGroup = props.datasetGroup;
    if (props.datasetGroup instanceof DatasetGroupBase) {
      props.datasetGroup._registerMember(MEMBER_KIND, this);
    }
    this.expression = props.expression;
    this.parameterNames = props.expression.parameterNames;
    const parts = props.expression._parts;
    this.usesCurrentItem = parts
      ? parts.some(p => p.comparisons.some(c => c.valueKind === 'CURRENT_ITEM'))
      : /\bCurrentItem\./.test(props.expression.expression);

    const text = props.expression.expression;
    const v = new PropsValidator(this, 'filter');
    v.string('filterName', props.filterName, { minLength: 1, maxLength: API_LIMITS.nameMaxLength, pattern: NAME_PATTERN });
    if (!Token.isUnresolved(text) && (text.length < 1 || text.length > FILTER_LIMITS.expressionMaxLength)) {
      v.fail('expression', text.length > 60 ? `${text.slice(0, 60)}...` : text, `must have 1 to ${FILTER_LIMITS.expressionMaxLength} characters (it has ${text.length})`);
    }
    v.throwIfInvalid();
    // The schemas are read once the whole app is built: datasets may be added after the filter.
    this.node.addValidation({ validate: () => this.validateAgainstSchemas() });

    const name = props.filterName ?? nameWithContentDigest(this, `${groupIdentity(props.datasetGroup)}\n${text}`, API_LIMITS.nameMaxLength);
    const resource = new CfnFilter(this, 'Resource', {
      name,
      datasetGroupArn: props.datasetGroup.datasetGroupArn,
      filterExpression: text,
    });
    // The filter reads the datasets: create it after them (those added later too) and delete it before them.
    if (props.datasetGroup instanceof DatasetGroupBase) {
      resource.node.addDependency(...props.datasetGroup._datasetDependables());
    }
    acknowledgeNewResourceType(resource, false);
    this.filterArn = this.getResourceArnAttribute(resource.attrFilterArn, personalizeArnComponents(this, 'filter', name));
    this.filterName = name;
  }

  private validateAgainstSchemas(): string[] {
    const group = this.datasetGroup;
    const parts = this.expression._parts;
    const problems: string[] = [];
    if (parts && group instanceof DatasetGroup) {
      problems.push(...filterProblems(parts, groupColumns(this, group)));
    } else if (parts) {
      Annotations.of(this).addWarningV2('cdk-personalize:filter-unchecked',
        `the dataset group ${group.node.path} is imported: the expression's fields are not checked against its schemas`);
    }

    const ranged = placeholderComparisons(parts ?? []);
    if (ranged.length > 0) {
      Annotations.of(this).addWarningV2('cdk-personalize:filter-placeholder-operator',
        `${ranged.join(', ')}: the developer guide shows placeholders with <, <=, > and >=, but also says they can only be used with IN and =; ` +
        'Personalize may refuse this filter (not yet verified), and the offline simulator does');
    }

    const siblings = filtersOf(this, group);
    if (siblings[0] === this) {
      if (siblings.length > FILTER_LIMITS.filtersPerDatasetGroup) {
        Annotations.of(this).addWarningV2('cdk-personalize:filter-quota',
          `dataset group ${group.node.path} has ${siblings.length} filters: the default quota is ${FILTER_LIMITS.filtersPerDatasetGroup} per dataset group (adjustable)`);
      }
      const fields = new Set(siblings.flatMap(f => [...fieldsOf(f.expression._parts ?? [])]));
      if (fields.size > FILTER_LIMITS.fieldsPerDatasetGroup) {
        problems.push(`the filters of dataset group ${group.node.path} read ${fields.size} distinct dataset fields (${[...fields].join(', ')}): at most ${FILTER_LIMITS.fieldsPerDatasetGroup}`);
      }
    }
    return problems.length > 0 ? [formatProblems('filter', this, problems)] : [];
  }
}

/** The filters of `group`, counted on the group; only `filter` itself for a group that does not count. */
function filtersOf(filter: Filter, group: IDatasetGroup): Filter[] {
  return group instanceof DatasetGroupBase ? group._membersOf(MEMBER_KIND) as Filter[] : [filter];
}
