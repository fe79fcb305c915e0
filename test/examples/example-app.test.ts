import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { buildExampleApp, HpoExampleStack, INTERACTIONS_PREFIX } from '../../examples/app';
import { generateInteractions, INTERACTIONS_COLUMNS, INTERACTIONS_CSV } from '../../examples/generate-interactions';

/**
 * examples/app.ts synthesizes offline into the stack the README and the demo describe: sample data
 * uploaded to an encrypted bucket, imported into a dataset, both HPO solutions trained on it, and a
 * campaign over the User-Personalization version.
 */

let outdir: string;
let stack: HpoExampleStack;
let assembly: CloudAssembly;
let template: Template;

beforeAll(() => {
  outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'example-app-'));
  const built = buildExampleApp(outdir);
  stack = built.stack;
  assembly = built.app.synth();
  template = Template.fromStack(stack);
});

afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

/** The one logical id of `type` (fails when there is not exactly one). */
function only(type: string, props?: object): string {
  const ids = Object.keys(template.findResources(type, props ? { Properties: props } : undefined));
  expect(ids).toHaveLength(1);
  return ids[0];
}

test('synthesizes offline: no context lookups, no missing values', () => {
  expect(assembly.manifest.missing ?? []).toEqual([]);
  expect(assembly.getStackByName(stack.stackName).templateFile).toBe(`${stack.stackName}.template.json`);
});

