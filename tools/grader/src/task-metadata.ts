import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { TaskMetadataError } from './errors'

/** Whether a task counts towards the base score (`mandatory`) or is a bonus (`advanced`). */
export type TaskKind = 'mandatory' | 'advanced'

/** One task of a module, as declared in its `tasks.json`. */
export interface TaskDefinition {
  /** The task number as the course names it: `"0"`, `"1"`, … (a describe `Task <id>: …` belongs to it). */
  readonly id: string
  readonly title: string
  readonly points: number
  readonly kind: TaskKind
  /** The learner's files for this task (its entry points), relative to the package root (`src/seed.ts`). */
  readonly files: readonly string[]
  /**
   * The graded test files of this task (`test/tasks/task-0.test.ts`); `undefined` when tasks.json names none (a module
   * not migrated to issue 12's task tests: all its tests are graded by their `Task N:` describe).
   */
  readonly tests?: readonly string[]
}

/** A module's `tasks.json`. */
export interface TaskManifest {
  readonly module: string
  readonly title: string
  readonly tasks: readonly TaskDefinition[]
  /** Files or folder globs (`test/fixtures/**`) copied into the starter working. */
  readonly provided?: readonly string[]
}

/**
 * Whether a module grades only its task tests (issue 12): some task of its tasks.json names graded `tests`.
 * @example isMigrated(manifest) // true
 */
export function isMigrated(manifest: TaskManifest | null): boolean {
  return manifest !== null && manifest.tasks.some((task) => task.tests !== undefined)
}

/**
 * Every graded test file of a migrated module, in task order (empty for a module that is not migrated).
 * @example gradedTestFiles(manifest) // ['test/tasks/task-0.test.ts', 'test/tasks/task-1.test.ts']
 */
export function gradedTestFiles(manifest: TaskManifest | null): string[] {
  return [...new Set((manifest?.tasks ?? []).flatMap((task) => task.tests ?? []))]
}

const TASK_DESCRIBE = /^\s*Task\s+([^:\s]+)\s*:/

/**
 * The task id a top-level describe title names, or `null` when it names none.
 * @example taskIdOf('Task 2: lazy pagination') // '2'
 */
export function taskIdOf(describeTitle: string): string | null {
  const match = TASK_DESCRIBE.exec(describeTitle)
  return match?.[1] ?? null
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function show(value: unknown): string {
  return value === undefined ? 'nothing' : JSON.stringify(value)
}

/**
 * Validates parsed `tasks.json` content; `source` names the file in error messages.
 * @example parseTaskManifest({ module: 'm', title: 'M', tasks: [{ id: '0', title: 'T', points: 1, kind: 'mandatory', files: [] }] }, 'tasks.json')
 */
export function parseTaskManifest(json: unknown, source: string): TaskManifest {
  const fail = (message: string): never => {
    throw new TaskMetadataError(`${source}: ${message}`)
  }
  if (!isRecord(json)) fail(`expected an object, got ${show(json)}.`)
  const root = json as Record<string, unknown>
  const moduleName = root['module']
  if (typeof moduleName !== 'string' || moduleName.trim() === '') fail(`\`module\` must be a non-empty string, got ${show(moduleName)}.`)
  const title = root['title'] ?? moduleName
  if (typeof title !== 'string') fail(`\`title\` must be a string, got ${show(title)}.`)
  const rawTasks = root['tasks']
  if (!Array.isArray(rawTasks) || rawTasks.length === 0) fail(`\`tasks\` must be a non-empty array, got ${show(rawTasks)}.`)
  const seen = new Set<string>()
  const tasks = (rawTasks as unknown[]).map((raw, index): TaskDefinition => {
    const at = `tasks[${index}]`
    if (!isRecord(raw)) return fail(`\`${at}\` must be an object, got ${show(raw)}.`)
    const rawId = raw['id']
    const id = typeof rawId === 'number' && Number.isInteger(rawId) ? String(rawId) : rawId
    if (typeof id !== 'string' || !/^[A-Za-z0-9._-]+$/.test(id)) return fail(`\`${at}.id\` must be a task number such as "0", got ${show(rawId)}.`)
    if (seen.has(id)) return fail(`\`${at}.id\` repeats task id ${show(id)}.`)
    seen.add(id)
    const taskTitle = raw['title']
    if (typeof taskTitle !== 'string' || taskTitle.trim() === '') return fail(`\`${at}.title\` must be a non-empty string, got ${show(taskTitle)}.`)
    const points = raw['points'] ?? 1
    if (typeof points !== 'number' || !Number.isFinite(points) || points <= 0) return fail(`\`${at}.points\` must be a positive number, got ${show(points)}.`)
    const kind = raw['kind'] ?? 'mandatory'
    if (kind !== 'mandatory' && kind !== 'advanced') return fail(`\`${at}.kind\` must be "mandatory" or "advanced", got ${show(kind)}.`)
    const files = raw['files'] ?? []
    if (!Array.isArray(files) || !files.every((file): file is string => typeof file === 'string')) {
      return fail(`\`${at}.files\` must be an array of paths, got ${show(files)}.`)
    }
    for (const file of files) {
      if (file.startsWith('/') || file.split(/[\\/]/).includes('..')) return fail(`\`${at}.files\` must hold paths inside the package, got ${show(file)}.`)
    }
    const tests = raw['tests']
    if (tests !== undefined) {
      if (!Array.isArray(tests) || !tests.every((file): file is string => typeof file === 'string')) return fail(`\`${at}.tests\` must be an array of test file paths, got ${show(tests)}.`)
      for (const file of tests) {
        if (file.startsWith('/') || file.split(/[\\/]/).includes('..')) return fail(`\`${at}.tests\` must hold paths inside the package, got ${show(file)}.`)
      }
    }
    return {
      id,
      title: taskTitle.trim(),
      points,
      kind,
      files: files.map((file) => file.replace(/^\.\//, '')),
      ...(tests === undefined ? {} : { tests: (tests).map((file) => file.replace(/^\.\//, '')) }),
    }
  })
  const owners = new Map<string, string>()
  for (const task of tasks) {
    for (const file of task.tests ?? []) {
      const owner = owners.get(file)
      if (owner !== undefined) fail(`${file} is a graded test file of Task ${owner} and Task ${task.id}; a file may serve only one task.`)
      owners.set(file, task.id)
    }
  }
  const provided = root['provided']
  if (provided !== undefined && (!Array.isArray(provided) || !provided.every((entry): entry is string => typeof entry === 'string'))) {
    fail(`\`provided\` must be an array of paths or folder globs, got ${show(provided)}.`)
  }
  for (const entry of (provided as string[] | undefined) ?? []) {
    if (entry.startsWith('/') || entry.split(/[\\/]/).includes('..')) fail(`\`provided\` must hold paths inside the package, got ${show(entry)}.`)
  }
  return {
    module: (moduleName as string).trim(),
    title: (title as string).trim(),
    tasks,
    ...(provided === undefined ? {} : { provided: (provided as string[]).map((entry) => entry.replace(/^\.\//, '')) }),
  }
}

/**
 * Reads and validates `<moduleDir>/tasks.json`.
 * @example const manifest = readTaskManifest('packages/generators-0x00')
 */
export function readTaskManifest(moduleDir: string): TaskManifest {
  const file = join(moduleDir, 'tasks.json')
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    throw new TaskMetadataError(`${file}: cannot read the task list.`, { cause: error })
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    throw new TaskMetadataError(`${file}: not valid JSON (${(error as Error).message}).`, { cause: error })
  }
  return parseTaskManifest(json, file)
}
