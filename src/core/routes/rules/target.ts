// Rules on a route's target ("to"): field formats, the fields each kind needs together, and the allow-list
// that internet and cross-load-balancer targets must be listed in. Each rule applies when "to" names exactly
// one kind and its value is an object (the schema reports the rest).
import type { JSONPath } from 'jsonc-parser'
import {
  allowsHost,
  cloudRunUrlProblem,
  hostnameProblem,
  isUnderRunApp,
  nameProblem,
  parseIp,
  projectProblem,
  publicIpProblem,
  regionProblem,
  runServiceProblem
} from '../formats.js'
import { quote, type Problem } from '../problem.js'
import { error, str, strings, type FileContext, type RouteContext, type TargetKind } from './context.js'

type Format = (value: string) => string | undefined

// Each kind's string fields and their format, in the order they are reported.
const FIELD_FORMATS: Readonly<Record<TargetKind, ReadonlyArray<readonly [string, Format]>>> = {
  cloudRun: [
    ['url', cloudRunUrlProblem],
    ['project', projectProblem],
    ['region', regionProblem],
    ['service', runServiceProblem]
  ],
  serverless: [
    ['project', projectProblem],
    ['service', runServiceProblem]
  ],
  internet: [
    ['fqdn', (v) => fqdnProblem(v.toLowerCase())],
    ['ip', publicIpProblem],
    ['hostHeader', (v) => hostnameProblem(v.toLowerCase(), { port: true })]
  ],
  loadBalancer: [
    ['domain', (v) => fqdnProblem(v.toLowerCase())],
    ['project', projectProblem],
    ['forwardingRule', (v) => nameProblem(v, 63)]
  ]
}

/** Each string field of the target has its kind's format. */
export function targetFields(r: RouteContext): Problem[] {
  const { kind, target } = r
  if (kind === undefined || target === undefined) return []
  return FIELD_FORMATS[kind].flatMap(([key, format]) => {
    const v = str(target, key)
    const p = v === undefined ? undefined : format(v)
    return p ? [error(r.at('to', kind, key), `${kind}.${key} ${quote(v)} ${p}`)] : []
  })
}

/** serverless.regions are regions, each once (a backend service takes one serverless NEG per region). */
export function serverlessRegions(r: RouteContext): Problem[] {
  if (r.kind !== 'serverless' || r.target === undefined) return []
  const seen = new Set<string>()
  return strings(r.target, 'regions').flatMap(([k, region]) => {
    const at = r.at('to', 'serverless', 'regions', k)
    const p = regionProblem(region)
    const twice = seen.has(region)
    seen.add(region)
    if (p) return [error(at, `serverless region ${quote(region)} ${p}`)]
    if (!twice) return []
    return [
      error(
        at,
        `serverless.regions lists ${quote(region)} twice; a backend service takes one serverless NEG per region, so remove the duplicate`
      )
    ]
  })
}

/** cloudRun names the service by "url" or by "project", "region" and "service" together. */
export function cloudRunNaming(r: RouteContext): Problem[] {
  const t = r.target
  if (r.kind !== 'cloudRun' || t === undefined) return []
  const at = r.at('to', 'cloudRun')
  const byName = ['project', 'region', 'service'].some((k) => k in t)
  if ('url' in t && byName) {
    return [
      error(
        at,
        'cloudRun needs either "url" or "project", "region" and "service", not both; keep one way of naming the service'
      )
    ]
  }
  if ('url' in t) return []
  const missing = ['project', 'region', 'service'].filter((k) => !(k in t))
  if (missing.length === 3)
    return [
      error(at, 'cloudRun needs either "url" (https://....run.app) or "project", "region" and "service"')
    ]
  if (missing.length === 0) return []
  return [
    error(
      at,
      `cloudRun is missing ${missing.map((k) => `"${k}"`).join(' and ')}; give "project", "region" and "service" together (or a "url" instead)`
    )
  ]
}

/** internet has exactly one of "fqdn" and "ip". */
export function internetEndpoint(r: RouteContext): Problem[] {
  const t = r.target
  if (r.kind !== 'internet' || t === undefined) return []
  const at = r.at('to', 'internet')
  if ('fqdn' in t && 'ip' in t) return [error(at, 'internet needs exactly one of "fqdn" or "ip", not both')]
  if (!('fqdn' in t) && !('ip' in t))
    return [error(at, 'internet needs "fqdn" (a hostname) or "ip" (a public IP address)')]
  return []
}

/** An internet endpoint outside *.run.app is listed in allowedInternetHosts, so review sees the allowance. */
export function internetAllowed(r: RouteContext, file: FileContext): Problem[] {
  const t = r.target
  if (r.kind !== 'internet' || t === undefined || ('fqdn' in t && 'ip' in t)) return []
  const fqdn = str(t, 'fqdn')
  const ip = str(t, 'ip')
  return [
    ...(fqdn !== undefined && fqdnProblem(fqdn.toLowerCase()) === undefined && !isUnderRunApp(fqdn)
      ? mustAllow(r, file, 'fqdn', fqdn.toLowerCase())
      : []),
    ...(ip !== undefined && publicIpProblem(ip) === undefined
      ? mustAllow(r, file, 'ip', ip.toLowerCase())
      : [])
  ]
}

/** loadBalancer names the other load balancer by "domain" or by "project" and "forwardingRule". */
export function loadBalancerNaming(r: RouteContext): Problem[] {
  const t = r.target
  if (r.kind !== 'loadBalancer' || t === undefined) return []
  const problem = (message: string) => [error(r.at('to', 'loadBalancer'), message)]
  const byRule = 'project' in t || 'forwardingRule' in t
  if ('domain' in t && byRule)
    return problem('loadBalancer needs either "domain" or "project" and "forwardingRule", not both')
  if ('domain' in t) return []
  if (!byRule)
    return problem(
      'loadBalancer needs "domain", or "project" and "forwardingRule" (the other load balancer\'s global forwarding rule)'
    )
  if (!('project' in t)) return problem('loadBalancer is missing "project" (the project of "forwardingRule")')
  if (!('forwardingRule' in t))
    return problem(
      'loadBalancer is missing "forwardingRule" (the name of the other load balancer\'s global forwarding rule)'
    )
  return []
}

/** A loadBalancer domain outside *.run.app is listed in allowedInternetHosts. */
export function loadBalancerAllowed(r: RouteContext, file: FileContext): Problem[] {
  if (r.kind !== 'loadBalancer' || r.target === undefined) return []
  const domain = str(r.target, 'domain')
  if (domain === undefined || fqdnProblem(domain.toLowerCase()) !== undefined || isUnderRunApp(domain))
    return []
  return mustAllow(r, file, 'domain', domain.toLowerCase())
}

function mustAllow(r: RouteContext, file: FileContext, key: string, host: string): Problem[] {
  if (file.allowed.some((entry) => allowsHost(entry, host))) return []
  const kind = r.kind ?? ''
  const at: JSONPath = r.at('to', kind, key)
  return [
    error(
      at,
      `${kind}.${key} ${quote(host)} is not listed in allowedInternetHosts; add ${quote(host)} to the top-level "allowedInternetHosts" list of this file so the allowance is visible in review`
    )
  ]
}

// An Internet NEG endpoint name: a concrete DNS name with at least two labels.
function fqdnProblem(value: string): string | undefined {
  const p = hostnameProblem(value)
  if (p) return p
  if (!value.includes('.')) return 'must be a fully qualified domain name such as "api.example.com"'
  return parseIp(value) ? 'is an IP address; use "ip" instead of "fqdn"' : undefined
}
