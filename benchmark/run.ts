/**
 * `npm run benchmark`: measures each figure the project claims against a baseline measured in the
 * same run (alternating the two, warm, medians), writes benchmark/results.json, prints a table and
 * regenerates README's Measurements table from the file.
 *
 * 1. Synth of N = 1, 10, 50 solutions with versions, against N raw CfnSolutions with the same
 *    hpoConfig; the template's bytes, resources and outputs against CloudFormation's limits.
 * 2. Polling: DescribeSolutionVersion calls per hour and the delay between the end of training and
 *    the check that sees it, for first trainings and retrains, against a fixed 2-minute schedule.
 * 3. Offline deploys of the example app and of an app with a long import and a batch job: the
 *    simulated deploy time against Personalize's own critical path on the same run (the longest
 *    chain of jobs that ran one after another), the waits per long job on it against one poll
 *    interval, and wall time.
 * 4. Handler bundles and their cold load, against the SDK left to the runtime.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { LocalCloudFormation } from '@cdk-personalize/local-deploy';
import { criticalPath, PersonalizeSimulator, TIMING, type CriticalPath } from '@cdk-personalize/simulator';
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { CfnSolution } from 'aws-cdk-lib/aws-personalize';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { buildSync } from 'esbuild';
import { figure, README_FILE, readmeWithTable, renderTable, Results, RESULTS_FILE } from './report';
import { buildExampleApp } from '../examples/app';
import { BatchInferenceJob, Dataset, DatasetGroup, Recipe, Schema, Solution } from '../src';
import { POLL_SCHEDULE, pollingOutcome } from '../src/handlers/aws/poll-schedule';
import { addTrainedSolutions, SCALE_HPO } from '../test/fixtures/trained-solutions';

const ROOT = path.join(__dirname, '..');
/** Runs per median for the cheapest figure; costlier ones take fewer. */
const RUNS = Number(process.env.BENCHMARK_RUNS ?? 15);
const results: Results = {};

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function msOf(fn: () => void): number {
  const started = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - started) / 1e6;
}

/** Medians of `runs` alternating runs of each function, after one warm-up run of each. */
function alternate(runs: number, ...fns: Array<() => void>): number[] {
  fns.forEach(fn => fn());
  const samples = fns.map(() => [] as number[]);
  for (let i = 0; i < runs; i++) {
    fns.forEach((fn, j) => samples[j].push(msOf(fn)));
  }
  return samples.map(median);
}

// 1. Synth and template size.
const ENV = { account: '123456789012', region: 'us-east-1' };
const GROUP_ARN = 'arn:aws:personalize:us-east-1:123456789012:dataset-group/bench';

function librarySolutions(stack: Stack, n: number): void {
  addTrainedSolutions(stack, DatasetGroup.fromDatasetGroupArn(stack, 'Group', GROUP_ARN), n);
}

function rawSolutions(stack: Stack, n: number): void {
  for (let i = 0; i < n; i++) {
    new CfnSolution(stack, `S${i}`, {
      name: `bench-${i}`,
      datasetGroupArn: GROUP_ARN,
      recipeArn: 'arn:aws:personalize:::recipe/aws-user-personalization',
      performHpo: true,
      solutionConfig: {
        hpoConfig: {
          hpoResourceConfig: {
            maxNumberOfTrainingJobs: String(SCALE_HPO.maxNumberOfTrainingJobs),
            maxParallelTrainingJobs: String(SCALE_HPO.maxParallelTrainingJobs),
          },
          algorithmHyperParameterRanges: {
            integerHyperParameterRanges: (['bptt', 'hidden_dimension'] as const)
              .map(name => ({ name, minValue: SCALE_HPO[name][0], maxValue: SCALE_HPO[name][1] })),
          },
        },
      },
    });
  }
}

function synthesize(build: (stack: Stack) => void): Record<string, any> {
  const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'bench-synth-')) });
  const stack = new Stack(app, 'Bench', { env: ENV });
  build(stack);
  const template = app.synth().getStackByName(stack.stackName).template;
  fs.rmSync(app.outdir, { recursive: true, force: true });
  return template;
}

