// exportRoutes: a live URL map and its backends → a routes.json (v1) that describes what the load
// balancer routes, so a team can start from what exists (issue #6). Export then `plan --adopt` shows
// only adoptions, and after `adopt` a plain plan shows no changes. Pure: the shell reads the resources.
//
// One route per (backend service, route action): its hosts and paths, `prefix` for `/p` + `/p/*`,
// `rewrite` from urlRewrite, `default: true` for the URL map default ("*") and path-matcher defaults
// that differ from it. Rules of other lb-routes owners are left out (named in a comment at the top);
// anything routes.json cannot express (routeRules, redirects, header actions, weighted services, backends
// that are not one Internet NEG or serverless NEGs of one service) is left out with a `//` comment and a
// warning, never silently — and so is every other rule of the same backend service, because once the
// backend is this owner's, lb-routes would remove the rules it does not declare.
import type { BackendService, NetworkEndpoint, NetworkEndpointGroup, PathRule, UrlMap } from '../compute.js'
import { markerOwner, markerRoutes } from '../compile/markers.js'
import { hostHeader } from '../plan/adopt.js'
import { locate } from '../diff/resources.js'
import { canonicalRef, refName } from '../google-semantics/refs.js'

export interface ExportInput {
  readonly project: string
  readonly urlMap: UrlMap
  /** The owner written into routes.json; its own lb-routes rules are exported under their route names. */
  readonly owner: string
  /** Backend services of every project the map references. */
  readonly backendServices: readonly BackendService[]
  /** Global NEGs of the load balancer's project and regional NEGs of the referenced projects. */
  readonly negs: readonly NetworkEndpointGroup[]
  /** Endpoints of global Internet NEGs by `project/name`. */
  readonly negEndpoints: Readonly<Record<string, readonly NetworkEndpoint[]>>
}

export interface ExportResult {
  /** The routes.json text (JSONC). */
  readonly text: string
  /** What was left out and why, one line each (also in the text as comments). */
  readonly warnings: readonly string[]
}

/** globalInternetNegs lists `project/name` of the global Internet NEGs the map's backends use (to read their endpoints). */
export function globalNegsOf(backendServices: readonly BackendService[]): string[] {
  const out = new Set<string>()
  for (const b of backendServices)
    for (const g of b.backends ?? []) {
      const m = /projects\/([^/]+)\/global\/networkEndpointGroups\/([^/]+)$/.exec(g.group ?? '')
      if (m) out.add(`${m[1]}/${m[2]}`)
    }
  return [...out]
}

interface Claim {
  readonly host: string
  /** A path pattern, or undefined for a default. */
  readonly path?: string
  readonly rewrite?: { pathPrefix?: string; host?: string }
}

type Json = Record<string, unknown>
type Target = { error: string } | { to: Json; settings: Json; allow: string[] }

const DEFAULT_TIMEOUT = 30

// The input with its resources indexed by canonical URL.
interface Lookup {
  readonly input: ExportInput
  readonly canon: (s: string | null | undefined) => string
  readonly bsByUrl: ReadonlyMap<string, BackendService>
  readonly negByUrl: ReadonlyMap<string, NetworkEndpointGroup>
}

// What the URL map routes to each backend service, in map order, and what cannot be expressed.
interface Claims {
  readonly mapDefault: string
  /** Backend URL → its claims; key order is the order backends first appear in the map. */
  readonly byService: Map<string, Claim[]>
  /** Backend URL → why its rules cannot be expressed. */
  readonly unexpressible: Map<string, string>
  readonly skipped: string[]
}

/** exportRoutes builds routes.json text from live resources (see the file comment). */
export function exportRoutes(input: ExportInput): ExportResult {
  const canon = (s: string | null | undefined) => (s ? canonicalRef(s, input.project) : '')
  const lookup: Lookup = {
    input,
    canon,
    bsByUrl: new Map(input.backendServices.map((b) => [canon(b.selfLink), b])),
    negByUrl: new Map(input.negs.map((n) => [canon(n.selfLink), n]))
  }
  const claims = collectClaims(lookup)
  const { routes, allowed, others } = buildRoutes(lookup, claims)
  const scheme =
    input.backendServices.find((b) => canon(b.selfLink) === claims.mapDefault)?.loadBalancingScheme ??
    'EXTERNAL_MANAGED'
  const config = {
    version: 1,
    owner: input.owner,
    loadBalancer: { project: input.project, urlMap: input.urlMap.name ?? '', scheme },
    ...(allowed.size > 0 ? { allowedInternetHosts: [...allowed].sort() } : {}),
    routes
  }
  const warnings = [
    ...[...others].map(
      ([o, bss]) => `rules of owner ${o} left out (backend services ${[...bss].sort().join(', ')})`
    ),
    ...claims.skipped.map((s) => `not exported: ${s}`)
  ]
  const header = [
    `// routes.json exported by lb-routes export from URL map ${input.urlMap.name} in project ${input.project}.`,
    '// Review it, then: lb-routes plan --adopt (shows what would be taken over), lb-routes adopt.',
    ...warnings.map((w) => `// ${oneLine(w)}`)
  ]
  return { text: `${header.join('\n')}\n${formatJson(config, '')}\n`, warnings }
}

