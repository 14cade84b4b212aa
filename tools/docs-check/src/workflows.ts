// The GitHub workflows: schema-valid (action-validator's bundled schema, offline) and with one pnpm version source.
import { readdirSync } from 'node:fs'
import path from 'node:path'
import { validateWorkflow } from '@action-validator/core'
import { parse } from 'yaml'

/** One schema problem, flattened: where and what. */
export interface WorkflowProblem {
  readonly path: string
  readonly message: string
}

interface RawError {
  readonly path?: string
  readonly title: string
  readonly detail?: string
  readonly states?: ReadonlyArray<{ readonly errors: readonly RawError[] }>
}

function flatten(errors: readonly RawError[]): WorkflowProblem[] {
  return errors.flatMap((e) =>
    e.states !== undefined && e.states.length > 0
      ? e.states.flatMap((s) => flatten(s.errors))
      : [{ path: e.path ?? '', message: e.detail ?? e.title }],
  )
}

/**
 * Validates a workflow's YAML against GitHub's workflow schema (no network).
 * @returns the problems, empty when valid.
 */
export function validateWorkflowText(yamlText: string): WorkflowProblem[] {
  return flatten(validateWorkflow(yamlText).errors)
}

interface Step {
  readonly uses?: unknown
  readonly with?: Record<string, unknown> | null
}

/**
 * The `pnpm/action-setup` rule: a step may give `version` only when the package.json it reads has no
 * `packageManager`, or names the same version (the action fails on two different sources).
 * @returns one message per offending step.
 */
export function pnpmVersionProblems(yamlText: string, packageJson: { readonly packageManager?: string }): string[] {
  const doc = parse(yamlText) as { jobs?: Record<string, { steps?: Step[] }> } | null
  const problems: string[] = []
  const manager = /^pnpm@(.+)$/.exec(packageJson.packageManager ?? '')?.[1]
  for (const [job, def] of Object.entries(doc?.jobs ?? {})) {
    for (const [i, step] of (def.steps ?? []).entries()) {
      if (typeof step.uses !== 'string' || !step.uses.startsWith('pnpm/action-setup@')) continue
      const version = step.with?.version
      if (version === undefined || version === null) continue
      if (packageJson.packageManager === undefined) continue
      if (manager !== (typeof version === 'string' || typeof version === 'number' ? String(version) : JSON.stringify(version))) {
        problems.push(`jobs.${job}.steps[${i}]: pnpm/action-setup has version ${JSON.stringify(version)} while package.json has packageManager ${JSON.stringify(packageJson.packageManager)}: drop \`version\``)
      }
    }
  }
  return problems
}

/** The workflow files of a repository (`.github/workflows/*.yml`), relative paths. */
export function workflowFiles(repoRoot: string): string[] {
  const dir = path.join(repoRoot, '.github', 'workflows')
  return readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort().map((f) => path.posix.join('.github/workflows', f))
}
