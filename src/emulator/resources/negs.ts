// Network endpoint groups: global internet NEGs (gce-api.md §3) and regional serverless NEGs (§4).
// NEGs are immutable (no update/patch). A global NEG keeps its endpoints in `networkEndpoints`, an
// internal field that output replaces with `size` and the state file exposes as is (DESIGN.md §8).
import { COMPUTE_BASE } from '../../core/compute.js'
import { invalid, required } from '../errors.js'
import { paginate } from '../filter.js'
import { isObject, omit } from '../json.js'
import type { Store } from '../store.js'
import type { Resource } from '../types.js'
import { intField, isHostname, isPublicIp, type KindContext, type ResourceKind, type Verb } from './common.js'

const INTERNET_TYPES = ['INTERNET_FQDN_PORT', 'INTERNET_IP_PORT']
const OUTPUT_ONLY = ['kind', 'id', 'creationTimestamp', 'selfLink', 'size', 'region', 'networkEndpoints']

/** negUsers lists backend services whose backends use the NEG (delete guard, gce-api.md §3.3). */
function negUsers(store: Store, link: string): string[] {
  const out: string[] = []
  for (const { resource } of store.each('/backendServices'))
    if ((resource.backends ?? []).some((b: Resource) => b.group === link)) out.push(resource.selfLink)
  return out
}

/** endpointKey identifies an endpoint for attach de-duplication and detach. */
function endpointKey(e: Resource): string {
  return `${e.fqdn ?? ''}|${e.ipAddress ?? ''}|${e.port ?? ''}`
}

/** readEndpoints validates an attach/detach body against the NEG type (fqdn vs ipAddress, §3.2). */
function readEndpoints(neg: Resource, body: Resource): Resource[] {
  const eps = body.networkEndpoints
  if (!Array.isArray(eps) || eps.length === 0) throw required('resource.networkEndpoints')
  return eps.map((raw: unknown, i: number) => {
    const field = `resource.networkEndpoints[${i}]`
    if (!isObject(raw)) throw invalid(field, raw, 'Must be a network endpoint.')
    const e: Resource = {}
    if (neg.networkEndpointType === 'INTERNET_FQDN_PORT') {
      if (raw.ipAddress !== undefined)
        throw invalid(
          `${field}.ipAddress`,
          raw.ipAddress,
          'IP address cannot be set for INTERNET_FQDN_PORT network endpoint groups.'
        )
      if (raw.fqdn === undefined) throw required(`${field}.fqdn`)
      if (!isHostname(raw.fqdn))
        throw invalid(`${field}.fqdn`, raw.fqdn, 'Must be a valid fully qualified domain name.')
      e.fqdn = raw.fqdn
    } else {
      if (raw.fqdn !== undefined)
        throw invalid(
          `${field}.fqdn`,
          raw.fqdn,
          'FQDN cannot be set for INTERNET_IP_PORT network endpoint groups.'
        )
      if (raw.ipAddress === undefined) throw required(`${field}.ipAddress`)
      if (!isPublicIp(raw.ipAddress))
        throw invalid(`${field}.ipAddress`, raw.ipAddress, 'Must be a public IP address (not RFC 1918).')
      e.ipAddress = raw.ipAddress
    }
    if (raw.instance !== undefined)
      throw invalid(
        `${field}.instance`,
        raw.instance,
        'Instance cannot be set for internet network endpoints.'
      )
    // "If you don't specify a port ... the default port of the NEG is used" (§3.3).
    const port = intField({ port: raw.port }, 'port', 1, 65535) ?? neg.defaultPort
    if (port !== undefined) e.port = port
    return e
  })
}

const attach: Verb = {
  mutating: true,
  requiresExisting: true,
  run(_ctx, neg, body) {
    const current: Resource[] = neg!.networkEndpoints ?? []
    const next = [...current]
    for (const e of readEndpoints(neg!, body))
      if (!next.some((x) => endpointKey(x) === endpointKey(e))) next.push(e)
    // "You can add only one endpoint to an internet NEG" (§3.3); exact server text unknown.
    if (next.length > 1)
      throw invalid(
        'resource.networkEndpoints',
        '',
        'A global internet network endpoint group can have at most one network endpoint.'
      )
    return { resource: { ...neg!, networkEndpoints: next } }
  }
}

const detach: Verb = {
  mutating: true,
  requiresExisting: true,
  run(_ctx, neg, body) {
    // Detaching an endpoint that is not attached is a no-op here (server behaviour unverified).
    const gone = new Set(readEndpoints(neg!, body).map(endpointKey))
    const next = (neg!.networkEndpoints ?? []).filter((x: Resource) => !gone.has(endpointKey(x)))
    return { resource: next.length ? { ...neg!, networkEndpoints: next } : omit(neg!, ['networkEndpoints']) }
  }
}

