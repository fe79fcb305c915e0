/**
 * Command line: deploy one stack of a cloud assembly locally.
 *
 *   ts-node --transpile-only --project tsconfig.dev.json tools/local-deploy/cli.ts <assembly-dir> [stack]
 *     [--personalize-endpoint <url>] [--lambda-logs] [--destroy]
 *
 * `--destroy` deploys and then destroys the stack. Exits non-zero when the deploy did not complete.
 */
import { LocalCloudFormation } from './engine/engine';

async function main(argv: string[]): Promise<number> {
  const flags = new Set(argv.filter(a => a.startsWith('--') && !a.includes('=')));
  const valueOf = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const personalizeEndpoint = valueOf('--personalize-endpoint');
  const positional = argv.filter((a, i) => !a.startsWith('--') && argv[i - 1] !== '--personalize-endpoint');
  const [assembly, stackName] = positional;
  if (!assembly) {
    process.stderr.write('usage: cli.ts <assembly-dir> [stack] [--personalize-endpoint <url>] [--lambda-logs] [--destroy]\n');
    return 2;
  }
  const cfn = new LocalCloudFormation({ personalizeEndpoint, printLambdaLogs: flags.has('--lambda-logs') });
  try {
    const result = await cfn.deploy(assembly, stackName);
    const ok = result.status === 'CREATE_COMPLETE' || result.status === 'UPDATE_COMPLETE' || result.noChanges === true;
    if (flags.has('--destroy') && cfn.describeStack(result.stackName)) await cfn.destroy(result.stackName);
    return ok ? 0 : 1;
  } finally {
    await cfn.close();
  }
}

main(process.argv.slice(2)).then(code => process.exit(code), error => {
  process.stderr.write(`${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
