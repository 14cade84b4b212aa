import ts from 'typescript'
import { stubSource } from './stub-source'

const original = `/** Sums. */
import { helper } from './helper'

/** Adds. */
export function add(a: number, b: number) {
  return helper(a) + b
}

export const twice = (n: number) => n * 2

export class Counter extends Base {
  #count = 0
  constructor(private readonly step: number) {
    const label = \`counter \${step}\`
    super(label)
    this.#count = 1
  }
  get value(): number {
    return this.#count
  }
}

export async function* rows() {
  yield 1
}

export const ORG_URL = 'https://api.github.com/orgs/{org}'
`

describe('stubSource', () => {
  const { text, stubbed } = stubSource('src/a.ts', original, { message: "Task 0: Don't add", importFrom: './not-implemented' })

  it('replaces every function body with a NotImplementedError naming the task', () => {
    expect(text.match(/throw new NotImplementedError\('Task 0: Don\\'t add'\)/g)).toHaveLength(5)
    expect(stubbed.map((fn) => fn.name)).toEqual(['add', 'twice', 'Counter.constructor', 'Counter.value', 'rows'])
    expect(text).not.toContain('helper(a) + b')
    expect(text).not.toContain('yield 1')
  })

  it('keeps signatures, JSDoc, constants and the super call', () => {
    expect(text).toContain('/** Adds. */\nexport function add(a: number, b: number) {')
    expect(text).toContain("    const label = `counter ${step}`\n    super(label)\n    throw new NotImplementedError")
    expect(text).not.toContain('this.#count = 1')
    expect(text).toContain("export const ORG_URL = 'https://api.github.com/orgs/{org}'")
  })

  it('imports NotImplementedError after the last import', () => {
    expect(text.startsWith("/** Sums. */\nimport { helper } from './helper'\nimport { NotImplementedError } from './not-implemented'\n")).toBe(true)
  })

  it('leaves a file without functions untouched', () => {
    expect(stubSource('src/index.ts', "export { add } from './add'\n", { message: 'x', importFrom: './n' })).toEqual({ text: "export { add } from './add'\n", stubbed: [] })
  })

  it('writes out inferred return types when given a type checker', () => {
    const source = 'export function add(a: number, b: number) {\n  return a + b\n}\nexport async function* count() {\n  yield 1\n}\n'
    const host = ts.createCompilerHost({ strict: true, target: ts.ScriptTarget.ES2022, lib: ['lib.es2023.d.ts'] })
    const readFile = host.readFile.bind(host)
    host.readFile = (file) => (file === '/virtual/a.ts' ? source : readFile(file))
    const getSourceFile = host.getSourceFile.bind(host)
    host.getSourceFile = (file, language) => (file === '/virtual/a.ts' ? ts.createSourceFile(file, source, language, true) : getSourceFile(file, language))
    host.fileExists = (file) => file === '/virtual/a.ts' || ts.sys.fileExists(file)
    const program = ts.createProgram({ rootNames: ['/virtual/a.ts'], options: { strict: true, target: ts.ScriptTarget.ES2022, lib: ['lib.es2023.d.ts'] }, host })
    const sourceFile = program.getSourceFile('/virtual/a.ts')
    const result = stubSource('/virtual/a.ts', source, { message: 'Task 1: Add', importFrom: './n', checker: program.getTypeChecker(), ...(sourceFile ? { sourceFile } : {}) })
    expect(result.text).toContain('export function add(a: number, b: number): number {')
    expect(result.text).toContain('export async function* count(): AsyncGenerator<number, void, unknown> {')
  })
})

describe('stubSource for a starter (file named, pruned)', () => {
  const source = `import { helper, unused } from './helper'
import type { Options } from './types'
import pino from 'pino'

const log = pino()

/** A private step. */
function step(n: number): number {
  return helper(n) + 1
}

interface Internal {
  readonly n: number
}

export interface Shape {
  readonly options: Options
}

export class QueryCache {
  #seen = new Map<string, number>()
  constructor(readonly size: number) {
    log.info('made')
  }
  get(key: string): number | undefined {
    return this.#seen.get(key) ?? step(1)
  }
}

export const api = {
  run(internal: Internal): number {
    return step(internal.n)
  },
}
`
  const { text } = stubSource('src/cache.ts', source, { message: 'Task 4: Cache', file: 'src/cache.ts', prune: true, importFrom: './not-implemented' })

  it('names each stub and its file', () => {
    expect(text).toContain("throw new NotImplementedError('QueryCache.constructor', 'src/cache.ts', 'Task 4: Cache')")
    expect(text).toContain("throw new NotImplementedError('QueryCache.get', 'src/cache.ts', 'Task 4: Cache')")
    expect(text).toContain("throw new NotImplementedError('api.run', 'src/cache.ts', 'Task 4: Cache')")
  })

  it('drops the imports and private declarations the stubs no longer use, keeps what the public API needs', () => {
    expect(text).not.toMatch(/helper|pino|const log|function step/)
    expect(text).toContain("import type { Options } from './types'")
    expect(text).toContain('interface Internal')
    expect(text.startsWith("import type { Options } from './types'\nimport { NotImplementedError } from './not-implemented'\n")).toBe(true)
  })
})
