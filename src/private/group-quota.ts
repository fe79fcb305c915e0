import { Annotations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** What a dataset group of this app offers to count its members (matched by shape: the core imports nothing public). */
interface CountingGroup extends IConstruct {
  _registerMember(kind: string, member: IConstruct): void;
  _membersOf(kind: string): IConstruct[];
}

/**
 * Counts `member` on its dataset group and warns, once per group, when the group has more than an
 * adjustable per-group quota allows (the quotas page). Imported groups are not counted.
 */
export function warnAboveGroupQuota(member: IConstruct, group: unknown, kind: string, quota: number): void {
  const counting = group as Partial<CountingGroup> | undefined;
  if (typeof counting?._registerMember !== 'function' || typeof counting._membersOf !== 'function') {
    return;
  }
  const g = counting as CountingGroup;
  g._registerMember(kind, member);
  member.node.addValidation({
    validate: () => {
      const members = g._membersOf(kind);
      if (members[0] === member && members.length > quota) {
        Annotations.of(member).addWarningV2(`cdk-personalize:${kind.toLowerCase()}-quota`,
          `dataset group ${g.node.path} has ${members.length} ${kind.toLowerCase()}s: the default quota is ${quota} active ${kind.toLowerCase()}s per dataset group; `
          + 'request an increase in Service Quotas before deploying, or the deploy fails');
      }
      return [];
    },
  });
}
