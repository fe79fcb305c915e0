/**
 * A template evaluated against deployed resources: parameters, pseudo parameters, conditions,
 * Ref/Fn::GetAtt, the set of active resources and the outputs.
 */
import type { ResourceProvisioner, ResourceInstance, StackIdentity } from '../protocol/resources';

import { evaluateCondition, type IntrinsicContext, resolve, TemplateError } from '../services/intrinsics';
import { SKIPPED_TYPES, type Template, type TemplateResource, topologicalOrder } from '../services/template';

/** Value given to SSM-typed parameters that CDK reads from the bootstrap stack. */
const BOOTSTRAP_VERSION = '30';

export function partitionOf(region: string): { partition: string; urlSuffix: string } {
  if (region.startsWith('cn-')) return { partition: 'aws-cn', urlSuffix: 'amazonaws.com.cn' };
  if (region.startsWith('us-gov-')) return { partition: 'aws-us-gov', urlSuffix: 'amazonaws.com' };
  return { partition: 'aws', urlSuffix: 'amazonaws.com' };
}

/** Resolves parameter values: given ones, then defaults; CDK's bootstrap version parameter is satisfied. */
export function resolveParameters(template: Template, given: Record<string, string> = {}): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  const missing: string[] = [];
  for (const [name, spec] of Object.entries(template.Parameters ?? {})) {
    let value: unknown = given[name];
    if (value === undefined && spec.Type.startsWith('AWS::SSM::Parameter::Value<')) {
      if (typeof spec.Default === 'string' && spec.Default.startsWith('/cdk-bootstrap/')) value = BOOTSTRAP_VERSION;
      else if (spec.Default !== undefined) throw new TemplateError(`Parameter ${name} reads SSM parameter ${spec.Default}; pass a value in the deploy parameters`);
    }
    value ??= spec.Default === undefined ? undefined : String(spec.Default);
    if (value === undefined) {
      missing.push(name);
      continue;
    }
    values[name] = spec.Type === 'CommaDelimitedList' || spec.Type.startsWith('List<') ? String(value).split(',') : value;
  }
  if (missing.length) throw new TemplateError(`Parameters: [${missing.join(', ')}] must have values`);
  return values;
}

export class StackView {
  private readonly conditions = new Map<string, boolean>();

  constructor(
    readonly identity: StackIdentity,
    readonly template: Template,
    private readonly parameters: Record<string, unknown>,
    /** Deployed resources visible to Ref/GetAtt (the engine updates this map as it goes). */
    private readonly resources: Map<string, ResourceInstance>,
    private readonly handlerOf: (type: string) => ResourceProvisioner | undefined,
  ) {}

  /** Resources that exist under this template (conditions applied, CDK metadata skipped). */
  public activeResources(): Record<string, TemplateResource> {
    const active: Record<string, TemplateResource> = {};
    for (const [id, resource] of Object.entries(this.template.Resources ?? {})) {
      if (SKIPPED_TYPES.has(resource.Type)) continue;
      if (resource.Condition && !this.context().condition(resource.Condition)) continue;
      active[id] = resource;
    }
    return active;
  }

  /** Active resources in creation order. */
  public creationOrder(): string[] {
    return topologicalOrder(this.activeResources());
  }

  public resolve(value: unknown, where: string): unknown {
    return resolve(value, this.context(), where);
  }

  /** Output values; outputs whose condition is false are left out. */
  public outputs(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [key, output] of Object.entries(this.template.Outputs ?? {})) {
      if (output.Condition && !this.context().condition(output.Condition)) continue;
      const value = this.resolve(output.Value, `output ${key}`);
      out[key] = typeof value === 'string' ? value : Array.isArray(value) ? value.join(',') : JSON.stringify(value);
    }
    return out;
  }

  public context(): IntrinsicContext {
    return {
      ref: name => this.ref(name),
      getAtt: (id, attribute) => this.getAtt(id, attribute),
      condition: name => this.condition(name),
      mappings: this.template.Mappings,
    };
  }

  private ref(name: string): unknown {
    const { identity } = this;
    switch (name) {
      case 'AWS::Region': return identity.region;
      case 'AWS::AccountId': return identity.accountId;
      case 'AWS::Partition': return identity.partition;
      case 'AWS::StackName': return identity.stackName;
      case 'AWS::StackId': return identity.stackId;
      case 'AWS::URLSuffix': return identity.urlSuffix;
      case 'AWS::NotificationARNs': return [];
    }
    if (name in this.parameters) return this.parameters[name];
    const instance = this.resources.get(name);
    if (instance) return instance.ref ?? instance.physicalId;
    if (name.startsWith('AWS::')) throw new TemplateError(`Unsupported pseudo parameter ${name}`);
    throw new TemplateError(`Template format error: Unresolved resource dependencies [${name}] in the Resources block of the template`);
  }

  private getAtt(id: string, attribute: string): unknown {
    const instance = this.resources.get(id);
    if (!instance) throw new TemplateError(`Template error: instance of Fn::GetAtt references undefined resource ${id}`);
    if (attribute in instance.attributes) return instance.attributes[attribute];
    const message = this.handlerOf(instance.type)?.attributeError?.(instance, attribute, this.identity.stackId);
    throw new TemplateError(message ?? `Template error: resource ${id} does not support attribute type ${attribute} in Fn::GetAtt`);
  }

  private condition(name: string): boolean {
    const known = this.conditions.get(name);
    if (known !== undefined) return known;
    const expr = this.template.Conditions?.[name];
    if (expr === undefined) throw new TemplateError(`Template format error: Unresolved condition dependencies [${name}]`);
    const value = evaluateCondition(expr, this.context(), `condition ${name}`);
    this.conditions.set(name, value);
    return value;
  }
}
