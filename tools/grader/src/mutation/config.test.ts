import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { parseMutationConfig, readMutationConfig } from './config'

const edit = { find: 'a + b', replace: 'a - b' }
const mutant = { id: 'subtracts', task: '1', file: 'src/add.ts', when: 'add subtracts', edits: [edit] }

describe('parseMutationConfig', () => {
  test('reads threshold, demands and mutants', () => {
    const config = parseMutationConfig({ threshold: 0.8, demands: [{ task: '1', minTests: 2, why: 'two cases' }], mutants: [mutant] }, 'm.json')
    expect(config).toEqual({ threshold: 0.8, demands: [{ task: '1', minTests: 2, why: 'two cases' }], mutants: [mutant] })
  })

  test.each([
    [{ threshold: 0, mutants: [mutant] }, 'm.json: `threshold` must be a number in (0, 1], got 0.'],
    [{ threshold: 1, mutants: [] }, 'm.json: `mutants` must be a non-empty array.'],
    [{ threshold: 1, mutants: [{ ...mutant, id: 'Not Kebab' }] }, 'm.json: `mutants[0].id` must be kebab-case, got "Not Kebab".'],
    [{ threshold: 1, mutants: [mutant, mutant] }, 'm.json: mutant id `subtracts` is used twice.'],
    [{ threshold: 1, mutants: [{ ...mutant, file: '../x.ts' }] }, 'm.json: `mutants[0].file` must be a path inside the module.'],
    [{ threshold: 1, mutants: [{ ...mutant, edits: [{ find: 'x', replace: 'x' }] }] }, 'm.json: `mutants[0].edits[0]` needs a non-empty `find` and a different `replace`.'],
    [{ threshold: 1, demands: [{ task: '1', minTests: 0, why: 'w' }], mutants: [mutant] }, 'm.json: `demands[0]` needs `task`, a positive integer `minTests` and `why`.'],
  ])('rejects %j', (json, message) => {
    expect(() => parseMutationConfig(json, 'm.json')).toThrow(message)
  })
})

describe('the unittests-0x03 mutants', () => {
  const moduleDir = resolve(__dirname, '..', '..', '..', '..', 'packages', 'unittests-0x03')
  const config = readMutationConfig(moduleDir)

  test('every task of the module has mutants, and every mutant says what it breaks in a learner-readable clause', () => {
    const tasks = (JSON.parse(readFileSync(join(moduleDir, 'tasks.json'), 'utf8')) as { tasks: { id: string }[] }).tasks.map((task) => task.id)
    expect([...new Set(config.mutants.map((entry) => entry.task))].sort()).toEqual([...tasks].sort())
    for (const entry of config.mutants) expect(entry.when).toMatch(/^[a-zA-Z(`'].* .+[^.]$/)
    expect(config.threshold).toBe(0.8)
  })

  test('the module README names every mutant, with its sentence, under its task', () => {
    const readme = readFileSync(join(moduleDir, 'README.md'), 'utf8')
    for (const entry of config.mutants) {
      const line = readme.split('\n').find((candidate) => candidate.startsWith(`- **Task ${entry.task}** (`))
      expect(line).toContain(`\`${entry.id}\` — ${entry.when}`)
    }
  })
})
