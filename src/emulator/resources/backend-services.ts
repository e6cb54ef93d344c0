// Global backend services (gce-api.md §5) with the internet/serverless NEG rules of §3.3 and §4.3.
import { invalid, required } from '../errors.js'
import { isObject } from '../json.js'
import { parseLink, type Store } from '../store.js'
import type { Resource } from '../types.js'
import {
  intField,
  mustExist,
  oneOf,
  ref,
  softRef,
  type KindContext,
  type ResourceKind,
  type Verb
} from './common.js'
import { urlMapServiceRefs, urlMapUses } from './url-maps.js'

const PROTOCOLS = ['HTTP', 'HTTPS', 'HTTP2', 'H2C', 'TCP', 'SSL', 'UDP', 'GRPC', 'UNSPECIFIED']
const INTERNET = ['INTERNET_FQDN_PORT', 'INTERNET_IP_PORT']
const SCHEMES = ['EXTERNAL', 'EXTERNAL_MANAGED', 'INTERNAL_MANAGED', 'INTERNAL_SELF_MANAGED', 'INTERNAL']
// Hop-by-hop and reserved names the load balancer refuses in custom headers (§5.2).
const FORBIDDEN_HEADERS =
  /^(x-user-ip|cdn-loop|keep-alive|transfer-encoding|te|connection|trailer|upgrade)$|^(x-google|x-goog-|x-gfe|x-amz-)/i

/** urlMapsUsing lists URL maps (any project) referencing the backend service anywhere in the map. */
export function urlMapsUsing(store: Store, link: string): string[] {
  const out: string[] = []
  for (const { resource } of store.each('/urlMaps'))
    if (urlMapUses(resource, link)) out.push(resource.selfLink)
  return out.sort()
}

