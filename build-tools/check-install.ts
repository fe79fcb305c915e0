/**
 * Installs the packed tarball (dist/js) into a fresh app, as a user would, and synthesizes a solution
 * with a trained version there: the handler assets must resolve from the installed package.
 * Needs the npm registry (aws-cdk-lib and constructs are installed from it); not part of `npm test`.
 *
 * Usage: ts-node build-tools/check-install.ts [dist/js]
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const dist = path.resolve(process.argv[2] ?? 'dist/js');
const tarball = fs.readdirSync(dist).find(name => name.endsWith('.tgz'));
if (!tarball) {
  throw new Error(`${dist} has no tarball: run npx projen package:js`);
}
const root = JSON.parse(fs.readFileSync('package.json', 'utf-8'));
const app = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-personalize-install-'));
fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({
  name: 'fresh-app',
  private: true,
  dependencies: {
    'aws-cdk-lib': root.devDependencies['aws-cdk-lib'],
    'constructs': root.devDependencies.constructs,
    'cdk-personalize': `file:${path.join(dist, tarball)}`,
  },
}, undefined, 2));
fs.writeFileSync(path.join(app, 'app.js'), `
const { App, Stack } = require('aws-cdk-lib');
const { DatasetGroup, Recipe, Solution } = require('cdk-personalize');
const app = new App({ outdir: 'cdk.out' });
const stack = new Stack(app, 'Fresh');
const datasetGroup = DatasetGroup.fromDatasetGroupArn(stack, 'Group', 'arn:aws:personalize:us-east-1:123456789012:dataset-group/shop');
new Solution(stack, 'ForYou', { datasetGroup, recipe: Recipe.USER_PERSONALIZATION_V2 }).addVersion('Version');
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
