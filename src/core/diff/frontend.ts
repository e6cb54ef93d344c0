// Diffing the frontend (compile/frontend.ts) against the load balancer project's frontend collections.
// Only resources marked for this owner *and* this URL map are ever changed or deleted; an address named
// in routes.json that lb-routes did not create is used as it is. Immutable parts are replaced by name:
// a new certificate (domains hash) is created, the proxy switched to it, then the old one deleted.
import type { ForwardingRule, TargetHttpProxy, TargetHttpsProxy, UrlMap } from '../compute.js'
import { markerOwner } from '../compile/markers.js'
import { markerFrontend, type DesiredFrontend } from '../compile/frontend.js'
import type { LoadBalancerRef } from '../routes/model.js'
import { canonicalRef } from '../google-semantics/refs.js'
import type { LiveFrontend } from '../plan/live.js'
import {
  changeKey,
  kindLabel,
  type FrontendKind,
  type FrontendSummary,
  type ResourceChange
} from '../plan/model.js'

export interface FrontendDiff {
  readonly changes: readonly ResourceChange[]
  /** Resources held by someone else under the names this frontend needs (plan errors). */
  readonly errors: readonly string[]
  /** Things a reviewer must know, e.g. an IP address released by this apply. */
  readonly warnings: readonly string[]
  readonly summary?: FrontendSummary
}

interface Named {
  readonly name?: string | null
  readonly description?: string | null
}

const portRange = (p: string | null | undefined) => (p && /^\d+$/.test(p) ? `${p}-${p}` : (p ?? ''))

/** What diffing the frontend accumulates; one per diffFrontend call. */
interface FrontendScope {
  readonly owner: string
  readonly lb: LoadBalancerRef
  readonly changes: ResourceChange[]
  readonly errors: string[]
  /** Keys of the resources the desired frontend names. */
  readonly wanted: Set<string>
  /** Resources of this URL map's frontend held by another owner: one error naming the holder, not one each. */
  readonly heldBy: Map<string, string[]>
}

/** A live resource's fields that differ from the desired body; `replace` when they cannot change in place. */
type Compare<T> = (l: T) => { fields: string[]; replace?: boolean }

const byName = <T extends Named>(list: readonly T[], name: string) => list.find((r) => r.name === name)

/** mine: marked for this owner and this URL map (only those are ever changed or deleted). */
const mine = (scope: FrontendScope, r: Named) =>
  markerOwner(r.description) === scope.owner && markerFrontend(r.description) === scope.lb.urlMap

const addressOf = (scope: FrontendScope, kind: FrontendKind, name: string) => ({
  kind,
  project: scope.lb.project,
  name
})

/** heldElsewhere records (or reports) a live resource at a desired name that this owner does not hold. */
function heldElsewhere(scope: FrontendScope, kind: FrontendKind, name: string, l: Named): void {
  const holder = markerOwner(l.description)
  if (holder && holder !== scope.owner && markerFrontend(l.description) === scope.lb.urlMap) {
    scope.heldBy.set(holder, [...(scope.heldBy.get(holder) ?? []), `${kindLabel(kind)} ${name}`])
    return
  }
  scope.errors.push(
    `${kindLabel(kind)} ${name} already exists in project ${scope.lb.project} and is ${holder ? `managed by owner ${holder}` : 'not managed by lb-routes'}; lb-routes never takes it over — remove it, or ${kind === 'globalAddress' ? 'name another address in frontend.address' : 'let its holder manage the frontend'}`
  )
}

/** want records one desired resource: create it, or compare it with a live one this owner holds. */
function want<T extends Named>(
  scope: FrontendScope,
  kind: FrontendKind,
  body: T & { name: string },
  liveList: readonly T[],
  compare: Compare<T>,
  adoptUnmanaged = false
): void {
  const address = addressOf(scope, kind, body.name)
  const key = changeKey(address)
  scope.wanted.add(key)
  const l = byName(liveList, body.name)
  if (!l) {
    scope.changes.push({ key, address, action: 'create', reason: 'new frontend resource', after: body })
    return
  }
  if (!mine(scope, l)) {
    // An unmanaged address named in routes.json is used as it is, never changed.
    if (!(adoptUnmanaged && markerOwner(l.description) === undefined))
      heldElsewhere(scope, kind, body.name, l)
    return
  }
  const { fields, replace } = compare(l)
  if (fields.length === 0) return
  scope.changes.push({
    key,
    address,
    action: replace ? 'replace' : 'update',
    reason: `${replace ? 'cannot be changed in place' : 'changed'}: ${fields.join(', ')}`,
    fields,
    before: l,
    after: body
  })
}

