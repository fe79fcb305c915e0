import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { STEP_CONTEXT } from './integ-names';

const ROOT = path.join(__dirname, '..', '..');

/** The real-account test apps. */
export const INTEG_APPS = ['integ.hpo-retrain.ts', 'integ.batch-inference.ts'] as const;
export type IntegApp = typeof INTEG_APPS[number];

/** Synthesizes a real-account test app as the CDK CLI runs it, at one step; returns the assembly's folder. */
export function synthIntegApp(step: number, file: IntegApp = 'integ.hpo-retrain.ts'): string {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `integ-step${step}-`));
  execFileSync(process.execPath, [
    require.resolve('ts-node/dist/bin.js'), '--transpile-only', '--project', 'test/tsconfig.json', `test/integ/${file}`,
  ], { cwd: ROOT, env: { ...process.env, CDK_OUTDIR: outdir, CDK_CONTEXT_JSON: JSON.stringify({ [STEP_CONTEXT]: String(step) }) }, stdio: 'pipe' });
  return outdir;
}
