// Bench: grading one 0x03 submission — all tasks, all curated mutants — must take ≤ 60 s on this machine.
// Runs the grader's mutation CLI (as `pnpm grade` will) on the reference tests (twice: in a fresh jest transform
// cache, then with it warm) and on the alternative suite, writes bench/results.json and the README's figures, and exits 1 over the bar.
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const BAR_MS = 60_000
const PACKAGE = resolve(__dirname, '..')
const ROOT = resolve(PACKAGE, '..', '..')
const CLI = join(ROOT, 'tools', 'grader', 'src', 'mutation', 'cli.ts')
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx')

interface Graded {
  readonly score: number
  readonly max_score: number
  readonly mutation: { readonly mutants: readonly { readonly status: string }[]; readonly run: { readonly duration_ms: number; readonly test_files: number } }
}

interface Sample {
  readonly submission: string
  readonly wallMs: number
  readonly jestMs: number
  readonly score: string
  readonly killed: string
  readonly testFiles: number
  /** Counted against the bar (the default way of grading); `false` for comparison runs. */
  readonly counted: boolean
}

function grade(label: string, args: readonly string[], counted = true): Promise<Sample> {
  const started = performance.now()
  return new Promise((done, fail) => {
    const child = spawn(TSX, [CLI, 'unittests-0x03', ...args, '--json'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] })
    let stdout = ''
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString()
    })
    child.on('error', fail)
    child.on('close', (code) => {
      if (code !== 0) return fail(new Error(`grading ${label} exited with ${code}`))
      const report = JSON.parse(stdout) as Graded
      const killed = report.mutation.mutants.filter((mutant) => mutant.status === 'killed').length
      done({
        submission: label,
        wallMs: Math.round(performance.now() - started),
        jestMs: report.mutation.run.duration_ms,
        score: `${report.score}/${report.max_score}`,
        killed: `${killed}/${report.mutation.mutants.length}`,
        testFiles: report.mutation.run.test_files,
        counted,
      })
    })
  })
}

async function main(): Promise<void> {
  const load = loadavg()[0] ?? 0
  const samples: Sample[] = []
  const coldCache = mkdtempSync(join(tmpdir(), 'bench-0x03-jest-cache-'))
  try {
    samples.push(await grade('reference (jest cache cold)', ['--reference', '--jest-cache', coldCache]))
    samples.push(await grade('reference (jest cache warm)', ['--reference', '--jest-cache', coldCache]))
  } finally {
    rmSync(coldCache, { recursive: true, force: true })
  }
  samples.push(await grade('solutions/alternative', ['--submission', join(PACKAGE, 'solutions', 'alternative')]))
  samples.push(await grade('reference, `--isolation file` (comparison, not counted)', ['--reference', '--isolation', 'file'], false))
  const slowest = Math.max(...samples.filter((sample) => sample.counted).map((sample) => sample.wallMs))
  const machine = `${availableParallelism()} CPUs (${cpus()[0]?.model.trim() ?? 'unknown'}), Node ${process.version}, 1-min load average ${load.toFixed(1)} at start`
  const results = { bar_ms: BAR_MS, slowest_ms: slowest, within_bar: slowest <= BAR_MS, machine, measured_at: new Date().toISOString(), samples }
  writeFileSync(join(PACKAGE, 'bench', 'results.json'), `${JSON.stringify(results, null, 2)}\n`)

  const table = [
    `Measured by \`pnpm --filter @alx/unittests-0x03 bench\` on ${results.measured_at.slice(0, 10)}: ${machine}.`,
    '',
    '| Submission graded | Wall time (CLI start to exit) | jest run | Score | Mutants killed | Test files in the run |',
    '| --- | --- | --- | --- | --- | --- |',
    ...samples.map((sample) => `| ${sample.submission} | ${(sample.wallMs / 1000).toFixed(1)} s | ${(sample.jestMs / 1000).toFixed(1)} s | ${sample.score} | ${sample.killed} | ${sample.testFiles} |`),
    '',
    `Bar: ≤ ${BAR_MS / 1000} s per submission (default isolation) — slowest ${(slowest / 1000).toFixed(1)} s: ${results.within_bar ? 'within the bar' : 'OVER THE BAR'}.`,
  ].join('\n')
  const readme = join(PACKAGE, 'README.md')
  const text = readFileSync(readme, 'utf8')
  const marked = /(<!-- bench:start -->\n)[\s\S]*?(\n<!-- bench:end -->)/
  if (marked.test(text)) writeFileSync(readme, text.replace(marked, (_all, start: string, end: string) => `${start}${table}${end}`))
  console.log(table)
  if (!results.within_bar) process.exitCode = 1
}

main().catch((error: unknown) => {
  console.error(error)
  process.exitCode = 1
})
