// `pnpm start <0..2>` runs one course script, `pnpm demo` (= `start all`) all three, on DATABASE_URL or the embedded
// SQLite file, after seeding a few users into an empty `users` table.
import { openDatabase } from '@alx/db-core'
import { seedCourseUsers } from '../src'
import { main as task0 } from './0-database-connection'
import { main as task1 } from './1-execute'
import { main as task2 } from './3-concurrent'

const tasks: Record<string, { title: string; run: (url?: string) => Promise<void> }> = {
  '0': { title: 'Task 0 — DatabaseConnection: SELECT * FROM users', run: task0 },
  '1': { title: 'Task 1 — ExecuteQuery: SELECT * FROM users WHERE age > ? with [25]', run: task1 },
  '2': { title: 'Task 2 — fetchConcurrently: all users and users older than 40, concurrently', run: task2 },
}

async function run(which: string): Promise<void> {
  const selected = which === 'all' ? Object.keys(tasks) : [which]
  const unknown = selected.filter((id) => !(id in tasks))
  if (unknown.length > 0) {
    console.error(`Usage: pnpm start <0|1|2|all> (got ${JSON.stringify(which)})`)
    process.exitCode = 2
    return
  }
  {
    await using db = await openDatabase()
    const inserted = await seedCourseUsers(db)
    console.log(`Database: ${db.url}${inserted > 0 ? ` (seeded ${inserted} users)` : ''}`)
  }
  for (const id of selected) {
    const task = tasks[id]
    if (!task) continue
    console.log(`\n${task.title}`)
    await task.run()
  }
}

run(process.argv[2] ?? 'all').catch((err: unknown) => {
  console.error(err)
  process.exitCode = 1
})
