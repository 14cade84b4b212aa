// npm warns "Unknown project config" for pnpm-only keys in .npmrc: pnpm's settings live in pnpm-workspace.yaml.
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { parse } from 'yaml'
import { findRepoRoot } from '../src'

const root = findRepoRoot()
const PNPM_ONLY = ['auto-install-peers', 'strict-peer-dependencies', 'shamefully-hoist', 'node-linker', 'public-hoist-pattern', 'hoist-pattern', 'resolution-mode', 'dedupe-peer-dependents']

describe('pnpm settings', () => {
  it('.npmrc holds no key npm does not know', () => {
    const npmrc = path.join(root, '.npmrc')
    const keys = existsSync(npmrc) ? readFileSync(npmrc, 'utf8').split('\n').map((l) => l.split('=')[0]?.trim() ?? '').filter((k) => k !== '' && !k.startsWith('#')) : []
    expect(keys.filter((k) => PNPM_ONLY.includes(k))).toEqual([])
  })

  it('pnpm-workspace.yaml has the workspace globs and the settings moved from .npmrc', () => {
    const ws = parse(readFileSync(path.join(root, 'pnpm-workspace.yaml'), 'utf8')) as { packages?: string[]; autoInstallPeers?: unknown; engineStrict?: unknown }
    expect(ws.packages).toEqual(['packages/*', 'apps/*', 'tools/*'])
    expect(ws.autoInstallPeers).toBe(true)
    expect(ws.engineStrict).toBe(false)
  })
})
