// 0-databaseconnection.py: `with DatabaseConnection('users.db') as conn:` → `await using conn = await DatabaseConnection.open()`
import type { UsersRow } from '@alx/db-core'
import { DatabaseConnection } from '../src'
import { tuple } from './format'

export async function main(url?: string): Promise<void> {
  await using conn = await DatabaseConnection.open(url)
  const rows = await conn.query<UsersRow>('SELECT * FROM users')
  for (const row of rows) console.log(tuple(row))
}
