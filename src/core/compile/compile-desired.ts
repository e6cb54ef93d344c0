// compileDesired: routes → the owner's desired NEGs, backend services and URL-map rules (DESIGN.md §3).
// Pure: everything learned from live APIs (Cloud Run hosts, forwarding-rule IPs) comes in `resolved`.
import type { BackendService, HttpRouteAction, NetworkEndpoint, NetworkEndpointGroup } from '../compute.js'
import type { Route, RoutesConfig, Target } from '../routes/model.js'
import { compileFrontend } from './frontend.js'
import { backendServiceRef, canonicalRef, globalNegRef, regionNegRef } from '../google-semantics/refs.js'
import type {
  DesiredBackendService,
  DesiredHost,
  DesiredNeg,
  DesiredPathRule,
  DesiredState
} from './model.js'
import { ownerMarker } from './markers.js'
import { resourceName } from './naming.js'

/** Facts read from live APIs that compilation needs; anything missing is reported in `unresolved`. */
export interface Resolutions {
  /** Cloud Run service host (from the service's `uri`) by `project/region/service`. */
  readonly cloudRunHosts: Readonly<Record<string, string>>
  /** IP address of a global forwarding rule by `project/name`. */
  readonly forwardingRuleIps: Readonly<Record<string, string>>
}

export const NO_RESOLUTIONS: Resolutions = { cloudRunHosts: {}, forwardingRuleIps: {} }

export interface CompileResult {
  readonly desired: DesiredState
  /** Targets that could not be resolved (placeholders were used); a plan with any is an error. */
  readonly unresolved: readonly { readonly route: string; readonly what: string }[]
  /** Things the plan should say (e.g. settings that do not apply in shared mode). */
  readonly notes: readonly string[]
}

/** cloudRunKey is the Resolutions key of a Cloud Run service. */
export function cloudRunKey(project: string, region: string, service: string): string {
  return `${project}/${region}/${service}`
}

/** targetHost returns the FQDN or IP a target's Internet NEG endpoint points at (undefined for serverless). */
function endpointOf(
  route: Route,
  resolved: Resolutions,
  unresolved: { route: string; what: string }[]
): { fqdn?: string; ip?: string; port: number } | undefined {
  const t = route.target
  switch (t.kind) {
    case 'cloudRun': {
      if ('url' in t) return { fqdn: new URL(t.url).hostname, port: 443 }
      const key = cloudRunKey(t.project, t.region, t.service)
      const host = resolved.cloudRunHosts[key]
      if (!host) unresolved.push({ route: route.name, what: `Cloud Run service ${key}` })
      return { fqdn: host ?? `${t.service}.${t.region}.${t.project}.unresolved.run.app`, port: 443 }
    }
    case 'internet':
      return t.fqdn ? { fqdn: t.fqdn, port: t.port } : { ip: t.ip, port: t.port }
    case 'loadBalancer': {
      if ('domain' in t) return { fqdn: t.domain, port: t.port }
      const key = `${t.project}/${t.forwardingRule}`
      const ip = resolved.forwardingRuleIps[key]
      if (!ip) unresolved.push({ route: route.name, what: `forwarding rule ${key}` })
      return { ip: ip ?? '192.0.2.1', port: t.port }
    }
    case 'serverless':
      return undefined
  }
}

/** Where a target's backend service lives: the target project for cross-project serverless, else the LB project. */
function backendProject(target: Target, lbProject: string): string {
  return target.kind === 'serverless' ? target.project : lbProject
}

/** Header line that makes Cloud Run's shared front end pick the right service (technique §1.1). */
function hostHeaderOf(route: Route, endpoint: { fqdn?: string } | undefined): string | undefined {
  const t = route.target
  if (t.kind === 'cloudRun') return endpoint?.fqdn
  if (t.kind === 'internet' || t.kind === 'loadBalancer') return 'hostHeader' in t ? t.hostHeader : undefined
  return undefined
}

