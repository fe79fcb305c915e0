import { JsonFile, awscdk, javascript } from 'projen';

const project = new awscdk.AwsCdkConstructLibrary({
  name: 'cdk-personalize',
  description: 'AWS CDK constructs for Amazon Personalize: solutions with typed hyperparameter optimization, trained during cdk deploy, with the tuned hyperparameters as stack outputs.',
  author: 'cdk-personalize contributors',
  authorAddress: 'maintainers@cdk-personalize.dev',
  repositoryUrl: 'https://github.com/cdk-personalize/cdk-personalize.git',
  license: 'Apache-2.0',
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  keywords: ['cdk', 'awscdk', 'aws-cdk', 'personalize', 'amazon-personalize', 'hpo', 'hyperparameter-optimization', 'machine-learning'],

  // aws-cdk-lib 2.276.0 is the first release with CfnRecommender (2.274.0 brought CfnCampaign).
  cdkVersion: '2.276.0',
  constructsVersion: '10.5.1',
  jsiiVersion: '~6.0.0',
  typescriptVersion: '~5.9.0',
  // Users: Node.js 20 or later (aws-cdk-lib's own floor is lower). The bundled handlers run on nodejs22.x in Lambda.
  minNodeVersion: '20.0.0',
  // Contributors: the local runner's Step Functions engine (aws-local-stepfunctions 3) asks for Node.js 22.
  workflowNodeVersion: '22.x',

  // Construct Hub renders these languages from the declared targets.
  publishToPypi: { distName: 'cdk-personalize', module: 'cdk_personalize' },
  publishToMaven: {
    javaPackage: 'dev.cdkpersonalize',
    mavenGroupId: 'dev.cdkpersonalize',
    mavenArtifactId: 'cdk-personalize',
  },
  publishToNuget: { dotNetNamespace: 'CdkPersonalize', packageId: 'CdkPersonalize' },
  publishToGo: { moduleName: 'github.com/cdk-personalize/cdk-personalize-go' },

  devDeps: [
    // The handlers bundle this exact client, so what the tests exercise is what runs in Lambda.
    '@aws-sdk/client-personalize@3.1138.0',
    '@aws-sdk/client-sfn@3.1138.0',
    '@aws-sdk/client-cloudformation@3.1138.0',
    'aws-sdk-client-mock@4.1.0',
    'aws-sdk-client-mock-jest@4.1.0',
    'aws-local-stepfunctions@3.0.0',
    'cdk-nag@3.0.2',
    // The real-account test's assertions (test/integ). integ-runner is not a dependency yet: its
    // newest release (2.197.10) reads cloud assembly schema 53, aws-cdk-lib 2.276 writes 55.
    '@aws-cdk/integ-tests-alpha@2.245.0-alpha.0',
    'esbuild@0.28.2',
    '@types/node@^20',
  ],

  lambdaOptions: {
    runtime: awscdk.LambdaRuntime.NODEJS_22_X,
    bundlingOptions: {
      // Bundle the SDK instead of taking the runtime's copy: the handlers send CreateSolution
      // members (performAutoTraining, eventsConfig, ...) that an older runtime SDK would drop.
      externals: [],
      sourcemap: false,
      minify: true,
    } as awscdk.LambdaFunctionOptions['bundlingOptions'],
  },
  lambdaAutoDiscover: true,

  jestOptions: {
    jestConfig: {
      setupFiles: ['<rootDir>/test/jest.setup.ts'],
      testTimeout: 60_000,
      // Every core: jest's default leaves one idle, which on CI's 2 cores runs the suite serially.
      maxWorkers: '100%',
      // Coverage makes the suite take 1.6 times as long; `npm run coverage` collects it.
      collectCoverage: false,
      coverageReporters: ['text-summary', 'lcov'],
      // Anchored: a clone inside any folder named `lib` must still run every test.
      testPathIgnorePatterns: ['<rootDir>/node_modules/', '<rootDir>/lib/', '<rootDir>/cdk.out/'],
      // The tool packages' own tests run with the library's.
      testMatch: [
        '<rootDir>/@(src|test)/**/*(*.)@(spec|test).ts?(x)',
        '<rootDir>/tools/*/test/**/*.test.ts',
      ],
    },
    extraCliOptions: ['--json', '--outputFile=test-reports/jest-results.json'],
  },

  eslintOptions: {
    dirs: ['src'],
    devdirs: ['test', 'tools', 'examples', 'benchmark', 'build-tools', 'projenrc'],
  },

  gitignore: ['cdk.out/', '/assets/', '.demo-state/', '/tools/offline/dist/'],

  githubOptions: { mergify: false },
  depsUpgrade: false,
  // commit-and-tag-version 13 and its changelog packages ask for Node.js 22; 12 runs on the Node.js 20 we support.
  bumpPackage: 'commit-and-tag-version@^12',
});

