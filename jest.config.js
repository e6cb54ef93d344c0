// Jest in ESM mode (package "type": "module"): ts-jest transpiles each file on its own
// (isolatedModules), so type errors are caught by `npm run typecheck`, not by the test run.
export default {
  // Node's environment, and a test file fails when it leaves a server, socket, timer or child process running.
  testEnvironment: '<rootDir>/test/support/no-leaks-environment.js',
  extensionsToTreatAsEsm: ['.ts'],
  resolver: 'ts-jest-resolver',
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }]
  },
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  testTimeout: 30000,
  maxWorkers: 2,
  // A worker that has run many files holds a large heap and takes ~0.4 s to exit on a quiet machine, more on
  // a busy one; Jest's default 0.5 s then reports a "failed to exit gracefully" that is not a leak (the
  // environment above checks leaks per file).
  workerGracefulExitTimeout: 5000
}