function backendBody(
  name: string,
  description: string,
  route: Route | undefined,
  scheme: string,
  protocol: string,
  groups: readonly string[],
  headers: readonly string[],
  serverless: boolean
): BackendService {
  const bs: BackendService = {
    name,
    description,
    protocol,
    loadBalancingScheme: scheme,
    backends: groups.map((group) => ({ group }))
  }
  if (headers.length > 0) bs.customRequestHeaders = [...headers]
  const s = route?.backend
  // Compute rejects timeoutSec on serverless-NEG backend services (gce-api.md §4.3).
  if (!serverless && s?.timeoutSec !== undefined) bs.timeoutSec = s.timeoutSec
  if (s?.enableCdn !== undefined) bs.enableCDN = s.enableCdn
  if (s?.logSampleRate !== undefined) bs.logConfig = { enable: true, sampleRate: s.logSampleRate }
  return bs
}

function internetNeg(
  project: string,
  name: string,
  description: string,
  endpoint: { fqdn?: string; ip?: string; port: number },
  routes: readonly string[]
): DesiredNeg {
  const resource: NetworkEndpointGroup = {
    name,
    description,
    networkEndpointType: endpoint.fqdn ? 'INTERNET_FQDN_PORT' : 'INTERNET_IP_PORT',
    defaultPort: endpoint.port
  }
  const ep: NetworkEndpoint = endpoint.fqdn
    ? { fqdn: endpoint.fqdn, port: endpoint.port }
    : { ipAddress: endpoint.ip, port: endpoint.port }
  return { project, name, resource, endpoint: ep, routes }
}

/**
 * rewriteFor returns the route action for one path pattern. `/p/*` rules replace the matched `/p/`, so a
 * pathPrefix without a trailing slash would glue segments together (`/v1/x` → `/apix`); lb-routes adds the
 * slash for wildcard rules so `prefix: /v1, rewrite: /api` means `/v1/x` → `/api/x` (gce-api.md §8.5).
 */
function routeActionFor(
  path: string,
  route: Route,
  hostRewrite: string | undefined
): HttpRouteAction | undefined {
  const prefix = route.rewrite?.pathPrefix
  const host = route.rewrite?.host ?? hostRewrite
  if (prefix === undefined && host === undefined) return undefined
  const urlRewrite: { pathPrefixRewrite?: string; hostRewrite?: string } = {}
  if (prefix !== undefined) {
    urlRewrite.pathPrefixRewrite = path.endsWith('/*') && !prefix.endsWith('/') ? `${prefix}/` : prefix
  }
  if (host !== undefined) urlRewrite.hostRewrite = host
  return { urlRewrite }
}

/** pathRulesFor groups a route's paths by their effective route action (one path rule per distinct action). */
function pathRulesFor(route: Route, service: string, hostRewrite: string | undefined): DesiredPathRule[] {
  const groups = new Map<string, { paths: string[]; routeAction?: HttpRouteAction }>()
  for (const path of route.paths) {
    const routeAction = routeActionFor(path, route, hostRewrite)
    const key = JSON.stringify(routeAction ?? null)
    const g = groups.get(key) ?? { paths: [], routeAction }
    g.paths.push(path)
    groups.set(key, g)
  }
  return [...groups.values()].map((g) => ({
    paths: g.paths,
    service,
    ...(g.routeAction ? { routeAction: g.routeAction } : {}),
    route: route.name
  }))
}

// What compilation builds up, route by route; Maps keep first-insertion order, which is the output order.
interface Build {
  readonly config: RoutesConfig
  readonly resolved: Resolutions
  readonly negs: Map<string, DesiredNeg>
  readonly backends: Map<string, DesiredBackendService>
  /** Backend service reference of each route, and the Host rewrite of routes on the shared backend. */
  readonly routeServices: Record<string, string>
  readonly hostRewrites: Record<string, string | undefined>
  readonly unresolved: { route: string; what: string }[]
  readonly notes: string[]
}

