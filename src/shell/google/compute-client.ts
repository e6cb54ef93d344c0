// Thin typed client for the Compute Engine v1 REST calls lb-routes makes (gce-api.md §1–§7). One method
// per REST call, all of the same shape; mutations return the Operation, `wait`/`run` finish it.
import type { protos } from '@google-cloud/compute'
import type {
  Address,
  BackendService,
  ForwardingRule,
  NetworkEndpoint,
  NetworkEndpointGroup,
  Operation,
  SslCertificate,
  TargetHttpProxy,
  TargetHttpsProxy,
  UrlMap,
  UrlMapValidationResult
} from '../../core/compute.js'
import { OperationError, OperationTimeoutError } from './errors.js'
import { withSlash } from './credentials.js'
import { RestTransport } from './http.js'
import type { ClientParameters, HttpMethod } from './http.js'

/** A network endpoint with its health, as `listNetworkEndpoints` returns it (gce-api.md §3.2). */
export type NetworkEndpointWithHealthStatus = protos.google.cloud.compute.v1.INetworkEndpointWithHealthStatus

/** Load-balancing schemes `urlMaps.validate` accepts (gce-api.md §6.5). */
export type ValidateScheme = 'EXTERNAL' | 'EXTERNAL_MANAGED'

/** Options of list methods: an AIP-160 / regexp filter such as `name = "edge"` (gce-api.md §1.4). */
export interface ListOptions {
  readonly filter?: string
}

/** Options of `wait`: overall budget, and the project when the Operation lacks a selfLink. */
export interface WaitOptions {
  readonly timeoutMs?: number
  readonly project?: string
}

/** Parameters of ComputeClient; `endpoint` is the Compute v1 base URL (…/compute/v1/). */
export interface ComputeClientParameters extends ClientParameters {
  /** Overall budget for `wait` in ms (default 15 min). */
  readonly operationTimeoutMs?: number
}

interface ListPage<T> {
  readonly items?: T[]
  readonly nextPageToken?: string
}

interface AggregatedNegPage {
  readonly items?: Record<string, { readonly networkEndpointGroups?: NetworkEndpointGroup[] }>
  readonly nextPageToken?: string
}

// operations.wait returns after at most ~2 minutes even when not DONE (gce-api.md §2.2); give the HTTP
// request a little longer than that before timing it out locally.
const WAIT_REQUEST_TIMEOUT_MS = 150_000
const MAX_RESULTS = 500
const enc = encodeURIComponent

/** ComputeClient calls Compute Engine v1 for urlMaps, backendServices, NEGs, forwarding rules, addresses, operations. */
export class ComputeClient {
  readonly #t: RestTransport
  readonly #base: string
  readonly #operationTimeoutMs: number
  readonly #now: () => number
  readonly #sleep: (ms: number) => Promise<void>

  constructor(params: ComputeClientParameters) {
    this.#t = new RestTransport({ ...params, accessRole: 'roles/compute.loadBalancerAdmin' })
    this.#base = withSlash(params.endpoint)
    this.#operationTimeoutMs = params.operationTimeoutMs ?? 15 * 60_000
    this.#now = params.now ?? Date.now
    this.#sleep = params.retry?.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)))
  }

  /** onRateLimited calls `listener(project)` on every rate-limited answer before its retry; returns an unsubscribe. */
  onRateLimited(listener: (project: string) => void): () => void {
    return this.#t.onRateLimited(listener)
  }

  // ---- urlMaps (gce-api.md §6.1) ----

  /** getUrlMap returns the URL map; a missing one throws GoogleApiError 404 (see isNotFound). */
  getUrlMap(project: string, name: string): Promise<UrlMap> {
    return this.#get('compute.urlMaps.get', project, `global/urlMaps/${enc(name)}`)
  }

  /** listUrlMaps returns every URL map of the project (all pages). */
  listUrlMaps(project: string, opts: ListOptions = {}): Promise<UrlMap[]> {
    return this.#list('compute.urlMaps.list', project, 'global/urlMaps', opts.filter)
  }

