import { Token } from 'aws-cdk-lib';
import type { ComparisonSpec, ExpressionPartSpec } from './private/filter-spec';
import { describeValue } from './private/untyped';

/**
 * Builders of Personalize filter expressions: `EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("purchase")`
 * and the like, checked at synth against the datasets of the dataset group (see `Filter`).
 */

/** Where a filter field lives. */
export enum FilterFieldSource {
  /** A column of the Items dataset (`Items.GENRES`). */
  ITEMS = 'Items',
  /** A column of the Users dataset (`Users.AGE`). */
  USERS = 'Users',
  /** The event type of the Item interactions dataset (`Interactions.EVENT_TYPE`). */
  INTERACTIONS = 'Interactions',
  /** A column of the Users dataset, for the user recommendations are for (`CurrentUser.AGE`, in an IF condition). */
  CURRENT_USER = 'CurrentUser',
}

/** A comparison of a filter condition. */
export enum FilterOperator {
  /** `IN`: the field matches one of the values (strings and categorical fields). */
  IN = 'IN',
  /** `NOT IN`: the field matches none of the values (no placeholders). */
  NOT_IN = 'NOT IN',
  /** `=` (numeric fields). */
  EQUAL_TO = '=',
  /** `!=` (numeric fields). */
  NOT_EQUAL_TO = '!=',
  /** `<` (numeric fields). */
  LESS_THAN = '<',
  /** `<=` (numeric fields). */
  LESS_THAN_OR_EQUAL_TO = '<=',
  /** `>` (numeric fields). */
  GREATER_THAN = '>',
  /** `>=` (numeric fields). */
  GREATER_THAN_OR_EQUAL_TO = '>=',
}

/** What kind of value a `FilterValue` is. */
export enum FilterValueKind {
  /** Quoted strings. */
  STRINGS = 'STRINGS',
  /** A number. */
  NUMBER = 'NUMBER',
  /** A placeholder (`$GENRE`) whose value each request gives. */
  PARAMETER = 'PARAMETER',
  /** A field of the item recommendations are related to (`CurrentItem.GENRE`). */
  CURRENT_ITEM = 'CURRENT_ITEM',
  /** Every event type (`"*"`). */
  ALL_EVENT_TYPES = 'ALL_EVENT_TYPES',
}

const PLACEHOLDER_PATTERN = /^[A-Za-z][A-Za-z0-9_]*$/;
const FIELD_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

function checkName(where: string, name: unknown, pattern: RegExp): string {
  if (typeof name !== 'string') {
    throw new Error(`${where} is ${describeValue(name)}: must be a string`);
  }
  if (!Token.isUnresolved(name) && !pattern.test(name)) {
    throw new Error(`${where} is '${name}': must match ${pattern.source}`);
  }
  return name;
}

/**
 * The right-hand side of a filter condition.
 */
export class FilterValue {
  /** One or more strings, quoted: `("Comedy", "Drama")`. */
  public static strings(...values: string[]): FilterValue {
    if (values.length === 0) {
      throw new Error('FilterValue.strings needs at least one value');
    }
    for (const value of values) {
      if (typeof value !== 'string') {
        throw new Error(`FilterValue.strings: a value is ${describeValue(value)}: must be a string`);
      }
      if (!Token.isUnresolved(value) && value.includes('"')) {
        throw new Error(`FilterValue.strings: the value '${value}' has a double quote, which a filter expression cannot hold`);
      }
    }
    return new FilterValue(FilterValueKind.STRINGS, values.map(v => `"${v}"`).join(', '), undefined);
  }

  /** A number, for comparisons with numeric fields. */
  public static number(value: number): FilterValue {
    if (typeof value !== 'number' || (!Token.isUnresolved(value) && !Number.isFinite(value))) {
      throw new Error(`FilterValue.number is ${describeValue(value)}: must be a finite number`);
    }
    return new FilterValue(FilterValueKind.NUMBER, Token.isUnresolved(value) ? Token.asString(value) : String(value), undefined);
  }

