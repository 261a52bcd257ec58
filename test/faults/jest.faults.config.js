/**
 * The fault tests: `npx jest -c test/faults/jest.faults.config.js` (npm run test:faults).
 * Faults injected against the real parts (a fault proxy in front of a local Cosmos DB server,
 * a SQLite file locked or full, the Twilio and SMTP doubles failing or hanging, the channel's
 * connector failing, the bot killed with SIGKILL under load); named *.faults.ts and kept out of
 * the main `jest` run, which takes *.test.ts only. One file at a time: several start bots.
 * @type {import('jest').Config}
 */
module.exports = {
  rootDir: '../..',
  testEnvironment: 'node',
  roots: ['<rootDir>/test/faults'],
  testMatch: ['<rootDir>/test/faults/**/*.faults.ts'],
  transform: {
    // otplib's own dependencies (@scure/base, @noble/hashes) ship as ESM only.
    '^.+\\.[tj]s$': ['ts-jest', { tsconfig: { allowJs: true, isolatedModules: true }, diagnostics: false }],
  },
  transformIgnorePatterns: ['/node_modules/(?!(@scure|@noble|otplib|@otplib|intl-messageformat|@formatjs)/)'],
  testTimeout: 120000,
  maxWorkers: 1,
};
