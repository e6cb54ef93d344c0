// LiveState: what the shell read from the APIs, as plain data for the pure planner.
import type { BackendService, NetworkEndpointGroup, UrlMap } from '../compute.js'

/** Cloud Run facts for the preflight check, by `project/region/service`. */
export interface RunServiceFacts {
  readonly uri?: string
  readonly ingress?: string
  readonly defaultUriDisabled?: boolean
  readonly invokerIamDisabled?: boolean
  readonly publicInvoker?: boolean
  readonly found: boolean
}

export interface LiveState {
  /** The shared URL map with its fingerprint, or undefined when it does not exist yet. */
  readonly urlMap?: UrlMap
  /** Backend services of every project that matters (their selfLinks say which). */
  readonly backendServices: readonly BackendService[]
  /** Global NEGs of the load balancer's project (size = number of attached endpoints). */
  readonly globalNegs: readonly NetworkEndpointGroup[]
  /** Regional NEGs of the projects and regions that matter. */
  readonly regionNegs: readonly NetworkEndpointGroup[]
  readonly runServices: Readonly<Record<string, RunServiceFacts>>
}
