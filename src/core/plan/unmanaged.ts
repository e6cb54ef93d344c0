// Unmanaged stays unmanaged (DESIGN.md §4): no owner adds rules, or a default, into a path matcher that no
// lb-routes owner created. A path (or default) the hand-built matcher already routes is not an addition:
// the merge's holder check decides it (the same backend is kept in place, as adoption needs; another
// backend is a conflict naming its holder, with the hint to adopt).
import type { PathMatcher, UrlMap } from '../compute.js'
import type { DesiredHost } from '../compile/model.js'
import { markerOwner } from '../compile/markers.js'

/** A claim refused because the host's path matcher is hand-built. */
export interface UnmanagedClaim {
  readonly path: string
  readonly route?: string
}

/**
 * unmanagedClaims splits a host's desired rules for matcher `pm`: what the merge may go on with, and the
 * new paths (and a new default) refused because `pm` has no lb-routes marker. What the matcher routes is
 * read from the live map (`live`, before the owner's own rules were taken out), where a matcher default
 * equal to the URL map default is no declared default, so claiming it adds one.
 */
export function unmanagedClaims(
  pm: PathMatcher,
  live: UrlMap | undefined,
  dh: DesiredHost,
  canon: (s: string | null | undefined) => string,
  owned: (s: string | null | undefined) => boolean
): { allowed: DesiredHost; refused: UnmanagedClaim[] } {
  if (markerOwner(pm.description) !== undefined) return { allowed: dh, refused: [] }
  const before = (live?.pathMatchers ?? []).find((m) => m.name === pm.name)
  if (before && adoptedWhole(before, live, canon, owned)) return { allowed: dh, refused: [] }
  const routed = new Set((before?.pathRules ?? []).flatMap((r) => r.paths ?? []))
  const refused: UnmanagedClaim[] = []
  const pathRules = dh.pathRules.flatMap((rule) => {
    const paths = rule.paths.filter((p) => routed.has(p))
    for (const p of rule.paths) if (!routed.has(p)) refused.push({ path: p, route: rule.route })
    return paths.length > 0 ? [{ ...rule, paths }] : []
  })
  const current = canon(before?.defaultService)
  const newDefault = dh.defaultService !== undefined && (!current || current === canon(live?.defaultService))
  if (newDefault) refused.push({ path: '(default)', ...(dh.defaultRoute ? { route: dh.defaultRoute } : {}) })
  const { defaultService: _d, defaultRoute: _r, ...rest } = dh
  const allowed: DesiredHost = newDefault ? { ...rest, pathRules } : { ...dh, pathRules }
  return { allowed, refused }
}

/**
 * adoptedWhole tells whether the owner has adopted everything a hand-built matcher routes (every rule's
 * backend and its declared default): then nobody else's requests are in it, and it is the owner's to extend.
 */
function adoptedWhole(
  pm: PathMatcher,
  live: UrlMap | undefined,
  canon: (s: string | null | undefined) => string,
  owned: (s: string | null | undefined) => boolean
): boolean {
  if ((pm.routeRules ?? []).length > 0 || pm.defaultUrlRedirect) return false
  const rules = pm.pathRules ?? []
  const declared = canon(pm.defaultService) !== canon(live?.defaultService)
  if (rules.length === 0 && !declared) return false
  return rules.every((r) => owned(r.service)) && (!declared || owned(pm.defaultService))
}
