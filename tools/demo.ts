/**
 * `npm run demo`: synthesizes the example app into cdk.out, prints the CreateSolution requests it
 * renders, then deploys it to the embedded Personalize simulator with the local runner (the
 * dataset group, schema, dataset and its import, both solutions trained with simulated HPO in
 * simulated time, and the campaign), prints where each tuned value landed in its range, deploys a
 * week later with the data imported again (both solutions retrain; the campaign's gate decides
 * whether the new version serves), prints each solution's metrics next to the previous version's,
 * and deletes the stack again, checking that nothing is left training or behind. The S3 bucket and
 * the upload of the sample data (a Python custom resource) are recorded, not simulated.
 */
import * as path from 'path';
import { LocalCloudFormation } from '@cdk-personalize/local-deploy';
import { PersonalizeSimulator } from '@cdk-personalize/simulator';
import { buildExampleApp } from '../examples/app';
import { placeTunedValues } from '../src/handlers/resources/tuned-ranges';

const REGION = 'us-west-2';
const ACCOUNT = '000000000000';

async function main(): Promise<number> {
  process.env.CDK_DEFAULT_REGION = REGION;
  process.env.CDK_DEFAULT_ACCOUNT = ACCOUNT;
  // The SDK's notice that its 2027 releases need Node 22 (the lockfile pins a release that does not).
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const outdir = path.join(process.cwd(), 'cdk.out');
  const started = Date.now();

  const { app, stack } = buildExampleApp(outdir);
  const assembly = app.synth();
  const template = assembly.getStackByName(stack.stackName).template;
  const warnings = assembly.getStackByName(stack.stackName).messages.filter(m => m.level === 'warning');
  console.log(`Synthesized ${stack.stackName} into ${path.relative(process.cwd(), outdir)}/, ${warnings.length === 0 ? 'without warnings' : `with ${warnings.length} warning(s):`}`);
  warnings.forEach(w => console.log(`  ${w.id}: ${String(w.entry.data)}`));
  console.log();
  const ranges = new Map<string, Range[]>();
  for (const [logicalId, resource] of Object.entries<any>(template.Resources)) {
    if (resource.Type !== 'Custom::PersonalizeSolution') {
      continue;
    }
    const { ServiceToken, NameIsGenerated, ...request } = resource.Properties;
    const where = resource.Metadata?.['aws:cdk:path'] ?? logicalId;
    // The solution's construct id: from its path, or its logical id without the hash.
    const id = String(where).includes('/') ? String(where).split('/')[1] : logicalId.replace(/[0-9A-F]{8}$/, '');
    ranges.set(id, rangesOf(request));
    if (VERBOSE) {
      console.log(`CreateSolution request of ${where}:\n${JSON.stringify(request, null, 2)}\n`);
    } else {
      console.log(`  ${id}: ${summaryOf(request, ranges.get(id)!)}`);
    }
  }
  if (!VERBOSE) {
    console.log('  (npm run demo -- --verbose prints the CreateSolution requests and every stack event)\n');
  }

  const simulator = new PersonalizeSimulator({ region: REGION, accountId: ACCOUNT });
  const endpoint = await simulator.start();
  const simulatedStart = simulator.clock.now();
  const verbose = VERBOSE;
  const quiet = !verbose;
  let quietLines = 0;
  const cfn = new LocalCloudFormation({
    region: REGION,
    accountId: ACCOUNT,
    personalizeEndpoint: endpoint,
    clock: simulator.clock,
    // Stack events are counted, not printed, unless --verbose: some 100 lines per deploy.
    log: line => {
      if (quiet) {
        quietLines++;
      } else {
        console.log(line);
      }
    },
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  });

  let exitCode = 0;
  try {
    console.log(`Deploying ${stack.stackName} to the Personalize simulator at ${endpoint} (SIMULATED: no AWS account is used)\n`);
    const deployed = await cfn.deploy(outdir, stack.stackName);
    quietLines = reportStep(deployed.status, quietLines, verbose);
    if (!/_COMPLETE$/.test(deployed.status) || /ROLLBACK/.test(deployed.status)) {
      console.log(`\nDeploy failed: ${deployed.status} ${deployed.failureReason ?? ''}`);
      exitCode = 1;
    } else {
      printTuned(deployed.outputs, ranges);
      printData(deployed.outputs, simulator);

      // A week later: the data is imported again and both solutions retrain.
      buildExampleApp(outdir, 'week-2').app.synth();
      console.log(`\nA week later: deploying ${stack.stackName} again with retrainTrigger 'week-2' (the data is imported again, both solutions retrain)\n`);
      const retrained = await cfn.deploy(outdir, stack.stackName);
      quietLines = reportStep(retrained.status, quietLines, verbose);
      if (!/_COMPLETE$/.test(retrained.status) || /ROLLBACK/.test(retrained.status)) {
        console.log(`\nDeploy failed: ${retrained.status} ${retrained.failureReason ?? ''}`);
        exitCode = 1;
      } else {
        printTuned(retrained.outputs, ranges);
        console.log('  (the simulated HPO chooses from the ranges and the recipe alone, so a retrain on new data lands where the first did; on AWS it can differ)');
        printComparison(deployed.outputs, retrained.outputs);
      }
    }

    console.log(`\nDeleting ${stack.stackName} from the simulator ...${verbose ? '\n' : ''}`);
    const destroyed = await cfn.destroy(stack.stackName);
    quietLines = reportStep(destroyed.status, quietLines, verbose);
    const left = simulator.snapshot();
    const leftovers = left.solutions.length + left.solutionVersions.filter(v => /PENDING|IN_PROGRESS|STOPPING/.test(v.status)).length + left.datasetGroups.length
      + left.schemas.length + left.datasets.length + left.datasetImportJobs.length + left.campaigns.length;
    console.log(`Left in the simulator after delete: ${left.solutions.length} solutions, ${simulator.inProgressTrainings().length} trainings running, `
      + `${left.datasetGroups.length} dataset groups, ${left.schemas.length} schemas, ${left.datasets.length} datasets, `
      + `${left.datasetImportJobs.length} import jobs, ${left.campaigns.length} campaigns`);
    if (leftovers > 0) {
      exitCode = 1;
    }
  } finally {
    await cfn.close();
    await simulator.stop();
  }
  const simulatedMinutes = Math.round((simulator.clock.now() - simulatedStart) / 60_000);
  console.log(`\nDone in ${((Date.now() - started) / 1000).toFixed(1)} s of wall time (${Math.floor(simulatedMinutes / 60)}h${String(simulatedMinutes % 60).padStart(2, '0')}m simulated, deploy and delete). Every result above is SIMULATED.`);
  return exitCode;
}

