/**
 * Checks for callers without a type checker (JavaScript, and jsii languages passing plain maps):
 * props with keys the interface does not have, values of the wrong kind, enum values that do not
 * exist. TypeScript callers never trip them.
 */
import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { MemberShape, PROPS_SHAPES } from './props-shapes';

/**
 * The members of each props interface that public entry points take, inherited ones included:
 * derived from PROPS_SHAPES, which build-tools/props-shapes.ts generates from the interfaces.
 */
export const KNOWN_KEYS = Object.fromEntries(Object.entries(PROPS_SHAPES).map(([name, members]) => [name, Object.keys(members)])) as unknown as {
  readonly [K in keyof typeof PROPS_SHAPES]: ReadonlyArray<keyof typeof PROPS_SHAPES[K] & string>;
};

/** Hints for one member where the type's hint reads wrong (a timeout in days). */
const MEMBER_HINTS: Record<string, string> = {
  'SolutionVersionOptions.trainingTimeout': 'Duration.hours(6)',
  'SolutionVersionProps.trainingTimeout': 'Duration.hours(6)',
  'RecommenderProps.explorationItemAgeCutOff': 'Duration.days(30)',
  'CampaignProps.explorationItemAgeCutOff': 'Duration.days(30)',
  'PromotionPolicy.maxServedAge': 'Duration.days(28)',
};

/**
 * What a value of each type looks like, for messages: `must be an IDatasetGroup, e.g. <hint>`. A test
 * fails when a type of a props member has no entry, so a new prop cannot go unexplained.
 */
export const TYPE_HINTS: Record<string, string> = {
  IDatasetGroup: 'new DatasetGroup(...) or DatasetGroup.fromDatasetGroupArn(...)',
  ISolution: 'new Solution(...) or Solution.fromSolutionArn(...)',
  ISolutionVersion: 'solution.addVersion(...) or SolutionVersion.fromSolutionVersionArn(...)',
  ISchema: 'Schema.interactions(...) or Schema.fromSchemaArn(...)',
  IFilter: 'new Filter(...) or Filter.fromFilterArn(...)',
  IBucket: 'new s3.Bucket(...) or s3.Bucket.fromBucketName(...)',
  IKey: 'new kms.Key(...) or kms.Key.fromKeyArn(...)',
  IRole: 'new iam.Role(...) or iam.Role.fromRoleArn(...)',
  Recipe: 'Recipe.USER_PERSONALIZATION, or Recipe.fromArn(arn)',
  RecipeType: 'RecipeType.USER_PERSONALIZATION',
  RecommenderUseCase: 'RecommenderUseCase.RECOMMENDED_FOR_YOU',
  HyperParameters: 'HyperParameters.userPersonalization({ hiddenDimension: 64 })',
  HyperParameterRanges: 'HyperParameterRanges.userPersonalization({ ... })',
  HyperParameterRange: 'HyperParameterRange.integer(8, 32)',
  FilterExpression: 'FilterExpression.excludeItems(...)',
  FilterCondition: 'FilterField.currentUser(\'AGE\').greaterThan(FilterValue.number(17))',
  MetricExpression: 'MetricExpression.sampleCount()',
  OfflineMetric: 'OfflineMetric.NDCG_AT_10',
  SchemaDefinition: 'SchemaDefinition.fromFields([...])',
  SchemaField: 'SchemaField.categorical(\'GENRES\')',
  TrendDiscoveryFrequency: 'TrendDiscoveryFrequency.ONE_DAY',
  RemovalPolicy: 'RemovalPolicy.RETAIN',
  Duration: 'Duration.days(7)',
};

export type PropsInterface = keyof typeof KNOWN_KEYS;

/** How a check names a construct that is not built yet: `solution at 'Stack/ForYou'`. */
export function constructAt(kind: string, scope: IConstruct, id: string): string {
  const parent = (scope as Partial<IConstruct> | undefined)?.node?.path;
  return `${kind} at '${parent ? `${parent}/` : ''}${id}'`;
}

/** What a value is, for an error message. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) {
    return String(value);
  }
  if (Array.isArray(value)) {
    return 'an array';
  }
  return typeof value === 'string' ? `the string ${JSON.stringify(value)}` : `${typeof value} ${String(value)}`;
}

/**
 * Throws when `props` is not an object, has a key `iface` does not declare, lacks a required member,
 * or has a member of the wrong kind (checked from the interface's shape, nested props included).
 * `where` names the entry point, e.g. `HyperParameters.userPersonalization` or `solution at 'Stack/S'`.
 */
export function checkKnownKeys(where: string, iface: PropsInterface, props: unknown): void {
  checkShape(where, undefined, iface, props);
}

