// Binding desired resources to existing ones (issue #6, "adopt"). compileDesired names every resource
// deterministically (`lbr-...`); a load balancer built by hand in the console has other names. Before the
// diff, each desired NEG and backend service that has no live resource at its own name is bound to a live
// resource equivalent in identity, which then keeps its name everywhere (backend groups, path rules,
// routeServices), so nothing is recreated and URL-map rules already pointing at it become this owner's.
// A live resource is bound when it is already this owner's (always, so adopted resources keep being used)
// or carries no lb-routes marker at all (only when adoption is asked for). Another owner's never.
//
// Identity: NEG — project, region (or global), type and endpoint (fqdn/ip + port) or cloudRun.service.
// Backend service — project, the set of its (bound) NEG groups and the Host header.
//
// Compute cannot change a NEG's description in place (no update or patch), so an adopted NEG carries no
// marker: the backend service using it records it (`adopted-negs=<region|global>/<name>` in its marker),
// and that record is what makes the NEG this owner's on later plans.
import type { BackendService, NetworkEndpoint, NetworkEndpointGroup, UrlMap } from '../compute.js'
import type { DesiredBackendService, DesiredNeg, DesiredState, OwnerRules } from '../compile/model.js'
import { adoptedDescription, markerAdoptedNegs, markerOwner, ownerMarker } from '../compile/markers.js'
import { backendServiceRef, canonicalRef, globalNegRef, regionNegRef } from '../google-semantics/refs.js'
import type { LiveState } from './live.js'
import { ownedRuleView } from './merge-url-map.js'
import { changeKey } from './model.js'
import { indexLive, locate, type LiveIndex } from '../diff/resources.js'

export interface Binding {
  /** The desired state with bound resources renamed to their live names. */
  readonly desired: DesiredState
  /** Change keys of live resources without a marker that this plan takes over ("adopt" actions). */
  readonly adopting: ReadonlySet<string>
  /** Change keys of unmarked NEGs that this owner's backend services record as adopted. */
  readonly ownedNegs: ReadonlySet<string>
  /** Change key of an adopted NEG → the backend service whose marker records it (display). */
  readonly recordedBy: ReadonlyMap<string, string>
}

const negKey = (project: string, where: string, name: string) =>
  where === 'global'
    ? changeKey({ kind: 'globalNetworkEndpointGroup', project, name })
    : changeKey({ kind: 'regionNetworkEndpointGroup', project, region: where, name })

const desiredNegKey = (n: DesiredNeg) => negKey(n.project, n.region ?? 'global', n.name)
const bsKey = (project: string, name: string) => changeKey({ kind: 'backendService', project, name })
const negUrl = (n: DesiredNeg) =>
  n.region ? regionNegRef(n.project, n.region, n.name) : globalNegRef(n.project, n.name)

/** hostHeader reads the Host override of a backend service, lowercased ('' when none). */
export function hostHeader(bs: BackendService): string {
  for (const h of bs.customRequestHeaders ?? []) {
    const i = h.indexOf(':')
    if (i > 0 && h.slice(0, i).trim().toLowerCase() === 'host')
      return h
        .slice(i + 1)
        .trim()
        .toLowerCase()
  }
  return ''
}

/** endpointIdentity is `fqdn:port` or `ip:port` of a global Internet NEG's single endpoint. */
function endpointIdentity(ep: NetworkEndpoint | undefined, defaultPort: number | null | undefined): string {
  if (!ep) return ''
  const host = ep.fqdn ? ep.fqdn.toLowerCase() : (ep.ipAddress ?? '')
  return `${host}:${ep.port ?? defaultPort ?? ''}`
}

function desiredNegIdentity(n: DesiredNeg): string {
  if (n.region) return `SERVERLESS ${n.resource.cloudRun?.service ?? ''}`
  return `${n.resource.networkEndpointType} ${endpointIdentity(n.endpoint, n.resource.defaultPort)}`
}

