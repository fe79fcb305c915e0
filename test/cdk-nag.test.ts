import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { buildExampleApp } from '../examples/app';
import { BatchInferenceJob } from '../src';

/**
 * What AwsSolutions reports on the example app, a user-like app: only the app's own resources. The
 * library acknowledges its own findings, with their reasons, where it makes the resources.
 */
const APP_OWN = [
  /\/DataBucket\/Resource$/,
  // aws-cdk-lib's BucketDeployment, with which the example uploads its sample data.
  /\/Custom::CDKBucketDeployment[A-F0-9]+\//,
];

interface Violation {
  readonly ruleName: string;
  readonly violatingConstructs: Array<{ constructPath: string }>;
}

function nagFindings(): Violation[] {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'nag-'));
  const { app, stack } = buildExampleApp(outdir);
  // A batch job too: its role, and its grants on the library's roles.
  new BatchInferenceJob(stack, 'Batch', {
    solutionVersion: stack.userPersonalizationVersion,
    input: { bucket: stack.bucket, prefix: 'batch/in/' },
    output: { bucket: stack.bucket, prefix: 'batch/out/' },
  });
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
  const findings = nagFindings().flatMap(f => f.violatingConstructs.map(c => `${f.ruleName} at /${c.constructPath}`));

  test('reports the app\'s own resources, so the check is live', () => {
    expect(findings.some(f => /AwsSolutions-S1 at .*\/DataBucket\//.test(f))).toBe(true);
  });

  test('reports nothing on the library\'s resources: their findings are acknowledged with reasons', () => {
    expect(findings.filter(f => !APP_OWN.some(own => own.test(f)))).toEqual([]);
  });

  test('each acknowledgment of the library names a rule and says why', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'nag-'));
    const { app } = buildExampleApp(outdir);
    app.synth();
    const acknowledged = app.node.findAll().flatMap(c => c.node.metadata
      .filter(m => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap(m => Object.entries(m.data as Record<string, string>)))
      .filter(([id]) => id.includes('AwsSolutions-'));
    expect(acknowledged.length).toBeGreaterThan(10);
    for (const [id, reason] of acknowledged) {
      expect({ id, reason }).toEqual({ id: expect.stringMatching(/^Annotation::AwsSolutions-(IAM4|IAM5|L1|SF1|SF2)/), reason: expect.stringMatching(/^[A-Z].{30,}/) });
    }
    // Nothing grants personalize:* or attaches a managed policy to the library's own roles.
    expect(acknowledged.filter(([id]) => /Action::personalize:\*/.test(id))).toEqual([]);
  });
});
