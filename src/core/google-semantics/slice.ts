// Slices of a URL map that route a set of requests exactly as the whole map does. urlMaps.validate takes
// at most 100 tests per call, so a large map is validated in many calls; sending the whole map (about
// 1 MB at 5,000 routes) with each batch makes those calls cost more than the write they guard.
import type { PathMatcher, PathRule, UrlMap } from '../compute.js'
import { matchHostRule, splitPath } from './evaluate.js'

/** A request a slice must route as the whole map does. */
export interface SliceRequest {
  readonly host: string
  readonly path: string
}

/** pathIndex lists a batch's paths and every prefix of them that ends in "/" (what a `/x/*` rule consumes). */
function pathIndex(paths: readonly string[]): { exact: Set<string>; prefixes: Set<string> } {
  const exact = new Set(paths)
  const prefixes = new Set<string>()
  for (const path of paths) {
    for (let i = path.indexOf('/'); i >= 0; i = path.indexOf('/', i + 1)) prefixes.add(path.slice(0, i + 1))
  }
  return { exact, prefixes }
}

/**
 * sliceUrlMap keeps every top-level field of `map` but only the host rules that win for the requests'
 * hosts, their path matchers, and of those matchers' path rules only the ones with a pattern matching
 * one of the requests' paths. Invariant: each request resolves in the slice exactly as in `map` — the
 * winning host rule is kept and no kept rule could beat it, and every path rule that matches is kept,
 * so the longest match is the same. Matchers with routeRules are kept whole (their order is priority).
 * The slice says nothing about whether the whole map loads: validate that once on its own.
 */
export function sliceUrlMap(
  map: UrlMap,
  requests: readonly SliceRequest[],
  scheme: 'EXTERNAL' | 'EXTERNAL_MANAGED'
): UrlMap {
  const hostRules = map.hostRules ?? []
  const pathsByMatcher = new Map<string, string[]>()
  const keptRules = new Set<number>()
  for (const req of requests) {
    const i = matchHostRule(map, req.host, scheme)
    if (i === undefined) continue
    keptRules.add(i)
    const matcher = hostRules[i]?.pathMatcher ?? ''
    const paths = pathsByMatcher.get(matcher) ?? []
    paths.push(splitPath(req.path).path)
    pathsByMatcher.set(matcher, paths)
  }
  const keepRule = (rule: PathRule, index: ReturnType<typeof pathIndex>) =>
    (rule.paths ?? []).some((pattern) =>
      pattern.endsWith('/*') ? index.prefixes.has(pattern.slice(0, -1)) : index.exact.has(pattern)
    )
  const pathMatchers: PathMatcher[] = []
  for (const pm of map.pathMatchers ?? []) {
    const paths = pathsByMatcher.get(pm.name ?? '')
    if (!paths) continue
    if ((pm.routeRules ?? []).length > 0 || !pm.pathRules) pathMatchers.push(pm)
    else {
      const index = pathIndex(paths)
      pathMatchers.push({ ...pm, pathRules: pm.pathRules.filter((r) => keepRule(r, index)) })
    }
  }
  return {
    ...map,
    hostRules: hostRules.filter((_, i) => keptRules.has(i)),
    pathMatchers
  }
}
