// The shell blocks of a README and what the docs check needs to know about each: runnable or not (and why),
// and the output the README shows for it.

/** One ```sh / ```bash block of a README. */
export interface ShellBlock {
  /** The README, as given to `extractShellBlocks`. */
  readonly file: string
  /** 1-based line of the opening fence. */
  readonly line: number
  /** The block's text, without the fences. */
  readonly code: string
  /** Why the block is not run (`<!-- not-runnable: why -->` before it, or ```sh not-runnable: why), else null. */
  readonly notRunnable: string | null
  /** What the block prints on stdout (the ```text output block right after it), else null: not compared. */
  readonly expectedOutput: string | null
}

const FENCE = /^(\s*)(`{3,}|~{3,})(.*)$/
const NOT_RUNNABLE_COMMENT = /^\s*<!--\s*not-runnable:\s*(.*?)\s*-->\s*$/
const SHELL_LANGS = new Set(['sh', 'bash', 'shell', 'console'])

interface Fenced {
  readonly line: number
  readonly lang: string
  readonly info: string
  readonly code: string
  /** The nearest non-blank line before the fence, or '' at the top. */
  readonly before: string
  /** Index (0-based) of the line after the closing fence. */
  readonly end: number
}

function fencedBlocks(lines: readonly string[]): Fenced[] {
  const blocks: Fenced[] = []
  let before = ''
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i] ?? '')
    if (open === null) {
      if ((lines[i] ?? '').trim() !== '') before = lines[i] ?? ''
      continue
    }
    const marker = open[2] ?? '```'
    const info = (open[3] ?? '').trim()
    const body: string[] = []
    let j = i + 1
    for (; j < lines.length; j++) {
      const close = FENCE.exec(lines[j] ?? '')
      if (close !== null && (close[2] ?? '').startsWith(marker[0] ?? '`') && (close[2] ?? '').length >= marker.length && (close[3] ?? '').trim() === '') break
      body.push(lines[j] ?? '')
    }
    const [lang = ''] = info.split(/\s+/, 1)
    blocks.push({ line: i + 1, lang: lang.toLowerCase(), info: info.slice(lang.length).trim(), code: body.join('\n'), before, end: j + 1 })
    before = ''
    i = j
  }
  return blocks
}

/**
 * The shell blocks of a Markdown document, with their not-runnable marks and expected output.
 * @example
 * extractShellBlocks('```sh\necho hi\n```\n```text output\nhi\n```', 'README.md')[0]?.expectedOutput // 'hi'
 */
export function extractShellBlocks(markdown: string, file: string): ShellBlock[] {
  const lines = markdown.split(/\r?\n/)
  const fenced = fencedBlocks(lines)
  const shell: ShellBlock[] = []
  for (const [k, block] of fenced.entries()) {
    if (!SHELL_LANGS.has(block.lang)) continue
    const infoMark = /^not-runnable(?::\s*|\s+)(.*)$/.exec(block.info)
    const commentMark = NOT_RUNNABLE_COMMENT.exec(block.before)
    const reason = infoMark !== null ? infoMark[1]?.trim() ?? '' : commentMark !== null ? commentMark[1] ?? '' : null
    if (reason !== null && reason === '') throw new Error(`${file}:${block.line}: a not-runnable block must say why (not-runnable: <reason>)`)
    const next = fenced[k + 1]
    const adjacent = next !== undefined && lines.slice(block.end, next.line - 1).every((l) => l.trim() === '')
    const expectedOutput = adjacent && next.lang === 'text' && /^output\b/.test(next.info) ? next.code : null
    shell.push({ file, line: block.line, code: block.code, notRunnable: reason, expectedOutput })
  }
  return shell
}
