// command drift (schedule, workflow_dispatch): compare the live load balancer with routes.json and keep
// one issue in step with the difference. Drift is reported, not failed.
import { hasChanges } from '../../core/plan/model.js'
import { driftIssueLine, renderDriftSummary, type DriftIssueOutcome } from '../../core/render/drift.js'
import { STEP_SUMMARY_LIMIT } from '../../core/render/markdown.js'
import { checkDrift, syncDriftIssue } from '../engine/drift-routes.js'
import type { PlanRoutesInput } from '../engine/plan-routes.js'
import { annotate } from './annotate.js'
import type { ActionDeps, ActionOutcome } from './deps.js'
import { errorMessage } from '../../core/error-message.js'

/** runDrift checks for drift, syncs the drift issue and sets the drift outputs. */
export async function runDrift(deps: ActionDeps, base: PlanRoutesInput): Promise<ActionOutcome> {
  const { core, context, inputs } = deps
  const out = await checkDrift(base)
  annotate(core, out.diagnostics)
  if (!out.drift) {
    core.setFailed('lb-routes could not compute a plan to compare with; see the annotations')
    return { command: 'drift', ok: false }
  }
  const drift = out.drift
  const runUrl = context.runUrl ? { runUrl: context.runUrl } : {}
  let issue: DriftIssueOutcome | undefined
  let failure: string | undefined
  try {
    issue = await syncDriftIssue(deps.issues, drift, {
      author: inputs.commentAuthor,
      now: deps.now(),
      ...runUrl
    })
  } catch (err) {
    failure = `could not update the drift issue: ${errorMessage(err)} (the job needs permissions: issues: write)`
  }
  core.setOutput('drift', String(!drift.inSync))
  core.setOutput('drift-issue', issue?.number === undefined ? '' : String(issue.number))
  core.setOutput('drift-issue-url', issue?.url ?? '')
  core.setOutput('plan-id', drift.plan.planId)
  core.setOutput('has-changes', String(hasChanges(drift.plan)))
  await core.writeSummary(renderDriftSummary(drift, issue, { ...runUrl, maxLength: STEP_SUMMARY_LIMIT / 4 }))
  if (failure) {
    core.setFailed(failure)
    return { command: 'drift', ok: false, plan: drift.plan }
  }
  // The issue is the alarm; a red scheduled run would only repeat it.
  const line = issue ? driftIssueLine(issue) : ''
  if (drift.inSync) core.info(`no drift: the live load balancer matches ${inputs.routesFile}. ${line}`)
  else core.warning(`drift: the live load balancer differs from ${inputs.routesFile}. ${line}`)
  return { command: 'drift', ok: true, plan: drift.plan }
}