function liveNegIdentity(n: NetworkEndpointGroup, live: LiveState): string | undefined {
  if (n.networkEndpointType === 'SERVERLESS') {
    const cr = n.cloudRun
    return cr?.service && !cr.tag && !cr.urlMask ? `SERVERLESS ${cr.service}` : undefined
  }
  const eps = live.negEndpoints?.[n.name ?? '']
  if (!eps || eps.length !== 1) return undefined
  return `${n.networkEndpointType} ${endpointIdentity(eps[0], n.defaultPort)}`
}

/** serviceKeys lists, for each desired backend service URL, the (host, path) keys its rules claim. */
function serviceKeys(rules: OwnerRules): Map<string, string[]> {
  const out = new Map<string, string[]>()
  const add = (svc: string, k: string) => out.set(svc, [...(out.get(svc) ?? []), k])
  if (rules.defaultService) add(rules.defaultService, '*\0(default)')
  for (const h of rules.hosts) {
    if (h.defaultService) add(h.defaultService, `${h.host}\0(default)`)
    for (const r of h.pathRules) for (const p of r.paths) add(r.service, `${h.host}\0${p}`)
  }
  return out
}

/** liveRuleOwners maps every (host, path) of the live map to the backend service it routes to. */
function liveRuleServices(map: UrlMap | undefined, project: string): Map<string, string> {
  if (!map) return new Map()
  const all = new Set<string>()
  const add = (s: string | null | undefined) => s && all.add(canonicalRef(s, project))
  add(map.defaultService)
  for (const pm of map.pathMatchers ?? []) {
    add(pm.defaultService)
    for (const r of pm.pathRules ?? []) add(r.service)
  }
  const view = ownedRuleView(map, all, project)
  return new Map([...view].map(([k, v]) => [k, v.split(' ')[0]!]))
}

/** Who holds each unmarked NEG, as the live backend services' markers say. */
interface NegRecords {
  /** NEG key → owner, for NEGs recorded as adopted by, or used by, some owner's backend service. */
  readonly recordOwner: ReadonlyMap<string, string>
  /** NEG key → this owner's backend service that records it. */
  readonly recordedBy: ReadonlyMap<string, string>
  /** Keys of unmarked NEGs this owner's backend services record as adopted. */
  readonly ownedNegs: ReadonlySet<string>
}

/** readNegRecords reads adoption records from markers; an unmarked NEG another owner uses is theirs to adopt. */
function readNegRecords(owner: string, index: LiveIndex): NegRecords {
  const recordOwner = new Map<string, string>()
  const recordedBy = new Map<string, string>()
  for (const [, b] of index.backendServices) {
    const o = markerOwner(b.description)
    if (!o) continue
    const p = locate(b.selfLink).project
    for (const rec of markerAdoptedNegs(b.description)) {
      const [where = '', name = ''] = rec.split('/')
      const k = negKey(p, where, name)
      if (!recordOwner.has(k)) recordOwner.set(k, o)
      if (o === owner) recordedBy.set(k, b.name ?? '')
    }
  }
  const ownedNegs = new Set([...recordOwner].filter(([, o]) => o === owner).map(([k]) => k))
  const negKeyByUrl = new Map([...index.negs].map(([k, n]) => [canonicalRef(n.selfLink ?? '', ''), k]))
  for (const [, b] of index.backendServices) {
    const o = markerOwner(b.description)
    if (!o || o === owner) continue
    for (const g of b.backends ?? []) {
      const k = negKeyByUrl.get(canonicalRef(g.group ?? '', locate(b.selfLink).project))
      if (k && !recordOwner.has(k)) recordOwner.set(k, o)
    }
  }
  return { recordOwner, recordedBy, ownedNegs }
}

/** Candidates by identity, indexed once (plans with thousands of routes must not scan per resource). */
function groupBy<T>(entries: Iterable<[string, T]>, keyOf: (k: string, v: T) => string | undefined) {
  const index = new Map<string, [string, T][]>()
  for (const [k, v] of entries) {
    const ik = keyOf(k, v)
    if (ik === undefined) continue
    const list = index.get(ik) ?? []
    list.push([k, v])
    index.set(ik, list)
  }
  return index
}

