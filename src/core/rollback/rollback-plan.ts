// buildRollbackPlan: a Plan whose desired state is rebuilt from a snapshot, so rollback is applied by the
// same machinery as apply (waves, read-merge-write of the URL map with its fingerprint, ownership rules).
// Only what the snapshotted apply touched moves back; the owner's untouched resources stay as they are now.
import type { BackendService, NetworkEndpoint, NetworkEndpointGroup } from '../compute.js'
import type { DesiredBackendService, DesiredState, OwnerRules } from '../compile/model.js'
import { markerOwner, markerRoutes } from '../compile/markers.js'
import { applyWaves, computePlanId } from '../plan/plan-id.js'
import type { LiveState } from '../plan/live.js'
import { mergeUrlMap, urlMapsEquivalent } from '../plan/merge-url-map.js'
import { changeKey, type Plan, type ResourceAddress, type ResourceChange } from '../plan/model.js'
import { ownerRulesFromMap } from '../plan/owner-rules.js'
import { backendView, indexLive, locate } from '../diff/resources.js'
import { backendServiceRef, canonicalRef } from '../google-semantics/refs.js'
import type { Snapshot, SnapshotResource } from './snapshot.js'

export interface RollbackPlanInput {
  readonly snapshot: Snapshot
  /** Live state now: the URL map, backend services and NEGs of the projects the snapshot names. */
  readonly live: LiveState
  readonly now: Date
}

export interface RollbackPlanResult {
  /** Present even with problems (for display); never apply a rollback that has problems. */
  readonly plan: Plan
  /** Why the rollback cannot be applied (another holder, a missing URL map, ...). */
  readonly problems: readonly string[]
}

// Output-only fields a recreated resource must not send (the API assigns them), plus a NEG's size and region
// (derived) and a backend service's security policy (attached with setSecurityPolicy, see apply-plan).
const OUTPUT_ONLY = new Set([
  'id',
  'kind',
  'selfLink',
  'creationTimestamp',
  'fingerprint',
  'usedBy',
  'size',
  'region'
])

/** recreateBody is a snapshotted resource stripped of output-only fields, ready to insert again. */
export function recreateBody(before: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(before as Record<string, unknown>)) {
    if (k.startsWith('_') || OUTPUT_ONLY.has(k) || v === null || v === undefined) continue
    out[k] = v
  }
  return out
}

