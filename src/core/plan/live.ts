// LiveState: what the shell read from the APIs, as plain data for the pure planner.
import type {
  Address,
  BackendService,
  ForwardingRule,
  NetworkEndpoint,
  NetworkEndpointGroup,
  SslCertificate,
  TargetHttpProxy,
  TargetHttpsProxy,
  UrlMap
} from '../compute.js'

/** The load balancer project's frontend collections (read only when routes.json has a `frontend` key). */
export interface LiveFrontend {
  readonly addresses: readonly Address[]
  readonly sslCertificates: readonly SslCertificate[]
  readonly targetHttpsProxies: readonly TargetHttpsProxy[]
  readonly targetHttpProxies: readonly TargetHttpProxy[]
  readonly forwardingRules: readonly ForwardingRule[]
  /** The redirect URL map lb-routes names for this load balancer, when it exists. */
  readonly redirectUrlMap?: UrlMap
}

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
  /**
   * Endpoints of some global Internet NEGs of the load balancer's project, by name: the list call gives
   * only `size`, so they are read one NEG at a time, and only for NEGs adoption needs (adopt.ts).
   */
  readonly negEndpoints?: Readonly<Record<string, readonly NetworkEndpoint[]>>
  readonly runServices: Readonly<Record<string, RunServiceFacts>>
  readonly frontend?: LiveFrontend
}
