// HTTP code: like `node`, plus nock with real network disabled (loopback allowed) in every test file.
const { nockSetup, ...shared } = require('../shared.js')

module.exports = {
  ...shared,
  testMatch: ['<rootDir>/src/**/*.test.ts', '<rootDir>/test/**/*.test.ts'],
  setupFilesAfterEnv: [nockSetup],
}
