// Who holds a request (DESIGN.md §4.1): the owner of the backend the map sends it to, read from the
// backend's structured marker ("unmanaged" without one), and whether the request only falls to a catch-all.
import type { UrlMap } from '../compute.js'
import type { Resolution } from '../google-semantics/evaluate.js'
import { canonicalRef } from '../google-semantics/refs.js'
import type { TrafficEndpoint } from '../plan/model.js'
import { bareHost, type Scheme } from './probes.js'

export const UNMANAGED = 'unmanaged'
export const NOBODY = '(none)'

/** Owners of backend services by canonical URL: live markers, plus the planning owner's desired ones. */
export type ServiceOwners = ReadonlyMap<string, string>

/** endpointOf says who a resolution reaches; redirects are hand-made rules, so they are unmanaged. */
export function endpointOf(r: Resolution, owners: ServiceOwners, project: string): TrafficEndpoint {
  if (r.kind === 'none') return { owner: NOBODY, backend: null }
  if (r.kind === 'redirect') return { owner: UNMANAGED, backend: null }
  return { owner: owners.get(canonicalRef(r.service, project)) ?? UNMANAGED, backend: r.service }
}

/**
 * destinationKey identifies where a resolution goes, for deciding whether a request moved: the backend
 * (canonical) or the redirect target. A changed rewrite on the same backend is not a move (planId covers it).
 */
export function destinationKey(r: Resolution, project: string): string {
  if (r.kind === 'service') return `service ${canonicalRef(r.service, project)}`
  if (r.kind === 'redirect') return `redirect ${JSON.stringify(r.redirect)}`
  return 'none'
}

/**
 * isCatchAll tells whether a request reaches its destination only through a catch-all: the URL map
 * default, or the default of a matcher that serves the host through a wildcard pattern (`*.example.com`,
 * `*`), or a matcher default that is just the URL map default ("no declared default", DESIGN.md §4).
 */
export function isCatchAll(
  map: UrlMap | undefined,
  host: string,
  r: Resolution,
  project: string,
  scheme: Scheme
): boolean {
  if (!map) return true
  const source = r.matchedBy
  if (source.rule.startsWith('urlMap default')) return true
  if (source.rule !== 'pathMatcher default') return false
  if (r.kind === 'service' && map.defaultService) {
    if (canonicalRef(r.service, project) === canonicalRef(map.defaultService, project)) return true
  }
  const hosts = map.hostRules?.[source.hostRule ?? -1]?.hosts ?? []
  // Classic load balancers match the hostname only (evaluate.ts), so the port does not make it a wildcard.
  const norm = (x: string) => (scheme === 'EXTERNAL' ? bareHost(x.toLowerCase()) : x.toLowerCase())
  return !hosts.some((x) => norm(x) === norm(host))
}
