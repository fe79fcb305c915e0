import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

/**
 * The shape of src/ and tools/ (see the architecture notes): no import cycles, no file over 400
 * lines, and the arrows pointing one way: the private core never imports a public module, the
 * handlers only the core's contract and specs, the local runner's layers only downwards, and
 * nothing in src/ imports the tools.
 */

const ROOT = path.join(__dirname, '..');
const SRC = path.join(ROOT, 'src');
const TOOLS = path.join(ROOT, 'tools');
const MAX_LINES = 400;

/** TypeScript sources under `dir`, without tests, fixtures and dependencies. */
function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return ['node_modules', 'test', 'fixtures'].includes(entry.name) ? [] : sourceFiles(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

/** Relative imports (type-only ones too) of a file, resolved to files under src/. */
function importsOf(file: string): string[] {
  const info = ts.preProcessFile(fs.readFileSync(file, 'utf-8'), true, true);
  return info.importedFiles
    .map((ref) => ref.fileName)
    .filter((name) => name.startsWith('.'))
    .map((name) => {
      const base = path.resolve(path.dirname(file), name);
      return [`${base}.ts`, path.join(base, 'index.ts')].find((candidate) => fs.existsSync(candidate)) ?? base;
    });
}

const files = sourceFiles(SRC);
const toolFiles = sourceFiles(TOOLS);
const graph = new Map([...files, ...toolFiles].map((file) => [file, importsOf(file)]));
const rel = (file: string) => path.relative(SRC, file);

function cyclesIn(sources: string[]): string[] {
  const cycles: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const visit = (file: string, trail: string[]) => {
    if (state.get(file) === 'done') return;
    if (state.get(file) === 'open') {
      cycles.push([...trail.slice(trail.indexOf(file)), file].map((f) => path.relative(ROOT, f)).join(' > '));
      return;
    }
    state.set(file, 'open');
    for (const next of graph.get(file) ?? []) visit(next, [...trail, file]);
    state.set(file, 'done');
  };
  sources.forEach((file) => visit(file, []));
  return cycles;
}

test('src/ has no import cycle', () => {
  expect(cyclesIn(files)).toEqual([]);
});

test('tools/ has no import cycle', () => {
  expect(toolFiles.length).toBeGreaterThan(40);
  expect(cyclesIn(toolFiles)).toEqual([]);
});

test(`no file in src/ or tools/ has more than ${MAX_LINES} lines`, () => {
  const long = [...files, ...toolFiles]
    .map((file) => ({ file: path.relative(ROOT, file), lines: fs.readFileSync(file, 'utf-8').split('\n').length - 1 }))
    .filter(({ lines }) => lines > MAX_LINES);
  expect(long).toEqual([]);
});

/**
 * The local runner's layers, bottom up: the protocol (CloudFormation's wire types and the narrow
 * interfaces of the runner's services), the services, the resource simulators (which see the
 * services only through the protocol), the engine; its entry points (index.ts, cli.ts) on top.
 */
const RUNNER = path.join(TOOLS, 'local-deploy');
const RUNNER_LAYERS: Record<string, readonly string[]> = {
  protocol: ['protocol'],
  services: ['protocol', 'services'],
  resources: ['protocol', 'resources'],
  engine: ['protocol', 'services', 'resources', 'engine'],
};

test('the local runner\'s layers import only downwards', () => {
  const sources = toolFiles.filter((file) => file.startsWith(RUNNER + path.sep));
  const layerOf = (file: string) => path.relative(RUNNER, file).split(path.sep).slice(0, -1)[0] ?? 'entry';
  expect([...new Set(sources.map(layerOf))].sort()).toEqual(['engine', 'entry', 'protocol', 'resources', 'services']);
  const wrong = sources.filter((file) => layerOf(file) !== 'entry').flatMap((file) => graph.get(file)!
    .filter((target) => target.startsWith(RUNNER + path.sep) && !RUNNER_LAYERS[layerOf(file)].includes(layerOf(target)))
    .map((target) => `${path.relative(RUNNER, file)} > ${path.relative(RUNNER, target)}`));
  expect(wrong).toEqual([]);
});

test('the private core never imports a public module', () => {
  const backEdges = files
    .filter((file) => rel(file).startsWith(`private${path.sep}`))
    .flatMap((file) => graph.get(file)!.filter((target) => path.dirname(target) === SRC).map((target) => `${rel(file)} > ${rel(target)}`));
  expect(backEdges).toEqual([]);
});

const HANDLERS = path.join(SRC, 'handlers');
const underHandlers = (file: string) => file.startsWith(HANDLERS + path.sep);
/** What Lambda bundles: every module under handlers/ but the generated function constructs. */
const bundledSources = files.filter((file) => underHandlers(file) && !file.endsWith('-function.ts'));

test('handlers import only each other and the core\'s contract, specs and result budget', () => {
  const allowed = new Set(['contract.ts', 'solution-spec.ts', 'solution-version-spec.ts', 'result-budget.ts'].map((name) => path.join(SRC, 'private', name)));
  const wrong = bundledSources
    .flatMap((file) => graph.get(file)!.filter((target) => !underHandlers(target) && !allowed.has(target))
      .map((target) => `${rel(file)} > ${rel(target)}`));
  expect(wrong).toEqual([]);
});

/**
 * The handler layers, bottom up: the provider protocol and its skeleton, the AWS clients, then the
 * resource handlers and the training poller (neither imports the other), then the Lambda entry
 * points at the top of handlers/. A layer imports only its own and the ones below.
 */
const HANDLER_LAYERS: Record<string, readonly string[]> = {
  framework: ['framework'],
  aws: ['framework', 'aws'],
  resources: ['framework', 'aws', 'resources'],
  poller: ['framework', 'aws', 'poller'],
};

test('handler layers import only downwards', () => {
  const layerOf = (file: string) => path.relative(HANDLERS, file).split(path.sep).slice(0, -1)[0] ?? 'entry';
  const layers = new Set(bundledSources.map(layerOf));
  expect([...layers].sort()).toEqual(['aws', 'entry', 'framework', 'poller', 'resources']);
  const wrong = bundledSources.filter((file) => layerOf(file) !== 'entry').flatMap((file) => graph.get(file)!
    .filter((target) => underHandlers(target) && !HANDLER_LAYERS[layerOf(file)].includes(layerOf(target)))
    .map((target) => `${rel(file)} > ${rel(target)}`));
  expect(wrong).toEqual([]);
});

test('the modules the handlers bundle import neither aws-cdk-lib nor constructs', () => {
  const bundled = new Set(bundledSources.flatMap((file) => [file, ...graph.get(file)!]));
  const offenders = [...bundled].filter((file) => ts.preProcessFile(fs.readFileSync(file, 'utf-8'), true, true).importedFiles
    .some((ref) => /^(aws-cdk-lib|constructs)(\/|$)/.test(ref.fileName))).map(rel);
  expect(offenders).toEqual([]);
});

test('nothing in src/ imports the simulator, the local runner or other tools', () => {
  const wrong = files.flatMap((file) => graph.get(file)!.filter((target) => !target.startsWith(SRC)).map((target) => `${rel(file)} > ${target}`));
  expect(wrong).toEqual([]);
});
