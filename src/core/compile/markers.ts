// Ownership markers (DESIGN.md §3–4). Every resource lb-routes creates carries `lb-routes owner=<owner>`
// in its description; host rules and path matchers it creates carry the same. Nothing without the
// marker for the same owner is ever deleted.

// Structured form only, at the very start (DESIGN.md §4): prose that mentions `lb-routes owner=x` later in
// a hand-written description marks nothing, so the tool never deletes or takes over what it did not create.
const MARKER = /^lb-routes owner=([a-z][-a-z0-9]*)(?:\s|$)/
const MANAGED = '(managed by lb-routes; do not edit by hand)'
/** Compute caps a description at 2048 characters. */
const MAX_DESCRIPTION = 2048

/**
 * ownerMarker is the description written on a resource that serves `routes` for `owner`. `adoptedNegs`
 * (`<region|global>/<name>`) records hand-built NEGs a backend service took over: Compute cannot change a
 * NEG's description in place, so the backend service using them carries that record (adopt.ts). The
 * marker always fits a description: a shared backend serving thousands of routes lists as many as fit
 * and counts the rest (`routes-more=N`); the route list is for display, ownership is the `owner=` word.
 */
export function ownerMarker(
  owner: string,
  routes: readonly string[] = [],
  adoptedNegs: readonly string[] = []
): string {
  const n = adoptedNegs.length > 0 ? ` adopted-negs=${[...adoptedNegs].sort().join(',')}` : ''
  const build = (listed: readonly string[], more: number) =>
    `lb-routes owner=${owner}${listed.length > 0 ? ` routes=${listed.join(',')}` : ''}${more > 0 ? ` routes-more=${more}` : ''}${n} ${MANAGED}`
  const sorted = [...routes].sort()
  let text = build(sorted, 0)
  if (text.length <= MAX_DESCRIPTION) return text
  // Room left for the route list once everything else (and the longest possible count) is written.
  let room = MAX_DESCRIPTION - build([], sorted.length).length - ' routes='.length
  let kept = 0
  while (kept < sorted.length && room - (sorted[kept]!.length + (kept > 0 ? 1 : 0)) >= 0) {
    room -= sorted[kept]!.length + (kept > 0 ? 1 : 0)
    kept++
  }
  text = build(sorted.slice(0, kept), sorted.length - kept)
  return text
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
  const m = markerOwner(description) ? /(?:^|\s)routes=([-a-z0-9,]+)/.exec(markerHead(description!)) : null
  return m ? m[1]!.split(',').filter(Boolean) : []
}

/** markerAdoptedNegs reads the `<region|global>/<name>` NEGs a managed backend service adopted. */
export function markerAdoptedNegs(description: string | null | undefined): string[] {
  if (!markerOwner(description)) return []
  const m = /(?:^|\s)adopted-negs=([-a-z0-9,/]+)/.exec(markerHead(description!))
  return m ? m[1]!.split(',').filter(Boolean) : []
}

/** markerHead is the structured part of a managed description (what follows is kept prose). */
function markerHead(description: string): string {
  const at = description.indexOf(MANAGED)
  return at >= 0 ? description.slice(0, at) : description
}
