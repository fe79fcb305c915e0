import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

/** Every TypeScript example in README.md compiles against the library's source. */
describe('README examples', () => {
  const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf-8');
  const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map(m => m[1]);

  test('there are examples', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(3);
  });

  test('each example type-checks', () => {
    // Inside the project, so the examples resolve aws-cdk-lib from its node_modules.
    const dir = path.join(__dirname, '..', 'test-reports', 'readme-examples');
    fs.mkdirSync(dir, { recursive: true });
    const src = path.join(__dirname, '..', 'src', 'index.ts');
    const files = blocks.map((code, i) => {
      const file = path.join(dir, `example${i}.ts`);
      fs.writeFileSync(file, `${code.replace(/from 'cdk-personalize'/g, `from ${JSON.stringify(src.replace(/\.ts$/, ''))}`)}\nexport {};\n`);
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
      types: ['node'],
      typeRoots: [path.join(__dirname, '..', 'node_modules', '@types')],
    });
    const diagnostics = ts.getPreEmitDiagnostics(program)
      .filter(d => d.file && files.includes(path.resolve(d.file.fileName)))
      .map(d => `${path.basename(d.file!.fileName)}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
    expect(diagnostics).toEqual([]);
  });
});
