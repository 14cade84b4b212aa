import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import ts from 'typescript'
import { taskIdOf } from './task-metadata'

/** A test (`it`/`test` call) found by reading a test file, before anything runs. */
export interface StaticTest {
  /** Test file, relative to the package root. */
  readonly file: string
  /** The enclosing describe titles as written (placeholders such as `%s` kept). */
  readonly describePath: readonly string[]
  readonly title: string
  /** The task of the top-level describe, or `null` when the test is outside any `Task N:` describe. */
  readonly taskId: string | null
  /** 1-based line of the `it`/`test` call. */
  readonly line: number
  /** The test's body, dedented (Exercism's `test_code`). */
  readonly code: string
  /** `it.skip`, `xit`, `it.todo`: declared but not meant to run. */
  readonly skipped: boolean
  /** Regular expressions (sources) that the runtime describe titles and test title must match. */
  readonly pathPatterns: readonly string[]
  readonly titlePattern: string
  /** Describe or test titles (as written) that keep a placeholder nothing fills: `'on %s'` outside `.each`, `'… ${x}'` in quotes. */
  readonly unfilled: readonly string[]
}

/** What reading one test file found. */
export interface TestFileAnalysis {
  readonly file: string
  readonly tests: readonly StaticTest[]
  /** Syntax errors the TypeScript parser reported, as `line:column message`. */
  readonly syntaxErrors: readonly string[]
}

const SUITE = new Set(['describe', 'fdescribe', 'xdescribe'])
const CASE = new Set(['it', 'test', 'fit', 'xit', 'xtest'])
const SKIPPING = new Set(['skip', 'todo', 'xit', 'xtest', 'xdescribe'])

interface Callee {
  readonly base: string
  readonly modifiers: readonly string[]
}