// Walk the map: the map default ("*"), each path matcher's default and path rules, per host.
function collectClaims({ input, canon }: Lookup): Claims {
  const map = input.urlMap
  const out: Claims = {
    mapDefault: canon(map.defaultService),
    byService: new Map(),
    unexpressible: new Map(),
    skipped: []
  }
  const claim = (svc: string, c: Claim) => {
    const list = out.byService.get(svc) ?? []
    list.push(c)
    out.byService.set(svc, list)
  }
  if (out.mapDefault) claim(out.mapDefault, { host: '*' })
  if (map.defaultRouteAction || map.defaultUrlRedirect)
    out.skipped.push(`the URL map's default route action / redirect: routes.json cannot express it`)
  for (const hr of map.hostRules ?? []) {
    const pm = (map.pathMatchers ?? []).find((m) => m.name === hr.pathMatcher)
    if (!pm) continue
    const hosts = hr.hosts ?? []
    const d = canon(pm.defaultService)
    if (d && d !== out.mapDefault) for (const h of hosts) claim(d, { host: h })
    if (pm.defaultRouteAction || pm.defaultUrlRedirect)
      out.skipped.push(`path matcher ${pm.name}: its default route action / redirect cannot be expressed`)
    if ((pm.routeRules ?? []).length > 0)
      out.skipped.push(`path matcher ${pm.name} (${hosts.join(', ')}): routeRules cannot be expressed`)
    for (const rule of pm.pathRules ?? []) {
      const svc = canon(rule.service)
      if (!svc) {
        out.skipped.push(
          `path matcher ${pm.name}: rule ${(rule.paths ?? []).join(', ')} has no backend service (redirect or weighted services)`
        )
        continue
      }
      const why = unexpressibleRule(rule)
      if (why)
        out.unexpressible.set(
          svc,
          `path rule ${(rule.paths ?? []).join(', ')} in path matcher ${pm.name} uses ${why}`
        )
      for (const c of pathRuleClaims(rule, hosts)) claim(svc, c)
    }
  }
  return out
}

// What a path rule uses beyond a service and urlRewrite's pathPrefixRewrite/hostRewrite, if anything.
function unexpressibleRule(rule: PathRule): string | undefined {
  const { urlRewrite, ...rest } = rule.routeAction ?? {}
  const { pathPrefixRewrite: _p, hostRewrite: _h, ...restRewrite } = urlRewrite ?? {}
  const extra = [...Object.keys(rest), ...Object.keys(restRewrite)].filter(
    (k) => (rest as Json)[k] != null || (restRewrite as Json)[k] != null
  )
  if (rule.urlRedirect) return 'urlRedirect'
  return extra.length > 0 ? extra.join(', ') : undefined
}

// One claim per host and path of a path rule, with the rewrite as routes.json writes it.
function pathRuleClaims(rule: PathRule, hosts: readonly string[]): Claim[] {
  const { pathPrefixRewrite, hostRewrite } = rule.routeAction?.urlRewrite ?? {}
  return hosts.flatMap((h) =>
    (rule.paths ?? []).map((p) => {
      const rw = pathPrefixRewrite ?? undefined
      // compileDesired adds the slash back for `/*` rules (rewrite "/api" → "/api/" on "/v1/*").
      const prefix = rw && p.endsWith('/*') && rw.length > 1 && rw.endsWith('/') ? rw.slice(0, -1) : rw
      const rewrite = {
        ...(prefix !== undefined ? { pathPrefix: prefix } : {}),
        ...(hostRewrite ? { host: hostRewrite } : {})
      }
      return { host: h, path: p, ...(Object.keys(rewrite).length ? { rewrite } : {}) }
    })
  )
}

