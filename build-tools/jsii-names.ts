/**
 * Fails the build when a public name of the jsii assembly is a reserved word in Java or Python,
 * where jsii would rename it (`boolean()` becomes `doBoolean()` in Java, `lambda` becomes `lambda_`
 * in Python) and the generated docs and examples would no longer match the API; and when docs name
 * a member in camelCase, which reads wrong in Python.
 *
 * Usage: ts-node build-tools/jsii-names.ts [.jsii]
 */
import * as fs from 'fs';

export const RESERVED: Record<string, ReadonlySet<string>> = {
  Java: new Set([
    'abstract', 'assert', 'boolean', 'break', 'byte', 'case', 'catch', 'char', 'class', 'const', 'continue', 'default',
    'do', 'double', 'else', 'enum', 'extends', 'final', 'finally', 'float', 'for', 'goto', 'if', 'implements', 'import',
    'instanceof', 'int', 'interface', 'long', 'native', 'new', 'package', 'private', 'protected', 'public', 'return',
    'short', 'static', 'strictfp', 'super', 'switch', 'synchronized', 'this', 'throw', 'throws', 'transient', 'try',
    'void', 'volatile', 'while', 'true', 'false', 'null', 'var', 'record', 'yield',
  ]),
  Python: new Set([
    'False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del', 'elif',
    'else', 'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'nonlocal', 'not', 'or',
    'pass', 'raise', 'return', 'try', 'while', 'with', 'yield', 'self',
  ]),
};

/**
 * Go and C# keep jsii's method and property names capitalized (`Type()`, `Range`), where no keyword
 * clashes; only a parameter keeps its name as written, so only parameters are checked against these.
 */
export const PARAMETER_RESERVED: Record<string, ReadonlySet<string>> = {
  'Go': new Set([
    'break', 'case', 'chan', 'const', 'continue', 'default', 'defer', 'else', 'fallthrough', 'for', 'func', 'go', 'goto', 'if',
    'import', 'interface', 'map', 'package', 'range', 'return', 'select', 'struct', 'switch', 'type', 'var',
  ]),
  '.NET': new Set([
    'abstract', 'as', 'base', 'bool', 'break', 'byte', 'case', 'catch', 'char', 'checked', 'class', 'const', 'continue', 'decimal',
    'default', 'delegate', 'do', 'double', 'else', 'enum', 'event', 'explicit', 'extern', 'false', 'finally', 'fixed', 'float', 'for',
    'foreach', 'goto', 'if', 'implicit', 'in', 'int', 'interface', 'internal', 'is', 'lock', 'long', 'namespace', 'new', 'null',
    'object', 'operator', 'out', 'override', 'params', 'private', 'protected', 'public', 'readonly', 'ref', 'return', 'sbyte',
    'sealed', 'short', 'sizeof', 'stackalloc', 'static', 'string', 'struct', 'switch', 'this', 'throw', 'true', 'try', 'typeof',
    'uint', 'ulong', 'unchecked', 'unsafe', 'ushort', 'using', 'virtual', 'void', 'volatile', 'while',
  ]),
};

interface Callable { readonly name?: string; readonly parameters?: Array<{ readonly name: string }> }
interface TypeEntry {
  readonly fqn: string;
  readonly methods?: Callable[];
  readonly initializer?: Callable;
  readonly properties?: Array<{ readonly name: string }>;
  readonly members?: Array<{ readonly name: string }>;
}
export interface Assembly { readonly types?: Record<string, TypeEntry> }

/** `<fqn>.<member>: '<name>' is reserved in <language>` for each offending name. */
export function reservedNames(assembly: Assembly): string[] {
  const problems: string[] = [];
  const check = (where: string, name: string | undefined) => {
    for (const [language, words] of Object.entries(RESERVED)) {
      if (name !== undefined && words.has(name)) {
        problems.push(`${where}: '${name}' is reserved in ${language}`);
      }
    }
  };
  for (const type of Object.values(assembly.types ?? {})) {
    check(type.fqn, type.fqn.split('.').pop());
    for (const method of [...(type.methods ?? []), ...(type.initializer ? [{ ...type.initializer, name: 'constructor' }] : [])]) {
      check(`${type.fqn}.${method.name}`, method.name === 'constructor' ? undefined : method.name);
      for (const parameter of method.parameters ?? []) {
        check(`${type.fqn}.${method.name}(${parameter.name})`, parameter.name);
        for (const [language, words] of Object.entries(PARAMETER_RESERVED)) {
          if (words.has(parameter.name)) {
            problems.push(`${type.fqn}.${method.name}(${parameter.name}): '${parameter.name}' is reserved in ${language}`);
          }
        }
      }
    }
    for (const property of type.properties ?? []) {
      check(`${type.fqn}.${property.name}`, property.name);
    }
  }
  return problems;
}

interface Docs { readonly summary?: string; readonly remarks?: string; readonly default?: string }
interface Documented { readonly name?: string; readonly docs?: Docs; readonly parameters?: Array<{ readonly name: string; readonly docs?: Docs }> }

/**
 * Docs that name a member in camelCase between backticks (`autoMl`): Python spells it auto_ml, so
 * such docs do not read in every language. Write them in words instead.
 */
export function camelCaseInDocs(assembly: Assembly): string[] {
  const types = Object.values(assembly.types ?? {}) as Array<TypeEntry & { docs?: Docs }>;
  const members = new Set(types.flatMap(t => [...(t.methods ?? []), ...(t.properties ?? [])].map(m => m.name ?? '')));
  const problems: string[] = [];
  const scan = (where: string, docs: Docs | undefined) => {
    for (const text of [docs?.summary, docs?.remarks, docs?.default]) {
      for (const match of (text ?? '').matchAll(/`([a-z]+[A-Z][A-Za-z0-9]*)\b/g)) {
        if (members.has(match[1])) {
          problems.push(`${where}: the docs name \`${match[1]}\`, which Python spells differently`);
        }
      }
    }
  };
  for (const type of types) {
    scan(type.fqn, type.docs);
    for (const member of [...(type.methods ?? []), ...(type.properties ?? [])] as Documented[]) {
      scan(`${type.fqn}.${member.name}`, member.docs);
      for (const parameter of member.parameters ?? []) {
        scan(`${type.fqn}.${member.name}(${parameter.name})`, parameter.docs);
      }
    }
  }
  return problems;
}

if (require.main === module) {
  const file = process.argv[2] ?? '.jsii';
  const assembly = JSON.parse(fs.readFileSync(file, 'utf-8')) as Assembly;
  const problems = [...reservedNames(assembly), ...camelCaseInDocs(assembly)];
  if (problems.length > 0) {
    console.error(`${file}: names that do not read the same in every language:\n${problems.map(p => `  - ${p}`).join('\n')}`);
    process.exit(1);
  }
  console.log(`${file}: no public name is reserved in Java or Python, no parameter in Go or .NET, and no docs name a member in camelCase`);
}
