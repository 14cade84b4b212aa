import ts from 'typescript'

/** One stubbed function: its name (or `<anonymous>`) and line. */
export interface StubbedFunction {
  readonly name: string
  readonly line: number
}

/** Options of {@link stubSource}. */
export interface StubOptions {
  /**
   * What every stub throws: with `file`, `new NotImplementedError('<stub name>', '<file>', '<task>')` (the error's
   * message names the stub: `not implemented: streamUsers (src/stream-users.ts)`); without, the message itself.
   */
  readonly message: string
  /** The file as the learner sees it (`src/stream-users.ts`): each stub then names itself and this file. */
  readonly file?: string
  /** Drop what the stubbed bodies no longer use: imports, and declarations the file does not export. @default false */
  readonly prune?: boolean
  /** Module specifier the file imports `NotImplementedError` from. */
  readonly importFrom: string
  /** A type checker over the original sources, used to keep inferred return types as explicit annotations. */
  readonly checker?: ts.TypeChecker
  /** The file as the checker's program holds it (same text). */
  readonly sourceFile?: ts.SourceFile
}

interface Edit {
  readonly start: number
  readonly end: number
  readonly text: string
}

type Stubbable = ts.FunctionLikeDeclaration & { readonly body: ts.ConciseBody }

function isStubbable(node: ts.Node): node is Stubbable {
  return (
    (ts.isFunctionDeclaration(node) ||
      ts.isMethodDeclaration(node) ||
      ts.isConstructorDeclaration(node) ||
      ts.isGetAccessorDeclaration(node) ||
      ts.isSetAccessorDeclaration(node) ||
      ts.isArrowFunction(node) ||
      ts.isFunctionExpression(node)) &&
    node.body !== undefined
  )
}

function ownName(node: ts.Node, source: ts.SourceFile): string | null {
  if (ts.isConstructorDeclaration(node)) return 'constructor'
  const named = (node as { name?: ts.Node }).name
  if (named !== undefined && (ts.isFunctionLike(node) || ts.isClassLike(node))) return named.getText(source)
  const parent = node.parent
  if (parent !== undefined && (ts.isVariableDeclaration(parent) || ts.isPropertyDeclaration(parent) || ts.isPropertyAssignment(parent))) return parent.name.getText(source)
  return null
}

function nameOf(node: Stubbable, source: ts.SourceFile): string {
  const own = ownName(node, source)
  if (ts.isConstructorDeclaration(node) || ts.isMethodDeclaration(node) || ts.isGetAccessorDeclaration(node) || ts.isSetAccessorDeclaration(node) || ts.isPropertyDeclaration(node.parent)) {
    const owner = ts.isClassLike(node.parent) ? (node.parent.name?.getText(source) ?? null) : ts.isObjectLiteralExpression(node.parent) ? ownName(node.parent, source) : null
    if (owner !== null && own !== null) return `${owner}.${own}`
  }
  if (own === null && ts.isPropertyAssignment(node.parent) && ts.isObjectLiteralExpression(node.parent.parent)) {
    const owner = ownName(node.parent.parent, source)
    if (owner !== null) return `${owner}.${node.parent.name.getText(source)}`
  }
  return own ?? '<anonymous>'
}

