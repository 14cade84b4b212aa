import argon2 from 'argon2'
import { OWASP_ARGON2ID, type PasswordHashingOptions } from '../config'

/** Reads m, t and p out of a PHC string like `$argon2id$v=19$m=19456,t=2,p=1$salt$hash`. */
function readParams(hash: string): { memoryCost: number; timeCost: number; parallelism: number } | undefined {
  const match = /^\$argon2id\$v=\d+\$m=(\d+),t=(\d+),p=(\d+)\$/.exec(hash)
  if (!match) return undefined
  return { memoryCost: Number(match[1]), timeCost: Number(match[2]), parallelism: Number(match[3]) }
}

/** Django's password hasher with argon2id: salted PHC strings, never the password itself. */
export class PasswordHasher {
  private readonly options: PasswordHashingOptions
  private dummyHash: Promise<string> | undefined

  constructor(options: PasswordHashingOptions = OWASP_ARGON2ID) {
    this.options = options
  }

  hash(password: string): Promise<string> {
    return argon2.hash(password, {
      type: argon2.argon2id,
      memoryCost: this.options.memoryCost,
      timeCost: this.options.timeCost,
      parallelism: this.options.parallelism,
    })
  }

  /** True only for the right password; a malformed hash is a mismatch, not an error. */
  async verify(hash: string, password: string): Promise<boolean> {
    try {
      return await argon2.verify(hash, password)
    } catch {
      return false
    }
  }

  /** Spends as long as a real check (for an unknown email), and is always false. */
  async verifyDummy(password: string): Promise<false> {
    this.dummyHash ??= this.hash('dummy password for unknown users')
    await this.verify(await this.dummyHash, password)
    return false
  }

  /** True when the hash was made with weaker parameters than ours (or is not argon2id at all). */
  needsRehash(hash: string): boolean {
    const params = readParams(hash)
    if (!params) return true
    return params.memoryCost < this.options.memoryCost || params.timeCost < this.options.timeCost || params.parallelism < this.options.parallelism
  }
}
