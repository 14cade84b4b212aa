import type { GradeReport, GradedTest } from '../types'

function escape(text: string): string {
  return text
    // eslint-disable-next-line no-control-regex -- XML 1.0 forbids most control characters
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
}

function seconds(ms: number | null): string {
  return ((ms ?? 0) / 1000).toFixed(3)
}

function testcase(test: GradedTest, classname: string): string {
  const head = `    <testcase classname="${escape(classname)}" name="${escape(test.name)}" file="${escape(test.file)}" time="${seconds(test.duration_ms)}"`
  if (test.outcome === 'pass') return `${head}/>`
  const tag = test.outcome === 'fail' ? 'failure' : 'error'
  const message = test.message ?? test.outcome
  const explicit = /^\s*Expected/m.test(message)
  const body = [message, explicit || test.expected === null ? null : `Expected: ${test.expected}`, explicit || test.actual === null ? null : `Received: ${test.actual}`]
    .filter((line) => line !== null)
    .join('\n')
  const output = test.output === null ? '' : `\n      <system-out>${escape(test.output)}</system-out>`
  return `${head}>\n      <${tag} message="${escape(message.split('\n')[0] ?? '')}" type="${test.outcome}">${escape(body)}</${tag}>${output}\n    </testcase>`
}

/**
 * `reports/junit.xml`: one `<testsuite>` per task (named `module › Task N: title`, with score properties), one
 * `<testcase>` per test; a task without tests gets one `<error>` case so CI shows it.
 * @example writeFileSync('reports/junit.xml', renderJunit(report))
 */
export function renderJunit(report: GradeReport): string {
  const suites: string[] = []
  let total = 0
  let failures = 0
  let errors = 0
  for (const module of report.modules) {
    for (const task of module.tasks) {
      const tests = report.tests.filter((test) => test.module === module.name && test.task === task.id)
      const classname = `${module.name}.Task ${task.id}`
      const cases =
        tests.length > 0
          ? tests.map((test) => testcase(test, classname))
          : [`    <testcase classname="${escape(classname)}" name="${escape(`Task ${task.id}: ${task.title}`)}" time="0.000">\n      <error message="${escape(task.message ?? 'no tests')}" type="${task.status}"/>\n    </testcase>`]
      const suiteFailures = tests.filter((test) => test.outcome === 'fail').length
      const suiteErrors = tests.length > 0 ? tests.filter((test) => test.outcome === 'error' || test.outcome === 'timeout').length : 1
      total += Math.max(tests.length, 1)
      failures += suiteFailures
      errors += suiteErrors
      const properties = [`score:${task.score}`, `max_score:${task.max_score}`, `status:${task.status}`, `kind:${task.kind}`]
        .map((pair) => {
          const [name = '', value = ''] = pair.split(':')
          return `      <property name="${name}" value="${escape(value)}"/>`
        })
        .join('\n')
      suites.push(
        `  <testsuite name="${escape(`${module.name} › Task ${task.id}: ${task.title}`)}" tests="${Math.max(tests.length, 1)}" failures="${suiteFailures}" errors="${suiteErrors}" skipped="0" time="${seconds(task.duration_ms)}">\n    <properties>\n${properties}\n    </properties>\n${cases.join('\n')}\n  </testsuite>`,
      )
    }
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="alx grade" tests="${total}" failures="${failures}" errors="${errors}" time="${seconds(report.duration_ms)}">\n${suites.join('\n')}\n</testsuites>\n`
}
