import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { TaskMetadataError } from '../errors'

/** The file, at a module's root, that makes it a mutation-graded module (the learner writes tests). */
export const MUTATION_CONFIG = 'mutants.json'

/** One textual change of a mutant: `find` must occur exactly once in the file. */
export interface MutantEdit {
  readonly find: string
  readonly replace: string
}

/** A curated mutant: a named fault in one provided file, which the tests of `task` must detect. */
export interface MutantDefinition {
  /** Unique within the module, kebab-case (`calls-twice`). */
  readonly id: string
  /** The task whose tests must kill it. */
  readonly task: string
  /** The mutated file, relative to the module (`src/memoize.ts`). */
  readonly file: string
  /** Completes "your Task N tests still pass when …": `memoize calls the method twice on the first read`. */
  readonly when: string
  readonly edits: readonly MutantEdit[]
}

/** A "how" demand checked on the run: the task's tests must number at least `minTests` (one per course case); it gates the pass, it gives no points. */
export interface TestDemand {
  readonly task: string
  readonly minTests: number
  /** What the course asks, for the report: `one test per course case (test.each): …`. */
  readonly why: string
}

/** A module's `mutants.json`. */
export interface MutationConfig {
  /** Share of a task's mutants its tests must kill to pass (with every demand met), in (0, 1]. */
  readonly threshold: number
  readonly demands: readonly TestDemand[]
  readonly mutants: readonly MutantDefinition[]
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function nonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== ''
}

/**
 * Validates a parsed `mutants.json`; `source` names it in errors.
 * @example parseMutationConfig(JSON.parse(text), 'packages/unittests-0x03/mutants.json')
 */
export function parseMutationConfig(json: unknown, source: string): MutationConfig {
  const fail = (message: string): never => {
    throw new TaskMetadataError(`${source}: ${message}`)
  }
  if (!isRecord(json)) return fail('expected an object with `threshold`, `demands` and `mutants`.')
  const { threshold, demands = [], mutants } = json
  if (typeof threshold !== 'number' || !(threshold > 0 && threshold <= 1)) fail(`\`threshold\` must be a number in (0, 1], got ${JSON.stringify(threshold)}.`)
  if (!Array.isArray(demands)) return fail('`demands` must be an array.')
  if (!Array.isArray(mutants) || mutants.length === 0) return fail('`mutants` must be a non-empty array.')
  const parsedDemands = demands.map((raw: unknown, index): TestDemand => {
    if (!isRecord(raw) || !nonEmptyString(raw['task']) || !Number.isInteger(raw['minTests']) || (raw['minTests'] as number) < 1 || !nonEmptyString(raw['why'])) {
      return fail(`\`demands[${index}]\` needs \`task\`, a positive integer \`minTests\` and \`why\`.`)
    }
    return { task: raw['task'], minTests: raw['minTests'] as number, why: raw['why'] }
  })
  const ids = new Set<string>()
  const parsedMutants = mutants.map((raw: unknown, index): MutantDefinition => {
    const at = `mutants[${index}]`
    if (!isRecord(raw)) return fail(`\`${at}\` must be an object.`)
    const { id, task, file, when, edits } = raw
    if (!nonEmptyString(id) || !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(id)) return fail(`\`${at}.id\` must be kebab-case, got ${JSON.stringify(id)}.`)
    if (ids.has(id)) fail(`mutant id \`${id}\` is used twice.`)
    ids.add(id)
    if (!nonEmptyString(task)) return fail(`\`${at}.task\` must be a task id.`)
    if (!nonEmptyString(file) || file.startsWith('/') || file.split(/[\\/]/).includes('..')) return fail(`\`${at}.file\` must be a path inside the module.`)
    if (!nonEmptyString(when)) return fail(`\`${at}.when\` must say what the mutant does.`)
    if (!Array.isArray(edits) || edits.length === 0) return fail(`\`${at}.edits\` must be a non-empty array.`)
    const parsedEdits = edits.map((edit: unknown, editIndex): MutantEdit => {
      if (!isRecord(edit) || !nonEmptyString(edit['find']) || typeof edit['replace'] !== 'string' || edit['find'] === edit['replace']) {
        return fail(`\`${at}.edits[${editIndex}]\` needs a non-empty \`find\` and a different \`replace\`.`)
      }
      return { find: edit['find'], replace: edit['replace'] }
    })
    return { id, task, file, when, edits: parsedEdits }
  })
  return { threshold: threshold as number, demands: parsedDemands, mutants: parsedMutants }
}

/**
 * Whether the module in `moduleDir` is graded by mutation (it has a `mutants.json`).
 * @example isMutationModule('/repo/packages/unittests-0x03') // true
 */
export function isMutationModule(moduleDir: string): boolean {
  return existsSync(join(moduleDir, MUTATION_CONFIG))
}

/**
 * Reads and validates `<moduleDir>/mutants.json`.
 * @example const config = readMutationConfig('/repo/packages/unittests-0x03'); config.mutants.length // 42
 */
export function readMutationConfig(moduleDir: string): MutationConfig {
  const file = join(moduleDir, MUTATION_CONFIG)
  let json: unknown
  try {
    json = JSON.parse(readFileSync(file, 'utf8'))
  } catch (error) {
    throw new TaskMetadataError(`${file}: ${(error as Error).message}`)
  }
  return parseMutationConfig(json, file)
}
