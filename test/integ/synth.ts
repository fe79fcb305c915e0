import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { STEP_CONTEXT } from './integ-names';

const ROOT = path.join(__dirname, '..', '..');

/** Synthesizes the real-account test app as the CDK CLI runs it, at one step; returns the assembly's folder. */
export function synthIntegApp(step: number): string {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `integ-step${step}-`));
  execFileSync(process.execPath, [
    require.resolve('ts-node/dist/bin.js'), '--transpile-only', '--project', 'test/tsconfig.json', 'test/integ/integ.hpo-retrain.ts',
  ], { cwd: ROOT, env: { ...process.env, CDK_OUTDIR: outdir, CDK_CONTEXT_JSON: JSON.stringify({ [STEP_CONTEXT]: String(step) }) }, stdio: 'pipe' });
  return outdir;
}
