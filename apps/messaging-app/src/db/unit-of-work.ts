import type { Knex } from 'knex'

/** A transaction plus the work to run only once it has committed (publishing events, say). */
export interface UnitOfWork {
  readonly trx: Knex.Transaction
  afterCommit(task: () => void | Promise<void>): void
}

/**
 * Runs `work` in one transaction; tasks it queues with `afterCommit` run after the commit, never on rollback.
 *
 * @example
 * const id = await inTransaction(knex, async (uow) => {
 *   await uow.trx('messages').insert(row)
 *   uow.afterCommit(() => bus.publish(event))
 *   return row.message_id
 * })
 */
export async function inTransaction<T>(knex: Knex, work: (uow: UnitOfWork) => Promise<T>): Promise<T> {
  const tasks: Array<() => void | Promise<void>> = []
  const result = await knex.transaction(async (trx) => work({ trx, afterCommit: (task) => void tasks.push(task) }))
  for (const task of tasks) await task()
  return result
}