/** ruleCompare: a forwarding rule's IP, ports and scheme are immutable (replace); its target is not. */
function ruleCompare(scope: FrontendScope, ip: string | null | undefined, body: ForwardingRule) {
  const ref = refIn(scope)
  return (l: ForwardingRule) => {
    const fields: string[] = []
    if (ip && l.IPAddress !== ip) fields.push('IPAddress')
    if (portRange(l.portRange) !== body.portRange) fields.push('portRange')
    if ((l.loadBalancingScheme ?? 'EXTERNAL') !== body.loadBalancingScheme) fields.push('loadBalancingScheme')
    const replace = fields.length > 0
    if (ref(l.target) !== ref(body.target)) fields.push('target')
    return { fields, replace }
  }
}

const refIn = (scope: FrontendScope) => (r: string | null | undefined) =>
  r ? canonicalRef(r, scope.lb.project) : null

/** wantHttps: the address, certificate, HTTPS proxy and its forwarding rule. */
function wantHttps(scope: FrontendScope, desired: DesiredFrontend, live: LiveFrontend): void {
  const ref = refIn(scope)
  const ip = byName(live.addresses, desired.address.name)?.address
  want(scope, 'globalAddress', desired.address, live.addresses, () => ({ fields: [] }), desired.addressNamed)
  want(scope, 'sslCertificate', desired.certificate, live.sslCertificates, () => ({ fields: [] }))
  want(scope, 'targetHttpsProxy', desired.httpsProxy, live.targetHttpsProxies, (l: TargetHttpsProxy) => {
    const fields: string[] = []
    if (ref(l.urlMap) !== ref(desired.httpsProxy.urlMap)) fields.push('urlMap')
    const certs = (c: TargetHttpsProxy) => JSON.stringify((c.sslCertificates ?? []).map(ref))
    if (certs(l) !== certs(desired.httpsProxy)) fields.push('sslCertificates')
    if (ref(l.sslPolicy) !== ref(desired.httpsProxy.sslPolicy)) fields.push('sslPolicy')
    return { fields }
  })
  const rule = desired.httpsRule
  want(scope, 'globalForwardingRule', rule, live.forwardingRules, ruleCompare(scope, ip, rule))
}

const redirectOf = (m: UrlMap) => {
  const d = m.defaultUrlRedirect ?? {}
  return JSON.stringify([
    d.httpsRedirect ?? false,
    d.redirectResponseCode ?? 'MOVED_PERMANENTLY_DEFAULT',
    d.stripQuery ?? false,
    d.hostRedirect ?? null,
    d.pathRedirect ?? null
  ])
}

/** wantRedirect: the HTTP→HTTPS redirect map, its HTTP proxy and the port-80 forwarding rule. */
function wantRedirect(scope: FrontendScope, desired: DesiredFrontend, live: LiveFrontend): void {
  const r = desired.redirect
  if (!r) return
  const ref = refIn(scope)
  const ip = byName(live.addresses, desired.address.name)?.address
  const maps = live.redirectUrlMap ? [live.redirectUrlMap] : []
  want(scope, 'redirectUrlMap', r.urlMap, maps, (l) => ({
    fields:
      redirectOf(l) !== redirectOf(r.urlMap) || (l.hostRules ?? []).length > 0 ? ['defaultUrlRedirect'] : []
  }))
  want(scope, 'targetHttpProxy', r.httpProxy, live.targetHttpProxies, (l: TargetHttpProxy) => ({
    fields: ref(l.urlMap) !== ref(r.httpProxy.urlMap) ? ['urlMap'] : []
  }))
  want(scope, 'globalForwardingRule', r.httpRule, live.forwardingRules, ruleCompare(scope, ip, r.httpRule))
}

type NamedRule = Named & { portRange?: string | null }

