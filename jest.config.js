/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    // otplib's own dependencies (@scure/base, @noble/hashes), intl-messageformat (under i18next-icu) and openid-client (with oauth4webapi, jose) ship as ESM only.
    '^.+\\.[tj]s$': ['ts-jest', { tsconfig: { allowJs: true, isolatedModules: true }, diagnostics: false }],
  },
  transformIgnorePatterns: [
    '/node_modules/(?!(@scure|@noble|otplib|@otplib|intl-messageformat|@formatjs|openid-client|oauth4webapi|jose)/)',
  ],
  testTimeout: 30000,
};
