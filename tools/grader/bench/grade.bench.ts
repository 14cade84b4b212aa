// `pnpm --filter @alx/grader bench [module…] [--protections <module>]`: how long an honest submission (the reference's
// entry points on a fresh starter copy) takes to grade per module, where the time goes (type check, jest), and what
// each protection costs (the same grade with it disabled).
import { dirname, join } from 'node:path'
import { existsSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { discoverModules, findModule } from '../src/discover'
import type { CourseModule } from '../src/discover'
import { isMigrated } from '../src/task-metadata'
import { isMutationModule } from '../src/mutation'
import { gradeSubmission } from '../src/run-grade'

function findRoot(): string {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'pnpm-workspace.yaml'))) return dir
    if (dirname(dir) === dir) return process.cwd()
  }
}

interface Measure {
  readonly seconds: number
  readonly score: string
  readonly jestSeconds: number
}

async function measure(root: string, module: CourseModule, options: { typecheck?: boolean; disable?: readonly string[] } = {}): Promise<Measure> {
  const started = Date.now()
  const report = await gradeSubmission(module, { root, submissionDir: module.dir, ...options })
  return { seconds: (Date.now() - started) / 1000, score: `${report.score}/${report.max_score}`, jestSeconds: (report.modules[0]?.run.duration_ms ?? 0) / 1000 }
}

const f = (seconds: number): string => `${seconds.toFixed(1)} s`

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { protections: { type: 'string' } } })
  const root = findRoot()
  const all = discoverModules(root)
  const modules = positionals.length > 0 ? positionals.map((name) => findModule(all, name, root, root)) : all.filter((module) => module.manifest !== null && (isMigrated(module.manifest) || isMutationModule(module.dir)))
  process.stdout.write('module                 honest submission   without type check   score\n')
  for (const module of modules) {
    const full = await measure(root, module)
    const mutation = isMutationModule(module.dir)
    const noTypes = mutation ? null : await measure(root, module, { typecheck: false })
    process.stdout.write(`${module.name.padEnd(22)} ${f(full.seconds).padStart(17)}   ${(noTypes === null ? 'n/a (tests)' : f(noTypes.seconds)).padStart(18)}   ${full.score}\n`)
  }
  const target = values.protections
  if (target !== undefined) {
    const module = findModule(all, target, root, root)
    const base = await measure(root, module, { typecheck: false })
    process.stdout.write(`\ncost of each protection on ${module.name} (no type check; all protections: ${f(base.seconds)})\n`)
    for (const name of ['pid-namespace', 'network-namespace', 'rlimits']) {
      const without = await measure(root, module, { typecheck: false, disable: [name] })
      process.stdout.write(`  ${name.padEnd(20)} without it ${f(without.seconds).padStart(7)}  cost ${f(base.seconds - without.seconds).padStart(7)}  (${without.score})\n`)
    }
    const none = await measure(root, module, { typecheck: false, disable: ['pid-namespace', 'network-namespace', 'rlimits'] })
    process.stdout.write(`  ${'all three'.padEnd(20)} without them ${f(none.seconds).padStart(5)}  cost ${f(base.seconds - none.seconds).padStart(7)}\n`)
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`)
  process.exitCode = 1
})
