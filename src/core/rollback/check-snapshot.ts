// What a rollback may write, checked before anything is written (issue 13): a snapshot is a file anyone can
// hand to `rollback --from` (or a workflow run's artifact), so its bodies are held to the rules compiled
// resources follow — the owners policy (projects, internet hosts, hosts and defaults of the restored rules),
// header hygiene (no CR/LF, no reserved headers) and ownership markers — not trusted because lb-routes
// wrote a file of that shape once.
import type { JSONPath } from 'jsonc-parser'
import type { BackendService, NetworkEndpoint, NetworkEndpointGroup, UrlMap } from '../compute.js'
import { markerOwner } from '../compile/markers.js'
import { grantsDefault, grantsHost, identityProblem, reaches, underPrefix } from '../policy/check.js'
import { grantHint, type Tenancy } from '../policy/model.js'
import {
  hostnameProblem,
  isUnderRunApp,
  publicIpProblem,
  requestHeaderProblem,
  runServiceProblem
} from '../routes/formats.js'
import { canonicalRef } from '../google-semantics/refs.js'
import type { Snapshot } from './snapshot.js'

/** What a snapshot may restore. */
export interface SnapshotAllowance {
  /** The owners policy and calling repository; absent: no policy (single team). */
  readonly tenancy?: Tenancy
  /**
   * Without a policy: hosts and addresses Internet NEG endpoints may point at besides *.run.app (the
   * --allowed-internet-hosts list and the routes file's allowedInternetHosts). With a policy its grant decides.
   */
  readonly internetHosts?: readonly string[]
}

/** One problem of a snapshot, addressed by its JSON path in the snapshot file. */
export interface SnapshotFinding {
  readonly path: JSONPath
  readonly message: string
}

// CR, LF and the other C0 controls (and DEL): what header smuggling needs.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/
const NOT_REWRITTEN = 'a snapshot is restored only when it could have been compiled from a routes.json'

/** snapshotProblems checks every body a rollback of `s` would write; empty when it may go ahead. */
export function snapshotProblems(s: Snapshot, allow: SnapshotAllowance): SnapshotFinding[] {
  const out: SnapshotFinding[] = []
  const t = allow.tenancy
  if (t) {
    const identity = identityProblem(t, s.owner)
    if (identity)
      return [{ path: ['owner'], message: identity.message.replace('routes.json', 'the snapshot') }]
    const lb = t.policy.loadBalancer
    if (s.loadBalancer.project !== lb.project || s.loadBalancer.urlMap !== lb.urlMap)
      out.push({
        path: ['loadBalancer'],
        message: `this snapshot is of load balancer ${s.loadBalancer.project}/${s.loadBalancer.urlMap}, not ${lb.project}/${lb.urlMap} which ${t.policy.file} governs`
      })
  }
  for (const [i, r] of s.resources.entries()) {
    const at = (...rest: JSONPath): JSONPath => ['resources', i, ...rest]
    const project = projectProblem(s, allow, r.address.project)
    if (project) out.push({ path: at('address', 'project'), message: `${r.key}: ${project}` })
    const before = r.before as Record<string, unknown> | undefined
    if (before && r.address.kind === 'backendService')
      out.push(...backendProblems(s, allow, r.action, before as BackendService, at('before')))
    if (before && r.address.kind.endsWith('NetworkEndpointGroup'))
      out.push(...negProblems(before as NetworkEndpointGroup, at('before')))
    for (const [k, e] of (r.networkEndpoints ?? []).entries())
      out.push(...endpointProblems(s, allow, e, at('networkEndpoints', k)))
  }
  return out
}

function projectProblem(s: Snapshot, allow: SnapshotAllowance, project: string): string | undefined {
  const t = allow.tenancy
  if (!t || project === s.loadBalancer.project) return undefined
  const grant = t.policy.owners[s.owner]
  if (grant?.projects.includes(project)) return undefined
  return `project ${project} is not granted to owner ${s.owner}; ${grantHint(t.policy, s.owner, 'projects', project)}`
}