  /** insertUrlMap creates a URL map. */
  insertUrlMap(project: string, body: UrlMap): Promise<Operation> {
    return this.#mutate('compute.urlMaps.insert', 'POST', project, 'global/urlMaps', body)
  }

  /** updateUrlMap replaces the URL map (PUT); `body.fingerprint` must be current or the call fails 412 (§6.3). */
  updateUrlMap(project: string, name: string, body: UrlMap): Promise<Operation> {
    return this.#mutate('compute.urlMaps.update', 'PUT', project, `global/urlMaps/${enc(name)}`, body)
  }

  /** patchUrlMap merge-patches the URL map (a present array replaces the stored one; send the fingerprint). */
  patchUrlMap(project: string, name: string, body: UrlMap): Promise<Operation> {
    return this.#mutate('compute.urlMaps.patch', 'PATCH', project, `global/urlMaps/${enc(name)}`, body)
  }

  /** deleteUrlMap deletes the URL map. */
  deleteUrlMap(project: string, name: string): Promise<Operation> {
    return this.#mutate('compute.urlMaps.delete', 'DELETE', project, `global/urlMaps/${enc(name)}`)
  }

  /**
   * validateUrlMap loads `resource` as URL map `name` server-side and runs its tests without saving anything
   * (gce-api.md §6.5); failures come back in the result, not as an HTTP error.
   */
  async validateUrlMap(
    project: string,
    name: string,
    resource: UrlMap,
    schemes?: readonly ValidateScheme[]
  ): Promise<UrlMapValidationResult> {
    const body = { resource, ...(schemes?.length ? { loadBalancingSchemes: [...schemes] } : {}) }
    const res = await this.#t.call<{ result?: UrlMapValidationResult }>({
      method: 'compute.urlMaps.validate',
      httpMethod: 'POST',
      url: this.#url(project, `global/urlMaps/${enc(name)}/validate`),
      project,
      body
    })
    return res.result ?? {}
  }

  // ---- backendServices (gce-api.md §5.1) ----

  /** getBackendService returns the backend service (404 → GoogleApiError). */
  getBackendService(project: string, name: string): Promise<BackendService> {
    return this.#get('compute.backendServices.get', project, `global/backendServices/${enc(name)}`)
  }

  /** listBackendServices returns every global backend service of the project (all pages). */
  listBackendServices(project: string, opts: ListOptions = {}): Promise<BackendService[]> {
    return this.#list('compute.backendServices.list', project, 'global/backendServices', opts.filter)
  }

  /** insertBackendService creates a global backend service. */
  insertBackendService(project: string, body: BackendService): Promise<Operation> {
    return this.#mutate('compute.backendServices.insert', 'POST', project, 'global/backendServices', body)
  }

  /** updateBackendService replaces the backend service (PUT; omitted fields reset, fingerprint required, §5.3). */
  updateBackendService(project: string, name: string, body: BackendService): Promise<Operation> {
    return this.#mutate(
      'compute.backendServices.update',
      'PUT',
      project,
      `global/backendServices/${enc(name)}`,
      body
    )
  }

  /** patchBackendService merge-patches the backend service (cannot clear a list: use update, §9.4). */
  patchBackendService(project: string, name: string, body: BackendService): Promise<Operation> {
    return this.#mutate(
      'compute.backendServices.patch',
      'PATCH',
      project,
      `global/backendServices/${enc(name)}`,
      body
    )
  }

  /** deleteBackendService deletes it (400 resourceInUseByAnotherResource while a URL map uses it, §5.4). */
  deleteBackendService(project: string, name: string): Promise<Operation> {
    return this.#mutate(
      'compute.backendServices.delete',
      'DELETE',
      project,
      `global/backendServices/${enc(name)}`
    )
  }

  /**
   * setSecurityPolicy attaches a Cloud Armor policy (URL) or, with null, detaches it; `securityPolicy` is
   * output-only on the resource and can only be changed here (gce-api.md §5.2). Detaching sends `{}`.
   */
  setSecurityPolicy(project: string, name: string, policyUrl: string | null): Promise<Operation> {
    const body = policyUrl === null ? {} : { securityPolicy: policyUrl }
    return this.#mutate(
      'compute.backendServices.setSecurityPolicy',
      'POST',
      project,
      `global/backendServices/${enc(name)}/setSecurityPolicy`,
      body
    )
  }

  // ---- globalNetworkEndpointGroups (internet NEGs, gce-api.md §3.1) ----

  /** getGlobalNetworkEndpointGroup returns the global NEG (404 → GoogleApiError). */
  getGlobalNetworkEndpointGroup(project: string, name: string): Promise<NetworkEndpointGroup> {
    return this.#get(
      'compute.globalNetworkEndpointGroups.get',
      project,
      `global/networkEndpointGroups/${enc(name)}`
    )
  }

  /** listGlobalNetworkEndpointGroups returns every global NEG of the project (all pages). */
  listGlobalNetworkEndpointGroups(project: string, opts: ListOptions = {}): Promise<NetworkEndpointGroup[]> {
    return this.#list(
      'compute.globalNetworkEndpointGroups.list',
      project,
      'global/networkEndpointGroups',
      opts.filter
    )
  }

  /** insertGlobalNetworkEndpointGroup creates a global NEG (endpoints are attached afterwards, §3.1). */
  insertGlobalNetworkEndpointGroup(project: string, body: NetworkEndpointGroup): Promise<Operation> {
    return this.#mutate(
      'compute.globalNetworkEndpointGroups.insert',
      'POST',
      project,
      'global/networkEndpointGroups',
      body
    )
  }

  /** deleteGlobalNetworkEndpointGroup deletes the global NEG. */
  deleteGlobalNetworkEndpointGroup(project: string, name: string): Promise<Operation> {
    return this.#mutate(
      'compute.globalNetworkEndpointGroups.delete',
      'DELETE',
      project,
      `global/networkEndpointGroups/${enc(name)}`
    )
  }

  /** attachNetworkEndpoints adds endpoints to a global NEG (one per internet NEG, §3.3). */
  attachNetworkEndpoints(
    project: string,
    neg: string,
    endpoints: readonly NetworkEndpoint[]
  ): Promise<Operation> {
    return this.#mutate(
      'compute.globalNetworkEndpointGroups.attachNetworkEndpoints',
      'POST',
      project,
      `global/networkEndpointGroups/${enc(neg)}/attachNetworkEndpoints`,
      { networkEndpoints: [...endpoints] }
    )
  }

  /** detachNetworkEndpoints removes endpoints from a global NEG. */
  detachNetworkEndpoints(
    project: string,
    neg: string,
    endpoints: readonly NetworkEndpoint[]
  ): Promise<Operation> {
    return this.#mutate(
      'compute.globalNetworkEndpointGroups.detachNetworkEndpoints',
      'POST',
      project,
      `global/networkEndpointGroups/${enc(neg)}/detachNetworkEndpoints`,
      { networkEndpoints: [...endpoints] }
    )
  }

  /** listNetworkEndpoints returns the endpoints of a global NEG; the API makes this a POST without body (§3.1). */
  listNetworkEndpoints(project: string, neg: string): Promise<NetworkEndpointWithHealthStatus[]> {
    return this.#list(
      'compute.globalNetworkEndpointGroups.listNetworkEndpoints',
      project,
      `global/networkEndpointGroups/${enc(neg)}/listNetworkEndpoints`,
      undefined,
      'POST'
    )
  }

  // ---- regionNetworkEndpointGroups (serverless NEGs, gce-api.md §4.1) ----

  /** getRegionNetworkEndpointGroup returns the regional NEG (404 → GoogleApiError). */
  getRegionNetworkEndpointGroup(
    project: string,
    region: string,
    name: string
  ): Promise<NetworkEndpointGroup> {
    return this.#get(
      'compute.regionNetworkEndpointGroups.get',
      project,
      `regions/${enc(region)}/networkEndpointGroups/${enc(name)}`
    )
  }

  /** listRegionNetworkEndpointGroups returns the NEGs of one region (all pages). */
  listRegionNetworkEndpointGroups(
    project: string,
    region: string,
    opts: ListOptions = {}
  ): Promise<NetworkEndpointGroup[]> {
    return this.#list(
      'compute.regionNetworkEndpointGroups.list',
      project,
      `regions/${enc(region)}/networkEndpointGroups`,
      opts.filter
    )
  }

  /** insertRegionNetworkEndpointGroup creates a regional (serverless) NEG; its Operation is regional. */
  insertRegionNetworkEndpointGroup(
    project: string,
    region: string,
    body: NetworkEndpointGroup
  ): Promise<Operation> {
    return this.#mutate(
      'compute.regionNetworkEndpointGroups.insert',
      'POST',
      project,
      `regions/${enc(region)}/networkEndpointGroups`,
      body
    )
  }

  /** deleteRegionNetworkEndpointGroup deletes a regional NEG. */
  deleteRegionNetworkEndpointGroup(project: string, region: string, name: string): Promise<Operation> {
    return this.#mutate(
      'compute.regionNetworkEndpointGroups.delete',
      'DELETE',
      project,
      `regions/${enc(region)}/networkEndpointGroups/${enc(name)}`
    )
  }

  /**
   * aggregatedListNetworkEndpointGroups returns the NEGs of every scope (global, each region, each zone)
   * in one paged call: `GET projects/{p}/aggregated/networkEndpointGroups` answers
   * `{items: {"regions/r": {networkEndpointGroups: [...]}, "global": {...}}}`; scopes without NEGs carry
   * only a `warning`. Regional NEGs say their region in `region`.
   */
  async aggregatedListNetworkEndpointGroups(
    project: string,
    opts: ListOptions = {}
  ): Promise<NetworkEndpointGroup[]> {
    const out: NetworkEndpointGroup[] = []
    await this.#pages<AggregatedNegPage>(
      'compute.networkEndpointGroups.aggregatedList',
      project,
      'aggregated/networkEndpointGroups',
      opts.filter,
      'GET',
      (page) => {
        for (const scope of Object.values(page.items ?? {})) out.push(...(scope.networkEndpointGroups ?? []))
      }
    )
    return out
  }

  // ---- frontends (gce-api.md §7): chained load balancers read them; a `frontend` block manages them ----

  /** getGlobalForwardingRule returns the global forwarding rule (its `IPAddress`). */
  getGlobalForwardingRule(project: string, name: string): Promise<ForwardingRule> {
    return this.#get('compute.globalForwardingRules.get', project, `global/forwardingRules/${enc(name)}`)
  }

  /** listGlobalForwardingRules returns every global forwarding rule of the project (all pages). */
  listGlobalForwardingRules(project: string, opts: ListOptions = {}): Promise<ForwardingRule[]> {
    return this.#list('compute.globalForwardingRules.list', project, 'global/forwardingRules', opts.filter)
  }

  /** insertGlobalForwardingRule creates a global forwarding rule (IPAddress may name an address; §7.3). */
  insertGlobalForwardingRule(project: string, body: ForwardingRule): Promise<Operation> {
    return this.#mutate(
      'compute.globalForwardingRules.insert',
      'POST',
      project,
      'global/forwardingRules',
      body
    )
  }

  /** deleteGlobalForwardingRule deletes a global forwarding rule. */
  deleteGlobalForwardingRule(project: string, name: string): Promise<Operation> {
    return this.#mutate(
      'compute.globalForwardingRules.delete',
      'DELETE',
      project,
      `global/forwardingRules/${enc(name)}`
    )
  }

  /** setTarget points a global forwarding rule at another target proxy (§7.3). */
  setForwardingRuleTarget(project: string, name: string, target: string): Promise<Operation> {
    return this.#mutate(
      'compute.globalForwardingRules.setTarget',
      'POST',
      project,
      `global/forwardingRules/${enc(name)}/setTarget`,
      { target }
    )
  }

  /** getGlobalAddress returns the reserved global address (its `address`). */
  getGlobalAddress(project: string, name: string): Promise<Address> {
    return this.#get('compute.globalAddresses.get', project, `global/addresses/${enc(name)}`)
  }

  /** listGlobalAddresses returns every global address of the project (all pages). */
  listGlobalAddresses(project: string, opts: ListOptions = {}): Promise<Address[]> {
    return this.#list('compute.globalAddresses.list', project, 'global/addresses', opts.filter)
  }

  /** insertGlobalAddress reserves a global address (the API allocates the IP, §7.4). */
  insertGlobalAddress(project: string, body: Address): Promise<Operation> {
    return this.#mutate('compute.globalAddresses.insert', 'POST', project, 'global/addresses', body)
  }

  /** deleteGlobalAddress releases a global address (400 resourceInUseByAnotherResource while a rule uses it). */
  deleteGlobalAddress(project: string, name: string): Promise<Operation> {
    return this.#mutate('compute.globalAddresses.delete', 'DELETE', project, `global/addresses/${enc(name)}`)
  }

  /** getSslCertificate returns the certificate (managed.status and domainStatus for a managed one, §7.2). */
  getSslCertificate(project: string, name: string): Promise<SslCertificate> {
    return this.#get('compute.sslCertificates.get', project, `global/sslCertificates/${enc(name)}`)
  }

  /** listSslCertificates returns every global SSL certificate of the project (all pages). */
  listSslCertificates(project: string, opts: ListOptions = {}): Promise<SslCertificate[]> {
    return this.#list('compute.sslCertificates.list', project, 'global/sslCertificates', opts.filter)
  }

  /** insertSslCertificate creates a certificate; a managed one starts PROVISIONING (immutable, §7.2). */
  insertSslCertificate(project: string, body: SslCertificate): Promise<Operation> {
    return this.#mutate('compute.sslCertificates.insert', 'POST', project, 'global/sslCertificates', body)
  }

  /** deleteSslCertificate deletes a certificate (400 resourceInUseByAnotherResource while a proxy uses it). */
  deleteSslCertificate(project: string, name: string): Promise<Operation> {
    return this.#mutate(
      'compute.sslCertificates.delete',
      'DELETE',
      project,
      `global/sslCertificates/${enc(name)}`
    )
  }

  /** listTargetHttpsProxies returns every target HTTPS proxy of the project (all pages). */
  listTargetHttpsProxies(project: string, opts: ListOptions = {}): Promise<TargetHttpsProxy[]> {
    return this.#list('compute.targetHttpsProxies.list', project, 'global/targetHttpsProxies', opts.filter)
  }

  /** insertTargetHttpsProxy creates a target HTTPS proxy (urlMap, sslCertificates, sslPolicy?). */
  insertTargetHttpsProxy(project: string, body: TargetHttpsProxy): Promise<Operation> {
    return this.#mutate(
      'compute.targetHttpsProxies.insert',
      'POST',
      project,
      'global/targetHttpsProxies',
      body
    )
  }

  /** deleteTargetHttpsProxy deletes a target HTTPS proxy. */
  deleteTargetHttpsProxy(project: string, name: string): Promise<Operation> {
    return this.#mutate(
      'compute.targetHttpsProxies.delete',
      'DELETE',
      project,
      `global/targetHttpsProxies/${enc(name)}`
    )
  }

  /** setHttpsProxyUrlMap points a target HTTPS proxy at a URL map (path without /global/, §7.1). */
  setHttpsProxyUrlMap(project: string, name: string, urlMap: string): Promise<Operation> {
    return this.#mutate(
      'compute.targetHttpsProxies.setUrlMap',
      'POST',
      project,
      `targetHttpsProxies/${enc(name)}/setUrlMap`,
      { urlMap }
    )
  }

  /** setSslCertificates replaces a target HTTPS proxy's certificates in one call (path without /global/, §7.1). */
  setSslCertificates(project: string, name: string, sslCertificates: readonly string[]): Promise<Operation> {
    return this.#mutate(
      'compute.targetHttpsProxies.setSslCertificates',
      'POST',
      project,
      `targetHttpsProxies/${enc(name)}/setSslCertificates`,
      { sslCertificates: [...sslCertificates] }
    )
  }

  /** setSslPolicy attaches an SSL policy (URL) to a target HTTPS proxy or, with null, detaches it (§7.1). */
  setSslPolicy(project: string, name: string, sslPolicy: string | null): Promise<Operation> {
    return this.#mutate(
      'compute.targetHttpsProxies.setSslPolicy',
      'POST',
      project,
      `global/targetHttpsProxies/${enc(name)}/setSslPolicy`,
      sslPolicy === null ? {} : { sslPolicy }
    )
  }

  /** listTargetHttpProxies returns every target HTTP proxy of the project (all pages). */
  listTargetHttpProxies(project: string, opts: ListOptions = {}): Promise<TargetHttpProxy[]> {
    return this.#list('compute.targetHttpProxies.list', project, 'global/targetHttpProxies', opts.filter)
  }

  /** insertTargetHttpProxy creates a target HTTP proxy on a URL map. */
  insertTargetHttpProxy(project: string, body: TargetHttpProxy): Promise<Operation> {
    return this.#mutate('compute.targetHttpProxies.insert', 'POST', project, 'global/targetHttpProxies', body)
  }

  /** deleteTargetHttpProxy deletes a target HTTP proxy. */
  deleteTargetHttpProxy(project: string, name: string): Promise<Operation> {
    return this.#mutate(
      'compute.targetHttpProxies.delete',
      'DELETE',
      project,
      `global/targetHttpProxies/${enc(name)}`
    )
  }

  /** setHttpProxyUrlMap points a target HTTP proxy at a URL map (path without /global/, §7.1). */
  setHttpProxyUrlMap(project: string, name: string, urlMap: string): Promise<Operation> {
    return this.#mutate(
      'compute.targetHttpProxies.setUrlMap',
      'POST',
      project,
      `targetHttpProxies/${enc(name)}/setUrlMap`,
      { urlMap }
    )
  }

  // ---- operations (gce-api.md §2) ----

  /**
   * wait returns `op` once DONE, polling `operations/{name}/wait` in the operation's own scope (global,
   * regional or zonal, from selfLink/region). The server may answer early, still RUNNING, so it loops
   * within an overall budget. Throws OperationError when DONE with `error` (a 200 response, §2.1),
   * OperationTimeoutError when the budget runs out.
   */
  async wait(op: Operation, opts: WaitOptions = {}): Promise<Operation> {
    const scope = operationScope(op, opts.project)
    const started = this.#now()
    const budget = opts.timeoutMs ?? this.#operationTimeoutMs
    let current = op
    let quickReturns = 0
    while (current.status !== 'DONE') {
      const elapsed = this.#now() - started
      if (elapsed >= budget) throw new OperationTimeoutError(current, elapsed)
      const t0 = this.#now()
      current = await this.#t.call<Operation>({
        method: scope.method,
        httpMethod: 'POST',
        url: this.#url(scope.project, `${scope.path}/operations/${enc(scope.name)}/wait`),
        project: scope.project,
        timeoutMs: WAIT_REQUEST_TIMEOUT_MS
      })
      // An overloaded server may return at once (§2.2): back off instead of spinning.
      if (current.status !== 'DONE' && this.#now() - t0 < 1000) {
        await this.#sleep(Math.min(5000, 250 * 2 ** quickReturns++))
      } else {
        quickReturns = 0
      }
    }
    if (current.error) throw new OperationError(current)
    return current
  }

  /** run awaits a mutation and then waits for its Operation: `await compute.run(compute.deleteUrlMap(p, n))`. */
  async run(mutation: Promise<Operation>, opts: WaitOptions = {}): Promise<Operation> {
    return this.wait(await mutation, opts)
  }

  // ---- the one shape ----

  #url(project: string, path: string): string {
    return `${this.#base}projects/${enc(project)}/${path}`
  }

  #get<T>(method: string, project: string, path: string): Promise<T> {
    return this.#t.call<T>({ method, httpMethod: 'GET', url: this.#url(project, path), project })
  }

  // Every mutation carries a requestId generated once per call and reused by its retries (§1.5).
  #mutate(
    method: string,
    httpMethod: HttpMethod,
    project: string,
    path: string,
    body?: unknown
  ): Promise<Operation> {
    return this.#t.call<Operation>({
      method,
      httpMethod,
      url: this.#url(project, path),
      project,
      body,
      mutation: true
    })
  }

  async #list<T>(
    method: string,
    project: string,
    path: string,
    filter?: string,
    httpMethod: HttpMethod = 'GET'
  ): Promise<T[]> {
    const out: T[] = []
    await this.#pages<ListPage<T>>(method, project, path, filter, httpMethod, (page) =>
      out.push(...(page.items ?? []))
    )
    return out
  }

  // Follows nextPageToken (maxResults 500, the API's maximum, §1.4); a token that repeats is a server bug
  // and would loop forever, so it stops with an error.
  async #pages<P extends { readonly nextPageToken?: string }>(
    method: string,
    project: string,
    path: string,
    filter: string | undefined,
    httpMethod: HttpMethod,
    onPage: (page: P) => void
  ): Promise<void> {
    const seen = new Set<string>()
    let pageToken: string | undefined
    do {
      const page = await this.#t.call<P>({
        method,
        httpMethod,
        url: this.#url(project, path),
        project,
        query: { filter, maxResults: MAX_RESULTS, pageToken }
      })
      onPage(page)
      pageToken = page.nextPageToken || undefined
      if (pageToken !== undefined) {
        if (seen.has(pageToken)) throw new Error(`${method}: server repeated page token ${pageToken}`)
        seen.add(pageToken)
      }
    } while (pageToken !== undefined)
  }
}

