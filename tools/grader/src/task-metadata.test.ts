import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { TaskMetadataError } from './errors'
import { parseTaskManifest, readTaskManifest, taskIdOf } from './task-metadata'

describe('taskIdOf', () => {
  it('reads the id before the first colon of a Task describe', () => {
    expect(taskIdOf('Task 2: lazy pagination')).toBe('2')
    expect(taskIdOf('Task 10 : advanced: on %s')).toBe('10')
  })

  it('returns null for a describe that names no task', () => {
    expect(taskIdOf('streamUsers')).toBeNull()
    expect(taskIdOf('Tasks: all')).toBeNull()
  })
})

describe('parseTaskManifest', () => {
  const valid = { module: 'm', title: 'M', tasks: [{ id: '0', title: 'Seed', points: 2, kind: 'advanced', files: ['./src/seed.ts'] }] }

  it('accepts a valid manifest and normalizes file paths', () => {
    expect(parseTaskManifest(valid, 'tasks.json')).toEqual({
      module: 'm',
      title: 'M',
      tasks: [{ id: '0', title: 'Seed', points: 2, kind: 'advanced', files: ['src/seed.ts'] }],
    })
  })

  it('defaults points to 1, kind to mandatory, files to none, and numeric ids to strings', () => {
    expect(parseTaskManifest({ module: 'm', tasks: [{ id: 3, title: 'T' }] }, 'tasks.json').tasks[0]).toEqual({
      id: '3',
      title: 'T',
      points: 1,
      kind: 'mandatory',
      files: [],
    })
  })

  it.each([
    [{ module: '', tasks: [] }, '`module` must be a non-empty string, got "".'],
    [{ module: 'm', tasks: [] }, '`tasks` must be a non-empty array, got [].'],
    [{ module: 'm', tasks: [{ id: '0', title: 'A' }, { id: '0', title: 'B' }] }, '`tasks[1].id` repeats task id "0".'],
    [{ module: 'm', tasks: [{ id: '0', title: 'A', points: -1 }] }, '`tasks[0].points` must be a positive number, got -1.'],
    [{ module: 'm', tasks: [{ id: '0', title: 'A', kind: 'bonus' }] }, '`tasks[0].kind` must be "mandatory" or "advanced", got "bonus".'],
    [{ module: 'm', tasks: [{ id: '0', title: 'A', files: ['../x.ts'] }] }, '`tasks[0].files` must hold paths inside the package, got "../x.ts".'],
    [{ module: 'm', tasks: [{ id: 'a b', title: 'A' }] }, '`tasks[0].id` must be a task number such as "0", got "a b".'],
  ])('rejects %j with a message naming the bad value', (json, message) => {
    expect(() => parseTaskManifest(json, 'x/tasks.json')).toThrow(new TaskMetadataError(`x/tasks.json: ${message}`))
  })
})

describe('readTaskManifest', () => {
  it('names the file when it is not JSON', () => {
    const dir = mkdtempSync(join(tmpdir(), 'grader-meta-'))
    try {
      writeFileSync(join(dir, 'tasks.json'), '{ nope')
      expect(() => readTaskManifest(dir)).toThrow(/tasks\.json: not valid JSON/)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