test('an encrypted bucket that refuses plain HTTP and public access', () => {
  const bucket = only('AWS::S3::Bucket', {
    BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
    PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
  });
  template.hasResourceProperties('AWS::S3::BucketPolicy', {
    Bucket: { Ref: bucket },
    PolicyDocument: {
      Statement: Match.arrayWith([
        Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        // Personalize reads the prefix itself, too.
        Match.objectLike({ Effect: 'Allow', Principal: { Service: 'personalize.amazonaws.com' }, Action: 's3:GetObject' }),
      ]),
    },
  });
  // Kept on delete: it holds the data, and no custom resource empties it.
  template.hasResource('AWS::S3::Bucket', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  template.resourceCountIs('Custom::S3AutoDeleteObjects', 0);
});

test('the sample data is uploaded to the prefix with a BucketDeployment', () => {
  const bucket = only('AWS::S3::Bucket');
  const upload = only('Custom::CDKBucketDeployment', {
    DestinationBucketName: { Ref: bucket },
    DestinationBucketKeyPrefix: INTERACTIONS_PREFIX,
    SourceObjectKeys: [Match.stringLikeRegexp('^[0-9a-f]{64}\\.zip$')],
  });
  expect(upload).toMatch(/^InteractionsUpload/);

  // The asset is examples/data/, and holds just the CSV.
  const key: string = template.toJSON().Resources[upload].Properties.SourceObjectKeys[0];
  const staged = path.join(outdir, `asset.${key.replace(/\.zip$/, '')}`);
  expect(fs.readdirSync(staged)).toEqual(['interactions.csv']);
  expect(fs.readFileSync(path.join(staged, 'interactions.csv'), 'utf8')).toBe(fs.readFileSync(INTERACTIONS_CSV, 'utf8'));
});

test('an Interactions schema and dataset in the dataset group', () => {
  const group = only('AWS::Personalize::DatasetGroup', { Name: 'hpo-example' });
  const schema = only('AWS::Personalize::Schema');
  const fields = JSON.parse(template.toJSON().Resources[schema].Properties.Schema).fields.map((f: { name: string }) => f.name);
  expect(fields).toEqual([...INTERACTIONS_COLUMNS]);
  only('AWS::Personalize::Dataset', {
    DatasetType: 'Interactions',
    DatasetGroupArn: { 'Fn::GetAtt': [group, 'DatasetGroupArn'] },
    SchemaArn: { 'Fn::GetAtt': [schema, 'SchemaArn'] },
  });
});

test('the import reads the prefix, and starts only after the upload', () => {
  const upload = only('Custom::CDKBucketDeployment');
  const dataset = only('AWS::Personalize::Dataset');
  const bucket = only('AWS::S3::Bucket');
  const imports = template.findResources('Custom::PersonalizeDatasetImport');
  expect(Object.keys(imports)).toHaveLength(1);
  const [[importId, resource]] = Object.entries(imports);
  expect(resource.Properties).toMatchObject({
    datasetArn: { 'Fn::GetAtt': [dataset, 'DatasetArn'] },
    dataSource: { dataLocation: { 'Fn::Join': ['', ['s3://', { Ref: bucket }, `/${INTERACTIONS_PREFIX}`]] } },
  });
  expect(resource.DependsOn).toEqual(expect.arrayContaining([upload]));
  expect(importId).toMatch(/^InteractionsImport/);
});

test('both HPO solutions, each with a version trained after the import', () => {
  const imports = Object.keys(template.findResources('Custom::PersonalizeDatasetImportResult'));
  expect(Object.keys(template.findResources('Custom::PersonalizeSolution')).sort()).toEqual([
    expect.stringMatching(/^Ranking[0-9A-F]{8}$/), expect.stringMatching(/^UserPersonalization[0-9A-F]{8}$/),
  ]);
  template.hasResourceProperties('Custom::PersonalizeSolution', { recipeArn: 'arn:aws:personalize:::recipe/aws-personalized-ranking', performHPO: true });
  template.hasResourceProperties('Custom::PersonalizeSolution', { recipeArn: 'arn:aws:personalize:::recipe/aws-user-personalization', performHPO: true });

  // Construct paths Ranking/Version and UserPersonalization/Version (outputs and tests build on them).
  const versions = template.findResources('Custom::PersonalizeSolutionVersion');
  expect(Object.keys(versions).sort()).toEqual([
    expect.stringMatching(/^RankingVersion[0-9A-F]{8}$/), expect.stringMatching(/^UserPersonalizationVersion[0-9A-F]{8}$/),
  ]);
  expect(stack.node.findChild('Ranking').node.tryFindChild('Version')).toBeDefined();
  expect(stack.node.findChild('UserPersonalization').node.tryFindChild('Version')).toBe(stack.userPersonalizationVersion);
  for (const version of Object.values(versions)) {
    expect(version.DependsOn).toEqual(expect.arrayContaining(imports));
  }
});

test('a campaign with 1 TPS over the User-Personalization version, created once it has trained, through a promotion gate', () => {
  const versions = Object.keys(template.findResources('Custom::PersonalizeSolutionVersion'));
  const up = versions.find(id => id.startsWith('UserPersonalizationVersion'))!;
  const ranking = versions.find(id => id.startsWith('RankingVersion'))!;
  const gate = only('Custom::PersonalizePromotionGate', {
    CandidateVersionArn: { 'Fn::GetAtt': [up, 'SolutionVersionArn'] },
    Metric: 'normalized_discounted_cumulative_gain_at_10',
    MinImprovement: 0.005,
  });
  const campaign = only('AWS::Personalize::Campaign', {
    SolutionVersionArn: { 'Fn::GetAtt': [gate, 'ServedVersionArn'] },
    MinProvisionedTPS: 1,
  });
  const { DependsOn } = template.toJSON().Resources[campaign];
  expect(DependsOn).toEqual(expect.arrayContaining([up, expect.stringMatching(/^UserPersonalizationVersionTraining/), expect.stringMatching(/^UserPersonalizationVersionResult/)]));
  expect(DependsOn).not.toContain(ranking);
});

test('outputs: bucket, dataset group, import job and campaign, next to the tuned values', () => {
  const outputs = template.toJSON().Outputs;
  expect(outputs.DataBucketName.Value).toEqual({ Ref: only('AWS::S3::Bucket') });
  expect(outputs.DatasetGroupArn.Value).toEqual({ 'Fn::GetAtt': [only('AWS::Personalize::DatasetGroup'), 'DatasetGroupArn'] });
  expect(outputs.InteractionsImportJobArn.Value).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^InteractionsImport/), 'DatasetImportJobArn'] });
  // The campaign's ARN as dependents see it: once the campaign serves what the template asks for.
  const [ready] = Object.keys(template.findResources('Custom::PersonalizeCampaignReady', { Properties: { BeforeGate: Match.absent() } }));
  expect(outputs.CampaignArn.Value).toEqual({ 'Fn::GetAtt': [ready, 'CampaignArn'] });
  template.hasResourceProperties('Custom::PersonalizeCampaignReady', { CampaignArn: { 'Fn::GetAtt': [only('AWS::Personalize::Campaign'), 'CampaignArn'] } });
  for (const existing of ['RankingVersionTunedHyperParameters', 'RankingVersionMetrics', 'UserPersonalizationVersionTunedHyperParameters', 'UserPersonalizationVersionMetrics']) {
    expect(outputs).toHaveProperty(existing);
  }
});

describe('the sample interactions', () => {
  const csv = fs.readFileSync(INTERACTIONS_CSV, 'utf8');
  const [header, ...rows] = csv.trimEnd().split('\n');
  const cells = rows.map(r => r.split(','));

  test('are what examples/generate-interactions.ts writes (deterministic)', () => {
    expect(csv).toBe(generateInteractions());
    expect(generateInteractions()).toBe(generateInteractions());
  });

  test('match the schema and meet Personalize\'s minimum for training', () => {
    expect(header).toBe(INTERACTIONS_COLUMNS.join(','));
    expect(cells.every(c => c.length === 4 && /^\d{10}$/.test(c[2]) && /^(click|purchase)$/.test(c[3]))).toBe(true);
    expect(rows.length).toBeGreaterThanOrEqual(1000);
    const perUser = new Map<string, number>();
    for (const [user] of cells) perUser.set(user, (perUser.get(user) ?? 0) + 1);
    expect([...perUser.values()].filter(n => n >= 2).length).toBeGreaterThanOrEqual(25);
    const times = cells.map(c => Number(c[2]));
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });
});
