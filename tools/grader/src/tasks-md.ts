import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { CourseModule } from './discover'
import type { TaskDefinition, TaskManifest } from './task-metadata'

/** One `## Task <id>: <title>` section of a module's `tasks.md`. */
export interface TaskStatement {
  readonly id: string
  readonly title: string
  /** The section's text after its heading, trimmed. */
  readonly body: string
  /** 1-based line of the heading. */
  readonly line: number
}

/** A parsed `tasks.md`: the module introduction (before the first task) and one statement per task. */
export interface TaskStatements {
  readonly intro: string
  readonly tasks: readonly TaskStatement[]
  /** `## Task …` headings that do not read `## Task <id>: <title>`, as `line: text`. */
  readonly malformed: readonly string[]
}

/** The command that regenerates the README task tables; named by the drift check. */
export const DOCS_COMMAND = 'pnpm tasks:docs'
export const BEGIN_MARKER = '<!-- tasks:begin -->'
export const END_MARKER = '<!-- tasks:end -->'

const HEADING = /^##\s+Task\s+([A-Za-z0-9._-]+)\s*:\s*(.+?)\s*#*\s*$/
const TASK_HEADING = /^##\s+Task\b/

/**
 * Parses a `tasks.md`: `## Task <id>: <title>` sections (fenced code blocks are not searched for headings).
 * @example parseTasksMarkdown('# M\n\n## Task 0: Seed\n\nWrite …').tasks[0]?.title // 'Seed'
 */
