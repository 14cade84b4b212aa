// Integration tests only: test/integration/**, against real databases; slower, so a longer timeout.
const { nockSetup: _n, ...shared } = require('../shared.js')

module.exports = { ...shared, testMatch: ['<rootDir>/test/integration/**/*.test.ts'], testTimeout: 60_000 }
