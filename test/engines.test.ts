import * as fs from 'fs';
import * as path from 'path';
// semver is projen's (and npm's) own dependency, without types here; the library never loads it.
// eslint-disable-next-line @typescript-eslint/no-require-imports, import/no-extraneous-dependencies
const semver = require('semver') as { satisfies(version: string, range: string, options?: { includePrerelease?: boolean }): boolean };

/**
 * The Node.js versions README states: users run the library on Node.js 20 and later; contributors
 * use Node.js 22, where `npm ci` warns about no engine. On Node.js 20 exactly one locked package,
 * the local runner's Step Functions engine (no release of it supports 20), asks for more.
 */

const lock = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package-lock.json'), 'utf-8')) as {
  packages: Record<string, { version?: string; engines?: { node?: string } | string[] }>;
};

/** The locked packages whose `engines.node` a Node.js version does not satisfy. */
function unsatisfied(version: string): string[] {
  return Object.entries(lock.packages)
    .filter(([, p]) => p.engines && !Array.isArray(p.engines) && p.engines.node)
    .filter(([, p]) => !semver.satisfies(version, (p.engines as { node: string }).node, { includePrerelease: true }))
    .map(([key, p]) => `${key.replace(/^.*node_modules\//, '')}@${p.version} (${(p.engines as { node: string }).node})`)
    .sort();
}

test('on Node.js 22.13 (contributors) every locked package takes the engine: npm ci prints no engine warning', () => {
  expect(unsatisfied('22.13.0')).toEqual([]);
});

test('on Node.js 20.19 only aws-local-stepfunctions asks for more (README says so)', () => {
  expect(unsatisfied('20.19.0').map(p => p.replace(/@.*/, ''))).toEqual(['aws-local-stepfunctions']);
});

test('the library itself states Node.js 20 and later', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf-8'));
  expect(pkg.engines.node).toBe('>= 20.0.0');
});
