// Shapes shared by the emulator modules: the state-file format (DESIGN.md §8) and the request log.

/** A Compute resource as stored and returned: plain JSON, references canonical (gce-api.md §1.3). */
export type Resource = Record<string, any>

/** A seeded Cloud Run service (DESIGN.md §8): only what the tool reads. */
export interface RunServiceState {
  name: string
  uri?: string
  urls?: string[]
  /** `INGRESS_TRAFFIC_ALL` etc.; `all`, `internal`, `internal-and-cloud-load-balancing` are accepted on input. */
  ingress?: string
  invokerMembers?: string[]
  defaultUriDisabled?: boolean
  invokerIamDisabled?: boolean
}

/** One project's resources; a missing collection means empty. */
export interface ProjectState {
  urlMaps?: Resource[]
  backendServices?: Resource[]
  /** Global NEGs; each may carry its endpoints as `networkEndpoints: [...]`. */
  globalNetworkEndpointGroups?: Resource[]
  regionNetworkEndpointGroups?: Record<string, Resource[]>
  globalForwardingRules?: Resource[]
  targetHttpProxies?: Resource[]
  targetHttpsProxies?: Resource[]
  sslCertificates?: Resource[]
  sslPolicies?: Resource[]
  globalAddresses?: Resource[]
  runServices?: Record<string, RunServiceState[]>
}

/** Which projects a principal may call; absent means "everywhere" (see auth.ts). */
export interface ProjectGrant {
  projects: string[]
}

/** The whole emulator state: what `--state` seeds and `GET /_emulator/state` returns. */
export interface EmulatorState {
  projects: Record<string, ProjectState>
  /** Service accounts that may be impersonated, and the extra projects each may call. */
  serviceAccounts?: Record<string, ProjectGrant>
  /** Static bearer tokens restricted to some projects (other static tokens work everywhere). */
  tokens?: Record<string, ProjectGrant>
  /** Federated (direct WIF) subjects restricted to some projects, keyed by the JWT `sub`. */
  federatedSubjects?: Record<string, ProjectGrant>
}

/** One line of the request log (`GET /_emulator/requests`). Never holds a token. */
export interface RequestLogEntry {
  /** Milliseconds since the epoch, from the injected clock. */
  time: number
  method: string
  path: string
  status: number
  /** Service account email, `federated:<sub>`, `token:<first 6 chars>…` or `anonymous`. */
  principal: string
  /** API method name, e.g. `compute.urlMaps.update`, when the request was routed. */
  api?: string
  /** With `recordBodies`: the query string (without `?`), when there was one. */
  query?: string
  /** With `recordBodies`: the parsed request body (JSON, or a form as an object), tokens redacted. */
  body?: unknown
  /** With `recordBodies`: the reply body, tokens redacted. */
  response?: unknown
}

/** Clock and randomness, injected so tests are deterministic. */
export interface Entropy {
  now(): number
  random(): number
}
