// applyPlan: executes a Plan as a dependency graph (DESIGN.md §6, core/plan/apply-graph.ts): every operation
// starts once what it needs is done, within its project's concurrency and mutation rate (schedule.ts). On the
// first failure nothing new starts, the operations in flight finish, and the URL map — which waits for
// everything it references — is not written. Every mutation carries a requestId (the client adds one per
// logical call), and the plan is recomputed from live state on every run, so an apply that died half-way
// converges when run again.
import type { BackendService, NetworkEndpoint, UrlMap } from '../../core/compute.js'
import { setTimeout as delay } from 'node:timers/promises'
import { applyGraph, type ApplyNode } from '../../core/plan/apply-graph.js'
import { mergeUrlMap, urlMapsEquivalent } from '../../core/plan/merge-url-map.js'
import type { ApplyResult, ApplyStep, Plan, ResourceChange, RuleChange } from '../../core/plan/model.js'
import { overlayBackendService } from '../../core/diff/resources.js'
import { backendServiceRef, canonicalRef } from '../../core/google-semantics/refs.js'
import { errorMessage } from '../../core/error-message.js'
import { describeMove } from '../../core/traffic/conflicts.js'
import { refusedAtWrite } from '../../core/traffic/recheck.js'
import type { ComputeClient } from '../google/compute-client.js'
import { isAlreadyExists, isFingerprintConflict, isNotFound } from '../google/errors.js'
import { NullLogger, type Logger } from '../logger.js'
import { applyFrontendChange } from './apply-frontend.js'
import { getUrlMapOrUndefined } from './read-live-state.js'
import { runGraph, type ScheduleOptions } from './schedule.js'

export interface ApplyOptions {
  readonly compute: ComputeClient
  readonly logger?: Logger
  /** Operations in flight at once per project (default schedule.ts DEFAULT_CONCURRENCY). */
  readonly concurrency?: number
  /** Per-project mutation rate and burst (defaults under Compute's quota, schedule.ts). */
  readonly mutationsPerMinute?: number
  readonly mutationBurst?: number
  /** URL map read-merge-write rounds before giving up when other writers keep getting in (default 12). */
  readonly urlMapAttempts?: number
  /** Backoff between those rounds and waits for the rate bucket (injectable for tests). */
  readonly sleep?: (ms: number) => Promise<void>
  readonly random?: () => number
  /** Clock in ms (durations and the rate bucket). */
  readonly now?: () => number
  /** Called after each step, e.g. for progress lines or fault-injection tests. */
  readonly onStep?: (step: ApplyStep) => void
  /**
   * Called right before the URL map is written, with the map about to be sent. Used to validate it
   * server-side once the backends it references exist; throw to abort the write.
   */
  readonly beforeUrlMapWrite?: (map: UrlMap) => Promise<void>
}

/** Raised when the URL map changed under the apply in a way that touches this owner's reviewed rules. */
export class PlanChangedError extends Error {}

const stepAction = (change: ResourceChange, node: ApplyNode): ApplyStep['action'] =>
  node.step === 'change' ? change.action : node.step

/** applyPlan performs the plan's changes as a dependency graph and reports every step. */
export async function applyPlan(plan: Plan, opts: ApplyOptions): Promise<ApplyResult> {
  const now = opts.now ?? Date.now
  const log = opts.logger ?? new NullLogger()
  const started = now()
  const steps: ApplyStep[] = []
  const byKey = new Map(plan.changes.map((c) => [c.key, c]))
  let urlMapRetries = 0
  const base = { planId: plan.planId, owner: plan.owner, loadBalancer: plan.loadBalancer }
  if (plan.changes.length === 0) {
    return { ...base, status: 'no-changes', steps, urlMapRetries, durationMs: now() - started }
  }
  const nodes = applyGraph(plan.changes)
  log.info(`applying ${plan.changes.length} change(s) as ${nodes.length} operation(s)`)
  const schedule: ScheduleOptions = {
    ...(opts.concurrency ? { concurrency: opts.concurrency } : {}),
    ...(opts.mutationsPerMinute ? { mutationsPerMinute: opts.mutationsPerMinute } : {}),
    ...(opts.mutationBurst ? { mutationBurst: opts.mutationBurst } : {}),
    ...(opts.now ? { now: opts.now } : {}),
    ...(opts.sleep ? { sleep: opts.sleep } : {}),
    onRateLimited: (listener) => opts.compute.onRateLimited(listener)
  }
  let failed: string | undefined
  const outcomes = await runGraph(
    nodes,
    async (node) => {
      const change = byKey.get(node.key)!
      const t0 = now()
      try {
        urlMapRetries += await applyNode(plan, change, node, opts, log)
        const step = { key: node.key, action: stepAction(change, node), status: 'done' as const }
        record({ ...step, durationMs: now() - t0 })
      } catch (err) {
        failed ??= errorMessage(err)
        const step = { key: node.key, action: stepAction(change, node), status: 'failed' as const }
        record({ ...step, error: errorMessage(err), durationMs: now() - t0 })
        throw err
      }
    },
    schedule
  )
  for (const node of nodes) {
    if (outcomes.get(node.id)?.status !== 'skipped') continue
    const change = byKey.get(node.key)!
    record({ key: node.key, action: stepAction(change, node), status: 'skipped', durationMs: 0 })
  }
  function record(step: ApplyStep) {
    steps.push(step)
    opts.onStep?.(step)
  }
  if (failed) {
    return {
      ...base,
      status: 'failed',
      steps,
      urlMapRetries,
      message: `${failed} — no step was started after it (the others in flight finished); fix the cause and run apply again (it converges).`,
      durationMs: now() - started
    }
  }
  return { ...base, status: 'applied', steps, urlMapRetries, durationMs: now() - started }
}

