// Machine-readable results for the grader (tools/grader): every package's jest run writes
// `reports/jest-results.json` (turbo caches `reports/**`, so an unchanged package's results are replayed).
// While the run is in progress the reporter appends one JSON line per event to `jest-results.progress.jsonl`,
// so a run that is killed (a test spinning in a synchronous loop) still tells the grader which tests finished
// and which one was running. Options: `{ outputFile }` (the grader's submission mode points it at a temp dir).
const crypto = require('node:crypto')
const fs = require('node:fs')
const path = require('node:path')
const util = require('node:util')

const SCHEMA = 'alx-jest-results/1'
const MESSAGE_LIMIT = 4000
const VALUE_LIMIT = 400

// eslint-disable-next-line no-control-regex -- ANSI escape sequences are control characters by definition
const ANSI = /\u001b\[[0-9;]*[A-Za-z]/g

function strip(text) {
  return String(text).replace(ANSI, '')
}

function cap(text, limit) {
  return text.length > limit ? `${text.slice(0, limit)}… [${text.length - limit} more characters]` : text
}

function show(value) {
  const text = typeof value === 'string' ? JSON.stringify(value) : util.inspect(value, { depth: 4, breakLength: Infinity, maxArrayLength: 20, maxStringLength: 200 })
  return cap(text, VALUE_LIMIT)
}

function versionOf(name, from) {
  try {
    return require(require.resolve(`${name}/package.json`, { paths: from })).version
  } catch {
    return null
  }
}

// What a failure was, in plain data: the raw error objects do not survive JSON.
function describeFailure(detail, message) {
  const error = detail !== null && typeof detail === 'object' ? detail : {}
  const matcherResult = error.matcherResult !== null && typeof error.matcherResult === 'object' ? error.matcherResult : null
  // Errors cross the worker boundary as plain objects, so the class name is read back from the message.
  const named = /^([A-Za-z_$][\w$]*(?:Error|Exception))(?: \[[^\]]*\])?: /.exec(strip(message ?? ''))
  const name = typeof error.name === 'string' ? error.name : named ? named[1] : null
  return {
    name,
    message: typeof error.message === 'string' ? cap(strip(error.message), MESSAGE_LIMIT) : null,
    code: typeof error.code === 'string' || typeof error.code === 'number' ? String(error.code) : null,
    matcher:
      matcherResult === null
        ? null
        : {
            name: typeof matcherResult.name === 'string' ? matcherResult.name : null,
            expected: 'expected' in matcherResult ? show(matcherResult.expected) : null,
            actual: 'actual' in matcherResult ? show(matcherResult.actual) : null,
          },
    timeout: /Exceeded timeout of [\d.]+\s*ms/.test(strip(message ?? '')),
  }
}

function serializeAssertion(result) {
  const messages = (result.failureMessages ?? []).map((m) => cap(strip(m), MESSAGE_LIMIT))
  return {
    ancestorTitles: result.ancestorTitles,
    title: result.title,
    fullName: result.fullName,
    status: result.status,
    durationMs: typeof result.duration === 'number' ? result.duration : null,
    failureMessages: messages,
    failure: messages.length > 0 ? describeFailure((result.failureDetails ?? [])[0], messages[0]) : null,
    location: result.location ?? null,
  }
}

function sha256(file) {
  try {
    return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex')
  } catch {
    return null
  }
}

class GradeReporter {
  constructor(globalConfig, options = {}) {
    this.rootDir = globalConfig.rootDir
    const fromPreset = typeof options.outputFile === 'string' ? options.outputFile : null
    // `test:unit` and `test:integration` are partial runs: give them their own file so they never clobber `test`'s.
    const event = process.env.npm_lifecycle_event
    const suffix = event !== undefined && event.startsWith('test:') ? `.${event.replace(/[^A-Za-z0-9_-]+/g, '-')}` : ''
    this.outputFile = fromPreset ?? path.join(this.rootDir, 'reports', `jest-results${suffix}.json`)
    this.progressFile = this.outputFile.replace(/\.json$/, '') + '.progress.jsonl'
    const patterns = globalConfig.testPathPatterns
    const patternList = patterns && typeof patterns === 'object' && Array.isArray(patterns.patterns) ? patterns.patterns : []
    this.header = {
      schema: SCHEMA,
      rootDir: this.rootDir,
      lifecycle: event ?? null,
      // A filtered run (a path pattern, -t, --onlyChanged) is not a whole-package result.
      filtered: patternList.length > 0 || Boolean(globalConfig.testNamePattern) || Boolean(globalConfig.onlyChanged),
      jest: versionOf('jest', [this.rootDir, __dirname]) ?? versionOf('@jest/core', [this.rootDir, __dirname]),
      node: process.version,
      pid: process.pid,
    }
    this.files = []
  }

  append(event) {
    try {
      fs.appendFileSync(this.progressFile, `${JSON.stringify(event)}\n`)
    } catch {
      // Reporting must never break the test run.
    }
  }

  relative(file) {
    return path.relative(this.rootDir, file).split(path.sep).join('/')
  }

  onRunStart() {
    this.startedAt = Date.now()
    try {
      fs.mkdirSync(path.dirname(this.outputFile), { recursive: true })
      fs.rmSync(this.outputFile, { force: true })
      fs.writeFileSync(this.progressFile, `${JSON.stringify({ type: 'start', ...this.header, startedAt: this.startedAt })}\n`)
    } catch (error) {
      this.warn(error)
    }
  }

  warn(error) {
    if (this.warned) return
    this.warned = true
    process.stderr.write(`grade-reporter: cannot write ${this.outputFile} (${error.message}); the grader will not see this run.\n`)
  }

  onTestCaseStart(test, info) {
    this.append({ type: 'case-start', file: this.relative(test.path), ancestorTitles: info.ancestorTitles, title: info.title, at: Date.now() })
  }

  onTestCaseResult(test, result) {
    this.append({ type: 'case-result', file: this.relative(test.path), result: serializeAssertion(result) })
  }

  onTestFileResult(test, testResult) {
    const file = {
      path: this.relative(testResult.testFilePath),
      sha256: sha256(testResult.testFilePath),
      durationMs: testResult.perfStats ? testResult.perfStats.end - testResult.perfStats.start : null,
      execError: testResult.testExecError
        ? { message: cap(strip(testResult.testExecError.message ?? ''), MESSAGE_LIMIT), stack: cap(strip(testResult.testExecError.stack ?? ''), MESSAGE_LIMIT) }
        : null,
      failureMessage: testResult.failureMessage ? cap(strip(testResult.failureMessage), MESSAGE_LIMIT) : null,
      tests: testResult.testResults.map(serializeAssertion),
    }
    this.files.push(file)
    this.append({ type: 'file-result', file })
  }

  /** The whole run's report: what `onRunComplete` writes (and the grader's results channel sends). */
  completeReport(results) {
    return {
      ...this.header,
      complete: true,
      startedAt: this.startedAt ?? results.startTime,
      finishedAt: Date.now(),
      success: results.success,
      numTotalTests: results.numTotalTests,
      files: this.files,
    }
  }

  onRunComplete(_contexts, results) {
    const report = this.completeReport(results)
    try {
      const tmp = `${this.outputFile}.${process.pid}.tmp`
      fs.writeFileSync(tmp, `${JSON.stringify(report, null, 2)}\n`)
      fs.renameSync(tmp, this.outputFile)
      fs.rmSync(this.progressFile, { force: true })
    } catch (error) {
      this.warn(error)
    }
  }
}

module.exports = GradeReporter
