// What a reviewer approved and how apply compares it with the plan made at merge time (DESIGN.md §6:
// "apply on merge re-plans and refuses when the planId differs from the one in the reviewed PR comment").
// The planId alone decides; the change list only lets a refusal say what changed.
import type { ApplyResult, Plan } from '../plan/model.js'

/** What a reviewer saw: the planId and, when known, the change list (to say what changed). */
export interface ReviewedPlan {
  readonly planId: string
  /** `action key` lines, e.g. "create backendService/edge-prod/global/lbr-…". */
  readonly changes?: readonly string[]
}

/** changeLines lists a plan's changes as `action key` lines (what the reviewed-plan comparison diffs). */
export function changeLines(plan: Plan): string[] {
  return plan.changes.map((c) => `${c.action} ${c.key}`).sort()
}

/** reviewedFromPlan is what a saved plan (plan.json) says was reviewed. */
export function reviewedFromPlan(plan: Plan): ReviewedPlan {
  return { planId: plan.planId, changes: changeLines(plan) }
}

/** describePlanDrift says, in words, how the fresh plan differs from the reviewed one. */
export function describePlanDrift(reviewed: ReviewedPlan, fresh: Plan): string {
  const head = `the plan changed since it was reviewed (reviewed planId ${reviewed.planId}, now ${fresh.planId})`
  if (!reviewed.changes) return `${head}; run plan again and review it`
  const now = new Set(changeLines(fresh))
  const before = new Set(reviewed.changes)
  const added = [...now].filter((l) => !before.has(l))
  const gone = [...before].filter((l) => !now.has(l))
  const parts = [
    ...(added.length ? [`now also: ${added.join(', ')}`] : []),
    ...(gone.length ? [`no longer: ${gone.join(', ')}`] : []),
    ...(!added.length && !gone.length
      ? ['the same resources change, but with different settings or URL-map rules']
      : [])
  ]
  return `${head}: ${parts.join('; ')}. Run plan again and review it.`
}

/** reviewRefusal is the refusal when the fresh plan is not the reviewed one; undefined when it is. */
export function reviewRefusal(reviewed: ReviewedPlan, fresh: Plan): ApplyResult | undefined {
  if (reviewed.planId === fresh.planId) return undefined
  return refusedResult(fresh, describePlanDrift(reviewed, fresh), fresh.planId)
}

/** refusedResult is the ApplyResult of an apply that wrote nothing because it was refused, saying why. */
export function refusedResult(
  who: Pick<ApplyResult, 'owner' | 'loadBalancer'>,
  message: string,
  planId = ''
): ApplyResult {
  return {
    planId,
    owner: who.owner,
    loadBalancer: who.loadBalancer,
    status: 'refused',
    steps: [],
    urlMapRetries: 0,
    message,
    durationMs: 0
  }
}
