// Frontend resources (gce-api.md §7): target proxies, managed SSL certificates, global addresses and
// global forwarding rules. Only what a load balancer's frontend needs; all references are checked.
import { isIP } from 'node:net'
import { invalid, required } from '../errors.js'
import { isObject } from '../json.js'
import type { Store } from '../store.js'
import type { Resource } from '../types.js'
import { urlMapServiceRefs } from './url-maps.js'
import {
  isHostname,
  mustExist,
  NAME_RE,
  oneOf,
  ref,
  softRef,
  type KindContext,
  type ResourceKind,
  type Verb
} from './common.js'

const IDENTITY = ['kind', 'id', 'creationTimestamp', 'selfLink', 'fingerprint']

function usersWhere(store: Store, suffix: string, pred: (r: Resource) => boolean): string[] {
  const out: string[] = []
  for (const { resource } of store.each(suffix)) if (pred(resource)) out.push(resource.selfLink)
  return out
}

function urlMapRef(ctx: KindContext, value: unknown, field: string): string {
  if (value === undefined) throw required(field)
  const link = ref(value, ctx.project, field, ['urlMaps'])
  mustExist(ctx.store, link)
  return link
}

function certRefs(ctx: KindContext, value: unknown, field: string): string[] {
  if (!Array.isArray(value) || value.length === 0)
    throw invalid(field, '', 'At least one SSL certificate must be specified.')
  if (value.length > 15) throw invalid(field, '', 'At most 15 SSL certificates may be specified.')
  return value.map((v, i) => {
    const link = ref(v, ctx.project, `${field}[${i}]`, ['sslCertificates'])
    mustExist(ctx.store, link)
    return link
  })
}

// setUrlMap has no /global/ segment in its path (gce-api.md §7.1); router.ts maps it here.
const setUrlMap: Verb = {
  mutating: true,
  requiresExisting: true,
  run: (ctx, proxy, body) => ({ resource: { ...proxy!, urlMap: urlMapRef(ctx, body.urlMap, 'urlMap') } })
}

const proxyUsers = (store: Store, link: string): string[] =>
  usersWhere(store, '/forwardingRules', (fr) => fr.target === link)

/** targetHttpProxies: name + urlMap. */
export const targetHttpProxies: ResourceKind = {
  api: 'targetHttpProxies',
  collection: 'targetHttpProxies',
  scope: 'global',
  kind: 'compute#targetHttpProxy',
  permission: 'targetHttpProxies',
  typeLabel: 'target_http_proxy',
  fingerprinted: true,
  updatable: false,
  outputOnly: IDENTITY,
  prepare: (ctx, spec) => ({ ...spec, urlMap: urlMapRef(ctx, spec.urlMap, 'resource.urlMap') }),
  canonicalise: (r, project) => ({ ...r, ...(r.urlMap ? { urlMap: softRef(r.urlMap, project) } : {}) }),
  users: proxyUsers,
  verbs: { setUrlMap }
}

/** targetHttpsProxies: name + urlMap + sslCertificates (1..15). */
export const targetHttpsProxies: ResourceKind = {
  api: 'targetHttpsProxies',
  collection: 'targetHttpsProxies',
  scope: 'global',
  kind: 'compute#targetHttpsProxy',
  permission: 'targetHttpsProxies',
  typeLabel: 'target_https_proxy',
  fingerprinted: true,
  updatable: false,
  outputOnly: IDENTITY,
  prepare(ctx, spec) {
    oneOf(spec, 'quicOverride', ['NONE', 'ENABLE', 'DISABLE'])
    const out: Resource = { ...spec, urlMap: urlMapRef(ctx, spec.urlMap, 'resource.urlMap') }
    if (spec.sslPolicy !== undefined) out.sslPolicy = sslPolicyRef(ctx, spec.sslPolicy, 'resource.sslPolicy')
    if (spec.certificateMap === undefined || spec.sslCertificates !== undefined)
      out.sslCertificates = certRefs(ctx, spec.sslCertificates, 'resource.sslCertificates')
    out.quicOverride ??= 'NONE'
    return out
  },
  canonicalise: (r, project) => ({
    ...r,
    ...(r.urlMap ? { urlMap: softRef(r.urlMap, project) } : {}),
    ...(Array.isArray(r.sslCertificates)
      ? { sslCertificates: r.sslCertificates.map((c: unknown) => softRef(c, project)) }
      : {}),
    ...(r.sslPolicy ? { sslPolicy: softRef(r.sslPolicy, project) } : {})
  }),
  users: proxyUsers,
  verbs: {
    setUrlMap,
    setSslCertificates: {
      mutating: true,
      requiresExisting: true,
      run: (ctx, proxy, body) => ({
        resource: { ...proxy!, sslCertificates: certRefs(ctx, body.sslCertificates, 'sslCertificates') }
      })
    },
    // Under /global/, unlike setUrlMap (gce-api.md §7.1). An empty body detaches the policy.
    setSslPolicy: {
      mutating: true,
      requiresExisting: true,
      run: (ctx, proxy, body) => {
        const { sslPolicy: _old, ...rest } = proxy!
        return {
          resource:
            body.sslPolicy === undefined || body.sslPolicy === null
              ? rest
              : { ...rest, sslPolicy: sslPolicyRef(ctx, body.sslPolicy, 'sslPolicy') }
        }
      }
    }
  }
}

