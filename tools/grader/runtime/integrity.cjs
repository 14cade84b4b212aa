// Tampering detection (a setupFilesAfterEnv entry of submission runs): jest's matchers, its equality testers and the
// global `expect` are pinned when the test file starts. A submission's code that overrides a built-in matcher
// (`expect.extend({ toBe: … })`, a write to the matchers object), adds an equality tester or replaces `expect` is
// refused where it can be (the original matcher stays) and always recorded: the test fails with
// ERR_GRADER_TAMPERING, and the grader grades the whole submission `error` ("tampering detected").
const MATCHERS = Symbol.for('$$jest-matchers-object')
const CODE = 'ERR_GRADER_TAMPERING'

module.exports = function installIntegrity() {
  const realExpect = globalThis.expect
  const store = globalThis[MATCHERS]
  const found = []
  const note = (what) => {
    if (!found.includes(what)) found.push(what)
  }
  if (store !== undefined && store !== null && typeof store.matchers === 'object') {
    const matchers = store.matchers
    for (const name of Object.keys(matchers)) {
      const original = matchers[name]
      Object.defineProperty(matchers, name, {
        configurable: false,
        enumerable: true,
        get: () => original,
        set: () => note(`the built-in matcher ${name} was overridden`),
      })
    }
  }
  const testers = store?.customEqualityTesters
  const testerCount = Array.isArray(testers) ? testers.length : 0
  const check = () => {
    if (globalThis.expect !== realExpect) note('the global expect was replaced')
    if (globalThis[MATCHERS] !== store) note("jest's matcher store was replaced")
    else if (store !== undefined && store.customEqualityTesters !== testers) note("jest's equality testers were replaced")
    else if (Array.isArray(testers) && testers.length !== testerCount) note('a custom equality tester was added')
    if (found.length === 0) return
    const error = new Error(`tampering detected: ${found.join('; ')}`)
    error.code = CODE
    throw error
  }
  afterEach(check)
  afterAll(check)
}