/** compileDesired turns a validated RoutesConfig into the owner's DesiredState. */
export function compileDesired(config: RoutesConfig, resolved: Resolutions = NO_RESOLUTIONS): CompileResult {
  const build: Build = {
    config,
    resolved,
    negs: new Map(),
    backends: new Map(),
    // Keyed by route name: no prototype, so a route named `constructor` is a name like any other.
    routeServices: Object.create(null) as Record<string, string>,
    hostRewrites: Object.create(null) as Record<string, string | undefined>,
    unresolved: [],
    notes: []
  }
  compileSharedBackend(build)
  for (const route of config.routes)
    if (!Object.hasOwn(build.routeServices, route.name)) compileRouteBackend(build, route)
  const frontend = compileFrontend(config)
  return {
    desired: {
      owner: config.owner,
      loadBalancer: config.loadBalancer,
      negs: [...build.negs.values()],
      backendServices: [...build.backends.values()],
      rules: compileRules(config, build.routeServices, build.hostRewrites),
      routeServices: build.routeServices,
      ...(frontend !== undefined ? { frontend } : {})
    },
    unresolved: build.unresolved,
    notes: build.notes
  }
}

// options.sharedCloudRunBackend: every cloudRun route with paths goes through one NEG and backend service.
function compileSharedBackend(build: Build): void {
  const { config, resolved, unresolved } = build
  const { owner, loadBalancer: lb } = config
  const sharedRoutes = config.sharedCloudRunBackend
    ? config.routes.filter((r) => r.target.kind === 'cloudRun' && r.paths.length > 0 && !r.default)
    : []
  if (sharedRoutes.length === 0) return
  const endpoints = sharedRoutes.map((r) => ({ route: r, ep: endpointOf(r, resolved, unresolved)! }))
  // The shared NEG points at one real *.run.app host: every run.app name lands on the same front end and
  // the wildcard certificate matches (gce-api.md §10.3); the Host is then set per path rule.
  const anchor = endpoints.map((e) => e.ep.fqdn!).sort()[0]!
  const names = sharedRoutes.map((r) => r.name)
  const negName = resourceName([owner, 'shared-run'], 'neg', [owner, lb.project, anchor])
  build.negs.set(
    negName,
    internetNeg(lb.project, negName, ownerMarker(owner, names), { fqdn: anchor, port: 443 }, names)
  )
  const bsName = resourceName([owner, 'shared-run'], 'bs', [owner, lb.project, 'shared-cloud-run'])
  const groups = [globalNegRef(lb.project, negName)]
  build.backends.set(bsName, {
    project: lb.project,
    name: bsName,
    resource: backendBody(
      bsName,
      ownerMarker(owner, names),
      undefined,
      lb.scheme,
      'HTTPS',
      groups,
      [],
      false
    ),
    routes: names
  })
  for (const { route, ep } of endpoints) {
    build.routeServices[route.name] = backendServiceRef(lb.project, bsName)
    build.hostRewrites[route.name] = ep.fqdn
    const b = route.backend
    if (
      b.timeoutSec !== undefined ||
      b.enableCdn !== undefined ||
      b.logSampleRate !== undefined ||
      b.securityPolicy ||
      b.requestHeaders?.length
    ) {
      build.notes.push(
        `route ${route.name}: backend settings (timeoutSec, enableCdn, logSampleRate, securityPolicy, requestHeaders) do not apply with options.sharedCloudRunBackend; the shared backend service uses defaults`
      )
    }
  }
}