function sslPolicyRef(ctx: KindContext, value: unknown, field: string): string {
  const link = ref(value, ctx.project, field, ['sslPolicies'])
  mustExist(ctx.store, link)
  return link
}

/** sslPolicies: TLS settings a target HTTPS proxy may reference (profile, minimum TLS version). */
export const sslPolicies: ResourceKind = {
  api: 'sslPolicies',
  collection: 'sslPolicies',
  scope: 'global',
  kind: 'compute#sslPolicy',
  permission: 'sslPolicies',
  typeLabel: 'ssl_policy',
  fingerprinted: true,
  updatable: false,
  outputOnly: [...IDENTITY, 'enabledFeatures', 'warnings'],
  prepare(_ctx, spec) {
    oneOf(spec, 'profile', ['COMPATIBLE', 'MODERN', 'RESTRICTED', 'CUSTOM'])
    oneOf(spec, 'minTlsVersion', ['TLS_1_0', 'TLS_1_1', 'TLS_1_2', 'TLS_1_3'])
    return { ...spec, profile: spec.profile ?? 'COMPATIBLE', minTlsVersion: spec.minTlsVersion ?? 'TLS_1_0' }
  },
  canonicalise: (r) => r,
  users: (store, link) => usersWhere(store, '/targetHttpsProxies', (p) => p.sslPolicy === link)
}

/** sslCertificates: Google-managed (status PROVISIONING, never becomes ACTIVE here) or self-managed. */
export const sslCertificates: ResourceKind = {
  api: 'sslCertificates',
  collection: 'sslCertificates',
  scope: 'global',
  kind: 'compute#sslCertificate',
  permission: 'sslCertificates',
  typeLabel: 'ssl_certificate',
  fingerprinted: false,
  updatable: false,
  outputOnly: [...IDENTITY, 'expireTime', 'subjectAlternativeNames'],
  prepare(_ctx, spec) {
    const type = spec.type ?? (spec.managed !== undefined ? 'MANAGED' : 'SELF_MANAGED')
    oneOf({ type }, 'type', ['MANAGED', 'SELF_MANAGED'])
    if (type === 'MANAGED') {
      const domains: unknown = isObject(spec.managed) ? spec.managed.domains : undefined
      if (!Array.isArray(domains) || domains.length === 0) throw required('resource.managed.domains')
      if (domains.length > 100)
        throw invalid('resource.managed.domains', '', 'At most 100 domains may be specified.')
      domains.forEach((d, i) => {
        if (!isHostname(d) || !d.includes('.'))
          throw invalid(
            `resource.managed.domains[${i}]`,
            d,
            'Must be a fully qualified domain name without wildcards.'
          )
      })
      const domainStatus = Object.fromEntries(domains.map((d: string) => [d, 'PROVISIONING']))
      return { ...spec, type, managed: { domains, status: 'PROVISIONING', domainStatus } }
    }
    if (typeof spec.certificate !== 'string') throw required('resource.certificate')
    if (typeof spec.privateKey !== 'string') throw required('resource.privateKey')
    // The private key is write-only.
    const { privateKey: _key, ...rest } = spec
    return { ...rest, type }
  },
  canonicalise: (r) => r,
  users: (store, link) =>
    usersWhere(store, '/targetHttpsProxies', (p) => (p.sslCertificates ?? []).includes(link))
}

// Addresses come from the documentation ranges (RFC 5737 TEST-NET-1..3, RFC 3849).
const TEST_NETS = ['192.0.2.', '198.51.100.', '203.0.113.']

function allocateAddress(store: Store, ipVersion: string): string {
  const taken = new Set<string>()
  for (const { resource } of store.each('/addresses')) taken.add(resource.address)
  for (const { resource } of store.each('/forwardingRules')) taken.add(resource.IPAddress)
  if (ipVersion === 'IPV6') {
    for (let i = 1; ; i++) if (!taken.has(`2001:db8::${i.toString(16)}`)) return `2001:db8::${i.toString(16)}`
  }
  for (const net of TEST_NETS) for (let i = 1; i < 255; i++) if (!taken.has(net + i)) return net + i
  throw invalid('resource.address', '', 'The emulator ran out of TEST-NET addresses.')
}

const addressUsers = (store: Store, r: Resource): string[] =>
  usersWhere(store, '/forwardingRules', (fr) => fr.IPAddress === r.address || fr.IPAddress === r.selfLink)

