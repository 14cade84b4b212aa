// `pnpm bench`: autocannon (127.0.0.1 only) against the authenticated messages page and conversations
// list, beside a bare Fastify route with a same-size body, in alternating rounds; medians are compared
// with the bars and the process exits non-zero when one is missed.
import { spawn } from 'node:child_process'
import path from 'node:path'
import { createInterface } from 'node:readline'
import autocannon from 'autocannon'

const CONNECTIONS = 32
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3)
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5)
const BARS = { messagesRps: 3000, messagesP99: 50, listRps: 2000 }

interface Ready {
  appUrl: string
  uncachedUrl: string
  bareUrl: string
  messagesPath: string
  listPath: string
  authorization: string
  bodyBytes: number
}

interface Figures {
  rps: number
  p50: number
  p99: number
  errors: number
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2
}

async function run(url: string, headers: Record<string, string>, duration: number): Promise<Figures> {
  if (!/^http:\/\/127\.0\.0\.1:\d+\//.test(url)) throw new Error(`refusing to load a non-loopback address: ${url}`)
  const result = await autocannon({ url, connections: CONNECTIONS, duration, headers })
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors: result.errors + result.non2xx }
}

async function main(): Promise<void> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'bench-server.ts')], { stdio: ['ignore', 'pipe', 'inherit'], env: process.env })
  const ready = await new Promise<Ready>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', (line) => resolve(JSON.parse(line) as Ready))
    child.once('exit', (code) => reject(new Error(`bench server exited with ${String(code)}`)))
  })
  try {
    const auth = { authorization: ready.authorization }
    const targets = {
      bare: () => run(`${ready.bareUrl}/bare`, {}, SECONDS),
      messages: () => run(`${ready.appUrl}${ready.messagesPath}`, auth, SECONDS),
      list: () => run(`${ready.appUrl}${ready.listPath}`, auth, SECONDS),
      'messages, cache off': () => run(`${ready.uncachedUrl}${ready.messagesPath}`, auth, SECONDS),
      'list, cache off': () => run(`${ready.uncachedUrl}${ready.listPath}`, auth, SECONDS),
    }
    console.log(`warming up (${CONNECTIONS} connections; page body ${ready.bodyBytes} bytes)…`)
    for (const target of Object.values(targets)) await target()
    const samples: Record<keyof typeof targets, Figures[]> = { bare: [], messages: [], list: [], 'messages, cache off': [], 'list, cache off': [] }
    for (let round = 1; round <= ROUNDS; round += 1) {
      for (const [name, target] of Object.entries(targets) as Array<[keyof typeof targets, () => Promise<Figures>]>) {
        const figures = await target()
        samples[name].push(figures)
        console.log(`round ${round} ${name.padEnd(19)} ${figures.rps.toFixed(0).padStart(6)} req/s  p50 ${figures.p50} ms  p99 ${figures.p99} ms  errors ${figures.errors}`)
      }
    }
    const summary = Object.fromEntries(
      (Object.keys(samples) as Array<keyof typeof samples>).map((name) => [
        name,
        { rps: median(samples[name].map((s) => s.rps)), p50: median(samples[name].map((s) => s.p50)), p99: median(samples[name].map((s) => s.p99)), errors: samples[name].reduce((n, s) => n + s.errors, 0) },
      ]),
    ) as Record<keyof typeof samples, Figures>
    const { bare, messages, list } = summary
    const coldMessages = summary['messages, cache off']
    const coldList = summary['list, cache off']
    console.log('')
    console.log('median of rounds      req/s    p50    p99  (vs bare Fastify)')
    for (const [name, f] of Object.entries(summary)) {
      console.log(`${name.padEnd(19)} ${f.rps.toFixed(0).padStart(7)} ${String(f.p50).padStart(6)} ${String(f.p99).padStart(6)}  ${((f.rps / bare.rps) * 100).toFixed(0)}%`)
    }
    const failures: string[] = []
    if (messages.rps < BARS.messagesRps) failures.push(`messages ${messages.rps.toFixed(0)} req/s < ${BARS.messagesRps}`)
    if (messages.p99 > BARS.messagesP99) failures.push(`messages p99 ${messages.p99} ms > ${BARS.messagesP99}`)
    if (list.rps < BARS.listRps) failures.push(`list ${list.rps.toFixed(0)} req/s < ${BARS.listRps}`)
    if (messages.errors + list.errors > 0) failures.push(`${messages.errors + list.errors} failed requests`)
    const verdict = failures.length === 0 ? 'PASS' : `FAIL (${failures.join('; ')})`
    console.log(
      `${verdict}: messages page ${messages.rps.toFixed(0)} req/s p50 ${messages.p50} ms p99 ${messages.p99} ms (bar ≥${BARS.messagesRps}, p99 ≤${BARS.messagesP99}); conversations list ${list.rps.toFixed(0)} req/s (bar ≥${BARS.listRps}); caches off: messages ${coldMessages.rps.toFixed(0)}, list ${coldList.rps.toFixed(0)} req/s; bare Fastify ${bare.rps.toFixed(0)} req/s`,
    )
    process.exitCode = failures.length === 0 ? 0 : 1
  } finally {
    child.kill('SIGTERM')
  }
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
