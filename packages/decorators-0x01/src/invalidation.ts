/**
 * Write generations per database scope and table. A cached result remembers the generations it was read
 * at; any later write to one of its tables makes it stale. Invalidation is O(tables written), checking is
 * O(tables read), and nothing here grows with the number of cached entries.
 */
interface ScopeGenerations {
  /** Bumped by every write in the scope (entries whose tables are unknown depend on it). */
  any: number
  /** Bumped by a write whose tables are unknown (every entry of the scope depends on it). */
  all: number
  readonly tables: Map<string, number>
}

/** The generations a result was read at. */
export interface Snapshot {
  readonly scope: string
  readonly tables: readonly string[] | undefined
  readonly any: number
  readonly all: number
  readonly generations: readonly number[]
}

const scopes = new Map<string, ScopeGenerations>()

function generationsOf(scope: string): ScopeGenerations {
  let gens = scopes.get(scope)
  if (gens === undefined) {
    gens = { any: 0, all: 0, tables: new Map() }
    scopes.set(scope, gens)
  }
  return gens
}

/** Records the current generations of `tables` (`undefined` = unknown tables) in `scope`. */
export function snapshot(scope: string, tables: readonly string[] | undefined): Snapshot {
  const gens = generationsOf(scope)
  return {
    scope,
    tables,
    any: gens.any,
    all: gens.all,
    generations: tables === undefined ? [] : tables.map((t) => gens.tables.get(t) ?? 0),
  }
}

/** True when no write has touched the snapshot's tables since it was taken. */
export function isFresh(snap: Snapshot): boolean {
  const gens = scopes.get(snap.scope)
  if (gens === undefined) return snap.any === 0 && snap.all === 0
  if (snap.tables === undefined) return gens.any === snap.any
  if (gens.all !== snap.all) return false
  for (let i = 0; i < snap.tables.length; i += 1) {
    if ((gens.tables.get(snap.tables[i] as string) ?? 0) !== snap.generations[i]) return false
  }
  return true
}

function bump(gens: ScopeGenerations, tables: Iterable<string> | undefined): void {
  gens.any += 1
  if (tables === undefined) gens.all += 1
  else for (const table of tables) gens.tables.set(table, (gens.tables.get(table) ?? 0) + 1)
}

/**
 * Marks results that read `tables` (`undefined` = every table) as stale, in one scope or in all of them.
 * @example
 * invalidateTables('db1', ['users'])
 */
export function invalidateTables(scope: string | undefined, tables: Iterable<string> | undefined): void {
  const list = tables === undefined ? undefined : [...tables].map((t) => t.toLowerCase())
  if (scope === undefined) for (const gens of scopes.values()) bump(gens, list)
  else bump(generationsOf(scope), list)
}
