// Diffing the owner's NEGs and backend services (not the URL map): which to create, update or delete.
// Names encode each resource's identity (naming.ts), so a changed endpoint or target is a new name:
// create the new one, switch the backend / URL map to it, delete the old one — never a 404 window.
import type { BackendService, NetworkEndpointGroup } from '../compute.js'
import type { DesiredBackendService, DesiredNeg, DesiredState } from '../compile/model.js'
import { markerOwner, markerRoutes } from '../compile/markers.js'
import { canonicalRef } from '../google-semantics/refs.js'
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

/** Live NEGs and backend services by change key (the same keys as desired resources and plan changes). */
export interface LiveIndex {
  readonly negs: ReadonlyMap<string, NetworkEndpointGroup>
  readonly backendServices: ReadonlyMap<string, BackendService>
}

/** indexLive keys the live NEGs and backend services the way plan changes are keyed. */
export function indexLive(live: LiveState): LiveIndex {
  const negs = new Map<string, NetworkEndpointGroup>()
  for (const n of [...live.globalNegs, ...live.regionNegs]) negs.set(changeKey(liveNegAddress(n)), n)
  const backendServices = new Map<string, BackendService>()
  for (const b of live.backendServices) {
    const address = {
      kind: 'backendService' as const,
      project: locate(b.selfLink).project,
      name: b.name ?? ''
    }
    backendServices.set(changeKey(address), b)
  }
  return { negs, backendServices }
}

/** notOursMessage: a name this owner needs is held by another owner or by a hand-built resource. */
function notOursMessage(
  what: string,
  address: ResourceAddress,
  description: string | null | undefined,
  adoptionRequested: boolean
): string {
  const holder = markerOwner(description)
  const fix = holder
    ? 'rename the route or remove the existing resource'
    : adoptionRequested
      ? 'it does not match its route (endpoint, NEGs or Host header), so it cannot be adopted; rename the route or remove the existing resource'
      : 'if it is the hand-built resource for this route, take it over in place with plan --adopt / lb-routes adopt; otherwise rename the route or remove the existing resource'
  return `${what} ${address.name} already exists in project ${address.project} and is ${holder ? `managed by owner ${holder}` : 'not managed by lb-routes'}; lb-routes never takes it over unasked or deletes it — ${fix}`
}

/** One desired resource compared with the live one at its key: a change, an error, or nothing. */
type Compared = { change: ResourceChange } | { error: string } | undefined

/** compareNeg: create it, adopt it, refuse someone else's, or re-attach a missing endpoint. */
function compareNeg(
  n: DesiredNeg,
  desired: DesiredState,
  l: NetworkEndpointGroup | undefined,
  adoption: Adoption
): Compared {
  const address = negAddress(n)
  const key = changeKey(address)
  const routes = n.routes
  if (!l) {
    const after = { ...n.resource, ...(n.endpoint ? { networkEndpoints: [n.endpoint] } : {}) }
    return { change: { key, address, action: 'create', reason: 'new in routes.json', after, routes } }
  }
  if (adoption.adopting.has(key)) {
    const by = desired.backendServices.find((b) =>
      (b.resource.backends ?? []).some((g) => g.group?.endsWith(`/networkEndpointGroups/${n.name}`))
    )
    const reason = `hand-built, taken over in place; Compute cannot change a NEG's description, so backend service ${by?.name ?? '(none)'} records it in its marker`
    return {
      change: { key, address, action: 'adopt', reason, after: { adoptedBy: by?.name ?? null }, routes }
    }
  }
  if (markerOwner(l.description) !== desired.owner && !adoption.ownedNegs.has(key))
    return { error: notOursMessage('network endpoint group', address, l.description, adoption.requested) }
  if (!n.endpoint || (l.size ?? 0) !== 0) return undefined
  return {
    change: {
      key,
      address,
      action: 'update',
      reason: 'its endpoint is missing (an earlier apply stopped before attaching it)',
      fields: ['networkEndpoints'],
      after: { networkEndpoints: [n.endpoint] },
      routes
    }
  }
}

