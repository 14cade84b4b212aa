import { existsSync, readFileSync } from 'node:fs'
import { isAbsolute, join, relative, sep } from 'node:path'
import ts from 'typescript'
import type { CompileError } from './grade'

const TSC_LINE = /^(?:[^\s]*#typecheck: )?(.+?)\((\d+),(\d+)\): error (TS\d+): (.*)$/

/**
 * Compile errors from `tsc --noEmit` output run in `packageDir`; errors outside the package are kept with their
 * relative path (`../db-core/src/x.ts`), which no task owns.
 * @example parseTscOutput("src/greet.ts(4,1): error TS1005: '}' expected.") // [{ file: 'src/greet.ts', line: 4, message: "TS1005: '}' expected." }]
 */
export function parseTscOutput(output: string): CompileError[] {
  const errors: CompileError[] = []
  for (const raw of output.split('\n')) {
    // eslint-disable-next-line no-control-regex -- strip ANSI colours from a captured log
    const line = raw.replace(/\u001b\[[0-9;]*[A-Za-z]/g, '').trim()
    const match = TSC_LINE.exec(line)
    if (match === null) continue
    errors.push({ file: (match[1] ?? '').split(sep).join('/'), line: Number(match[2]), message: `${match[4]}: ${match[5]}` })
  }
  return errors
}

/** Options of {@link checkSubmission}. */
export interface CheckSubmissionOptions {
  /** Type-check against the module's tests and dependencies; `false` checks syntax only. @default true */
  readonly types?: boolean
}

function inside(parent: string, child: string): boolean {
  const rel = relative(parent, child)
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel))
}

/**
 * Compile errors in a submission's files, checked as if they sat in the module (the module's tsconfig, tests and
 * dependencies): the module's task files are replaced by the submission's, and files only the submission has are
 * added. Only errors located in submission files count: a test that no longer type-checks is the tests' business.
 * @example checkSubmission('/repo/packages/generators-0x00', '/tmp/work', ['src/seed.ts'])
 */
export function checkSubmission(moduleDir: string, submissionDir: string, taskFiles: readonly string[], options: CheckSubmissionOptions = {}): CompileError[] {
  const tasks = new Set(taskFiles)
  const toSubmission = (file: string): string | null => {
    if (!inside(moduleDir, file) || file.split(/[\\/]/).includes('node_modules')) return null
    const rel = relative(moduleDir, file).split(sep).join('/')
    const candidate = join(submissionDir, rel)
    if (tasks.has(rel)) return candidate
    return existsSync(file) ? null : candidate
  }
  const located = (file: string): string | null => {
    if (!inside(moduleDir, file)) return null
    const rel = relative(moduleDir, file).split(sep).join('/')
    if (tasks.has(rel)) return rel
    return !existsSync(file) && existsSync(join(submissionDir, rel)) ? rel : null
  }
  const submitted = taskFiles.map((file) => join(moduleDir, file)).filter((file) => existsSync(toSubmission(file) ?? file))
  const errors: CompileError[] = []
  const collect = (diagnostics: readonly ts.Diagnostic[]): void => {
    for (const diagnostic of diagnostics) {
      if (diagnostic.file === undefined || diagnostic.category !== ts.DiagnosticCategory.Error) continue
      const rel = located(diagnostic.file.fileName)
      if (rel === null) continue
      const { line } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start ?? 0)
      errors.push({ file: rel, line: line + 1, message: `TS${diagnostic.code}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ')}` })
    }
  }
  if (options.types === false) {
    for (const file of submitted) {
      const text = readFileSync(toSubmission(file) ?? file, 'utf8')
      const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS)
      collect((source as unknown as { parseDiagnostics?: readonly ts.Diagnostic[] }).parseDiagnostics ?? [])
    }
    return errors
  }
  const configFile = ts.findConfigFile(moduleDir, (file) => ts.sys.fileExists(file), 'tsconfig.json')
  const parsed =
    configFile === undefined
      ? { options: { strict: true, noEmit: true, skipLibCheck: true }, fileNames: submitted }
      : (ts.getParsedCommandLineOfConfigFile(configFile, { noEmit: true }, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined }) ?? {
          options: { noEmit: true },
          fileNames: submitted,
        })
  const host = ts.createCompilerHost(parsed.options, true)
  const fileExists = host.fileExists.bind(host)
  const readFile = host.readFile.bind(host)
  host.fileExists = (file) => {
    const mapped = toSubmission(file)
    return mapped === null ? fileExists(file) : existsSync(mapped)
  }
  host.readFile = (file) => {
    const mapped = toSubmission(file)
    return mapped === null ? readFile(file) : existsSync(mapped) ? readFileSync(mapped, 'utf8') : undefined
  }
  host.directoryExists = (directory) => ts.sys.directoryExists(directory) || (inside(moduleDir, directory) && ts.sys.directoryExists(join(submissionDir, relative(moduleDir, directory))))
  const rootNames = [...new Set([...parsed.fileNames.filter((file) => host.fileExists(file)), ...submitted])]
  const program = ts.createProgram({ rootNames, options: { ...parsed.options, noEmit: true, incremental: false }, host })
  for (const file of submitted) {
    const source = program.getSourceFile(file)
    if (source === undefined) continue
    collect(program.getSyntacticDiagnostics(source))
    collect(program.getSemanticDiagnostics(source))
  }
  // Extra learner files reached through imports.
  for (const source of program.getSourceFiles()) {
    if (submitted.includes(source.fileName) || located(source.fileName) === null) continue
    collect(program.getSyntacticDiagnostics(source))
    collect(program.getSemanticDiagnostics(source))
  }
  return errors
}

