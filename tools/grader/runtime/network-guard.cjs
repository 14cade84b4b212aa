// Grading runs offline: every socket connection to a non-loopback address fails with ERR_GRADER_NETWORK_BLOCKED.
// Patching net.Socket#connect covers http, https, fetch (undici), database drivers and raw sockets alike; nock
// intercepts above the socket, so mocked requests are unaffected. Loopback stays open for local servers and MariaDB.
// The grader's generated setup file calls install(logFile) in every test file's sandbox: the wrapper is re-created
// around the original connect each time, so it always reports the test that is running now. Each blocked attempt is
// appended to logFile, because the error a test finally shows ("fetch failed") often hides the cause.
const fs = require('node:fs')
const net = require('node:net')

const ORIGINAL = Symbol.for('alx.grader.originalConnect')

function isLoopback(host) {
  if (host === undefined || host === null || host === '') return true // net defaults to localhost
  const name = String(host).replace(/^\[|\]$/g, '').toLowerCase()
  return name === 'localhost' || name === '::1' || name === '0:0:0:0:0:0:0:1' || /^(::ffff:)?127\.\d+\.\d+\.\d+$/.test(name)
}

function targetOf(args) {
  let first = args[0]
  if (Array.isArray(first)) first = first[0] // net.connect() passes its normalized [options, callback]
  if (first !== null && typeof first === 'object') return { host: first.host, port: first.port, path: first.path }
  if (typeof first === 'string' && Number.isNaN(Number(first))) return { path: first }
  return { host: typeof args[1] === 'string' ? args[1] : undefined, port: first }
}

function currentTest() {
  try {
    const state = typeof expect === 'function' ? expect.getState() : {}
    return { file: state.testPath ?? null, name: state.currentTestName ?? null }
  } catch {
    return { file: null, name: null }
  }
}

function install(logFile) {
  const proto = net.Socket.prototype
  if (proto[ORIGINAL] === undefined) Object.defineProperty(proto, ORIGINAL, { value: proto.connect })
  const connect = proto[ORIGINAL]
  proto.connect = function guardedConnect(...args) {
    const target = targetOf(args)
    if (target.path !== undefined || isLoopback(target.host)) return connect.apply(this, args)
    const message = `Network access is blocked by the grader: the code tried to connect to ${target.host}:${target.port}. Tests run offline; only loopback (127.0.0.1, localhost) is allowed.`
    if (logFile) {
      try {
        fs.appendFileSync(logFile, `${JSON.stringify({ ...currentTest(), message })}\n`)
      } catch {
        // The log only sharpens the message; blocking is what matters.
      }
    }
    const error = new Error(message)
    error.code = 'ERR_GRADER_NETWORK_BLOCKED'
    process.nextTick(() => this.destroy(error))
    return this
  }
}

module.exports = { install }