/** deleteReason says why an owned frontend resource goes. */
function deleteReason(desired: DesiredFrontend | null, kind: FrontendKind, l: NamedRule): string {
  if (!desired) return 'the frontend is removed (frontend: null)'
  switch (kind) {
    case 'sslCertificate':
      return `the domains changed: replaced by certificate ${desired.certificate.name}`
    case 'globalAddress':
      return `frontend.address now names ${desired.address.name}`
    case 'targetHttpProxy':
    case 'redirectUrlMap':
      return 'httpRedirect is off'
    case 'globalForwardingRule':
      return portRange(l.portRange) === '80-80' && !desired.redirect
        ? 'httpRedirect is off'
        : `the address changed: replaced by a rule on ${desired.address.name}`
    default:
      return 'no longer part of the frontend'
  }
}

/** deleteOrphans: this owner's frontend resources for this URL map that routes.json no longer asks for. */
function deleteOrphans(scope: FrontendScope, desired: DesiredFrontend | null, live: LiveFrontend): void {
  const lists: [FrontendKind, readonly NamedRule[]][] = [
    ['globalForwardingRule', live.forwardingRules],
    ['targetHttpsProxy', live.targetHttpsProxies],
    ['targetHttpProxy', live.targetHttpProxies],
    ['sslCertificate', live.sslCertificates],
    ['redirectUrlMap', live.redirectUrlMap ? [live.redirectUrlMap] : []],
    ['globalAddress', live.addresses]
  ]
  for (const [kind, list] of lists) {
    for (const l of list) {
      if (!l.name || !mine(scope, l)) continue
      const address = addressOf(scope, kind, l.name)
      const key = changeKey(address)
      if (scope.wanted.has(key)) continue
      scope.changes.push({
        key,
        address,
        action: 'delete',
        reason: deleteReason(desired, kind, l),
        before: l
      })
    }
  }
}

/** A released IP address cannot be got back: say so, with the IP, wherever DNS may still point at it. */
function releasedAddressWarnings(
  changes: readonly ResourceChange[],
  desired: DesiredFrontend | null
): string[] {
  return changes
    .filter((c) => c.address.kind === 'globalAddress' && c.action === 'delete')
    .map((c) => {
      const ip = (c.before as { address?: string } | undefined)?.address ?? '?'
      return `this apply releases address ${c.address.name} (${ip}); Google cannot give the same IP back, and domains whose A records still point at it stop working${desired ? ` — point them at ${desired.address.name} instead` : ''}`
    })
}

/** frontendSummary: where to point DNS and how far the certificate got. */
function frontendSummary(desired: DesiredFrontend, live: LiveFrontend): FrontendSummary {
  const liveAddress = byName(live.addresses, desired.address.name)
  const liveCert = byName(live.sslCertificates, desired.certificate.name)
  return {
    address: desired.address.name,
    ...(liveAddress?.address ? { ip: liveAddress.address } : {}),
    domains: desired.domains,
    certificate: desired.certificate.name,
    ...(liveCert?.managed?.status ? { certificateStatus: liveCert.managed.status } : {}),
    ...(liveCert?.managed?.domainStatus ? { domainStatus: liveCert.managed.domainStatus } : {}),
    httpRedirect: desired.redirect !== undefined
  }
}

/** diffFrontend plans the owner's frontend; nothing when routes.json has no frontend key (live not read). */
export function diffFrontend(
  owner: string,
  lb: LoadBalancerRef,
  desired: DesiredFrontend | null | undefined,
  live: LiveFrontend | undefined
): FrontendDiff {
  if (desired === undefined || !live) return { changes: [], errors: [], warnings: [] }
  const scope: FrontendScope = { owner, lb, changes: [], errors: [], wanted: new Set(), heldBy: new Map() }
  if (desired) {
    wantHttps(scope, desired, live)
    wantRedirect(scope, desired, live)
  }
  for (const [holder, what] of scope.heldBy)
    scope.errors.push(
      `the frontend of URL map ${lb.urlMap} is held by owner ${holder} (${what.join(', ')}); only one owner can hold a load balancer's frontend: remove the frontend block from this file, or have ${holder} set "frontend": null in theirs first`
    )
  deleteOrphans(scope, desired, live)
  const { changes, errors } = scope
  const warnings = releasedAddressWarnings(changes, desired)
  if (!desired) return { changes, errors, warnings }
  return { changes, errors, warnings, summary: frontendSummary(desired, live) }
}
