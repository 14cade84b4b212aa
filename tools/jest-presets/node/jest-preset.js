// Unit tests beside the code and integration tests under test/: `"jest": { "preset": "@alx/jest-presets/node" }`.
const { nockSetup: _n, ...shared } = require('../shared.js')

module.exports = { ...shared, testMatch: ['<rootDir>/src/**/*.test.ts', '<rootDir>/test/**/*.test.ts'] }