// The simulator and the local CloudFormation runner are private workspace packages: products of
// their own, with their own package.json, README and tests, run by the same `npm test`.
const TOOL_PACKAGES = [
  {
    dir: 'tools/simulator',
    name: '@cdk-personalize/simulator',
    description: 'Amazon Personalize over its JSON protocol, offline and at least as strict as the service',
    deps: {},
    devDeps: { '@aws-sdk/client-personalize': '3.1138.0' },
  },
  {
    dir: 'tools/local-deploy',
    name: '@cdk-personalize/local-deploy',
    description: 'Plays a synthesized cloud assembly like CloudFormation, offline, against the Personalize simulator',
    deps: { 'aws-local-stepfunctions': '3.0.0' },
    devDeps: {
      '@aws-sdk/client-cloudformation': '3.1138.0',
      '@aws-sdk/client-personalize': '3.1138.0',
      '@aws-sdk/client-sfn': '3.1138.0',
      '@cdk-personalize/simulator': '0.0.0',
      'aws-cdk-lib': '2.276.0',
    },
  },
];
project.package.addField('workspaces', [...TOOL_PACKAGES.map(p => p.dir), 'tools/offline']);
project.addDevDeps(...TOOL_PACKAGES.map(p => `${p.name}@0.0.0`));
for (const tool of TOOL_PACKAGES) {
  new JsonFile(project, `${tool.dir}/package.json`, {
    obj: {
      name: tool.name,
      version: '0.0.0',
      private: true,
      description: tool.description,
      license: 'Apache-2.0',
      // Run from source with ts-node and ts-jest, as the rest of the repository's tooling.
      main: 'index.ts',
      types: 'index.ts',
      scripts: { test: `cd ../.. && jest ${tool.dir}` },
      dependencies: tool.deps,
      devDependencies: tool.devDeps,
    },
  });
  new JsonFile(project, `${tool.dir}/tsconfig.json`, {
    obj: { extends: '../../test/tsconfig.json', include: ['**/*.ts'], exclude: ['node_modules'] },
  });
}

for (const pattern of ['/tools/', '/examples/', '/benchmark/', '/build-tools/', '/.ci/', 'cdk.out/', '*.lambda.js', '*.lambda.d.ts', '/test-reports/']) {
  project.addPackageIgnore(pattern);
}

// Handlers bundle the SDK at build time, so it is a devDependency they may import.
project.eslint?.allowDevDeps('src/handlers/**');
project.eslint?.addIgnorePattern('tools/offline/dist/');

// Tooling outside src/ and test/ (simulator, local deploy, example app, benchmark) type-checks and
// lints with the test settings.
for (const dir of ['tools', 'examples', 'benchmark', 'build-tools']) {
  new JsonFile(project, `${dir}/tsconfig.json`, {
    obj: { extends: '../test/tsconfig.json', include: ['**/*.ts'], exclude: ['node_modules'] },
  });
}

// jsii's reserved-word warnings stay on (projen silences them); names reserved in Java or Python,
// and parameters reserved in Go or .NET, which jsii would rename, fail the build. (jsii also warns
// about properties named type or range for Go, which exports them capitalized, as Type and Range.)
project.compileTask.reset('jsii');
project.compileTask.exec('ts-node --transpile-only --project build-tools/tsconfig.json build-tools/jsii-names.ts .jsii');

// Bundled handlers must exist before any test synthesizes a stack that references them, and before
// any package is made: a package without them would synthesize stacks whose functions have no code.
const bundle = project.tasks.tryFind('bundle');
if (bundle) {
  project.testTask.prependSpawn(bundle);
  for (const task of project.tasks.all.filter(t => /^package:(js|java|python|dotnet|go)$/.test(t.name))) {
    task.prependSpawn(bundle);
  }
}
project.tasks.tryFind('package:js')?.exec('ts-node --transpile-only --project build-tools/tsconfig.json build-tools/check-package.ts dist/js');

