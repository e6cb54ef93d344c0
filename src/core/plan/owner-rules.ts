// The inverse of the merge: one owner's part of a URL map (its path rules and defaults), read back out of a
// whole map as the OwnerRules that mergeUrlMap puts in. Ownership is by backend service (DESIGN.md §4), so
// a rule belongs to the owner exactly when its service is one the owner owns.
import type { PathRule, UrlMap } from '../compute.js'
import { starMatcher } from './star-rules.js'
import type { DesiredHost, DesiredPathRule, OwnerRules } from '../compile/model.js'
import { canonicalRef, refName } from '../google-semantics/refs.js'

type Mutable<T> = { -readonly [K in keyof T]: T[K] }

/**
 * ownerRulesFromMap extracts the rules of `map` whose service is in `ownedServices` (canonical URLs): the
 * URL map default, each host's path rules (with their routeAction) and each host's own default (a matcher
 * default that differs from the map default). A host rule listing several hosts shares one matcher, so its
 * rules are given under the first host only (mergeUrlMap finds the same matcher for all of them). Route
 * names are unknown in a bare map; the backend service's name stands in for them (display only).
 */
export function ownerRulesFromMap(
  map: UrlMap | null | undefined,
  ownedServices: ReadonlySet<string>,
  project: string
): OwnerRules {
  if (!map) return { hosts: [] }
  const canon = (s: string | null | undefined) => (s ? canonicalRef(s, project) : '')
  const owned = (s: string | null | undefined) => ownedServices.has(canon(s))
  const mapDefault = canon(map.defaultService)
  const hosts: Mutable<DesiredHost>[] = []
  // Copies of the owner's `*` rules in other matchers (star-rules.ts) are the `*` rules, not host rules.
  const star = starMatcher(map.hostRules ?? [], map.pathMatchers ?? [])
  const key = (p: string, r: PathRule) => JSON.stringify([p, canon(r.service), r.routeAction ?? null])
  const starKeys = new Set((star?.pathRules ?? []).flatMap((r) => (r.paths ?? []).map((p) => key(p, r))))
  for (const hr of map.hostRules ?? []) {
    const pm = (map.pathMatchers ?? []).find((m) => m.name === hr.pathMatcher)
    const host = (hr.hosts ?? [])[0]?.toLowerCase()
    if (!pm || !host) continue
    const own = (r: PathRule) => (r.paths ?? []).filter((p) => pm === star || !starKeys.has(key(p, r)))
    const pathRules: DesiredPathRule[] = (pm.pathRules ?? [])
      .filter((r) => owned(r.service) && own(r).length > 0)
      .map((r) => ({
        paths: own(r),
        service: canon(r.service),
        ...(r.routeAction ? { routeAction: r.routeAction } : {}),
        route: refName(canon(r.service))
      }))
    const d = canon(pm.defaultService)
    const ownDefault = owned(d) && d !== mapDefault
    if (pathRules.length === 0 && !ownDefault) continue
    hosts.push({
      host,
      pathRules,
      ...(ownDefault ? { defaultService: d, defaultRoute: refName(d) } : {})
    })
  }
  return {
    ...(owned(mapDefault) ? { defaultService: mapDefault, defaultRoute: refName(mapDefault) } : {}),
    hosts
  }
}
