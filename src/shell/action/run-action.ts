// The GitHub Action (DESIGN.md §9): choose the command from the input or the event, check routes.json
// offline, then hand over to one module per command (plan.ts, apply.ts, drift.ts, rollback.ts). Every
// collaborator comes in as ActionDeps (deps.ts); src/entry/action.ts wires the real ones.
import { hasErrors } from '../../core/diagnostics.js'
import { parseRoutes } from '../../core/routes/parse.js'
import type { PlanRoutesInput } from '../engine/plan-routes.js'
import { annotate, masked } from './annotate.js'
import { runApply } from './apply.js'
import type { ActionCommand, ActionCore, ActionDeps, ActionOutcome } from './deps.js'
import { runDrift } from './drift.js'
import { InputError } from './inputs.js'
import { reportOffline } from './offline.js'
import { runPlan } from './plan.js'
import { runRollback } from './rollback.js'
import { errorMessage } from '../../core/error-message.js'

// Events with neither a pull request to comment on nor a merge to apply: a scheduled or manual check.
const DRIFT_EVENTS = new Set(['schedule', 'workflow_dispatch'])

function commandFor(deps: ActionDeps): ActionCommand {
  const { inputs, context } = deps
  if (inputs.command) return inputs.command
  if (context.eventName === 'push') return 'apply'
  return DRIFT_EVENTS.has(context.eventName) ? 'drift' : 'plan'
}

function prNumberOf(payload: Record<string, any>): number | undefined {
  return payload.pull_request?.number ?? (payload.issue?.pull_request ? payload.issue.number : undefined)
}

function isForkPr(payload: Record<string, any>): boolean {
  const pr = payload.pull_request
  if (!pr) return false
  return (
    pr.head?.repo?.fork === true ||
    (pr.head?.repo?.full_name && pr.head.repo.full_name !== pr.base?.repo?.full_name)
  )
}

/** runAction runs plan (pull requests), apply (pushes) or drift (schedule) and reports to GitHub, the summary and outputs. */
export async function runAction(deps: ActionDeps): Promise<ActionOutcome> {
  const { inputs, core, context } = deps
  const command = commandFor(deps)
  const file = inputs.routesFile
  const bytes = await deps.readFile(file)
  const pr = prNumberOf(context.payload)
  const policy = inputs.allowedInternetHosts
    ? { policyAllowedInternetHosts: inputs.allowedInternetHosts }
    : {}

  // Offline first: the file's own errors need no credentials and are annotated on its lines.
  const parsed = parseRoutes(bytes, { file, ...policy })
  annotate(core, parsed.diagnostics)
  if (!parsed.config || hasErrors(parsed.diagnostics)) {
    const n = parsed.diagnostics.filter((d) => d.severity === 'error').length
    if (pr !== undefined && command === 'plan')
      await reportOffline(deps, pr, parsed.config, parsed.diagnostics, `${file} is not valid.`, bytes)
    core.setFailed(`${file} has ${n} error(s); see the annotations`)
    return { command, ok: false }
  }
  const config = parsed.config

  const fork = isForkPr(context.payload)
  if (command === 'plan' && (fork || (inputs.workloadIdentityProvider && !context.oidcAvailable))) {
    const reason = fork
      ? 'This pull request comes from a fork. GitHub gives fork PRs no OIDC token, so lb-routes cannot read the live load balancer: only offline checks ran.'
      : 'No OIDC token is available to this job (does it set permissions: id-token: write?), so lb-routes cannot read the live load balancer: only offline checks ran.'
    core.warning(reason)
    const ok = await reportOffline(deps, pr, config, parsed.diagnostics, reason, bytes, fork)
    core.setOutput('has-changes', 'unknown')
    core.setOutput('plan-id', '')
    if (!ok) core.setFailed('offline route tests failed')
    return { command, ok }
  }

  const clients = deps.clients(masked(core, deps.credentials()), deps.logger)
  // Parsed and annotated once, above: the engine gets the config and reports only the plan's diagnostics.
  const base: PlanRoutesInput = { file, config, clients, now: deps.now() }
  // Adoption is part of the reviewed plan and of its apply; drift compares without it.
  const adopting = { ...base, ...(inputs.adopt ? { adopt: true } : {}) }
  if (command === 'apply') return runApply(deps, adopting, config)
  if (command === 'rollback') return runRollback(deps, config, clients)
  if (command === 'drift') return runDrift(deps, base)
  try {
    return await runPlan(deps, adopting, pr)
  } catch (err) {
    // Denied or unreachable Google APIs: say so on the PR too (its old plan comment would otherwise stand
    // as if current), then fail the step with the same message.
    const reason = `lb-routes could not read the live load balancer, so there is no plan: ${errorMessage(err)}`
    await reportOffline(deps, pr, config, parsed.diagnostics, reason)
    throw err
  }
}

/**
 * runActionSafely builds the deps and runs the action; any error fails the step with its message (an
 * input error as it is, anything else prefixed "lb-routes failed:"), never a stack trace.
 */
export async function runActionSafely(
  core: ActionCore,
  deps: () => ActionDeps
): Promise<ActionOutcome | undefined> {
  try {
    return await runAction(deps())
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err)
    core.setFailed(err instanceof InputError ? message : `lb-routes failed: ${message}`)
    return undefined
  }
}
