import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, CfnOutput, Stack } from 'aws-cdk-lib';
import { CfnDatasetGroup, CfnSchema } from 'aws-cdk-lib/aws-personalize';
import { main } from '../cli';
import { deployOffline, describeOutcome, OfflineCloud } from '../index';

// Synth-time template validation is slow and not what these tests are about.
process.env.CDK_VALIDATION = 'false';

const dirs: string[] = [];
afterAll(() => dirs.forEach(dir => fs.rmSync(dir, { recursive: true, force: true })));

/** A stack of native Personalize resources, and an output shaped like a version's tuned values. */
function synth(build: (stack: Stack) => void, env = { account: '111122223333', region: 'eu-west-1' }): string {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'offline-'));
  dirs.push(outdir);
  const app = new App({ outdir });
  build(new Stack(app, 'Shop', { env }));
  app.synth();
  return outdir;
}

const GROUP = (stack: Stack) => new CfnDatasetGroup(stack, 'Group', { name: 'shop' });
const TUNED = (stack: Stack) => new CfnOutput(stack, 'Tuned', { value: '{"bptt":"24","hidden_dimension":"112"}' }).overrideLogicalId('ForYouVersionTunedHyperParameters');

test('deployOffline deploys in the stack\'s own environment and reports outputs and what HPO chose', async () => {
  const dir = synth(stack => {
    const group = GROUP(stack);
    new CfnOutput(stack, 'GroupArn', { value: group.attrDatasetGroupArn });
    TUNED(stack);
  });
  const { result, cloud } = await deployOffline(dir);
  try {
    expect(result).toMatchObject({ stackName: 'Shop', status: 'CREATE_COMPLETE', succeeded: true, failures: [] });
    expect(result.outputs.GroupArn).toBe('arn:aws:personalize:eu-west-1:111122223333:dataset-group/shop');
    expect(result.tunedHyperParameters).toEqual({ ForYouVersion: { bptt: '24', hidden_dimension: '112' } });
    expect(describeOutcome(result)).toMatch(/^Shop: CREATE_COMPLETE after \d+ simulated minutes \(offline: Personalize is SIMULATED\)\n {2}outputs:\n {4}GroupArn = arn:aws:personalize:eu-west-1:111122223333:dataset-group\/shop\n {2}HPO chose for ForYouVersion \(SIMULATED\): bptt=24, hidden_dimension=112$/);

    const destroyed = await cloud.destroy('Shop');
    expect(destroyed).toMatchObject({ status: 'DELETE_COMPLETE', succeeded: true });
    expect(cloud.leftovers()).toEqual([]);
  } finally {
    await cloud.close();
  }
});

test('a failed deploy names each failed resource with Personalize\'s reason, and rolls back', async () => {
  // The simulator refuses a schema that is not an Avro record.
  const dir = synth(stack => {
    GROUP(stack);
    new CfnSchema(stack, 'Schema', { name: 'broken', schema: '{"type": "enum"}' });
  });
  const { result, cloud } = await deployOffline(dir);
  try {
    expect(result).toMatchObject({ status: 'ROLLBACK_COMPLETE', succeeded: false });
    expect(result.failures.map(e => e.logicalResourceId)).toContain('Schema');
    expect(describeOutcome(result)).toMatch(/failed: .*\n {2}- Schema \(AWS::Personalize::Schema\) CREATE_FAILED: .*Avro record/);
    expect(cloud.leftovers()).toEqual([]);
  } finally {
    await cloud.close();
  }
});

test('a stack in another region than the cloud\'s is refused with what to do', async () => {
  const dir = synth(GROUP);
  const cloud = await OfflineCloud.start({ region: 'us-east-1' });
  try {
    await expect(cloud.deploy(dir)).rejects.toThrow("the stack is in eu-west-1: start the offline cloud with region 'eu-west-1' and accountId '111122223333'");
  } finally {
    await cloud.close();
  }
});

describe('the command line', () => {
  const run = async (...argv: string[]) => {
    let text = '';
    const code = await main(argv, t => { text += t; });
    return { code, text };
  };

  test('deploys, prints the outcome, and with --destroy deletes the stack', async () => {
    const dir = synth(stack => { GROUP(stack); TUNED(stack); });
    const { code, text } = await run(dir, 'Shop', '--destroy');
    expect(code).toBe(0);
    expect(text).toMatch(/^Shop: CREATE_COMPLETE .*\n.*HPO chose for ForYouVersion \(SIMULATED\): bptt=24, hidden_dimension=112\nShop: DELETE_COMPLETE/);
  });

  test('exits 1 when the deploy fails, 2 on a wrong call', async () => {
    const dir = synth(stack => new CfnSchema(stack, 'Schema', { name: 'broken', schema: '{}' }));
    expect((await run(dir)).code).toBe(1);
    expect(await run()).toEqual({ code: 2, text: expect.stringContaining('usage: cdk-personalize-offline <cdk.out> [stack]') });
    expect(await run(dir, '--fast')).toEqual({ code: 2, text: expect.stringContaining('unknown option --fast') });
  });
});
