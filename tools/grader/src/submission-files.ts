import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import type { CourseModule } from './discover'
import { TEST_FILE } from './test-files'

function sourceFiles(moduleDir: string, relativeDir: string): string[] {
  const absolute = join(moduleDir, relativeDir)
  if (!existsSync(absolute)) return []
  return readdirSync(absolute)
    .sort()
    .flatMap((entry) => {
      const rel = `${relativeDir}/${entry}`
      if (statSync(join(moduleDir, rel)).isDirectory()) return entry === 'testing' || entry === '__fixtures__' ? [] : sourceFiles(moduleDir, rel)
      return /\.[cm]?tsx?$/.test(entry) && !TEST_FILE.test(entry) && !entry.endsWith('.d.ts') ? [rel] : []
    })
}

/**
 * The files a learner writes: every task's non-test `files` from tasks.json, or, when no task lists any, every non-test
 * source file under `src/` (except `src/testing/`). The starter stubs exactly these, and grading a submission
 * takes exactly these from the submission.
 * @example submissionFiles(module) // ['src/seed.ts', 'src/stream-users.ts']
 */
export function submissionFiles(module: CourseModule): string[] {
  // Test files a task lists are where its official tests live, not learner code: they always come from the module.
  const declared = [...new Set((module.manifest?.tasks ?? []).flatMap((task) => task.files))].filter((file) => !TEST_FILE.test(file))
  return declared.length > 0 ? declared.sort() : sourceFiles(module.dir, 'src')
}