/** applyNode performs one operation of the graph; returns how many 412 retries the URL map write needed. */
async function applyNode(
  plan: Plan,
  change: ResourceChange,
  node: ApplyNode,
  opts: ApplyOptions,
  log: Logger
): Promise<number> {
  const { compute } = opts
  const { project, region, name } = change.address
  if (node.step === 'attach') {
    const { networkEndpoints } = change.after as { networkEndpoints: NetworkEndpoint[] }
    await compute.run(compute.attachNetworkEndpoints(project, name, networkEndpoints))
    return 0
  }
  if (node.step === 'setSecurityPolicy') {
    const { securityPolicy } = change.after as { securityPolicy: string }
    await compute.run(compute.setSecurityPolicy(project, name, securityPolicy))
    return 0
  }
  // Compute has no NEG update: an adopted NEG is recorded by the backend service that uses it (adopt.ts).
  if (change.action === 'adopt' && change.address.kind.endsWith('NetworkEndpointGroup')) return 0
  switch (change.address.kind) {
    case 'globalNetworkEndpointGroup': {
      const after = change.after as { networkEndpoints?: NetworkEndpoint[] } & Record<string, unknown>
      if (change.action === 'delete')
        return ignoreNotFound(compute.run(compute.deleteGlobalNetworkEndpointGroup(project, name)))
      if (change.action === 'create') {
        // The endpoint is attached by the node after this one (apply-graph.ts), off the critical path.
        const { networkEndpoints: _endpoints, ...neg } = after
        await compute.run(compute.insertGlobalNetworkEndpointGroup(project, neg))
      } else if (after.networkEndpoints?.length)
        await compute.run(compute.attachNetworkEndpoints(project, name, after.networkEndpoints))
      return 0
    }
    case 'regionNetworkEndpointGroup': {
      if (change.action === 'delete')
        return ignoreNotFound(compute.run(compute.deleteRegionNetworkEndpointGroup(project, region!, name)))
      await compute.run(compute.insertRegionNetworkEndpointGroup(project, region!, change.after as object))
      return 0
    }
    case 'backendService':
      return applyBackendService(change, opts)
    case 'urlMap':
      return writeUrlMap(plan, change, opts, log)
    default:
      await applyFrontendChange(compute, change)
      return 0
  }
}

async function ignoreNotFound(p: Promise<unknown>): Promise<number> {
  try {
    await p
  } catch (err) {
    // Already gone (e.g. a previous apply deleted it before dying): the goal is reached.
    if (!isNotFound(err)) throw err
  }
  return 0
}

