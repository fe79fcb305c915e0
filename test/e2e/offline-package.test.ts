import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';
import { removeAssemblies, synthExample } from './harness';
import { buildOffline, OFFLINE_DIR } from '../../build-tools/package-offline';

/**
 * The installable @cdk-personalize/offline package, as `package:offline` bundles it: its command
 * line deploys and destroys the example app, and its declarations type a user's test.
 * (`npx projen check:install` installs the tarball into a fresh app from the registry.)
 */

beforeAll(() => buildOffline(), 120_000);

test('README\'s test example passes, run as written against the library and the offline package', async () => {
  const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf-8');
  const code = /```ts test\n([\s\S]*?)```/.exec(readme)![1];
  const compilerOptions = { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true };
  const js = ts.transpileModule(code, { compilerOptions }).outputText;
  const load = (name: string): unknown => {
    if (name === 'cdk-personalize') return jest.requireActual('../../src');
    if (name === '@cdk-personalize/offline') return jest.requireActual('../../tools/offline/index');
    return jest.requireActual(name);
  };
  const cases: Array<{ name: string; run: () => Promise<void> }> = [];
  new Function('require', 'exports', 'test', 'expect', js)(load, {}, (name: string, run: () => Promise<void>) => cases.push({ name, run }), expect);
  expect(cases.map(c => c.name)).toEqual(['my app deploys offline, and destroy leaves nothing']);
  await cases[0].run();
}, 120_000);
afterAll(removeAssemblies);

test('the bundled command line deploys the example app, reports what HPO chose, and destroys it', () => {
  const { dir, stackName } = synthExample();
  const stdout = execFileSync(process.execPath, [path.join(OFFLINE_DIR, 'dist', 'cli.js'), dir, stackName, '--destroy'], { encoding: 'utf-8' });
  expect(stdout).toMatch(new RegExp(`^${stackName}: CREATE_COMPLETE after \\d+ simulated minutes \\(offline: Personalize is SIMULATED\\)\\n`));
  expect(stdout).toMatch(/\n {4}DatasetGroupArn = arn:aws:personalize:us-west-2:000000000000:dataset-group\/hpo-example\n/);
  expect(stdout).toMatch(/\n {2}HPO chose for UserPersonalizationVersion \(SIMULATED\): bptt=\d+, recency_mask=(true|false)\n/);
  expect(stdout).toMatch(new RegExp(`\\n${stackName}: DELETE_COMPLETE after \\d+ simulated minutes`));
}, 120_000);

test('the declarations type a user\'s test, and name none of the bundled packages', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'offline-types-'));
  try {
    const file = path.join(dir, 'user.test.ts');
    fs.writeFileSync(file, `
import { deployOffline, describeOutcome, OfflineCloud, OfflineResult } from '@cdk-personalize/offline';
export async function check(): Promise<string> {
  const { result, cloud }: { result: OfflineResult; cloud: OfflineCloud } = await deployOffline('cdk.out', { stackName: 'Shop' });
  const bptt: string | undefined = result.tunedHyperParameters.ForYouVersion?.bptt;
  cloud.failNextTraining('no data');
  await cloud.deploy('cdk.out', 'Shop', { parameters: { Trigger: '2' } });
  const left: string[] = cloud.leftovers();
  await cloud.close();
  return describeOutcome(result) + bptt + left.length + result.failures.map(e => e.resourceStatusReason).join();
}
`);
    const program = ts.createProgram([file], {
      strict: true,
      noEmit: true,
      skipLibCheck: false,
      types: [],
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.CommonJS,
      moduleResolution: ts.ModuleResolutionKind.Node10,
      baseUrl: dir,
      paths: { '@cdk-personalize/offline': [path.join(OFFLINE_DIR, 'dist', 'index.d.ts')] },
    });
    const errors = ts.getPreEmitDiagnostics(program).map(d => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(errors).toEqual([]);
    expect(fs.readFileSync(path.join(OFFLINE_DIR, 'dist', 'index.d.ts'), 'utf-8')).not.toMatch(/@cdk-personalize\//);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}, 120_000);
