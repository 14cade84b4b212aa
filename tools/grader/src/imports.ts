import { existsSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, normalize } from 'node:path'
import ts from 'typescript'
import type { CourseModule } from './discover'
import type { ModuleLayout } from './layout'

/** One import of a file, as written and, for a relative one, the module file it resolves to. */
export interface ImportRef {
  readonly specifier: string
  /** 1-based line. */
  readonly line: number
  /** `import type` / `export type`: erased at run time, still needed to compile. */
  readonly typeOnly: boolean
  /** For `./x` and `../x`: the file it resolves to, relative to the module; `null` when it resolves to nothing. */
  readonly resolved: string | null
  readonly relative: boolean
}

const EXTENSIONS = ['', '.ts', '.tsx', '.mts', '.cts', '.d.ts', '.js', '.cjs', '.mjs', '.json']

function isFile(path: string): boolean {
  return existsSync(path) && statSync(path).isFile()
}

/**
 * Resolves a relative specifier of `fromFile` (module-relative) to a module file, as TypeScript and jest do:
 * extensions, `.js` written for `.ts`, and `index` files.
 * @example resolveRelative('/repo/packages/x', 'test/a.test.ts', '../src/seed') // 'src/seed.ts'
 */
export function resolveRelative(moduleDir: string, fromFile: string, specifier: string): string | null {
  const base = normalize(join(dirname(fromFile), specifier)).split('\\').join('/')
  if (base.startsWith('..')) return null
  const stripped = base.replace(/\.(c|m)?js$/, '')
  const candidates = [...EXTENSIONS.map((extension) => `${base}${extension}`), ...(stripped === base ? [] : ['.ts', '.tsx', '.mts', '.cts'].map((extension) => `${stripped}${extension}`))]
  for (const candidate of [...candidates, ...EXTENSIONS.slice(1).map((extension) => `${base}/index${extension}`)]) {
    if (isFile(join(moduleDir, candidate))) return candidate.replace(/^\.\//, '')
  }
  return null
}

/**
 * Every import of a source file: static imports and re-exports (type-only ones included), `import x = require()`,
 * `require()`, dynamic `import()`, and `jest.mock()` / `jest.requireActual()` paths.
 * @example listImports('/repo/packages/x', 'test/tasks/task-0.test.ts').map((ref) => ref.specifier) // ['../../src/seed', '@alx/db-core']
 */
export function listImports(moduleDir: string, file: string, text: string = readFileSync(join(moduleDir, file), 'utf8')): ImportRef[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, /\.[cm]?js$/.test(file) ? ts.ScriptKind.JS : ts.ScriptKind.TS)
  const found: ImportRef[] = []
  const add = (node: ts.Node, literal: ts.Expression | undefined, typeOnly: boolean): void => {
    if (literal === undefined || !ts.isStringLiteralLike(literal)) return
    const specifier = literal.text
    const relative = specifier.startsWith('./') || specifier.startsWith('../') || specifier === '.' || specifier === '..'
    found.push({
      specifier,
      line: source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1,
      typeOnly,
      relative,
      resolved: relative ? resolveRelative(moduleDir, file, specifier) : null,
    })
  }
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) add(node, node.moduleSpecifier, node.importClause?.isTypeOnly === true)
    else if (ts.isExportDeclaration(node)) add(node, node.moduleSpecifier, node.isTypeOnly)
    else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) add(node, node.moduleReference.expression, node.isTypeOnly)
    else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) add(node, node.argument.literal, true)
    else if (ts.isCallExpression(node)) {
      const callee = node.expression
      const first = node.arguments[0]
      if (callee.kind === ts.SyntaxKind.ImportKeyword) add(node, first, false)
      else if (ts.isIdentifier(callee) && callee.text === 'require') add(node, first, false)
      else if (
        ts.isPropertyAccessExpression(callee) &&
        ts.isIdentifier(callee.expression) &&
        callee.expression.text === 'jest' &&
        ['mock', 'doMock', 'unmock', 'requireActual', 'requireMock', 'createMockFromModule'].includes(callee.name.text)
      ) {
        add(node, first, false)
      }
    }
    ts.forEachChild(node, visit)
  }
  visit(source)
  return found
}

