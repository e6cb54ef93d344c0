// GitHub's rule for reusable workflows, as a checker: a called workflow's jobs may not ask for a
// GITHUB_TOKEN permission above what the calling job grants, and GitHub applies it to every job of the
// called workflow whatever its `if:` (a rollback job that never runs on pull requests still blocks them).
// https://docs.github.com/actions/using-workflows/reusing-workflows#access-and-permissions
import { parse } from 'yaml'

const SCOPES = [
  'actions',
  'attestations',
  'checks',
  'contents',
  'deployments',
  'discussions',
  'id-token',
  'issues',
  'models',
  'packages',
  'pages',
  'pull-requests',
  'repository-projects',
  'security-events',
  'statuses'
] as const
const LEVEL = { none: 0, read: 1, write: 2 } as const
type Level = keyof typeof LEVEL
export type Permissions = Readonly<Record<string, Level>>

/**
 * GitHub's restricted default for the token when a workflow sets no `permissions` at all. The permissive
 * default gives more, but still no `id-token`; a caller that relies on either default is not a quick start
 * that works as pasted, so the check assumes the restricted one.
 */
const DEFAULT: Permissions = { contents: 'read', packages: 'read' }

/** permissionsOf turns a `permissions:` value (map, read-all, write-all, {}) into a level per scope. */
export function permissionsOf(value: unknown): Permissions | undefined {
  if (value === undefined || value === null) return undefined
  if (value === 'read-all' || value === 'write-all') {
    const level: Level = value === 'read-all' ? 'read' : 'write'
    return Object.fromEntries(SCOPES.map((s) => [s, s === 'id-token' && level === 'read' ? 'none' : level]))
  }
  if (typeof value !== 'object') throw new Error(`permissions: unexpected value ${JSON.stringify(value)}`)
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([scope, level]) => {
      if (level !== 'none' && level !== 'read' && level !== 'write')
        throw new Error(`permissions: ${scope}: unexpected level ${JSON.stringify(level)}`)
      return [scope, level]
    })
  )
}

/** excess lists the scopes where `asked` is above `granted`, as "scope: asked (granted: level)". */
export function excess(asked: Permissions, granted: Permissions): string[] {
  return Object.entries(asked)
    .filter(([scope, level]) => LEVEL[level] > LEVEL[granted[scope] ?? 'none'])
    .map(([scope, level]) => `${scope}: ${level} (granted: ${granted[scope] ?? 'none'})`)
}

interface Workflow {
  readonly permissions?: unknown
  readonly jobs?: Record<string, { permissions?: unknown; uses?: unknown } | null>
}

/** A reusable-workflow call found in a workflow: the job, what it calls, and what it grants. */
export interface Call {
  readonly job: string
  readonly uses: string
  readonly grants: Permissions
}

/** calls lists the jobs of a workflow that call a reusable workflow (a `uses:` ending in .yml@ref or ./). */
export function calls(workflow: Workflow): Call[] {
  const top = permissionsOf(workflow.permissions)
  return Object.entries(workflow.jobs ?? {}).flatMap(([job, body]) => {
    const uses = body?.uses
    if (typeof uses !== 'string' || !/\.ya?ml(@|$)/.test(uses)) return []
    return [{ job, uses, grants: permissionsOf(body?.permissions) ?? top ?? DEFAULT }]
  })
}

/**
 * violations checks one call: every job of the called workflow (and the workflow's own top-level
 * `permissions`) against what the call grants, then any reusable workflows that workflow calls in turn.
 * `load` maps a `uses:` to the called workflow's YAML text (relative to `from`, the calling file).
 */
export function violations(
  call: Call,
  from: string,
  load: (uses: string, from: string) => { file: string; text: string }
): string[] {
  const { file, text } = load(call.uses, from)
  const called = parse(text) as Workflow
  const out: string[] = []
  const top = permissionsOf(called.permissions)
  const say = (who: string, asked: Permissions) =>
    excess(asked, call.grants).map((e) => `job ${call.job} calls ${file}: ${who} asks for ${e}`)
  if (top) out.push(...say('the workflow', top))
  for (const [job, body] of Object.entries(called.jobs ?? {})) {
    const asked = permissionsOf(body?.permissions)
    if (asked) out.push(...say(`job ${job}`, asked))
  }
  // A nested call grants at most what its job asks for, or else what the called workflow's jobs get.
  for (const nested of calls({ ...called, permissions: called.permissions ?? call.grants }))
    out.push(...violations(nested, file, load))
  return out
}
