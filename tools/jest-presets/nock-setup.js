// HTTP preset: no test may reach the real network; loopback stays open for app.inject()/local servers.
const nock = require('nock')

beforeAll(() => {
  nock.disableNetConnect()
  nock.enableNetConnect(/^(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/)
})
afterEach(() => {
  nock.cleanAll()
})
afterAll(() => {
  nock.enableNetConnect()
  nock.restore()
})
