/**
 * The fuzz tests: `npx jest -c test/fuzz/jest.fuzz.config.js` (npm run test:fuzz).
 * They throw generated requests at the real server on 127.0.0.1 with fast-check
 * for a minute or two, so they are named *.fuzz.ts and kept out of the main
 * `jest` run, which takes *.test.ts only.
 *
 * FUZZ_SEED replays a run (every file of it: the seed is chosen here, once, and
 * each worker inherits it); FUZZ_RUNS is the number of generated cases across
 * all properties (test/fuzz/fuzzing.ts shares it out).
 * @type {import('jest').Config}
 */
process.env.FUZZ_SEED ||= String(Math.floor(Math.random() * 0x7fffffff));

module.exports = {
  rootDir: '../..',
  // Node's, with the worker's own process for an unhandledRejection listener (see the file).
  testEnvironment: '<rootDir>/test/fuzz/environment.js',
  roots: ['<rootDir>/test/fuzz'],
  testMatch: ['<rootDir>/test/fuzz/**/*.fuzz.ts'],
  transform: {
    // otplib's own dependencies (@scure/base, @noble/hashes) ship as ESM only.
    '^.+\\.[tj]s$': ['ts-jest', { tsconfig: { allowJs: true, isolatedModules: true }, diagnostics: false }],
  },
  transformIgnorePatterns: ['/node_modules/(?!(@scure|@noble|otplib|@otplib|intl-messageformat|@formatjs)/)'],
  testTimeout: 600000,
};
