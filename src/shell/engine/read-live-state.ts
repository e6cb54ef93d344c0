// readLiveState: everything the planner needs, read with list calls (one per project and collection),
// never one GET per resource (DESIGN.md §6). Cloud Run services are read only for cloudRun targets
// given by project/region/service (their uri is the NEG endpoint; ingress and IAM feed the preflight).
import type { BackendService, NetworkEndpoint, NetworkEndpointGroup, UrlMap } from '../../core/compute.js'
import { cloudRunKey, type Resolutions } from '../../core/compile/compile-desired.js'
import { redirectMapName } from '../../core/compile/frontend.js'
import { markerAdoptedNegs, markerOwner } from '../../core/compile/markers.js'
import type { LiveFrontend, LiveState, RunServiceFacts } from '../../core/plan/live.js'
import type { RoutesConfig } from '../../core/routes/model.js'
import { collectServiceReferences } from '../../core/urlmap/validate.js'
import { refProject } from '../../core/urlmap/refs.js'
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
 * readLbResources lists, with one paginated list call each, the backend services and regional NEGs
 * (aggregated list) of `projects` and the global NEGs of `globalProjects`.
 */
export async function readLbResources(
  compute: ComputeClient,
  projects: ReadonlySet<string>,
  globalProjects: ReadonlySet<string>
): Promise<LbResources> {
  const [backendLists, globalLists, regionLists] = await Promise.all([
    Promise.all([...projects].map((p) => compute.listBackendServices(p))),
    Promise.all([...globalProjects].map((p) => compute.listGlobalNetworkEndpointGroups(p))),
    Promise.all([...projects].map((p) => compute.aggregatedListNetworkEndpointGroups(p)))
  ])
  return {
    backendServices: backendLists.flat(),
    globalNegs: globalLists.flat(),
    // The aggregated list also holds global NEGs (under "global"); those come from the global list.
    regionNegs: regionLists.flat().filter((n) => /\/regions\//.test(n.selfLink ?? ''))
  }
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

  const runTargets = new Map<string, { project: string; region: string; service: string }>()
  const ruleProjects = new Set<string>()
  for (const r of config.routes) {
    const t = r.target
    if (t.kind === 'cloudRun' && 'project' in t)
      runTargets.set(cloudRunKey(t.project, t.region, t.service), t)
    if (t.kind === 'loadBalancer' && 'project' in t) ruleProjects.add(t.project)
  }

  const [{ backendServices, globalNegs, regionNegs }, runFacts, ruleLists, frontend] = await Promise.all([
    readLbResources(compute, projects, new Set([lb.project])),
    Promise.all(
      [...runTargets.entries()].map(async ([key, t]) => [key, await readRunService(run, t)] as const)
    ),
    Promise.all([...ruleProjects].map(async (p) => [p, await compute.listGlobalForwardingRules(p)] as const)),
    config.frontend !== undefined ? readFrontend(compute, lb.project, lb.urlMap) : undefined
  ])

  const runServices: Record<string, RunServiceFacts> = Object.fromEntries(runFacts)
  const cloudRunHosts: Record<string, string> = {}
  for (const [key, f] of runFacts) if (f.uri) cloudRunHosts[key] = new URL(f.uri).hostname
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

async function readRunService(
  run: RunClient,
  t: { project: string; region: string; service: string }
): Promise<RunServiceFacts> {
  try {
    const [svc, policy] = await Promise.all([
      run.getService(t.project, t.region, t.service),
      run.getIamPolicy(t.project, t.region, t.service)
    ])
    return {
      found: true,
      ...(svc.uri ? { uri: svc.uri } : {}),
      ingress: svc.ingress,
      defaultUriDisabled: svc.defaultUriDisabled,
      invokerIamDisabled: svc.invokerIamDisabled,
      publicInvoker: isPubliclyInvokable(policy)
    }
  } catch (err) {
    if (isNotFound(err)) return { found: false }
    throw err
  }
}
