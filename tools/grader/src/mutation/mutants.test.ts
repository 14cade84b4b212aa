import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import ts from 'typescript'
import { readMutationConfig } from './config'
import type { MutantDefinition } from './config'
import { absolutizeImports, applyMutant, writeMutants } from './mutants'

const mutant = (edits: MutantDefinition['edits']): MutantDefinition => ({ id: 'm', task: '0', file: 'src/x.ts', when: 'x breaks', edits })

describe('applyMutant', () => {
  test('applies the edits in order', () => {
    expect(applyMutant('const a = 1\nconst b = 2\n', mutant([{ find: 'a = 1', replace: 'a = 3' }, { find: 'a = 3', replace: 'a = 4' }]))).toBe('const a = 4\nconst b = 2\n')
  })

  test('a replacement holding $& or $1 is inserted literally', () => {
    expect(applyMutant('x', mutant([{ find: 'x', replace: '`${a}$&$1`' }]))).toBe('`${a}$&$1`')
  })

  test.each([
    ['missing', 0],
    ['twice twice', 2],
  ])('refuses an edit that does not match exactly once (%p)', (source, count) => {
    expect(() => applyMutant(source, mutant([{ find: source === 'missing' ? 'absent' : 'twice', replace: 'y' }]))).toThrow(`found ${count} matches`)
  })
})

describe('absolutizeImports', () => {
  test('rewrites relative specifiers of import, export, require and import() and leaves packages alone', () => {
    const source = [
      "import { a } from './a'",
      "import type { B } from '../lib/b'",
      "export { c } from './c'",
      "import './side-effect'",
      "const d = require('./d')",
      "const e = await import('./e')",
      "import nock from 'nock'",
    ].join('\n')
    expect(absolutizeImports(source, '/m/src').split('\n')).toEqual([
      "import { a } from '/m/src/a'",
      "import type { B } from '/m/lib/b'",
      "export { c } from '/m/src/c'",
      "import '/m/src/side-effect'",
      "const d = require('/m/src/d')",
      "const e = await import('/m/src/e')",
      "import nock from 'nock'",
    ])
  })
})

describe('writeMutants on unittests-0x03', () => {
  const moduleDir = resolve(__dirname, '..', '..', '..', '..', 'packages', 'unittests-0x03')
  const config = readMutationConfig(moduleDir)

  test('every mutant applies, differs from the original, imports the module by absolute path and type-checks', () => {
    const out = mkdtempSync(join(tmpdir(), 'mutants-test-'))
    try {
      const written = writeMutants(moduleDir, config, out)
      expect(written).toHaveLength(config.mutants.length)
      for (const entry of written) {
        const text = readFileSync(entry.path, 'utf8')
        expect(text).not.toBe(readFileSync(entry.original, 'utf8'))
        expect(text).not.toMatch(/from '\.\.?\//)
      }
      // A mutant that does not compile would be "killed" by any test: each must be a well-typed program.
      const options: ts.CompilerOptions = { strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.Node16, moduleResolution: ts.ModuleResolutionKind.Node16, lib: ['lib.es2023.d.ts', 'lib.esnext.disposable.d.ts', 'lib.dom.d.ts'], types: ['node'], skipLibCheck: true, noUncheckedIndexedAccess: true }
      const program = ts.createProgram(written.map((entry) => entry.path), options)
      const errors = ts.getPreEmitDiagnostics(program).filter((diagnostic) => diagnostic.file !== undefined && written.some((entry) => entry.path === diagnostic.file?.fileName))
      expect(errors.map((diagnostic) => `${diagnostic.file?.fileName}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`)).toEqual([])
    } finally {
      rmSync(out, { recursive: true, force: true })
    }
  }, 60_000)
})
