/**
 * The simulator's own reading of filter expressions (it never imports the library, so the two can
 * disagree). Rules from the developer guide's filter pages; what they leave open is read strictly.
 */
import { invalidInput } from './errors';

export interface ParsedComparison {
  /** `Items`, `Users`, `Interactions`, `Actions`, `Action_Interactions` or `CurrentUser`. */
  readonly dataset: string;
  readonly field: string;
  readonly operator: string;
  readonly values: readonly string[];
}

export interface ParsedPart {
  readonly target: string;
  readonly comparisons: readonly ParsedComparison[];
  readonly ifComparisons: readonly ParsedComparison[];
}

const TOKEN = /\s*(?:("(?:[^"]*)")|(\$[A-Za-z][A-Za-z0-9_]*)|(<=|>=|!=|=|<|>|\(|\)|,|\|)|(-?\d+(?:\.\d+)?)|([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)?))/y;
const DATASETS = new Set(['Items', 'Users', 'Interactions', 'Actions', 'Action_Interactions']);
const COMPARISONS = new Set(['=', '!=', '<', '<=', '>', '>=']);

function tokenize(expression: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  let at = 0;
  while (at < expression.length) {
    if (/^\s*$/.test(expression.slice(at))) break;
    TOKEN.lastIndex = at;
    const m = TOKEN.exec(expression);
    if (!m) throw invalidInput(`Filter expression is not valid near "${expression.slice(at, at + 20).trim()}"`);
    tokens.push((m[1] ?? m[2] ?? m[3] ?? m[4] ?? m[5])!);
    at = TOKEN.lastIndex;
  }
  return tokens;
}

/** Parses `expression`; a malformed one is an InvalidInputException. */
export function parseFilterExpression(expression: string): ParsedPart[] {
  const tokens = tokenize(expression);
  let i = 0;
  const peek = () => tokens[i];
  const next = (what: string) => {
    const token = tokens[i++];
    if (token === undefined) throw invalidInput(`Filter expression ends early: expected ${what}`);
    return token;
  };
  const expect = (word: string) => {
    const token = next(word);
    if (token !== word) throw invalidInput(`Filter expression: expected ${word}, got "${token}"`);
  };

  const comparison = (): ParsedComparison => {
    const ref = next('a dataset field');
    const [dataset, field] = ref.split('.');
    if (field === undefined || !(DATASETS.has(dataset) || dataset === 'CurrentUser')) {
      throw invalidInput(`Filter expression: "${ref}" is not a dataset field (Items.X, Users.X, Interactions.EVENT_TYPE, ...)`);
    }
    let operator = next('an operator');
    if (operator === 'NOT') {
      expect('IN');
      operator = 'NOT IN';
    }
    if (operator === 'IN' || operator === 'NOT IN') {
      expect('(');
      const values = [next('a value')];
      while (peek() === ',') {
        i++;
        values.push(next('a value'));
      }
      expect(')');
      for (const v of values) {
        if (!(v.startsWith('"') || v.startsWith('$') || v.startsWith('CurrentItem.'))) {
          throw invalidInput(`Filter expression: ${ref} ${operator} takes strings, placeholders or CurrentItem fields, got ${v}`);
        }
      }
      return { dataset, field, operator, values };
    }
    if (!COMPARISONS.has(operator)) throw invalidInput(`Filter expression: "${operator}" is not an operator`);
    const value = next('a value');
    if (!(/^-?\d/.test(value) || value.startsWith('$'))) {
      throw invalidInput(`Filter expression: ${ref} ${operator} compares numbers, got ${value}`);
    }
    // [U] open fact 35: one error page allows placeholders only with IN and =.
    if (value.startsWith('$') && operator !== '=') {
      throw invalidInput(`Filter expression: ${ref} ${operator} ${value}: placeholders can only be used with IN and =`);
    }
    return { dataset, field, operator, values: [value] };
  };

  const parts: ParsedPart[] = [];
  for (;;) {
    const action = next('INCLUDE or EXCLUDE');
    if (action !== 'INCLUDE' && action !== 'EXCLUDE') throw invalidInput(`Filter expression: expected INCLUDE or EXCLUDE, got "${action}"`);
    const target = next('ItemID, UserID or ActionID');
    if (!['ItemID', 'UserID', 'ActionID'].includes(target)) throw invalidInput(`Filter expression: expected ItemID, UserID or ActionID, got "${target}"`);
    expect('WHERE');
    const comparisons = [comparison()];
    while (peek() === 'AND' || peek() === 'OR') {
      i++;
      comparisons.push(comparison());
    }
    const ifComparisons: ParsedComparison[] = [];
    if (peek() === 'IF') {
      i++;
      ifComparisons.push(comparison());
      while (peek() === 'AND') {
        i++;
        ifComparisons.push(comparison());
      }
    }
    parts.push({ target, comparisons, ifComparisons });
    if (peek() === undefined) break;
    expect('|');
  }
  return parts;
}
