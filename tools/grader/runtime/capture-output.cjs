// Per-test console output for grade.json's `output` (Exercism's "what the learner printed"). The grader writes a
// wrapper that calls this with a JSON-lines file; after each test, what it printed is appended there.
const fs = require('node:fs')
const util = require('node:util')

const LIMIT = 2000

module.exports = function captureOutput(outputFile) {
  let buffer = ''
  for (const method of ['log', 'info', 'warn', 'error', 'debug']) {
    const original = console[method]
    console[method] = function captured(...args) {
      if (buffer.length < LIMIT) {
        try {
          buffer += `${util.format(...args)}\n`
        } catch {
          // An unprintable value is not worth failing the test for.
        }
      }
      return original.apply(this, args)
    }
  }
  beforeEach(() => {
    buffer = ''
  })
  afterEach(() => {
    if (buffer === '') return
    const state = expect.getState()
    fs.appendFileSync(outputFile, `${JSON.stringify({ file: state.testPath, name: state.currentTestName, output: buffer.slice(0, LIMIT) })}\n`)
    buffer = ''
  })
}
