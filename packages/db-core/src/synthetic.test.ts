import { generateUserRows, userIdFor } from './synthetic'

describe('generateUserRows', () => {
  it('is deterministic per seed and differs across seeds', () => {
    const a = [...generateUserRows(50, 7)]
    expect([...generateUserRows(50, 7)]).toEqual(a)
    expect([...generateUserRows(50, 8)]).not.toEqual(a)
  })

  it('makes valid, unique v4-shaped ids and ages in 1..120', () => {
    const rows = [...generateUserRows(2000)]
    expect(new Set(rows.map((r) => r.user_id)).size).toBe(2000)
    for (const row of rows) {
      expect(row.user_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
      expect(row.age).toBeGreaterThanOrEqual(1)
      expect(row.age).toBeLessThanOrEqual(120)
      expect(row.email).toContain('@')
    }
  })
})

describe('userIdFor', () => {
  it('gives the same v5 UUID for the same content and another for other content', () => {
    const id = userIdFor('Ada', 'ada@example.org', 36)
    expect(id).toBe(userIdFor('Ada', 'ada@example.org', 36))
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect(userIdFor('Ada', 'ada@example.org', 37)).not.toBe(id)
  })
})
