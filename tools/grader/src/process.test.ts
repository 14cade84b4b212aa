import { runProcess } from './process'

describe('runProcess', () => {
  it('returns the exit code and output of a process that ends', async () => {
    const result = await runProcess(process.execPath, ['-e', 'console.log("one\\ntwo"); process.exit(3)'], { cwd: __dirname })
    expect([result.exitCode, result.timedOut, result.stdout]).toEqual([3, false, 'one\ntwo\n'])
  })

  it('keeps only the tail of long output, unless asked to keep more (turbo --dry=json is ~90 kB)', async () => {
    const script = "process.stdout.write('{' + 'x'.repeat(100000) + '}')"
    const tail = await runProcess(process.execPath, ['-e', script], { cwd: process.cwd() })
    expect(tail.stdout).toHaveLength(64 * 1024)
    expect(tail.stdout.startsWith('{')).toBe(false)
    const whole = await runProcess(process.execPath, ['-e', script], { cwd: process.cwd(), keepChars: 1024 * 1024 })
    expect(whole.stdout).toHaveLength(100002)
    expect(whole.stdout.startsWith('{')).toBe(true)
  })

  it('kills a process spinning in a synchronous loop, children included', async () => {
    const lines: string[] = []
    const script = 'require("child_process").spawn(process.execPath, ["-e", "for(;;){}"], { stdio: "ignore" }); console.log("started"); for (;;) {}'
    const result = await runProcess(process.execPath, ['-e', script], { cwd: __dirname, timeoutMs: 1000, onLine: (line) => lines.push(line) })
    expect([result.timedOut, result.signal, lines]).toEqual([true, 'SIGTERM', ['started']])
  })
})