function packageName(specifier: string): string {
  const parts = specifier.split('/')
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier)
}

/**
 * The import check of a migrated module (issue 12): a graded test imports only entry points, provided files and
 * packages (never the module's own package, which is the reference); a provided file imports only starter files
 * (entry points, provided files), so it works in the starter.
 * @example checkImports(module, moduleLayout(module)) // ['test/tasks/task-1.test.ts:3 imports ../../src/cursor (src/cursor.ts), which is neither …']
 */
export function checkImports(module: CourseModule, layout: ModuleLayout): string[] {
  const problems: string[] = []
  const entry = new Set(layout.entryPoints)
  const provided = new Set(layout.provided)
  const starter = new Set([...entry, ...provided])
  const own = module.packageName
  const check = (file: string, allowed: ReadonlySet<string>, kind: 'graded' | 'starter'): void => {
    if (!isFile(join(module.dir, file))) return
    for (const ref of listImports(module.dir, file)) {
      const where = `${file}:${ref.line}`
      if (!ref.relative) {
        const name = packageName(ref.specifier.replace(/^node:/, ''))
        if (name === own) problems.push(`${where} imports ${JSON.stringify(ref.specifier)}, the module's own package (the reference): import the entry point by its relative path.`)
        else if (ref.specifier.startsWith('/') || ref.specifier.startsWith('#')) problems.push(`${where} imports ${JSON.stringify(ref.specifier)}: only relative paths and packages are allowed.`)
        continue
      }
      if (ref.resolved === null) {
        problems.push(`${where} imports ${JSON.stringify(ref.specifier)}, which resolves to no file of the module.`)
        continue
      }
      if (allowed.has(ref.resolved)) continue
      problems.push(
        kind === 'graded'
          ? `${where} imports ${JSON.stringify(ref.specifier)} (${ref.resolved}), which is neither a task entry point nor provided: a graded test may import only entry points, provided files and packages (add it to tasks.json's "provided" if learners get it working).`
          : `${where} imports ${JSON.stringify(ref.specifier)} (${ref.resolved}), which the starter does not have (neither an entry point nor provided), so the provided file would not work there: list it in tasks.json's "provided" too.`,
      )
    }
  }
  for (const file of layout.gradedTests) check(file, starter, 'graded')
  // Entry points may import reference-only helpers (a learner may add files of their own too); provided files may not.
  for (const file of provided) if (/\.[cm]?[jt]sx?$/.test(file) && !file.endsWith('.d.ts')) check(file, new Set([...starter, ...layout.gradedTests]), 'starter')
  return problems
}

/**
 * The files of `dir` that `files` reach through relative imports (transitively), `files` included, skipping `stop`.
 * Used to take a submission's own helper files along with its entry points.
 * @example reachableFiles('/tmp/work', ['src/stream-users.ts'], new Set()) // ['src/stream-users.ts', 'src/my-cursor.ts']
 */
export function reachableFiles(dir: string, files: readonly string[], stop: ReadonlySet<string>): string[] {
  const seen = new Set<string>()
  const queue = files.filter((file) => isFile(join(dir, file)))
  while (queue.length > 0) {
    const file = queue.shift() ?? ''
    if (seen.has(file)) continue
    seen.add(file)
    if (!/\.[cm]?[jt]sx?$/.test(file)) continue
    for (const ref of listImports(dir, file)) {
      if (ref.resolved !== null && !seen.has(ref.resolved) && !stop.has(ref.resolved) && !ref.resolved.split('/').includes('node_modules')) queue.push(ref.resolved)
    }
  }
  return [...seen].sort()
}
