// `hosts: ["*"]` means every host (DESIGN.md §4.1). A host with a host rule of its own never reaches the
// `*` matcher, so an owner's `*` path rules are also placed, as copies, in every path matcher an lb-routes
// owner created; a matcher created later by another owner gets copies of the `*` rules of every owner
// (they stay those owners' rules: their service is its backend). Unmanaged matchers get none. Where a
// copy would move another owner's requests, the traffic check refuses the plan (traffic/check.ts).
// Unmanaged `*` rules are copied into new matchers too, so a new host keeps serving them as before.
import type { HostRule, PathMatcher, PathRule, UrlMap } from '../compute.js'
import { markerOwner } from '../compile/markers.js'

export interface StarRulesInput {
  /** The matchers and host rules being merged (changed in place). */
  readonly matchers: readonly PathMatcher[]
  readonly hostRules: readonly HostRule[]
  /** The live map, to tell the matchers this merge creates from those that exist. */
  readonly live: UrlMap | undefined
  /** This owner's path rules for host `*`, as they stand in the merged `*` matcher. */
  readonly ownStarRules: readonly PathRule[]
  /**
   * Whether a `*` rule is someone else's (another owner's, or unmanaged): copied into new matchers so that
   * a new host keeps serving them. Decided from this owner's services alone, so that plan and apply (which
   * re-merges without reading every marker) build the same map.
   */
  readonly othersRule: (rule: PathRule) => boolean
}

/** starMatcher is the path matcher of the host rule listing `*`, if there is one. */
export function starMatcher(
  hostRules: readonly HostRule[],
  matchers: readonly PathMatcher[]
): PathMatcher | undefined {
  const hr = hostRules.find((h) => (h.hosts ?? []).includes('*'))
  return hr ? matchers.find((m) => m.name === hr.pathMatcher) : undefined
}

/**
 * spreadStarRules places the `*` rules: this owner's into every lb-routes matcher, other owners' into the
 * matchers this merge creates. A path the matcher already routes keeps its rule (a host's own rule beats
 * the `*` one, as before); matchers with routeRules cannot take path rules and are skipped.
 */
export function spreadStarRules(input: StarRulesInput): void {
  const star = starMatcher(input.hostRules, input.matchers)
  const others = (star?.pathRules ?? []).filter(input.othersRule)
  const existing = new Set((input.live?.pathMatchers ?? []).map((m) => m.name))
  for (const pm of input.matchers as PathMatcher[]) {
    if (pm === star || markerOwner(pm.description) === undefined || (pm.routeRules ?? []).length > 0) continue
    const copies = existing.has(pm.name) ? input.ownStarRules : [...input.ownStarRules, ...others]
    const taken = new Set((pm.pathRules ?? []).flatMap((r) => r.paths ?? []))
    const added: PathRule[] = []
    for (const rule of copies) {
      const free = (rule.paths ?? []).filter((p) => !taken.has(p))
      if (free.length === 0) continue
      for (const p of free) taken.add(p)
      // A shallow copy: the merge never changes a rule object, only the lists that hold them.
      added.push({ ...rule, paths: free })
    }
    if (added.length > 0) pm.pathRules = [...(pm.pathRules ?? []), ...added]
  }
}

/**
 * onlyStarCopies returns a test of whether every path rule of a matcher is a copy of a rule of the `*`
 * matcher (same paths, service and action): such a matcher adds nothing, so it goes when its creator's
 * rules are gone. The `*` rules are indexed once for all matchers.
 */
export function onlyStarCopies(star: PathMatcher | undefined): (pm: PathMatcher) => boolean {
  if (!star) return () => false
  const key = (r: PathRule, p: string) => JSON.stringify([p, r.service ?? null, r.routeAction ?? null])
  const inStar = new Set((star.pathRules ?? []).flatMap((r) => (r.paths ?? []).map((p) => key(r, p))))
  return (pm) =>
    pm !== star && (pm.pathRules ?? []).every((r) => (r.paths ?? []).every((p) => inStar.has(key(r, p))))
}