/** compareBackend: create it, adopt it, refuse someone else's, or update the managed fields that differ. */
function compareBackend(
  b: DesiredBackendService,
  owner: string,
  l: BackendService | undefined,
  adoption: Adoption
): Compared {
  const address = bsAddress(b)
  const key = changeKey(address)
  const after = { ...b.resource, ...(b.securityPolicy ? { securityPolicy: b.securityPolicy } : {}) }
  const routes = b.routes
  if (!l) return { change: { key, address, action: 'create', reason: 'new in routes.json', after, routes } }
  const adopting = adoption.adopting.has(key)
  if (markerOwner(l.description) !== owner && !adopting)
    return { error: notOursMessage('backend service', address, l.description, adoption.requested) }
  const serverless = isServerlessBackend(b.resource)
  const before = backendView(l, serverless, b.project)
  const want = backendView(after, serverless, b.project)
  const fields = Object.keys(want).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(want[k]))
  if (adopting) {
    const others = fields.filter((f) => f !== 'description')
    const reason = `hand-built, taken over in place: ownership marker added to its description${others.length ? `; also changed: ${others.join(', ')}` : ''}`
    return { change: { key, address, action: 'adopt', reason, fields, before: l, after, routes } }
  }
  if (fields.length === 0) return undefined
  const reason = `changed: ${fields.join(', ')}`
  return { change: { key, address, action: 'update', reason, fields, before: l, after, routes } }
}

/** orphanBackendDeletes: this owner's live backend services that routes.json no longer asks for. */
function orphanBackendDeletes(
  owner: string,
  index: LiveIndex,
  wanted: ReadonlySet<string>
): ResourceChange[] {
  return [...index.backendServices]
    .filter(([key, l]) => !wanted.has(key) && markerOwner(l.description) === owner)
    .map(([key, l]) => ({
      key,
      address: { kind: 'backendService', project: locate(l.selfLink).project, name: l.name ?? '' },
      action: 'delete',
      reason: / adopted(;|$)/.test(l.description ?? '')
        ? 'no route uses it any more (hand-built, adopted earlier by this owner)'
        : 'no route uses it any more',
      before: l,
      routes: markerRoutes(l.description)
    }))
}

/**
 * orphanNegDeletes: this owner's live NEGs (marked, or recorded as adopted) that routes.json no longer asks
 * for. A recorded NEG still used by a backend service that is not this owner's, or that this plan keeps, stays.
 */
function orphanNegDeletes(
  owner: string,
  index: LiveIndex,
  wanted: ReadonlySet<string>,
  deleted: ReadonlySet<string>,
  adoption: Adoption
): ResourceChange[] {
  const inUse = new Set<string>()
  for (const [key, b] of index.backendServices) {
    if (deleted.has(key) || (wanted.has(key) && markerOwner(b.description) === owner)) continue
    for (const g of b.backends ?? []) inUse.add(canonicalRef(g.group ?? '', locate(b.selfLink).project))
  }
  const changes: ResourceChange[] = []
  for (const [key, l] of index.negs) {
    if (wanted.has(key)) continue
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
  return changes
}

/**
 * diffResources compares the owner's desired NEGs and backend services with live ones carrying its marker
 * (or, for NEGs, recorded as adopted by its backend services); live resources being adopted get 'adopt'.
 * Order: NEGs, backend services, orphaned backend services, orphaned NEGs.
 */
export function diffResources(
  desired: DesiredState,
  live: LiveState,
  adoption: Adoption = NO_ADOPTION
): ResourceDiff {
  const owner = desired.owner
  const index = indexLive(live)
  const compared: Compared[] = [
    ...desired.negs.map((n) => compareNeg(n, desired, index.negs.get(changeKey(negAddress(n))), adoption)),
    ...desired.backendServices.map((b) =>
      compareBackend(b, owner, index.backendServices.get(changeKey(bsAddress(b))), adoption)
    )
  ]
  const changes = compared.flatMap((c) => (c && 'change' in c ? [c.change] : []))
  const errors = compared.flatMap((c) => (c && 'error' in c ? [c.error] : []))
  const wanted = new Set([
    ...desired.negs.map((n) => changeKey(negAddress(n))),
    ...desired.backendServices.map((b) => changeKey(bsAddress(b)))
  ])
  const backendDeletes = orphanBackendDeletes(owner, index, wanted)
  const deleted = new Set(backendDeletes.map((c) => c.key))
  const negDeletes = orphanNegDeletes(owner, index, wanted, deleted, adoption)
  return { changes: [...changes, ...backendDeletes, ...negDeletes], errors }
}
