// 0-databaseconnection.py: `with DatabaseConnection('users.db') as conn:` → `await using conn = await DatabaseConnection.open()`
import type { UsersRow } from '@alx/db-core'
import { DatabaseConnection } from '../src'
import { tupleList } from './format'
import type { Print } from './format'

export async function main(url?: string, print: Print = console.log): Promise<void> {
  await using conn = await DatabaseConnection.open(url)
  const rows = await conn.query<UsersRow>('SELECT * FROM users')
  print(tupleList(rows))
}
