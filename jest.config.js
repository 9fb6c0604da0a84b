// Three projects: fast specs next to the code, end-to-end specs that drive the
// built processes against the machine's real Redis and Postgres, and browser specs
// that drive the cardholder app and the dashboard in headless Chromium against the same.
const swc = ['@swc/jest', { jsc: { parser: { syntax: 'typescript', decorators: true }, transform: { legacyDecorator: true, decoratorMetadata: true }, target: 'es2022', keepClassNames: true } }];
const moduleNameMapper = { '^@assent/(.*)$': '<rootDir>/libs/$1/src' };

/** @type {import('jest').Config} */
module.exports = {
  // End-to-end tests wait on real processes; jest reads this option only at the top level.
  testTimeout: 60000,
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      transform: { '^.+\\.ts$': swc },
      moduleNameMapper,
      testMatch: ['<rootDir>/{apps,libs,test/support,deploy}/**/*.spec.ts'],
    },
    {
      displayName: 'e2e',
      testEnvironment: 'node',
      transform: { '^.+\\.ts$': swc },
      moduleNameMapper,
      testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/e2e/global-setup.ts',
    },
    {
      displayName: 'browser',
      testEnvironment: 'node',
      transform: { '^.+\\.ts$': swc },
      moduleNameMapper,
      testMatch: ['<rootDir>/test/browser/**/*.browser-spec.ts'],
      globalSetup: '<rootDir>/test/e2e/global-setup.ts',
    },
  ],
};