// Offline testing of a user's app: the simulator and the runner behind an API for tests and a
// command line, installable from the tarball `package:offline` makes (bundled: it has one dependency).
new JsonFile(project, 'tools/offline/package.json', {
  obj: {
    name: '@cdk-personalize/offline',
    version: '0.0.0',
    private: true,
    description: 'Deploy your cdk-personalize app offline, in simulated time: a command line and a helper for tests',
    license: 'Apache-2.0',
    main: 'dist/index.js',
    types: 'dist/index.d.ts',
    bin: { 'cdk-personalize-offline': 'dist/cli.js' },
    files: ['dist', 'README.md'],
    engines: { node: '>= 20.0.0' },
    scripts: { test: 'cd ../.. && jest tools/offline' },
    dependencies: { 'aws-local-stepfunctions': '3.0.0' },
    devDependencies: { '@cdk-personalize/local-deploy': '0.0.0', '@cdk-personalize/simulator': '0.0.0', 'aws-cdk-lib': '2.276.0' },
  },
});
new JsonFile(project, 'tools/offline/tsconfig.json', {
  obj: { extends: '../../test/tsconfig.json', include: ['**/*.ts'], exclude: ['node_modules', 'dist'] },
});
project.addTask('package:offline', {
  description: 'Make the installable @cdk-personalize/offline tarball in dist/offline',
  exec: 'ts-node --transpile-only --project build-tools/tsconfig.json build-tools/package-offline.ts',
});

// What callers without a type checker are checked against: the props interfaces' members and kinds.
project.addTask('props-shapes', {
  description: 'Write src/private/props-shapes.ts from the props interfaces in src/ (a test fails when it is out of date)',
  exec: 'ts-node --transpile-only --project build-tools/tsconfig.json build-tools/props-shapes.ts',
});

project.addTask('check:install', {
  description: 'Install the packed tarball into a fresh app, as a user would, and synthesize a solution there (needs the npm registry; not part of npm test)',
  steps: [
    { spawn: 'package:js' },
    { spawn: 'package:offline' },
    { exec: 'ts-node --transpile-only --project build-tools/tsconfig.json build-tools/check-install.ts dist/js dist/offline' },
  ],
});

// aws-cdk-lib has removed L1 types before (CfnDataDeletionJob and CfnRecipe: added in 2.262, gone in
// 2.268), and every L1 this library wraps is newer. Run before a release and when a new aws-cdk-lib
// is out; not in CI, whose runs must not change with what the registry serves.
project.addTask('check:newest-cdk', {
  description: 'Synthesize the example app and the README examples against the newest aws-cdk-lib, then restore the locked one',
  steps: [
    { spawn: 'bundle' },
    { exec: 'npm install --no-save --no-audit --no-fund aws-cdk-lib@latest' },
    { exec: 'node -e "console.log(\'aws-cdk-lib\', require(\'aws-cdk-lib/package.json\').version)"' },
    // The locked aws-cdk-lib comes back whether or not the tests pass.
    { exec: 'jest test/readme.test.ts test/examples test/integ-app.test.ts; status=$?; npm ci --no-audit --no-fund && exit $status' },
  ],
});

project.addTask('coverage', {
  description: 'Run every test with a coverage report (npm test runs them without, for speed)',
  steps: [{ spawn: 'bundle' }, { exec: 'jest --coverage' }],
});

project.addTask('integ:snapshot', {
  description: 'Write the real-account tests\' snapshots anew (test/integ/*.snapshot); review the diff before committing',
  steps: [
    { spawn: 'bundle' },
    { exec: 'ts-node --transpile-only --project test/tsconfig.json test/integ/snapshot.ts' },
  ],
});

project.addTask('demo', {
  description: 'Synthesize the example app and deploy it to the embedded Personalize simulator',
  steps: [
    { spawn: 'bundle' },
    { exec: 'ts-node --transpile-only --project tools/tsconfig.json tools/demo.ts' },
  ],
});

project.addTask('benchmark', {
  description: 'Measure synth, template size, polling, the offline deploy and the handler bundles against baselines in the same run; writes benchmark/results.json and README\'s Measurements',
  steps: [
    { spawn: 'bundle' },
    { exec: 'ts-node --transpile-only --project tools/tsconfig.json benchmark/run.ts' },
  ],
});

project.synth();
