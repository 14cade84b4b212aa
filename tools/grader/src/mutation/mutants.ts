import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, extname, join, resolve } from 'node:path'
import { TaskMetadataError } from '../errors'
import type { MutantDefinition, MutationConfig } from './config'

function occurrences(text: string, search: string): number {
  let count = 0
  for (let at = text.indexOf(search); at !== -1; at = text.indexOf(search, at + search.length)) count += 1
  return count
}

/**
 * The source of `mutant`'s file with its edits applied, in order; each `find` must occur exactly once (in the
 * text as edited so far), so a change to the provided code that a mutant no longer fits fails loudly.
 * @example applyMutant('return a + b', { edits: [{ find: 'a + b', replace: 'a - b' }], … }) // 'return a - b'
 */
export function applyMutant(source: string, mutant: MutantDefinition): string {
  let text = source
  for (const [index, edit] of mutant.edits.entries()) {
    const count = occurrences(text, edit.find)
    if (count !== 1) {
      throw new TaskMetadataError(
        `Mutant \`${mutant.id}\`: edit ${index + 1} must match exactly once in ${mutant.file}, found ${count} matches of ${JSON.stringify(edit.find.slice(0, 80))}.`,
      )
    }
    text = text.replace(edit.find, () => edit.replace)
  }
  return text
}

const RELATIVE_SPECIFIER = /(\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|\bimport\s+)(['"])(\.{1,2}\/[^'"]*|\.{1,2})\2/g

/**
 * Rewrites the relative import specifiers of `source` (a file that lived in `fromDir`) to absolute paths, so a copy
 * written elsewhere still loads the module's own files — the same module instances the tests import and mock.
 * @example absolutizeImports("import { x } from './x'", '/m/src') // "import { x } from '/m/src/x'"
 */
export function absolutizeImports(source: string, fromDir: string): string {
  return source.replace(RELATIVE_SPECIFIER, (_match, keyword: string, quote: string, specifier: string) => {
    return `${keyword}${quote}${resolve(fromDir, specifier).split('\\').join('/')}${quote}`
  })
}

/** A mutant written to disk, ready to be swapped in for `original`. */
export interface WrittenMutant {
  readonly mutant: MutantDefinition
  /** Absolute path of the provided file it replaces. */
  readonly original: string
  /** Absolute path of the mutated copy. */
  readonly path: string
}

/**
 * Writes every mutant of `config` (imports made absolute) under `outDir`, or by default under a folder of the OS temp
 * directory named by the hash of the module's mutated files and the mutant definitions: unchanged mutants keep their
 * paths between runs, so jest's transform cache serves them.
 * @example const written = writeMutants('/repo/packages/unittests-0x03', config); written[0].path // '/tmp/alx-mutants-…/calls-twice.ts'
 */
export function writeMutants(moduleDir: string, config: MutationConfig, outDir?: string): WrittenMutant[] {
  const sources = new Map<string, string>()
  for (const mutant of config.mutants) {
    const original = join(moduleDir, mutant.file)
    if (sources.has(original)) continue
    if (!existsSync(original)) throw new TaskMetadataError(`Mutant \`${mutant.id}\`: ${mutant.file} does not exist in ${moduleDir}.`)
    sources.set(original, readFileSync(original, 'utf8'))
  }
  const hash = createHash('sha256')
  hash.update(JSON.stringify(config.mutants))
  for (const [file, text] of [...sources].sort(([a], [b]) => a.localeCompare(b))) hash.update(`\0${file}\0${text}`)
  const dir = outDir ?? join(tmpdir(), `alx-mutants-${hash.digest('hex').slice(0, 16)}`)
  mkdirSync(dir, { recursive: true })
  return config.mutants.map((mutant) => {
    const original = join(moduleDir, mutant.file)
    const text = absolutizeImports(applyMutant(sources.get(original) as string, mutant), dirname(original))
    const path = join(dir, `${mutant.id}${extname(original)}`)
    if (!existsSync(path) || readFileSync(path, 'utf8') !== text) {
      // Write then rename: two graders sharing the folder never read half a file.
      const partial = `${path}.${process.pid}.tmp`
      writeFileSync(partial, text)
      renameSync(partial, path)
    }
    return { mutant, original, path }
  })
}
