// 1-execute.py: `with ExecuteQuery("SELECT * FROM users WHERE age > ?", (25,)) as results: print(results)`
import type { UsersRow } from '@alx/db-core'
import { ExecuteQuery } from '../src'
import { tupleList } from './format'
import type { Print } from './format'

export async function main(url?: string, print: Print = console.log): Promise<void> {
  await using results = await ExecuteQuery.open<UsersRow>('SELECT * FROM users WHERE age > ?', [25], { url })
  print(tupleList(results.rows))
}
