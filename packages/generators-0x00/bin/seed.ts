#!/usr/bin/env -S npx tsx
// `pnpm --filter @alx/generators-0x00 seed [--csv path | --rows N]`
import { runSeedCli } from '../src/cli-seed'

void runSeedCli(process.argv.slice(2)).then((code) => {
  process.exitCode = code
})
