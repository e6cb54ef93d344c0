// Diffing the frontend (compile/frontend.ts) against the load balancer project's frontend collections.
// Only resources marked for this owner *and* this URL map are ever changed or deleted; an address named
// in routes.json that lb-routes did not create is used as it is. Immutable parts are replaced by name:
// a new certificate (domains hash) is created, the proxy switched to it, then the old one deleted.
import type { ForwardingRule, TargetHttpProxy, TargetHttpsProxy, UrlMap } from '../compute.js'
import { markerOwner } from '../compile/markers.js'
import { markerFrontend, type DesiredFrontend } from '../compile/frontend.js'
import type { LoadBalancerRef } from '../routes/model.js'
import { canonicalRef } from '../urlmap/refs.js'
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

/** diffFrontend plans the owner's frontend; nothing when routes.json has no frontend key (live not read). */
export function diffFrontend(
  owner: string,
  lb: LoadBalancerRef,
  desired: DesiredFrontend | null | undefined,
  live: LiveFrontend | undefined
): FrontendDiff {
  if (desired === undefined || !live) return { changes: [], errors: [], warnings: [] }
  const changes: ResourceChange[] = []
  const errors: string[] = []
  const project = lb.project
  const ref = (r: string | null | undefined) => (r ? canonicalRef(r, project) : null)
  const mine = (r: Named) =>
    markerOwner(r.description) === owner && markerFrontend(r.description) === lb.urlMap
  const address = (kind: FrontendKind, name: string) => ({ kind, project, name })
  const wanted = new Set<string>()
  // Resources of this URL map's frontend held by another owner: one error naming the holder, not one each.
  const heldBy = new Map<string, string[]>()
  const byName = <T extends Named>(list: readonly T[], name: string) => list.find((r) => r.name === name)

  /** want records one desired resource: create it, or compare it with a live one this owner holds. */
  const want = <T extends Named>(
    kind: FrontendKind,
    body: T & { name: string },
    liveList: readonly T[],
    compare: (l: T) => { fields: string[]; replace?: boolean },
    adoptUnmanaged = false
  ) => {
    const addr = address(kind, body.name)
    const key = changeKey(addr)
    wanted.add(key)
    const l = byName(liveList, body.name)
    if (!l) {
      changes.push({ key, address: addr, action: 'create', reason: 'new frontend resource', after: body })
      return
    }
    if (!mine(l)) {
      if (adoptUnmanaged && markerOwner(l.description) === undefined) return // used as it is, never changed
      const holder = markerOwner(l.description)
      if (holder && holder !== owner && markerFrontend(l.description) === lb.urlMap) {
        heldBy.set(holder, [...(heldBy.get(holder) ?? []), `${kindLabel(kind)} ${body.name}`])
        return
      }
      errors.push(
        `${kindLabel(kind)} ${body.name} already exists in project ${project} and is ${holder ? `managed by owner ${holder}` : 'not managed by lb-routes'}; lb-routes never takes it over — remove it, or ${kind === 'globalAddress' ? 'name another address in frontend.address' : 'let its holder manage the frontend'}`
      )
      return
    }
    const { fields, replace } = compare(l)
    if (fields.length === 0) return
    changes.push({
      key,
      address: addr,
      action: replace ? 'replace' : 'update',
      reason: `${replace ? 'cannot be changed in place' : 'changed'}: ${fields.join(', ')}`,
      fields,
      before: l,
      after: body
    })
  }

  if (desired) {
    const liveAddress = byName(live.addresses, desired.address.name)
    const ruleCompare = (body: ForwardingRule) => (l: ForwardingRule) => {
      const fields: string[] = []
      const ip = liveAddress?.address
      if (ip && l.IPAddress !== ip) fields.push('IPAddress')
      if (portRange(l.portRange) !== body.portRange) fields.push('portRange')
      if ((l.loadBalancingScheme ?? 'EXTERNAL') !== body.loadBalancingScheme)
        fields.push('loadBalancingScheme')
      const replace = fields.length > 0
      if (ref(l.target) !== ref(body.target)) fields.push('target')
      return { fields, replace }
    }
    want('globalAddress', desired.address, live.addresses, () => ({ fields: [] }), desired.addressNamed)
    want('sslCertificate', desired.certificate, live.sslCertificates, () => ({ fields: [] }))
    want('targetHttpsProxy', desired.httpsProxy, live.targetHttpsProxies, (l: TargetHttpsProxy) => {
      const fields: string[] = []
      if (ref(l.urlMap) !== ref(desired.httpsProxy.urlMap)) fields.push('urlMap')
      const certs = (c: TargetHttpsProxy) => JSON.stringify((c.sslCertificates ?? []).map(ref))
      if (certs(l) !== certs(desired.httpsProxy)) fields.push('sslCertificates')
      if (ref(l.sslPolicy) !== ref(desired.httpsProxy.sslPolicy)) fields.push('sslPolicy')
      return { fields }
    })
    want('globalForwardingRule', desired.httpsRule, live.forwardingRules, ruleCompare(desired.httpsRule))
    if (desired.redirect) {
      const r = desired.redirect
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
      const maps = live.redirectUrlMap ? [live.redirectUrlMap] : []
      want('redirectUrlMap', r.urlMap, maps, (l) => ({
        fields:
          redirectOf(l) !== redirectOf(r.urlMap) || (l.hostRules ?? []).length > 0
            ? ['defaultUrlRedirect']
            : []
      }))
      want('targetHttpProxy', r.httpProxy, live.targetHttpProxies, (l: TargetHttpProxy) => ({
        fields: ref(l.urlMap) !== ref(r.httpProxy.urlMap) ? ['urlMap'] : []
      }))
      want('globalForwardingRule', r.httpRule, live.forwardingRules, ruleCompare(r.httpRule))
    }
  }

  for (const [holder, what] of heldBy)
    errors.push(
      `the frontend of URL map ${lb.urlMap} is held by owner ${holder} (${what.join(', ')}); only one owner can hold a load balancer's frontend: remove the frontend block from this file, or have ${holder} set "frontend": null in theirs first`
    )

  // This owner's frontend resources for this URL map that routes.json no longer asks for.
  const why = (kind: FrontendKind, l: Named & { portRange?: string | null }): string => {
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
  const orphans = (kind: FrontendKind, list: readonly (Named & { portRange?: string | null })[]) => {
    for (const l of list) {
      if (!l.name || !mine(l)) continue
      const addr = address(kind, l.name)
      const key = changeKey(addr)
      if (wanted.has(key)) continue
      changes.push({
        key,
        address: addr,
        action: 'delete',
        reason: why(kind, l),
        before: l
      })
    }
  }
  orphans('globalForwardingRule', live.forwardingRules)
  orphans('targetHttpsProxy', live.targetHttpsProxies)
  orphans('targetHttpProxy', live.targetHttpProxies)
  orphans('sslCertificate', live.sslCertificates)
  orphans('redirectUrlMap', live.redirectUrlMap ? [live.redirectUrlMap] : [])
  orphans('globalAddress', live.addresses)

  // A released IP address cannot be got back: say so, with the IP, wherever DNS may still point at it.
  const warnings = changes
    .filter((c) => c.address.kind === 'globalAddress' && c.action === 'delete')
    .map((c) => {
      const ip = (c.before as { address?: string } | undefined)?.address ?? '?'
      return `this apply releases address ${c.address.name} (${ip}); Google cannot give the same IP back, and domains whose A records still point at it stop working${desired ? ` — point them at ${desired.address.name} instead` : ''}`
    })
  if (!desired) return { changes, errors, warnings }
  const liveAddress = byName(live.addresses, desired.address.name)
  const liveCert = byName(live.sslCertificates, desired.certificate.name)
  const summary: FrontendSummary = {
    address: desired.address.name,
    ...(liveAddress?.address ? { ip: liveAddress.address } : {}),
    domains: desired.domains,
    certificate: desired.certificate.name,
    ...(liveCert?.managed?.status ? { certificateStatus: liveCert.managed.status } : {}),
    ...(liveCert?.managed?.domainStatus ? { domainStatus: liveCert.managed.domainStatus } : {}),
    httpRedirect: desired.redirect !== undefined
  }
  return { changes, errors, warnings, summary }
}
