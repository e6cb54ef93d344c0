// The owners policy in the action (DESIGN.md §4.2, §9): input policy-file is read once, before anything
// else; apply and rollback refuse to run without one unless it is `none`; before apply the job's own OIDC
// claims must name a workflow the policy trusts, so a wrong setup fails here with a clear message rather
// than as a bare 403 from Google.
import { hasErrors, type Diagnostic } from '../../core/diagnostics.js'
import type { Tenancy } from '../../core/policy/model.js'
import { parsePolicy } from '../../core/policy/parse.js'
import type { RoutesConfig } from '../../core/routes/model.js'
import type { ActionCommand, ActionDeps } from './deps.js'

/** What the comment and summary say when a run binds no repository to an owner. */
export const NO_POLICY_NOTE =
  "No owners policy (input policy-file: none): nothing binds repositories to owners, so any repository that runs this workflow can claim any owner's routes. A shared load balancer needs lb-policy.json and the platform's trusted workflow (examples/platform/)."

/** What reading policy-file gave: the tenancy, or diagnostics / a refusal that stop the run. */
export interface ActionPolicy {
  readonly tenancy?: Tenancy
  readonly diagnostics: readonly Diagnostic[]
  /** Why the command may not run (no policy for apply or rollback); the run fails with it. */
  readonly refusal?: string
}

/** loadActionPolicy reads policy-file for `command`; the owner comes from the calling repository. */
export async function loadActionPolicy(deps: ActionDeps, command: ActionCommand): Promise<ActionPolicy> {
  const file = deps.inputs.policyFile
  if (file === 'none') return { diagnostics: [] }
  if (file === '') {
    if (command !== 'apply' && command !== 'rollback') return { diagnostics: [] }
    return {
      diagnostics: [],
      refusal: `${command} needs the load balancer owner's policy: set input policy-file to the lb-policy.json the platform keeps (its reusable workflow passes it; see examples/platform/), or policy-file: none to ${command} with nothing binding repositories to owners`
    }
  }
  let bytes: Uint8Array
  try {
    bytes = await deps.readFile(file)
  } catch (err) {
    return { diagnostics: [], refusal: `input policy-file: cannot read ${file}: ${(err as Error).message}` }
  }
  const parsed = parsePolicy(bytes, file)
  if (!parsed.policy || hasErrors(parsed.diagnostics))
    return {
      diagnostics: parsed.diagnostics,
      refusal: `${file} is not a valid owners policy; see the annotations`
    }
  return {
    tenancy: { policy: parsed.policy, repository: deps.context.repository },
    diagnostics: parsed.diagnostics
  }
}

/**
 * trustedWorkflowCheck (a pre-apply check): the job's OIDC job_workflow_ref must be one of the policy's
 * trustedWorkflows, and its repository claim the calling repository. Without a policy it passes.
 */
export async function trustedWorkflowCheck(
  deps: ActionDeps,
  config: RoutesConfig
): Promise<string | undefined> {
  const t = deps.tenancy
  if (!t) return undefined
  const expected = t.policy.trustedWorkflows
  const want =
    expected.length === 0
      ? `${t.policy.file} trusts no workflow (trustedWorkflows is empty)`
      : `${t.policy.file} trusts only ${expected.join(', ')}`
  let claims: Record<string, unknown> | undefined
  try {
    claims = await deps.oidcClaims()
  } catch (err) {
    return `cannot read this job's OIDC token to check which workflow runs it (${(err as Error).message}); the job needs permissions: id-token: write`
  }
  if (!claims)
    return `this job has no OIDC token, so lb-routes cannot check which workflow runs it; ${want}: call that workflow with permissions: id-token: write`
  const ref = typeof claims.job_workflow_ref === 'string' ? claims.job_workflow_ref : '(none)'
  if (!expected.includes(ref))
    return `this job runs workflow ${ref}, which may not apply owner ${config.owner}'s routes: ${want}; call that workflow from this repository (its job_workflow_ref must match), or ask the load balancer owner to add this workflow to trustedWorkflows`
  if (typeof claims.repository === 'string' && claims.repository.toLowerCase() !== t.repository.toLowerCase())
    return `this job's OIDC token is for repository ${claims.repository}, not ${t.repository}; refusing to apply`
  return undefined
}
