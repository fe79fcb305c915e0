import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import type { ExternalClock, StackEvent } from '..';

// Synth-time template validation is slow and not what these tests are about.
process.env.CDK_VALIDATION = 'false';

export const FIXTURES = path.join(__dirname, 'fixtures');

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
}

/** Synthesizes one stack into a fresh directory and returns the directory. */
export function synth(stackName: string, build: (stack: Stack) => void): string {
  const outdir = tempDir('ld-assembly');
  const app = new App({ outdir });
  build(new Stack(app, stackName));
  app.synth();
  return outdir;
}

/** Writes a hand-made template as a minimal cloud assembly. */
export function writeAssembly(stackName: string, template: object): string {
  const dir = tempDir('ld-raw');
  fs.writeFileSync(path.join(dir, `${stackName}.template.json`), JSON.stringify(template));
  fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({
    version: '36.0.0',
    artifacts: { [stackName]: { type: 'aws:cloudformation:stack', properties: { templateFile: `${stackName}.template.json` } } },
  }));
  return dir;
}

/** A clock like the simulator's: records every advance. */
export class FakeClock implements ExternalClock {
  public readonly advances: number[] = [];
  private time = Date.UTC(2025, 5, 1);

  public advance(ms: number): void {
    this.advances.push(ms);
    this.time += ms;
  }

  public now(): number {
    return this.time;
  }

  public get total(): number {
    return this.advances.reduce((a, b) => a + b, 0);
  }
}

/** Collects printed lines. */
export function collector(): { lines: string[]; log: (line: string) => void } {
  const lines: string[] = [];
  return { lines, log: line => lines.push(line) };
}

/** `logicalId STATUS` pairs of resource events (stack events left out), for order assertions. */
export function trail(events: StackEvent[], filter?: (e: StackEvent) => boolean): string[] {
  return events
    .filter(e => e.resourceType !== 'AWS::CloudFormation::Stack' && (!filter || filter(e)))
    .map(e => `${e.logicalResourceId} ${e.resourceStatus}`);
}
