/**
 * Loading handler code in the host Node.js realm.
 *
 * Handlers are compiled with Node's own module loader, not with the caller's `require`: under jest
 * that keeps them out of the sandbox (whose `process.env` is a copy), and every LocalFunction gets a
 * fresh module instance, as a new Lambda container would.
 */
import * as nodeModule from 'module';
import * as path from 'path';

interface NodeModuleInstance {
  filename: string;
  paths: string[];
  loaded: boolean;
  exports: any;
  _compile(source: string, filename: string): void;
}

interface NodeModuleClass {
  new (id: string, parent: unknown): NodeModuleInstance;
  _nodeModulePaths(from: string): string[];
}

const ModuleClass: NodeModuleClass = ((nodeModule as any).Module ?? nodeModule) as NodeModuleClass;

/**
 * Compiles CommonJS `source` as if it were `filename`; `extraPaths` are searched after its own node_modules.
 * `globals` shadow global names for this module only (e.g. a `Date` on simulated time).
 */
export function compileModule(filename: string, source: string, extraPaths: string[] = [], globals: Record<string, unknown> = {}): any {
  const m = new ModuleClass(filename, null);
  m.filename = filename;
  m.paths = [...ModuleClass._nodeModulePaths(path.dirname(filename)), ...extraPaths];
  const names = Object.keys(globals);
  if (names.length > 0) {
    // On the first line (line numbers stay), inside the module's wrapper function; a leading
    // "use strict" is repeated so that the module stays strict.
    (m as any).__localDeployGlobals = globals;
    const strict = /^\s*(['"])use strict\1/.test(source) ? '"use strict";' : '';
    source = `${strict}var ${names.map(n => `${n} = module.__localDeployGlobals.${n}`).join(', ')};${source}`;
  }
  m._compile(source, filename);
  m.loaded = true;
  return m.exports;
}

/** Paths where the handlers find packages the Lambda runtime would provide (the AWS SDK v3). */
export function runtimeModulePaths(): string[] {
  return [...new Set([...ModuleClass._nodeModulePaths(process.cwd()), ...ModuleClass._nodeModulePaths(__dirname)])];
}

/** The host realm's `process` and `console` (the same objects outside jest). */
export const hostProcess: NodeJS.Process = compileModule(path.join(__dirname, '__host__.js'), 'module.exports = process;');
export const hostConsole: Console = compileModule(path.join(__dirname, '__host__.js'), 'module.exports = console;');
const hostDate: DateConstructor = compileModule(path.join(__dirname, '__host__.js'), 'module.exports = Date;');

/**
 * The host realm's `Date` on simulated time: `Date.now()` and `new Date()` read `now()`, the rest is
 * the real `Date`. Lambda code gets it, so deadlines it computes agree with the simulated services.
 */
export function simulatedDate(now: () => number): DateConstructor {
  const proxy: DateConstructor = new Proxy(hostDate, {
    construct: (target, args, newTarget) =>
      Reflect.construct(target, args.length === 0 ? [now()] : args, newTarget === proxy ? target : newTarget),
    apply: () => new hostDate(now()).toString(),
    get: (target, prop) => (prop === 'now' ? now : Reflect.get(target, prop)),
  });
  return proxy;
}