function synth(): void {
  for (const [n, runs] of [[1, RUNS], [10, Math.ceil(RUNS / 2)], [50, Math.ceil(RUNS / 3)]]) {
    const [library, raw] = alternate(runs, () => synthesize(s => librarySolutions(s, n)), () => synthesize(s => rawSolutions(s, n)));
    const solutions = n === 1 ? '1 solution' : `${n} solutions`;
    results[`synth, ${solutions} with versions (as many CfnSolutions with the same hpoConfig)`] = figure(library, raw, 'ms');
    const template = synthesize(s => librarySolutions(s, n));
    const bytes = JSON.stringify(template, undefined, 1).length;
    results[`template of ${n}: bytes (CloudFormation's 1 MB)`] = figure(bytes, 1_000_000, 'B');
    results[`template of ${n}: resources (CloudFormation's 500)`] = figure(Object.keys(template.Resources).length, 500, '');
    results[`template of ${n}: outputs (CloudFormation's 200)`] = figure(Object.keys(template.Outputs ?? {}).length, 200, '');
  }
}

// 2. Polling.
const HOUR = 3600;

/** The fixed schedule: a check every 120 s. */
function fixedSchedule(trainingSeconds: number): { delaySeconds: number; callsPerHour: number } {
  const calls = Math.ceil(trainingSeconds / 120);
  return { delaySeconds: calls * 120 - trainingSeconds, callsPerHour: calls / (calls * 120 / HOUR) };
}

function polling(): void {
  // Trainings within ±5 % of the nominal length (101 of them); a retrain expects the nominal length.
  const spread = Array.from({ length: 101 }, (_, i) => 0.95 + i * 0.001);
  for (const [label, hours] of [['20 min', 1 / 3], ['1 h', 1], ['3 h', 3], ['11 h', 11]] as const) {
    for (const mode of ['first', 'retrain'] as const) {
      const ours = spread.map(f => pollingOutcome(f * hours * HOUR, mode === 'retrain' ? hours * HOUR : 0, 1.2 * hours * HOUR + HOUR));
      const fixed = spread.map(f => fixedSchedule(f * hours * HOUR));
      const name = `polling a ${label} ${mode === 'first' ? 'first training' : 'retrain'}`;
      results[`${name}: calls per hour, median (fixed 120 s)`] = figure(median(ours.map(o => o.callsPerHour)), median(fixed.map(o => o.callsPerHour)), '/h');
      results[`${name}: worst delay (fixed 120 s)`] = figure(Math.max(...ours.map(o => o.delaySeconds)), Math.max(...fixed.map(o => o.delaySeconds)), 's');
      results[`${name}: median delay (fixed 120 s)`] = figure(median(ours.map(o => o.delaySeconds)), median(fixed.map(o => o.delaySeconds)), 's');
    }
  }
}

// 3. Offline deploys: the example app, and an app with a two-hour import and a batch job.
/** The largest waits between links of the critical path, e.g. `solution version 2.5 min`. */
function largestGaps(critical: CriticalPath, count = 3): string {
  return [...critical.gaps].sort((a, b) => b.ms - a.ms).slice(0, count).filter(g => g.ms > 0)
    .map(g => `${g.before} ${(g.ms / 60_000).toFixed(1)} min`).join(', ') || 'none';
}

