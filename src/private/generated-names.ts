import { createHash } from 'crypto';
import { Names, Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { stackNamePrefixOf } from './contract';

const md5 = (text: string) => createHash('md5').update(text).digest('hex').toUpperCase();

/**
 * `<stack name>_` (see stackNamePrefixOf: one IAM pattern covers every resource the stack names,
 * however many), or undefined when the stack's name is not known at synth.
 */
export function stackNamePrefix(scope: IConstruct): string | undefined {
  const stackName = Stack.of(scope).stackName;
  return Token.isUnresolved(stackName) ? undefined : stackNamePrefixOf(stackName);
}

/**
 * A name unique in the account and region: the stack prefix, then the construct's path below the
 * stack (letters and digits, cut in the middle when long) and a hash of its full path.
 * Undefined when the stack's name is not known at synth.
 */
export function generatedName(scope: IConstruct, maxLength: number): string | undefined {
  const prefix = stackNamePrefix(scope);
  if (prefix === undefined) {
    return undefined;
  }
  const stackDepth = Stack.of(scope).node.scopes.length;
  const human = scope.node.scopes.slice(stackDepth).map(s => s.node.id.replace(/[^A-Za-z0-9]/g, '')).join('');
  const hash = md5(scope.node.path).slice(0, 8);
  const room = maxLength - prefix.length - hash.length;
  const kept = human.length <= room ? human : `${human.slice(0, Math.ceil(room / 2))}${human.slice(human.length - Math.floor(room / 2))}`;
  return `${prefix}${kept}${hash}`;
}

/**
 * `<path-based name>-<8 hex of content>` within `maxLength`: a resource that cannot be updated
 * (a schema, a filter) gets a name of its own when its content changes, so its replacement,
 * created before the old one is deleted, never collides with it. Content that is a token gives
 * the path-based name alone.
 */
export function nameWithContentDigest(scope: IConstruct, content: string, maxLength: number): string {
  const base = Names.uniqueResourceName(scope, { maxLength: maxLength - 9 });
  if (Token.isUnresolved(content)) {
    return base;
  }
  return `${base}-${createHash('sha256').update(content).digest('hex').slice(0, 8)}`;
}

/**
 * What identifies a dataset group in the names of resources inside it: its name, or its construct
 * path when the name is a token. A renamed group is replaced, and so is everything inside it; with
 * the group in their names, the replacements never collide with the resources they replace.
 */
export function groupIdentity(group: IConstruct & { readonly datasetGroupName: string }): string {
  return Token.isUnresolved(group.datasetGroupName) ? group.node.path : group.datasetGroupName;
}
