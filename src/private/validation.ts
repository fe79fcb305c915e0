import { Annotations, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * Collects every problem of one construct's props, then throws once.
 *
 * Values that are unresolved tokens are skipped: they are only known at deploy time.
 */
export class PropsValidator {
  private readonly problems: string[] = [];

  constructor(private readonly scope: IConstruct, private readonly what: string) {}

  /** Records a problem with `field`, whose value is `value`, stating what is allowed. */
  public fail(field: string, value: unknown, allowed: string): void {
    this.problems.push(`${field} is ${show(value)}: ${allowed}`);
  }

  /** Records a problem about a combination of props. */
  public failCombination(message: string): void {
    this.problems.push(message);
  }

  /** Adds a synth-time warning with a stable id. */
  public warn(id: string, message: string): void {
    Annotations.of(this.scope).addWarningV2(`cdk-personalize:${id}`, message);
  }

  /** For callers without a type checker: a flag must be true or false. */
  public boolean(field: string, value: unknown): void {
    if (value !== undefined && typeof value !== 'boolean' && !Token.isUnresolved(value)) {
      this.fail(field, value, 'must be true or false');
    }
  }

  public integer(field: string, value: number | undefined, min: number, max?: number): void {
    if (value === undefined || Token.isUnresolved(value)) {
      return;
    }
    if (!Number.isInteger(value) || value < min || (max !== undefined && value > max)) {
      this.fail(field, value, max === undefined ? `must be an integer of at least ${min}` : `must be an integer from ${min} to ${max}`);
    }
  }

  public number(field: string, value: number | undefined, min?: number, max?: number): void {
    if (value === undefined || Token.isUnresolved(value)) {
      return;
    }
    if (!Number.isFinite(value) || (min !== undefined && value < min) || (max !== undefined && value > max)) {
      this.fail(field, value, `must be a number${range(min, max)}`);
    }
  }

  public string(field: string, value: string | undefined, options: { minLength?: number; maxLength?: number; pattern?: RegExp }): void {
    if (value === undefined || Token.isUnresolved(value)) {
      return;
    }
    const { minLength = 0, maxLength, pattern } = options;
    if (value.length < minLength || (maxLength !== undefined && value.length > maxLength)) {
      this.fail(field, value, `must have ${minLength} to ${maxLength ?? 'any number of'} characters (it has ${value.length})`);
    } else if (pattern && !pattern.test(value)) {
      this.fail(field, value, `must match ${pattern.source}`);
    }
  }

  public get hasProblems(): boolean {
    return this.problems.length > 0;
  }

  /** Throws one error listing every problem, if there are any. */
  public throwIfInvalid(): void {
    if (this.problems.length > 0) {
      throw new Error(formatProblems(this.what, this.scope, this.problems));
    }
  }

  /** The problems as a list, for `node.addValidation`. */
  public get messages(): string[] {
    return [...this.problems];
  }
}

export function formatProblems(what: string, scope: IConstruct, problems: string[]): string {
  const heading = `invalid ${what} at '${scope.node.path}' (${problems.length} problem${problems.length === 1 ? '' : 's'}):`;
  return [heading, ...problems.map(p => `  - ${p}`)].join('\n');
}

function show(value: unknown): string {
  if (typeof value === 'string') {
    return `'${value}'`;
  }
  // JSON would show NaN and Infinity as null.
  if (typeof value === 'number' && !Number.isFinite(value)) {
    return String(value);
  }
  return JSON.stringify(value);
}

function range(min?: number, max?: number): string {
  if (min !== undefined && max !== undefined) {
    return ` from ${min} to ${max}`;
  }
  if (min !== undefined) {
    return ` of at least ${min}`;
  }
  if (max !== undefined) {
    return ` of at most ${max}`;
  }
  return '';
}
