import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { CourseModule } from './discover'
import { loadModule } from './discover'
import { checkTaskTests } from './grade'
import { listImports, reachableFiles } from './imports'
import { analyzeGradedTests, globPattern, moduleLayout } from './layout'
import { loadTimeStubCalls } from './starter/load-time'
import { checkTaskStatements, parseTasksMarkdown, syncReadme } from './tasks-md'

const FIXTURE = join(__dirname, '..', 'test', 'fixtures', 'task-module')

let root: string
let dir: string
let mod: CourseModule

const check = (): string[] => checkTaskTests(mod, mod.manifest!, analyzeGradedTests(mod), [])

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'grader-task-tests-'))
  dir = join(root, 'task-module')
  cpSync(FIXTURE, dir, { recursive: true })
  mod = loadModule(dir, root)
})

afterEach(() => {
  rmSync(root, { recursive: true, force: true })
})

describe('the layout of a module with graded task tests', () => {
  it('has entry points, provided files (globs expanded) and graded tests; reference-only files are none of them', () => {
    expect(moduleLayout(mod)).toEqual({
      entryPoints: ['src/add.ts', 'src/count-words.ts', 'src/memo.ts'],
      provided: ['src/errors.ts', 'src/index.ts', 'src/remembering.ts', 'src/text.ts', 'test/helpers/sample.ts'],
      gradedTests: ['test/tasks/task-0.test.ts', 'test/tasks/task-1.test.ts', 'test/tasks/task-2.test.ts'],
      unmatched: [],
    })
  })

  it('globPattern reads *, ** and plain folders', () => {
    expect(globPattern('test/**').test('test/a/b.ts')).toBe(true)
    expect(globPattern('src/*.ts').test('src/a/b.ts')).toBe(false)
    expect(globPattern('src/**/*.ts').test('src/a.ts')).toBe(true)
    expect(globPattern('test/fixtures', true).test('test/fixtures/x.json')).toBe(true)
  })

  it('grades only the graded test files', () => {
    expect(analyzeGradedTests(mod).map((analysis) => analysis.file)).toEqual(moduleLayout(mod).gradedTests)
  })

  it('the fixture passes the metadata check', () => {
    expect(check()).toEqual([])
  })
})

