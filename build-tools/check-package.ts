/**
 * Fails when the packed tarball in dist/js has no handler bundles: a package without them would
 * synthesize stacks whose functions have no code.
 *
 * Usage: ts-node build-tools/check-package.ts [dist/js]
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const dir = process.argv[2] ?? 'dist/js';
const HANDLERS = ['on-event.lambda', 'is-complete.lambda', 'job-poller.lambda'];

const tarballs = fs.readdirSync(dir).filter(name => name.endsWith('.tgz'));
if (tarballs.length !== 1) {
  throw new Error(`${dir}: expected one tarball, found ${tarballs.length}`);
}
const listing = execFileSync('tar', ['-tzf', path.join(dir, tarballs[0])], { maxBuffer: 64 * 1024 * 1024 }).toString().split('\n');
const missing = HANDLERS.filter(handler => !listing.includes(`package/assets/handlers/${handler}/index.js`));
if (missing.length > 0) {
  console.error(`${tarballs[0]} has no bundle of ${missing.join(', ')}: run npx projen bundle before packaging`);
  process.exit(1);
}
console.log(`${tarballs[0]}: the handler bundles are in (${HANDLERS.join(', ')})`);
