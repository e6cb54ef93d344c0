// URL + method → route. Purely syntactic: it knows the served paths (gce-api.md §2.2, §3.1, §4.1, §5.1,
// §6.1, §7, §10.1; STS and IAM Credentials from actions-ecosystem.md §1.5) and nothing about state.
import type { ResourceKind } from './resources/common.js'
import { globalKind, regionKind } from './resources/index.js'

/** Compute resource methods; `verb` is a custom method such as `attachNetworkEndpoints`. */
export interface ComputeRoute {
  readonly api: 'compute'
  readonly method: string
  readonly kind: ResourceKind
  readonly op: 'list' | 'aggregatedList' | 'insert' | 'get' | 'delete' | 'update' | 'patch' | 'verb'
  readonly project: string
  readonly region?: string
  readonly name?: string
  readonly verb?: string
  readonly mutating: boolean
  readonly permission: string
  readonly resource: string
}

/** globalOperations / regionOperations. */
export interface OperationsRoute {
  readonly api: 'operations'
  readonly method: string
  readonly op: 'get' | 'wait' | 'list' | 'delete'
  readonly project: string
  readonly region?: string
  readonly name?: string
  readonly mutating: false
  readonly permission: string
  readonly resource: string
}

/** Cloud Run Admin v2 services. */
export interface RunRoute {
  readonly api: 'run'
  readonly method: string
  readonly op: 'get' | 'list' | 'getIamPolicy'
  readonly project: string
  readonly region: string
  readonly name?: string
  readonly mutating: false
  readonly permission: string
  readonly resource: string
}

/** Everything the server can dispatch, or why not. */
export type Route =
  | ComputeRoute
  | OperationsRoute
  | RunRoute
  | { readonly api: 'sts'; readonly method: 'sts.token'; readonly mutating: false }
  | {
      readonly api: 'iam'
      readonly method: 'iamcredentials.generateAccessToken'
      readonly serviceAccount: string
      readonly mutating: false
    }
  | { readonly api: 'none'; readonly style: ErrorStyle; readonly status: 404 | 405; readonly message: string }

/** Which error body a path gets: Compute (apiary), Google AIP-193, or OAuth (STS). */
export type ErrorStyle = 'compute' | 'google' | 'oauth'

const PERMISSION_VERB: Record<string, string> = {
  list: 'list',
  aggregatedList: 'list',
  get: 'get',
  insert: 'create',
  delete: 'delete',
  update: 'update',
  patch: 'update'
}

/** route resolves a request; unknown paths are 404 and known paths with the wrong method 405. */
export function route(method: string, pathname: string): Route {
  let segs: string[]
  try {
    segs = pathname.split('/').slice(1).map(decodeURIComponent)
  } catch {
    return notFound('compute', pathname)
  }
  if (segs.at(-1) === '') segs.pop()
  if (segs[0] === 'compute' && segs[1] === 'v1' && segs[2] === 'projects' && segs[3])
    return compute(method, segs[3], segs.slice(4), pathname)
  if (segs[0] === 'v2') return run(method, segs, pathname)
  if (segs[0] === 'v1' && segs[1] === 'token' && segs.length === 2)
    return method === 'POST'
      ? { api: 'sts', method: 'sts.token', mutating: false }
      : notAllowed('oauth', method, pathname)
  if (
    segs[0] === 'v1' &&
    segs[1] === 'projects' &&
    segs[2] === '-' &&
    segs[3] === 'serviceAccounts' &&
    segs.length === 5
  ) {
    const m = /^(.+):generateAccessToken$/.exec(segs[4]!)
    if (m)
      return method === 'POST'
        ? { api: 'iam', method: 'iamcredentials.generateAccessToken', serviceAccount: m[1]!, mutating: false }
        : notAllowed('google', method, pathname)
  }
  return notFound(segs[0] === 'v1' || segs[0] === 'v2' ? 'google' : 'compute', pathname)
}

function notFound(style: ErrorStyle, pathname: string): Route {
  return {
    api: 'none',
    style,
    status: 404,
    message: `The requested URL ${pathname} was not found on this server.`
  }
}

function notAllowed(style: ErrorStyle, method: string, pathname: string): Route {
  return { api: 'none', style, status: 405, message: `Method ${method} is not allowed for ${pathname}.` }
}