async function applyBackendService(change: ResourceChange, opts: ApplyOptions): Promise<number> {
  const { compute } = opts
  const { project, name } = change.address
  if (change.action === 'delete')
    return ignoreNotFound(compute.run(compute.deleteBackendService(project, name)))
  const { securityPolicy, ...desired } = change.after as BackendService & { securityPolicy?: string }
  const serverless = (desired.backends ?? []).some((b) => /\/regions\//.test(b.group ?? ''))
  if (change.action === 'create') {
    // The security policy is set by the node after this one (apply-graph.ts).
    await compute.run(compute.insertBackendService(project, desired))
    return 0
  }
  // Update: read-modify-write with the fingerprint; another writer in between costs one more round.
  for (let attempt = 1; ; attempt++) {
    const live = await compute.getBackendService(project, name)
    const body = overlayBackendService(live, desired, serverless)
    try {
      await compute.run(compute.updateBackendService(project, name, body))
      const want = securityPolicy ? canonicalRef(securityPolicy, project) : null
      const have = live.securityPolicy ? canonicalRef(live.securityPolicy, project) : null
      if (want !== have) await compute.run(compute.setSecurityPolicy(project, name, want))
      return 0
    } catch (err) {
      if (!isFingerprintConflict(err) || attempt >= 5) throw err
    }
  }
}

// The map may have changed since the plan; the same rule changes must still move nobody else's requests.
function refuseMovedTraffic(
  plan: Plan,
  live: UrlMap | undefined,
  merged: UrlMap,
  owned: ReadonlySet<string>
): void {
  const { owner, loadBalancer } = plan
  const refused = refusedAtWrite({
    owner,
    project: loadBalancer.project,
    scheme: loadBalancer.scheme,
    live,
    merged,
    ownedServices: owned
  })
  if (refused.length === 0) return
  const shown = refused.slice(0, 3).map(describeMove).join('; ')
  throw new PlanChangedError(
    `the URL map changed after the plan: owner ${owner}'s rules would now move requests that are not its own (${shown}${refused.length > 3 ? `; ${refused.length - 3} more` : ''}); run plan again and review it`
  )
}

const ruleKey = (r: RuleChange) =>
  JSON.stringify([r.action, r.host, r.path, r.before ?? null, r.after ?? null])

/**
 * writeUrlMap is read-merge-write with the fingerprint (DESIGN.md §6): read the map as it is now, merge this
 * owner's rules into it, validate, write with the fingerprint just read. When another writer got in between
 * (412 conditionNotMet, or a validation that failed because the map moved under us) it goes round again
 * after a jittered backoff — but only while this owner's rule changes are still exactly the reviewed ones;
 * someone else's unrelated edit is merged, never lost. Returns how many times it had to go round again.
 */
async function writeUrlMap(
  plan: Plan,
  change: ResourceChange,
  opts: ApplyOptions,
  log: Logger
): Promise<number> {
  const { compute } = opts
  const { project, name } = change.address
  const attempts = opts.urlMapAttempts ?? 12
  const sleep = opts.sleep ?? ((ms: number) => delay(ms))
  const random = opts.random ?? Math.random
  const reviewed = JSON.stringify((change.rules ?? []).map(ruleKey).sort())
  const owned = new Set<string>(plan.desired.backendServices.map((b) => backendServiceRef(b.project, b.name)))
  for (const c of plan.changes) {
    if (c.address.kind === 'backendService') owned.add(backendServiceRef(c.address.project, c.address.name))
  }
  const readMap = () => getUrlMapOrUndefined(compute, project, name)
  const again = async (attempt: number, why: string) => {
    log.info(`URL map ${name}: ${why}; reading it again and merging (attempt ${attempt + 1} of ${attempts})`)
    await sleep(Math.min(2000, 50 * 2 ** attempt) * (0.5 + random() / 2))
  }
  for (let attempt = 1; ; attempt++) {
    const fresh = await readMap()
    const merged = mergeUrlMap({
      owner: plan.owner,
      project,
      urlMapName: name,
      live: fresh,
      rules: plan.desired.rules,
      ownedServices: owned,
      serviceOwners: {}
    })
    const changes = JSON.stringify(merged.ruleChanges.map(ruleKey).sort())
    if (!merged.map || merged.conflicts.length > 0 || merged.errors.length > 0 || changes !== reviewed) {
      const why = [
        ...merged.errors,
        ...merged.conflicts.map((c) => `host ${c.host} ${c.path} is now held by ${c.holder}`)
      ]
      throw new PlanChangedError(
        `the URL map changed after the plan in a way that touches owner ${plan.owner}'s routes${why.length ? `: ${why.join('; ')}` : ''}; run plan again and review it`
      )
    }
    refuseMovedTraffic(plan, fresh, merged.map, owned)
    if (fresh && urlMapsEquivalent(fresh, merged.map, project)) return attempt - 1 // already in place
    try {
      await opts.beforeUrlMapWrite?.(merged.map)
    } catch (err) {
      // Validation can fail because the map moved after the read (e.g. another owner removed a backend
      // it referenced): if the fingerprint changed, go round again; otherwise the failure is ours.
      const now = await readMap()
      if (now?.fingerprint === fresh?.fingerprint || attempt >= attempts) throw err
      await again(attempt, 'it changed while the merged map was being validated')
      continue
    }
    try {
      if (fresh) {
        await compute.run(
          compute.updateUrlMap(project, name, { ...merged.map, fingerprint: fresh.fingerprint ?? null })
        )
      } else {
        const { fingerprint: _fp, ...body } = merged.map
        await compute.run(compute.insertUrlMap(project, body))
      }
      return attempt - 1
    } catch (err) {
      // 412: someone wrote in between; 409 on insert: someone created the map in between.
      const raced = isFingerprintConflict(err) || (!fresh && isAlreadyExists(err))
      if (!raced || attempt >= attempts) throw err
      await again(
        attempt,
        raced && fresh ? 'changed since it was read (412 conditionNotMet)' : 'was created by someone else'
      )
    }
  }
}