function checkHeaders(spec: Resource, key: string): void {
  const headers = spec[key]
  if (headers === undefined) return
  if (!Array.isArray(headers) || headers.length > 16)
    throw invalid(`resource.${key}`, '', 'At most 16 custom headers may be specified.')
  const seen = new Set<string>()
  headers.forEach((h: unknown, i: number) => {
    const field = `resource.${key}[${i}]`
    const name =
      typeof h === 'string' && h.includes(':') ? h.slice(0, h.indexOf(':')).trim().toLowerCase() : ''
    if (!name || !/^[!#$%&'*+.^_`|~0-9a-z-]+$/.test(name))
      throw invalid(field, h, 'Custom header must be in the form header-name:header-value.')
    if (FORBIDDEN_HEADERS.test(name)) throw invalid(field, h, `Header name '${name}' is not allowed.`)
    if (seen.has(name)) throw invalid(field, h, 'A header name must not appear more than once.')
    seen.add(name)
  })
}

/** prepareBackends canonicalises each backend's group, checks it exists, and returns the NEG types. */
function prepareBackends(ctx: KindContext, spec: Resource): { backends: Resource[]; types: string[] } {
  const backends: unknown = spec.backends ?? []
  if (!Array.isArray(backends)) throw invalid('resource.backends', '', 'Must be a list of backends.')
  const types: string[] = []
  const serverlessRegions = new Set<string>()
  const seen = new Set<string>()
  const out = backends.map((b: unknown, i: number) => {
    const field = `resource.backends[${i}]`
    if (!isObject(b)) throw invalid(field, b, 'Must be a backend.')
    if (b.group === undefined) throw required(`${field}.group`)
    const group = ref(b.group, ctx.project, `${field}.group`, ['networkEndpointGroups', 'instanceGroups'])
    if (seen.has(group))
      throw invalid(`${field}.group`, b.group, 'Duplicate backend group in backend service.')
    seen.add(group)
    const type: string = mustExist(ctx.store, group).networkEndpointType ?? 'GCE_VM_IP_PORT'
    types.push(type)
    if (type === 'SERVERLESS') {
      const region = parseLink(group)!.collection.split('/')[1]!
      // "only one serverless NEG per region" (§4.3).
      if (serverlessRegions.has(region))
        throw invalid(
          `${field}.group`,
          b.group,
          `A backend service can have only one serverless network endpoint group per region (${region}).`
        )
      serverlessRegions.add(region)
    }
    // Server-filled defaults for NEG backends, echoed on GET (§5.2, inferred).
    return { balancingMode: 'UTILIZATION', capacityScaler: 1, ...b, group }
  })
  return { backends: out, types }
}

/** checkBackendMix enforces the internet/serverless NEG rules (§3.3, §4.3) and sets timeoutSec. */
function checkBackendMix(spec: Resource, out: Resource, types: readonly string[]): void {
  const internet = types.filter((t) => INTERNET.includes(t)).length
  const serverless = types.filter((t) => t === 'SERVERLESS').length
  if (internet > 1)
    throw invalid(
      'resource.backends',
      '',
      'A backend service can have only one internet network endpoint group backend.'
    )
  if ((internet && internet !== types.length) || (serverless && serverless !== types.length))
    throw invalid(
      'resource.backends',
      '',
      'Internet and serverless network endpoint groups cannot be mixed with other backend types.'
    )
  if ((internet || serverless) && spec.healthChecks !== undefined)
    throw invalid(
      'resource.healthChecks',
      spec.healthChecks,
      'Backend services with internet or serverless network endpoint group backends must not have a health check.'
    )
  if (internet && !['HTTP', 'HTTPS', 'HTTP2'].includes(out.protocol))
    throw invalid(
      'resource.protocol',
      out.protocol,
      'Internet network endpoint groups support only HTTP, HTTPS and HTTP2.'
    )
  if (!serverless) out.timeoutSec = intField(spec, 'timeoutSec', 1, 2147483647) ?? 30
  // Exact message from serverless-neg-concepts (gce-api.md §4.3); the fixed timeout is not echoed.
  else if (spec.timeoutSec !== undefined)
    throw invalid(
      'resource.timeoutSec',
      spec.timeoutSec,
      'Timeout sec is not supported for a backend service with Serverless network endpoint groups.'
    )
}

/** checkSchemeChange: a backend service created for one load balancer type cannot serve a URL map of another (§5.2). */
function checkSchemeChange(store: Store, existing: Resource, scheme: string): void {
  if (existing.loadBalancingScheme === scheme) return
  for (const map of urlMapsUsing(store, existing.selfLink))
    for (const other of urlMapServiceRefs(store.getLink(map) ?? {}))
      if (other !== existing.selfLink && store.getLink(other)?.loadBalancingScheme !== scheme)
        throw invalid(
          'resource.loadBalancingScheme',
          scheme,
          `The backend service is used by '${map}' together with backend services of another load balancing scheme.`
        )
}

/** backendServices: global; NEG backends only (instance groups are not emulated). */
export const backendServices: ResourceKind = {
  api: 'backendServices',
  collection: 'backendServices',
  scope: 'global',
  kind: 'compute#backendService',
  permission: 'backendServices',
  typeLabel: 'backend_service',
  fingerprinted: true,
  updatable: true,
  outputOnly: [
    'kind',
    'id',
    'creationTimestamp',
    'selfLink',
    'fingerprint',
    'usedBy',
    'securityPolicy',
    'edgeSecurityPolicy'
  ],
  prepare(ctx, spec, existing) {
    oneOf(spec, 'protocol', PROTOCOLS)
    oneOf(spec, 'loadBalancingScheme', SCHEMES)
    const out: Resource = { ...spec }
    out.protocol ??= 'HTTP'
    out.loadBalancingScheme ??= 'EXTERNAL'
    checkHeaders(spec, 'customRequestHeaders')
    checkHeaders(spec, 'customResponseHeaders')
    const { backends, types } = prepareBackends(ctx, spec)
    if (backends.length) out.backends = backends
    else delete out.backends
    checkBackendMix(spec, out, types)
    if (spec.logConfig?.sampleRate !== undefined) {
      const r = spec.logConfig.sampleRate
      if (typeof r !== 'number' || r < 0 || r > 1)
        throw invalid('resource.logConfig.sampleRate', r, 'Must be between 0 and 1.')
    }
    if (existing) checkSchemeChange(ctx.store, existing, out.loadBalancingScheme)
    // Server defaults seen on GET (§5.2, inferred); a differ must ignore them.
    out.port ??= 80
    out.portName ??= 'http'
    out.sessionAffinity ??= 'NONE'
    out.affinityCookieTtlSec ??= 0
    out.connectionDraining ??= { drainingTimeoutSec: 300 }
    out.enableCDN ??= false
    // securityPolicy is output only; it changes through setSecurityPolicy (§5.2).
    if (existing?.securityPolicy) out.securityPolicy = existing.securityPolicy
    return out
  },
  canonicalise(r, project) {
    const out = { ...r }
    if (Array.isArray(r.backends))
      out.backends = r.backends.map((b: Resource) => ({ ...b, group: softRef(b.group, project) }))
    if (r.securityPolicy) out.securityPolicy = softRef(r.securityPolicy, project)
    return out
  },
  users: urlMapsUsing,
  view(store, r) {
    const users = urlMapsUsing(store, r.selfLink)
    return users.length ? { ...r, usedBy: users.map((reference) => ({ reference })) } : r
  },
  verbs: {
    setSecurityPolicy: {
      mutating: true,
      requiresExisting: true,
      run(ctx, bs, body) {
        const next: Resource = { ...bs! }
        // Security policies are not emulated: any well-formed reference is accepted; empty clears it.
        if (body.securityPolicy)
          next.securityPolicy = ref(body.securityPolicy, ctx.project, 'securityPolicy', ['securityPolicies'])
        else delete next.securityPolicy
        return { resource: next }
      }
    } satisfies Verb
  }
}