function compute(method: string, project: string, rest: string[], pathname: string): Route {
  let kind: ResourceKind | undefined
  let region: string | undefined
  let tail: string[]
  if (rest[0] === 'aggregated' && rest.length === 2) {
    // aggregatedList: every scope of a project in one call, `items` keyed "global" / "regions/R" (§1.4).
    kind = rest[1] === 'networkEndpointGroups' ? globalKind(rest[1]) : undefined
    if (!kind) return notFound('compute', pathname)
    if (method !== 'GET') return notAllowed('compute', method, pathname)
    return computeRoute(kind, 'aggregatedList', project)
  }
  if (rest[0] === 'global') {
    if (rest[1] === 'operations') return operations(method, project, undefined, rest.slice(2), pathname)
    kind = rest[1] ? globalKind(rest[1]) : undefined
    tail = rest.slice(2)
  } else if (rest[0] === 'regions' && rest[1]) {
    region = rest[1]
    if (rest[2] === 'operations') return operations(method, project, region, rest.slice(3), pathname)
    kind = rest[2] ? regionKind(rest[2]) : undefined
    tail = rest.slice(3)
  } else if ((rest[0] === 'targetHttpProxies' || rest[0] === 'targetHttpsProxies') && rest.length === 3) {
    kind = globalKind(rest[0])
    const verb = rest[2]!
    // Only these two live outside /global/; setSslPolicy and the rest are under it (gce-api.md §7.1).
    if (!kind?.verbs?.[verb] || !['setUrlMap', 'setSslCertificates'].includes(verb))
      return notFound('compute', pathname)
    if (method !== 'POST') return notAllowed('compute', method, pathname)
    return computeRoute(kind, 'verb', project, undefined, rest[1], verb)
  } else return notFound('compute', pathname)
  if (!kind || tail.length > 2 || tail.some((s) => s === '')) return notFound('compute', pathname)
  if (tail.length === 0) {
    if (method === 'GET') return computeRoute(kind, 'list', project, region)
    if (method === 'POST') return computeRoute(kind, 'insert', project, region)
    return notAllowed('compute', method, pathname)
  }
  const name = tail[0]!
  if (tail.length === 1) {
    if (method === 'GET') return computeRoute(kind, 'get', project, region, name)
    if (method === 'DELETE') return computeRoute(kind, 'delete', project, region, name)
    if (kind.updatable && method === 'PUT') return computeRoute(kind, 'update', project, region, name)
    if (kind.updatable && method === 'PATCH') return computeRoute(kind, 'patch', project, region, name)
    return notAllowed('compute', method, pathname)
  }
  const verb = tail[1]!
  // setUrlMap / setSslCertificates live outside /global/ (gce-api.md §7.1); under it they do not exist.
  if (
    !kind.verbs?.[verb] ||
    (kind.api.startsWith('targetHttp') && ['setUrlMap', 'setSslCertificates'].includes(verb))
  )
    return notFound('compute', pathname)
  if (method !== 'POST') return notAllowed('compute', method, pathname)
  return computeRoute(kind, 'verb', project, region, name, verb)
}

function computeRoute(
  kind: ResourceKind,
  op: ComputeRoute['op'],
  project: string,
  region?: string,
  name?: string,
  verb?: string
): ComputeRoute {
  const scope = region ? `regions/${region}` : 'global'
  const mutating =
    op === 'insert' ||
    op === 'delete' ||
    op === 'update' ||
    op === 'patch' ||
    (op === 'verb' && kind.verbs![verb!]!.mutating)
  return {
    api: 'compute',
    // aggregatedList belongs to the zonal service (`networkEndpointGroups`), not the global one.
    method: `compute.${op === 'aggregatedList' ? kind.collection : kind.api}.${verb ?? op}`,
    kind,
    op,
    project,
    ...(region ? { region } : {}),
    ...(name !== undefined ? { name } : {}),
    ...(verb ? { verb } : {}),
    mutating,
    permission: `compute.${kind.permission}.${verb ?? PERMISSION_VERB[op]}`,
    resource:
      name !== undefined ? `projects/${project}/${scope}/${kind.collection}/${name}` : `projects/${project}`
  }
}

function operations(
  method: string,
  project: string,
  region: string | undefined,
  tail: string[],
  pathname: string
): Route {
  const api = region ? 'regionOperations' : 'globalOperations'
  const scope = region ? `regions/${region}` : 'global'
  const base = {
    api: 'operations' as const,
    project,
    ...(region ? { region } : {}),
    mutating: false as const
  }
  const make = (op: OperationsRoute['op'], name?: string): OperationsRoute => ({
    ...base,
    method: `compute.${api}.${op}`,
    op,
    ...(name ? { name } : {}),
    permission: `compute.${api}.${op === 'wait' ? 'get' : op}`,
    resource: name ? `projects/${project}/${scope}/operations/${name}` : `projects/${project}`
  })
  if (tail.some((s) => s === '')) return notFound('compute', pathname)
  if (tail.length === 0) return method === 'GET' ? make('list') : notAllowed('compute', method, pathname)
  if (tail.length === 1) {
    if (method === 'GET') return make('get', tail[0])
    if (method === 'DELETE') return make('delete', tail[0])
    return notAllowed('compute', method, pathname)
  }
  if (tail.length === 2 && tail[1] === 'wait')
    return method === 'POST' ? make('wait', tail[0]) : notAllowed('compute', method, pathname)
  return notFound('compute', pathname)
}

function run(method: string, segs: string[], pathname: string): Route {
  // /v2/projects/{p}/locations/{r}/services[/{s}[:getIamPolicy]]
  if (
    segs[1] !== 'projects' ||
    !segs[2] ||
    segs[3] !== 'locations' ||
    !segs[4] ||
    segs[5] !== 'services' ||
    segs.length > 7
  )
    return notFound('google', pathname)
  const project = segs[2]
  const region = segs[4]
  const base = { api: 'run' as const, project, region, mutating: false as const }
  const where = `projects/${project}/locations/${region}/services`
  if (segs.length === 6)
    return method === 'GET'
      ? {
          ...base,
          method: 'run.services.list',
          op: 'list',
          permission: 'run.services.list',
          resource: `projects/${project}/locations/${region}`
        }
      : notAllowed('google', method, pathname)
  const last = segs[6]!
  const iam = /^(.+):getIamPolicy$/.exec(last)
  if (iam)
    return method === 'GET' || method === 'POST'
      ? {
          ...base,
          method: 'run.services.getIamPolicy',
          op: 'getIamPolicy',
          name: iam[1]!,
          permission: 'run.services.getIamPolicy',
          resource: `${where}/${iam[1]}`
        }
      : notAllowed('google', method, pathname)
  if (last.includes(':') || !last) return notFound('google', pathname)
  return method === 'GET'
    ? {
        ...base,
        method: 'run.services.get',
        op: 'get',
        name: last,
        permission: 'run.services.get',
        resource: `${where}/${last}`
      }
    : notAllowed('google', method, pathname)
}
