// Written routes.json (as the user typed it, already valid) → RoutesConfig (every default filled in).
import type { JSONPath } from 'jsonc-parser'
import { expandPrefix, hostOfCloudRunUrl } from './formats.js'
import type {
  BackendProtocol,
  BackendSettings,
  Frontend,
  LoadBalancingScheme,
  Route,
  RouteTest,
  RoutesConfig,
  SourceRef,
  Target
} from './model.js'

/** routes.json v1 as written: optional fields still optional (the schema guarantees the shape). */
export interface WrittenRoutes {
  readonly version: 1
  readonly owner: string
  readonly loadBalancer: {
    readonly project: string
    readonly urlMap: string
    readonly scheme?: LoadBalancingScheme
  }
  readonly allowedInternetHosts?: readonly string[]
  readonly options?: { readonly sharedCloudRunBackend?: boolean }
  readonly routes: readonly WrittenRoute[]
  readonly tests?: readonly WrittenTest[]
  readonly frontend?: {
    readonly domains: readonly string[]
    readonly address?: string
    readonly httpRedirect?: boolean
    readonly sslPolicy?: string
  } | null
}

interface WrittenRoute extends BackendSettings {
  readonly name: string
  readonly hosts?: readonly string[]
  readonly paths?: readonly string[]
  readonly prefix?: string
  readonly default?: boolean
  readonly rewrite?: { readonly pathPrefix?: string; readonly host?: string }
  readonly to: {
    readonly cloudRun?: {
      readonly url?: string
      readonly project?: string
      readonly region?: string
      readonly service?: string
    }
    readonly serverless?: {
      readonly project: string
      readonly service: string
      readonly regions: readonly string[]
    }
    readonly internet?: {
      readonly fqdn?: string
      readonly ip?: string
      readonly port?: number
      readonly protocol?: BackendProtocol
      readonly hostHeader?: string
    }
    readonly loadBalancer?: {
      readonly domain?: string
      readonly project?: string
      readonly forwardingRule?: string
      readonly protocol?: BackendProtocol
      readonly port?: number
    }
  }
}

interface WrittenTest {
  readonly host: string
  readonly path: string
  readonly expect: {
    readonly route: string
    readonly path?: string
    readonly host?: string
    readonly status?: number | readonly number[]
  }
}

const DEFAULT_PORT = 443
const DEFAULT_PROTOCOL: BackendProtocol = 'HTTPS'

/** normaliseRoutes fills in defaults; call it only on a value with no schema or rule errors. */
export function normaliseRoutes(file: WrittenRoutes, locate: (path: JSONPath) => SourceRef): RoutesConfig {
  return {
    version: 1,
    owner: file.owner,
    loadBalancer: {
      project: file.loadBalancer.project,
      urlMap: file.loadBalancer.urlMap,
      scheme: file.loadBalancer.scheme ?? 'EXTERNAL_MANAGED'
    },
    allowedInternetHosts: (file.allowedInternetHosts ?? []).map((h) => h.toLowerCase()),
    sharedCloudRunBackend: file.options?.sharedCloudRunBackend ?? false,
    routes: file.routes.map((r, i) => normaliseRoute(r, locate(['routes', i]))),
    tests: (file.tests ?? []).map((t, i) => normaliseTest(t, locate(['tests', i]))),
    loadBalancerAt: locate(['loadBalancer']),
    ...(file.frontend !== undefined
      ? { frontend: normaliseFrontend(file.frontend, locate(['frontend'])) }
      : {})
  }
}

function normaliseFrontend(f: NonNullable<WrittenRoutes['frontend']> | null, at: SourceRef): Frontend | null {
  if (f === null) return null
  return {
    domains: f.domains.map((d) => d.toLowerCase()),
    ...(f.address !== undefined ? { address: f.address } : {}),
    httpRedirect: f.httpRedirect ?? true,
    ...(f.sslPolicy !== undefined ? { sslPolicy: f.sslPolicy } : {}),
    at
  }
}

function normaliseRoute(r: WrittenRoute, at: SourceRef): Route {
  const rewrite = r.rewrite && {
    ...(r.rewrite.pathPrefix !== undefined && { pathPrefix: r.rewrite.pathPrefix }),
    ...(r.rewrite.host !== undefined && { host: r.rewrite.host.toLowerCase() })
  }
  const backend: BackendSettings = {
    ...(r.timeoutSec !== undefined && { timeoutSec: r.timeoutSec }),
    ...(r.enableCdn !== undefined && { enableCdn: r.enableCdn }),
    ...(r.securityPolicy !== undefined && { securityPolicy: r.securityPolicy }),
    ...(r.logSampleRate !== undefined && { logSampleRate: r.logSampleRate }),
    ...(r.requestHeaders !== undefined && { requestHeaders: r.requestHeaders })
  }
  return {
    name: r.name,
    hosts: (r.hosts ?? ['*']).map((h) => h.toLowerCase()),
    paths: r.prefix !== undefined ? expandPrefix(r.prefix) : (r.paths ?? []),
    default: r.default ?? false,
    ...(rewrite && { rewrite }),
    target: normaliseTarget(r.to),
    backend,
    at
  }
}

function normaliseTarget(to: WrittenRoute['to']): Target {
  if (to.cloudRun) {
    const c = to.cloudRun
    if (c.url !== undefined) return { kind: 'cloudRun', url: `https://${hostOfCloudRunUrl(c.url)}` }
    return { kind: 'cloudRun', project: c.project ?? '', region: c.region ?? '', service: c.service ?? '' }
  }
  if (to.serverless) {
    const s = to.serverless
    return { kind: 'serverless', project: s.project, service: s.service, regions: s.regions }
  }
  if (to.internet) {
    const n = to.internet
    return {
      kind: 'internet',
      ...(n.fqdn !== undefined && { fqdn: n.fqdn.toLowerCase() }),
      ...(n.ip !== undefined && { ip: n.ip.toLowerCase() }),
      port: n.port ?? DEFAULT_PORT,
      protocol: n.protocol ?? DEFAULT_PROTOCOL,
      ...(n.hostHeader !== undefined && { hostHeader: n.hostHeader })
    }
  }
  const l = to.loadBalancer ?? {}
  const protocol = l.protocol ?? DEFAULT_PROTOCOL
  const port = l.port ?? DEFAULT_PORT
  if (l.domain !== undefined) return { kind: 'loadBalancer', domain: l.domain.toLowerCase(), protocol, port }
  return {
    kind: 'loadBalancer',
    project: l.project ?? '',
    forwardingRule: l.forwardingRule ?? '',
    protocol,
    port
  }
}

function normaliseTest(t: WrittenTest, at: SourceRef): RouteTest {
  return {
    host: t.host.toLowerCase(),
    path: t.path,
    expect: {
      route: t.expect.route,
      ...(t.expect.path !== undefined && { path: t.expect.path }),
      ...(t.expect.host !== undefined && { host: t.expect.host.toLowerCase() }),
      ...(t.expect.status !== undefined && { status: ([] as number[]).concat(t.expect.status) })
    },
    at
  }
}