// Each backend service's claims become routes, unless another owner holds it or it cannot be expressed.
function buildRoutes(lookup: Lookup, claims: Claims) {
  const { input } = lookup
  const allowed = new Set<string>()
  const routes: Json[] = []
  const others = new Map<string, Set<string>>()
  const uniqueName = nameAllocator()
  for (const [svc, list] of claims.byService) {
    const bs = lookup.bsByUrl.get(svc)
    const o = bs ? markerOwner(bs.description) : undefined
    if (o && o !== input.owner) {
      others.set(o, (others.get(o) ?? new Set()).add(refName(svc)))
      continue
    }
    const why = !bs ? `backend service ${refName(svc)} could not be read` : claims.unexpressible.get(svc)
    const target = bs && !why ? targetOf(lookup, bs) : undefined
    if (why || !target || 'error' in target) {
      const reason = why ?? (target && 'error' in target ? target.error : undefined)
      const where = [...new Set(list.map((c) => `host ${c.host} ${c.path ?? '(default)'}`))]
        .slice(0, 6)
        .join(', ')
      claims.skipped.push(`backend service ${refName(svc)} (${where}): ${reason ?? 'not expressible'}`)
      continue
    }
    for (const h of target.allow) allowed.add(h)
    const given = markerRoutes(bs!.description)
    const name = () => uniqueName(o === input.owner && given.length === 1 ? given[0]! : refName(svc))
    routes.push(...serviceRoutes(list, target, name))
  }
  return { routes, allowed, others }
}

// Group: route action → host → paths (+ default), then hosts with the same paths share a route.
function serviceRoutes(
  list: readonly Claim[],
  target: { to: Json; settings: Json },
  name: () => string
): Json[] {
  const byAction = new Map<string, Map<string, { paths: string[]; default: boolean }>>()
  for (const c of list) {
    const key = JSON.stringify(c.rewrite ?? null)
    const hosts = byAction.get(key) ?? new Map<string, { paths: string[]; default: boolean }>()
    const e = hosts.get(c.host) ?? { paths: [], default: false }
    if (c.path === undefined) e.default = true
    else if (!e.paths.includes(c.path)) e.paths.push(c.path)
    hosts.set(c.host, e)
    byAction.set(key, hosts)
  }
  const routes: Json[] = []
  for (const [key, hosts] of byAction) {
    const rewrite = JSON.parse(key) as Claim['rewrite'] | null
    const groups = new Map<string, { hosts: string[]; paths: string[]; default: boolean }>()
    for (const [host, e] of hosts) {
      const k = JSON.stringify([[...e.paths].sort(), e.default])
      const g = groups.get(k) ?? { hosts: [], paths: e.paths, default: e.default }
      g.hosts.push(host)
      groups.set(k, g)
    }
    for (const g of groups.values()) {
      const paths = [...g.paths].sort()
      const prefix = paths.length === 2 && paths[1] === `${paths[0]}/*` ? paths[0] : undefined
      routes.push({
        name: name(),
        hosts: g.hosts,
        ...(prefix ? { prefix } : g.paths.length ? { paths: g.paths } : {}),
        ...(g.default ? { default: true } : {}),
        ...(rewrite ? { rewrite } : {}),
        ...target.settings,
        to: target.to
      })
    }
  }
  return routes
}

// Route names as routes.json allows them (lowercase, at most 40 characters), made unique with -2, -3, ...
function nameAllocator(): (base: string) => string {
  const names = new Set<string>()
  return (base) => {
    let s = base
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/^[^a-z]+/, '')
      .slice(0, 40)
      .replace(/-+$/, '')
    if (!s) s = 'route'
    for (let i = 2; names.has(s); i++) s = `${s.slice(0, 36).replace(/-+$/, '')}-${i}`
    names.add(s)
    return s
  }
}

// A backend service as a routes.json target ("to"), its backend settings and the hosts to allow-list.
function targetOf(lookup: Lookup, bs: BackendService): Target {
  const groups = (bs.backends ?? []).map((b) => lookup.negByUrl.get(lookup.canon(b.group)))
  if (groups.length === 0 || groups.some((g) => !g))
    return { error: 'its backends are not NEGs lb-routes can read' }
  const negs = groups as NetworkEndpointGroup[]
  const serverless = negs.every((n) => n.networkEndpointType === 'SERVERLESS')
  const settings = settingsOf(bs, serverless, lookup.input.project)
  return serverless ? serverlessTarget(bs, negs, settings) : internetTarget(lookup, bs, negs, settings)
}

