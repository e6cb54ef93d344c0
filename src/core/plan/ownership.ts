// Ownership as the live markers say it (DESIGN.md §4): which backend services this owner holds, who holds
// the others, and which routes this owner had on the last apply. A rule belongs to whoever owns its service.
import type { DesiredState } from '../compile/model.js'
import { markerOwner, markerRoutes } from '../compile/markers.js'
import type { RoutesConfig } from '../routes/model.js'
import { canonicalRef } from '../google-semantics/refs.js'
import type { LiveState } from './live.js'

export interface Ownership {
  /** Canonical URLs of the backend services this owner owns (live markers ∪ desired). */
  readonly ownedServices: ReadonlySet<string>
  /** Owner of each managed live backend service by canonical URL, for conflict messages. */
  readonly serviceOwners: Readonly<Record<string, string>>
  /** Route name → backend service URL, for this owner's routes listed in live markers. */
  readonly liveRoutes: ReadonlyMap<string, string>
}

/** readOwnership reads the markers of the live backend services and adds the (bound) desired ones. */
export function readOwnership(config: RoutesConfig, live: LiveState, desired: DesiredState): Ownership {
  const project = config.loadBalancer.project
  const ownedServices = new Set<string>()
  const serviceOwners: Record<string, string> = {}
  const liveRoutes = new Map<string, string>()
  for (const bs of live.backendServices) {
    const owner = markerOwner(bs.description)
    if (!owner || !bs.selfLink) continue
    const url = canonicalRef(bs.selfLink, project)
    serviceOwners[url] = owner
    if (owner === config.owner) {
      ownedServices.add(url)
      for (const r of markerRoutes(bs.description)) liveRoutes.set(r, url)
    }
  }
  for (const b of desired.backendServices)
    ownedServices.add(canonicalRef(`projects/${b.project}/global/backendServices/${b.name}`, project))
  return { ownedServices, serviceOwners, liveRoutes }
}
