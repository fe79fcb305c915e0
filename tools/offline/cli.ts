#!/usr/bin/env node
/**
 * cdk-personalize-offline <cdk.out> [stack] [--destroy] [--verbose]
 *
 * Deploys one stack of a synthesized app offline and prints the outcome: the status, the outputs,
 * what HPO chose and, when the deploy fails, each failed resource with its reason. `--destroy`
 * then deletes the stack, as `cdk destroy` would. Exits 1 when an operation fails.
 */
import { loadStack } from '@cdk-personalize/local-deploy';
import { describeOutcome, OfflineCloud } from './index';

// The SDK's notice about Node.js versions concerns this tool's own clients, not the app under test.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const USAGE = 'usage: cdk-personalize-offline <cdk.out> [stack] [--destroy] [--verbose]';

export async function main(argv: string[], write: (text: string) => void = text => process.stdout.write(text)): Promise<number> {
  const flags = argv.filter(a => a.startsWith('--'));
  const unknown = flags.filter(f => !['--destroy', '--verbose', '--help'].includes(f));
  const [assembly, stackName, ...extra] = argv.filter(a => !a.startsWith('--'));
  if (flags.includes('--help') || !assembly || unknown.length > 0 || extra.length > 0) {
    write(`${unknown.length > 0 ? `unknown option ${unknown.join(', ')}\n` : ''}${USAGE}\n`);
    return flags.includes('--help') ? 0 : 2;
  }
  const environment = loadStack(assembly, stackName).environment;
  const cloud = await OfflineCloud.start({
    region: environment?.region,
    accountId: environment?.account,
    log: flags.includes('--verbose') ? line => write(`${line}\n`) : undefined,
  });
  try {
    const deployed = await cloud.deploy(assembly, stackName);
    write(`${describeOutcome(deployed)}\n`);
    if (!flags.includes('--destroy')) {
      return deployed.succeeded ? 0 : 1;
    }
    const destroyed = await cloud.destroy(deployed.stackName);
    write(`${describeOutcome(destroyed)}\n`);
    return deployed.succeeded && destroyed.succeeded ? 0 : 1;
  } finally {
    await cloud.close();
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(code => process.exit(code), error => {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(1);
  });
}
