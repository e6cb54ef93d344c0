// The traffic invariant again at the URL map write (DESIGN.md §4.1, §6): apply re-reads and re-merges the map
// on every attempt, and another owner may have changed it since the plan (a new host rule that this owner's
// `*` rules are now copied into, say). Nobody's requests may move then either.
import type { UrlMap } from '../compute.js'
import { canonicalRef } from '../google-semantics/refs.js'
import type { TrafficMove } from '../plan/model.js'
import { checkTraffic } from './check.js'
import type { Scheme } from './probes.js'

/**
 * refusedAtWrite returns the moves the re-merged map makes that the invariant refuses. Only this owner's
 * backends are known here (no list call at write time), so anyone else's request counts as another holder's:
 * the write is refused and the owner plans again, which names the holder.
 */
export function refusedAtWrite(input: {
  readonly owner: string
  readonly project: string
  readonly scheme: Scheme
  readonly live: UrlMap | undefined
  readonly merged: UrlMap
  readonly ownedServices: ReadonlySet<string>
}): TrafficMove[] {
  const mine = new Map([...input.ownedServices].map((s) => [canonicalRef(s, input.project), input.owner]))
  return checkTraffic({ ...input, liveOwners: mine, owners: mine }).filter((m) => m.conflict)
}
