// Snapshots and rollback against the live APIs: apply saves the before-state of what it touches
// (takeSnapshot), and rollback reads live state again, plans back to the snapshot under the same ownership
// rules (core/rollback/rollback-plan.ts) and applies that plan with applyPlan, like any other plan.
import type { NetworkEndpoint, UrlMap } from '../../core/compute.js'
import type { LiveState } from '../../core/plan/live.js'
import type { ApplyResult, ApplyStep, Plan } from '../../core/plan/model.js'
import { buildRollbackPlan } from '../../core/rollback/rollback-plan.js'
import type { Tenancy } from '../../core/policy/model.js'
import { restoredRuleProblems } from '../../core/rollback/check-snapshot.js'
import { buildSnapshot, type Snapshot } from '../../core/rollback/snapshot.js'
import { backendServiceRef } from '../../core/google-semantics/refs.js'
import type { ComputeClient } from '../google/compute-client.js'
import type { Logger } from '../logger.js'
import { applyPlan } from './apply-plan.js'
import { validateServerSide } from './plan-routes.js'
import { addMapProjects, getUrlMapOrUndefined, readLbResources } from './read-live-state.js'

/**
 * takeSnapshot records the before-state of every resource `plan` changes: the plan already carries each
 * live resource it updates or deletes; this adds the URL map (one GET when the plan does not change it) and
 * the endpoints of each global NEG it deletes (one listNetworkEndpoints call per such NEG).
 */
export async function takeSnapshot(compute: ComputeClient, plan: Plan, now: Date): Promise<Snapshot> {
  const lb = plan.loadBalancer
  const mapChange = plan.changes.find((c) => c.address.kind === 'urlMap')
  const urlMap = mapChange
    ? ((mapChange.before as UrlMap | undefined) ?? null)
    : ((await getUrlMapOrUndefined(compute, lb.project, lb.urlMap)) ?? null)
  const doomed = plan.changes.filter(
    (c) => c.address.kind === 'globalNetworkEndpointGroup' && c.action === 'delete'
  )
  const lists = await Promise.all(
    doomed.map(async (c) => {
      const list = await compute.listNetworkEndpoints(c.address.project, c.address.name)
      const endpoints = list.map((e) => e.networkEndpoint).filter((e): e is NetworkEndpoint => !!e)
      return [c.key, endpoints] as const
    })
  )
  return buildSnapshot({ plan, urlMap, endpoints: Object.fromEntries(lists), now })
}

/** readRollbackLive lists the URL map, backend services and NEGs of every project the snapshot or map names. */
export async function readRollbackLive(compute: ComputeClient, snapshot: Snapshot): Promise<LiveState> {
  const lb = snapshot.loadBalancer
  const urlMap = await getUrlMapOrUndefined(compute, lb.project, lb.urlMap)
  const projects = new Set<string>([lb.project])
  for (const r of snapshot.resources) projects.add(r.address.project)
  for (const map of [urlMap, snapshot.urlMap]) addMapProjects(projects, map, lb.project)
  const globalProjects = new Set([
    lb.project,
    ...snapshot.resources
      .filter((r) => r.address.kind === 'globalNetworkEndpointGroup')
      .map((r) => r.address.project)
  ])
  return {
    ...(urlMap ? { urlMap } : {}),
    ...(await readLbResources(compute, projects, globalProjects)),
    runServices: {}
  }
}

export interface RollbackInput {
  readonly snapshot: Snapshot
  readonly compute: ComputeClient
  readonly now: Date
  /** Plan only: read live state and compute the rollback plan, change nothing. */
  readonly dryRun?: boolean
  /** Receives the snapshot of the rollback itself before its first mutation (so it can be rolled back). */
  readonly onSnapshot?: (snapshot: Snapshot) => Promise<void>
  readonly logger?: Logger
  /** Operations in flight per project (apply-plan.ts). */
  readonly concurrency?: number
  readonly onStep?: (step: ApplyStep) => void
  /** Called right before the URL map is written, after the server-side load check (tests race here). */
  readonly beforeUrlMapWrite?: (map: UrlMap) => Promise<void>
  /** The owners policy and calling repository: the rules the rollback restores must be granted. */
  readonly tenancy?: Tenancy
}

export interface RollbackOutcome {
  readonly plan: Plan
  /** Why it cannot be applied; nothing was changed when there are any. */
  readonly problems: readonly string[]
  /** Absent for a dry run and when there are problems. */
  readonly result?: ApplyResult
}

/** rollbackRoutes plans the way back to the snapshot and, unless told not to, applies it. */
export async function rollbackRoutes(input: RollbackInput): Promise<RollbackOutcome> {
  const { compute, snapshot } = input
  const live = await readRollbackLive(compute, snapshot)
  const built = buildRollbackPlan({ snapshot, live, now: input.now })
  const { plan } = built
  const owned = new Set(plan.desired.backendServices.map((b) => backendServiceRef(b.project, b.name)))
  const problems = [
    ...restoredRuleProblems(snapshot.urlMap, owned, snapshot, input.tenancy),
    ...built.problems
  ]
  if (problems.length > 0 || input.dryRun) return { plan, problems }
  if (plan.changes.length > 0 && input.onSnapshot)
    await input.onSnapshot(await takeSnapshot(compute, plan, input.now))
  const result = await applyPlan(plan, {
    compute,
    ...(input.logger ? { logger: input.logger } : {}),
    ...(input.concurrency ? { concurrency: input.concurrency } : {}),
    ...(input.onStep ? { onStep: input.onStep } : {}),
    beforeUrlMapWrite: async (map) => {
      // The map must still load (every backend it references exists); no tests: it routes as it did.
      const failures = await validateServerSide(compute, snapshot.loadBalancer, map, [])
      if (failures.length > 0)
        throw new Error(
          `urlMaps.validate rejected the restored URL map; not writing it: ${failures.map((f) => f.message).join('; ')}`
        )
      await input.beforeUrlMapWrite?.(map)
    }
  })
  return { plan, problems, result }
}
