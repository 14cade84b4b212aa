import type { CourseModule } from '../discover'

/** Options of {@link exportStarter}. */
export interface ExportStarterOptions {
  /** Write into a non-empty folder. @default false */
  readonly force?: boolean
}

/**
 * Exports a learner starter (placeholder).
 * @example exportStarter(module, '/tmp/starter')
 */
export function exportStarter(module: CourseModule, outDir: string, options: ExportStarterOptions = {}): string[] {
  void module
  void outDir
  void options
  return []
}
