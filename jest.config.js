// Test tiers (docs/style.md §7.1). `npm test` type-checks, builds, then runs every project;
// e2e starts the built gateway (dist/) as a child process.
// Babel is pure JavaScript: no platform binaries, so `npm ci` works against registries that
// carry only some platforms' prebuilt packages (swc's and jest 30's resolver failed there).
// TypeScript 7 has no JS compiler API, so ts-jest is not an option either. Type checking is
// `npm run typecheck`; Babel only strips types and applies the legacy decorators Nest uses.
const babel = [
  'babel-jest',
  {
    babelrc: false,
    configFile: false,
    sourceMaps: 'inline',
    presets: [['@babel/preset-typescript', { allowDeclareFields: true }]],
    plugins: [
      'babel-plugin-transform-typescript-metadata',
      ['@babel/plugin-proposal-decorators', { version: 'legacy' }],
      ['@babel/plugin-transform-class-properties', { loose: true }],
      '@babel/plugin-transform-modules-commonjs',
    ],
  },
];

const shared = {
  transform: { '^.+\\.ts$': babel },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: { '^@turnout/([a-z-]+)$': '<rootDir>/libs/$1/src' },
  testEnvironment: 'node',
  rootDir: __dirname,
};

module.exports = {
  // The process-level tiers start a built gateway (and upstreams, Redis) in their hooks; on a busy
  // 2-core machine that start alone has taken over jest's 5 s default. No test here measures time
  // with this: it only bounds how long a hung test may hang.
  testTimeout: 30_000,
  projects: [
    {
      ...shared,
      displayName: 'unit',
      testMatch: ['<rootDir>/libs/**/*.spec.ts', '<rootDir>/apps/*/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
    },
    {
      ...shared,
      displayName: 'contract',
      // One suite per provider kind (apps/gateway/test/contract): the built gateway in front of a
      // scripted server speaking that kind's wire format.
      testMatch: ['<rootDir>/libs/**/*.contract-spec.ts', '<rootDir>/apps/*/test/contract/**/*.contract-spec.ts'],
    },
    {
      ...shared,
      displayName: 'integration',
      testMatch: ['<rootDir>/**/*.int-spec.ts'],
      testPathIgnorePatterns: ['/node_modules/', '/dist/'],
    },
    {
      ...shared,
      displayName: 'e2e',
      testMatch: ['<rootDir>/apps/*/test/e2e/**/*.e2e-spec.ts'],
    },
    {
      ...shared,
      // The web console (/console) in headless Chromium (Debian's, driven by playwright-core)
      // against the built gateway, scripted upstreams and Redis; screenshots in test-artifacts/console.
      displayName: 'browser',
      testMatch: ['<rootDir>/apps/*/test/browser/**/*.browser-spec.ts'],
    },
    {
      ...shared,
      // The built gateway in front of a real llama-server (../shared/llama-server or
      // TURNOUT_LLAMA_SERVER_DIR), compared with the server answering directly; it also keeps
      // docs/compatibility.md true (test/live/llama-cpp).
      displayName: 'live',
      testMatch: ['<rootDir>/test/live/**/*.live-spec.ts'],
    },
  ],
};
