import { analyzeTestSource, matchesStaticTest } from './test-files'

const source = `import { add } from './add'

describe('Task 0: add numbers', () => {
  it('adds', () => {
    expect(add(1, 2)).toBe(3)
  })

  describe.each(['sqlite', 'mysql'])('on %s', (dialect) => {
    it.each([[1, 1]])('adds %i and %i', async (a, b) => {
      expect(add(a, b)).toBe(2)
    })
    test(\`works on \${dialect}\`, () => expect(dialect).toBeTruthy())
  })
})

describe('Task 1: broken', () => {
  it.skip('is skipped', () => {})
  it.todo('is planned')
})

it('floats outside', () => {
  expect(1).toBe(1)
})
`

describe('analyzeTestSource', () => {
  const { tests, syntaxErrors } = analyzeTestSource('src/add.test.ts', source)

  it('finds every test with its describe path, task and line', () => {
    expect(tests.map((test) => [test.describePath, test.title, test.taskId, test.line])).toEqual([
      [['Task 0: add numbers'], 'adds', '0', 4],
      [['Task 0: add numbers', 'on %s'], 'adds %i and %i', '0', 9],
      [['Task 0: add numbers', 'on %s'], 'works on ${dialect}', '0', 12],
      [['Task 1: broken'], 'is skipped', '1', 17],
      [['Task 1: broken'], 'is planned', '1', 18],
      [[], 'floats outside', null, 21],
    ])
    expect(syntaxErrors).toEqual([])
  })

  it('keeps the dedented body as the test code', () => {
    expect(tests[0]?.code).toBe('expect(add(1, 2)).toBe(3)')
    expect(tests[2]?.code).toBe('expect(dialect).toBeTruthy()')
  })

  it('marks skip and todo tests as skipped', () => {
    expect(tests.filter((test) => test.skipped).map((test) => test.title)).toEqual(['is skipped', 'is planned'])
  })

  it('matches the titles jest reports, placeholders included', () => {
    const [, each, template] = tests
    expect(each !== undefined && matchesStaticTest(each, ['Task 0: add numbers', 'on mysql'], 'adds 1 and 1')).toBe(true)
    expect(template !== undefined && matchesStaticTest(template, ['Task 0: add numbers', 'on sqlite'], 'works on sqlite')).toBe(true)
    expect(each !== undefined && matchesStaticTest(each, ['Task 0: add numbers'], 'adds 1 and 1')).toBe(false)
  })

  it('reports syntax errors with their position', () => {
    expect(analyzeTestSource('x.test.ts', "describe('Task 0: x', () => {").syntaxErrors).toEqual(["1:30 '}' expected."])
  })
})
