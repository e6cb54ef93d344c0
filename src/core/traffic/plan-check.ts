// The traffic check as a plan step (DESIGN.md §4.1): every move goes into the plan, own moves included;
// refused moves become errors at the route's line; one row in the plan's checks table.
import type { UrlMap } from '../compute.js'
import type { PlanCheck, TrafficMove } from '../plan/model.js'
import { canonicalRef } from '../google-semantics/refs.js'
import { checkTraffic } from './check.js'
import { trafficConflicts, type TrafficConflict } from './conflicts.js'
import type { Scheme } from './probes.js'

export interface TrafficStepInput {
  readonly owner: string
  readonly project: string
  readonly scheme: Scheme
  readonly live: UrlMap | undefined
  readonly merged: UrlMap
  /** Owner of each managed live backend service by canonical URL (from the markers). */
  readonly serviceOwners: Readonly<Record<string, string>>
  /** Canonical URLs of the backend services this owner holds after the plan (live markers ∪ desired). */
  readonly ownedServices: ReadonlySet<string>
  /** The owner's routes with their hosts, and each route's backend service (canonical URL). */
  readonly routes: readonly { readonly name: string; readonly hosts: readonly string[] }[]
  readonly routeServices: Readonly<Record<string, string>>
  /** Hosts of routes.json tests (probed as well). */
  readonly testHosts: readonly string[]
}

export interface TrafficStep {
  readonly check: PlanCheck
  readonly moves: readonly TrafficMove[]
  readonly conflicts: readonly TrafficConflict[]
}

/** trafficStep runs the differential check for one owner's plan and words its outcome. */
export function trafficStep(input: TrafficStepInput): TrafficStep {
  const { owner, project } = input
  const liveOwners = new Map(Object.entries(input.serviceOwners))
  const owners = new Map(liveOwners)
  for (const s of input.ownedServices) owners.set(canonicalRef(s, project), owner)
  const moves = checkTraffic({
    owner,
    project,
    scheme: input.scheme,
    live: input.live,
    merged: input.merged,
    liveOwners,
    owners,
    extraHosts: input.testHosts
  })
  const routes = input.routes.flatMap((r) =>
    Object.hasOwn(input.routeServices, r.name)
      ? [{ name: r.name, hosts: r.hosts, service: canonicalRef(input.routeServices[r.name]!, project) }]
      : []
  )
  const adopted = (backend: string) => {
    const url = canonicalRef(backend, project)
    return input.ownedServices.has(url) && liveOwners.get(url) !== owner
  }
  const conflicts = trafficConflicts(moves, routes, project, adopted)
  return { check: trafficRow(moves, conflicts), moves, conflicts }
}

function trafficRow(moves: readonly TrafficMove[], conflicts: readonly TrafficConflict[]): PlanCheck {
  const refused = moves.filter((m) => m.conflict).length
  if (refused > 0) {
    const holders = [...new Set(conflicts.map((c) => c.holder))].sort().join(', ')
    return {
      name: 'Traffic ownership',
      status: 'fail',
      detail: `${refused} of ${moves.length} moved request class(es) belong to ${holders}; see the errors`
    }
  }
  return {
    name: 'Traffic ownership',
    status: 'pass',
    detail:
      moves.length === 0
        ? 'no request changes destination'
        : `${moves.length} request class(es) change destination, each this owner's or from a catch-all`
  }
}