function backendProblems(
  s: Snapshot,
  allow: SnapshotAllowance,
  action: string,
  bs: BackendService,
  at: JSONPath
): SnapshotFinding[] {
  const out: SnapshotFinding[] = []
  // An adopted backend service goes back to its hand-built description; anything else carries the marker.
  if (action !== 'adopt' && markerOwner(bs.description) !== s.owner)
    out.push({
      path: [...at, 'description'],
      message: `backend service ${bs.name ?? ''} does not carry owner ${s.owner}'s lb-routes marker; ${NOT_REWRITTEN}`
    })
  for (const [k, header] of (bs.customRequestHeaders ?? []).entries()) {
    const p = headerProblem(header)
    if (p)
      out.push({
        path: [...at, 'customRequestHeaders', k],
        message: `request header ${JSON.stringify(header)} ${p}`
      })
  }
  for (const [k, b] of (bs.backends ?? []).entries()) {
    const project =
      /\/projects\/([^/]+)\//.exec(canonicalRef(b.group ?? '', s.loadBalancer.project))?.[1] ?? ''
    const p = projectProblem(s, allow, project)
    if (p)
      out.push({ path: [...at, 'backends', k, 'group'], message: `backend group ${b.group ?? ''}: ${p}` })
  }
  return out
}

// A Host override names the service on Cloud Run's shared front end (or the internet host); other headers
// follow the routes.json rules. CR or LF would let a header smuggle more headers.
function headerProblem(header: string): string | undefined {
  if (CONTROL.test(header)) return 'contains a control character (CR, LF, ...); refusing to restore it'
  const colon = header.indexOf(':')
  if (colon > 0 && header.slice(0, colon).trim().toLowerCase() === 'host') {
    const host = header
      .slice(colon + 1)
      .trim()
      .toLowerCase()
    const p = hostnameProblem(host)
    return p ? `sets Host to a value that ${p}` : undefined
  }
  return requestHeaderProblem(header)
}

function negProblems(neg: NetworkEndpointGroup, at: JSONPath): SnapshotFinding[] {
  const type = neg.networkEndpointType
  if (type === 'SERVERLESS') {
    const service = neg.cloudRun?.service ?? ''
    const p = runServiceProblem(service)
    return p
      ? [
          {
            path: [...at, 'cloudRun', 'service'],
            message: `serverless NEG Cloud Run service ${JSON.stringify(service)} ${p}`
          }
        ]
      : []
  }
  if (type === 'INTERNET_FQDN_PORT' || type === 'INTERNET_IP_PORT') return []
  return [
    {
      path: [...at, 'networkEndpointType'],
      message: `NEG type ${JSON.stringify(type)} is not one lb-routes creates (INTERNET_FQDN_PORT, INTERNET_IP_PORT, SERVERLESS); ${NOT_REWRITTEN}`
    }
  ]
}

function endpointProblems(
  s: Snapshot,
  allow: SnapshotAllowance,
  e: NetworkEndpoint,
  at: JSONPath
): SnapshotFinding[] {
  const host = (e.fqdn ?? e.ipAddress ?? '').toLowerCase()
  const key = e.fqdn !== undefined && e.fqdn !== null ? 'fqdn' : 'ipAddress'
  if (CONTROL.test(host) || host === '')
    return [
      { path: [...at, key], message: 'endpoint has no valid fqdn or ipAddress; refusing to restore it' }
    ]
  const shape = key === 'fqdn' ? hostnameProblem(host) : publicIpProblem(host)
  if (shape) return [{ path: [...at, key], message: `endpoint ${JSON.stringify(host)} ${shape}` }]
  const t = allow.tenancy
  const list = t ? (t.policy.owners[s.owner]?.internetHosts ?? []) : (allow.internetHosts ?? [])
  // A *.run.app endpoint reaches Cloud Run's front end; the Host override picks the service.
  if ((key === 'fqdn' && isUnderRunApp(host)) || reaches(list, host)) return []
  const message = t
    ? `endpoint ${JSON.stringify(host)} is not granted to owner ${s.owner} (${t.policy.file} internetHosts); ${grantHint(t.policy, s.owner, 'internetHosts', host)}`
    : `endpoint ${JSON.stringify(host)} is not in the allowed internet hosts; pass --policy, or list it with --allowed-internet-hosts or in the allowedInternetHosts of the routes file given with --routes`
  return [{ path: [...at, key], message }]
}

