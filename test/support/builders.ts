// Test builders for the planner's steps: a routes.json document parsed into a RoutesConfig (so `at`
// positions are real), a LiveState with sensible empty defaults, and `applyPlan`, which turns a plan's
// `after` bodies into the live state Compute would then report — enough to plan again against it.
import type { BackendService, NetworkEndpoint, NetworkEndpointGroup, UrlMap } from '../../src/core/compute.js'
import { compileDesired, type Resolutions } from '../../src/core/compile/compile-desired.js'
import { ownerMarker } from '../../src/core/compile/markers.js'
import { formatDiagnostic, hasErrors } from '../../src/core/diagnostics.js'
import { buildPlan, planContext, type BuildPlanResult } from '../../src/core/plan/build-plan.js'
import type { BuildPlanInput, PlanContext } from '../../src/core/plan/context.js'
import type { LiveState } from '../../src/core/plan/live.js'
import type { Plan, ResourceChange } from '../../src/core/plan/model.js'
import type { Route, RoutesConfig, Target } from '../../src/core/routes/model.js'
import { parseRoutes } from '../../src/core/routes/parse.js'

export const LB_PROJECT = 'edge-prod'
export const URL_MAP = 'edge'
export const OWNER = 'team-web'
export const NOW = new Date('2026-01-01T00:00:00Z')
const API = 'https://www.googleapis.com/compute/v1/'

/** A route of routes.json as written (the raw document form). */
export type RouteDoc = Record<string, unknown> & { name: string }

/** routesDoc is a routes.json document for OWNER on the shared edge map; `over` replaces top-level keys. */
export function routesDoc(routes: readonly RouteDoc[], over: Record<string, unknown> = {}) {
  return {
    version: 1,
    owner: OWNER,
    loadBalancer: { project: LB_PROJECT, urlMap: URL_MAP, scheme: 'EXTERNAL_MANAGED' },
    allowedInternetHosts: ['*.example.net'],
    routes,
    ...over
  }
}

/** routesConfig parses a routes document (pretty-printed, one key per line); it throws on errors. */
export function routesConfig(
  routes: readonly RouteDoc[] = [cloudRunRoute('hello', { paths: ['/hello/*'] })],
  over: Record<string, unknown> = {}
): RoutesConfig {
  const parsed = parseRoutes(JSON.stringify(routesDoc(routes, over), null, 2), { file: 'routes.json' })
  if (!parsed.config || hasErrors(parsed.diagnostics))
    throw new Error(parsed.diagnostics.map(formatDiagnostic).join('\n'))
  return parsed.config
}

/** cloudRunRoute is a route to a Cloud Run service by URL (no resolution needed), on host "*" by default. */
export function cloudRunRoute(name: string, fields: Record<string, unknown> = {}): RouteDoc {
  return { name, to: { cloudRun: { url: `https://${name}-3abc-ew.a.run.app` } }, ...fields }
}

export const selfLink = (path: string) => `${API}projects/${path}`

/** lbDefaultMap is the shared URL map the load balancer owner built: a default service nobody here owns. */
export function lbDefaultMap(over: Partial<UrlMap> = {}): UrlMap {
  return {
    name: URL_MAP,
    selfLink: selfLink(`${LB_PROJECT}/global/urlMaps/${URL_MAP}`),
    fingerprint: 'fp-0',
    defaultService: selfLink(`${LB_PROJECT}/global/backendServices/lb-default`),
    hostRules: [],
    pathMatchers: [],
    ...over
  }
}

/** liveState is a load balancer with only lbDefaultMap; `over` replaces whole collections. */
export function liveState(over: Partial<LiveState> = {}): LiveState {
  return {
    urlMap: lbDefaultMap(),
    backendServices: [],
    globalNegs: [],
    regionNegs: [],
    runServices: {},
    ...over
  }
}

/** backendService is a live backend service; `owner` marks it (with `routes`), else it is hand-built. */
export function backendService(
  name: string,
  opts: { owner?: string; routes?: string[]; groups?: string[]; project?: string } = {}
): BackendService {
  const project = opts.project ?? LB_PROJECT
  return {
    name,
    selfLink: selfLink(`${project}/global/backendServices/${name}`),
    ...(opts.owner ? { description: ownerMarker(opts.owner, opts.routes ?? []) } : {}),
    protocol: 'HTTPS',
    loadBalancingScheme: 'EXTERNAL_MANAGED',
    backends: (opts.groups ?? []).map((group) => ({ group })),
    timeoutSec: 30
  }
}

/** planInput compiles the config (with `resolved`) for buildPlan. */
export function planInput(
  config: RoutesConfig,
  live: LiveState,
  opts: { adopt?: boolean; resolved?: Resolutions } = {}
): BuildPlanInput {
  const compiled = compileDesired(config, opts.resolved)
  return { config, compiled, live, now: NOW, ...(opts.adopt ? { adopt: true } : {}) }
}

/** contextFor runs the structural steps (what every plan check receives). */
export function contextFor(
  config: RoutesConfig,
  live: LiveState,
  opts: { adopt?: boolean; resolved?: Resolutions } = {}
): PlanContext {
  return planContext(planInput(config, live, opts))
}

/** plan runs buildPlan on the config against the live state. */
export function plan(
  config: RoutesConfig,
  live: LiveState,
  opts: { adopt?: boolean; resolved?: Resolutions } = {}
): BuildPlanResult {
  return buildPlan(planInput(config, live, opts))
}

