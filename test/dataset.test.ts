import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Dataset } from '../src/dataset';
import { DatasetGroup, DatasetGroupDomain, IDatasetGroup } from '../src/dataset-group';
import { DatasetImportMode, DatasetProps } from '../src/dataset-props';
import { DatasetType, Schema } from '../src/schema';
import { SchemaField } from '../src/schema-field';

const IMPORT = 'Custom::PersonalizeDatasetImport';
const GROUP_ARN = 'arn:aws:personalize:us-west-2:123456789012:dataset-group/movies';

interface Fixture {
  readonly stack: Stack;
  readonly group: DatasetGroup;
  readonly bucket: s3.Bucket;
  readonly schema: Schema;
}

function fixture(): Fixture {
  const stack = new Stack(new App(), 'TestStack', { env: { account: '123456789012', region: 'us-west-2' } });
  const group = new DatasetGroup(stack, 'Group', { datasetGroupName: 'movies' });
  const bucket = new s3.Bucket(stack, 'Data');
  const schema = Schema.interactions(stack, 'Schema', { fields: [SchemaField.ofString('EVENT_TYPE')] });
  return { stack, group, bucket, schema };
}

function ref(stack: Stack, value: string): unknown {
  return stack.resolve(value);
}

describe('Dataset', () => {
  test('creates a dataset of the schema\'s type in the group', () => {
    const { stack, group, schema } = fixture();
    const dataset = new Dataset(stack, 'Interactions', { datasetGroup: group, schema });

    Template.fromStack(stack).hasResourceProperties('AWS::Personalize::Dataset', {
      DatasetGroupArn: ref(stack, group.datasetGroupArn),
      SchemaArn: ref(stack, schema.schemaArn),
      DatasetType: 'Interactions',
      Name: Match.stringLikeRegexp('^[a-zA-Z0-9][a-zA-Z0-9\\-_]*$'),
      DatasetImportJob: Match.absent(),
    });
    Template.fromStack(stack).resourceCountIs(IMPORT, 0);
    expect(dataset.datasetType).toBe(DatasetType.INTERACTIONS);
    expect(dataset.importRole).toBeUndefined();
    expect(dataset.datasetImportJobArn).toBeUndefined();
  });

  test('an imported schema needs the dataset type', () => {
    const { stack, group } = fixture();
    const schema = Schema.fromSchemaArn(stack, 'Imported', 'arn:aws:personalize:us-west-2:123456789012:schema/users');
    new Dataset(stack, 'Users', { datasetGroup: group, schema, datasetType: DatasetType.USERS, datasetName: 'users' });

    Template.fromStack(stack).hasResourceProperties('AWS::Personalize::Dataset', {
      DatasetType: 'Users',
      Name: 'users',
      SchemaArn: 'arn:aws:personalize:us-west-2:123456789012:schema/users',
    });
  });

  test('an import from S3 runs as a custom resource that Personalize reads through a role of its own', () => {
    const { stack, group, bucket, schema } = fixture();
    const dataset = new Dataset(stack, 'Interactions', {
      datasetGroup: group,
      schema,
      importSource: { bucket, prefix: 'interactions/', importTrigger: '2026-10-01' },
    });
    const template = Template.fromStack(stack);

    template.hasResourceProperties(IMPORT, {
      ServiceToken: Match.anyValue(),
      datasetArn: ref(stack, dataset.datasetArn),
      dataSource: { dataLocation: { 'Fn::Join': ['', ['s3://', { Ref: Match.stringLikeRegexp('^Data') }, '/interactions/']] } },
      roleArn: ref(stack, dataset.importRole!.roleArn),
      importMode: 'FULL',
      JobNamePrefix: Match.stringLikeRegexp('^[a-zA-Z0-9]{1,54}$'),
      ImportTrigger: '2026-10-01',
    });
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [Match.objectLike({ Principal: { Service: 'personalize.amazonaws.com' } })],
      },
    });
    expect(ref(stack, dataset.datasetImportJobArn!)).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^InteractionsImport/), 'DatasetImportJobArn'] });
  });

  test('the import role may read only the prefix', () => {
    const { stack, group, bucket, schema } = fixture();
    new Dataset(stack, 'Interactions', { datasetGroup: group, schema, importSource: { bucket, prefix: 'interactions/' } });

    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^InteractionsImportRole') }],
      PolicyDocument: {
        Statement: [
          {
            Effect: 'Allow',
            Action: 's3:GetObject',
            Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^Data'), 'Arn'] }, '/interactions/*']] },
          },
          {
            Effect: 'Allow',
            Action: 's3:ListBucket',
            Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Data'), 'Arn'] },
            Condition: { StringLike: { 's3:prefix': ['interactions/*'] } },
          },
        ],
      },
    });
  });

  test('the bucket policy lets Personalize read the prefix, and the import waits for it and for the role\'s policy', () => {
    const { stack, group, bucket, schema } = fixture();
    new Dataset(stack, 'Interactions', { datasetGroup: group, schema, importSource: { bucket, prefix: 'data/interactions.csv' } });
    const template = Template.fromStack(stack);

    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Service: 'personalize.amazonaws.com' },
            Action: 's3:GetObject',
            Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^Data'), 'Arn'] }, '/data/interactions.csv*']] },
          },
          {
            Effect: 'Allow',
            Principal: { Service: 'personalize.amazonaws.com' },
            Action: 's3:ListBucket',
            Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Data'), 'Arn'] },
            Condition: { StringLike: { 's3:prefix': ['data/interactions.csv*'] } },
          },
        ],
      },
    });
    const [importResource] = Object.values(template.findResources(IMPORT));
    expect(importResource.DependsOn).toEqual(expect.arrayContaining([
      expect.stringMatching(/^DataPolicy/),
      expect.stringMatching(/^InteractionsImportRoleDefaultPolicy/),
    ]));
  });

  test('the provider may start and describe import jobs of this dataset only, and pass the import role to Personalize only', () => {
    const { stack, group, bucket, schema } = fixture();
    const dataset = new Dataset(stack, 'Interactions', { datasetGroup: group, schema, importSource: { bucket, prefix: 'interactions/' } });
    const template = Template.fromStack(stack);
    const [importResource] = Object.values(template.findResources(IMPORT));
    const prefix = importResource.Properties.JobNamePrefix;

    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^CdkPersonalizeProviderHandlerRole') }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Effect: 'Allow',
            Action: ['personalize:CreateDatasetImportJob', 'personalize:DescribeDatasetImportJob'],
            Resource: [
              'arn:aws:personalize:us-west-2:123456789012:dataset/movies/INTERACTIONS',
              `arn:aws:personalize:us-west-2:123456789012:dataset-import-job/${prefix}-*`,
            ],
          },
          {
            Effect: 'Allow',
            Action: 'iam:PassRole',
            Resource: ref(stack, dataset.importRole!.roleArn),
            Condition: { StringEquals: { 'iam:PassedToService': 'personalize.amazonaws.com' } },
          },
        ]),
      },
    });
  });

  test('a bucket encrypted with a key lets the role and Personalize decrypt', () => {
    const { stack, group, schema } = fixture();
    const key = new kms.Key(stack, 'Key');
    const bucket = new s3.Bucket(stack, 'Encrypted', { encryptionKey: key });
    new Dataset(stack, 'Interactions', { datasetGroup: group, schema, importSource: { bucket, prefix: 'interactions/' } });
    const template = Template.fromStack(stack);

    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^InteractionsImportRole') }],
      PolicyDocument: {
        Statement: Match.arrayWith([{ Effect: 'Allow', Action: 'kms:Decrypt', Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Key'), 'Arn'] } }]),
      },
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([{ Effect: 'Allow', Principal: { Service: 'personalize.amazonaws.com' }, Action: 'kms:Decrypt', Resource: '*' }]),
      },
    });
  });

  test('an unencrypted bucket gives no KMS permission', () => {
    const { stack, group, bucket, schema } = fixture();
    new Dataset(stack, 'Interactions', { datasetGroup: group, schema, importSource: { bucket, prefix: 'interactions/' } });

    const policies = JSON.stringify(Template.fromStack(stack).findResources('AWS::IAM::Policy'));
    expect(policies).not.toContain('kms:');
  });

  test('an imported bucket warns that its policy must allow Personalize; a given role and mode are used', () => {
    const { stack, group, schema } = fixture();
    const bucket = s3.Bucket.fromBucketName(stack, 'Existing', 'existing-data');
    const role = new iam.Role(stack, 'MyRole', { assumedBy: new iam.ServicePrincipal('personalize.amazonaws.com') });
    const dataset = new Dataset(stack, 'Interactions', {
      datasetGroup: group,
      schema,
      importSource: { bucket, prefix: 'interactions/', role, importMode: DatasetImportMode.INCREMENTAL },
    });
    const template = Template.fromStack(stack);

    expect(dataset.importRole).toBe(role);
    template.hasResourceProperties(IMPORT, {
      dataSource: { dataLocation: 's3://existing-data/interactions/' },
      roleArn: ref(stack, role.roleArn),
      importMode: 'INCREMENTAL',
    });
    template.resourceCountIs('AWS::S3::BucketPolicy', 0);
    Annotations.fromStack(stack).hasWarning('/TestStack/Interactions', Match.stringLikeRegexp(
      "the policy of bucket TestStack/Existing cannot be changed here: it must allow personalize.amazonaws.com s3:GetObject on 'interactions/\\*'"));
    // The dataset is created here: its first import cannot be INCREMENTAL.
    Annotations.fromStack(stack).hasWarning('/TestStack/Interactions', Match.stringLikeRegexp(
      'importSource.importMode is INCREMENTAL: Personalize refuses an INCREMENTAL import into a dataset that has no data yet'));
  });

  test('an import into an imported dataset group still scopes the provider to that group', () => {
    const { stack, bucket, schema } = fixture();
    const group = DatasetGroup.fromDatasetGroupArn(stack, 'Imported', 'arn:aws:personalize:us-west-2:123456789012:dataset-group/shop');
    new Dataset(stack, 'Interactions', { datasetGroup: group, schema, importSource: { bucket, prefix: 'i/' } });

    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Action: ['personalize:CreateDatasetImportJob', 'personalize:DescribeDatasetImportJob'],
          Resource: Match.arrayWith(['arn:aws:personalize:us-west-2:123456789012:dataset/shop/INTERACTIONS']),
        })]),
      },
    });
  });

  test('one provider serves the imports of several datasets', () => {
    const { stack, group, bucket, schema } = fixture();
    new Dataset(stack, 'Interactions', { datasetGroup: group, schema, importSource: { bucket, prefix: 'interactions/' } });
    new Dataset(stack, 'Items', {
      datasetGroup: group,
      schema: Schema.items(stack, 'ItemsSchema', { fields: [SchemaField.categorical('GENRES')] }),
      importSource: { bucket, prefix: 'items/' },
    });

    const imports = Object.values(Template.fromStack(stack).findResources(IMPORT));
    expect(imports).toHaveLength(2);
    expect(imports[1].Properties.ServiceToken).toEqual(imports[0].Properties.ServiceToken);
    expect(imports[1].Properties.JobNamePrefix).not.toEqual(imports[0].Properties.JobNamePrefix);
  });

  test('grant scopes actions to the dataset; imports by ARN read the type from it', () => {
    const { stack } = fixture();
    const items = Dataset.fromDatasetArn(stack, 'Items', 'arn:aws:personalize:us-west-2:123456789012:dataset/movies/ITEMS');
    const writer = new iam.Role(stack, 'Writer', { assumedBy: new iam.AccountRootPrincipal() });
    items.grant(writer, 'personalize:PutItems');

    expect(items.datasetType).toBe(DatasetType.ITEMS);
    expect(Dataset.fromDatasetAttributes(stack, 'Other', { datasetArn: 'arn:aws:personalize:us-west-2:123456789012:dataset/movies/X' }).datasetType).toBeUndefined();
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'personalize:PutItems', Resource: 'arn:aws:personalize:us-west-2:123456789012:dataset/movies/ITEMS' }] },
    });
  });
});

describe('Dataset validation', () => {
  type Case = (f: Fixture) => Omit<DatasetProps, 'datasetGroup'> & { datasetGroup?: IDatasetGroup };

  test.each<[string, Case, RegExp]>([
    ['the dataset type is not known', f => ({ schema: Schema.fromSchemaArn(f.stack, 'I', 'arn:aws:personalize:us-west-2:123456789012:schema/s') }),
      /datasetType is undefined: is required when the schema's dataset type is not known/],
    ['the dataset type differs from the schema\'s', f => ({ schema: f.schema, datasetType: DatasetType.USERS }),
      /datasetType is 'Users': must match the schema, which is for Interactions/],
    ['a domain dataset group gets a schema without a domain', f => ({
      schema: f.schema,
      datasetGroup: new DatasetGroup(f.stack, 'Retail', { domain: DatasetGroupDomain.ECOMMERCE }),
    }), /schema.domain is 'none': must match the dataset group's domain \(ECOMMERCE\)/],
    ['a custom dataset group gets a domain schema', f => ({
      schema: Schema.interactions(f.stack, 'Vod', { domain: DatasetGroupDomain.VIDEO_ON_DEMAND, fields: [SchemaField.ofString('EVENT_TYPE')] }),
    }), /schema.domain is 'VIDEO_ON_DEMAND': must match the dataset group's domain \(none: a custom dataset group\)/],
    ['an imported group and schema have different domains', f => ({
      datasetGroup: DatasetGroup.fromDatasetGroupAttributes(f.stack, 'G', { datasetGroupArn: GROUP_ARN, domain: DatasetGroupDomain.ECOMMERCE }),
      schema: Schema.fromSchemaAttributes(f.stack, 'S', {
        schemaArn: 'arn:aws:personalize:us-west-2:123456789012:schema/s', datasetType: DatasetType.ITEMS, domain: DatasetGroupDomain.VIDEO_ON_DEMAND,
      }),
    }), /schema.domain is 'VIDEO_ON_DEMAND': must match the dataset group's domain \(ECOMMERCE\)/],
    ['the name does not fit the API', f => ({ schema: f.schema, datasetName: 'my dataset' }), /datasetName is 'my dataset': must match/],
    ['the prefix starts with a slash', f => ({ schema: f.schema, importSource: { bucket: f.bucket, prefix: '/interactions/' } }),
      /importSource.prefix is '\/interactions\/': must be a key within the bucket/],
    ['the prefix is an S3 URL', f => ({ schema: f.schema, importSource: { bucket: f.bucket, prefix: 's3://b/interactions/' } }),
      /importSource.prefix is 's3:\/\/b\/interactions\/': must be a key within the bucket/],
    ['the data location is longer than Personalize accepts', f => ({
      schema: f.schema,
      importSource: { bucket: s3.Bucket.fromBucketName(f.stack, 'B', 'my-bucket'), prefix: `${'p'.repeat(250)}/` },
    }), /importSource.prefix is 'p+\/': makes the data location 266 characters long: Personalize accepts at most 256/],
  ])('fails when %s', (_, build, message) => {
    const f = fixture();
    const props = build(f);
    expect(() => new Dataset(f.stack, 'Dataset', { datasetGroup: f.group, ...props })).toThrow(message);
  });

  test('imported group and schema of unknown domains are not compared', () => {
    const f = fixture();
    const datasetGroup = DatasetGroup.fromDatasetGroupArn(f.stack, 'G', GROUP_ARN);
    const schema = Schema.interactions(f.stack, 'Domain', { domain: DatasetGroupDomain.ECOMMERCE, fields: [SchemaField.ofString('EVENT_TYPE')] });

    expect(() => new Dataset(f.stack, 'Dataset', { datasetGroup, schema })).not.toThrow();
  });

  test('fails with every problem at once', () => {
    const f = fixture();
    expect(() => new Dataset(f.stack, 'Dataset', {
      datasetGroup: f.group,
      schema: f.schema,
      datasetType: DatasetType.ITEMS,
      datasetName: '-x',
      importSource: { bucket: f.bucket, prefix: '/x' },
    })).toThrow(/invalid dataset at 'TestStack\/Dataset' \(3 problems\)/);
  });
});
