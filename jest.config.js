// Four projects: fast specs next to the code; end-to-end specs that drive the
// built processes against the machine's real Redis and Postgres; browser specs that
// drive the cardholder app and the dashboard in headless Chromium against the same;
// and the fault suite (npm run test:faults), which breaks what they depend on while they run.
const swc = ['@swc/jest', { jsc: { parser: { syntax: 'typescript', decorators: true }, transform: { legacyDecorator: true, decoratorMetadata: true }, target: 'es2022', keepClassNames: true } }];

const project = (displayName, testMatch, extra = {}) => ({
  displayName,
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': swc },
  moduleNameMapper: { '^@assent/(.*)$': '<rootDir>/libs/$1/src' },
  testMatch,
  ...extra,
});
const withDatabase = { globalSetup: '<rootDir>/test/e2e/global-setup.ts' };

/** @type {import('jest').Config} */
module.exports = {
  // End-to-end tests wait on real processes; jest reads this option only at the top level.
  testTimeout: 60000,
  projects: [
    project('unit', ['<rootDir>/{apps,libs,test/support,deploy}/**/*.spec.ts']),
    project('e2e', ['<rootDir>/test/e2e/**/*.e2e-spec.ts'], withDatabase),
    project('faults', ['<rootDir>/test/faults/**/*.fault-spec.ts'], withDatabase),
    project('browser', ['<rootDir>/test/browser/**/*.browser-spec.ts'], withDatabase),
  ],
};
