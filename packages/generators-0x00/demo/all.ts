// `pnpm demo`: the five main files in a row, each cut to the lines the course pipes it through `head` for.
import { runCli } from '@alx/db-core'
import { COURSE_HEAD_LINES, DEMOS, ensureSeeded, headPrint, runDemo } from './demos'
import type { Print } from './demos'

const print: Print = (line) => {
  console.log(line)
  return true
}

async function main(): Promise<void> {
  await ensureSeeded()
  for (let n = 0; n < DEMOS.length; n++) {
    const limit = COURSE_HEAD_LINES[n]
    console.log(`\n$ ./${n}-main.py${limit === undefined ? '' : ` | head -n ${limit}`}`)
    await runDemo(n, headPrint(print, limit))
  }
}

void runCli(main, { name: 'demo' })
