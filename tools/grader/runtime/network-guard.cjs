// Grading runs offline: every socket connection to a non-loopback address fails with ERR_GRADER_NETWORK_BLOCKED.
// Patching net.Socket#connect covers http, https, fetch (undici), database drivers and raw sockets alike; nock
// intercepts above the socket, so mocked requests are unaffected. Loopback stays open for local servers and MariaDB.
const net = require('node:net')

const GUARD = Symbol.for('alx.grader.networkGuard')

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

if (net.Socket.prototype[GUARD] !== true) {
  const connect = net.Socket.prototype.connect
  net.Socket.prototype.connect = function guardedConnect(...args) {
    const target = targetOf(args)
    if (target.path === undefined && !isLoopback(target.host)) {
      const error = new Error(
        `Network access is blocked by the grader: the code tried to connect to ${target.host}:${target.port}. Tests run offline; only loopback (127.0.0.1, localhost) is allowed.`,
      )
      error.code = 'ERR_GRADER_NETWORK_BLOCKED'
      process.nextTick(() => this.destroy(error))
      return this
    }
    return connect.apply(this, args)
  }
  Object.defineProperty(net.Socket.prototype, GUARD, { value: true })
}
