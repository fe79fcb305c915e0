/**
 * Makes the installable @cdk-personalize/offline package (tools/offline): one bundle for the API and
 * one for the command line (the simulator and the local runner inside, aws-local-stepfunctions left
 * as the package's one dependency), the simulator's data files, the API's declarations, then a
 * tarball in dist/offline.
 *
 * Usage: ts-node build-tools/package-offline.ts [--no-pack]
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as esbuild from 'esbuild';
import * as ts from 'typescript';

const ROOT = path.join(__dirname, '..');
export const OFFLINE_DIR = path.join(ROOT, 'tools', 'offline');
const OUT = path.join(OFFLINE_DIR, 'dist');

/** Writes tools/offline/dist. */
export function buildOffline(): void {
  fs.rmSync(OUT, { recursive: true, force: true });
  esbuild.buildSync({
    entryPoints: { index: path.join(OFFLINE_DIR, 'index.ts'), cli: path.join(OFFLINE_DIR, 'cli.ts') },
    bundle: true,
    platform: 'node',
    target: 'node20',
    outdir: OUT,
    // Loaded with createRequire (it is an ES module that needs Node.js 22's Promise.withResolvers, which the runner adds).
    external: ['aws-local-stepfunctions'],
    logLevel: 'warning',
  });
  fs.chmodSync(path.join(OUT, 'cli.js'), 0o755);
  // The simulator reads these next to its code.
  for (const file of ['personalize-model.json', 'recipes.json']) {
    fs.copyFileSync(path.join(ROOT, 'tools', 'simulator', file), path.join(OUT, file));
  }
  const program = ts.createProgram([path.join(OFFLINE_DIR, 'index.ts')], {
    declaration: true,
    emitDeclarationOnly: true,
    outDir: OUT,
    rootDir: OFFLINE_DIR,
    skipLibCheck: true,
    strict: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    esModuleInterop: true,
  });
  // Only the package's own declarations: those of the bundled tools are not part of its API.
  const result = program.emit(undefined, (file, text) => {
    if (path.resolve(file) === path.join(OUT, 'index.d.ts')) {
      fs.writeFileSync(file, text);
    }
  });
  const errors = ts.getPreEmitDiagnostics(program).concat(result.diagnostics).filter(d => d.category === ts.DiagnosticCategory.Error);
  if (errors.length > 0) {
    throw new Error(ts.formatDiagnostics(errors, { getCanonicalFileName: f => f, getCurrentDirectory: () => ROOT, getNewLine: () => '\n' }));
  }
  const declarations = fs.readFileSync(path.join(OUT, 'index.d.ts'), 'utf-8');
  if (/from '@cdk-personalize\//.test(declarations)) {
    throw new Error('dist/index.d.ts names a bundled package: the public types must be the package\'s own');
  }
}

if (require.main === module) {
  buildOffline();
  if (!process.argv.includes('--no-pack')) {
    const dest = path.join(ROOT, 'dist', 'offline');
    fs.mkdirSync(dest, { recursive: true });
    execFileSync('npm', ['pack', OFFLINE_DIR, '--pack-destination', dest, '--loglevel=error'], { stdio: 'inherit' });
  }
}
