// The real-account test's committed snapshot: its templates at step 1, laid out as integ-runner
// keeps them (`integ.hpo-retrain.ts.snapshot/`). integ-runner cannot check it yet (its newest
// release reads cloud assembly schema 53, aws-cdk-lib 2.276 writes 55), so test/integ-snapshot.test.ts
// does, without deploying. `npx projen integ:snapshot` writes it anew.
import * as fs from 'fs';
import * as path from 'path';
import { synthIntegApp } from './synth';

export const SNAPSHOT_DIR = path.join(__dirname, 'integ.hpo-retrain.ts.snapshot');

/**
 * Asset hashes change with every handler build, and integ-tests-alpha salts each assertion with the
 * time of synthesis (so that it runs at every deploy); what the templates declare does not change.
 */
export function canonical(templateText: string): string {
  const hashless = templateText.replace(/[0-9a-f]{64}/g, '<asset hash>');
  return JSON.stringify(JSON.parse(hashless), (key, value) => key === 'salt' ? '<time of synthesis>' : value, 1) + '\n';
}

/** The app's templates at one step, canonical, by file name. */
export function integTemplates(step: number): Record<string, string> {
  const outdir = synthIntegApp(step);
  try {
    const files = fs.readdirSync(outdir).filter(f => f.endsWith('.template.json')).sort();
    return Object.fromEntries(files.map(f => [f, canonical(fs.readFileSync(path.join(outdir, f), 'utf-8'))]));
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/** The committed snapshot, by file name. */
export function committedSnapshot(): Record<string, string> {
  if (!fs.existsSync(SNAPSHOT_DIR)) return {};
  const files = fs.readdirSync(SNAPSHOT_DIR).filter(f => f.endsWith('.template.json')).sort();
  return Object.fromEntries(files.map(f => [f, fs.readFileSync(path.join(SNAPSHOT_DIR, f), 'utf-8')]));
}

if (require.main === module) {
  fs.rmSync(SNAPSHOT_DIR, { recursive: true, force: true });
  fs.mkdirSync(SNAPSHOT_DIR, { recursive: true });
  for (const [file, text] of Object.entries(integTemplates(1))) {
    fs.writeFileSync(path.join(SNAPSHOT_DIR, file), text);
  }
  console.log(`wrote ${path.relative(process.cwd(), SNAPSHOT_DIR)}`);
}
