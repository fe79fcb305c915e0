/**
 * `npm run benchmark`: measures what the project claims about size and speed, each against a
 * baseline measured in the same run, and reports ratios (these machines are too noisy for
 * absolute numbers to mean much).
 *
 * 1. Handler bundles: bundling the SDK (what ships) against leaving it to the Lambda runtime.
 * 2. Cold start: loading a shipped bundle in a fresh Node process against loading the SDK client
 *    from node_modules the way the runtime's copy would be, and against an empty process.
 * 3. Synth: an app with the library's Solution and SolutionVersion against the same app with a
 *    plain CfnSolution.
 * 4. The offline deploy: simulated training time against wall time.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { CfnSolution } from 'aws-cdk-lib/aws-personalize';
import { buildSync } from 'esbuild';
import { DatasetGroup, HyperParameterRange, HyperParameterRanges, Recipe, Solution } from '../src';

const ROOT = path.join(__dirname, '..');
const RUNS = Number(process.env.BENCHMARK_RUNS ?? 15);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function timeNode(script: string): number {
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = process.hrtime.bigint();
    execFileSync(process.execPath, ['-e', script], { cwd: ROOT, stdio: 'ignore' });
    samples.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return median(samples);
}

function bundles(): void {
  console.log('## Handler bundles (bytes)');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-'));
  const entries = fs.readdirSync(path.join(ROOT, 'src', 'handlers')).filter(f => f.endsWith('.lambda.ts'));
  for (const entry of entries) {
    const name = entry.replace(/\.lambda\.ts$/, '');
    const shipped = path.join(ROOT, 'assets', 'handlers', `${name}.lambda`, 'index.js');
    const external = path.join(tmp, `${name}.external.js`);
    buildSync({
      entryPoints: [path.join(ROOT, 'src', 'handlers', entry)],
      bundle: true,
      platform: 'node',
      target: 'node22',
      minify: true,
      external: ['@aws-sdk/*'],
      outfile: external,
      logLevel: 'silent',
    });
    const shippedBytes = fs.statSync(shipped).size;
    const externalBytes = fs.statSync(external).size;
    console.log(`${name}: shipped (SDK bundled, minified) ${shippedBytes}; baseline (SDK external) ${externalBytes}; ratio ${(shippedBytes / externalBytes).toFixed(1)}x`);
  }
  console.log();
}

function coldStart(): void {
  console.log(`## Cold start: median wall time of a fresh node process, ${RUNS} runs (ms)`);
  const empty = timeNode('');
  const bundle = path.join(ROOT, 'assets', 'handlers', 'on-event.lambda', 'index.js');
  const shipped = timeNode(`require(${JSON.stringify(bundle)})`);
  const runtimeSdk = timeNode('require("@aws-sdk/client-personalize"); require("@aws-sdk/client-sfn")');
  console.log(`empty process ${empty.toFixed(0)}; load shipped on-event bundle ${shipped.toFixed(0)}; load the SDK clients from node_modules ${runtimeSdk.toFixed(0)}`);
  console.log(`bundle load over empty process: +${(shipped - empty).toFixed(0)} ms; SDK from node_modules over empty: +${(runtimeSdk - empty).toFixed(0)} ms; ratio ${((shipped - empty) / (runtimeSdk - empty)).toFixed(2)}`);
  console.log();
}

function synth(): void {
  console.log(`## Synth: median of ${RUNS} runs (ms)`);
  const timeIt = (build: (stack: Stack) => void) => {
    const samples: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const started = process.hrtime.bigint();
      const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'bench-synth-')) });
      build(new Stack(app, 'Bench', { env: { account: '123456789012', region: 'us-east-1' } }));
      app.synth();
      samples.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
    return median(samples);
  };
  const arn = 'arn:aws:personalize:us-east-1:123456789012:dataset-group/g';
  const baseline = timeIt(stack => new CfnSolution(stack, 'S', {
    name: 's', datasetGroupArn: arn, recipeArn: 'arn:aws:personalize:::recipe/aws-user-personalization', performHpo: true,
  }));
  const library = timeIt(stack => new Solution(stack, 'S', {
    datasetGroup: DatasetGroup.fromDatasetGroupArn(stack, 'G', arn),
    recipe: Recipe.USER_PERSONALIZATION,
    hpo: { ranges: HyperParameterRanges.userPersonalization({ bptt: HyperParameterRange.integer(8, 32) }) },
  }).addVersion('V'));
  console.log(`CfnSolution ${baseline.toFixed(0)}; Solution + SolutionVersion (provider, poller, validation) ${library.toFixed(0)}; ratio ${(library / baseline).toFixed(1)}x`);
  console.log();
}

function offlineDeploy(): void {
  console.log('## Offline deploy of the example app (npm run demo)');
  const started = process.hrtime.bigint();
  const out = execFileSync(process.execPath, [
    path.join(ROOT, 'node_modules', 'ts-node', 'dist', 'bin.js'), '--transpile-only', '--project', 'tools/tsconfig.json', 'tools/demo.ts',
  ], { cwd: ROOT, encoding: 'utf-8' });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  const simulated = /simulated time: (?:(\d+)h)?(?:(\d+)m)?/.exec(out);
  const simulatedMs = simulated ? ((Number(simulated[1] ?? 0) * 60) + Number(simulated[2] ?? 0)) * 60_000 : NaN;
  console.log(`wall ${(wallMs / 1000).toFixed(1)} s for ${(simulatedMs / 3_600_000).toFixed(2)} h of simulated deploy; speed-up ${(simulatedMs / wallMs).toFixed(0)}x`);
}

bundles();
coldStart();
synth();
offlineDeploy();
