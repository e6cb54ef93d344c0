// The load balancer's frontend (issue #6, the technique's "create the load balancer" steps): a global
// address, a Google-managed certificate, the target HTTPS proxy on the shared URL map, a forwarding rule
// on 443 and, unless turned off, an HTTP→HTTPS redirect (its own URL map, target HTTP proxy and a
// forwarding rule on 80 on the same address). Names derive from the URL map, not the owner, so a second
// owner declaring a frontend for the same map meets the first one's resources and is told who holds them.
import type {
  Address,
  ForwardingRule,
  SslCertificate,
  TargetHttpProxy,
  TargetHttpsProxy,
  UrlMap
} from '../compute.js'
import { COMPUTE_BASE } from '../compute.js'
import type { RoutesConfig } from '../routes/model.js'
import { ownerMarker } from './markers.js'
import { resourceName } from './naming.js'

/** Everything the frontend of one URL map is made of, as insert bodies (names and markers set). */
export interface DesiredFrontend {
  readonly project: string
  readonly domains: readonly string[]
  /** The address was named in routes.json: an existing address without a marker is used, never deleted. */
  readonly addressNamed: boolean
  readonly address: Address & { name: string }
  readonly certificate: SslCertificate & { name: string }
  readonly httpsProxy: TargetHttpsProxy & { name: string }
  readonly httpsRule: ForwardingRule & { name: string }
  /** The redirect chain, when httpRedirect is on. */
  readonly redirect?: {
    readonly urlMap: UrlMap & { name: string }
    readonly httpProxy: TargetHttpProxy & { name: string }
    readonly httpRule: ForwardingRule & { name: string }
  }
}

/** frontendMarker is the description of every frontend resource: owner plus the URL map it fronts. */
export function frontendMarker(owner: string, urlMap: string): string {
  return ownerMarker(owner).replace(/^(lb-routes owner=\S+)/, `$1 frontend=${urlMap}`)
}

/** markerFrontend reads which URL map a frontend resource fronts (undefined for other resources). */
export function markerFrontend(description: string | null | undefined): string | undefined {
  return description ? /(?:^|\s)frontend=([a-z][-a-z0-9]*)(?:\s|$)/.exec(description)?.[1] : undefined
}

/** globalRef builds the canonical URL of a global resource of the load balancer's project. */
export function globalRef(project: string, collection: string, name: string): string {
  return `${COMPUTE_BASE}projects/${project}/global/${collection}/${name}`
}

/** redirectMapName names the HTTP→HTTPS redirect URL map of a load balancer (read by name: never listed). */
export function redirectMapName(project: string, urlMap: string): string {
  return resourceName([urlMap], 'redirect', [project, urlMap])
}

/**
 * compileFrontend turns the `frontend` block into resources; undefined when the file has no block (the
 * frontend is then neither read nor touched), null when it asks for the owner's frontend to go.
 */
export function compileFrontend(config: RoutesConfig): DesiredFrontend | null | undefined {
  const f = config.frontend
  if (f === undefined || f === null) return f
  const { owner } = config
  const { project, urlMap, scheme } = config.loadBalancer
  const description = frontendMarker(owner, urlMap)
  const id = [project, urlMap]
  const addressName = f.address ?? resourceName([urlMap], 'ip', id)
  const ref = (collection: string, name: string) => globalRef(project, collection, name)
  // A certificate is immutable: its name hashes the domains, so new domains mean a new certificate.
  const certName = resourceName([urlMap], 'cert', [...id, ...[...f.domains].sort()])
  const httpsProxyName = resourceName([urlMap], 'https', id)
  // A forwarding rule's IP cannot change: a new address means a new rule (created before the old goes).
  const rule = (tag: string, target: string, port: string): ForwardingRule & { name: string } => ({
    name: resourceName([urlMap], tag, [...id, addressName]),
    description,
    IPAddress: ref('addresses', addressName),
    IPProtocol: 'TCP',
    portRange: port,
    target,
    loadBalancingScheme: scheme,
    networkTier: 'PREMIUM'
  })
  const redirectName = redirectMapName(project, urlMap)
  const httpProxyName = resourceName([urlMap], 'http', id)
  return {
    project,
    domains: f.domains,
    addressNamed: f.address !== undefined,
    address: { name: addressName, description, addressType: 'EXTERNAL', ipVersion: 'IPV4' },
    certificate: { name: certName, description, type: 'MANAGED', managed: { domains: [...f.domains] } },
    httpsProxy: {
      name: httpsProxyName,
      description,
      urlMap: ref('urlMaps', urlMap),
      sslCertificates: [ref('sslCertificates', certName)],
      ...(f.sslPolicy ? { sslPolicy: ref('sslPolicies', f.sslPolicy) } : {})
    },
    httpsRule: rule('fr-https', ref('targetHttpsProxies', httpsProxyName), '443-443'),
    ...(f.httpRedirect
      ? {
          redirect: {
            urlMap: {
              name: redirectName,
              description,
              defaultUrlRedirect: {
                httpsRedirect: true,
                redirectResponseCode: 'MOVED_PERMANENTLY_DEFAULT',
                stripQuery: false
              }
            },
            httpProxy: { name: httpProxyName, description, urlMap: ref('urlMaps', redirectName) },
            httpRule: rule('fr-http', ref('targetHttpProxies', httpProxyName), '80-80')
          }
        }
      : {})
  }
}
