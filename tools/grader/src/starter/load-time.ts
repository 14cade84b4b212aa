import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import ts from 'typescript'
import { resolveRelative } from '../imports'

function isFunctionBody(node: ts.Node): boolean {
  return ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node) || ts.isArrowFunction(node) || ts.isMethodDeclaration(node) || ts.isConstructorDeclaration(node) || ts.isGetAccessorDeclaration(node) || ts.isSetAccessorDeclaration(node)
}

function rootIdentifier(expression: ts.Expression): ts.Identifier | null {
  let current: ts.Expression = expression
  for (;;) {
    if (ts.isIdentifier(current)) return current
    if (ts.isPropertyAccessExpression(current) || ts.isElementAccessExpression(current)) current = current.expression
    else if (ts.isParenthesizedExpression(current) || ts.isNonNullExpression(current) || ts.isAsExpression(current)) current = current.expression
    else if (ts.isCallExpression(current)) current = current.expression
    else return null
  }
}

/**
 * Code that runs when a file is imported and would call a starter stub: a top-level call, `new`, decorator or
 * static initializer whose callee is one of the file's own functions or classes (when the file is an entry point,
 * all of them are stubs) or something imported from an entry point. In the starter, importing such a file throws
 * `NotImplementedError` before any test runs, so one unsolved task breaks others (issue 12: importing never runs a stub).
 * @example loadTimeStubCalls('/repo/packages/x', 'src/cache-query.ts', new Set(['src/cache-query.ts'])) // ['src/cache-query.ts:12 runs `new QueryCache()` …']
 */
export function loadTimeStubCalls(moduleDir: string, file: string, entryPoints: ReadonlySet<string>): string[] {
  const text = readFileSync(join(moduleDir, file), 'utf8')
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS)
  const isEntry = entryPoints.has(file)
  const stubbedHere = new Set<string>()
  const imported = new Map<string, string>() // local name → entry point it comes from
  for (const statement of source.statements) {
    if (isEntry) {
      if (ts.isFunctionDeclaration(statement) && statement.name !== undefined && statement.body !== undefined) stubbedHere.add(statement.name.text)
      if (ts.isClassDeclaration(statement) && statement.name !== undefined && statement.members.some((member) => isFunctionBody(member))) stubbedHere.add(statement.name.text)
      if (ts.isVariableStatement(statement)) {
        for (const declaration of statement.declarationList.declarations) {
          const init = declaration.initializer
          if (ts.isIdentifier(declaration.name) && init !== undefined && (ts.isArrowFunction(init) || ts.isFunctionExpression(init) || ts.isClassExpression(init))) stubbedHere.add(declaration.name.text)
        }
      }
    }
    if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier) && statement.importClause !== undefined && !statement.importClause.isTypeOnly) {
      const specifier = statement.moduleSpecifier.text
      if (!specifier.startsWith('.')) continue
      const resolved = resolveRelative(moduleDir, file, specifier)
      if (resolved === null || !entryPoints.has(resolved)) continue
      const clause = statement.importClause
      if (clause.name !== undefined) imported.set(clause.name.text, resolved)
      const bindings = clause.namedBindings
      if (bindings !== undefined && ts.isNamespaceImport(bindings)) imported.set(bindings.name.text, resolved)
      if (bindings !== undefined && ts.isNamedImports(bindings)) for (const element of bindings.elements) if (!element.isTypeOnly) imported.set(element.name.text, resolved)
    }
  }
  const problems: string[] = []
  const flag = (node: ts.Node, callee: ts.Expression): void => {
    const root = rootIdentifier(callee)
    if (root === null) return
    const from = imported.get(root.text) ?? (stubbedHere.has(root.text) ? file : undefined)
    if (from === undefined) return
    const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1
    const shown = node.getText(source).replace(/\s+/g, ' ')
    problems.push(
      `${file}:${line} runs \`${shown.length > 60 ? `${shown.slice(0, 59)}…` : shown}\` when imported, and ${root.text} (${from}) is a stub in the starter: importing ${file} would throw NotImplementedError; create it on first use instead.`,
    )
  }
  const visit = (node: ts.Node, inClassBody: boolean): void => {
    if (isFunctionBody(node)) {
      // Decorators on methods run at class definition; the method body does not.
      for (const decorator of (ts.canHaveDecorators(node) ? ts.getDecorators(node) : undefined) ?? []) visit(decorator, false)
      return
    }
    if (inClassBody && ts.isPropertyDeclaration(node) && !(ts.getModifiers(node) ?? []).some((modifier) => modifier.kind === ts.SyntaxKind.StaticKeyword)) {
      for (const decorator of ts.getDecorators(node) ?? []) visit(decorator, false)
      return // instance field initializers run per instance
    }
    if (ts.isCallExpression(node) || ts.isNewExpression(node)) flag(node, node.expression)
    else if (ts.isDecorator(node)) flag(node, node.expression)
    else if (ts.isTaggedTemplateExpression(node)) flag(node, node.tag)
    ts.forEachChild(node, (child) => visit(child, ts.isClassLike(node) ? true : inClassBody && !ts.isClassLike(child)))
  }
  for (const statement of source.statements) visit(statement, false)
  return problems
}