describe('the metadata check of graded task tests', () => {
  it('fails a graded test that imports a file that is neither an entry point nor provided, naming the file and the import', () => {
    writeFileSync(join(dir, 'test/tasks/task-0.test.ts'), `import { checked } from '../../src/internal/checked'\nimport { add } from '../../src/add'\n\ndescribe('Task 0: add', () => {\n  it('adds', () => {\n    expect(add(checked(1), 2)).toBe(3)\n  })\n})\n`)
    expect(check()).toEqual([
      'test/tasks/task-0.test.ts:1 imports "../../src/internal/checked" (src/internal/checked.ts), which is neither a task entry point nor provided: a graded test may import only entry points, provided files and packages (add it to tasks.json\'s "provided" if learners get it working).',
    ])
  })

  it('fails a graded test importing the module itself, a missing file, or sitting outside its task describe', () => {
    writeFileSync(
      join(dir, 'test/tasks/task-1.test.ts'),
      `import { countWords } from '@alx/task-module'\nimport { gone } from '../helpers/gone'\n\ndescribe('Task 0: count', () => {\n  it('counts', () => {\n    expect(countWords(gone).size).toBe(0)\n  })\n})\n`,
    )
    expect(checkTaskTests(mod, mod.manifest!, analyzeGradedTests(mod), [{ file: 'test/tasks/task-1.test.ts', ancestorTitles: ['Task 0: count'], title: 'counts' }])).toEqual([
      'test/tasks/task-1.test.ts: "Task 0: count › counts" ran outside describe(\'Task 1: …\'), and the file is graded for Task 1.',
      'test/tasks/task-1.test.ts:1 imports "@alx/task-module", the module\'s own package (the reference): import the entry point by its relative path.',
      'test/tasks/task-1.test.ts:2 imports "../helpers/gone", which resolves to no file of the module.',
    ])
  })

  it('fails unfilled placeholders in graded titles, statically and as they ran', () => {
    writeFileSync(
      join(dir, 'test/tasks/task-2.test.ts'),
      "import { memo } from '../../src'\n\ndescribe('Task 2: memo on %s', () => {\n  it('remembers on ${dialect}', () => {\n    expect(memo((n: number) => n)(1)).toBe(1)\n  })\n  it.each([1])('fine for %s', (n) => {\n    expect(n).toBe(1)\n  })\n})\n",
    )
    const problems = checkTaskTests(mod, mod.manifest!, analyzeGradedTests(mod), [
      { file: 'test/tasks/task-2.test.ts', ancestorTitles: ['Task 2: memo on %s'], title: 'remembers on ${dialect}' },
      { file: 'test/tasks/task-2.test.ts', ancestorTitles: ['Task 2: memo on %s'], title: 'fine for 1' },
    ])
    expect(problems).toEqual([
      'test/tasks/task-2.test.ts:4 "remembers on ${dialect}": the title "Task 2: memo on %s" keeps a placeholder nothing fills (write the title literally).',
      'test/tasks/task-2.test.ts:4 "remembers on ${dialect}": the title "remembers on ${dialect}" keeps a placeholder nothing fills (write the title literally).',
      'test/tasks/task-2.test.ts:7 "fine for %s": the title "Task 2: memo on %s" keeps a placeholder nothing fills (write the title literally).',
      'test/tasks/task-2.test.ts: the test title "Task 2: memo on %s" ran with an unfilled placeholder "%s".',
      'test/tasks/task-2.test.ts: the test title "remembers on ${dialect}" ran with an unfilled placeholder "${dialect}".',
    ])
  })

  it('fails a provided file that runs a stub when imported, and one that needs a reference-only file', () => {
    writeFileSync(join(dir, 'src/index.ts'), `import { memo } from './memo'\nimport { checked } from './internal/checked'\n\nexport const double = memo((n: number) => checked(n) * 2)\nexport { add } from './add'\n`)
    expect(check()).toEqual([
      'src/index.ts:2 imports "./internal/checked" (src/internal/checked.ts), which the starter does not have (neither an entry point nor provided), so the provided file would not work there: list it in tasks.json\'s "provided" too.',
      'src/index.ts:4 runs `memo((n: number) => checked(n) * 2)` when imported, and memo (src/memo.ts) is a stub in the starter: importing src/index.ts would throw NotImplementedError; create it on first use instead.',
    ])
  })

  it('fails when tasks.md and tasks.json disagree, and when the README table drifts, naming the command', () => {
    writeFileSync(join(dir, 'tasks.md'), readFileSync(join(dir, 'tasks.md'), 'utf8').replace('## Task 1: Count words', '## Task 1: Count the words'))
    const readme = join(dir, 'README.md')
    writeFileSync(readme, readFileSync(readme, 'utf8').replace('| 0 | [Add numbers]', '| 0 | [Add two numbers]'))
    expect(check()).toEqual([
      expect.stringMatching(/^tasks\.md line \d+: Task 1's title "Count the words" differs from tasks\.json's "Count words"\.$/),
      "README.md's task table is out of date with tasks.json/tasks.md: run `pnpm tasks:docs task-module`.",
    ])
    writeFileSync(readme, '# no table\n')
    expect(check()).toContain('README.md has no generated task table (<!-- tasks:begin --> … <!-- tasks:end -->): run `pnpm tasks:docs task-module`.')
  })

  it('fails a task without graded tests and a provided glob that matches nothing', () => {
    const manifest = JSON.parse(readFileSync(join(dir, 'tasks.json'), 'utf8')) as { provided: string[]; tasks: { tests?: string[] }[] }
    manifest.provided.push('fixtures/**')
    delete manifest.tasks[2]!.tests
    writeFileSync(join(dir, 'tasks.json'), JSON.stringify(manifest))
    mod = loadModule(dir, root)
    expect(check()).toEqual([
      'Task 2 "Remember results" has no graded tests: list its test files in tasks.json\'s "tests" (test/tasks/task-2.test.ts).',
      'tasks.json\'s "provided" entry "fixtures/**" matches no file.',
      "README.md's task table is out of date with tasks.json/tasks.md: run `pnpm tasks:docs task-module`.",
    ])
  })
})