interface OperationScope {
  readonly project: string
  readonly path: string
  readonly name: string
  readonly method: string
}

const OP_LINK_RE = /\/projects\/([^/]+)\/(global|regions\/[^/]+|zones\/[^/]+)\/operations\/([^/?]+)/

// operationScope finds where an Operation lives: global ops for global resources, regional ops for
// regional NEGs (§2.2). selfLink is authoritative; `region`/`zone` URLs and the caller's project are fallbacks.
function operationScope(op: Operation, project: string | undefined): OperationScope {
  const m = op.selfLink ? OP_LINK_RE.exec(op.selfLink) : null
  const name = (m ? decodeURIComponent(m[3]!) : undefined) ?? op.name ?? undefined
  const proj = (m ? decodeURIComponent(m[1]!) : undefined) ?? project
  if (!name || !proj) {
    throw new Error(`cannot wait for operation ${op.name ?? op.id ?? '?'}: no selfLink and no project given`)
  }
  let path = m?.[2]
  if (!path) {
    const last = (url: string): string => url.slice(url.lastIndexOf('/') + 1)
    path = op.region ? `regions/${last(op.region)}` : op.zone ? `zones/${last(op.zone)}` : 'global'
  }
  const kind =
    path === 'global'
      ? 'globalOperations'
      : path.startsWith('regions/')
        ? 'regionOperations'
        : 'zoneOperations'
  return { project: proj, path, name, method: `compute.${kind}.wait` }
}
