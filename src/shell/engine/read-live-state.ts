// readLiveState: everything the planner needs, read with list calls (one per project and collection, NEGs
// through one aggregated list), never one GET per resource (DESIGN.md §6). Cloud Run services are listed per
// (project, region) that cloudRun-by-service and serverless targets name (their uri is the NEG endpoint;
// ingress and default URL feed the preflight); IAM policies only for routes a plan creates or changes.
import type { BackendService, NetworkEndpoint, NetworkEndpointGroup, UrlMap } from '../../core/compute.js'
import { cloudRunKey, type Resolutions } from '../../core/compile/compile-desired.js'
import { redirectMapName } from '../../core/compile/frontend.js'
import { markerAdoptedNegs, markerOwner } from '../../core/compile/markers.js'
import { runRegions, runTargets, type RunTargetRef } from '../../core/plan/checks/preflight.js'
import type { LiveFrontend, LiveState, RunServiceFacts } from '../../core/plan/live.js'
import type { RoutesConfig } from '../../core/routes/model.js'
import { collectServiceReferences } from '../../core/google-semantics/validate.js'
import { refProject } from '../../core/google-semantics/refs.js'
import type { ComputeClient } from '../google/compute-client.js'
import { isNotFound } from '../google/errors.js'
import { isPubliclyInvokable, type RunClient } from '../google/run-client.js'

/** The API clients the engine reads and writes through (passed in; tests point them at the emulator). */
export interface GoogleClients {
  readonly compute: ComputeClient
  readonly run: RunClient
}

export interface LiveRead {
  readonly live: LiveState
  readonly resolved: Resolutions
}

/** getUrlMapOrUndefined reads the URL map, or undefined when it does not exist (yet). */
export async function getUrlMapOrUndefined(
  compute: ComputeClient,
  project: string,
  name: string
): Promise<UrlMap | undefined> {
  try {
    return await compute.getUrlMap(project, name)
  } catch (err) {
    if (isNotFound(err)) return undefined
    throw err
  }
}

/** The backend services and NEGs a plan, an export or a rollback compares against. */
export interface LbResources {
  readonly backendServices: readonly BackendService[]
  readonly globalNegs: readonly NetworkEndpointGroup[]
  readonly regionNegs: readonly NetworkEndpointGroup[]
}

/** addMapProjects adds to `projects` the project of every backend service a URL map references. */
export function addMapProjects(
  projects: Set<string>,
  map: UrlMap | undefined | null,
  lbProject: string
): void {
  if (map) for (const ref of collectServiceReferences(map)) projects.add(refProject(ref) ?? lbProject)
}

/**
 * readLbResources lists, with one paginated list call each, the backend services of `projects` and the NEGs
 * of `projects` and `globalProjects` — one aggregated NEG list per project, split by scope: the regional
 * NEGs of `projects`, the global NEGs of `globalProjects` (never the global list as well).
 */