describe('tasks.md', () => {
  const text = '# M\n\nIntro.\n\n## Task 0: Seed\n\nWrite it.\n\n```md\n## Task 9: not a heading\n```\n\n## Task 1 - Stream\n\n## Task 1: Stream: lazily\n\nStream.\n'

  it('parses the intro and one section per task, ignoring fenced code', () => {
    const parsed = parseTasksMarkdown(text)
    expect(parsed.intro).toBe('# M\n\nIntro.')
    expect(parsed.tasks.map((task) => [task.id, task.title, task.line])).toEqual([
      ['0', 'Seed', 5],
      ['1', 'Stream: lazily', 15],
    ])
    expect(parsed.malformed).toEqual(['13: ## Task 1 - Stream'])
  })

  it('checks ids, titles and order against tasks.json', () => {
    const manifest = { module: 'm', title: 'M', tasks: [{ id: '1', title: 'Stream: lazily', points: 1, kind: 'mandatory' as const, files: [] }, { id: '0', title: 'Seed', points: 1, kind: 'mandatory' as const, files: [] }, { id: '2', title: 'More', points: 1, kind: 'mandatory' as const, files: [] }] }
    expect(checkTaskStatements(parseTasksMarkdown(text), manifest)).toEqual([
      'tasks.md line 13: ## Task 1 - Stream is not a task heading "## Task <id>: <title>".',
      'tasks.md has no section for Task 2 "More" (a heading "## Task 2: More").',
      "tasks.md's sections are not in tasks.json's order: 0, 1 instead of 1, 0.",
    ])
  })

  it('syncReadme writes between the markers only, or adds the block under ## Tasks without removing anything', () => {
    const manifest = mod.manifest!
    const withMarkers = '# X\n\nbefore\n<!-- tasks:begin -->\nold\n<!-- tasks:end -->\nafter\n'
    const synced = syncReadme(withMarkers, manifest)
    expect(synced.startsWith('# X\n\nbefore\n<!-- tasks:begin -->\n')).toBe(true)
    expect(synced.endsWith('<!-- tasks:end -->\nafter\n')).toBe(true)
    expect(syncReadme(synced, manifest)).toBe(synced)
    const handWritten = '# X\n\n## Tasks\n\n| Task | What |\n| --- | --- |\n| 0 | Add |\n\n## Run\n'
    const added = syncReadme(handWritten, manifest)
    expect(added).toMatch(/^# X\n\n## Tasks\n\n<!-- tasks:begin -->[\s\S]*<!-- tasks:end -->\n\n\| Task \| What \|\n\| --- \| --- \|\n\| 0 \| Add \|\n\n## Run\n$/)
  })
})

describe('imports', () => {
  it('lists static, type-only, dynamic, require and jest.mock imports, resolved', () => {
    const refs = listImports(dir, 'test/tasks/x.test.ts', "import type { A } from '../../src/add'\nexport * from '../../src/text'\njest.mock('../../src/memo')\nconst m = require('../helpers/sample')\nvoid import('node:fs')\n")
    expect(refs.map((ref) => [ref.specifier, ref.typeOnly, ref.resolved])).toEqual([
      ['../../src/add', true, 'src/add.ts'],
      ['../../src/text', false, 'src/text.ts'],
      ['../../src/memo', false, 'src/memo.ts'],
      ['../helpers/sample', false, 'test/helpers/sample.ts'],
      ['node:fs', false, null],
    ])
  })

  it('reachableFiles follows relative imports, stopping where told', () => {
    expect(reachableFiles(dir, ['src/add.ts'], new Set(['src/errors.ts']))).toEqual(['src/add.ts', 'src/internal/checked.ts'])
  })

  it('loadTimeStubCalls ignores function bodies and instance fields, sees decorators and top-level calls', () => {
    writeFileSync(
      join(dir, 'src/memo.ts'),
      "export function memo<A, R>(fn: (a: A) => R) { return fn }\nexport function later() { return memo(String) }\nclass Box { value = memo(Number); static made = memo(Boolean) }\nexport const made = memo(String)\nvoid Box\n",
    )
    expect(loadTimeStubCalls(dir, 'src/memo.ts', new Set(['src/memo.ts'])).map((problem) => problem.split(' runs ')[0])).toEqual(['src/memo.ts:3', 'src/memo.ts:4'])
  })
})
