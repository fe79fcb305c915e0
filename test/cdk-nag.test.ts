import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { buildExampleApp } from '../examples/app';

/**
 * Each finding AwsSolutions may report on the example app, with why it stands. Anything else
 * fails the test.
 */
const JUSTIFIED: Array<{ rule: RegExp; path: RegExp; reason: string }> = [
  {
    rule: /^AwsSolutions-IAM5\[Resource::arn:<AWS::Partition>:personalize:[^:]+:\d+:solution\/\*\]$/,
    path: /\/CdkPersonalizeProvider\/HandlerRole\//,
    reason: 'a campaign\'s promotion gate reads the offline metrics and the description (GetSolutionMetrics, DescribeSolutionVersion, read-only) of the version the campaign serves, which may belong to any solution it served before',
  },
  {
    rule: /^AwsSolutions-IAM5\[Resource::arn:<AWS::Partition>:personalize:[^:]+:\d+:campaign\/\*\]$/,
    path: /\/CdkPersonalizeProvider\/HandlerRole\//,
    reason: 'before deleting a replaced solution, the handlers read (DescribeCampaign, read-only) each campaign ListCampaigns names for it, which may be any campaign of the account and region',
  },
  {
    rule: /^AwsSolutions-IAM5\[Resource::arn:aws:personalize:[^:]+:\d+:solution\/[A-Za-z0-9-]+(-\*|\/\*|-\*\/\*)\]$/,
    path: /\/(CdkPersonalizeProvider\/HandlerRole|CdkPersonalizeTrainingWaiter\/PollerRole)\//,
    reason: 'solution versions get ids from Personalize (solution/NAME/*), and a replaced solution with a generated name gets a suffix (solution/NAME-*)',
  },
  {
    rule: /^AwsSolutions-IAM5\[Resource::arn:aws:personalize:[^:]+:\d+:solution\/[A-Za-z0-9-]+_\*\]$/,
    path: /\/(CdkPersonalizeProvider\/HandlerRole|CdkPersonalizeTrainingWaiter\/PollerRole)\//,
    reason: 'the solutions this stack names, and their versions: generated names start with STACKNAME_, and no other stack name contains _',
  },
  {
    rule: /^AwsSolutions-IAM5\[Resource::arn:<AWS::Partition>:cloudformation:[^:]+:\d+:stack\/[A-Za-z0-9-]+\/\*\]$/,
    path: /\/CdkPersonalizeTrainingWaiter\/PollerRole\//,
    reason: 'a stack ARN ends in an id CloudFormation assigns at create; stack/NAME/* is this stack and no other',
  },
  {
    rule: /^AwsSolutions-SF1$/,
    path: /\/CdkPersonalizeTrainingWaiter\/StateMachine\//,
    reason: 'the training poller logs errors only, without execution data, on purpose: its input names the stack and its resources, and ALL would log every poll of a 12-hour training',
  },
  {
    rule: /^AwsSolutions-IAM5\[Resource::\*\]$/,
    path: /\/CdkPersonalizeProvider\/HandlerRole\//,
    reason: 'ListSolutions and ListSolutionVersions can only be granted on *',
  },
  {
    rule: /^AwsSolutions-IAM5\[Resource::\*\]$/,
    path: /\/CdkPersonalizeTrainingWaiter\/StateMachine\/Role\//,
    reason: 'X-Ray tracing and CloudWatch Logs delivery of a state machine can only be granted on *',
  },
  {
    rule: /^AwsSolutions-IAM5\[Resource::<[A-Za-z0-9]+\.Arn>:\*\]$/,
    path: /\/(CdkPersonalizeProvider\/Provider|CdkPersonalizeTrainingWaiter\/StateMachine)\//,
    reason: 'invoking a Lambda function includes its versions (ARN:*), as CDK grants it',
  },
  {
    rule: /^AwsSolutions-(L1|IAM4\[Policy::arn:<AWS::Partition>:iam::aws:policy\/service-role\/AWSLambdaBasicExecutionRole\])$/,
    path: /\/CdkPersonalizeProvider\/Provider\/framework-/,
    reason: 'the custom resource provider framework functions of aws-cdk-lib pick their own runtime and role',
  },
  {
    rule: /^AwsSolutions-L1$/,
    path: /\/(CdkPersonalizeProvider\/(OnEvent|IsComplete)|CdkPersonalizeTrainingWaiter\/Poller)\/Resource$/,
    reason: 'the handlers are pinned to nodejs22.x, the runtime their bundles target and are tested for, instead of following the newest runtime',
  },
  {
    rule: /^AwsSolutions-SF[12]$/,
    path: /\/CdkPersonalizeProvider\/Provider\/waiter-state-machine\//,
    reason: 'the provider framework\'s own waiter state machine is configured by aws-cdk-lib',
  },
  {
    rule: /^AwsSolutions-IAM5\[Resource::arn:aws:personalize:[^:]+:\d+:dataset-import-job\/[A-Za-z0-9-]+-\*\]$/,
    path: /\/CdkPersonalizeProvider\/HandlerRole\//,
    reason: 'import job names get a per-request suffix; the prefix is the dataset\'s own',
  },
  {
    rule: /^AwsSolutions-IAM5\[Resource::<[A-Za-z0-9]+\.Arn>\/interactions\/\*\]$/,
    path: /\/Interactions\/ImportRole\//,
    reason: 'Personalize reads every object under the import prefix, and only those',
  },
  {
    rule: /^AwsSolutions-S1$/,
    path: /\/DataBucket\/Resource$/,
    reason: 'the example\'s sample-data bucket; a production app would add server access logging',
  },
  {
    rule: /^AwsSolutions-(L1|IAM4\[.*AWSLambdaBasicExecutionRole\]|IAM5\[(Action::s3:[A-Za-z]+\*|Resource::.*\/\*)\])$/,
    path: /\/Custom::CDKBucketDeployment[A-F0-9]+\//,
    reason: 'aws-cdk-lib\'s BucketDeployment (the example uploads its sample data with it) configures its own function and grants',
  },
];

interface Violation {
  readonly ruleName: string;
  readonly violatingConstructs: Array<{ constructPath: string }>;
}

function nagFindings(): Violation[] {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'nag-'));
  const { app } = buildExampleApp(outdir);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  try {
    app.synth();
  } catch {
    // A failing validation throws after writing its report; the report is what is checked.
  }
  const report = JSON.parse(fs.readFileSync(path.join(outdir, 'validation-report.json'), 'utf-8'));
  return report.pluginReports.flatMap((r: { violations: Violation[] }) => r.violations);
}

describe('cdk-nag AwsSolutions on the example app', () => {
  const findings = nagFindings();

  test('reports findings on the handlers\' policies, so the check is live', () => {
    expect(findings.length).toBeGreaterThan(0);
  });

  test('every finding is justified', () => {
    const unexplained = findings.flatMap(finding => finding.violatingConstructs
      .filter(c => !JUSTIFIED.some(j => j.rule.test(finding.ruleName) && j.path.test(`/${c.constructPath}`)))
      .map(c => `${finding.ruleName} at ${c.constructPath}`));
    expect(unexplained).toEqual([]);
  });

  test('nothing grants personalize:* or uses managed policies on the library\'s own roles', () => {
    const own = findings.flatMap(f => f.violatingConstructs.map(c => ({ rule: f.ruleName, path: c.constructPath })))
      .filter(f => /CdkPersonalizeProvider\/HandlerRole|CdkPersonalizeTrainingWaiter\/PollerRole/.test(f.path));
    expect(own.filter(f => /Action::personalize:\*|IAM4/.test(f.rule))).toEqual([]);
  });
});
