// Differential routing (DESIGN.md §4.1): evaluate the live map and the merged map on the probe set and
// judge every request whose destination changes against the invariant: an owner's plan may move a
// request only if the request is its own, or it falls today to a catch-all (the URL map default or a
// wildcard-host default) and the owner claims it more specifically. Both maps are evaluated with the one
// shared evaluator (google-semantics/evaluate.ts), the same code the route tests and `explain` use.
import type { UrlMap } from '../compute.js'
import { hostRuleIndex, compileUrlMap, type Resolution } from '../google-semantics/evaluate.js'
import { canonicalRef } from '../google-semantics/refs.js'
import type { TrafficMove } from '../plan/model.js'
import { destinationKey, endpointOf, isCatchAll, NOBODY, UNMANAGED, type ServiceOwners } from './holders.js'
import { bareHost, trafficProbes, type Scheme } from './probes.js'

export interface TrafficCheckInput {
  /** The owner whose plan this is. */
  readonly owner: string
  /** The load balancer's project (fills in partial references). */
  readonly project: string
  readonly scheme: Scheme
  readonly live: UrlMap | undefined
  readonly merged: UrlMap
  /** Owner of every managed live backend service (canonical URL), from its marker: who holds a request today. */
  readonly liveOwners: ServiceOwners
  /** Owners after the plan: the live markers plus this owner's desired (and adopted) backend services. */
  readonly owners: ServiceOwners
  /** More hosts to probe (the hosts of routes.json tests). */
  readonly extraHosts?: readonly string[]
}

/**
 * checkTraffic returns every move (host, path, before → after), sorted by host and path; a move the
 * invariant refuses carries `conflict`: the holder whose requests it would move without their say.
 */
export function checkTraffic(input: TrafficCheckInput): TrafficMove[] {
  const { project, scheme, live, merged } = input
  const before = compileUrlMap(live ?? { defaultService: null }, { scheme })
  const after = compileUrlMap(merged, { scheme })
  const moves: TrafficMove[] = []
  const holders = hostHolders(input)
  for (const probe of trafficProbes([live, merged], scheme, input.extraHosts)) {
    const b = before(probe)
    const a = after(probe)
    if (destinationKey(b, project) === destinationKey(a, project)) continue
    const move = {
      host: probe.host,
      path: probe.path,
      before: endpointOf(b, input.liveOwners, project),
      after: endpointOf(a, input.owners, project)
    }
    const holder = refusedHolder(input, holders, probe.host, b, a, move)
    moves.push(holder ? { ...move, conflict: holder } : move)
  }
  return moves
}

/** refusedHolder applies the invariant to one move: undefined when allowed, else the holder to name. */
function refusedHolder(
  input: TrafficCheckInput,
  holders: (host: string) => readonly string[],
  host: string,
  before: Resolution,
  after: Resolution,
  move: Omit<TrafficMove, 'conflict'>
): string | undefined {
  const { owner } = input
  if (move.before.owner === owner) return undefined
  const catchAll =
    move.before.owner === NOBODY || isCatchAll(input.live, host, before, input.project, input.scheme)
  if (!catchAll) return move.before.owner
  if (move.after.owner !== owner) return move.before.owner === NOBODY ? UNMANAGED : move.before.owner
  // For ownership `host:port` is the host: a host rule for `shop.example.com:443` while another owner
  // holds anything on `shop.example.com` (or the other way round) is theirs to agree to.
  return namesHost(input.merged, after, host) ? aliasHolder(input.owner, holders, host) : undefined
}

/** namesHost tells whether the rule that now serves the request is a host rule naming this very host. */
function namesHost(map: UrlMap, r: Resolution, host: string): boolean {
  const hosts = map.hostRules?.[r.matchedBy.hostRule ?? -1]?.hosts ?? []
  return hosts.some((h) => h.toLowerCase() === host.toLowerCase())
}

/** aliasHolder names another holder of the same host under another port spelling, if there is one. */
function aliasHolder(
  owner: string,
  holders: (host: string) => readonly string[],
  host: string
): string | undefined {
  const bare = bareHost(host.toLowerCase())
  for (const alias of [bare, `${bare}:80`, `${bare}:443`]) {
    if (alias === host.toLowerCase()) continue
    const other = holders(alias).find((h) => h !== owner)
    if (other) return other
  }
  return undefined
}

/**
 * hostHolders returns who holds rules or a declared default on a host that has its own host rule in the
 * live map (empty for hosts served through a wildcard), remembered per host.
 */
function hostHolders(input: TrafficCheckInput): (host: string) => readonly string[] {
  const map = input.live
  if (!map) return () => []
  const hostRuleOf = hostRuleIndex(map, input.scheme)
  const canon = (s: string) => canonicalRef(s, input.project)
  const ownerOf = (s: string | null | undefined) =>
    s ? (input.liveOwners.get(canon(s)) ?? UNMANAGED) : UNMANAGED
  const memo = new Map<string, string[]>()
  return (host) => {
    const known = memo.get(host)
    if (known) return known
    const hr = map.hostRules?.[hostRuleOf(host) ?? -1]
    const holders = new Set<string>()
    if (hr && (hr.hosts ?? []).some((h) => h.toLowerCase() === host)) {
      const pm = (map.pathMatchers ?? []).find((m) => m.name === hr.pathMatcher)
      for (const r of pm?.pathRules ?? []) holders.add(ownerOf(r.service))
      for (const r of pm?.routeRules ?? []) holders.add(ownerOf(r.service))
      const d = pm?.defaultService
      if (d && (!map.defaultService || canon(d) !== canon(map.defaultService))) holders.add(ownerOf(d))
    }
    const out = [...holders].sort()
    memo.set(host, out)
    return out
  }
}
