// `pnpm --filter @alx/docs-check docs [README.md …]`: runs the README blocks and prints one line per block.
import { blockName, checkReadmes, describeFailure, findRepoRoot } from '.'

async function main(): Promise<void> {
  const root = findRepoRoot()
  const readmes = process.argv.slice(2).filter((a) => a !== '--')
  const results = await checkReadmes(root, {
    readmes: readmes.length > 0 ? readmes : undefined,
    onResult: (r) => console.log(`${r.status.padEnd(12)} ${blockName(r.block)} ${(r.durationMs / 1000).toFixed(1)} s${r.reason !== null && r.status !== 'failed' ? `  (${r.reason})` : ''}`),
  })
  const failed = results.filter((r) => r.status === 'failed')
  for (const r of failed) console.error(`\n${describeFailure(r)}`)
  console.log(`\n${results.filter((r) => r.status === 'passed').length} passed, ${failed.length} failed`)
  if (failed.length > 0) process.exitCode = 1
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err))
  process.exitCode = 1
})
