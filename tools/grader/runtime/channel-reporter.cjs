// The results channel of submission runs: the presets' GradeReporter, but every event (start, test started, test
// result, file result, the complete report) goes as one line `<nonce> <json>` over a file descriptor the grader
// opened for this run (it reads it until jest exits, never after), not into a file the submission could rewrite.
// The nonce is read from a file the grader deletes as soon as the reporter has read it, before any test code runs,
// so lines the submission's code writes on the same descriptor are not taken for the reporter's.
const fs = require('node:fs')
const GradeReporter = require('@alx/jest-presets/grade-reporter.js')

function send(fd, text) {
  const buffer = Buffer.from(text)
  let offset = 0
  while (offset < buffer.length) {
    try {
      offset += fs.writeSync(fd, buffer, offset)
    } catch (error) {
      if (error.code !== 'EAGAIN') return
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2)
    }
  }
}

class ChannelReporter extends GradeReporter {
  constructor(globalConfig, options = {}) {
    super(globalConfig, options)
    this.fd = options.fd
    this.nonce = fs.readFileSync(options.nonceFile, 'utf8').trim()
    fs.rmSync(options.nonceFile, { force: true })
  }

  append(event) {
    send(this.fd, `${this.nonce} ${JSON.stringify(event)}\n`)
  }

  onRunStart() {
    this.startedAt = Date.now()
    this.append({ type: 'start', ...this.header, startedAt: this.startedAt })
  }

  onRunComplete(_contexts, results) {
    this.append({ type: 'complete', report: this.completeReport(results) })
  }
}

module.exports = ChannelReporter