// listNetworkEndpoints is a POST whose body is the JSON string "" (gce-api.md §9.4).
const listEndpoints: Verb = {
  mutating: false,
  requiresExisting: true,
  run(_ctx, neg, _body, query) {
    const all = (neg!.networkEndpoints ?? []).map((e: Resource) => ({ networkEndpoint: e }))
    const page = paginate(all, query.get('maxResults'), query.get('pageToken'))
    return {
      body: {
        kind: 'compute#networkEndpointGroupsListNetworkEndpoints',
        ...(page.items.length ? { items: page.items } : {}),
        ...(page.nextPageToken ? { nextPageToken: page.nextPageToken } : {})
      }
    }
  }
}

/** globalNetworkEndpointGroups: INTERNET_FQDN_PORT / INTERNET_IP_PORT, one endpoint each. */
export const globalNegs: ResourceKind = {
  api: 'globalNetworkEndpointGroups',
  collection: 'networkEndpointGroups',
  scope: 'global',
  kind: 'compute#networkEndpointGroup',
  permission: 'networkEndpointGroups',
  typeLabel: 'network_endpoint_group',
  fingerprinted: false,
  updatable: false,
  outputOnly: OUTPUT_ONLY,
  prepare(_ctx, spec) {
    const type = spec.networkEndpointType
    if (type === undefined) throw required('resource.networkEndpointType')
    if (!INTERNET_TYPES.includes(type))
      throw invalid(
        'resource.networkEndpointType',
        type,
        'Global network endpoint groups support only INTERNET_FQDN_PORT and INTERNET_IP_PORT.'
      )
    if (spec.network !== undefined || spec.subnetwork !== undefined)
      throw invalid(
        'resource.network',
        spec.network ?? spec.subnetwork,
        'Network cannot be set for global network endpoint groups.'
      )
    intField(spec, 'defaultPort', 1, 65535)
    for (const k of ['cloudRun', 'appEngine', 'cloudFunction'])
      if (spec[k] !== undefined)
        throw invalid(`resource.${k}`, '', `${k} can only be set for SERVERLESS network endpoint groups.`)
    return spec
  },
  canonicalise: (r) => r,
  users: negUsers,
  view(_store, r) {
    return { ...omit(r, ['networkEndpoints']), size: (r.networkEndpoints ?? []).length }
  },
  verbs: {
    attachNetworkEndpoints: attach,
    detachNetworkEndpoints: detach,
    listNetworkEndpoints: listEndpoints
  }
}

const RFC1035 = /^[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?$/

/** regionNetworkEndpointGroups: SERVERLESS (Cloud Run) only, in the emulator. */
export const regionNegs: ResourceKind = {
  api: 'regionNetworkEndpointGroups',
  collection: 'networkEndpointGroups',
  scope: 'region',
  kind: 'compute#networkEndpointGroup',
  permission: 'networkEndpointGroups',
  typeLabel: 'network_endpoint_group',
  fingerprinted: false,
  updatable: false,
  outputOnly: OUTPUT_ONLY,
  prepare(ctx: KindContext, spec) {
    const type = spec.networkEndpointType
    if (type !== 'SERVERLESS')
      throw invalid(
        'resource.networkEndpointType',
        type,
        'The emulator supports only SERVERLESS regional network endpoint groups.'
      )
    const targets = ['cloudRun', 'appEngine', 'cloudFunction'].filter((k) => spec[k] !== undefined)
    if (targets.length !== 1)
      throw invalid(
        'resource',
        '',
        'Only one of cloudRun, appEngine or cloudFunction may be set for a serverless network endpoint group.'
      )
    if (spec.defaultPort !== undefined)
      throw invalid(
        'resource.defaultPort',
        spec.defaultPort,
        'Default port cannot be set for serverless network endpoint groups.'
      )
    if (spec.network !== undefined)
      throw invalid(
        'resource.network',
        spec.network,
        'Network cannot be set for serverless network endpoint groups.'
      )
    const run = spec.cloudRun
    if (run !== undefined) {
      if (!isObject(run) || (run.service === undefined && run.urlMask === undefined))
        throw invalid('resource.cloudRun', '', 'The service must be provided explicitly or in the URL mask.')
      for (const k of ['service', 'tag'])
        if (run[k] !== undefined && !(typeof run[k] === 'string' && RFC1035.test(run[k])))
          throw invalid(`resource.cloudRun.${k}`, run[k], 'Must be 1-63 characters and comply with RFC1035.')
    }
    return { ...spec, region: `${COMPUTE_BASE}projects/${ctx.project}/regions/${ctx.region}` }
  },
  canonicalise: (r) => r,
  users: negUsers,
  view: (_store, r) => ({ ...r, size: 0 })
}
