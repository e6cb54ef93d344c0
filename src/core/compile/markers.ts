// Ownership markers (DESIGN.md §3–4). Every resource lb-routes creates carries `lb-routes owner=<owner>`
// in its description; host rules and path matchers it creates carry the same. Nothing without the
// marker for the same owner is ever deleted.

const MARKER = /(?:^|\s)lb-routes owner=([a-z][-a-z0-9]*)(?:\s|$)/

/** ownerMarker is the description written on a resource that serves `routes` for `owner`. */
export function ownerMarker(owner: string, routes: readonly string[] = []): string {
  const r = routes.length > 0 ? ` routes=${[...routes].sort().join(',')}` : ''
  return `lb-routes owner=${owner}${r} (managed by lb-routes; do not edit by hand)`
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