function quote(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`
}

const exported = (node: ts.Node): boolean =>
  ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword || modifier.kind === ts.SyntaxKind.DefaultKeyword)

function declaredNames(statement: ts.Statement): ts.Identifier[] {
  if (ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement) || ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement) || ts.isEnumDeclaration(statement)) {
    return statement.name !== undefined && ts.isIdentifier(statement.name) ? [statement.name] : []
  }
  if (ts.isVariableStatement(statement)) {
    const names: ts.Identifier[] = []
    const collect = (name: ts.BindingName): void => {
      if (ts.isIdentifier(name)) names.push(name)
      else for (const element of name.elements) if (!ts.isOmittedExpression(element)) collect(element.name)
    }
    for (const declaration of statement.declarationList.declarations) collect(declaration.name)
    return names
  }
  return []
}

/**
 * Removes what a stubbed file no longer uses: import specifiers nothing references, and top-level declarations the
 * file neither exports nor references (private helpers of the reference), until nothing more goes.
 * @example pruneUnused("import { a } from './a'\nexport function f() { throw new Error() }\n") // "export function f() { throw new Error() }\n"
 */
export function pruneUnused(text: string, keep: ReadonlySet<string> = new Set(['NotImplementedError'])): string {
  let current = text
  for (let round = 0; round < 20; round += 1) {
    const source = ts.createSourceFile('stub.ts', current, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS)
    const uses = new Map<string, number>()
    const count = (node: ts.Node): void => {
      if (ts.isIdentifier(node)) uses.set(node.text, (uses.get(node.text) ?? 0) + 1)
      ts.forEachChild(node, count)
    }
    count(source)
    // Names a file re-exports (`export { helper }`) are used.
    const used = (name: ts.Identifier, declarations = 1): boolean => keep.has(name.text) || (uses.get(name.text) ?? 0) > declarations
    const edits: { start: number; end: number; text: string }[] = []
    for (const statement of source.statements) {
      if (ts.isImportDeclaration(statement)) {
        const clause = statement.importClause
        if (clause === undefined) continue // a side-effect import stays
        const names: ts.Identifier[] = []
        if (clause.name !== undefined) names.push(clause.name)
        const bindings = clause.namedBindings
        if (bindings !== undefined && ts.isNamespaceImport(bindings)) names.push(bindings.name)
        const specifiers = bindings !== undefined && ts.isNamedImports(bindings) ? [...bindings.elements] : []
        const keptSpecifiers = specifiers.filter((specifier) => used(specifier.name))
        const keptDefault = clause.name !== undefined && used(clause.name)
        const keptNamespace = bindings !== undefined && ts.isNamespaceImport(bindings) && used(bindings.name)
        if (keptSpecifiers.length === specifiers.length && (clause.name === undefined || keptDefault) && (bindings === undefined || !ts.isNamespaceImport(bindings) || keptNamespace)) continue
        const start = statement.getFullStart()
        if (!keptDefault && !keptNamespace && keptSpecifiers.length === 0) {
          edits.push({ start, end: statement.getEnd(), text: '' })
          continue
        }
        const parts: string[] = []
        if (keptDefault && clause.name !== undefined) parts.push(clause.name.text)
        if (keptNamespace && bindings !== undefined && ts.isNamespaceImport(bindings)) parts.push(`* as ${bindings.name.text}`)
        if (keptSpecifiers.length > 0) parts.push(`{ ${keptSpecifiers.map((specifier) => specifier.getText(source)).join(', ')} }`)
        const leading = current.slice(start, statement.getStart(source))
        edits.push({ start, end: statement.getEnd(), text: `${leading}import ${clause.isTypeOnly ? 'type ' : ''}${parts.join(', ')} from ${statement.moduleSpecifier.getText(source)}` })
        continue
      }
      if (exported(statement)) continue
      const names = declaredNames(statement)
      if (names.length === 0) continue
      // Overloads and declaration merging declare a name more than once.
      const declarations = (name: ts.Identifier): number => source.statements.filter((other) => declaredNames(other).some((each) => each.text === name.text)).length
      if (names.some((name) => used(name, declarations(name)))) continue
      edits.push({ start: statement.getFullStart(), end: statement.getEnd(), text: '' })
    }
    if (edits.length === 0) break
    for (const edit of edits.sort((a, b) => b.start - a.start)) current = current.slice(0, edit.start) + edit.text + current.slice(edit.end)
  }
  return current.replace(/\n{3,}/g, '\n\n').replace(/^\n+/, '')
}

function indentAt(source: ts.SourceFile, position: number): string {
  const lineStart = source.text.lastIndexOf('\n', position - 1) + 1
  return /^[ \t]*/.exec(source.text.slice(lineStart))?.[0] ?? ''
}

// A derived class's constructor must still call super(), or the stub does not compile; the statements before it
// stay too, since they compute super's arguments.
function superPrologue(node: Stubbable, source: ts.SourceFile): string[] {
  if (!ts.isConstructorDeclaration(node) || !ts.isBlock(node.body)) return []
  const statements = node.body.statements
  const at = statements.findIndex(
    (statement) => ts.isExpressionStatement(statement) && ts.isCallExpression(statement.expression) && statement.expression.expression.kind === ts.SyntaxKind.SuperKeyword,
  )
  if (at < 0) return []
  const indent = indentAt(source, statements[0]?.getStart(source) ?? 0)
  return statements.slice(0, at + 1).map((statement) => {
    const text = statement.getText(source)
    return text.split('\n').map((line) => (line.startsWith(indent) ? line.slice(indent.length) : line)).join('\n')
  })
}

function returnTypeOf(node: Stubbable, checker: ts.TypeChecker | undefined): string | null {
  if (checker === undefined || node.type !== undefined || ts.isConstructorDeclaration(node) || ts.isSetAccessorDeclaration(node)) return null
  const signature = checker.getSignatureFromDeclaration(node)
  if (signature === undefined) return null
  const text = checker.typeToString(checker.getReturnTypeOfSignature(signature), node, ts.TypeFormatFlags.NoTruncation)
  // Types that only print as import("…") or that inference could not name stay unannotated.
  return text.includes('import(') || text === 'any' || text === 'never' ? null : text
}

/**
 * Rewrites a source file for a learner starter: every function, method, constructor, accessor and arrow function
 * body (outside other functions) becomes `throw new NotImplementedError('<message>')`. Signatures, JSDoc, types and
 * constants stay; inferred return types are written out so the public API keeps its types.
 * @example stubSource('src/add.ts', 'export function add(a: number, b: number) { return a + b }', { message: 'Task 0: Add', importFrom: './not-implemented' }).text
 */
export function stubSource(fileName: string, text: string, options: StubOptions): { text: string; stubbed: StubbedFunction[] } {
  const source = options.sourceFile ?? ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS)
  const edits: Edit[] = []
  const stubbed: StubbedFunction[] = []
  const thrownBy = (node: Stubbable): string =>
    options.file === undefined ? `throw new NotImplementedError(${quote(options.message)})` : `throw new NotImplementedError(${quote(nameOf(node, source))}, ${quote(options.file)}, ${quote(options.message)})`
  const visit = (node: ts.Node): void => {
    if (!isStubbable(node)) {
      ts.forEachChild(node, visit)
      return
    }
    const body = node.body
    const thrown = thrownBy(node)
    const indent = indentAt(source, node.getStart(source))
    if (ts.isBlock(body)) {
      const keep = superPrologue(node, source).map((statement) => statement.split('\n').map((line) => `${indent}  ${line}`).join('\n'))
      const lines = [...keep, `${indent}  ${thrown}`]
      edits.push({ start: body.getStart(source), end: body.getEnd(), text: `{\n${lines.join('\n')}\n${indent}}` })
    } else {
      edits.push({ start: body.getStart(source), end: body.getEnd(), text: `{\n${indent}  ${thrown}\n${indent}}` })
    }
    const returnType = returnTypeOf(node, options.checker)
    const closeParen = node.getChildren(source).find((child) => child.kind === ts.SyntaxKind.CloseParenToken)
    if (returnType !== null && closeParen !== undefined) edits.push({ start: closeParen.getEnd(), end: closeParen.getEnd(), text: `: ${returnType}` })
    stubbed.push({ name: nameOf(node, source), line: source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1 })
  }
  ts.forEachChild(source, visit)
  if (stubbed.length === 0) return { text, stubbed }
  // After the last import; with none, above the first statement and its JSDoc.
  const imports = source.statements.filter(ts.isImportDeclaration)
  const lastImport = imports[imports.length - 1]
  const statement = `import { NotImplementedError } from '${options.importFrom}'`
  if (lastImport !== undefined) edits.push({ start: lastImport.getEnd(), end: lastImport.getEnd(), text: `\n${statement}` })
  else {
    const at = source.statements[0]?.getFullStart() ?? 0
    const shebang = /^#!.*\n/.exec(text)?.[0].length ?? 0
    const start = Math.max(at, shebang)
    edits.push({ start, end: start, text: `${statement}\n\n` })
  }
  let result = text
  for (const edit of [...edits].sort((a, b) => b.start - a.start || b.end - a.end)) {
    result = result.slice(0, edit.start) + edit.text + result.slice(edit.end)
  }
  return { text: options.prune === true ? pruneUnused(result) : result, stubbed }
}
