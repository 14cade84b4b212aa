import type { Outcome } from './classify'
import type { TaskKind } from './task-metadata'

/** One test in `grade.json`: Exercism test-runner v3 fields, plus where it lives and what exactly happened. */
export interface GradedTest {
  /** Describe titles and test title joined by ` › `. */
  readonly name: string
  /** Exercism's status; a timeout is reported as `error` here and as `timeout` in `outcome`. */
  readonly status: 'pass' | 'fail' | 'error'
  readonly message: string | null
  /** What the test printed (console), at most 500 characters; `null` when nothing was captured. */
  readonly output: string | null
  readonly test_code: string
  /** Exercism's 1-based task number: the task's position in `tasks.json`; `null` for a test outside any task. */
  readonly task_id: number | null
  readonly module: string
  /** The course's task id from `tasks.json` (`"0"`), or `null`. */
  readonly task: string | null
  readonly outcome: Outcome
  readonly file: string
  readonly line: number | null
  readonly duration_ms: number | null
  readonly expected: string | null
  readonly actual: string | null
}

/** The first failing test of a task, for the scoreboard. */
export interface FirstFailure {
  readonly test: string
  readonly message: string
  readonly expected: string | null
  readonly actual: string | null
}

/** One task's grade. */
export interface GradedTask {
  readonly module: string
  readonly id: string
  readonly task_id: number
  readonly title: string
  readonly kind: TaskKind
  readonly status: Outcome
  readonly score: number
  readonly max_score: number
  /** Why the task is not `pass`, in one line: `not implemented`, `does not compile: …`, the first failure. */
  readonly message: string | null
  readonly tests: { readonly total: number; readonly passed: number }
  readonly duration_ms: number
  readonly first_failure: FirstFailure | null
}

/** How a module's results were obtained. */
export interface ModuleRun {
  readonly mode: 'turbo' | 'submission'
  /** `turbo`: turbo replayed the cached test run; `grader`: the grader's cache keyed by turbo's task hash; `null`: ran now. */
  readonly replayed_from: 'turbo' | 'grader' | null
  readonly turbo_hash: string | null
  readonly timed_out: boolean
  readonly duration_ms: number
}

/** One module's grade. */
export interface GradedModule {
  readonly name: string
  readonly title: string
  readonly package: string
  readonly dir: string
  readonly status: 'pass' | 'fail' | 'error'
  readonly score: number
  readonly max_score: number
  readonly mandatory: { readonly score: number; readonly max_score: number }
  readonly message: string | null
  /** Metadata problems: a declared task without tests, a test outside any task, README out of step… */
  readonly problems: readonly string[]
  readonly run: ModuleRun
  readonly tasks: readonly GradedTask[]
}

/** Where a grade came from. */
export interface Provenance {
  readonly grader: string
  readonly commit: string | null
  readonly dirty: boolean | null
  readonly node: string
  readonly jest: string | null
  readonly typescript: string
  readonly platform: string
  readonly databases: readonly string[]
  readonly generated_at: string
  readonly test_files: readonly { readonly module: string; readonly path: string; readonly sha256: string | null }[]
  readonly submission: { readonly dir: string; readonly files: readonly { readonly path: string; readonly sha256: string | null }[] } | null
  /** Submission mode: each protection of the run, in force or missing (with why). Absent in repository mode. */
  readonly protections?: readonly Protection[]
}

/** One protection of a submission run (`provenance.protections`). */
export interface Protection {
  readonly name: string
  readonly status: 'in force' | 'missing'
  readonly detail: string
}

/** `reports/grade.json`: a superset of Exercism's test-runner results, version 3. */
export interface GradeReport {
  readonly version: 3
  readonly status: 'pass' | 'fail' | 'error'
  readonly message: string | null
  readonly tests: readonly GradedTest[]
  readonly score: number
  readonly max_score: number
  readonly tasks: readonly GradedTask[]
  readonly modules: readonly GradedModule[]
  readonly duration_ms: number
  readonly provenance: Provenance
}
