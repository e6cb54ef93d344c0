// Diffing the owner's NEGs and backend services (not the URL map): which to create, update or delete.
// Names encode each resource's identity (naming.ts), so a changed endpoint or target is a new name:
// create the new one, switch the backend / URL map to it, delete the old one — never a 404 window.
import type { BackendService, NetworkEndpointGroup } from '../compute.js'
import type { DesiredBackendService, DesiredNeg, DesiredState } from '../compile/model.js'
import { markerOwner, markerRoutes } from '../compile/markers.js'
import { canonicalRef } from '../urlmap/refs.js'
import type { LiveState } from '../plan/live.js'
import { changeKey, type ResourceAddress, type ResourceChange } from '../plan/model.js'

/** locate reads project and region from a resource's selfLink. */
export function locate(selfLink: string | null | undefined): { project: string; region?: string } {
  const project = /projects\/([^/]+)\//.exec(selfLink ?? '')?.[1] ?? ''
  const region = /\/regions\/([^/]+)\//.exec(selfLink ?? '')?.[1]
  return region ? { project, region } : { project }
}

const API_DEFAULT_TIMEOUT_SEC = 30

/** The backend-service fields lb-routes manages, normalised so live and desired compare equal when equivalent. */
export function backendView(
  bs: BackendService,
  serverless: boolean,
  project: string
): Record<string, unknown> {
  const headers = (bs.customRequestHeaders ?? []).map((h) => {
    const i = h.indexOf(':')
    return i < 0 ? h.trim() : `${h.slice(0, i).trim().toLowerCase()}: ${h.slice(i + 1).trim()}`
  })
  const log = bs.logConfig?.enable
    ? { enable: true, sampleRate: bs.logConfig.sampleRate ?? 1 }
    : { enable: false }
  return {
    description: bs.description ?? '',
    protocol: bs.protocol ?? 'HTTP',
    loadBalancingScheme: bs.loadBalancingScheme ?? 'EXTERNAL',
    groups: (bs.backends ?? []).map((b) => canonicalRef(b.group ?? '', project)).sort(),
    customRequestHeaders: headers,
    ...(serverless ? {} : { timeoutSec: bs.timeoutSec ?? API_DEFAULT_TIMEOUT_SEC }),
    enableCDN: bs.enableCDN ?? false,
    logConfig: log,
    securityPolicy: bs.securityPolicy ? canonicalRef(bs.securityPolicy, project) : null
  }
}

/**
 * overlayBackendService builds the PUT body for an update: the live resource (keeping server defaults and
 * fields lb-routes does not manage) with the managed fields replaced. PUT resets omitted fields, so a
 * setting removed from routes.json goes back to the API default (gce-api.md §5.3).
 */
export function overlayBackendService(
  live: BackendService,
  desired: BackendService,
  serverless: boolean
): BackendService {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(live)) {
    if (
      k.startsWith('_') ||
      ['id', 'kind', 'selfLink', 'creationTimestamp', 'usedBy', 'securityPolicy'].includes(k)
    )
      continue
    out[k] = v
  }
  out.description = desired.description
  out.protocol = desired.protocol
  out.loadBalancingScheme = desired.loadBalancingScheme
  out.backends = desired.backends
  if (desired.customRequestHeaders?.length) out.customRequestHeaders = desired.customRequestHeaders
  else delete out.customRequestHeaders
  if (serverless) delete out.timeoutSec
  else out.timeoutSec = desired.timeoutSec ?? API_DEFAULT_TIMEOUT_SEC
  out.enableCDN = desired.enableCDN ?? false
  out.logConfig = desired.logConfig ?? { enable: false }
  return out as BackendService
}

