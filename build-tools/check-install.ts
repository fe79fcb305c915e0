/**
 * Installs the packed tarball (dist/js) into a fresh app, as a user would, and synthesizes a solution
 * with a trained version there: the handler assets must resolve from the installed package. With a
 * second directory (dist/offline), also installs @cdk-personalize/offline there and deploys the app
 * offline with its command line and its API.
 * Needs the npm registry (aws-cdk-lib and constructs are installed from it); not part of `npm test`.
 *
 * Usage: ts-node build-tools/check-install.ts [dist/js] [dist/offline]
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const tarballIn = (dir: string, task: string) => {
  const name = fs.readdirSync(dir).find(file => file.endsWith('.tgz'));
  if (!name) {
    throw new Error(`${dir} has no tarball: run npx projen ${task}`);
  }
  return name;
};
const dist = path.resolve(process.argv[2] ?? 'dist/js');
const tarball = tarballIn(dist, 'package:js');
const offlineDist = process.argv[3] ? path.resolve(process.argv[3]) : undefined;
const offlineTarball = offlineDist ? path.join(offlineDist, tarballIn(offlineDist, 'package:offline')) : undefined;
const root = JSON.parse(fs.readFileSync('package.json', 'utf-8'));
const app = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-personalize-install-'));
fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({
  name: 'fresh-app',
  private: true,
  dependencies: {
    'aws-cdk-lib': root.devDependencies['aws-cdk-lib'],
    'constructs': root.devDependencies.constructs,
    'cdk-personalize': `file:${path.join(dist, tarball)}`,
    ...(offlineTarball ? { '@cdk-personalize/offline': `file:${offlineTarball}` } : {}),
  },
}, undefined, 2));
fs.writeFileSync(path.join(app, 'app.js'), `
const { App, RemovalPolicy, Stack } = require('aws-cdk-lib');
const s3 = require('aws-cdk-lib/aws-s3');
const { Dataset, DatasetGroup, Recipe, Schema, Solution } = require('cdk-personalize');
const app = new App({ outdir: 'cdk.out' });
const stack = new Stack(app, 'Fresh', { env: { account: '123456789012', region: 'us-east-1' } });
const datasetGroup = new DatasetGroup(stack, 'Group', { removalPolicy: RemovalPolicy.DESTROY });
new Dataset(stack, 'Interactions', {
  datasetGroup,
  schema: Schema.interactions(stack, 'Schema'),
  importSource: { bucket: new s3.Bucket(stack, 'Data'), prefix: 'interactions/', importTrigger: '1' },
});
new Solution(stack, 'ForYou', { datasetGroup, recipe: Recipe.USER_PERSONALIZATION_V2, removalPolicy: RemovalPolicy.DESTROY }).addVersion('Version');
app.synth();
`);
execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: app, stdio: 'inherit' });
execFileSync('node', ['app.js'], { cwd: app, stdio: 'inherit' });

const assets = JSON.parse(fs.readFileSync(path.join(app, 'cdk.out', 'Fresh.assets.json'), 'utf-8')).files as Record<string, { source: { path: string } }>;
const handlerAssets = Object.values(assets).map(a => path.join(app, 'cdk.out', a.source.path, 'index.js')).filter(fs.existsSync);
if (handlerAssets.length < 3) {
  console.error(`the fresh app's assembly has ${handlerAssets.length} handler bundles, expected 3 (on-event, is-complete, job-poller)`);
  process.exit(1);
}
console.log(`installed ${tarball} into ${app} and synthesized a solution with ${handlerAssets.length} handler bundles`);

if (offlineTarball) {
  // The command line a user runs after cdk synth, then the API a test calls.
  const cli = execFileSync('npx', ['cdk-personalize-offline', 'cdk.out', '--destroy'], { cwd: app, encoding: 'utf-8' });
  process.stdout.write(cli);
  if (!/^Fresh: CREATE_COMPLETE/.test(cli) || !/\nFresh: DELETE_COMPLETE/.test(cli)) {
    console.error('the offline command line did not deploy and destroy the fresh app');
    process.exit(1);
  }
  fs.writeFileSync(path.join(app, 'offline.js'), `
const { deployOffline } = require('@cdk-personalize/offline');
deployOffline('cdk.out').then(async ({ result, cloud }) => {
  await cloud.destroy(result.stackName);
  const left = cloud.leftovers();
  await cloud.close();
  console.log(result.status, Object.keys(result.outputs).length, 'outputs', left.length, 'left');
  process.exit(result.succeeded && left.length === 0 ? 0 : 1);
});
`);
  execFileSync('node', ['offline.js'], { cwd: app, stdio: 'inherit' });
  console.log('installed @cdk-personalize/offline into the fresh app: its command line and deployOffline deployed and destroyed it');
}
