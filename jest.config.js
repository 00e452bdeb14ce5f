/**
 * One jest run for the whole repository: unit tests in `__tests__/` beside
 * the code, cross-service tests in `tests/`. TypeScript is transformed by swc
 * (no type checking here: `npm run typecheck` does that).
 */
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.(t|j)s$': [
      '@swc/jest',
      { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } },
    ],
  },
  testMatch: ['<rootDir>/**/__tests__/**/*.test.ts', '<rootDir>/tests/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/generated/', '/dist/'],
  modulePathIgnorePatterns: ['<rootDir>/.turbo/', '<rootDir>/dist/'],
  reporters: ['default', '<rootDir>/scripts/jest-summary-reporter.js'],
  maxWorkers: 2,
  testTimeout: 60_000,
};
