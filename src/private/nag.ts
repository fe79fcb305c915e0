import { Aspects, CfnResource, Stack, Validations } from 'aws-cdk-lib';
import { CfnPolicy, CfnRole } from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';

/**
 * cdk-nag's AwsSolutions findings on the library's own resources, acknowledged with their reasons
 * where the resources are made, so that a user's run reports only the app's own resources. The
 * library does not depend on cdk-nag: acknowledgments are aws-cdk-lib's (`Validations.acknowledge`),
 * which cdk-nag reads. A wildcard finding (IAM5) or managed policy (IAM4) is named the way cdk-nag
 * names it, `AwsSolutions-IAM5[Resource::<the flattened ARN>]`, computed once the app is complete;
 * a wildcard no reason matches is left for the user's run to report.
 */
export interface NagReason {
  /** A rule id (`AwsSolutions-L1`), or a pattern matching the findings of a granular rule (IAM4, IAM5). */
  readonly rule: string | RegExp;
  readonly reason: string;
}

/** One part of a flattened ARN: literal (`us-east-1`) or a pseudo parameter (`<AWS::Region>`). */
const PART = '(?:<[^>]*>|[^:<>]*)';

/**
 * The IAM5 finding of a wildcard resource ARN of `service` whose resource part matches `resource`
 * (a regular expression source), whatever the ARN's partition, region and account are.
 */
export function wildcardArn(service: string, resource: string): RegExp {
  return new RegExp(`^AwsSolutions-IAM5\\[Resource::arn:${PART}:${service}:${PART}:${PART}:${resource}\\]$`);
}

/** Acknowledges `reasons` on every CloudFormation resource under `scope`, at synth. */
export function acknowledgeNag(scope: IConstruct, reasons: NagReason[]): void {
  Aspects.of(scope).add({
    visit: (node) => {
      if (!CfnResource.isCfnResource(node)) {
        return;
      }
      const acknowledged = new Map<string, string>();
      for (const { rule, reason } of reasons) {
        if (typeof rule === 'string' && appliesTo(rule, node.cfnResourceType)) {
          acknowledged.set(rule, reason);
        }
      }
      for (const finding of granularFindings(node)) {
        const match = reasons.find(r => r.rule instanceof RegExp && r.rule.test(finding));
        if (match) {
          acknowledged.set(finding, match.reason);
        }
      }
      if (acknowledged.size > 0) {
        Validations.of(node).acknowledge(...[...acknowledged].map(([id, reason]) => ({ id, reason })));
      }
    },
  });
}

/** The resource types each rule checks: an acknowledgment goes only where the rule could report. */
const RULE_TYPES: Record<string, readonly string[]> = {
  'AwsSolutions-L1': ['AWS::Lambda::Function'],
  'AwsSolutions-SF1': ['AWS::StepFunctions::StateMachine'],
  'AwsSolutions-SF2': ['AWS::StepFunctions::StateMachine'],
  'AwsSolutions-IAM4': ['AWS::IAM::Role', 'AWS::IAM::User', 'AWS::IAM::Group'],
  'AwsSolutions-IAM5': ['AWS::IAM::Role', 'AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy', 'AWS::IAM::User', 'AWS::IAM::Group'],
};

function appliesTo(rule: string, type: string): boolean {
  const types = RULE_TYPES[rule.replace(/\[.*$/, '')];
  return types === undefined || types.includes(type);
}

/** The IAM4 and IAM5 findings cdk-nag would name on `node`. */
function granularFindings(node: CfnResource): string[] {
  const stack = Stack.of(node);
  const documents: unknown[] = [];
  const managed: unknown[] = [];
  if (node instanceof CfnPolicy) {
    documents.push(stack.resolve(node.policyDocument));
  } else if (node instanceof CfnRole) {
    for (const policy of (stack.resolve(node.policies) ?? []) as Array<{ policyDocument: unknown }>) {
      documents.push(stack.resolve(policy.policyDocument));
    }
    managed.push(...((stack.resolve(node.managedPolicyArns) ?? []) as unknown[]));
  }
  const findings = new Set<string>();
  for (const document of documents) {
    for (const statement of list((document as { Statement?: unknown })?.Statement) as Array<Record<string, unknown>>) {
      list(statement.Action).filter((a): a is string => typeof a === 'string' && a.includes('*'))
        .forEach(a => findings.add(`AwsSolutions-IAM5[Action::${a}]`));
      list(statement.Resource).map(flatten).filter(r => r.includes('*')).forEach(r => findings.add(`AwsSolutions-IAM5[Resource::${r}]`));
    }
  }
  managed.map(flatten).forEach(p => findings.add(`AwsSolutions-IAM4[Policy::${p}]`));
  return [...findings];
}

function list(value: unknown): unknown[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/** A CloudFormation value as one string, as cdk-nag writes it: `<Logical.Attr>` for GetAtt, `<Ref>` for Ref. */
function flatten(node: unknown): string {
  if (node === undefined) {
    return '';
  }
  if (typeof node === 'string') {
    return node.replace(/\${/g, '<').replace(/}/g, '>');
  }
  const n = node as Record<string, any>;
  if (n['Fn::Join']) {
    const [delimiter, items] = n['Fn::Join'];
    return (items as unknown[]).map(flatten).join(delimiter);
  }
  if (n['Fn::Sub']) {
    return flatten(n['Fn::Sub']);
  }
  if (n['Fn::GetAtt']) {
    const [resource, attribute] = n['Fn::GetAtt'];
    return `<${flatten(resource)}.${flatten(attribute)}>`;
  }
  if (n['Fn::ImportValue']) {
    return flatten(n['Fn::ImportValue']);
  }
  if (n.Ref) {
    return `<${flatten(n.Ref)}>`;
  }
  return JSON.stringify(node);
}
