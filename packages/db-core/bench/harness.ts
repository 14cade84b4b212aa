// Small helpers shared by the benches: medians over alternating rounds, peak-RSS sampling, formatting.

/** Median of a list of numbers. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2
}

/** Samples RSS while a run is in progress; `peakGrowthMb()` is the growth over the RSS at `start()`. */
export class RssProbe {
  #base = 0
  #peak = 0
  start(): void {
    globalThis.gc?.()
    this.#base = process.memoryUsage.rss()
    this.#peak = this.#base
  }
  sample(): void {
    const rss = process.memoryUsage.rss()
    if (rss > this.#peak) this.#peak = rss
  }
  peakGrowthMb(): number {
    return (this.#peak - this.#base) / 2 ** 20
  }
}

/** Formats rows per second with thousands separators. */
export function fmtRate(rowsPerSec: number): string {
  return `${Math.round(rowsPerSec).toLocaleString('en-US')} rows/s`
}
