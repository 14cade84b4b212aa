import { createHash } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { once } from 'node:events'
import type { UserDataRow } from './schema'

const FIRST = ['Dan', 'Glenda', 'Daniel', 'Ronnie', 'Alma', 'Jonathon', 'Forrest', 'Ada', 'Grace', 'Linus', 'Amara', 'Kofi', 'Zainab', 'Chidi', 'Wanjiru', 'Tariq', 'Ines', 'Mateo', 'Yuki', 'Priya', 'Omar', 'Lena', 'Sipho', 'Noor']
const LAST = ['Altenwerth', 'Wisozk', 'Fahey', 'Bechtelar', 'Jones', 'Heaney', 'Lovelace', 'Hopper', 'Okafor', 'Mensah', 'Kamau', 'Haddad', 'Silva', 'Tanaka', 'Sharma', 'Novak', 'Dlamini', 'Rahman', 'Moreau', 'Keller']
const DOMAINS = ['gmail.com', 'yahoo.com', 'hotmail.com', 'example.org']

/** A small, fast, seeded PRNG (mulberry32) so synthetic data is the same on every run. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'))

function uuidFromBytes(b: Uint8Array | Buffer): string {
  const h = (i: number): string => HEX[b[i] ?? 0] ?? '00'
  return `${h(0)}${h(1)}${h(2)}${h(3)}-${h(4)}${h(5)}-${h(6)}${h(7)}-${h(8)}${h(9)}-${h(10)}${h(11)}${h(12)}${h(13)}${h(14)}${h(15)}`
}

const NAMESPACE = Buffer.from('6f6c8b0e2d1a4c3e9a5b7d8e1f203142', 'hex')

/**
 * A deterministic UUID v5 for a CSV row without an id, so re-seeding the same row is a no-op.
 * @example
 * userIdFor('Ada Lovelace', 'ada@example.org', 36) // the same UUID every time
 */
export function userIdFor(name: string, email: string, age: number): string {
  const hash = createHash('sha1').update(NAMESPACE).update(`${name}\u0000${email}\u0000${age}`).digest()
  hash[6] = ((hash[6] ?? 0) & 0x0f) | 0x50
  hash[8] = ((hash[8] ?? 0) & 0x3f) | 0x80
  return uuidFromBytes(hash)
}

/**
 * Yields `count` synthetic `user_data` rows, the same for the same `seed` (UUID v4-shaped ids, ages 1–120).
 * @example
 * for (const row of generateUserRows(3)) console.log(row.email)
 */
export function* generateUserRows(count: number, seed = 42): Generator<UserDataRow> {
  const rand = mulberry32(seed)
  const bytes = new Uint8Array(16)
  for (let i = 0; i < count; i++) {
    for (let j = 0; j < 16; j += 4) {
      const v = (rand() * 4294967296) >>> 0
      bytes[j] = v & 0xff
      bytes[j + 1] = (v >>> 8) & 0xff
      bytes[j + 2] = (v >>> 16) & 0xff
      bytes[j + 3] = v >>> 24
    }
    bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40
    bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80
    const first = FIRST[Math.floor(rand() * FIRST.length)] ?? 'Ada'
    const last = LAST[Math.floor(rand() * LAST.length)] ?? 'Lovelace'
    const domain = DOMAINS[Math.floor(rand() * DOMAINS.length)] ?? 'example.org'
    yield {
      user_id: uuidFromBytes(bytes),
      name: `${first} ${last}`,
      email: `${first}.${last}${i}@${domain}`,
      age: 1 + Math.floor(rand() * 120),
    }
  }
}

/**
 * Writes `count` synthetic rows as a course-shaped CSV (`name,email,age`, quoted), streaming to disk.
 * @example
 * await writeSyntheticCsv('/tmp/users.csv', 1_000_000)
 */
export async function writeSyntheticCsv(file: string, count: number, seed = 42): Promise<void> {
  const out = createWriteStream(file)
  out.write('name,email,age\n')
  for (const row of generateUserRows(count, seed)) {
    if (!out.write(`"${row.name}","${row.email}",${row.age}\n`)) await once(out, 'drain')
  }
  out.end()
  await once(out, 'finish')
}
