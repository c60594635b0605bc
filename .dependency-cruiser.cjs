// The boundaries of ARCHITECTURE.md ("Boundaries"), checked by `npm run deps:check`.
// Paths are relative to the repository root; test code is *.test.ts, *.int.test.ts and apps/server/test/.

const TEST = ['\\.test\\.ts$', '^apps/server/test/'];
const MODULE = '^apps/server/src/modules/[^/]+/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'platform-not-to-modules',
      comment: 'Boundary 1: platform/ knows no hospital domain, so it never imports modules/.',
      severity: 'error',
      from: { path: '^apps/server/src/platform/' },
      to: { path: '^apps/server/src/modules/' },
    },
    {
      name: 'module-to-module-through-index',
      comment:
        "Boundary 2: a module imports another module only through that module's index.ts (its public face), " +
        'never its tables, repository, routes or services directly.',
      severity: 'error',
      from: { path: '^apps/server/src/modules/([^/]+)/' },
      to: {
        path: MODULE,
        pathNot: ['^apps/server/src/modules/$1/', '^apps/server/src/modules/[^/]+/index\\.ts$'],
      },
    },
    {
      name: 'outside-to-module-through-index',
      comment:
        'Boundary 2: code outside modules/ (app, CLI, tests) reaches a module only through its index.ts.',
      severity: 'error',
      from: { pathNot: MODULE },
      to: { path: MODULE, pathNot: '^apps/server/src/modules/[^/]+/index\\.ts$' },
    },
    {
      name: 'module-tables-private',
      comment:
        "Boundary 3: a module imports only its own *.tables.ts; another module's tables and the platform's " +
        "are read through their owner's exported functions (tests may read tables to assert what persisted).",
      severity: 'error',
      from: { path: '^apps/server/src/modules/([^/]+)/', pathNot: TEST },
      to: { path: '\\.tables\\.ts$', pathNot: '^apps/server/src/modules/$1/' },
    },
    {
      name: 'platform-tables-private',
      comment:
        "Boundary 3: the platform's *.tables.ts are imported only from platform/ (and from tests, which assert " +
        'what persisted). The app, the CLI and the modules go through platform services.',
      severity: 'error',
      from: { pathNot: ['^apps/server/src/platform/', ...TEST] },
      to: { path: '^apps/server/src/platform/.+\\.tables\\.ts$' },
    },
    {
      name: 'contracts-only-zod',
      comment: 'Boundary 4: packages/contracts depends on zod alone (it runs in the browser and the server).',
      severity: 'error',
      from: { path: '^packages/contracts/' },
      to: { pathNot: ['^packages/contracts/', '(^|/)node_modules/zod/'] },
    },
    {
      name: 'web-not-to-server',
      comment: 'Boundary 4: apps/web imports packages/contracts, never apps/server.',
      severity: 'error',
      from: { path: '^apps/web/' },
      to: { path: '^apps/server/' },
    },
    {
      name: 'no-circular',
      comment: 'Boundary 5: no import cycles.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'server-no-dev-dependencies',
      comment:
        'The server image installs production dependencies only: non-test server code may not import a ' +
        'devDependency (root or apps/server package.json).',
      severity: 'error',
      from: { path: '^apps/server/src/', pathNot: TEST },
      to: { dependencyTypes: ['npm-dev'] },
    },
    {
      name: 'server-no-undeclared-dependencies',
      comment:
        'Non-test server code imports only packages that apps/server/package.json declares (not ones that ' +
        'happen to be installed as a dependency of something else).',
      severity: 'error',
      from: { path: '^apps/server/src/', pathNot: TEST },
      to: { dependencyTypes: ['npm-no-pkg', 'npm-unknown'] },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'An import that does not resolve is a typo or a missing dependency.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['(^|/)dist/', '^apps/server/migrations/'] },
    moduleSystems: ['es6', 'cjs'],
    // Type-only imports count: a cycle or a boundary crossing through types is still a coupling.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    // Root devDependencies apply to the workspaces too (npm workspaces hoist them).
    combinedDependencies: true,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