  /**
   * A placeholder, `$<name>`, whose value each GetRecommendations request gives in `filterValues`.
   * @param name e.g. `GENRES` for `$GENRES`
   */
  public static parameter(name: string): FilterValue {
    checkName('FilterValue.parameter', name, PLACEHOLDER_PATTERN);
    return new FilterValue(FilterValueKind.PARAMETER, `$${name}`, name);
  }

  /**
   * A field of the item the recommendations are related to (`CurrentItem.<field>`): only for recipes
   * of related items, such as Similar-Items and SIMS.
   * @param field a column of the Items dataset
   */
  public static currentItem(field: string): FilterValue {
    checkName('FilterValue.currentItem', field, FIELD_PATTERN);
    return new FilterValue(FilterValueKind.CURRENT_ITEM, `CurrentItem.${field}`, field);
  }

  /** Every event type (`"*"`), with `FilterField.eventType()`. */
  public static allEventTypes(): FilterValue {
    return new FilterValue(FilterValueKind.ALL_EVENT_TYPES, '"*"', undefined);
  }

  private constructor(
    /** What kind of value this is. */
    public readonly kind: FilterValueKind,
    /** The value as the expression writes it. */
    public readonly text: string,
    /** The placeholder name or the CurrentItem field, when there is one. */
    public readonly reference: string | undefined,
  ) {}
}

/**
 * A field of a filter condition: `Items.GENRES`, `Users.AGE`, `Interactions.EVENT_TYPE`, `CurrentUser.AGE`.
 */
export class FilterField {
  /** A column of the Items dataset. */
  public static item(name: string): FilterField {
    return new FilterField(FilterFieldSource.ITEMS, checkName('FilterField.item', name, FIELD_PATTERN));
  }

  /** A column of the Users dataset (in filters of users, for user segments). */
  public static user(name: string): FilterField {
    return new FilterField(FilterFieldSource.USERS, checkName('FilterField.user', name, FIELD_PATTERN));
  }

  /** A column of the Users dataset, for the user the recommendations are for (only in the IF condition of an expression). */
  public static currentUser(name: string): FilterField {
    return new FilterField(FilterFieldSource.CURRENT_USER, checkName('FilterField.currentUser', name, FIELD_PATTERN));
  }

  /** The event type of the interactions, the only interactions field a filter can use. */
  public static eventType(): FilterField {
    return new FilterField(FilterFieldSource.INTERACTIONS, 'EVENT_TYPE');
  }

  private constructor(
    /** Where the field lives. */
    public readonly source: FilterFieldSource,
    /** The column name. */
    public readonly name: string,
  ) {}

  /** `<field> IN (<value>)`. */
  public isIn(value: FilterValue): FilterCondition {
    return this.compare(FilterOperator.IN, value);
  }

  /** `<field> NOT IN (<value>)`. */
  public isNotIn(value: FilterValue): FilterCondition {
    return this.compare(FilterOperator.NOT_IN, value);
  }

  /** `<field> = <value>`. */
  public equalTo(value: FilterValue): FilterCondition {
    return this.compare(FilterOperator.EQUAL_TO, value);
  }

  /** `<field> != <value>`. */
  public notEqualTo(value: FilterValue): FilterCondition {
    return this.compare(FilterOperator.NOT_EQUAL_TO, value);
  }

  /** `<field> < <value>`. */
  public lessThan(value: FilterValue): FilterCondition {
    return this.compare(FilterOperator.LESS_THAN, value);
  }

  /** `<field> <= <value>`. */
  public lessThanOrEqualTo(value: FilterValue): FilterCondition {
    return this.compare(FilterOperator.LESS_THAN_OR_EQUAL_TO, value);
  }

  /** `<field> > <value>`. */
  public greaterThan(value: FilterValue): FilterCondition {
    return this.compare(FilterOperator.GREATER_THAN, value);
  }

  /** `<field> >= <value>`. */
  public greaterThanOrEqualTo(value: FilterValue): FilterCondition {
    return this.compare(FilterOperator.GREATER_THAN_OR_EQUAL_TO, value);
  }