/**
 * Compile errors of a graded working folder (a starter with a submission's files over it), located in `files`
 * (the submission's, relative): its own tsconfig, every file it includes, errors elsewhere ignored.
 * @example checkWorkdir('/tmp/alx-work-x/generators-0x00', ['src/seed.ts'])
 */
export function checkWorkdir(dir: string, files: readonly string[], options: CheckSubmissionOptions = {}): CompileError[] {
  const wanted = new Set(files.filter((file) => /\.[cm]?tsx?$/.test(file)))
  const errors: CompileError[] = []
  const relativeOf = (file: string): string => relative(dir, file).split(sep).join('/')
  const collect = (diagnostics: readonly ts.Diagnostic[]): void => {
    for (const diagnostic of diagnostics) {
      if (diagnostic.file === undefined || diagnostic.category !== ts.DiagnosticCategory.Error) continue
      const rel = relativeOf(diagnostic.file.fileName)
      if (!wanted.has(rel)) continue
      const { line } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start ?? 0)
      errors.push({ file: rel, line: line + 1, message: `TS${diagnostic.code}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ')}` })
    }
  }
  const absolute = [...wanted].map((file) => join(dir, file))
  if (options.types === false) {
    for (const file of absolute) {
      const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true, ts.ScriptKind.TS)
      collect((source as unknown as { parseDiagnostics?: readonly ts.Diagnostic[] }).parseDiagnostics ?? [])
    }
    return errors
  }
  const configFile = join(dir, 'tsconfig.json')
  const parsed = existsSync(configFile)
    ? ts.getParsedCommandLineOfConfigFile(configFile, { noEmit: true }, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined })
    : undefined
  const program = ts.createProgram({
    rootNames: [...new Set([...(parsed?.fileNames ?? []), ...absolute])],
    options: { ...(parsed?.options ?? { strict: true, skipLibCheck: true }), noEmit: true, incremental: false },
  })
  for (const source of program.getSourceFiles()) {
    if (!wanted.has(relativeOf(source.fileName))) continue
    collect(program.getSyntacticDiagnostics(source))
    collect(program.getSemanticDiagnostics(source))
  }
  return errors
}
