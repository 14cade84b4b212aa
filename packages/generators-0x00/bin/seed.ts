#!/usr/bin/env -S npx tsx
// `pnpm --filter @alx/generators-0x00 seed [--] [--csv path | --rows N] [--url URL] [--name DB]`: a failure
// prints one line and exits 1, bad arguments exit 2 (runSeedCli sets process.exitCode through db-core's runCli).
import { runSeedCli } from '../src/cli-seed'

void runSeedCli(process.argv.slice(2))