function settingsOf(bs: BackendService, serverless: boolean, project: string): Json {
  const extraHeaders = (bs.customRequestHeaders ?? []).filter((h) => !/^\s*host\s*:/i.test(h))
  return {
    ...(!serverless && (bs.timeoutSec ?? DEFAULT_TIMEOUT) !== DEFAULT_TIMEOUT
      ? { timeoutSec: bs.timeoutSec }
      : {}),
    ...(bs.enableCDN ? { enableCdn: true } : {}),
    ...(bs.logConfig?.enable ? { logSampleRate: bs.logConfig.sampleRate ?? 1 } : {}),
    ...(bs.securityPolicy ? { securityPolicy: policyRefIn(project, bs.securityPolicy) } : {}),
    ...(extraHeaders.length ? { requestHeaders: extraHeaders } : {})
  }
}

// Serverless NEGs of one Cloud Run service, one per region, in the backend service's project.
function serverlessTarget(bs: BackendService, negs: readonly NetworkEndpointGroup[], settings: Json): Target {
  const bsProject = locate(bs.selfLink).project
  const services = new Set(negs.map((n) => n.cloudRun?.service ?? ''))
  const regions = negs.map((n) => locate(n.selfLink).region ?? '')
  if (services.size !== 1 || services.has('') || negs.some((n) => n.cloudRun?.tag || n.cloudRun?.urlMask))
    return { error: 'its serverless NEGs are not one Cloud Run service by name' }
  if (negs.some((n) => locate(n.selfLink).project !== bsProject))
    return { error: 'its serverless NEGs live in another project' }
  if (new Set(regions).size !== regions.length) return { error: 'two of its NEGs are in one region' }
  return {
    to: { serverless: { project: bsProject, service: [...services][0], regions: [...regions].sort() } },
    settings,
    allow: []
  }
}

// One Internet NEG with one endpoint: a Cloud Run URL when it is a run.app host reached as itself over
// HTTPS, else an internet target.
function internetTarget(
  lookup: Lookup,
  bs: BackendService,
  negs: readonly NetworkEndpointGroup[],
  settings: Json
): Target {
  if (negs.length !== 1 || !/^INTERNET_/.test(negs[0]!.networkEndpointType ?? ''))
    return {
      error: 'it is not one Internet NEG or serverless NEGs (instance groups and mixes cannot be expressed)'
    }
  if (locate(bs.selfLink).project !== lookup.input.project)
    return { error: 'an Internet-NEG backend in another project' }
  const neg = negs[0]!
  const eps = lookup.input.negEndpoints[`${locate(neg.selfLink).project}/${neg.name}`] ?? []
  if (eps.length !== 1)
    return { error: `its NEG ${neg.name} has ${eps.length} endpoints (routes.json targets have one)` }
  const ep = eps[0]!
  const port = ep.port ?? neg.defaultPort ?? 443
  const host = hostHeader(bs)
  const protocol = bs.protocol ?? 'HTTP'
  if (
    ep.fqdn &&
    /\.run\.app$/i.test(ep.fqdn) &&
    port === 443 &&
    protocol === 'HTTPS' &&
    host === ep.fqdn.toLowerCase()
  )
    return { to: { cloudRun: { url: `https://${ep.fqdn.toLowerCase()}` } }, settings, allow: [] }
  const where = ep.fqdn ? { fqdn: ep.fqdn } : { ip: ep.ipAddress }
  return {
    to: { internet: { ...where, port, protocol, ...(host ? { hostHeader: host } : {}) } },
    settings,
    allow: [ep.fqdn ?? ep.ipAddress ?? ''].filter((h) => h && !/\.run\.app$/i.test(h))
  }
}

/** A policy in the load balancer's project by name, else by `projects/...` path (what compileDesired reads). */
function policyRefIn(project: string, ref: string): string {
  const p = locate(canonicalRef(ref, project)).project
  return p === project ? refName(ref) : `projects/${p}/global/securityPolicies/${refName(ref)}`
}

const WIDTH = 110

/** formatJson pretty-prints like a person would: a value on one line when it fits, else one item per line. */
function formatJson(v: unknown, indent: string): string {
  const flat = inline(v)
  if (indent.length + flat.length <= WIDTH || v === null || typeof v !== 'object') return flat
  const inner = indent + '  '
  if (Array.isArray(v)) return `[\n${v.map((x) => inner + formatJson(x, inner)).join(',\n')}\n${indent}]`
  const items = Object.entries(v).map(([k, x]) => `${inner}${JSON.stringify(k)}: ${formatJson(x, inner)}`)
  return `{\n${items.join(',\n')}\n${indent}}`
}

function inline(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(inline).join(', ')}]`
  if (v && typeof v === 'object')
    return `{ ${Object.entries(v)
      .map(([k, x]) => `${JSON.stringify(k)}: ${inline(x)}`)
      .join(', ')} }`
  return JSON.stringify(v)
}

const oneLine = (s: string) => s.replace(/[\r\n\u2028\u2029]+/g, ' ')