export function parseTasksMarkdown(text: string): TaskStatements {
  const lines = text.replace(/\r\n/g, '\n').split('\n')
  const intro: string[] = []
  const tasks: { id: string; title: string; body: string[]; line: number }[] = []
  const malformed: string[] = []
  let fence: string | null = null
  lines.forEach((line, index) => {
    const marker = /^\s*(```+|~~~+)/.exec(line)?.[1]
    if (marker !== undefined) {
      if (fence === null) fence = marker[0] ?? null
      else if (marker.startsWith(fence)) fence = null
    } else if (fence === null && TASK_HEADING.test(line)) {
      const match = HEADING.exec(line)
      if (match !== null) {
        tasks.push({ id: match[1] ?? '', title: (match[2] ?? '').trim(), body: [], line: index + 1 })
        return
      }
      malformed.push(`${index + 1}: ${line.trim()}`)
    }
    const current = tasks[tasks.length - 1]
    if (current === undefined) intro.push(line)
    else current.body.push(line)
  })
  return {
    intro: intro.join('\n').trim(),
    tasks: tasks.map((task) => ({ id: task.id, title: task.title, body: task.body.join('\n').trim(), line: task.line })),
    malformed,
  }
}

/**
 * Reads `<moduleDir>/tasks.md`, or `null` when the module has none.
 * @example readTaskStatements('/repo/packages/generators-0x00')?.tasks.length // 6
 */
export function readTaskStatements(moduleDir: string): TaskStatements | null {
  const file = join(moduleDir, 'tasks.md')
  return existsSync(file) ? parseTasksMarkdown(readFileSync(file, 'utf8')) : null
}

/**
 * tasks.md against tasks.json: one section per task, same ids and titles, same order. One sentence per problem.
 * @example checkTaskStatements(statements, manifest) // ['tasks.md has no section for Task 3 "Lazy pagination" …']
 */
export function checkTaskStatements(statements: TaskStatements, manifest: TaskManifest): string[] {
  const problems: string[] = []
  for (const heading of statements.malformed) problems.push(`tasks.md line ${heading} is not a task heading "## Task <id>: <title>".`)
  const declared = new Map(manifest.tasks.map((task) => [task.id, task]))
  const seen = new Set<string>()
  for (const section of statements.tasks) {
    const task = declared.get(section.id)
    if (seen.has(section.id)) problems.push(`tasks.md line ${section.line}: Task ${section.id} has a second section.`)
    seen.add(section.id)
    if (task === undefined) problems.push(`tasks.md line ${section.line}: Task ${section.id} is not declared in tasks.json.`)
    else if (task.title !== section.title) {
      problems.push(`tasks.md line ${section.line}: Task ${section.id}'s title ${JSON.stringify(section.title)} differs from tasks.json's ${JSON.stringify(task.title)}.`)
    }
    if (section.body === '') problems.push(`tasks.md line ${section.line}: Task ${section.id} has no statement.`)
  }
  for (const task of manifest.tasks) {
    if (!seen.has(task.id)) problems.push(`tasks.md has no section for Task ${task.id} ${JSON.stringify(task.title)} (a heading "## Task ${task.id}: ${task.title}").`)
  }
  const order = statements.tasks.map((section) => section.id).filter((id) => declared.has(id))
  const expected = manifest.tasks.map((task) => task.id).filter((id) => order.includes(id))
  if (order.join('\u0000') !== expected.join('\u0000')) problems.push(`tasks.md's sections are not in tasks.json's order: ${order.join(', ')} instead of ${expected.join(', ')}.`)
  return problems
}

/**
 * GitHub's anchor for a heading.
 * @example anchorOf('Task 0: Seed the `db`') // 'task-0-seed-the-db'
 */
export function anchorOf(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-')
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ')
}

function links(files: readonly string[]): string {
  return files.length === 0 ? '—' : files.map((file) => `[\`${file}\`](${file.split('/').map(encodeURIComponent).join('/')})`).join(', ')
}

function titleCell(task: TaskDefinition, linkStatements: boolean): string {
  const title = linkStatements ? `[${cell(task.title)}](tasks.md#${anchorOf(`Task ${task.id}: ${task.title}`)})` : cell(task.title)
  return `${title}${task.kind === 'advanced' ? ' *(advanced)*' : ''}`
}

/**
 * The module README's task table (between the markers): task, title (linked to its statement), entry points and
 * graded tests, each linked.
 * @example renderTaskTable(manifest) // '| Task | Title | Files | Graded tests |\n…'
 */
export function renderTaskTable(manifest: TaskManifest, options: { readonly linkStatements?: boolean; readonly points?: boolean } = {}): string {
  const link = options.linkStatements !== false
  const head = options.points === true ? ['| Task | Title | Points | Files | Graded tests |', '| --- | --- | --- | --- | --- |'] : ['| Task | Title | Files | Graded tests |', '| --- | --- | --- | --- |']
  const rows = manifest.tasks.map((task) =>
    options.points === true
      ? `| ${task.id} | ${titleCell(task, link)} | ${task.points} | ${links(task.files)} | ${links(task.tests ?? [])} |`
      : `| ${task.id} | ${titleCell(task, link)} | ${links(task.files)} | ${links(task.tests ?? [])} |`,
  )
  return [...head, ...rows].join('\n')
}

/**
 * The generated block, markers included.
 * @example readmeBlock(manifest).startsWith('<!-- tasks:begin -->') // true
 */
export function readmeBlock(manifest: TaskManifest): string {
  return `${BEGIN_MARKER}\n<!-- generated from tasks.json and tasks.md by \`${DOCS_COMMAND}\`; edit those, not this table -->\n${renderTaskTable(manifest)}\n${END_MARKER}`
}

/**
 * The README with its task table regenerated: between existing markers only. A README without markers gets the
 * block (markers included) right under its `## Tasks` heading, or in a new `## Tasks` section at the end; nothing
 * written by hand is removed.
 * @example syncReadme(readme, manifest)
 */
export function syncReadme(readme: string, manifest: TaskManifest): string {
  const block = readmeBlock(manifest)
  const begin = readme.indexOf(BEGIN_MARKER)
  const end = readme.indexOf(END_MARKER)
  if (begin >= 0 && end > begin) return readme.slice(0, begin) + block + readme.slice(end + END_MARKER.length)
  const lines = readme.split('\n')
  const heading = lines.findIndex((line) => /^##\s+Tasks\s*$/.test(line))
  if (heading < 0) return `${readme.trimEnd()}\n\n## Tasks\n\n${block}\n`
  return [...lines.slice(0, heading + 1), '', block, ...lines.slice(heading + 1)].join('\n')
}

/**
 * The drift check for a module with a tasks.md: its statements agree with tasks.json and the README's generated
 * table is current. One sentence per problem, naming the command that fixes drift.
 * @example checkDocs(module) // ['README.md's task table is out of date …: run `pnpm tasks:docs generators-0x00`.']
 */
export function checkDocs(module: CourseModule): string[] {
  const manifest = module.manifest
  const statements = readTaskStatements(module.dir)
  if (manifest === null || statements === null) return []
  const problems = checkTaskStatements(statements, manifest)
  const readmeFile = join(module.dir, 'README.md')
  const readme = existsSync(readmeFile) ? readFileSync(readmeFile, 'utf8') : null
  const fix = `run \`${DOCS_COMMAND} ${module.name}\``
  if (readme === null) problems.push(`README.md is missing: ${fix} to generate its task table.`)
  else if (!readme.includes(BEGIN_MARKER) || !readme.includes(END_MARKER)) problems.push(`README.md has no generated task table (${BEGIN_MARKER} … ${END_MARKER}): ${fix}.`)
  else if (syncReadme(readme, manifest) !== readme) problems.push(`README.md's task table is out of date with tasks.json/tasks.md: ${fix}.`)
  return problems
}

/**
 * Writes the module README's generated task table; returns whether the file changed.
 * @example writeDocs(module) // true
 */
export function writeDocs(module: CourseModule): boolean {
  if (module.manifest === null) return false
  const readmeFile = join(module.dir, 'README.md')
  const readme = existsSync(readmeFile) ? readFileSync(readmeFile, 'utf8') : `# ${module.name}\n`
  const next = syncReadme(readme, module.manifest)
  if (next === readme) return false
  writeFileSync(readmeFile, next)
  return true
}