/** routeActionProblem: lb-routes writes only urlRewrite (pathPrefixRewrite, hostRewrite) into a path rule. */
function routeActionProblem(action: unknown): string | undefined {
  if (action === undefined || action === null) return undefined
  const a = action as Record<string, unknown>
  const extra = Object.keys(a).filter((k) => k !== 'urlRewrite')
  if (extra.length > 0) return `has routeAction ${extra.join(', ')}, which lb-routes never writes`
  const rewrite = (a.urlRewrite ?? {}) as Record<string, unknown>
  for (const [k, v] of Object.entries(rewrite)) {
    if (k !== 'pathPrefixRewrite' && k !== 'hostRewrite')
      return `has urlRewrite.${k}, which lb-routes never writes`
    if (typeof v !== 'string' || CONTROL.test(v)) return `has an urlRewrite.${k} that is not a clean string`
  }
  return undefined
}

/**
 * restoredRuleProblems checks the owner's rules a rollback would put back into the map (those of the
 * snapshot's URL map whose service the owner owns): their route actions always, and with a policy every
 * host of their host rule, the defaults, and the path prefixes on shared hosts.
 */
export function restoredRuleProblems(
  map: UrlMap | null,
  owned: ReadonlySet<string>,
  s: Snapshot,
  tenancy: Tenancy | undefined
): string[] {
  if (!map) return []
  const project = s.loadBalancer.project
  const mine = (svc: string | null | undefined) => !!svc && owned.has(canonicalRef(svc, project))
  const out: string[] = []
  for (const pm of map.pathMatchers ?? [])
    for (const r of (pm.pathRules ?? []).filter((x) => mine(x.service))) {
      const p = routeActionProblem(r.routeAction)
      if (p)
        out.push(
          `the snapshot's rule for ${(r.paths ?? []).join(', ')} in path matcher ${pm.name ?? ''} ${p}; ${NOT_REWRITTEN}`
        )
    }
  const grant = tenancy?.policy.owners[s.owner]
  if (!tenancy || !grant) return out
  const deny = (what: string, field: 'hosts' | 'defaults' | 'pathPrefixes', value: string) =>
    out.push(
      `the snapshot would restore ${what}, which is not granted to owner ${s.owner}; ${grantHint(tenancy.policy, s.owner, field, value)}`
    )
  if (mine(map.defaultService) && !grantsDefault(grant.defaults, '*'))
    deny('the URL map default', 'defaults', '*')
  const others = Object.entries(tenancy.policy.owners).filter(([o]) => o !== s.owner)
  for (const hr of map.hostRules ?? []) {
    const pm = (map.pathMatchers ?? []).find((m) => m.name === hr.pathMatcher)
    if (!pm) continue
    const rules = (pm.pathRules ?? []).filter((r) => mine(r.service))
    const ownDefault = mine(pm.defaultService) && pm.defaultService !== map.defaultService
    for (const host of (hr.hosts ?? []).map((h) => h.toLowerCase())) {
      if ((rules.length > 0 || ownDefault) && !grantsHost(grant.hosts, host)) {
        deny(`rules on host ${host}`, 'hosts', host)
        continue
      }
      if (ownDefault && !grantsDefault(grant.defaults, host))
        deny(`the default of host ${host}`, 'defaults', host)
      const shared = others.some(([, g]) =>
        g.hosts.some((e) => grantsHost([e], host) || grantsHost([host], e))
      )
      if (!shared || grant.pathPrefixes === undefined) continue
      for (const path of rules.flatMap((r) => r.paths ?? []))
        if (!grant.pathPrefixes.some((p) => underPrefix(path, p)))
          deny(`path ${path} on shared host ${host}`, 'pathPrefixes', path.replace(/\/\*$/, '') || '/')
    }
  }
  return out
}