export async function readLbResources(
  compute: ComputeClient,
  projects: ReadonlySet<string>,
  globalProjects: ReadonlySet<string>
): Promise<LbResources> {
  const negProjects = [...new Set([...projects, ...globalProjects])]
  const [backendLists, negLists] = await Promise.all([
    Promise.all([...projects].map((p) => compute.listBackendServices(p))),
    Promise.all(negProjects.map((p) => compute.aggregatedListNetworkEndpointGroups(p)))
  ])
  const globalNegs: NetworkEndpointGroup[] = []
  const regionNegs: NetworkEndpointGroup[] = []
  for (const [i, list] of negLists.entries()) {
    const project = negProjects[i]!
    for (const n of list) {
      const link = n.selfLink ?? ''
      if (/\/regions\//.test(link)) {
        if (projects.has(project)) regionNegs.push(n)
      } else if (/\/global\//.test(link) && globalProjects.has(project)) globalNegs.push(n)
    }
  }
  return { backendServices: backendLists.flat(), globalNegs, regionNegs }
}

/**
 * readLiveState reads the URL map, backend services, NEGs, Cloud Run services and forwarding rules that
 * matter. With `adopt` it also lists the endpoints of the unmanaged global Internet NEGs (candidates for
 * adoption); the endpoints of NEGs this owner adopted earlier are listed on every plan.
 */
export async function readLiveState(
  config: RoutesConfig,
  clients: GoogleClients,
  opts: { readonly adopt?: boolean } = {}
): Promise<LiveRead> {
  const { compute, run } = clients
  const lb = config.loadBalancer
  const urlMap = await getUrlMapOrUndefined(compute, lb.project, lb.urlMap)

  // Projects whose backend services and regional NEGs matter: the LB's, every serverless target's, and
  // every project a backend referenced by the map lives in (cross-project references left by earlier applies).
  const projects = new Set<string>([lb.project])
  for (const r of config.routes) if (r.target.kind === 'serverless') projects.add(r.target.project)
  addMapProjects(projects, urlMap, lb.project)

  const ruleProjects = new Set<string>()
  for (const r of config.routes) {
    const t = r.target
    if (t.kind === 'loadBalancer' && 'project' in t) ruleProjects.add(t.project)
  }

  const [{ backendServices, globalNegs, regionNegs }, runServices, ruleLists, frontend] = await Promise.all([
    readLbResources(compute, projects, new Set([lb.project])),
    readRunServices(run, config),
    Promise.all([...ruleProjects].map(async (p) => [p, await compute.listGlobalForwardingRules(p)] as const)),
    config.frontend !== undefined ? readFrontend(compute, lb.project, lb.urlMap) : undefined
  ])

  const cloudRunHosts: Record<string, string> = {}
  for (const [key, f] of Object.entries(runServices)) if (f.uri) cloudRunHosts[key] = new URL(f.uri).hostname
  const forwardingRuleIps: Record<string, string> = {}
  for (const [project, rules] of ruleLists) {
    for (const fr of rules)
      if (fr.name && fr.IPAddress) forwardingRuleIps[`${project}/${fr.name}`] = fr.IPAddress
  }
  const negEndpoints = await readAdoptableEndpoints(compute, config, backendServices, globalNegs, opts.adopt)
  return {
    live: {
      ...(urlMap ? { urlMap } : {}),
      backendServices,
      globalNegs,
      regionNegs,
      ...(negEndpoints ? { negEndpoints } : {}),
      runServices,
      ...(frontend ? { frontend } : {})
    },
    resolved: { cloudRunHosts, forwardingRuleIps }
  }
}

/**
 * readAdoptableEndpoints lists the endpoints of the global Internet NEGs binding needs (adopt.ts): those this
 * owner's backend services record as adopted, and, when adopting, every one without an lb-routes marker.
 * Plans of owners that adopted nothing make no extra calls.
 */
async function readAdoptableEndpoints(
  compute: ComputeClient,
  config: RoutesConfig,
  backendServices: readonly BackendService[],
  globalNegs: readonly NetworkEndpointGroup[],
  adopt: boolean | undefined
): Promise<Record<string, NetworkEndpoint[]> | undefined> {
  const lbProject = config.loadBalancer.project
  const recorded = new Set<string>()
  for (const b of backendServices) {
    if (markerOwner(b.description) !== config.owner || !b.selfLink?.includes(`/projects/${lbProject}/`))
      continue
    for (const rec of markerAdoptedNegs(b.description))
      if (rec.startsWith('global/')) recorded.add(rec.slice('global/'.length))
  }
  const wanted = globalNegs.filter(
    (n) =>
      /^INTERNET_/.test(n.networkEndpointType ?? '') &&
      (recorded.has(n.name ?? '') || (adopt && markerOwner(n.description) === undefined))
  )
  if (wanted.length === 0) return undefined
  const lists = await Promise.all(
    wanted.map(async (n) => {
      const eps = await compute.listNetworkEndpoints(lbProject, n.name ?? '')
      return [n.name ?? '', eps.flatMap((e) => (e.networkEndpoint ? [e.networkEndpoint] : []))] as const
    })
  )
  return Object.fromEntries(lists)
}

/**
 * readFrontend lists the load balancer project's frontend collections (one list call each, in parallel) and
 * gets the redirect URL map by its derived name. Only called when routes.json has a `frontend` key, so plans
 * without one make no extra calls.
 */
async function readFrontend(compute: ComputeClient, project: string, urlMap: string): Promise<LiveFrontend> {
  const [addresses, sslCertificates, targetHttpsProxies, targetHttpProxies, forwardingRules, redirect] =
    await Promise.all([
      compute.listGlobalAddresses(project),
      compute.listSslCertificates(project),
      compute.listTargetHttpsProxies(project),
      compute.listTargetHttpProxies(project),
      compute.listGlobalForwardingRules(project),
      getUrlMapOrUndefined(compute, project, redirectMapName(project, urlMap))
    ])
  return {
    addresses,
    sslCertificates,
    targetHttpsProxies,
    targetHttpProxies,
    forwardingRules,
    ...(redirect ? { redirectUrlMap: redirect } : {})
  }
}

/**
 * readRunServices lists the Cloud Run services of every (project, region) the routes target — cloudRun targets
 * by service and every region of serverless targets — once each (Run v2 has no `locations/-` list), and keeps
 * the facts of the services the routes name; a service not in its region's list is `found: false`. IAM
 * policies are not read here: only for routes the plan creates or changes (readInvokers).
 */
async function readRunServices(
  run: RunClient,
  config: RoutesConfig
): Promise<Record<string, RunServiceFacts>> {
  const lists = await Promise.all(
    runRegions(config).map(async ({ project, region }) => {
      const services = await run.listServices(project, region).catch((err: unknown) => {
        if (isNotFound(err)) return [] // an unknown region has no services
        throw err
      })
      return services.map((svc) => [cloudRunKey(project, region, svc.name.split('/').pop()!), svc] as const)
    })
  )
  const listed = new Map(lists.flat())
  const facts: Record<string, RunServiceFacts> = {}
  for (const t of runTargets(config)) {
    const svc = listed.get(t.key)
    facts[t.key] = svc
      ? {
          found: true,
          ...(svc.uri ? { uri: svc.uri } : {}),
          ingress: svc.ingress,
          defaultUriDisabled: svc.defaultUriDisabled,
          invokerIamDisabled: svc.invokerIamDisabled
        }
      : { found: false }
  }
  return facts
}

/**
 * readInvokers reads the IAM policy of each service (getIamPolicy, in parallel) and returns the facts with
 * `publicInvoker` set for them: whether allUsers holds roles/run.invoker.
 */
export async function readInvokers(
  run: RunClient,
  facts: Readonly<Record<string, RunServiceFacts>>,
  targets: readonly RunTargetRef[]
): Promise<Record<string, RunServiceFacts>> {
  const read = await Promise.all(
    targets.map(async (t) => {
      const policy = await run.getIamPolicy(t.project, t.region, t.service)
      return [t.key, { ...facts[t.key]!, publicInvoker: isPubliclyInvokable(policy) }] as const
    })
  )
  return { ...facts, ...Object.fromEntries(read) }
}
