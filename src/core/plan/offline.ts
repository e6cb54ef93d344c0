// Offline view of an owner's routes: the URL map they would produce on an otherwise empty load balancer.
// Used by `validate` and `explain --routes`, which must work without a Google account or network.
import type { UrlMap } from '../compute.js'
import { compileDesired, NO_RESOLUTIONS } from '../compile/compile-desired.js'
import type { DesiredState } from '../compile/model.js'
import type { RoutesConfig } from '../routes/model.js'
import { backendServiceRef, canonicalRef } from '../google-semantics/refs.js'
import { mergeUrlMap } from './merge-url-map.js'
import { routeTestCases, runRouteTests, type RouteTestFailure, type RouteTestCase } from './route-tests.js'

/** Stand-in for the URL map default a real load balancer owner would have set. */
export const OFFLINE_DEFAULT_BACKEND = 'lb-routes-url-map-default'

export interface OfflineView {
  readonly desired: DesiredState
  readonly map: UrlMap
  readonly cases: readonly RouteTestCase[]
  readonly failures: readonly RouteTestFailure[]
}

/** offlineView compiles routes with placeholder targets, merges them into an empty map and runs the route tests. */
export function offlineView(config: RoutesConfig): OfflineView {
  const { desired } = compileDesired(config, NO_RESOLUTIONS)
  const lb = config.loadBalancer
  const empty: UrlMap = {
    name: lb.urlMap,
    defaultService: desired.rules.defaultService ?? backendServiceRef(lb.project, OFFLINE_DEFAULT_BACKEND),
    hostRules: [],
    pathMatchers: []
  }
  const owned = new Set(Object.values(desired.routeServices))
  const merged = mergeUrlMap({
    owner: config.owner,
    project: lb.project,
    urlMapName: lb.urlMap,
    live: empty,
    rules: desired.rules,
    ownedServices: owned,
    serviceOwners: {}
  })
  const map = merged.map ?? empty
  const cases = routeTestCases(config, desired)
  return { desired, map, cases, failures: runRouteTests(map, cases, lb.project) }
}

/** routeForService finds which route a backend service reference belongs to. */
export function routeForService(desired: DesiredState, service: string | undefined): string | undefined {
  if (!service) return undefined
  const canon = canonicalRef(service, desired.loadBalancer.project)
  return Object.entries(desired.routeServices).find(([, s]) => s === canon)?.[0]
}
