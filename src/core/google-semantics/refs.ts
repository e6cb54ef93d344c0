// Compute references: accepted full or partial on input, always returned as full URLs (gce-api.md §1.3).
import { COMPUTE_BASE } from '../compute.js'

/**
 * canonicalRef turns a full or partial Compute reference into the full https://www.googleapis.com/compute/v1/ URL.
 * `project` fills in references of the form `global/...` or `regions/...`.
 */
export function canonicalRef(ref: string, project: string): string {
  let r = ref.trim()
  const m = /^https?:\/\/[^/]+\/compute\/(?:v1|beta|alpha)\//.exec(r)
  if (m) r = r.slice(m[0].length)
  if (r.startsWith('/')) r = r.slice(1)
  if (!r.startsWith('projects/')) r = `projects/${project}/${r}`
  return COMPUTE_BASE + r
}

/** refName returns the last path segment of a reference (the resource name). */
export function refName(ref: string): string {
  const parts = ref.split('/')
  return parts[parts.length - 1] ?? ''
}

/** refProject returns the project of a full or `projects/...` reference, or undefined. */
export function refProject(ref: string): string | undefined {
  return /(?:^|\/)projects\/([^/]+)\//.exec(ref)?.[1]
}

/** backendServiceRef builds the canonical URL of a global backend service. */
export function backendServiceRef(project: string, name: string): string {
  return `${COMPUTE_BASE}projects/${project}/global/backendServices/${name}`
}

/** globalNegRef builds the canonical URL of a global network endpoint group. */
export function globalNegRef(project: string, name: string): string {
  return `${COMPUTE_BASE}projects/${project}/global/networkEndpointGroups/${name}`
}

/** regionNegRef builds the canonical URL of a regional network endpoint group. */
export function regionNegRef(project: string, region: string, name: string): string {
  return `${COMPUTE_BASE}projects/${project}/regions/${region}/networkEndpointGroups/${name}`
}
