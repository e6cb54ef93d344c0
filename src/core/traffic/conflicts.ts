// Refused traffic moves as plan errors (DESIGN.md §4.1): one per route and holder, at the route's line,
// naming the holder and the moved requests as `host path: before → after`.
import { hostMatches } from '../google-semantics/evaluate.js'
import { canonicalRef, refName } from '../google-semantics/refs.js'
import type { TrafficEndpoint, TrafficMove } from '../plan/model.js'
import { UNMANAGED } from './holders.js'
import { bareHost } from './probes.js'

/** The routes of the planning owner, as the check needs them to point a conflict at a line. */
export interface OwnerRoute {
  readonly name: string
  readonly hosts: readonly string[]
  /** Canonical URL of the route's backend service. */
  readonly service: string
}

export interface TrafficConflict {
  /** The route whose line the error points at (absent when no route can be named). */
  readonly route?: string
  readonly holder: string
  readonly message: string
}

/** How many moved requests a message lists before it counts the rest. */
const SHOWN = 3

/** describeEndpoint renders one side of a move: `team-a (lbr-team-a-cart)`, `unmanaged (legacy)`, `(none)`. */
export function describeEndpoint(e: TrafficEndpoint): string {
  return e.backend
    ? `${e.owner} (${refName(e.backend)})`
    : e.owner === UNMANAGED
      ? 'unmanaged (redirect)'
      : e.owner
}

/** describeMove renders a move as `host path: before → after`. */
export function describeMove(m: TrafficMove): string {
  return `${m.host} ${m.path}: ${describeEndpoint(m.before)} → ${describeEndpoint(m.after)}`
}

/**
 * routeOfMove finds the route that causes a move: the route whose backend the request now reaches, else
 * a route declared for the request's host (its new host rule shadows what served it), else a `*` route.
 */
export function routeOfMove(
  m: TrafficMove,
  routes: readonly OwnerRoute[],
  project: string
): OwnerRoute | undefined {
  const to = m.after.backend ? canonicalRef(m.after.backend, project) : undefined
  const host = bareHost(m.host)
  return (
    (to ? routes.find((r) => r.service === to) : undefined) ??
    routes.find((r) => r.hosts.some((h) => h !== '*' && (hostMatches(h, m.host) || hostMatches(h, host)))) ??
    routes.find((r) => r.hosts.includes('*'))
  )
}

/** trafficConflicts groups the refused moves by route and holder into plan errors. */
export function trafficConflicts(
  moves: readonly TrafficMove[],
  routes: readonly OwnerRoute[],
  project: string,
  /** Whether this plan adopts a backend (hand-built, bound to a route): its unmanaged rules then move. */
  adopted: (backend: string) => boolean = () => false
): TrafficConflict[] {
  const groups = new Map<string, { route?: OwnerRoute; holder: string; moves: TrafficMove[] }>()
  for (const m of moves) {
    if (!m.conflict) continue
    const route = routeOfMove(m, routes, project)
    const key = `${route?.name ?? ''}\0${m.conflict}`
    const g = groups.get(key) ?? { ...(route ? { route } : {}), holder: m.conflict, moves: [] }
    g.moves.push(m)
    groups.set(key, g)
  }
  return [...groups.values()].map((g) => ({
    ...(g.route ? { route: g.route.name } : {}),
    holder: g.holder,
    message: conflictMessage(g.route, g.holder, g.moves, adopted)
  }))
}

function conflictMessage(
  route: OwnerRoute | undefined,
  holder: string,
  moves: readonly TrafficMove[],
  adopted: (backend: string) => boolean
): string {
  const who = holder === UNMANAGED ? 'unmanaged rules (no lb-routes owner)' : `owner ${holder}`
  const shown = moves.slice(0, SHOWN).map(describeMove).join('; ')
  const more = moves.length > SHOWN ? ` (and ${moves.length - SHOWN} more)` : ''
  const taken = moves.find((m) => m.before.backend && adopted(m.before.backend))?.before.backend
  const fix = taken
    ? `adopting backend service ${refName(taken)} is refused while unmanaged rules still use it; claim those paths in routes.json too, or have the load balancer owner move them first`
    : route?.hosts.includes('*')
      ? `list the hosts explicitly or agree with ${holder}`
      : holder === UNMANAGED
        ? 'pick another host or path, or have the load balancer owner release them'
        : `pick another host or path, or agree with ${holder} to release them`
  return `${route ? `route ${route.name}` : 'this plan'} would move requests held by ${who}: ${shown}${more}; ${fix}`
}
