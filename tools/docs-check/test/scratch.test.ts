import { existsSync, readFileSync, realpathSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { findRepoRoot, makeScratch } from '../src'

const root = findRepoRoot()

describe('makeScratch', () => {
  it('copies the working tree, and workspace packages resolve inside the copy', () => {
    using scratch = makeScratch(root)
    expect(readFileSync(path.join(scratch.repo, 'package.json'), 'utf8')).toBe(readFileSync(path.join(root, 'package.json'), 'utf8'))
    const dbCore = realpathSync(path.join(scratch.repo, 'packages/generators-0x00/node_modules/@alx/db-core'))
    expect(dbCore).toBe(realpathSync(path.join(scratch.repo, 'packages/db-core')))
    // third-party packages come from the repository's store
    expect(realpathSync(path.join(scratch.repo, 'packages/db-core/node_modules/knex'))).toBe(realpathSync(path.join(root, 'packages/db-core/node_modules/knex')))
    expect(existsSync(path.join(scratch.repo, '.data'))).toBe(false)
  })

  it('a file written in the copy does not reach the repository, and dispose removes the copy', () => {
    const scratch = makeScratch(root)
    writeFileSync(path.join(scratch.repo, 'packages/db-core/README.md'), 'changed')
    expect(readFileSync(path.join(root, 'packages/db-core/README.md'), 'utf8')).not.toBe('changed')
    scratch.dispose()
    expect(existsSync(scratch.dir)).toBe(false)
  })
})
