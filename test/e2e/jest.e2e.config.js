/**
 * The browser tests: `npx jest -c test/e2e/jest.e2e.config.js` (npm run test:e2e).
 * They drive Microsoft 365 Agents Playground in Chromium (CHROMIUM_PATH, default /usr/bin/chromium),
 * so they are named *.e2e.ts and kept out of the main `jest` run, which takes *.test.ts only.
 * @type {import('jest').Config}
 */
module.exports = {
  rootDir: '../..',
  testEnvironment: 'node',
  roots: ['<rootDir>/test/e2e'],
  testMatch: ['<rootDir>/test/e2e/**/*.e2e.ts'],
  transform: {
    // otplib's own dependencies (@scure/base, @noble/hashes), intl-messageformat (under i18next-icu) and openid-client (with oauth4webapi, jose) ship as ESM only.
    '^.+\\.[tj]s$': ['ts-jest', { tsconfig: { allowJs: true, isolatedModules: true }, diagnostics: false }],
  },
  transformIgnorePatterns: [
    '/node_modules/(?!(@scure|@noble|otplib|@otplib|intl-messageformat|@formatjs|openid-client|oauth4webapi|jose)/)',
  ],
  testTimeout: 180000,
  maxWorkers: 1,
};
