import ts from 'typescript'

/** One stubbed function: its name (or `<anonymous>`) and line. */
export interface StubbedFunction {
  readonly name: string
  readonly line: number
}

/** Options of {@link stubSource}. */
export interface StubOptions {
  /** The message every stub throws: `Task 0: Seed the database`. */
  readonly message: string
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

function nameOf(node: Stubbable, source: ts.SourceFile): string {
  if (ts.isConstructorDeclaration(node)) return 'constructor'
  if (node.name !== undefined) return node.name.getText(source)
  const parent = node.parent
  if (ts.isVariableDeclaration(parent) || ts.isPropertyDeclaration(parent) || ts.isPropertyAssignment(parent)) return parent.name.getText(source)
  return '<anonymous>'
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
  const quoted = `'${options.message.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`
  const thrown = `throw new NotImplementedError(${quoted})`
  const visit = (node: ts.Node): void => {
    if (!isStubbable(node)) {
      ts.forEachChild(node, visit)
      return
    }
    const body = node.body
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
    edits.push({ start, end: start, text: `${statement}\n${start === 0 ? '' : '\n'}` })
  }
  let result = text
  for (const edit of [...edits].sort((a, b) => b.start - a.start || b.end - a.end)) {
    result = result.slice(0, edit.start) + edit.text + result.slice(edit.end)
  }
  return { text: result, stubbed }
}