  /** `<field> <operator> <value>`, for an operator chosen at run time. */
  public compare(comparison: FilterOperator, value: FilterValue): FilterCondition {
    if (!Object.values(FilterOperator).includes(comparison)) {
      const allowed = Object.values(FilterOperator).join(', ');
      throw new Error(`the operator of ${this.source}.${this.name} is ${describeValue(comparison)}: must be one of ${allowed}`);
    }
    if (!(value instanceof FilterValue)) {
      throw new Error(`the value of ${this.source}.${this.name} is ${describeValue(value)}: must be a FilterValue, e.g. FilterValue.strings('x')`);
    }
    return FilterCondition._comparison(this, comparison, value);
  }
}

/**
 * A condition: one comparison, or several joined by AND or by OR.
 */
export class FilterCondition {
  /** Every condition holds (joined by AND). */
  public static all(...conditions: FilterCondition[]): FilterCondition {
    return FilterCondition.join('AND', conditions);
  }

  /** Any condition holds (joined by OR). */
  public static any(...conditions: FilterCondition[]): FilterCondition {
    return FilterCondition.join('OR', conditions);
  }

  /** @internal */
  public static _comparison(field: FilterField, operator: FilterOperator, value: FilterValue): FilterCondition {
    const text = `${field.source}.${field.name} ${operator} ${operator === FilterOperator.IN || operator === FilterOperator.NOT_IN ? `(${value.text})` : value.text}`;
    const spec: ComparisonSpec = { source: field.source, field: field.name, operator, valueKind: value.kind, reference: value.reference };
    return new FilterCondition(undefined, [spec], [text]);
  }

  private static join(connective: 'AND' | 'OR', conditions: FilterCondition[]): FilterCondition {
    if (conditions.length === 0) {
      throw new Error(`FilterCondition.${connective === 'AND' ? 'all' : 'any'} needs at least one condition`);
    }
    const comparisons: ComparisonSpec[] = [];
    const texts: string[] = [];
    for (const condition of conditions) {
      if (!(condition instanceof FilterCondition)) {
        throw new Error(`FilterCondition.${connective === 'AND' ? 'all' : 'any'}: a condition is ${describeValue(condition)}: must be a FilterCondition`);
      }
      // A filter expression has no parentheses: AND and OR cannot be nested in each other.
      if (condition._connective !== undefined && condition._connective !== connective) {
        throw new Error(`FilterCondition.${connective === 'AND' ? 'all' : 'any'} cannot hold a condition joined by ${condition._connective}: filter expressions have no parentheses; use FilterExpression.raw for such an expression`);
      }
      comparisons.push(...condition._comparisons);
      texts.push(...condition.texts);
    }
    return new FilterCondition(comparisons.length > 1 ? connective : undefined, comparisons, texts);
  }

  private constructor(
    /** @internal */
    public readonly _connective: 'AND' | 'OR' | undefined,
    /** @internal */
    public readonly _comparisons: ComparisonSpec[],
    private readonly texts: string[],
  ) {}

  /** @internal */
  public _render(): string {
    return this.texts.join(` ${this._connective ?? 'AND'} `);
  }
}

/** What a filter expression keeps or removes: items (`ItemID`) or users (`UserID`, user segments). */
const FilterTarget = { ITEMS: 'ItemID', USERS: 'UserID' } as const;
type FilterTarget = typeof FilterTarget[keyof typeof FilterTarget];

/** Options of an expression. */
export interface FilterExpressionOptions {
  /**
   * A condition on the user the recommendations are for (`IF CurrentUser.AGE > 18`), of
   * `FilterField.currentUser` fields joined by AND. Only for filters of items.
   * @default - none
   */
  readonly ifCurrentUser?: FilterCondition;
}

/**
 * A filter expression: built from conditions, or given as it is.
 */
export class FilterExpression {
  /** Recommends only items that meet `condition`. */
  public static includeItems(condition: FilterCondition, options: FilterExpressionOptions = {}): FilterExpression {
    return FilterExpression.part(true, FilterTarget.ITEMS, condition, options);
  }

  /** Removes items that meet `condition` from recommendations. */
  public static excludeItems(condition: FilterCondition, options: FilterExpressionOptions = {}): FilterExpression {
    return FilterExpression.part(false, FilterTarget.ITEMS, condition, options);
  }

