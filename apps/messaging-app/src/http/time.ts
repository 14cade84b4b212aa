/** Epoch milliseconds to the ISO 8601 string the API shows. */
export function toIso(epochMs: number | string): string {
  return new Date(Number(epochMs)).toISOString()
}

/** Like {@link toIso} for nullable columns. */
export function toIsoOrNull(epochMs: number | string | null | undefined): string | null {
  return epochMs === null || epochMs === undefined ? null : toIso(epochMs)
}