const isServerlessBackend = (bs: BackendService) =>
  (bs.backends ?? []).some((b) => /\/regions\//.test(b.group ?? ''))

function negAddress(n: DesiredNeg): ResourceAddress {
  return n.region
    ? { kind: 'regionNetworkEndpointGroup', project: n.project, region: n.region, name: n.name }
    : { kind: 'globalNetworkEndpointGroup', project: n.project, name: n.name }
}

function bsAddress(b: DesiredBackendService): ResourceAddress {
  return { kind: 'backendService', project: b.project, name: b.name }
}

/** liveNegAddress is the address of a live NEG, from its selfLink. */
export function liveNegAddress(n: NetworkEndpointGroup): ResourceAddress {
  const loc = locate(n.selfLink)
  return loc.region
    ? { kind: 'regionNetworkEndpointGroup', project: loc.project, region: loc.region, name: n.name ?? '' }
    : { kind: 'globalNetworkEndpointGroup', project: loc.project, name: n.name ?? '' }
}

export interface ResourceDiff {
  readonly changes: readonly ResourceChange[]
  /** Name collisions with resources this owner does not own (plan errors). */
  readonly errors: readonly string[]
}

/** What binding (adopt.ts) decided: live resources taken over now, and unmarked NEGs this owner adopted before. */
export interface Adoption {
  readonly adopting: ReadonlySet<string>
  readonly ownedNegs: ReadonlySet<string>
  /** NEG key → the backend service whose marker records its adoption. */
  readonly recordedBy: ReadonlyMap<string, string>
  /** Whether adoption was asked for (the error for an unmanaged holder then says why it was not bound). */
  readonly requested: boolean
}

const NO_ADOPTION: Adoption = {
  adopting: new Set(),
  ownedNegs: new Set(),
  recordedBy: new Map(),
  requested: false
}

/**
 * diffResources compares the owner's desired NEGs and backend services with live ones carrying its marker
 * (or, for NEGs, recorded as adopted by its backend services); live resources being adopted get 'adopt'.
 */
export function diffResources(
  desired: DesiredState,
  live: LiveState,
  adoption: Adoption = NO_ADOPTION
): ResourceDiff {
  const owner = desired.owner
  const changes: ResourceChange[] = []
  const errors: string[] = []
  const liveNegs = new Map<string, NetworkEndpointGroup>()
  for (const n of [...live.globalNegs, ...live.regionNegs]) liveNegs.set(changeKey(liveNegAddress(n)), n)
  const liveBs = new Map<string, BackendService>()
  for (const b of live.backendServices) {
    liveBs.set(
      changeKey({ kind: 'backendService', project: locate(b.selfLink).project, name: b.name ?? '' }),
      b
    )
  }
  const notOurs = (what: string, address: ResourceAddress, description: string | null | undefined) => {
    const holder = markerOwner(description)
    const fix = holder
      ? 'rename the route or remove the existing resource'
      : adoption.requested
        ? 'it does not match its route (endpoint, NEGs or Host header), so it cannot be adopted; rename the route or remove the existing resource'
        : 'if it is the hand-built resource for this route, take it over in place with plan --adopt / lb-routes adopt; otherwise rename the route or remove the existing resource'
    errors.push(
      `${what} ${address.name} already exists in project ${address.project} and is ${holder ? `managed by owner ${holder}` : 'not managed by lb-routes'}; lb-routes never takes it over unasked or deletes it — ${fix}`
    )
  }

  const wantedKeys = new Set<string>()
  for (const n of desired.negs) {
    const address = negAddress(n)
    const key = changeKey(address)
    wantedKeys.add(key)
    const l = liveNegs.get(key)
    if (!l) {
      changes.push({
        key,
        address,
        action: 'create',
        reason: 'new in routes.json',
        after: { ...n.resource, ...(n.endpoint ? { networkEndpoints: [n.endpoint] } : {}) },
        routes: n.routes
      })
    } else if (adoption.adopting.has(key)) {
      const by = desired.backendServices.find((b) =>
        (b.resource.backends ?? []).some((g) => g.group?.endsWith(`/networkEndpointGroups/${n.name}`))
      )
      changes.push({
        key,
        address,
        action: 'adopt',
        reason: `hand-built, taken over in place; Compute cannot change a NEG's description, so backend service ${by?.name ?? '(none)'} records it in its marker`,
        after: { adoptedBy: by?.name ?? null },
        routes: n.routes
      })
    } else if (markerOwner(l.description) !== owner && !adoption.ownedNegs.has(key)) {
      notOurs('network endpoint group', address, l.description)
    } else if (n.endpoint && (l.size ?? 0) === 0) {
      changes.push({
        key,
        address,
        action: 'update',
        reason: 'its endpoint is missing (an earlier apply stopped before attaching it)',
        fields: ['networkEndpoints'],
        after: { networkEndpoints: [n.endpoint] },
        routes: n.routes
      })
    }
  }
  for (const b of desired.backendServices) {
    const address = bsAddress(b)
    const key = changeKey(address)
    wantedKeys.add(key)
    const l = liveBs.get(key)
    const serverless = isServerlessBackend(b.resource)
    const after = { ...b.resource, ...(b.securityPolicy ? { securityPolicy: b.securityPolicy } : {}) }
    if (!l) {
      changes.push({ key, address, action: 'create', reason: 'new in routes.json', after, routes: b.routes })
      continue
    }
    const adopting = adoption.adopting.has(key)
    if (markerOwner(l.description) !== owner && !adopting) {
      notOurs('backend service', address, l.description)
      continue
    }
    const before = backendView(l, serverless, b.project)
    const want = backendView(after, serverless, b.project)
    const fields = Object.keys(want).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(want[k]))
    if (adopting) {
      const others = fields.filter((f) => f !== 'description')
      changes.push({
        key,
        address,
        action: 'adopt',
        reason: `hand-built, taken over in place: ownership marker added to its description${others.length ? `; also changed: ${others.join(', ')}` : ''}`,
        fields,
        before: l,
        after,
        routes: b.routes
      })
    } else if (fields.length > 0) {
      changes.push({
        key,
        address,
        action: 'update',
        reason: `changed: ${fields.join(', ')}`,
        fields,
        before: l,
        after,
        routes: b.routes
      })
    }
  }
  // Orphans: this owner's resources that routes.json no longer asks for.
  for (const [key, l] of liveBs) {
    if (wantedKeys.has(key) || markerOwner(l.description) !== owner) continue
    const loc = locate(l.selfLink)
    changes.push({
      key,
      address: { kind: 'backendService', project: loc.project, name: l.name ?? '' },
      action: 'delete',
      reason: / adopted(;|$)/.test(l.description ?? '')
        ? 'no route uses it any more (hand-built, adopted earlier by this owner)'
        : 'no route uses it any more',
      before: l,
      routes: markerRoutes(l.description)
    })
  }
  // NEGs still used by a backend service that is not this owner's, or that this plan keeps, stay.
  const deleted = new Set(changes.filter((c) => c.action === 'delete').map((c) => c.key))
  const inUse = new Set<string>()
  for (const [key, b] of liveBs) {
    if (deleted.has(key) || (wantedKeys.has(key) && markerOwner(b.description) === owner)) continue
    for (const g of b.backends ?? []) inUse.add(canonicalRef(g.group ?? '', locate(b.selfLink).project))
  }
  for (const [key, l] of liveNegs) {
    if (wantedKeys.has(key)) continue
    const recorded = adoption.ownedNegs.has(key)
    if (markerOwner(l.description) !== owner && !recorded) continue
    if (recorded && inUse.has(canonicalRef(l.selfLink ?? '', ''))) continue
    changes.push({
      key,
      address: liveNegAddress(l),
      action: 'delete',
      reason: recorded
        ? `no backend service uses it any more (adopted earlier; backend service ${adoption.recordedBy.get(key) ?? '?'} recorded it)`
        : 'no backend service uses it any more',
      before: l,
      routes: markerRoutes(l.description)
    })
  }
  return { changes, errors }
}
