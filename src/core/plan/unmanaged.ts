// Unmanaged stays unmanaged (DESIGN.md §4): no owner adds rules, or a default, into a path matcher that no
// lb-routes owner created. The one exception keeps adoption working: a rule (or default) that is already
// there, routing the same path to the same backend, may stay where it is.
import type { PathMatcher, UrlMap } from '../compute.js'
import type { DesiredHost } from '../compile/model.js'
import { markerOwner } from '../compile/markers.js'

/** A claim refused because the host's path matcher is hand-built. */
export interface UnmanagedClaim {
  readonly path: string
  readonly route?: string
}

/**
 * unmanagedClaims splits a host's desired rules for matcher `pm`: what may go in, and what is refused
 * because `pm` has no lb-routes marker and the live matcher does not already route it the same way.
 */
export function unmanagedClaims(
  pm: PathMatcher,
  live: UrlMap | undefined,
  dh: DesiredHost,
  canon: (s: string | null | undefined) => string
): { allowed: DesiredHost; refused: UnmanagedClaim[] } {
  if (markerOwner(pm.description) !== undefined) return { allowed: dh, refused: [] }
  const before = (live?.pathMatchers ?? []).find((m) => m.name === pm.name)
  const already = new Set(
    (before?.pathRules ?? []).flatMap((r) => (r.paths ?? []).map((p) => `${p}\0${canon(r.service)}`))
  )
  const refused: UnmanagedClaim[] = []
  const pathRules = dh.pathRules.flatMap((rule) => {
    const paths = rule.paths.filter((p) => already.has(`${p}\0${canon(rule.service)}`))
    for (const p of rule.paths) if (!paths.includes(p)) refused.push({ path: p, route: rule.route })
    return paths.length > 0 ? [{ ...rule, paths }] : []
  })
  const keepDefault = dh.defaultService && canon(before?.defaultService) === canon(dh.defaultService)
  if (dh.defaultService && !keepDefault)
    refused.push({ path: '(default)', ...(dh.defaultRoute ? { route: dh.defaultRoute } : {}) })
  const { defaultService: _d, defaultRoute: _r, ...rest } = dh
  const allowed: DesiredHost = {
    ...rest,
    pathRules,
    ...(keepDefault ? { defaultService: dh.defaultService!, defaultRoute: dh.defaultRoute! } : {})
  }
  return { allowed, refused }
}
