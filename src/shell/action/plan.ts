// command plan (pull requests): plan against the live load balancer, write plan.json and the outputs,
// the job summary and the sticky plan comment that a merge later applies against.
import { hasErrors } from '../../core/diagnostics.js'
import { hasChanges } from '../../core/plan/model.js'
import { renderPlanJson } from '../../core/render/json.js'
import { renderPlanMarkdown, STEP_SUMMARY_LIMIT } from '../../core/render/markdown.js'
import { planComment } from '../../core/review/comment.js'
import { planMarker } from '../../core/review/markers.js'
import { planRoutes, type PlanRoutesInput } from '../engine/plan-routes.js'
import { annotate } from './annotate.js'
import { upsertComment } from './comment.js'
import { tempPath } from './context.js'
import type { ActionDeps, ActionOutcome } from './deps.js'
import { planProvenance } from './review.js'

/** runPlan plans, reports and comments; the step fails when the plan has errors. */
export async function runPlan(
  deps: ActionDeps,
  base: PlanRoutesInput,
  pr: number | undefined
): Promise<ActionOutcome> {
  const { core, context, inputs } = deps
  const out = await planRoutes(base)
  // The file's own diagnostics were annotated before planning; the engine reports only the plan's.
  annotate(core, out.diagnostics)
  if (!out.plan) {
    core.setFailed('lb-routes could not compute a plan; see the annotations')
    return { command: 'plan', ok: false }
  }
  const plan = out.plan
  const ok = !hasErrors(out.diagnostics)
  const jsonPath = tempPath(context, 'lb-routes-plan.json')
  await deps.writeFile(jsonPath, renderPlanJson(plan))
  core.setOutput('plan-id', plan.planId)
  core.setOutput('has-changes', String(hasChanges(plan)))
  core.setOutput('plan-json', jsonPath)
  const runUrl = context.runUrl ? { runUrl: context.runUrl } : {}
  const env = inputs.environment ? { environment: inputs.environment } : {}
  await core.writeSummary(
    renderPlanMarkdown(plan, {
      ...runUrl,
      ...env,
      maxLength: STEP_SUMMARY_LIMIT,
      maxBytes: STEP_SUMMARY_LIMIT - 1024
    })
  )
  const wanted = inputs.comment === 'always' || hasChanges(plan) || !ok
  if (pr !== undefined && inputs.comment !== 'never' && wanted) {
    const provenance = planProvenance(context)
    const body = planComment(plan, { ...runUrl, ...env, ...(provenance ? { provenance } : {}) })
    await upsertComment(deps, pr, planMarker(plan.owner, plan.loadBalancer), body)
  }
  if (!ok) core.setFailed('the plan has errors; see the annotations and the comment')
  else core.info(`plan ${plan.planId}: ${plan.changes.length} change(s)`)
  return { command: 'plan', ok, plan }
}
