// Route tests: the ones declared in routes.json plus one generated per host and path pattern, run offline
// with the evaluator and sent to urlMaps.validate as UrlMapTests (never written into the live map).
import type { UrlMap, UrlMapTest } from '../compute.js'
import type { DesiredState } from '../compile/model.js'
import type { Route, RoutesConfig } from '../routes/model.js'
import { compileUrlMap, splitPath } from '../google-semantics/evaluate.js'
import { canonicalRef, refName } from '../google-semantics/refs.js'

/** A route test with where it came from (declared tests point at routes.json; generated ones at their route). */
export interface RouteTestCase {
  readonly host: string
  readonly path: string
  readonly route: string
  /** Full URL of the backend service the request must reach. */
  readonly service: string
  /** Path the backend must receive (with a rewrite), without query. */
  readonly expectPath?: string
  readonly expectHost?: string
  /** Statuses a probe through the real load balancer may get (declared `expect.status`; default 200–399). */
  readonly expectStatus?: readonly number[]
  readonly origin: 'declared' | 'generated'
  readonly at: { readonly line: number; readonly column: number }
}

/** exampleHost picks a concrete request host for a host pattern. */
export function exampleHost(pattern: string): string {
  if (pattern === '*') return 'lb-routes-test.example'
  if (pattern.startsWith('*')) return `lb-routes-test${pattern.slice(1)}`
  return pattern
}

/** examplePath picks a concrete request path for a path pattern (`/x/*` → `/x/lb-routes-test`). */
export function examplePath(pattern: string): string {
  return pattern.endsWith('/*') ? `${pattern.slice(0, -1)}lb-routes-test` : pattern
}

/** rewrittenPath computes what the backend receives for a generated test, mirroring compile's rewrite rule. */
function rewrittenPath(route: Route, pattern: string, path: string): string | undefined {
  const prefix = route.rewrite?.pathPrefix
  if (prefix === undefined) return undefined
  if (pattern.endsWith('/*')) {
    const matched = pattern.slice(0, -1)
    return (prefix.endsWith('/') ? prefix : `${prefix}/`) + path.slice(matched.length)
  }
  return prefix
}

/** routeTestCases lists declared and generated tests for the owner's routes. */
export function routeTestCases(config: RoutesConfig, desired: DesiredState): RouteTestCase[] {
  const cases: RouteTestCase[] = []
  const byName = new Map(config.routes.map((r) => [r.name, r]))
  const hostRewrites = new Map<string, string>()
  for (const h of desired.rules.hosts) {
    for (const r of h.pathRules) {
      const rewrite = r.routeAction?.urlRewrite?.hostRewrite
      if (rewrite && !hostRewrites.has(r.route)) hostRewrites.set(r.route, rewrite)
    }
  }
  const hostRewrite = (route: string): string | undefined => hostRewrites.get(route)
  for (const t of config.tests) {
    const route = byName.get(t.expect.route)
    const service = Object.hasOwn(desired.routeServices, t.expect.route)
      ? desired.routeServices[t.expect.route]
      : undefined
    if (!route || !service) continue
    cases.push({
      host: t.host,
      path: t.path,
      route: route.name,
      service,
      ...(t.expect.path !== undefined ? { expectPath: t.expect.path } : {}),
      ...(t.expect.host !== undefined
        ? { expectHost: t.expect.host }
        : t.expect.path !== undefined && hostRewrite(route.name)
          ? { expectHost: hostRewrite(route.name) }
          : {}),
      ...(t.expect.status !== undefined ? { expectStatus: t.expect.status } : {}),
      origin: 'declared',
      at: t.at
    })
  }
  for (const route of config.routes) {
    const service = desired.routeServices[route.name]!
    for (const hostPattern of route.hosts) {
      const host = exampleHost(hostPattern)
      for (const pattern of route.paths) {
        const path = examplePath(pattern)
        const expectPath = rewrittenPath(route, pattern, path)
        const expectHost = hostRewrite(route.name)
        cases.push({
          host,
          path,
          route: route.name,
          service,
          ...(expectPath !== undefined ? { expectPath } : {}),
          ...(expectHost !== undefined ? { expectHost } : {}),
          origin: 'generated',
          at: route.at
        })
      }
      if (route.default && route.paths.length === 0) {
        cases.push({
          host,
          path: '/lb-routes-default-test',
          route: route.name,
          service,
          origin: 'generated',
          at: route.at
        })
      }
    }
  }
  return cases
}

/** A failed route test, in words. */
export interface RouteTestFailure {
  readonly test: RouteTestCase
  readonly message: string
}

/** runRouteTests evaluates every case on a (merged) URL map. */
export function runRouteTests(
  map: UrlMap,
  cases: readonly RouteTestCase[],
  project: string
): RouteTestFailure[] {
  const failures: RouteTestFailure[] = []
  const evaluate = compileUrlMap(map)
  for (const test of cases) {
    const r = evaluate({ host: test.host, path: test.path })
    const where = `${test.host}${test.path}`
    if (r.kind !== 'service') {
      failures.push({
        test,
        message: `${where} should reach route ${test.route} but ${r.kind === 'redirect' ? 'is redirected' : 'matches nothing'}`
      })
      continue
    }
    const actual = canonicalRef(r.service, project)
    if (actual !== test.service) {
      failures.push({
        test,
        message: `${where} should reach route ${test.route} (${refName(test.service)}) but reaches ${refName(actual)} (decided by ${r.matchedBy.rule})`
      })
    } else if (test.expectPath !== undefined && r.path !== test.expectPath) {
      failures.push({
        test,
        message: `${where} reaches route ${test.route} with path ${r.path}, expected ${test.expectPath}`
      })
    } else if (test.expectHost !== undefined && (r.host ?? test.host) !== test.expectHost) {
      failures.push({
        test,
        message: `${where} reaches route ${test.route} with host ${r.host ?? test.host}, expected ${test.expectHost}`
      })
    }
  }
  return failures
}

/** toUrlMapTests converts cases to Compute UrlMapTests for urlMaps.validate (expectedOutputUrl for rewrites). */
export function toUrlMapTests(cases: readonly RouteTestCase[]): UrlMapTest[] {
  return cases.map((t) => {
    const test: UrlMapTest = {
      description: `${t.origin} test for route ${t.route}`,
      host: t.host,
      path: t.path,
      service: t.service
    }
    if (t.expectPath !== undefined || t.expectHost !== undefined) {
      // "The expected output URL ... containing the scheme, host, path and query parameters"
      // (UrlMapTest.expectedOutputUrl): the backend receives the request's query, so the URL keeps it.
      const { path, query } = splitPath(t.path)
      test.expectedOutputUrl = `https://${t.expectHost ?? t.host}${t.expectPath ?? path}${query}`
    }
    return test
  })
}
