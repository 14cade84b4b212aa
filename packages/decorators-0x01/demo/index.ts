/**
 * The course's template scripts (0-log_queries.py … 4-cache_query.py) on the default database (DATABASE_URL, else
 * the embedded SQLite file), each after resetting the `users` table to the demo's five users.
 *   pnpm --filter @alx/decorators-0x01 start 2     # one of 0…4
 *   pnpm --filter @alx/decorators-0x01 demo        # all five
 */
import { runCli, UsageError } from '@alx/db-core'
import { closeDefaultDatabase, getDefaultDatabase } from '../src'
import { DEMOS, runDemo } from './demos'

async function main(): Promise<void> {
  const which = process.argv.slice(2).find((a) => a !== '--') ?? 'all'
  const numbers = which === 'all' ? DEMOS.map((_, n) => n) : [/^[0-4]$/.test(which) ? Number(which) : NaN]
  if (numbers.some(Number.isNaN)) throw new UsageError(`expected a demo number 0-4 or "all", got ${JSON.stringify(which)}`)
  const db = await getDefaultDatabase()
  try {
    for (const n of numbers) {
      if (numbers.length > 1) console.log(`${n > 0 ? '\n' : ''}=== ${n} ===`)
      await runDemo(n, db, (line) => console.log(line))
    }
  } finally {
    await closeDefaultDatabase()
  }
}

void runCli(main, { name: 'demo', usage: 'usage: pnpm --filter @alx/decorators-0x01 start <0|1|2|3|4|all>' })
