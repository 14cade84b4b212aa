// `pnpm demo`: the five main files in a row, each cut to the lines the course pipes it through `head` for.
import { runCli } from '@alx/db-core'
import { COURSE_HEAD_LINES, DEMOS, ensureSeeded, headPrint, runDemo } from './demos'
import type { Print } from './demos'

let pipeClosed = false
// `pnpm demo | head` closes our stdout early: stop printing quietly.
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
  for (let n = 0; n < DEMOS.length; n++) {
    // demo 0 creates the database DATABASE_URL names and seeds it; the others read it (seeded if still empty)
    if (n === 1) await ensureSeeded()
    const limit = COURSE_HEAD_LINES[n]
    console.log(`\n$ ./${n}-main.py${limit === undefined ? '' : ` | head -n ${limit}`}`)
    await runDemo(n, headPrint(print, limit))
  }
}

void runCli(main, { name: 'demo' })
