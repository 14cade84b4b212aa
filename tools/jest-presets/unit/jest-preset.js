// Unit tests only: the `*.test.ts` files beside the code in src/.
const { nockSetup: _n, ...shared } = require('../shared.js')

module.exports = { ...shared, testMatch: ['<rootDir>/src/**/*.test.ts'] }