function unwrapCallee(expression: ts.Expression): Callee | null {
  const modifiers: string[] = []
  let current: ts.Expression = expression
  for (;;) {
    if (ts.isIdentifier(current)) return { base: current.text, modifiers }
    if (ts.isPropertyAccessExpression(current)) {
      modifiers.unshift(current.name.text)
      current = current.expression
    } else if (ts.isCallExpression(current)) {
      current = current.expression // `.each(table)(title, fn)`
    } else if (ts.isTaggedTemplateExpression(current)) {
      current = current.tag // `.each\`table\`(title, fn)`
    } else {
      return null
    }
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

// jest's title placeholders: printf-style (`%s`, `%#`, …) and `$name` / `$a.b` for table rows.
function patternOf(text: string): string {
  let pattern = ''
  const token = /%%|%[sdifjoOpc#]|\$[A-Za-z_][\w.]*|\uE000/g
  let last = 0
  for (let match = token.exec(text); match !== null; match = token.exec(text)) {
    pattern += escapeRegExp(text.slice(last, match.index)) + (match[0] === '%%' ? '%' : '.*?')
    last = match.index + match[0].length
  }
  return `^${pattern}${escapeRegExp(text.slice(last))}$`
}

interface Title {
  readonly text: string
  readonly raw: string
  readonly unfilled?: boolean
}

/** A placeholder jest fills only in `.each` titles (printf-style or `$name`). */
export const EACH_PLACEHOLDER = /%[sdifjoOpc#]|\$[A-Za-z_][\w.]*/
/** What a title keeps when nothing filled it: a jest placeholder or a `${…}` written in plain quotes. */
export const UNFILLED_PLACEHOLDER = /%[sdifjoOpc#]|\$\{[^}]*\}|\$[A-Za-z_][\w.]*/

// A title as written, with every non-literal part replaced by U+E000 (turned into a wildcard by patternOf).
function titleText(node: ts.Expression | undefined, source: ts.SourceFile, each = false): Title {
  if (node === undefined) return { text: '\uE000', raw: '' }
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
    const unfilled = (ts.isStringLiteral(node) && /\$\{[^}]*\}/.test(node.text)) || (!each && EACH_PLACEHOLDER.test(node.text))
    return { text: node.text, raw: node.text, unfilled }
  }
  if (ts.isTemplateExpression(node)) {
    let text = node.head.text
    for (const span of node.templateSpans) text += `\uE000${span.literal.text}`
    return { text, raw: node.getText(source).slice(1, -1) }
  }
  return { text: '\uE000', raw: node.getText(source) }
}

function dedent(text: string): string {
  const lines = text.replace(/^\s*\n/, '').replace(/\s+$/, '').split('\n')
  const indents = lines.filter((line) => line.trim() !== '').map((line) => /^\s*/.exec(line)?.[0].length ?? 0)
  const indent = indents.length > 0 ? Math.min(...indents) : 0
  return lines.map((line) => line.slice(indent)).join('\n')
}

function bodyCode(fn: ts.Expression | undefined, call: ts.CallExpression, source: ts.SourceFile): string {
  if (fn !== undefined && (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn))) {
    const body = fn.body
    if (ts.isBlock(body)) return dedent(source.text.slice(body.getStart(source) + 1, body.getEnd() - 1))
    return body.getText(source)
  }
  return call.getText(source)
}

/**
 * Finds the tests of one test file by reading its syntax tree: their describe path, task, line and code.
 * @example analyzeTestSource('src/add.test.ts', "describe('Task 0: add', () => { it('adds', () => {}) })").tests[0]?.taskId // '0'
 */
export function analyzeTestSource(file: string, text: string): TestFileAnalysis {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS)
  const tests: StaticTest[] = []
  const visit = (node: ts.Node, path: readonly Title[], skipped: boolean): void => {
    if (ts.isCallExpression(node)) {
      const callee = unwrapCallee(node.expression)
      if (callee !== null && (SUITE.has(callee.base) || CASE.has(callee.base))) {
        const title = titleText(node.arguments[0], source, callee.modifiers.includes('each'))
        const skip = skipped || SKIPPING.has(callee.base) || callee.modifiers.some((modifier) => SKIPPING.has(modifier))
        const fn = node.arguments[1]
        if (SUITE.has(callee.base)) {
          if (fn !== undefined) visit(fn, [...path, title], skip)
          return
        }
        const describePath = path.map((part) => part.raw)
        tests.push({
          file,
          describePath,
          title: title.raw,
          taskId: path[0] === undefined ? null : taskIdOf(path[0].text),
          line: source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1,
          code: bodyCode(fn, node, source),
          skipped: skip || callee.modifiers.includes('todo'),
          pathPatterns: path.map((part) => patternOf(part.text)),
          titlePattern: patternOf(title.text),
          unfilled: [...path, title].filter((part) => part.unfilled === true).map((part) => part.raw),
        })
        return
      }
    }
    ts.forEachChild(node, (child) => visit(child, path, skipped))
  }
  visit(source, [], false)
  const diagnostics = (source as unknown as { parseDiagnostics?: readonly ts.DiagnosticWithLocation[] }).parseDiagnostics ?? []
  const syntaxErrors = diagnostics.map((diagnostic) => {
    const { line, character } = source.getLineAndCharacterOfPosition(diagnostic.start)
    return `${line + 1}:${character + 1} ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`
  })
  return { file, tests, syntaxErrors }
}

/** Test file names the shared jest presets run. */
export const TEST_FILE = /\.(test|spec)\.[cm]?[jt]sx?$/

const SKIP_DIRS = new Set(['node_modules', 'dist', 'coverage', 'reports', '.turbo', '.git'])

/**
 * Every test file of a module (`src/**` and `test/**`, as the presets' `testMatch`), relative and sorted.
 * @example findTestFiles('/repo/packages/generators-0x00') // ['src/stream-users.test.ts', 'test/integration/seed.test.ts']
 */
export function findTestFiles(moduleDir: string): string[] {
  const found: string[] = []
  const walk = (relativeDir: string): void => {
    const absolute = join(moduleDir, relativeDir)
    if (!existsSync(absolute)) return
    for (const entry of readdirSync(absolute).sort()) {
      if (SKIP_DIRS.has(entry)) continue
      const relativePath = `${relativeDir}/${entry}`
      if (statSync(join(moduleDir, relativePath)).isDirectory()) walk(relativePath)
      else if (TEST_FILE.test(entry)) found.push(relativePath)
    }
  }
  walk('src')
  walk('test')
  return found
}

/**
 * Reads and analyzes every test file of a module.
 * @example analyzeModuleTests('/repo/packages/generators-0x00').flatMap((file) => file.tests)
 */
export function analyzeModuleTests(moduleDir: string): TestFileAnalysis[] {
  return findTestFiles(moduleDir).map((file) => analyzeTestSource(file, readFileSync(join(moduleDir, file), 'utf8')))
}

/**
 * Whether a test that ran (its describe titles and title) is the one `candidate` describes.
 * @example matchesStaticTest(test, ['Task 0: add numbers'], 'adds -1 and 1')
 */
export function matchesStaticTest(candidate: StaticTest, ancestorTitles: readonly string[], title: string): boolean {
  if (candidate.pathPatterns.length !== ancestorTitles.length) return false
  if (!new RegExp(candidate.titlePattern, 's').test(title)) return false
  return candidate.pathPatterns.every((pattern, index) => new RegExp(pattern, 's').test(ancestorTitles[index] ?? ''))
}