const isServerless = (bs: BackendService) =>
  (bs.backends ?? []).some((b) => /\/regions\//.test(b.group ?? ''))
const isFrontend = (a: ResourceAddress) =>
  !['globalNetworkEndpointGroup', 'regionNetworkEndpointGroup', 'backendService', 'urlMap'].includes(a.kind)

/** liveIndex keys live NEGs and backend services the way plan changes are keyed. */
function liveIndex(live: LiveState): Map<string, NetworkEndpointGroup | BackendService> {
  const { negs, backendServices } = indexLive(live)
  return new Map<string, NetworkEndpointGroup | BackendService>([...negs, ...backendServices])
}

/** restoreChange is the change that puts one snapshotted resource back, or undefined when it already is. */
function restoreChange(
  r: SnapshotResource,
  live: NetworkEndpointGroup | BackendService | undefined
): ResourceChange | undefined {
  const { key, address } = r
  const routes = markerRoutes((live ?? (r.before as { description?: string }))?.description)
  if (r.action === 'create') {
    // Created by the apply: it goes (if it is still there).
    return live
      ? {
          key,
          address,
          action: 'delete',
          reason: 'created by the apply being rolled back',
          before: live,
          routes
        }
      : undefined
  }
  if (r.before === undefined) return undefined // e.g. an endpoint re-attached: nothing earlier to go back to
  const body = recreateBody(r.before)
  if (address.kind === 'backendService') {
    if (!live)
      return {
        key,
        address,
        action: 'create',
        reason: 'deleted by the apply being rolled back',
        after: body,
        routes
      }
    const serverless = isServerless(body as BackendService)
    const now = backendView(live as BackendService, serverless, address.project)
    const then = backendView(body as BackendService, serverless, address.project)
    const fields = Object.keys(then).filter((k) => JSON.stringify(now[k]) !== JSON.stringify(then[k]))
    if (fields.length === 0) return undefined
    return {
      key,
      address,
      action: 'update',
      reason: `back to its state before the apply: ${fields.join(', ')}`,
      fields,
      before: live,
      after: body,
      routes
    }
  }
  const endpoints: readonly NetworkEndpoint[] = r.networkEndpoints ?? []
  if (!live) {
    return {
      key,
      address,
      action: 'create',
      reason: 'deleted by the apply being rolled back',
      after: { ...body, ...(endpoints.length ? { networkEndpoints: endpoints } : {}) },
      routes
    }
  }
  if (
    address.kind === 'globalNetworkEndpointGroup' &&
    endpoints.length &&
    ((live as NetworkEndpointGroup).size ?? 0) === 0
  ) {
    // Recreated by an earlier rollback that stopped before attaching the endpoints.
    return {
      key,
      address,
      action: 'update',
      reason: 'its endpoints are missing (an earlier rollback stopped before attaching them)',
      fields: ['networkEndpoints'],
      after: { networkEndpoints: endpoints },
      routes
    }
  }
  return undefined
}

interface Restored {
  readonly changes: readonly ResourceChange[]
  readonly problems: readonly string[]
  readonly warnings: readonly string[]
}

/** restoreResources: the NEG and backend-service changes back to the snapshot (frontend: a warning only). */
function restoreResources(snapshot: Snapshot, live: LiveState): Restored {
  const index = liveIndex(live)
  const changes: ResourceChange[] = []
  const problems: string[] = []
  const warnings: string[] = []
  for (const r of snapshot.resources) {
    if (r.address.kind === 'urlMap') continue
    const { kind, project, name } = r.address
    if (isFrontend(r.address)) {
      warnings.push(
        `${kind} ${name} (${project}) was ${r.action === 'create' ? 'created' : `${r.action}d`} by the apply; rollback does not restore frontend resources (a recreated address gets a new IP) — apply the previous routes.json to change the frontend`
      )
      continue
    }
    const l = index.get(r.key)
    // An adopted NEG never carries a marker (Compute cannot change a NEG's description; its backend service
    // records it), and it was not changed: releasing the backend service is all there is to undo.
    if (r.action === 'adopt' && r.address.kind !== 'backendService') continue
    if (l && markerOwner(l.description) !== snapshot.owner) {
      const holder = markerOwner(l.description)
      problems.push(
        `${kind} ${name} in project ${project} is now ${holder ? `managed by owner ${holder}` : 'not managed by lb-routes'}; rollback never takes over or deletes it — remove or rename that resource first, or roll back by hand`
      )
      continue
    }
    const change = restoreChange(r, l)
    if (change) changes.push(change)
  }
  return { changes, problems, warnings }
}

interface SnapshotOwnership {
  /** The owner's backend services by URL: live with its marker, and every one the snapshot names. */
  readonly owned: ReadonlyMap<string, DesiredBackendService>
  readonly ownedServices: ReadonlySet<string>
  readonly serviceOwners: Readonly<Record<string, string>>
}

/**
 * snapshotOwnership: the owner's backend services are those live with its marker and every one the
 * snapshot names (created ones must leave the map, deleted ones come back into it).
 */
function snapshotOwnership(snapshot: Snapshot, live: LiveState): SnapshotOwnership {
  const { owner, loadBalancer: lb } = snapshot
  const owned = new Map<string, DesiredBackendService>()
  const own = (project: string, name: string, resource: BackendService) =>
    owned.set(backendServiceRef(project, name), {
      project,
      name,
      resource,
      routes: markerRoutes(resource.description)
    })
  for (const b of live.backendServices)
    if (markerOwner(b.description) === owner) own(locate(b.selfLink).project, b.name ?? '', b)
  for (const r of snapshot.resources)
    if (
      r.address.kind === 'backendService' &&
      !owned.has(backendServiceRef(r.address.project, r.address.name))
    )
      own(r.address.project, r.address.name, (r.before ?? { name: r.address.name }) as BackendService)
  const serviceOwners: Record<string, string> = {}
  for (const b of live.backendServices) {
    const o = markerOwner(b.description)
    if (o && b.selfLink) serviceOwners[canonicalRef(b.selfLink, lb.project)] = o
  }
  return { owned, ownedServices: new Set(owned.keys()), serviceOwners }
}

/** restoreUrlMap merges the owner's snapshotted rules back into the live map (never creates or deletes it). */
function restoreUrlMap(
  snapshot: Snapshot,
  live: LiveState,
  rules: OwnerRules,
  ownership: SnapshotOwnership
): { change?: ResourceChange; problems: string[] } {
  const { owner, loadBalancer: lb } = snapshot
  if (snapshot.urlMap === null)
    return {
      problems: [
        `the apply being rolled back created URL map ${lb.urlMap}; rollback does not delete a shared URL map (other owners' rules and the load balancer's proxies may use it) — delete it by hand if nothing else uses it`
      ]
    }
  if (!live.urlMap)
    return {
      problems: [
        `URL map ${lb.urlMap} no longer exists in project ${lb.project}; there is nothing to restore this owner's rules into — recreate the load balancer first`
      ]
    }
  const merged = mergeUrlMap({
    owner,
    project: lb.project,
    urlMapName: lb.urlMap,
    live: live.urlMap,
    rules,
    ownedServices: ownership.ownedServices,
    serviceOwners: ownership.serviceOwners
  })
  const problems = [
    ...merged.errors,
    ...merged.conflicts.map(
      (c) =>
        `host ${c.host} ${c.path === '(default)' ? 'default' : `path ${c.path}`} was owner ${owner}'s before the apply but is now held by ${c.holder}; rollback never takes it back — agree with the holder to release it, then roll back again`
    )
  ]
  if (!merged.map || urlMapsEquivalent(live.urlMap, merged.map, lb.project)) return { problems }
  const address = { kind: 'urlMap' as const, project: lb.project, name: lb.urlMap }
  const change: ResourceChange = {
    key: changeKey(address),
    address,
    action: 'update',
    reason: `owner ${owner}'s rules back to their state before the apply (${merged.ruleChanges.length} rule change(s))`,
    before: live.urlMap,
    after: merged.map,
    rules: merged.ruleChanges
  }
  return { change, problems }
}

/** buildRollbackPlan diffs the snapshot's before-state against live state, under the snapshot owner's rules. */
export function buildRollbackPlan(input: RollbackPlanInput): RollbackPlanResult {
  const { snapshot, live, now } = input
  const { owner, loadBalancer: lb } = snapshot
  const restored = restoreResources(snapshot, live)
  const ownership = snapshotOwnership(snapshot, live)
  const rules = ownerRulesFromMap(snapshot.urlMap, ownership.ownedServices, lb.project)
  const urlMap = restoreUrlMap(snapshot, live, rules, ownership)
  const changes = [...restored.changes, ...(urlMap.change ? [urlMap.change] : [])]
  const desired: DesiredState = {
    owner,
    loadBalancer: lb,
    negs: [],
    backendServices: [...ownership.owned.values()],
    rules,
    routeServices: {}
  }
  const plan: Plan = {
    formatVersion: 1,
    planId: computePlanId(owner, changes, urlMap.change?.rules ?? []),
    createdAt: now.toISOString(),
    owner,
    loadBalancer: lb,
    urlMapFingerprint: live.urlMap?.fingerprint ?? null,
    changes,
    waves: applyWaves(changes),
    routes: [],
    warnings: [...restored.warnings],
    checks: [],
    desired
  }
  return { plan, problems: [...restored.problems, ...urlMap.problems] }
}
