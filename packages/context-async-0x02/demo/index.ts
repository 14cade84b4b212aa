// `pnpm start <0..2>` runs one course script, `pnpm demo` (= `start all`) all three, on DATABASE_URL or the embedded
// SQLite file, each after resetting the `users` table to the seven course users.
import { defaultDatabaseUrl, maskUrl, openDatabase, runCli, UsageError } from '@alx/db-core'
import { main as task0 } from './0-database-connection'
import { main as task1 } from './1-execute'
import { main as task2 } from './3-concurrent'
import { resetCourseUsers } from './fixture'
import type { Print } from './format'

/** The demos by id: title and what runs. */
export const TASKS: Readonly<Record<string, { title: string; run: (url: string, print: Print) => Promise<void> }>> = {
  '0': { title: 'Task 0 — DatabaseConnection: SELECT * FROM users', run: task0 },
  '1': { title: 'Task 1 — ExecuteQuery: SELECT * FROM users WHERE age > ? with [25]', run: task1 },
  '2': { title: 'Task 2 — fetchConcurrently: all users and users older than 40, concurrently', run: task2 },
}

/**
 * Runs demo `which` (`0`, `1`, `2` or `all`) on `url`, each after resetting `users`.
 * @throws {UsageError} when `which` is not a demo.
 */
export async function runDemos(which: string, url: string, print: Print): Promise<void> {
  const selected = which === 'all' ? Object.keys(TASKS) : [which]
  if (selected.some((id) => TASKS[id] === undefined)) throw new UsageError(`expected a demo 0, 1, 2 or "all", got ${JSON.stringify(which)}`)
  for (const [k, id] of selected.entries()) {
    const task = TASKS[id]
    if (task === undefined) continue
    {
      await using db = await openDatabase(url)
      await resetCourseUsers(db)
    }
    print(`${k > 0 ? '\n' : ''}${task.title}`)
    await task.run(url, print)
  }
}

if (require.main === module) {
  const which = process.argv.slice(2).find((a) => a !== '--') ?? 'all'
  const url = defaultDatabaseUrl()
  console.error(`(database: ${maskUrl(url)})`)
  void runCli(() => runDemos(which, url, (line) => console.log(line)), { name: 'demo', usage: 'usage: pnpm --filter @alx/context-async-0x02 start <0|1|2|all>' })
}
