// The one ts-jest setup every preset shares: transpile only (types are checked by the `typecheck` task).
const path = require('node:path')

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.tsx?$': [require.resolve('ts-jest'), { tsconfig: '<rootDir>/tsconfig.json', diagnostics: false }],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  collectCoverageFrom: ['src/**/*.ts', '!src/**/*.test.ts', '!src/**/*.d.ts'],
  coverageReporters: ['text-summary', 'json-summary', 'lcov'],
  testTimeout: 30_000,
  // The default console reporter, plus machine-readable results in reports/ for the grader (tools/grader).
  reporters: ['default', path.join(__dirname, 'grade-reporter.js')],
  nockSetup: path.join(__dirname, 'nock-setup.js'),
}
