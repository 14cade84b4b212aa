import { randomUUID } from 'node:crypto'
import type { Knex } from 'knex'
import type { PasswordHasher } from '../auth/password'
import { inTransaction } from '../db/unit-of-work'
import { NotFoundError, ValidationError } from '../errors'
import type { DomainEvents } from '../events/domain-events'
import type { Me } from '../http/schemas'
import { findUserByEmail, findUserById, insertUser, toMe, type UserRow } from './repository'

/** What `POST /api/auth/register/` accepts (anything else, `role` included, is dropped by the schema). */
export interface RegisterInput {
  readonly email: string
  readonly password: string
  readonly first_name: string
  readonly last_name: string
  readonly phone_number?: string | null | undefined
}

/**
 * Users: registration (always as `guest`), credential checks in constant time, and deletion of a user with
 * all their data in one transaction.
 *
 * @example
 * const users = new UserService(knex, () => hasher, domainEvents)
 * const me = await users.register({ email: 'ada@example.com', password: 'long enough', first_name: 'Ada', last_name: 'L' })
 */
export class UserService {
  readonly #db: Knex
  readonly #passwords: () => PasswordHasher
  readonly #events: DomainEvents

  constructor(db: Knex, passwords: () => PasswordHasher, events: DomainEvents) {
    this.#db = db
    this.#passwords = passwords
    this.#events = events
  }

  /** Creates a guest user; a taken email is a 400 on `email`. */
  async register(input: RegisterInput): Promise<Me> {
    const email = input.email.trim().toLowerCase()
    if (await findUserByEmail(this.#db, email)) throw new ValidationError({ email: ['user with this email already exists.'] })
    const row: UserRow = {
      user_id: randomUUID(),
      email,
      password_hash: await this.#passwords().hash(input.password),
      first_name: input.first_name.trim(),
      last_name: input.last_name.trim(),
      phone_number: input.phone_number ?? null,
      role: 'guest',
      created_at: Date.now(),
    }
    try {
      await insertUser(this.#db, row)
    } catch (error) {
      // Two registrations racing for one email: the unique index decides.
      if (await findUserByEmail(this.#db, email)) throw new ValidationError({ email: ['user with this email already exists.'] })
      throw error
    }
    return toMe(row)
  }

  /** The user id for valid credentials, else `undefined` (unknown emails take as long as wrong passwords). */
  async authenticate(email: string, password: string): Promise<string | undefined> {
    const user = await findUserByEmail(this.#db, email.trim().toLowerCase())
    if (!user) return this.#passwords().verifyDummy(password).then(() => undefined)
    if (!(await this.#passwords().verify(user.password_hash, password))) return undefined
    if (this.#passwords().needsRehash(user.password_hash)) {
      await this.#db('users').where({ user_id: user.user_id }).update({ password_hash: await this.#passwords().hash(password) })
    }
    return user.user_id
  }

  /** The caller's own record. */
  async me(userId: string): Promise<Me> {
    const row = await findUserById(this.#db, userId)
    if (!row) throw new NotFoundError()
    return toMe(row)
  }

  /** All users, for admins. */
  async list(page: { offset: number; limit: number }): Promise<{ count: number; results: Me[] }> {
    const [countRow, rows] = await Promise.all([
      this.#db('users').count({ n: '*' }).first() as Promise<{ n: number | string }>,
      this.#db<UserRow>('users').select('*').orderBy([{ column: 'created_at' }, { column: 'user_id' }]).offset(page.offset).limit(page.limit),
    ])
    return { count: Number(countRow.n), results: rows.map(toMe) }
  }

  /** Deletes a user and, in the same transaction, their messages, notifications and histories. */
  async delete(userId: string): Promise<void> {
    await inTransaction(this.#db, async (uow) => {
      const gone: unknown = await uow.trx('users').select('user_id').where({ user_id: userId }).first()
      if (!gone) throw new NotFoundError()
      await this.#events.emit('user.deleting', { uow, userId })
      await uow.trx('users').where({ user_id: userId }).delete()
    })
  }
}
