import type { Tag } from '@aws-sdk/client-personalize';
import type { PersonalizeApi } from './personalize-api';

/** Brings the tags of `arn` from `before` to `after` with UntagResource and TagResource. */
export async function updateTags(personalize: PersonalizeApi, arn: string, before: Tag[], after: Tag[]): Promise<void> {
  const old = new Map(before.map((t) => [t.tagKey, t.tagValue]));
  const wanted = new Set(after.map((t) => t.tagKey));
  const toSet = after.filter((t) => !old.has(t.tagKey) || old.get(t.tagKey) !== t.tagValue);
  const toRemove = [...old.keys()].filter((key) => !wanted.has(key)) as string[];
  if (toRemove.length > 0) {
    console.log(`UntagResource ${arn}: ${toRemove.join(', ')}`);
    await personalize.untagResource({ resourceArn: arn, tagKeys: toRemove });
  }
  if (toSet.length > 0) {
    console.log(`TagResource ${arn}: ${toSet.map((t) => t.tagKey).join(', ')}`);
    await personalize.tagResource({ resourceArn: arn, tags: toSet });
  }
}