/** `field` is the path of `props` within the entry point's argument (`optimizationObjective`), if nested. */
function checkShape(where: string, field: string | undefined, iface: PropsInterface, props: unknown): void {
  if (props === undefined) {
    return;
  }
  const at = field === undefined ? where : `${where} ${field}`;
  if (props === null || typeof props !== 'object' || Array.isArray(props)) {
    throw new Error(`${at}: expected an object (${iface}), got ${describeValue(props)}`);
  }
  const allowed: readonly string[] = KNOWN_KEYS[iface];
  const unknown = Object.keys(props).filter(key => !allowed.includes(key) && (props as Record<string, unknown>)[key] !== undefined);
  if (unknown.length > 0) {
    const keys = unknown.map(key => `'${key}'`).join(', ');
    throw new Error(`${at}: unknown ${unknown.length === 1 ? 'key' : 'keys'} ${keys}; ${iface} has ${allowed.join(', ')}`);
  }
  const shapes = PROPS_SHAPES[iface] as Record<string, MemberShape>;
  for (const [member, shape] of Object.entries(shapes)) {
    const hint = MEMBER_HINTS[`${iface}.${member}`];
    checkMember(where, field === undefined ? member : `${field}.${member}`, hint ? { ...shape, hint } : shape, (props as Record<string, unknown>)[member]);
  }
}

/** Throws when `value`, at `field` of the entry point `where`, does not fit `shape`. */
function checkMember(where: string, field: string, shape: MemberShape & { hint?: string }, value: unknown): void {
  if (value === undefined) {
    if (shape.required) {
      throw new Error(`${where} ${field} is missing: must be ${expected(shape)}`);
    }
    return;
  }
  if (shape.array) {
    if (!Array.isArray(value)) {
      if (!Token.isUnresolved(value)) {
        throw new Error(`${where} ${field} is ${describeValue(value)}: must be a list of ${plural(shape)}`);
      }
      return;
    }
    value.forEach((element, i) => checkMember(where, `${field}[${i}]`, { ...shape, array: false, required: true }, element));
    return;
  }
  if (!fits(shape, value)) {
    throw new Error(`${where} ${field} is ${describeValue(value)}: must be ${expected(shape)}`);
  }
  if (shape.kind === 'props') {
    checkShape(where, field, shape.type as PropsInterface, value);
  }
}

function fits(shape: MemberShape, value: unknown): boolean {
  if (Token.isUnresolved(value)) {
    return true;
  }
  switch (shape.kind) {
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number';
    case 'boolean':
      return typeof value === 'boolean';
    case 'enum':
      return typeof value === 'string' && shape.values!.includes(value);
    case 'duration':
      return isObject(value) && typeof (value as Record<string, unknown>).toSeconds === 'function';
    default:
      // props, references and classes: an object; the entry point checks a reference's attribute or a class.
      return isObject(value);
  }
}

function isObject(value: unknown): boolean {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** What a value of `shape` must be, for a message. */
function expected(shape: MemberShape & { hint?: string }): string {
  switch (shape.kind) {
    case 'string':
      return 'a string';
    case 'number':
      return 'a number';
    case 'boolean':
      return 'true or false';
    case 'enum':
      return `one of ${shape.values!.join(', ')}`;
    case 'props':
      return `an object (${shape.type})`;
    default:
      return `${/^[AEIOU]/.test(shape.type) ? 'an' : 'a'} ${shape.type}, e.g. ${shape.hint ?? TYPE_HINTS[shape.type] ?? shape.type}`;
  }
}

/** What the elements of a list of `shape` must be, for a message. */
function plural(shape: MemberShape): string {
  switch (shape.kind) {
    case 'string':
    case 'number':
      return `${shape.kind}s`;
    case 'props':
      return `objects (${shape.type})`;
    default:
      return `${shape.type}s, e.g. [${TYPE_HINTS[shape.type] ?? shape.type}]`;
  }
}

/** Throws when `value` is set and is not one of `allowed` (an enum without a type checker). */
export function checkEnumValue(where: string, value: unknown, allowed: readonly string[]): void {
  if (value === undefined || (typeof value === 'string' && (allowed.includes(value) || Token.isUnresolved(value)))) {
    return;
  }
  throw new Error(`${where} is ${describeValue(value)}: must be one of ${allowed.join(', ')}`);
}

/** Throws when `value` is set and lacks the methods of the expected class (e.g. a string for a Duration). */
export function checkKind(where: string, value: unknown, kind: string, methods: readonly string[], hint: string): void {
  if (value === undefined) {
    return;
  }
  const ok = value !== null && typeof value === 'object' && methods.every(m => typeof (value as Record<string, unknown>)[m] === 'function');
  if (!ok) {
    throw new Error(`${where} is ${describeValue(value)}: must be a ${kind}, e.g. ${hint}`);
  }
}

/**
 * Throws when `value` is not a reference to a resource (an owned construct or an import) that has
 * the string attribute `attribute`, e.g. a string where an IDatasetGroup belongs. `optional` lets
 * `undefined` through; otherwise a missing value is named as such.
 */
export function checkReference(where: string, value: unknown, kind: string, attribute: string, hint: string, optional = false): void {
  if (value === undefined && optional) {
    return;
  }
  if (value === null || typeof value !== 'object' || typeof (value as Record<string, unknown>)[attribute] !== 'string') {
    throw new Error(`${where} is ${value === undefined ? 'missing' : describeValue(value)}: must be ${kind}, e.g. ${hint}`);
  }
}

/** Throws when `value` is set (or `required`) and is not an instance of `type`. */
export function checkClass(where: string, value: unknown, type: Function, hint: string, required = false): void {
  if ((value === undefined && !required) || value instanceof type) {
    return;
  }
  throw new Error(`${where} is ${value === undefined ? 'missing' : describeValue(value)}: must be ${type.name}, e.g. ${hint}`);
}
