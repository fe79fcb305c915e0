import * as crypto from 'crypto';
import { CfnElement, CfnParameter, CfnResource, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * The training key: names the wait condition of one training, so it must change whenever a deploy
 * starts a training. It is computed at synth, from the template values of what decides a training.
 * References to resources are replaced by the referenced resource's own definition (recursively),
 * so a dataset group that is renamed or replaced changes the key even though its ARN is only known
 * at deploy. The key may change without a training (harmless: the handler then just re-arms the
 * poller for the version it has); it must never stay the same when a training starts.
 */
export interface TrainingKey {
  /** 8 upper-case hex characters. */
  readonly key: string;
  /** Values whose deploy-time value the key cannot see (parameters, imports, dynamic references, conditions). */
  readonly deployTimeValues: string[];
}

/** Pseudo parameters that are fixed for the lifetime of a stack. */
const STABLE_PSEUDO = new Set(['AWS::Region', 'AWS::AccountId', 'AWS::Partition', 'AWS::URLSuffix', 'AWS::StackName', 'AWS::StackId']);

/**
 * Properties not expanded: they change with the library's handler code, not with what the resource
 * does (a custom resource's ServiceToken, and the job waiter's state machine a job resource names).
 */
const SKIPPED_PROPERTIES = new Set(['ServiceToken', 'StateMachineArn']);

export function trainingKeyOf(scope: IConstruct, material: unknown): TrainingKey {
  const stack = Stack.of(scope);
  const elements = elementsById(stack);
  const deployTimeValues: string[] = [];
  const expanding = new Set<string>();

  const expandResource = (logicalId: string): unknown => {
    // A reference to another stack of the app (a cross-stack reference) is expanded there too.
    const found = elements.get(logicalId) ?? [];
    const element = found.find(e => Stack.of(e) === stack) ?? (found.length === 1 ? found[0] : undefined);
    if (element instanceof CfnParameter) {
      deployTimeValues.push(`parameter ${logicalId}`);
      return { parameter: logicalId };
    }
    if (!(element instanceof CfnResource)) {
      deployTimeValues.push(`reference to ${logicalId}, which is not a resource of this app`);
      return { unknown: logicalId };
    }
    if (expanding.has(logicalId)) {
      return { cycle: logicalId };
    }
    expanding.add(logicalId);
    try {
      const fragment = Stack.of(element).resolve((element as unknown as { _toCloudFormation(): any })._toCloudFormation());
      const definition = fragment?.Resources?.[logicalId] ?? {};
      const properties = Object.fromEntries(Object.entries(definition.Properties ?? {}).filter(([k]) => !SKIPPED_PROPERTIES.has(k)));
      return { resource: logicalId, type: definition.Type, properties: walk(properties) };
    } finally {
      expanding.delete(logicalId);
    }
  };

  const walk = (value: unknown): unknown => {
    if (typeof value === 'string') {
      if (value.includes('{{resolve:')) {
        deployTimeValues.push(`dynamic reference ${value}`);
      }
      return value;
    }
    if (Array.isArray(value)) {
      return value.map(walk);
    }
    if (value === null || typeof value !== 'object') {
      return value;
    }
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj);
    if (keys.length === 1) {
      const [fn] = keys;
      const arg = obj[fn];
      if (fn === 'Ref' && typeof arg === 'string') {
        return STABLE_PSEUDO.has(arg) ? { pseudo: arg } : arg.startsWith('AWS::') ? note(`pseudo parameter ${arg}`, obj) : { ref: expandResource(arg) };
      }
      if (fn === 'Fn::GetAtt') {
        const [id, attr] = Array.isArray(arg) ? arg as string[] : String(arg).split('.');
        return { getAtt: expandResource(id), attribute: attr };
      }
      if (fn === 'Fn::ImportValue') {
        return note(`import ${JSON.stringify(stack.resolve(arg))}`, obj);
      }
      if (fn === 'Fn::If' || fn === 'Condition') {
        return note(`condition ${JSON.stringify(arg)}`, obj);
      }
      if (fn === 'Fn::Sub') {
        const [template, vars] = Array.isArray(arg) ? arg as [string, Record<string, unknown>?] : [String(arg), undefined];
        const refs = [...template.matchAll(/\$\{([^!}][^}]*)\}/g)].map(m => m[1]).filter(name => !(vars && name in vars));
        return { sub: template, vars: walk(vars ?? {}), refs: refs.map(name => walk(name.includes('.') ? { 'Fn::GetAtt': name.split('.') } : { Ref: name })) };
      }
    }
    return Object.fromEntries(keys.sort().map(k => [k, walk(obj[k])]));
  };

  const note = (what: string, value: unknown): unknown => {
    deployTimeValues.push(what);
    return value;
  };

  const expanded = walk(stack.resolve(material));
  const key = crypto.createHash('sha256').update(JSON.stringify(expanded)).digest('hex').slice(0, 8).toUpperCase();
  return { key, deployTimeValues: [...new Set(deployTimeValues)] };
}

/** Logical id → the elements with it, in every stack of the app. */
function elementsById(stack: Stack): Map<string, CfnElement[]> {
  const map = new Map<string, CfnElement[]>();
  for (const c of stack.node.root.node.findAll()) {
    if (CfnElement.isCfnElement(c)) {
      const element = c as CfnElement;
      const id = Stack.of(element).resolve(element.logicalId);
      map.set(id, [...map.get(id) ?? [], element]);
    }
  }
  return map;
}
