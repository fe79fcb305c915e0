import { ServiceModel, Shape } from './model';

/** One constraint violation, with the member path as the caller wrote it (e.g. `tags[0].tagKey`). */
export interface Violation {
  readonly path: string;
  readonly value: unknown;
  readonly constraint: string;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Checks a JSON value against a shape of the API model: types, required members, unknown
 * members, string length and pattern, enums, list and map sizes, numeric bounds. It is
 * generic: nothing here knows about Personalize fields.
 */
export class ShapeValidator {
  private readonly regexes = new Map<string, RegExp>();

  constructor(private readonly model: ServiceModel) {}

  /** Returns every violation found under `value` (empty when valid). */
  validate(shapeName: string, value: unknown, path = ''): Violation[] {
    const out: Violation[] = [];
    this.walk(shapeName, value, path, out);
    return out;
  }

  private walk(shapeName: string, value: unknown, path: string, out: Violation[]): void {
    const shape = this.model.shapes[shapeName];
    if (!shape) throw new Error(`shape ${shapeName} is not in the model`);
    const fail = (constraint: string) => out.push({ path: path || '<root>', value, constraint });

    switch (shape.type) {
      case 'structure':
        if (!isPlainObject(value)) return void fail(`Member must be an object (${shapeName})`);
        return this.walkStructure(shapeName, shape, value, path, out);
      case 'list':
        if (!Array.isArray(value)) return void fail('Member must be a list');
        this.checkSize(shape, value.length, 'length', fail);
        value.forEach((item, i) => this.walk(shape.member!.shape, item, `${path}[${i}]`, out));
        return;
      case 'map':
        if (!isPlainObject(value)) return void fail('Member must be a map');
        this.checkSize(shape, Object.keys(value).length, 'number of entries', fail);
        for (const [k, v] of Object.entries(value)) {
          this.walk(shape.key!.shape, k, `${path}{key ${JSON.stringify(k)}}`, out);
          this.walk(shape.value!.shape, v, `${path}.${k}`, out);
        }
        return;
      case 'string':
        if (typeof value !== 'string') return void fail('Member must be a string');
        return this.checkString(shape, value, fail);
      case 'integer':
      case 'long':
        if (typeof value !== 'number' || !Number.isInteger(value)) return void fail('Member must be an integer');
        return this.checkBounds(shape, value, fail);
      case 'double':
      case 'float':
        if (typeof value !== 'number' || !Number.isFinite(value)) return void fail('Member must be a number');
        return this.checkBounds(shape, value, fail);
      case 'boolean':
        if (typeof value !== 'boolean') fail('Member must be a boolean');
        return;
      case 'timestamp':
        if (typeof value !== 'number' || !Number.isFinite(value)) fail('Member must be a timestamp in epoch seconds');
        return;
      default:
        if (typeof value !== 'string') fail(`Member must be a ${shape.type}`);
    }
  }

  private walkStructure(name: string, shape: Shape, value: Record<string, unknown>, path: string, out: Violation[]): void {
    const members = shape.members ?? {};
    const join = (m: string) => (path ? `${path}.${m}` : m);
    for (const req of shape.required ?? []) {
      if (value[req] === undefined || value[req] === null) {
        out.push({ path: join(req), value: null, constraint: 'Member must not be null' });
      }
    }
    for (const [member, v] of Object.entries(value)) {
      const ref = members[member];
      if (!ref) {
        out.push({ path: join(member), value: v, constraint: `Unknown member (not in ${name})` });
      } else if (v !== undefined && v !== null) {
        this.walk(ref.shape, v, join(member), out);
      }
    }
  }

  private checkString(shape: Shape, value: string, fail: (c: string) => void): void {
    const length = [...value].length;
    if (shape.min !== undefined && length < shape.min) fail(`Member must have length greater than or equal to ${shape.min}`);
    if (shape.max !== undefined && length > shape.max) fail(`Member must have length less than or equal to ${shape.max}`);
    if (shape.enum && !shape.enum.includes(value)) fail(`Member must satisfy enum value set: [${shape.enum.join(', ')}]`);
    if (shape.pattern && !this.regex(shape.pattern).test(value)) {
      fail(`Member must satisfy regular expression pattern: ${shape.pattern}`);
    }
  }

  private checkBounds(shape: Shape, value: number, fail: (c: string) => void): void {
    if (shape.min !== undefined && value < shape.min) fail(`Member must have value greater than or equal to ${shape.min}`);
    if (shape.max !== undefined && value > shape.max) fail(`Member must have value less than or equal to ${shape.max}`);
  }

  private checkSize(shape: Shape, size: number, what: string, fail: (c: string) => void): void {
    if (shape.min !== undefined && size < shape.min) fail(`Member must have ${what} greater than or equal to ${shape.min}`);
    if (shape.max !== undefined && size > shape.max) fail(`Member must have ${what} less than or equal to ${shape.max}`);
  }

  /** Model patterns are partial (e.g. the name pattern has no `$`); the service matches whole values. */
  private regex(pattern: string): RegExp {
    let re = this.regexes.get(pattern);
    if (!re) {
      const anchored = `^(?:${pattern})$`;
      try {
        re = new RegExp(anchored, 'u');
      } catch {
        re = new RegExp(anchored);
      }
      this.regexes.set(pattern, re);
    }
    return re;
  }
}

/** Renders violations the way AWS validation errors read. */
export function formatViolations(violations: readonly Violation[]): string {
  const shown = violations.slice(0, 10).map((v) => {
    let rendered = JSON.stringify(v.value) ?? String(v.value);
    if (rendered.length > 120) rendered = `${rendered.slice(0, 117)}...`;
    return `Value ${rendered} at '${v.path}' failed to satisfy constraint: ${v.constraint}`;
  });
  const n = violations.length;
  return `${n} validation error${n === 1 ? '' : 's'} detected: ${shown.join('; ')}`;
}
