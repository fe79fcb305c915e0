/**
 * CloudFormation intrinsic functions, evaluated against the runner's view of the stack.
 */

/** What `{ "Ref": "AWS::NoValue" }` resolves to; containers drop it. */
export const NO_VALUE: unique symbol = Symbol('AWS::NoValue');

/** A template problem CloudFormation would report (unsupported function, bad reference, ...). */
export class TemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateError';
  }
}

/** How intrinsics reach the stack: references, attributes, conditions and mappings. */
export interface IntrinsicContext {
  readonly mappings?: Record<string, Record<string, Record<string, unknown>>>;
  /** Value of `Ref` to a parameter, pseudo parameter or resource. Throws TemplateError when unknown. */
  ref(name: string): unknown;
  /** Value of `Fn::GetAtt`. Throws TemplateError when the resource or attribute is unknown. */
  getAtt(logicalId: string, attribute: string): unknown;
  /** Value of a named condition from the Conditions section. */
  condition(name: string): boolean;
}

type Fn = (args: any, ctx: IntrinsicContext, where: string) => unknown;

/**
 * Resolves every intrinsic inside `value`. `where` names the template element (e.g. a logical id)
 * for error messages.
 */
export function resolve(value: unknown, ctx: IntrinsicContext, where: string): unknown {
  if (Array.isArray(value)) {
    return value.map(v => resolve(v, ctx, where)).filter(v => v !== NO_VALUE);
  }
  if (value === null || typeof value !== 'object') return value;
  const keys = Object.keys(value);
  if (keys.length === 1 && isIntrinsicName(keys[0])) {
    const name = keys[0];
    const fn = FUNCTIONS[name];
    if (!fn) throw new TemplateError(`Unsupported intrinsic function ${name} in ${where}`);
    return fn((value as Record<string, unknown>)[name], ctx, where);
  }
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    const v = resolve((value as Record<string, unknown>)[key], ctx, where);
    if (v !== NO_VALUE) out[key] = v;
  }
  return out;
}

/** Evaluates a condition expression (a Conditions entry, or an operand of Fn::And/Or/Not). */
export function evaluateCondition(expr: unknown, ctx: IntrinsicContext, where: string): boolean {
  if (isObject(expr) && Object.keys(expr).length === 1 && typeof expr.Condition === 'string') {
    return ctx.condition(expr.Condition);
  }
  const value = resolve(expr, ctx, where);
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'false') return value === 'true';
  throw new TemplateError(`Condition in ${where} did not evaluate to a boolean: ${JSON.stringify(value)}`);
}

/** Collects the logical ids an expression refers to (Ref, Fn::GetAtt, Fn::Sub), including both Fn::If branches. */
export function collectReferences(value: unknown, into: Set<string> = new Set()): Set<string> {
  if (Array.isArray(value)) {
    value.forEach(v => collectReferences(v, into));
  } else if (isObject(value)) {
    for (const [key, arg] of Object.entries(value)) {
      if (key === 'Ref' && typeof arg === 'string') {
        into.add(arg);
      } else if (key === 'Fn::GetAtt') {
        const target = Array.isArray(arg) ? arg[0] : typeof arg === 'string' ? arg.split('.')[0] : undefined;
        if (typeof target === 'string') into.add(target);
        if (Array.isArray(arg)) collectReferences(arg.slice(1), into);
      } else if (key === 'Fn::Sub') {
        const [template, vars] = Array.isArray(arg) ? arg : [arg, {}];
        const local = new Set(Object.keys(isObject(vars) ? vars : {}));
        if (typeof template === 'string') {
          for (const name of subVariables(template)) {
            const target = name.split('.')[0];
            if (!local.has(name) && !local.has(target)) into.add(target);
          }
        }
        collectReferences(vars, into);
      } else {
        collectReferences(arg, into);
      }
    }
  }
  return into;
}

function isIntrinsicName(key: string): boolean {
  return key === 'Ref' || key.startsWith('Fn::');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Variable names in a Fn::Sub template, skipping `${!Literal}` escapes. */
function subVariables(template: string): string[] {
  const names: string[] = [];
  for (const match of template.matchAll(/\$\{([^}]*)\}/g)) {
    if (!match[1].startsWith('!')) names.push(match[1].trim());
  }
  return names;
}

function expectArray(args: unknown, name: string, where: string, length?: number): unknown[] {
  if (!Array.isArray(args) || (length !== undefined && args.length !== length)) {
    throw new TemplateError(`Template error: ${name} in ${where} requires ${length ?? 'a list of'} arguments`);
  }
  return args;
}

function asString(value: unknown, name: string, where: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new TemplateError(`Template error: ${name} in ${where} expects a string, got ${JSON.stringify(value)}`);
}

