import { App, CfnResource, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Dataset } from '../src/dataset';
import { DatasetGroup, DatasetGroupBase, DatasetGroupDomain } from '../src/dataset-group';
import { Schema } from '../src/schema';
import { SchemaField } from '../src/schema-field';

const GROUP_ARN = 'arn:aws:personalize:us-west-2:123456789012:dataset-group/movies';

function newStack(): Stack {
  return new Stack(new App(), 'TestStack', { env: { account: '123456789012', region: 'us-west-2' } });
}

describe('DatasetGroup', () => {
  test('creates a custom dataset group with a generated name and no key', () => {
    const stack = newStack();
    const group = new DatasetGroup(stack, 'Group');

    Template.fromStack(stack).hasResourceProperties('AWS::Personalize::DatasetGroup', {
      Name: Match.stringLikeRegexp('^[a-zA-Z0-9][a-zA-Z0-9\\-_]*$'),
      Domain: Match.absent(),
      KmsKeyArn: Match.absent(),
      RoleArn: Match.absent(),
    });
    Template.fromStack(stack).resourceCountIs('AWS::IAM::Role', 0);
    expect(group.domain).toBeUndefined();
    expect(stack.resolve(group.datasetGroupArn)).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^Group/), 'DatasetGroupArn'] });
  });

  test('a domain dataset group carries its domain and name', () => {
    const stack = newStack();
    const group = new DatasetGroup(stack, 'Group', { datasetGroupName: 'retail', domain: DatasetGroupDomain.ECOMMERCE });

    Template.fromStack(stack).hasResourceProperties('AWS::Personalize::DatasetGroup', { Name: 'retail', Domain: 'ECOMMERCE' });
    expect(group.datasetGroupName).toBe('retail');
    expect(group.domain).toBe(DatasetGroupDomain.ECOMMERCE);
  });

  test('an encryption key comes with a role that Personalize assumes and that may use the key', () => {
    const stack = newStack();
    const key = new kms.Key(stack, 'Key');
    new DatasetGroup(stack, 'Group', { encryptionKey: key });
    const template = Template.fromStack(stack);

    template.hasResourceProperties('AWS::Personalize::DatasetGroup', {
      KmsKeyArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Key'), 'Arn'] },
      RoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^GroupRole'), 'Arn'] },
    });
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [Match.objectLike({ Principal: { Service: 'personalize.amazonaws.com' }, Action: 'sts:AssumeRole' })],
      },
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^GroupRole') }],
      PolicyDocument: {
        Statement: [{
          Effect: 'Allow',
          Action: ['kms:Decrypt', 'kms:GenerateDataKey', 'kms:DescribeKey', 'kms:CreateGrant', 'kms:ListGrants'],
          Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Key'), 'Arn'] },
        }],
      },
    });
    // The key policy lets Personalize itself use the key too.
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([Match.objectLike({
          Principal: { Service: 'personalize.amazonaws.com' },
          Action: ['kms:Decrypt', 'kms:GenerateDataKey', 'kms:DescribeKey', 'kms:CreateGrant', 'kms:ListGrants'],
        })]),
      },
    });
  });

  test('the dataset group waits for the role\'s policy, not only the role', () => {
    const stack = newStack();
    new DatasetGroup(stack, 'Group', { encryptionKey: new kms.Key(stack, 'Key') });

    const [group] = Object.values(Template.fromStack(stack).findResources('AWS::Personalize::DatasetGroup'));
    expect(group.DependsOn).toEqual(expect.arrayContaining([
      expect.stringMatching(/^GroupRoleDefaultPolicy/),
      expect.stringMatching(/^GroupRole[0-9A-F]{8}$/),
    ]));
  });

  test('an imported key gets the role\'s grant only', () => {
    const stack = newStack();
    const key = kms.Key.fromKeyArn(stack, 'Key', 'arn:aws:kms:us-west-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab');
    new DatasetGroup(stack, 'Group', { encryptionKey: key });

    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [Match.objectLike({ Resource: key.keyArn })] },
    });
  });

  test('grant and grantRead scope actions to the dataset group', () => {
    const stack = newStack();
    const group = DatasetGroup.fromDatasetGroupArn(stack, 'Group', GROUP_ARN);
    const role = new iam.Role(stack, 'Reader', { assumedBy: new iam.AccountRootPrincipal() });
    group.grantRead(role);
    group.grant(role, 'personalize:CreateFilter');

    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          { Effect: 'Allow', Action: 'personalize:DescribeDatasetGroup', Resource: GROUP_ARN },
          {
            Effect: 'Allow',
            Action: Match.arrayWith(['personalize:ListDatasetGroups', 'personalize:ListDatasets']),
            Resource: '*',
          },
          { Effect: 'Allow', Action: 'personalize:CreateFilter', Resource: GROUP_ARN },
        ],
      },
    });
  });

  test('imports by ARN and by attributes', () => {
    const stack = newStack();
    const byArn = DatasetGroup.fromDatasetGroupArn(stack, 'ByArn', GROUP_ARN);
    const byAttrs = DatasetGroup.fromDatasetGroupAttributes(stack, 'ByAttrs', { datasetGroupArn: GROUP_ARN, domain: DatasetGroupDomain.VIDEO_ON_DEMAND });

    expect(byArn.datasetGroupName).toBe('movies');
    expect(byArn.domain).toBeUndefined();
    expect(byArn.env.region).toBe('us-west-2');
    expect(byAttrs.domain).toBe(DatasetGroupDomain.VIDEO_ON_DEMAND);
    expect(byAttrs).toBeInstanceOf(DatasetGroupBase);
  });

  test('_importDependables includes imports added after it was called', () => {
    const stack = newStack();
    const group = new DatasetGroup(stack, 'Group');
    const training = new CfnResource(stack, 'Training', { type: 'Test::Training' });
    training.node.addDependency(...group._importDependables());

    const bucket = new s3.Bucket(stack, 'Data');
    const schema = Schema.interactions(stack, 'Schema');
    new Dataset(stack, 'Interactions', { datasetGroup: group, schema, importSource: { bucket, prefix: 'interactions/' } });
    new Dataset(stack, 'Items', {
      datasetGroup: group,
      schema: Schema.items(stack, 'ItemsSchema', { fields: [SchemaField.categorical('GENRES')] }),
      importSource: { bucket, prefix: 'items/' },
    });

    const template = Template.fromStack(stack);
    // The imports' results, which exist only once their jobs are ACTIVE.
    const imports = Object.keys(template.findResources('Custom::PersonalizeDatasetImportResult'));
    expect(imports).toHaveLength(2);
    template.hasResource('Test::Training', { DependsOn: imports.sort() });
  });

  test('_importDependables is empty without imports', () => {
    const stack = newStack();
    const group = new DatasetGroup(stack, 'Group');
    const training = new CfnResource(stack, 'Training', { type: 'Test::Training' });
    training.node.addDependency(...group._importDependables());
    new Dataset(stack, 'Interactions', { datasetGroup: group, schema: Schema.interactions(stack, 'Schema') });

    Template.fromStack(stack).hasResource('Test::Training', { DependsOn: Match.absent() });
  });

  test('fails when the name does not fit the API', () => {
    const stack = newStack();
    expect(() => new DatasetGroup(stack, 'Group', { datasetGroupName: 'my group' }))
      .toThrow(/invalid dataset group at 'TestStack\/Group' \(1 problem\):\n {2}- datasetGroupName is 'my group': must match/);
    expect(() => new DatasetGroup(stack, 'Long', { datasetGroupName: 'g'.repeat(64) }))
      .toThrow(/datasetGroupName is 'g{64}': must have 1 to 63 characters \(it has 64\)/);
  });
});