interface NegBinding {
  readonly negs: readonly DesiredNeg[]
  /** Desired NEG URL → the bound live NEG's URL. */
  readonly rename: ReadonlyMap<string, string>
  readonly adopting: ReadonlySet<string>
  /** Keys of bound NEGs without a marker (adopted now or before): backend markers record them. */
  readonly unmarked: ReadonlySet<string>
}

/** bindNegs binds each desired NEG without a live one at its own name to an equivalent live NEG. */
function bindNegs(
  desired: DesiredState,
  live: LiveState,
  index: LiveIndex,
  records: NegRecords,
  adopt: boolean
): NegBinding {
  const owner = desired.owner
  const negOwner = (k: string, n: NetworkEndpointGroup) =>
    markerOwner(n.description) ?? records.recordOwner.get(k)
  const rank = (k: string, l: NetworkEndpointGroup) => (negOwner(k, l) === owner ? 0 : 1)
  // Names already taken by a desired resource are never bound to another one.
  const reserved = new Set(desired.negs.map(desiredNegKey).filter((k) => index.negs.has(k)))
  const candidatesOf = groupBy(index.negs, (k, l) => {
    const o = negOwner(k, l)
    const id = o === owner || (adopt && o === undefined) ? liveNegIdentity(l, live) : undefined
    const loc = locate(l.selfLink)
    return id === undefined ? undefined : `${loc.project} ${loc.region ?? 'global'} ${id}`
  })
  const rename = new Map<string, string>()
  const negs = new Map<string, DesiredNeg>()
  const adopting = new Set<string>()
  const unmarked = new Set<string>()
  for (const n of desired.negs) {
    let key = desiredNegKey(n)
    let bound = n
    if (!index.negs.has(key)) {
      const hit = (candidatesOf.get(`${n.project} ${n.region ?? 'global'} ${desiredNegIdentity(n)}`) ?? [])
        .filter(([k]) => !reserved.has(k))
        .sort(([ka, a], [kb, b]) => rank(ka, a) - rank(kb, b) || (ka < kb ? -1 : 1))[0]
      if (hit) {
        const name = hit[1].name ?? ''
        bound = { ...n, name, resource: { ...n.resource, name } }
        rename.set(negUrl(n), negUrl(bound))
        key = hit[0]
        if (negOwner(key, hit[1]) === undefined) adopting.add(key)
      }
    }
    const l = index.negs.get(key)
    if (l && !markerOwner(l.description) && (adopting.has(key) || records.ownedNegs.has(key)))
      unmarked.add(key)
    const prev = negs.get(key)
    negs.set(key, prev ? { ...prev, routes: [...new Set([...prev.routes, ...bound.routes])] } : bound)
  }
  return { negs: [...negs.values()], rename, adopting, unmarked }
}

interface BackendBinding {
  readonly backendServices: readonly DesiredBackendService[]
  /** Desired backend service URL → the bound live one's URL. */
  readonly rename: ReadonlyMap<string, string>
  readonly adopting: ReadonlySet<string>
}

/** adoptedNegRecords lists the unmarked NEGs among a backend's groups as `<region|global>/<name>`. */
function adoptedNegRecords(groups: readonly string[], unmarked: ReadonlySet<string>): string[] {
  return groups.flatMap((url) => {
    const m = /projects\/([^/]+)\/(?:global|regions\/([^/]+))\/networkEndpointGroups\/([^/]+)$/.exec(url)
    if (!m) return []
    const where = m[2] ?? 'global'
    return unmarked.has(negKey(m[1]!, where, m[3]!)) ? [`${where}/${m[3]}`] : []
  })
}

/**
 * bindBackendServices binds each desired backend service without a live one at its own name to a live one
 * with the same (bound) NEG groups and Host header; with several, the one the live map routes most of its
 * claims to. Every backend service gets the owner's marker, recording the unmarked NEGs it uses.
 */
