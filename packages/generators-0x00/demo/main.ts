// `pnpm start <0..4>`: prints what the course's <n>-main.py prints.
import { defaultDatabaseUrl, maskUrl, runCli, UsageError } from '@alx/db-core'
import { ensureSeeded, runDemo } from './demos'
import type { Print } from './demos'

let pipeClosed = false
// `pnpm start 2 | head -n 5` closes our stdout early: stop printing, as 2-main.py does on BrokenPipeError.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code !== 'EPIPE') throw err
  pipeClosed = true
})
const print: Print = (line) => {
  if (pipeClosed) return false
  console.log(line)
  return !pipeClosed
}

async function main(): Promise<void> {
  const arg = process.argv.slice(2).find((a) => a !== '--') ?? ''
  const n = /^[0-4]$/.test(arg) ? Number(arg) : NaN
  if (Number.isNaN(n)) throw new UsageError(`expected a demo number 0-4, got ${JSON.stringify(arg)}`)
  if (n > 0) {
    const seeded = await ensureSeeded()
    if (seeded > 0) console.error(`(seeded ${seeded} users into ${maskUrl(defaultDatabaseUrl())} from the sample CSV)`)
  }
  await runDemo(n, print)
}

void runCli(main, { name: 'start', usage: 'usage: pnpm --filter @alx/generators-0x00 start <0|1|2|3|4>' })