const VERBOSE = process.argv.includes('--verbose');

/** One line for an operation whose events were counted, not printed; returns the new count. */
function reportStep(status: string, hiddenLines: number, verbose: boolean): number {
  if (!verbose) {
    console.log(`${status} (${hiddenLines} lines of stack events and waiting hidden)`);
  }
  return 0;
}

/** A solution in one line: its recipe and what HPO tunes. */
function summaryOf(request: any, declared: Range[]): string {
  const recipe = String(request.recipeArn ?? '').split('/').pop();
  const jobs = request.solutionConfig?.hpoConfig?.hpoResourceConfig;
  const tuned = declared.map(r => (r.values ? `${r.name} {${r.values.join(', ')}}` : `${r.name} [${r.min}, ${r.max}]`)).join(', ');
  return request.performHPO
    ? `recipe ${recipe}, HPO over ${tuned} (${jobs?.maxNumberOfTrainingJobs ?? '?'} jobs, ${jobs?.maxParallelTrainingJobs ?? '?'} at a time)`
    : `recipe ${recipe}, no HPO`;
}

/** A declared HPO range, as the CreateSolution request gives it. */
interface Range {
  readonly name: string;
  readonly min?: number;
  readonly max?: number;
  readonly integer?: boolean;
  readonly values?: string[];
}

function rangesOf(request: any): Range[] {
  const r = request.solutionConfig?.hpoConfig?.algorithmHyperParameterRanges ?? {};
  return [
    ...(r.integerHyperParameterRanges ?? []).map((x: any) => ({ name: x.name, min: Number(x.minValue), max: Number(x.maxValue), integer: true })),
    ...(r.continuousHyperParameterRanges ?? []).map((x: any) => ({ name: x.name, min: Number(x.minValue), max: Number(x.maxValue), integer: false })),
    ...(r.categoricalHyperParameterRanges ?? []).map((x: any) => ({ name: x.name, values: x.values })),
  ];
}

/** Where a value landed in its range: `bptt 27 in [20, 40]  35% |###.......|`. */
function placement(range: Range, value: string | undefined): string {
  if (value === undefined) {
    return `${range.name} not reported`;
  }
  if (range.values) {
    return `${range.name} ${value} of {${range.values.join(', ')}}`;
  }
  const share = (Number(value) - range.min!) / (range.max! - range.min!);
  const filled = Math.round(Math.max(0, Math.min(1, share)) * 10);
  // The library's own rule (the training result's TunedAtBounds attribute says the same).
  const spec = { min: range.min!, max: range.max!, integer: range.integer ?? false };
  const [placed] = placeTunedValues(new Map([[range.name, value]]), { [range.name]: spec });
  const bound = placed?.bound ? `  <- the ${placed.bound} bound: the best value may lie beyond it, widen the range` : '';
  return `${range.name} ${value} in [${range.min}, ${range.max}]  ${Math.round(share * 100)}% |${'#'.repeat(filled)}${'.'.repeat(10 - filled)}|${bound}`;
}

