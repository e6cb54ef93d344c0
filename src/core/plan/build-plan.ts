// buildPlan: the pure heart of `lb-routes plan` (DESIGN.md §5). Live state and compiled routes in, a Plan
// value out, assembled from named steps: bind existing → diff resources and frontend → merge the URL map →
// the URL-map change → plan checks (checks/index.ts) → route summaries → waves and planId.
import type { UrlMap } from '../compute.js'
import { collectServiceReferences } from '../google-semantics/validate.js'
import { canonicalRef, refName } from '../google-semantics/refs.js'
import { diffFrontend } from '../diff/frontend.js'
import { diffResources } from '../diff/resources.js'
import { bindExisting } from './adopt.js'
import { collectOutcomes, type CheckOutcome } from './checks/check.js'
import { runPlanChecks } from './checks/index.js'
import type { BuildPlanInput, PlanContext } from './context.js'
import type { Plan } from './model.js'
import { readOwnership } from './ownership.js'
import { computePlanId, applyWaves } from './plan-id.js'
import { diffProblems, mergeProblems, unresolvedProblems, type PlanProblem } from './problems.js'
import { routeSummaries } from './route-summaries.js'
import { routeTestCases, type RouteTestCase } from './route-tests.js'
import { mergeOwnerRules, urlMapChange } from './url-map-change.js'

export type { BuildPlanInput, PlanContext } from './context.js'
export { FRONTEND, type PlanProblem } from './problems.js'

export interface BuildPlanResult {
  /** Present even with problems (for display); never apply a plan that has problems. */
  readonly plan?: Plan
  readonly problems: readonly PlanProblem[]
  /** The merged URL map and the tests to validate it with server-side. */
  readonly mergedMap?: UrlMap
  readonly testCases: readonly RouteTestCase[]
}

/** planContext runs the structural steps: bind existing, ownership, merge, diffs and the URL-map change. */
export function planContext(input: BuildPlanInput): PlanContext {
  const { config, compiled, live } = input
  const adopt = input.adopt ?? false
  const binding = bindExisting(compiled.desired, live, adopt)
  const desired = binding.desired
  const ownership = readOwnership(config, live, desired)
  const merged = mergeOwnerRules(config, live.urlMap, desired, ownership)
  const resources = diffResources(desired, live, { ...binding, requested: adopt })
  const frontend = diffFrontend(config.owner, config.loadBalancer, desired.frontend, live.frontend)
  const mapChange = urlMapChange(config, live.urlMap, merged)
  return {
    ...input,
    adopt,
    desired,
    ownership,
    merged,
    resources,
    frontend,
    changes: [...resources.changes, ...frontend.changes, ...(mapChange ? [mapChange] : [])],
    ...(merged.map ? { mergedMap: merged.map } : {}),
    testCases: merged.map ? routeTestCases(config, desired) : []
  }
}

/** buildPlan merges, diffs and checks; problems (conflicts, unresolved targets, name collisions) block apply. */
export function buildPlan(input: BuildPlanInput): BuildPlanResult {
  const ctx = planContext(input)
  const { config, live, changes } = ctx
  const checked = runPlanChecks(ctx)
  const plan: Plan = {
    formatVersion: 1,
    planId: computePlanId(config.owner, changes, ctx.merged.ruleIntent, checked.trafficMoves),
    createdAt: input.now.toISOString(),
    owner: config.owner,
    loadBalancer: config.loadBalancer,
    urlMapFingerprint: live.urlMap?.fingerprint ?? null,
    changes,
    waves: applyWaves(changes),
    routes: routeSummaries(ctx),
    warnings: [...ctx.compiled.notes, ...ctx.frontend.warnings, ...checked.warnings],
    checks: checked.checks,
    ...(ctx.frontend.summary ? { frontend: ctx.frontend.summary } : {}),
    desired: ctx.desired,
    ...(checked.trafficMoves ? { trafficMoves: checked.trafficMoves } : {}),
    ...holdersOf(ctx)
  }
  const problems = [
    ...unresolvedProblems(ctx.compiled),
    ...mergeProblems(ctx.merged, ctx.adopt),
    ...diffProblems(ctx.resources, ctx.frontend),
    ...checked.problems
  ]
  return { plan, problems, ...(ctx.mergedMap ? { mergedMap: ctx.mergedMap } : {}), testCases: ctx.testCases }
}

/**
 * withCheck folds the outcome of a check that ran after buildPlan (urlMaps.validate needs the network, so the
 * shell runs it on the built plan) into the result: its row after the others, its problems after theirs.
 */
export function withCheck(built: BuildPlanResult, outcome: CheckOutcome): BuildPlanResult {
  const late = collectOutcomes([outcome])
  const plan = built.plan && {
    ...built.plan,
    checks: [...built.plan.checks, ...late.checks],
    warnings: [...built.plan.warnings, ...late.warnings],
    ...(late.trafficMoves ? { trafficMoves: [...(built.plan.trafficMoves ?? []), ...late.trafficMoves] } : {})
  }
  return { ...built, ...(plan ? { plan } : {}), problems: [...built.problems, ...late.problems] }
}

/** The owners of the other backends the merged map references, by name, so the comment can name them. */
function holdersOf(ctx: PlanContext): { holders?: Record<string, string> } {
  const map = ctx.mergedMap
  if (!map) return {}
  const project = ctx.config.loadBalancer.project
  const holders: Record<string, string> = {}
  for (const ref of collectServiceReferences(map)) {
    const url = canonicalRef(ref, project)
    if (ctx.ownership.ownedServices.has(url)) continue
    holders[refName(url)] = ctx.ownership.serviceOwners[url] ?? 'unmanaged'
  }
  return Object.keys(holders).length > 0 ? { holders } : {}
}
