// jest reporter for mutation grading: one JSON line per finished test file (its tests' titles, status and
// failures), appended as each file ends, so a run killed half-way still says which files (mutants) finished.
const fs = require('node:fs')

class MutationReporter {
  constructor(_globalConfig, options) {
    this.outputFile = options.outputFile
    fs.writeFileSync(this.outputFile, '')
  }

  onTestResult(_test, result) {
    const line = {
      file: result.testFilePath,
      execError: result.testExecError ? String(result.testExecError.message || result.testExecError).slice(0, 4000) : null,
      tests: result.testResults.map((test) => ({
        titles: test.ancestorTitles,
        title: test.title,
        status: test.status,
        failure: test.failureMessages.join('\n').slice(0, 4000) || null,
        duration: test.duration ?? null,
      })),
    }
    fs.appendFileSync(this.outputFile, `${JSON.stringify(line)}\n`)
  }
}

module.exports = MutationReporter
