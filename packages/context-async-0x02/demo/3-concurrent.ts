// 3-concurrent.py: asyncio.gather(async_fetch_users(), async_fetch_older_users()) → fetchConcurrently()
import { fetchConcurrently } from '../src'
import { tuple } from './format'

export async function main(url?: string): Promise<void> {
  const started = performance.now()
  const [all, older] = await fetchConcurrently({ url })
  console.log('All users:')
  for (const row of all) console.log(`  ${tuple(row)}`)
  console.log('Users older than 40:')
  for (const row of older) console.log(`  ${tuple(row)}`)
  console.log(`(both queries ran at the same time, on two connections: ${(performance.now() - started).toFixed(1)} ms)`)
}
