/**
 * Base class of the grader's own errors: the grading setup is wrong, not the graded code.
 * @example if (error instanceof GraderError) process.exitCode = 2
 */
export class GraderError extends Error {
  readonly code: string = 'GRADER_ERROR'

  constructor(message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = new.target.name
  }
}

/**
 * A module's `tasks.json` is missing or malformed.
 * @example throw new TaskMetadataError('packages/x/tasks.json: `tasks[0].points` must be a positive number, got -1.')
 */
export class TaskMetadataError extends GraderError {
  override readonly code = 'GRADER_TASK_METADATA'
}

/**
 * The command line asked for something impossible (unknown module, missing `--out`, …).
 * @example throw new UsageError('Unknown module "nope"; known modules: generators-0x00.')
 */
export class UsageError extends GraderError {
  override readonly code = 'GRADER_USAGE'
}
