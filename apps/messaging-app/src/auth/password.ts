import argon2 from 'argon2'
import { OWASP_ARGON2ID, type PasswordHashingOptions } from '../config'

/**
 * Hashes and checks passwords with argon2id at the configured cost, and checks unknown users in the same
 * time as known ones.
 *
 * @example
 * const hasher = new PasswordHasher()
 * const hash = await hasher.hash('correct horse battery staple')
 * await hasher.verify(hash, 'correct horse battery staple') // true
 */
export class PasswordHasher {
  readonly options: PasswordHashingOptions
  #dummyHash: Promise<string> | undefined

  constructor(options: PasswordHashingOptions = OWASP_ARGON2ID) {
    this.options = options
  }

  /** Hashes `password` with argon2id; the PHC string carries the parameters used. */
  hash(password: string): Promise<string> {
    return argon2.hash(password, {
      type: argon2.argon2id,
      memoryCost: this.options.memoryCost,
      timeCost: this.options.timeCost,
      parallelism: this.options.parallelism,
    })
  }

  /** True when `password` matches `hash`; a malformed hash is a mismatch, not a crash. */
  async verify(hash: string, password: string): Promise<boolean> {
    try {
      return await argon2.verify(hash, password)
    } catch {
      return false
    }
  }

  /** Spends the same time as a real check, so a login for an unknown email does not answer faster. */
  async verifyDummy(password: string): Promise<false> {
    this.#dummyHash ??= this.hash('dummy password for timing equalisation')
    await this.verify(await this.#dummyHash, password)
    return false
  }

  /** True when `hash` was made with weaker parameters than the current ones (rehash on next login). */
  needsRehash(hash: string): boolean {
    return argon2.needsRehash(hash, { memoryCost: this.options.memoryCost, timeCost: this.options.timeCost })
  }
}
