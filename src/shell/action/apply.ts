// command apply (pushes to the default branch): find the merged PR's reviewed plan, re-plan, apply only
// when the fresh plan is the reviewed one, then report on the PR and in the summary and, with verify-url,
// probe every route through the load balancer.
import type { ApplyResult, Plan } from '../../core/plan/model.js'
import { hasChanges } from '../../core/plan/model.js'
import { renderApplyMarkdown, type ApplyMarkdownOptions } from '../../core/render/apply.js'
import { DEFAULT_MAX_LENGTH } from '../../core/render/markdown.js'
import { renderVerifyMarkdown } from '../../core/render/verify.js'
import { applyMarker } from '../../core/review/markers.js'
import { refusedResult } from '../../core/review/reviewed.js'
import type { RoutesConfig } from '../../core/routes/model.js'
import { verifyFailureMessage, verifyPassed } from '../../core/verify/probes.js'
import { applyRoutes } from '../engine/apply-routes.js'
import type { PlanRoutesInput } from '../engine/plan-routes.js'
import { probeRoutes } from '../verify/run-probes.js'
import { annotate } from './annotate.js'
import { upsertComment } from './comment.js'
import type { ActionDeps, ActionOutcome } from './deps.js'
import { reviewForMerge } from './review.js'
import { basename } from 'node:path'
import { saveSnapshot } from './snapshot.js'
import { errorMessage } from '../../core/error-message.js'

/** A check before apply plans anything: a message refuses the apply (nothing written), undefined passes. */
export type PreApplyCheck = (deps: ActionDeps, config: RoutesConfig) => Promise<string | undefined>

/** The checks every apply passes first, in order, after the reviewed plan is found (e.g. a trusted workflow). */
export const PRE_APPLY_CHECKS: readonly PreApplyCheck[] = []

/** runApply applies the merged PR's reviewed plan, or refuses with the reason on the PR and in the summary. */
export async function runApply(
  deps: ActionDeps,
  base: PlanRoutesInput,
  config: RoutesConfig
): Promise<ActionOutcome> {
  const applyAnyway = deps.inputs.onPlanChanged === 'apply'
  const { pr, reviewed, refusal } = await reviewForMerge(deps, config, !applyAnyway)
  if (refusal && !applyAnyway) {
    const message = `${refusal}; nothing was applied (set on-plan-changed: apply to apply without review)`
    return finishApply(deps, pr, refusedResult(config, message))
  }
  for (const check of PRE_APPLY_CHECKS) {
    const why = await check(deps, config)
    if (why) return finishApply(deps, pr, refusedResult(config, why))
  }
  let out
  let snapshotFile: string | undefined
  try {
    out = await applyRoutes({
      ...base,
      ...(reviewed && !applyAnyway ? { reviewed } : {}),
      ...(deps.inputs.concurrency ? { concurrency: deps.inputs.concurrency } : {}),
      onSnapshot: async (s) => void (snapshotFile = await saveSnapshot(deps, s))
    })
  } catch (err) {
    // Denied or unreachable APIs (e.g. 403 while re-planning): report on the PR and in the summary.
    const message = `lb-routes could not apply: ${errorMessage(err)}`
    const failed: ApplyResult = { ...refusedResult(config, message, reviewed?.planId), status: 'failed' }
    return finishApply(deps, pr, failed)
  }
  annotate(deps.core, out.diagnostics)
  if (!out.result) {
    deps.core.setFailed('lb-routes could not plan the apply; see the annotations')
    return { command: 'apply', ok: false }
  }
  return finishApply(deps, pr, out.result, out.plan, snapshotFile, config)
}

/** finishApply reports the result (summary, PR comment, outputs), then verifies when asked to. */
async function finishApply(
  deps: ActionDeps,
  pr: number | undefined,
  result: ApplyResult,
  plan?: Plan,
  snapshotFile?: string,
  config?: RoutesConfig
): Promise<ActionOutcome> {
  const { core, context, inputs } = deps
  const runUrl = context.runUrl ? { runUrl: context.runUrl } : {}
  const extra = { ...(plan ? { plan } : {}), ...(snapshotFile ? { snapshot: basename(snapshotFile) } : {}) }
  const body = renderApplyMarkdown(result, { ...runUrl, ...extra })
  await core.writeSummary(body)
  const commentOn = inputs.comment !== 'never' ? pr : undefined
  if (commentOn !== undefined)
    await upsertComment(deps, commentOn, applyMarker(result.owner, result.loadBalancer), body)
  core.setOutput('plan-id', result.planId)
  core.setOutput('has-changes', String(plan ? hasChanges(plan) : false))
  const outcome = { command: 'apply' as const, result, ...(plan ? { plan } : {}) }
  const ok = result.status === 'applied' || result.status === 'no-changes'
  if (!ok || !inputs.verify || !config) {
    core.setOutput('verify-result', 'skipped')
    if (!ok) core.setFailed(result.message ?? `apply ${result.status}`)
    return { ...outcome, ok }
  }
  return { ...outcome, ok: await verifyAfterApply(deps, config, result, commentOn, extra) }
}

/** verifyAfterApply probes every route; the report joins the summary and the apply comment. */
async function verifyAfterApply(
  deps: ActionDeps,
  config: RoutesConfig,
  result: ApplyResult,
  pr: number | undefined,
  extra: Pick<ApplyMarkdownOptions, 'plan' | 'snapshot'>
): Promise<boolean> {
  const { core, context, inputs } = deps
  // The apply is reported first; probing can take minutes while the new map propagates.
  const report = await probeRoutes(config, inputs.verify!, (line) => core.info(line))
  const section = renderVerifyMarkdown(report)
  await core.writeSummary(section)
  if (pr !== undefined) {
    const budget = DEFAULT_MAX_LENGTH - section.length - 2
    const runUrl = context.runUrl ? { runUrl: context.runUrl } : {}
    const body = `${renderApplyMarkdown(result, { ...runUrl, ...extra, maxLength: budget })}\n${section}`
    await upsertComment(deps, pr, applyMarker(result.owner, result.loadBalancer), body)
  }
  const verified = verifyPassed(report)
  core.setOutput('verify-result', verified ? 'passed' : 'failed')
  if (!verified) core.setFailed(verifyFailureMessage(report))
  else core.info(`verify: every route answered through ${report.url}`)
  return verified
}
