// The grader's end of the results channel (runtime/channel-reporter.cjs): lines `<nonce> <json>` read from the jest
// process's fd 3 until it exits. Anything else on that descriptor, a second complete report or a line after it is
// evidence of tampering.
import { randomBytes } from 'node:crypto'
import type { JestReport } from './jest-report'
import { reportFromChannel } from './jest-report'

/** What one jest run sent over the channel. */
export class ResultsChannel {
  /** The run's secret: the reporter reads it from a file the grader deletes before any test runs. */
  readonly nonce = randomBytes(24).toString('hex')
  private readonly progress: string[] = []
  private complete: JestReport | null = null
  /** Sentences saying what did not come from the reporter. */
  readonly problems: string[] = []

  /** Feeds one line read from the channel. */
  readonly feed = (line: string): void => {
    if (line.trim() === '') return
    const prefix = `${this.nonce} `
    if (!line.startsWith(prefix)) {
      this.note('something other than the grader\'s reporter wrote on its results channel')
      return
    }
    if (this.complete !== null) {
      this.note('results arrived after the complete report')
      return
    }
    let event: { type?: unknown; report?: unknown }
    try {
      event = JSON.parse(line.slice(prefix.length)) as { type?: unknown; report?: unknown }
    } catch {
      this.note('a results line was not JSON')
      return
    }
    if (event.type === 'complete') this.complete = event.report as JestReport
    else this.progress.push(line.slice(prefix.length))
  }

  private note(problem: string): void {
    if (!this.problems.includes(problem)) this.problems.push(problem)
  }

  /** The run's results: the complete report, else what the progress events say (a killed or crashed run). */
  report(): JestReport | null {
    return reportFromChannel(this.complete, this.progress)
  }
}