  /** Keeps only users that meet `condition` in user segments. */
  public static includeUsers(condition: FilterCondition): FilterExpression {
    return FilterExpression.part(true, FilterTarget.USERS, condition, {});
  }

  /** Removes users that meet `condition` from user segments. */
  public static excludeUsers(condition: FilterCondition): FilterExpression {
    return FilterExpression.part(false, FilterTarget.USERS, condition, {});
  }

  /**
   * Several expressions applied one after the other (` | `), e.g. interactions and then items,
   * which one expression cannot mix.
   */
  public static chain(...expressions: FilterExpression[]): FilterExpression {
    if (expressions.length === 0) {
      throw new Error('FilterExpression.chain needs at least one expression');
    }
    for (const e of expressions) {
      if (!(e instanceof FilterExpression)) {
        throw new Error(`FilterExpression.chain: an expression is ${describeValue(e)}: must be a FilterExpression`);
      }
    }
    const text = expressions.map(e => e.expression).join(' | ');
    return new FilterExpression(text, expressions.some(e => e._parts === undefined) ? undefined : expressions.flatMap(e => e._parts!));
  }

  /**
   * An expression as Personalize takes it, checked only for its length: the escape hatch for
   * what the builders do not cover (the Actions datasets, ActionID).
   */
  public static raw(expression: string): FilterExpression {
    if (typeof expression !== 'string') {
      throw new Error(`FilterExpression.raw is ${describeValue(expression)}: must be a string`);
    }
    return new FilterExpression(expression, undefined);
  }

  private static part(include: boolean, target: FilterTarget, condition: FilterCondition, options: FilterExpressionOptions): FilterExpression {
    const where = `FilterExpression.${include ? 'include' : 'exclude'}${target === FilterTarget.ITEMS ? 'Items' : 'Users'}`;
    if (!(condition instanceof FilterCondition)) {
      throw new Error(`${where}: the condition is ${describeValue(condition)}: must be a FilterCondition, e.g. FilterField.eventType().isIn(FilterValue.strings('purchase'))`);
    }
    if (options === null || typeof options !== 'object') {
      throw new Error(`${where}: the options are ${describeValue(options)}: must be an object (FilterExpressionOptions)`);
    }
    const unknown = Object.keys(options).filter(k => k !== 'ifCurrentUser');
    if (unknown.length > 0) {
      throw new Error(`${where}: unknown option '${unknown[0]}'; FilterExpressionOptions has ifCurrentUser`);
    }
    const ifCurrentUser = options.ifCurrentUser;
    if (ifCurrentUser !== undefined && !(ifCurrentUser instanceof FilterCondition)) {
      throw new Error(`${where}: ifCurrentUser is ${describeValue(ifCurrentUser)}: must be a FilterCondition`);
    }
    const text = `${include ? 'INCLUDE' : 'EXCLUDE'} ${target} WHERE ${condition._render()}${ifCurrentUser ? ` IF ${ifCurrentUser._render()}` : ''}`;
    return new FilterExpression(text, [{
      include,
      target,
      connective: condition._connective,
      comparisons: condition._comparisons,
      ifCurrentUser: ifCurrentUser?._comparisons ?? [],
      ifConnective: ifCurrentUser?._connective,
    }]);
  }

  private constructor(
    /** The expression as Personalize receives it. */
    public readonly expression: string,
    /** The parts, when built (not raw). @internal */
    public readonly _parts: ExpressionPartSpec[] | undefined,
  ) {}

  /** Names of the placeholders (`$GENRE` gives `GENRE`) that requests fill in. */
  public get parameterNames(): string[] {
    const fromParts = (this._parts ?? []).flatMap(p => [...p.comparisons, ...p.ifCurrentUser])
      .filter(c => c.valueKind === FilterValueKind.PARAMETER)
      .map(c => c.reference!);
    const fromRaw = this._parts ? [] : [...this.expression.matchAll(/\$([A-Za-z][A-Za-z0-9_]*)/g)].map(m => m[1]);
    return [...new Set([...fromParts, ...fromRaw])];
  }
}