const FUNCTIONS: Record<string, Fn> = {
  'Ref': (name, ctx, where) => {
    if (typeof name !== 'string') throw new TemplateError(`Template error: Ref in ${where} must name a resource or parameter`);
    return name === 'AWS::NoValue' ? NO_VALUE : ctx.ref(name);
  },

  'Fn::GetAtt': (args, ctx, where) => {
    const [id, attr] = Array.isArray(args) ? args : typeof args === 'string' ? splitOnce(args, '.') : [];
    const attribute = resolve(attr, ctx, where);
    if (typeof id !== 'string' || typeof attribute !== 'string') {
      throw new TemplateError(`Template error: Fn::GetAtt in ${where} requires [logicalId, attribute]`);
    }
    return ctx.getAtt(id, attribute);
  },

  'Fn::Join': (args, ctx, where) => {
    const [delimiter, list] = expectArray(args, 'Fn::Join', where, 2);
    const values = resolve(list, ctx, where);
    if (!Array.isArray(values)) throw new TemplateError(`Template error: Fn::Join in ${where} requires a list`);
    return values.map(v => asString(v, 'Fn::Join', where)).join(asString(delimiter, 'Fn::Join', where));
  },

  'Fn::Sub': (args, ctx, where) => {
    const [template, vars] = Array.isArray(args) ? expectArray(args, 'Fn::Sub', where, 2) : [args, {}];
    const locals = resolve(vars ?? {}, ctx, where) as Record<string, unknown>;
    const text = asString(template, 'Fn::Sub', where);
    return text.replace(/\$\{([^}]*)\}/g, (_, raw: string) => {
      if (raw.startsWith('!')) return '${' + raw.slice(1) + '}';
      const name = raw.trim();
      if (name in locals) return asString(locals[name], 'Fn::Sub', where);
      const value = name.includes('.') ? ctx.getAtt(...splitOnce(name, '.')) : ctx.ref(name);
      return asString(value, 'Fn::Sub', where);
    });
  },

  'Fn::Select': (args, ctx, where) => {
    const [index, list] = expectArray(args, 'Fn::Select', where, 2);
    const i = Number(resolve(index, ctx, where));
    const values = resolve(list, ctx, where);
    if (!Array.isArray(values) || !Number.isInteger(i) || i < 0 || i >= values.length) {
      throw new TemplateError(`Template error: Fn::Select in ${where} cannot select index ${i}`);
    }
    return values[i];
  },

  'Fn::Split': (args, ctx, where) => {
    const [delimiter, source] = expectArray(args, 'Fn::Split', where, 2);
    return asString(resolve(source, ctx, where), 'Fn::Split', where).split(asString(delimiter, 'Fn::Split', where));
  },

  'Fn::If': (args, ctx, where) => {
    const [name, whenTrue, whenFalse] = expectArray(args, 'Fn::If', where, 3);
    if (typeof name !== 'string') throw new TemplateError(`Template error: Fn::If in ${where} must name a condition`);
    return resolve(ctx.condition(name) ? whenTrue : whenFalse, ctx, where);
  },

  'Fn::Equals': (args, ctx, where) => {
    const [a, b] = expectArray(args, 'Fn::Equals', where, 2).map(v => resolve(v, ctx, where));
    return JSON.stringify(a) === JSON.stringify(b);
  },

  'Fn::Not': (args, ctx, where) => !evaluateCondition(expectArray(args, 'Fn::Not', where, 1)[0], ctx, where),
  'Fn::And': (args, ctx, where) => expectArray(args, 'Fn::And', where).every(c => evaluateCondition(c, ctx, where)),
  'Fn::Or': (args, ctx, where) => expectArray(args, 'Fn::Or', where).some(c => evaluateCondition(c, ctx, where)),

  'Fn::FindInMap': (args, ctx, where) => {
    const [map, top, second] = expectArray(args, 'Fn::FindInMap', where).map(v => resolve(v, ctx, where));
    const value = ctx.mappings?.[String(map)]?.[String(top)]?.[String(second)];
    if (value === undefined) {
      throw new TemplateError(`Template error: Fn::FindInMap in ${where}: no value for [${map}, ${top}, ${second}]`);
    }
    return value;
  },

  'Fn::Base64': (arg, ctx, where) => Buffer.from(asString(resolve(arg, ctx, where), 'Fn::Base64', where)).toString('base64'),
  'Fn::ToJsonString': (arg, ctx, where) => JSON.stringify(resolve(arg, ctx, where)),
};

function splitOnce(text: string, separator: string): [string, string] {
  const i = text.indexOf(separator);
  return i < 0 ? [text, ''] : [text.slice(0, i), text.slice(i + 1)];
}