// A route's own NEG(s) and backend service.
function compileRouteBackend(build: Build, route: Route): void {
  const { owner, loadBalancer: lb } = build.config
  const t = route.target
  const project = backendProject(t, lb.project)
  const bsName = resourceName([owner, route.name], 'bs', [owner, route.name, t.kind, project])
  const marker = ownerMarker(owner, [route.name])
  const endpoint = endpointOf(route, build.resolved, build.unresolved)
  const serverless = t.kind === 'serverless'
  const groups =
    t.kind === 'serverless'
      ? serverlessNegs(build, route, t, marker)
      : [internetNegFor(build, route, endpoint!, marker)]
  const protocol = t.kind === 'cloudRun' || t.kind === 'serverless' ? 'HTTPS' : t.protocol
  const hostHeader = hostHeaderOf(route, endpoint)
  const headers = [...(hostHeader ? [`Host: ${hostHeader}`] : []), ...(route.backend.requestHeaders ?? [])]
  build.backends.set(`${project}/${bsName}`, {
    project,
    name: bsName,
    resource: backendBody(bsName, marker, route, lb.scheme, protocol, groups, headers, serverless),
    ...(route.backend.securityPolicy
      ? { securityPolicy: canonicalRef(securityPolicyPath(route.backend.securityPolicy), lb.project) }
      : {}),
    routes: [route.name]
  })
  build.routeServices[route.name] = backendServiceRef(project, bsName)
}

// One serverless NEG per region, in the target's project; returns their references.
function serverlessNegs(
  build: Build,
  route: Route,
  t: Extract<Target, { kind: 'serverless' }>,
  marker: string
): string[] {
  const { owner } = build.config
  return t.regions.map((region) => {
    const name = resourceName([owner, route.name, region], 'sneg', [owner, t.project, region, t.service])
    build.negs.set(`${region}/${name}`, {
      project: t.project,
      region,
      name,
      resource: {
        name,
        description: marker,
        networkEndpointType: 'SERVERLESS',
        cloudRun: { service: t.service }
      },
      routes: [route.name]
    })
    return regionNegRef(t.project, region, name)
  })
}

// One Internet NEG in the load balancer's project; returns its reference.
function internetNegFor(
  build: Build,
  route: Route,
  ep: { fqdn?: string; ip?: string; port: number },
  marker: string
): string {
  const { owner, loadBalancer: lb } = build.config
  const negName = resourceName([owner, route.name], 'neg', [
    owner,
    lb.project,
    ep.fqdn ?? ep.ip ?? '',
    String(ep.port)
  ])
  build.negs.set(negName, internetNeg(lb.project, negName, marker, ep, [route.name]))
  return globalNegRef(lb.project, negName)
}

// URL-map part: one entry per host pattern (sorted), path rules in route order; a default on "*" is the
// owner's URL-map-level default.
function compileRules(
  config: RoutesConfig,
  routeServices: Readonly<Record<string, string>>,
  hostRewrites: Readonly<Record<string, string | undefined>>
): DesiredState['rules'] {
  const hosts = new Map<
    string,
    { defaultService?: string; defaultRoute?: string; pathRules: DesiredPathRule[] }
  >()
  let defaultService: string | undefined
  let defaultRoute: string | undefined
  for (const route of config.routes) {
    const service = routeServices[route.name]!
    for (const host of route.hosts) {
      const h = hosts.get(host) ?? { pathRules: [] }
      if (route.paths.length > 0) h.pathRules.push(...pathRulesFor(route, service, hostRewrites[route.name]))
      if (route.default && host === '*') {
        defaultService = service
        defaultRoute = route.name
      } else if (route.default) {
        h.defaultService = service
        h.defaultRoute = route.name
      }
      if (h.pathRules.length > 0 || h.defaultService) hosts.set(host, h)
    }
  }
  const desiredHosts: DesiredHost[] = [...hosts.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([host, h]) => ({ host, ...h }))
  return { ...(defaultService ? { defaultService, defaultRoute } : {}), hosts: desiredHosts }
}

/** securityPolicyPath accepts a policy name or reference and returns a Compute reference path. */
function securityPolicyPath(policy: string): string {
  return policy.includes('/') ? policy : `global/securityPolicies/${policy}`
}
