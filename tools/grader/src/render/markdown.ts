import type { GradeReport } from '../types'
import { EMOJI, failureLine, percent, points } from './format'

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ')
}

/**
 * The GitHub step summary: overall score, one table row per task with the first failure, metadata problems and
 * provenance.
 * @example appendFileSync(process.env.GITHUB_STEP_SUMMARY, renderMarkdown(report))
 */
export function renderMarkdown(report: GradeReport): string {
  const lines = [`## Grade: ${points(report.score)} / ${points(report.max_score)} points (${percent(report.score, report.max_score)})`, '']
  if (report.message !== null) lines.push(`> ${cell(report.message)}`, '')
  if (report.tasks.length > 0) {
    lines.push('| Module | Task | Status | Points | Details |', '| --- | --- | --- | --- | --- |')
    for (const task of report.tasks) {
      const details = failureLine(task, 200) ?? `${task.tests.passed}/${task.tests.total} tests`
      lines.push(
        `| ${cell(task.module)} | ${cell(`${task.id}. ${task.title}`)}${task.kind === 'advanced' ? ' _(advanced)_' : ''} | ${EMOJI[task.status]} ${task.status} | ${points(task.score)}/${points(task.max_score)} | ${cell(details)} |`,
      )
    }
    lines.push('')
  }
  const problems = report.modules.flatMap((module) => module.problems.map((problem) => `- **${module.name}**: ${problem}`))
  if (problems.length > 0) lines.push('<details><summary>Metadata problems</summary>', '', ...problems, '', '</details>', '')
  const p = report.provenance
  lines.push(`<sub>commit ${p.commit?.slice(0, 12) ?? 'unknown'}${p.dirty === true ? ' (with local changes)' : ''} · Node ${p.node} · jest ${p.jest ?? '?'} · ${p.databases.join(' + ')} · grader ${p.grader}</sub>`, '')
  return `${lines.join('\n')}\n`
}