/** summary lists changes as `action key` lines, in plan order. */
export const summary = (changes: readonly ResourceChange[]) => changes.map((c) => `${c.action} ${c.key}`)

const linkOf = (c: ResourceChange) => {
  const { kind, project, region, name } = c.address
  const collection =
    kind === 'regionNetworkEndpointGroup' || kind === 'globalNetworkEndpointGroup'
      ? 'networkEndpointGroups'
      : kind === 'backendService'
        ? 'backendServices'
        : 'urlMaps'
  return selfLink(`${project}/${region ? `regions/${region}` : 'global'}/${collection}/${name}`)
}

/**
 * applyPlan is what Compute would report after the plan's NEG, backend-service and URL-map changes: the
 * `after` bodies stored with a selfLink (a NEG's size is its endpoints), deletes removed, a new fingerprint.
 */
export function applyPlan(live: LiveState, p: Plan): LiveState {
  let { globalNegs, regionNegs, backendServices, urlMap } = live
  const drop = <T extends { selfLink?: string | null }>(xs: readonly T[], c: ResourceChange) =>
    xs.filter((x) => x.selfLink !== linkOf(c))
  for (const c of p.changes) {
    const link = linkOf(c)
    const after = c.after as Record<string, unknown> | undefined
    switch (c.address.kind) {
      case 'globalNetworkEndpointGroup':
      case 'regionNetworkEndpointGroup': {
        const global = c.address.kind === 'globalNetworkEndpointGroup'
        const list = global ? globalNegs : regionNegs
        const old = list.find((n) => n.selfLink === link)
        const rest = drop(list, c)
        if (c.action === 'delete' || c.action === 'adopt') {
          if (c.action === 'adopt' && old) rest.push(old)
        } else {
          const endpoints = (after?.networkEndpoints as unknown[] | undefined) ?? []
          const neg: NetworkEndpointGroup = {
            ...(old ?? {}),
            ...(c.action === 'update' ? {} : after),
            selfLink: link,
            size: endpoints.length || (old?.size ?? 0)
          }
          delete (neg as Record<string, unknown>).networkEndpoints
          rest.push(neg)
        }
        if (global) globalNegs = rest
        else regionNegs = rest
        break
      }
      case 'backendService':
        backendServices = drop(backendServices, c)
        if (c.action !== 'delete')
          backendServices = [...backendServices, { ...(after as BackendService), selfLink: link }]
        break
      case 'urlMap':
        urlMap = { ...(after as UrlMap), selfLink: link, fingerprint: `fp-${p.planId}` }
        break
      default:
        throw new Error(`applyPlan: ${c.address.kind} is not simulated`)
    }
  }
  return { ...live, globalNegs, regionNegs, backendServices, ...(urlMap ? { urlMap } : {}) }
}

/**
 * handBuilt is the console-built equivalent of the config's resources: the same NEGs and backend services
 * under other names (`hand-…`), without lb-routes markers, with the Internet NEGs' endpoints readable.
 */
export function handBuilt(config: RoutesConfig, live: LiveState = liveState()): LiveState {
  const first = plan(config, live).plan!
  const built = applyPlan(live, first)
  const rename = (name: string | null | undefined) => (name ?? '').replace(/^lbr-team-web-/, 'hand-')
  const relink = (link: string | null | undefined) =>
    (link ?? '').replace(/\/lbr-team-web-([^/]+)$/, '/hand-$1')
  const unmark = <T extends { name?: string | null; selfLink?: string | null }>(r: T): T => {
    const { description: _d, ...rest } = r as T & { description?: string }
    return { ...(rest as T), name: rename(r.name), selfLink: relink(r.selfLink) }
  }
  const endpoints = Object.fromEntries(
    first.changes
      .filter((c) => c.address.kind === 'globalNetworkEndpointGroup')
      .map((c) => [
        rename(c.address.name),
        (c.after as { networkEndpoints: NetworkEndpoint[] }).networkEndpoints
      ])
  )
  return {
    ...live,
    globalNegs: built.globalNegs.map(unmark),
    regionNegs: built.regionNegs.map(unmark),
    backendServices: built.backendServices.map((b) => ({
      ...unmark(b),
      backends: (b.backends ?? []).map((g) => ({ group: relink(g.group) }))
    })),
    negEndpoints: endpoints
  }
}

/** modelRoute builds a normalised Route directly (no parsing): `/NAME` and `/NAME/*` on every host. */
export function modelRoute(name: string, target: Target, extra: Partial<Route> = {}): Route {
  return {
    name,
    hosts: ['*'],
    paths: [`/${name}`, `/${name}/*`],
    default: false,
    target,
    backend: {},
    at: { line: 1, column: 1 },
    ...extra
  }
}

/** modelConfig builds a normalised RoutesConfig of team-web on edge-prod/edge around `routes`. */
export function modelConfig(routes: Route[], extra: Partial<RoutesConfig> = {}): RoutesConfig {
  return {
    version: 1,
    owner: 'team-web',
    loadBalancer: { project: 'edge-prod', urlMap: 'edge', scheme: 'EXTERNAL_MANAGED' },
    allowedInternetHosts: [],
    sharedCloudRunBackend: false,
    routes,
    tests: [],
    ...extra
  }
}
