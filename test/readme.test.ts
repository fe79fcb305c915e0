import * as fs from 'fs';
import * as path from 'path';
import * as cdk from 'aws-cdk-lib';
import * as ts from 'typescript';
import { README_FILE, readmeWithTable, readResults } from '../benchmark/report';

/** Every TypeScript example in README.md compiles against the library's source. */
describe('README examples', () => {
  const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf-8');
  const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map(m => m[1]);

  test('there are examples', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(3);
  });

  test('each example type-checks', () => {
    expect(typeCheck(blocks, 'example', ['node'])).toEqual([]);
  });

  test('each example synthesizes without warnings', () => {
    const src = path.join(__dirname, '..', 'src');
    const problems: string[] = [];
    blocks.forEach((code, i) => {
      const apps: cdk.App[] = [];
      const compilerOptions = { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true };
      const js = ts.transpileModule(code, { compilerOptions }).outputText;
      // The example's own App: recorded, so that each is synthesized below.
      const RecordingApp = class extends cdk.App {
        constructor(props?: cdk.AppProps) {
          super(props);
          apps.push(this);
        }
      };
      const load = (name: string): unknown => {
        if (name === 'cdk-personalize') return jest.requireActual(src);
        if (name === 'aws-cdk-lib') return { ...cdk, App: RecordingApp };
        return jest.requireActual(name);
      };
      new Function('require', 'exports', js)(load, {});
      for (const app of apps) {
        for (const stack of app.synth().stacks) {
          stack.messages.filter(m => m.level !== 'info').forEach(m => problems.push(`example ${i} ${m.id} (${m.level}): ${String(m.entry.data)}`));
        }
      }
    });
    expect(problems).toEqual([]);
  });

  // Examples of tests (fenced `ts test`): type-checked with jest's globals, against the sources of
  // the library and of @cdk-personalize/offline; a test runner, not synth, runs them.
  test('each test example type-checks', () => {
    const tests = [...readme.matchAll(/```ts test\n([\s\S]*?)```/g)].map(m => m[1]);
    expect(tests.length).toBeGreaterThanOrEqual(1);
    expect(typeCheck(tests, 'test-example', ['node', 'jest'])).toEqual([]);
  });
});

/** Package names the examples import, and the sources they are checked against. */
const SOURCES: Record<string, string> = {
  'cdk-personalize': path.join(__dirname, '..', 'src', 'index'),
  '@cdk-personalize/offline': path.join(__dirname, '..', 'tools', 'offline', 'index'),
};

/** Type-checks each code block as a file of its own; returns the diagnostics. */
function typeCheck(blocks: string[], prefix: string, types: string[]): string[] {
  // Inside the project, so the examples resolve aws-cdk-lib from its node_modules.
  const dir = path.join(__dirname, '..', 'test-reports', 'readme-examples');
  fs.mkdirSync(dir, { recursive: true });
  const files = blocks.map((code, i) => {
    const file = path.join(dir, `${prefix}${i}.ts`);
    let text = code;
    for (const [name, source] of Object.entries(SOURCES)) {
      text = text.split(`from '${name}'`).join(`from ${JSON.stringify(source)}`);
    }
    fs.writeFileSync(file, `${text}\nexport {};\n`);
    return file;
  });
  const program = ts.createProgram(files, {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    esModuleInterop: true,
    skipLibCheck: true,
    noUnusedLocals: false,
    types,
    typeRoots: [path.join(__dirname, '..', 'node_modules', '@types')],
  });
  return ts.getPreEmitDiagnostics(program)
    .filter(d => d.file && files.includes(path.resolve(d.file.fileName)))
    .map(d => `${path.basename(d.file!.fileName)}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
}

describe('README Measurements', () => {
  test('the table is the one benchmark/results.json gives (npm run benchmark regenerates both)', () => {
    const readme = fs.readFileSync(README_FILE, 'utf-8');
    expect(readmeWithTable(readme, readResults())).toBe(readme);
  });

  test('the results hold every figure issue 10 asks for, each with its baseline', () => {
    const names = Object.keys(readResults());
    for (const n of ['1 solution', '10 solutions', '50 solutions']) {
      expect(names).toContainEqual(expect.stringContaining(`synth, ${n} with versions`));
    }
    for (const length of ['20 min', '1 h', '3 h', '11 h']) {
      for (const kind of ['first training', 'retrain']) {
        for (const what of ['calls per hour', 'worst delay', 'median delay']) {
          expect(names).toContainEqual(expect.stringContaining(`polling a ${length} ${kind}: ${what}`));
        }
      }
    }
    for (const app of ['the example app', 'an app with a 2-hour import and a batch job']) {
      expect(names).toContainEqual(expect.stringContaining(`offline deploy of ${app}: simulated deploy time (Personalize's own critical path`));
      expect(names).toContainEqual(expect.stringContaining(`offline deploy of ${app}: waits beyond the critical path, per long job`));
    }
    expect(names).toContainEqual(expect.stringContaining('cold load'));
    for (const f of Object.values(readResults())) {
      const ratio = f.baseline === 0 ? null : expect.any(Number);
      expect(f).toEqual({ value: expect.any(Number), baseline: expect.any(Number), ratio, unit: expect.any(String) });
    }
  });
});
