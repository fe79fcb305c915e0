// The real-account tests' committed snapshots: their templates at step 1, laid out as integ-runner
// keeps them (`integ.hpo-retrain.ts.snapshot/`, `integ.batch-inference.ts.snapshot/`). integ-runner cannot check it yet (its newest
// release reads cloud assembly schema 53, aws-cdk-lib 2.276 writes 55), so test/integ-snapshot.test.ts
// does, without deploying. `npx projen integ:snapshot` writes it anew.
import * as fs from 'fs';
import * as path from 'path';
import { INTEG_APPS, synthIntegApp, type IntegApp } from './synth';

/** Where an app's snapshot is committed, as integ-runner lays it out. */
export function snapshotDir(file: IntegApp = 'integ.hpo-retrain.ts'): string {
  return path.join(__dirname, `${file}.snapshot`);
}

/**
 * Asset hashes change with every handler build, and integ-tests-alpha salts each assertion with the
 * time of synthesis (so that it runs at every deploy); what the templates declare does not change.
 */
export function canonical(templateText: string): string {
  const hashless = templateText.replace(/[0-9a-f]{64}/g, '<asset hash>');
  return JSON.stringify(JSON.parse(hashless), (key, value) => key === 'salt' ? '<time of synthesis>' : value, 1) + '\n';
}

/** An app's templates at one step, canonical, by file name. */
export function integTemplates(step: number, file: IntegApp = 'integ.hpo-retrain.ts'): Record<string, string> {
  const outdir = synthIntegApp(step, file);
  try {
    const files = fs.readdirSync(outdir).filter(f => f.endsWith('.template.json')).sort();
    return Object.fromEntries(files.map(f => [f, canonical(fs.readFileSync(path.join(outdir, f), 'utf-8'))]));
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/** An app's committed snapshot, by file name. */
export function committedSnapshot(app: IntegApp = 'integ.hpo-retrain.ts'): Record<string, string> {
  const dir = snapshotDir(app);
  if (!fs.existsSync(dir)) return {};
  const files = fs.readdirSync(dir).filter(f => f.endsWith('.template.json')).sort();
  return Object.fromEntries(files.map(f => [f, fs.readFileSync(path.join(dir, f), 'utf-8')]));
}

if (require.main === module) {
  for (const app of INTEG_APPS) {
    const dir = snapshotDir(app);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    for (const [file, text] of Object.entries(integTemplates(1, app))) {
      fs.writeFileSync(path.join(dir, file), text);
    }
    console.log(`wrote ${path.relative(process.cwd(), dir)}`);
  }
}