async function offlineDeploy(
  name: string, build: (outdir: string) => { app: App; stack: Stack }, prepare?: (sim: PersonalizeSimulator) => void,
): Promise<void> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-deploy-'));
  const { app, stack } = build(outdir);
  app.synth();
  const simulator = new PersonalizeSimulator({ region: stack.region, accountId: stack.account, autoTraining: false });
  prepare?.(simulator);
  const endpoint = await simulator.start();
  const cfn = new LocalCloudFormation({
    region: stack.region, accountId: stack.account, personalizeEndpoint: endpoint, clock: simulator.clock, log: () => undefined,
  });
  try {
    const start = simulator.clock.now();
    const wallStart = process.hrtime.bigint();
    const deployed = await cfn.deploy(outdir, stack.stackName);
    const wallMs = Number(process.hrtime.bigint() - wallStart) / 1e6;
    if (deployed.status !== 'CREATE_COMPLETE') {
      throw new Error(`${name} did not deploy: ${deployed.status} ${deployed.failureReason ?? ''}`);
    }
    const end = simulator.clock.now();
    const deployMs = end - start;
    const critical = criticalPath(simulator.jobIntervals(), start, end);
    const longJobs = critical.chain.filter(l => LONG_JOB_KINDS.includes(l.kind)).length;
    results[`offline deploy of ${name}: simulated deploy time (Personalize's own critical path: ${critical.chain.map(l => l.kind).join(' → ')})`] =
      figure(deployMs / 60_000, critical.workMs / 60_000, 'min');
    results[`offline deploy of ${name}: waits beyond the critical path, per long job on it (${longJobs}; largest: ${largestGaps(critical)})`] =
      figure((deployMs - critical.workMs) / 60_000 / Math.max(1, longJobs), POLL_INTERVAL_MIN, 'min');
    results[`offline deploy of ${name}: simulated deploy time (its wall time)`] = figure(deployMs / 1000, wallMs / 1000, 's');
    await cfn.destroy(stack.stackName);
  } finally {
    await cfn.close();
    await simulator.stop();
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/** Jobs the job waiter polls; the goal is at most one poll interval of waiting per such job on the critical path. */
const LONG_JOB_KINDS = ['dataset import job', 'solution version', 'batch inference job', 'batch segment job'];
/** The poll interval of a first job (POLL_SCHEDULE.unknownSeconds), the baseline of the wait per long job. */
const POLL_INTERVAL_MIN = POLL_SCHEDULE.unknownSeconds / 60;

/** A dataset whose import takes two hours, a version trained on it, and a batch inference job on the version. */
function longImportApp(outdir: string): { app: App; stack: Stack } {
  const app = new App({ outdir });
  const stack = new Stack(app, 'BenchLongImport', { env: { account: '123456789012', region: 'us-east-1' } });
  const bucket = new s3.Bucket(stack, 'Data', { removalPolicy: RemovalPolicy.DESTROY });
  const datasetGroup = new DatasetGroup(stack, 'Group', { datasetGroupName: 'bench-long-import', removalPolicy: RemovalPolicy.DESTROY });
  new Dataset(stack, 'Interactions', { datasetGroup, schema: Schema.interactions(stack, 'Schema', {}), importSource: { bucket, prefix: 'interactions/' } });
  const version = new Solution(stack, 'Up', { datasetGroup, recipe: Recipe.USER_PERSONALIZATION_V2 }).addVersion('Version');
  new BatchInferenceJob(stack, 'Batch', { solutionVersion: version, input: { bucket, prefix: 'batch/in/' }, output: { bucket, prefix: 'batch/out/' } });
  return { app, stack };
}

// 4. Bundles and cold load.
function bundles(): void {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-'));
  for (const entry of fs.readdirSync(path.join(ROOT, 'src', 'handlers')).filter(f => f.endsWith('.lambda.ts'))) {
    const name = entry.replace(/\.lambda\.ts$/, '');
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
    const shipped = fs.statSync(path.join(ROOT, 'assets', 'handlers', `${name}.lambda`, 'index.js')).size;
    results[`${name} handler bundle, SDK bundled and minified (SDK left to the runtime)`] = figure(shipped / 1024, fs.statSync(external).size / 1024, 'KB');
  }
  fs.rmSync(tmp, { recursive: true, force: true });

  const node = (script: string) => () => execFileSync(process.execPath, ['-e', script], { cwd: ROOT, stdio: 'ignore' });
  const bundle = path.join(ROOT, 'assets', 'handlers', 'on-event.lambda', 'index.js');
  const [empty, shipped, sdk] = alternate(RUNS,
    node(''),
    node(`require(${JSON.stringify(bundle)})`),
    node('require("@aws-sdk/client-personalize"); require("@aws-sdk/client-sfn")'));
  results['cold load of the onEvent bundle beyond an empty process (the SDK clients from node_modules)'] = figure(shipped - empty, sdk - empty, 'ms');
}

async function main(): Promise<void> {
  if (!fs.existsSync(path.join(ROOT, 'assets', 'handlers'))) {
    throw new Error('Run `npx projen bundle` first: the benchmark measures the shipped bundles');
  }
  synth();
  polling();
  await offlineDeploy('the example app', buildExampleApp);
  await offlineDeploy('an app with a 2-hour import and a batch job', longImportApp,
    sim => sim.setImportData({ records: (2 * 60 - 5) * TIMING.importRecordsPerMinute }));
  bundles();
  fs.writeFileSync(RESULTS_FILE, `${JSON.stringify(results, undefined, 2)}\n`);
  fs.writeFileSync(README_FILE, readmeWithTable(fs.readFileSync(README_FILE, 'utf-8'), results));
  console.log(renderTable(results));
  console.log(`\nWrote ${path.relative(process.cwd(), RESULTS_FILE)} and README.md's Measurements table (${os.cpus().length} cores, ${RUNS} runs per median).`);
}

main().catch(err => {
  console.error(err);
  process.exit(1);
});
