// 3-concurrent.py: asyncio.gather(async_fetch_users(), async_fetch_older_users()) → fetchConcurrently()
import { fetchConcurrently } from '../src'
import { tupleList } from './format'
import type { Print } from './format'

export async function main(url?: string, print: Print = console.log): Promise<void> {
  const started = performance.now()
  const [all, older] = await fetchConcurrently({ url })
  print('All users:')
  print(tupleList(all))
  print('Users older than 40:')
  print(tupleList(older))
  // timing varies from run to run: stderr, so the printed result stays the same
  console.error(`(both queries ran at the same time, on two connections: ${(performance.now() - started).toFixed(1)} ms)`)
}
