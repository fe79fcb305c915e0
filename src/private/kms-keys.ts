import { Token } from 'aws-cdk-lib';

/** CreateDatasetGroup's and S3DataConfig's `kmsKeyArn` (the API model's KmsKeyArn pattern). */
const KEY_ARN_PATTERN = /^arn:aws.*:kms:.*:[0-9]{12}:key\/.*$/;

/**
 * Why Personalize would refuse `key` as a `kmsKeyArn`, or undefined when it takes it (or it is only
 * known at deploy). Personalize takes a key's ARN only: an alias, or an alias ARN, is refused.
 */
export function kmsKeyProblem(key: { readonly keyArn: string } | undefined): string | undefined {
  if (key === undefined) {
    return undefined;
  }
  const aliasName = (key as { aliasName?: unknown }).aliasName;
  if (typeof aliasName === 'string') {
    const shown = Token.isUnresolved(aliasName) ? 'an alias' : `the alias ${aliasName}`;
    return `is ${shown}: Personalize takes a key ARN (arn:aws:kms:<region>:<account>:key/<key id>); use the key, e.g. kms.Key.fromKeyArn(...)`;
  }
  if (Token.isUnresolved(key.keyArn) || KEY_ARN_PATTERN.test(key.keyArn)) {
    return undefined;
  }
  return `has the ARN ${key.keyArn}: Personalize takes a key ARN (arn:aws:kms:<region>:<account>:key/<key id>), not an alias ARN`;
}