/** globalAddresses: reserved external addresses, assigned from TEST-NET ranges. */
export const globalAddresses: ResourceKind = {
  api: 'globalAddresses',
  collection: 'addresses',
  scope: 'global',
  kind: 'compute#address',
  permission: 'globalAddresses',
  typeLabel: 'address',
  fingerprinted: false,
  updatable: false,
  outputOnly: [...IDENTITY, 'status', 'users'],
  prepare(ctx, spec) {
    oneOf(spec, 'ipVersion', ['IPV4', 'IPV6'])
    oneOf(spec, 'addressType', ['EXTERNAL', 'INTERNAL'])
    const ipVersion = spec.ipVersion ?? 'IPV4'
    if (spec.address !== undefined && isIP(spec.address) === 0)
      throw invalid('resource.address', spec.address, 'Invalid IP address.')
    return {
      ...spec,
      address: spec.address ?? allocateAddress(ctx.store, ipVersion),
      ipVersion,
      addressType: spec.addressType ?? 'EXTERNAL',
      networkTier: spec.networkTier ?? 'PREMIUM'
    }
  },
  canonicalise: (r) => r,
  users: (store, link) => {
    const r = store.getLink(link)
    return r ? addressUsers(store, r) : []
  },
  view(store, r) {
    const users = addressUsers(store, r)
    return { ...r, status: users.length ? 'IN_USE' : 'RESERVED', ...(users.length ? { users } : {}) }
  }
}

/** globalForwardingRules: IPAddress (literal or address reference) + portRange + target proxy. */
export const globalForwardingRules: ResourceKind = {
  api: 'globalForwardingRules',
  collection: 'forwardingRules',
  scope: 'global',
  kind: 'compute#forwardingRule',
  permission: 'globalForwardingRules',
  typeLabel: 'forwarding_rule',
  fingerprinted: true,
  updatable: false,
  outputOnly: IDENTITY,
  prepare(ctx, spec) {
    oneOf(spec, 'IPProtocol', ['TCP', 'UDP', 'ESP', 'AH', 'SCTP', 'ICMP', 'L3_DEFAULT'])
    oneOf(spec, 'loadBalancingScheme', [
      'EXTERNAL',
      'EXTERNAL_MANAGED',
      'INTERNAL_SELF_MANAGED',
      'INTERNAL_MANAGED'
    ])
    if (spec.target === undefined) throw required('resource.target')
    const target = ref(spec.target, ctx.project, 'resource.target', [
      'targetHttpProxies',
      'targetHttpsProxies'
    ])
    const proxy = mustExist(ctx.store, target)
    const scheme = spec.loadBalancingScheme ?? 'EXTERNAL'
    // "EXTERNAL backend services cannot be attached to EXTERNAL_MANAGED forwarding rules" (§5.2).
    const map = proxy.urlMap ? ctx.store.getLink(proxy.urlMap) : undefined
    if (scheme === 'EXTERNAL_MANAGED' && map)
      for (const link of urlMapServiceRefs(map))
        if (ctx.store.getLink(link)?.loadBalancingScheme === 'EXTERNAL')
          throw invalid(
            'resource.loadBalancingScheme',
            scheme,
            'EXTERNAL backend services cannot be used with EXTERNAL_MANAGED forwarding rules.'
          )
    let ip: string
    const given = spec.IPAddress
    if (given === undefined) ip = allocateAddress(ctx.store, spec.ipVersion ?? 'IPV4')
    else if (typeof given === 'string' && isIP(given) !== 0) ip = given
    else {
      // An address by URL, partial URL or bare name ("edge-ip"); the rule stores its IP (gce-api.md §7.3).
      const link = typeof given === 'string' && NAME_RE.test(given) ? `global/addresses/${given}` : given
      ip = mustExist(ctx.store, ref(link, ctx.project, 'resource.IPAddress', ['addresses'])).address
    }
    const https = target.includes('/targetHttpsProxies/')
    let portRange: string = spec.portRange ?? (https ? '443-443' : '80-80')
    if (/^\d+$/.test(portRange)) portRange = `${portRange}-${portRange}`
    if (!/^\d+-\d+$/.test(portRange))
      throw invalid('resource.portRange', spec.portRange, 'Invalid port range.')
    return {
      ...spec,
      IPAddress: ip,
      IPProtocol: spec.IPProtocol ?? 'TCP',
      portRange,
      target,
      loadBalancingScheme: scheme,
      networkTier: spec.networkTier ?? 'PREMIUM'
    }
  },
  canonicalise: (r, project) => ({ ...r, ...(r.target ? { target: softRef(r.target, project) } : {}) }),
  users: () => [],
  verbs: {
    // setTarget moves the rule to another proxy of the same kind of traffic (gce-api.md §7.3).
    setTarget: {
      mutating: true,
      requiresExisting: true,
      run(ctx, rule, body) {
        if (body.target === undefined) throw required('target')
        const target = ref(body.target, ctx.project, 'target', ['targetHttpProxies', 'targetHttpsProxies'])
        mustExist(ctx.store, target)
        return { resource: { ...rule!, target } }
      }
    }
  }
}