function bindBackendServices(
  desired: DesiredState,
  live: LiveState,
  index: LiveIndex,
  negs: NegBinding,
  adopt: boolean
): BackendBinding {
  const owner = desired.owner
  const project = desired.loadBalancer.project
  const keysOf = serviceKeys(desired.rules)
  // Which backend the live map routes each (host, path) to: only needed to choose between several candidates.
  let liveRules: Map<string, string> | undefined
  const routedTo = (k: string) => (liveRules ??= liveRuleServices(live.urlMap, project)).get(k)
  const reserved = new Set(
    desired.backendServices.map((b) => bsKey(b.project, b.name)).filter((k) => index.backendServices.has(k))
  )
  const used = new Set<string>()
  const candidatesOf = groupBy(index.backendServices, (_k, l) => {
    const o = markerOwner(l.description)
    if (!(o === owner || (adopt && o === undefined))) return undefined
    const p = locate(l.selfLink).project
    const groups = JSON.stringify((l.backends ?? []).map((g) => canonicalRef(g.group ?? '', p)).sort())
    return `${p} ${groups} ${hostHeader(l)}`
  })
  const rename = new Map<string, string>()
  const adopting = new Set<string>()
  const backendServices = desired.backendServices.map((b) => {
    const groups = (b.resource.backends ?? []).map((g) => {
      const url = canonicalRef(g.group ?? '', b.project)
      return negs.rename.get(url) ?? url
    })
    const oldUrl = backendServiceRef(b.project, b.name)
    let key = bsKey(b.project, b.name)
    let name = b.name
    if (!index.backendServices.has(key)) {
      const claims = keysOf.get(oldUrl) ?? []
      const found = (
        candidatesOf.get(`${b.project} ${JSON.stringify([...groups].sort())} ${hostHeader(b.resource)}`) ?? []
      ).filter(([k]) => !reserved.has(k) && !used.has(k))
      const hit = found
        .map(([k, l]) => {
          const url = canonicalRef(l.selfLink ?? backendServiceRef(b.project, l.name ?? ''), project)
          const score = found.length > 1 ? claims.filter((c) => routedTo(c) === url).length : 0
          return { k, l, score }
        })
        .sort((x, y) => y.score - x.score || (x.k < y.k ? -1 : 1))[0]
      if (hit) {
        key = hit.k
        name = hit.l.name ?? ''
        used.add(key)
        rename.set(oldUrl, backendServiceRef(b.project, name))
        if (markerOwner(hit.l.description) === undefined) adopting.add(key)
      }
    }
    const marker = ownerMarker(owner, b.routes, adoptedNegRecords(groups, negs.unmarked))
    const l = index.backendServices.get(key)
    const description = l ? adoptedDescription(marker, l.description) : marker
    return {
      ...b,
      name,
      resource: { ...b.resource, name, description, backends: groups.map((group) => ({ group })) }
    }
  })
  return { backendServices, rename, adopting }
}

/** renameServices points the owner's rules and routeServices at the bound backend services. */
function renameServices(
  desired: DesiredState,
  rename: ReadonlyMap<string, string>
): Pick<DesiredState, 'rules' | 'routeServices'> {
  const svc = (s: string | undefined) => (s ? (rename.get(s) ?? s) : s)
  const rules: OwnerRules = {
    ...desired.rules,
    ...(desired.rules.defaultService ? { defaultService: svc(desired.rules.defaultService) } : {}),
    hosts: desired.rules.hosts.map((h) => ({
      ...h,
      ...(h.defaultService ? { defaultService: svc(h.defaultService) } : {}),
      pathRules: h.pathRules.map((r) => ({ ...r, service: svc(r.service)! }))
    }))
  }
  const routeServices = Object.fromEntries(
    Object.entries(desired.routeServices).map(([r, s]) => [r, svc(s)!])
  )
  return { rules, routeServices }
}

/** bindExisting binds desired NEGs and backend services to equivalent live ones (see the file comment). */
export function bindExisting(desired: DesiredState, live: LiveState, adopt: boolean): Binding {
  const index = indexLive(live)
  const records = readNegRecords(desired.owner, index)
  const negs = bindNegs(desired, live, index, records, adopt)
  const backends = bindBackendServices(desired, live, index, negs, adopt)
  return {
    desired: {
      ...desired,
      negs: [...negs.negs],
      backendServices: [...backends.backendServices],
      ...renameServices(desired, backends.rename)
    },
    adopting: new Set([...negs.adopting, ...backends.adopting]),
    ownedNegs: records.ownedNegs,
    recordedBy: records.recordedBy
  }
}
