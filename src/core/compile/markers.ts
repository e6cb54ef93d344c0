// Ownership markers (DESIGN.md §3–4). Every resource lb-routes creates carries `lb-routes owner=<owner>`
// in its description; host rules and path matchers it creates carry the same. Nothing without the
// marker for the same owner is ever deleted.

const MARKER = /(?:^|\s)lb-routes owner=([a-z][-a-z0-9]*)(?:\s|$)/
const MANAGED = '(managed by lb-routes; do not edit by hand)'
/** Compute caps a description at 2048 characters. */
const MAX_DESCRIPTION = 2048

/**
 * ownerMarker is the description written on a resource that serves `routes` for `owner`. `adoptedNegs`
 * (`<region|global>/<name>`) records hand-built NEGs a backend service took over: Compute cannot change a
 * NEG's description in place, so the backend service using them carries that record (adopt.ts).
 */
export function ownerMarker(
  owner: string,
  routes: readonly string[] = [],
  adoptedNegs: readonly string[] = []
): string {
  const r = routes.length > 0 ? ` routes=${[...routes].sort().join(',')}` : ''
  const n = adoptedNegs.length > 0 ? ` adopted-negs=${[...adoptedNegs].sort().join(',')}` : ''
  return `lb-routes owner=${owner}${r}${n} ${MANAGED}`
}

/**
 * adoptedDescription is the description of a resource taken over in place: the marker, then what it said
 * before (`adopted; was: <original>`), kept across later plans and cut to fit 2048 characters.
 */
export function adoptedDescription(marker: string, live: string | null | undefined): string {
  const text = live ?? ''
  const at = markerOwner(text) ? text.indexOf(MANAGED) : -1
  const tail = at >= 0 ? text.slice(at + MANAGED.length) : text ? ` adopted; was: ${text}` : ' adopted'
  return `${marker}${tail}`.slice(0, MAX_DESCRIPTION)
}

/** markerOwner reads the owner from a description, or undefined when lb-routes did not create it. */
export function markerOwner(description: string | null | undefined): string | undefined {
  return description ? MARKER.exec(description)?.[1] : undefined
}

/** markerRoutes reads the route names a managed resource serves (empty when absent). */
export function markerRoutes(description: string | null | undefined): string[] {
  const m = description ? /(?:^|\s)routes=([-a-z0-9,]+)/.exec(description) : null
  return m ? m[1]!.split(',').filter(Boolean) : []
}

/** markerAdoptedNegs reads the `<region|global>/<name>` NEGs a managed backend service adopted. */
export function markerAdoptedNegs(description: string | null | undefined): string[] {
  if (!markerOwner(description)) return []
  const head = description!.slice(0, Math.max(0, description!.indexOf(MANAGED)))
  const m = /(?:^|\s)adopted-negs=([-a-z0-9,/]+)/.exec(head)
  return m ? m[1]!.split(',').filter(Boolean) : []
}