/** Per solution: where each tuned value landed within its declared range, and the training's cost. */
function printTuned(outputs: Record<string, string>, ranges: Map<string, Range[]>): void {
  console.log('\nTuned hyperparameters within their declared ranges (SIMULATED HPO):');
  for (const [key, value] of Object.entries(outputs)) {
    if (key.endsWith('TunedHyperParameters')) {
      const prefix = key.slice(0, -'TunedHyperParameters'.length);
      const tuned = JSON.parse(value) as Record<string, string>;
      const declared = [...ranges].find(([id]) => prefix.startsWith(id))?.[1] ?? [];
      console.log(`  ${prefix} (${outputs[`${prefix}TrainingHours`] ?? '?'} training hours):`);
      for (const range of declared) {
        console.log(`    ${placement(range, tuned[range.name])}`);
      }
    }
  }
}

/** Per solution: the retrained version's metrics next to the previous version's, and the campaign's decision. */
function printComparison(before: Record<string, string>, after: Record<string, string>): void {
  console.log('\nOffline metrics, previous version -> retrained version (SIMULATED):');
  for (const key of Object.keys(after).filter(k => k.endsWith('Metrics'))) {
    const prefix = key.slice(0, -'Metrics'.length);
    const previous = JSON.parse(before[key] ?? '{}') as Record<string, number>;
    const current = JSON.parse(after[key]) as Record<string, number>;
    console.log(`  ${prefix}:`);
    for (const [name, value] of Object.entries(current)) {
      const old = previous[name];
      const delta = old === undefined ? '' : `  (${value - old >= 0 ? '+' : ''}${(value - old).toFixed(4)})`;
      console.log(`    ${name.padEnd(44)} ${old === undefined ? 'n/a' : old.toFixed(4)} -> ${value.toFixed(4)}${delta}`);
    }
  }
  console.log(`\nThe campaign's promotion gate: ${shortArns(after.CampaignPromotion ?? 'n/a')}`);
}

/**
 * ARNs shortened so that the sentence stays readable: a version as `…/<version id>`, anything else
 * by its name (the sentence already says what it is).
 */
function shortArns(text: string): string {
  return text.replace(/arn:aws:personalize:[^:]*:\d*:[\w-]+\/(\S+?)(?=[\s,;)]|$)/g, (_, rest: string) => {
    const parts = rest.split('/');
    return parts.length > 1 ? `…/${parts[parts.length - 1]}` : rest;
  });
}

/** The data side of the deploy: the import and the campaign, from the outputs and the simulator. */
function printData(outputs: Record<string, string>, simulator: PersonalizeSimulator): void {
  const snapshot = simulator.snapshot();
  const job = snapshot.datasetImportJobs.find(j => j.arn === outputs.InteractionsImportJobArn);
  const campaign = snapshot.campaigns.find(c => c.arn === outputs.CampaignArn);
  console.log('\nData and serving (SIMULATED):');
  console.log(`  Bucket:        ${outputs.DataBucketName ?? 'n/a'}  (recorded: the upload of examples/data/ is not simulated)`);
  console.log(`  Dataset group: ${outputs.DatasetGroupArn ?? 'n/a'}`);
  console.log(`  Import:        ${outputs.InteractionsImportJobArn ?? 'n/a'}  (${job?.status ?? 'not found'})`);
  console.log(`  Campaign:      ${outputs.CampaignArn ?? 'n/a'}  (${campaign?.status ?? 'not found'})`);
  const filter = snapshot.filters.find(f => f.arn === outputs.NotPurchasedFilterArn);
  console.log(`  Filter:        ${outputs.NotPurchasedFilterArn ?? 'n/a'}  (${filter?.status ?? 'not found'}; pass it as filterArn to GetRecommendations)`);
  const tracker = snapshot.eventTrackers[0];
  console.log(`  Event tracker: ${tracker?.arn ?? 'n/a'}  (${tracker?.status ?? 'not found'}; trackingId ${outputs.EventTrackerTrackingId ?? 'n/a'} for PutEvents)`);
}

main().then(code => process.exit(code)).catch(err => {
  console.error(err);
  process.exit(1);
});
