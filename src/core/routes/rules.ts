// Semantic rules for routes.json: what the JSON Schema cannot say (formats with fix-it advice, cross-field
// and cross-route constraints, the internet allow-list). Rules run on the raw parsed value even when the
// schema found problems, so every mistake is reported at once; each rule skips values of the wrong type
// (the schema reports those).
import type { JSONPath } from 'jsonc-parser'
import {
  allowsHost,
  cloudRunUrlProblem,
  expandPrefix,
  headerName,
  hostnameProblem,
  isUnderRunApp,
  nameProblem,
  parseIp,
  pathPatternProblem,
  policyAllows,
  prefixProblem,
  projectProblem,
  publicIpProblem,
  regionProblem,
  requestHeaderProblem,
  runServiceProblem,
  securityPolicyProblem
} from './formats.js'
import { withControlChars } from './control-chars.js'
import { quote, RELATED_AT, type Problem } from './problem.js'
import { nearest } from './suggest.js'

/** Longest route name and owner: both go into 63-character resource names with a hash (DESIGN.md §3). */
export const MAX_NAME_LENGTH = 40
/** Compute allows at most 16 custom request headers per backend service, a Host override included. */
export const MAX_REQUEST_HEADERS = 16

export interface RuleOptions {
  /** The load balancer owner's allow-list (--allowed-internet-hosts); undefined when none was given. */
  readonly policyAllowedInternetHosts?: readonly string[]
}

type Obj = Readonly<Record<string, unknown>>

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function str(o: Obj, key: string): string | undefined {
  const v = o[key]
  return typeof v === 'string' ? v : undefined
}

function strings(o: Obj, key: string): Array<readonly [number, string]> {
  const v = o[key]
  if (!Array.isArray(v)) return []
  return v.flatMap((item, i) => (typeof item === 'string' ? [[i, item] as const] : []))
}

interface Claim {
  readonly route: string
  readonly path: JSONPath
}

/** ruleProblems checks everything about a parsed routes.json value that the schema cannot. */
export function ruleProblems(root: unknown, opts: RuleOptions): Problem[] {
  const problems: Problem[] = []
  const error = (path: JSONPath, message: string, related?: JSONPath) =>
    problems.push({ path, message, severity: 'error', ...(related && { related }) })
  const warning = (path: JSONPath, message: string) => problems.push({ path, message, severity: 'warning' })
  if (!isObj(root)) return problems

  const owner = str(root, 'owner')
  if (owner !== undefined) {
    const p = nameProblem(owner, MAX_NAME_LENGTH)
    if (p) error(['owner'], `owner ${quote(owner)} ${p}`)
  }

  const lb = isObj(root.loadBalancer) ? root.loadBalancer : {}
  const lbProject = str(lb, 'project')
  if (lbProject !== undefined) {
    const p = projectProblem(lbProject)
    if (p) error(['loadBalancer', 'project'], `loadBalancer.project ${quote(lbProject)} ${p}`)
  }
  const urlMap = str(lb, 'urlMap')
  if (urlMap !== undefined) {
    const p = nameProblem(urlMap, 63)
    if (p) error(['loadBalancer', 'urlMap'], `loadBalancer.urlMap ${quote(urlMap)} ${p}`)
  }
  const classic = str(lb, 'scheme') === 'EXTERNAL'
  const shared = isObj(root.options) && root.options.sharedCloudRunBackend === true

  const allowed = checkAllowList(root, opts, error)

  const routes = Array.isArray(root.routes) ? root.routes : []
  const names = new Map<string, number>()
  const claims = new Map<string, Claim>()
  const defaults = new Map<string, Claim>()
  for (const [i, route] of routes.entries()) {
    if (!isObj(route)) continue
    const at = (...rest: JSONPath): JSONPath => ['routes', i, ...rest]
    const name = str(route, 'name')
    if (name !== undefined) {
      const p = nameProblem(name, MAX_NAME_LENGTH)
      if (p) error(at('name'), `route name ${quote(name)} ${p}`)
      const first = names.get(name)
      if (first === undefined) names.set(name, i)
      else {
        error(
          at('name'),
          `route name ${quote(name)} is already used by routes[${first}]${RELATED_AT}; route names must be unique`,
          ['routes', first, 'name']
        )
      }
    }
    const label = name ?? `routes[${i}]`

    const hosts: Array<readonly [JSONPath, string]> = []
    if (route.hosts === undefined) hosts.push([at(), '*'])
    const seenHosts = new Set<string>()
    for (const [k, raw] of strings(route, 'hosts')) {
      const host = raw.toLowerCase()
      const p = hostnameProblem(host, { wildcard: true, port: true })
      if (p) error(at('hosts', k), `host ${quote(raw)} ${p}`)
      else if (seenHosts.has(host))
        error(at('hosts', k), `host ${quote(raw)} is listed twice in this route; remove the duplicate`)
      else {
        if (classic && host.includes(':')) {
          warning(
            at('hosts', k),
            `host ${quote(raw)} has a port, but a classic (EXTERNAL) load balancer ignores ports in host rules`
          )
        }
        hosts.push([at('hosts', k), host])
      }
      seenHosts.add(host)
    }

    // Each claimed path with the JSON path to blame for it (the paths element, or the prefix).
    const paths: Array<readonly [JSONPath, string]> = []
    const prefix = str(route, 'prefix')
    const hasPaths = route.paths !== undefined
    if (prefix !== undefined && hasPaths) {
      error(
        at('prefix'),
        `use either "prefix" or "paths", not both; "prefix": ${quote(prefix)} already means paths ${quote(expandPrefix(prefix))}`
      )
    } else if (prefix !== undefined) {
      const p = prefixProblem(prefix)
      if (p) error(at('prefix'), `prefix ${quote(prefix)} ${p}`)
      else for (const path of expandPrefix(prefix)) paths.push([at('prefix'), path])
    }
    const seenPaths = new Set<string>()
    for (const [k, path] of strings(route, 'paths')) {
      const p = pathPatternProblem(path)
      if (p) error(at('paths', k), `path ${quote(path)} ${p}`)
      else if (seenPaths.has(path))
        error(at('paths', k), `path ${quote(path)} is listed twice in this route; remove the duplicate`)
      else paths.push([at('paths', k), path])
      seenPaths.add(path)
    }

    const isDefault = route.default === true
    if (prefix === undefined && !hasPaths && route.default !== true && route.default !== 'true') {
      error(
        at(),
        `route ${quote(label)} has no "paths" or "prefix" and is not "default": true, so no request can reach it; add paths, a prefix or "default": true`
      )
    }

    if (isObj(route.rewrite)) {
      if (prefix === undefined && !hasPaths) {
        error(
          at('rewrite'),
          `route ${quote(label)} has a rewrite but no "paths" or "prefix"; a rewrite applies to the paths it matches, so add paths or a prefix (lb-routes does not rewrite default routes)`
        )
      }
      const pathPrefix = str(route.rewrite, 'pathPrefix')
      if (pathPrefix !== undefined) {
        const p = pathPrefix.startsWith('/')
          ? pathPatternProblem(pathPrefix.replace(/\*/g, ''))
          : `must start with "/"; use "/${pathPrefix}"`
        if (p) error(at('rewrite', 'pathPrefix'), `rewrite.pathPrefix ${quote(pathPrefix)} ${p}`)
        // No warning for a pathPrefix without a trailing "/": compile adds it for "/p/*" rules, so
        // prefix "/v1" + pathPrefix "/api" sends "/v1/x" as "/api/x" (compile-desired.ts routeActionFor).
        else if (pathPrefix.includes('*'))
          error(
            at('rewrite', 'pathPrefix'),
            `rewrite.pathPrefix ${quote(pathPrefix)} must not contain "*"; it is inserted literally`
          )
      }
      const host = str(route.rewrite, 'host')
      if (host !== undefined) {
        const p = hostnameProblem(host.toLowerCase(), { port: true })
        if (p) error(at('rewrite', 'host'), `rewrite.host ${quote(host)} ${p}`)
      }
    }

    for (const [hostPath, host] of hosts) {
      for (const [blame, path] of paths) {
        const key = `${host}\u0000${path}`
        const first = claims.get(key)
        if (first === undefined) claims.set(key, { route: label, path: blame })
        else if (first.path[1] !== i) {
          const hostText =
            hostPath.length > 2
              ? ` host ${quote(host)}`
              : ` host ${quote(host)} (the default when "hosts" is left out)`
          error(
            blame,
            `path ${quote(path)} on${hostText} is already claimed by route ${quote(first.route)}${RELATED_AT}; each host+path may go to only one route`,
            first.path
          )
        }
      }
      if (isDefault) {
        const first = defaults.get(host)
        if (first === undefined) defaults.set(host, { route: label, path: at('default') })
        else {
          error(
            at('default'),
            `route ${quote(first.route)}${RELATED_AT} is already the default for host ${quote(host)}; a host has at most one default route`,
            first.path
          )
        }
      }
    }

    const kind = checkTarget(route, at, allowed, error)
    checkBackend(route, at, kind, shared, error, warning)
  }

  checkTests(root, names, error)
  checkFrontend(root, error)
  return withControlChars(root, problems)
}

// Frontend domains: what a Google-managed certificate accepts (fully qualified, no wildcard, unique).
function checkFrontend(root: Obj, error: Report): void {
  if (!isObj(root.frontend)) return
  for (const key of ['address', 'sslPolicy']) {
    const name = str(root.frontend, key)
    const p = name === undefined ? undefined : nameProblem(name, 63)
    if (p) error(['frontend', key], `frontend.${key} ${quote(name!)} ${p}`)
  }
  const seen = new Map<string, number>()
  for (const [k, raw] of strings(root.frontend, 'domains')) {
    const at = ['frontend', 'domains', k]
    const domain = raw.toLowerCase()
    if (domain.includes('*')) {
      error(
        at,
        `frontend domain ${quote(raw)} is a wildcard; Google-managed certificates do not support wildcards, so list each domain (e.g. "www.example.com")`
      )
      continue
    }
    const p =
      hostnameProblem(raw) ?? (domain.includes('.') ? undefined : 'must be a fully qualified domain name')
    if (p) {
      error(at, `frontend domain ${quote(raw)} ${p}`)
      continue
    }
    const first = seen.get(domain)
    if (first !== undefined)
      error(at, `frontend domain ${quote(raw)} is already listed as domains[${first}]; remove the duplicate`)
    else seen.set(domain, k)
  }
}

type Report = (path: JSONPath, message: string) => void

// The file's own allow-list: each entry well-formed, unique, and within the owner's policy.
function checkAllowList(root: Obj, opts: RuleOptions, error: Report): string[] {
  const entries: string[] = []
  const seen = new Set<string>()
  for (const [k, raw] of strings(root, 'allowedInternetHosts')) {
    const at = ['allowedInternetHosts', k]
    const entry = raw.toLowerCase()
    const p =
      entry === '*' || parseIp(entry) !== undefined
        ? undefined
        : hostnameProblem(entry.startsWith('*.') ? entry.slice(2) : entry)
    if (p) {
      error(
        at,
        `allowedInternetHosts entry ${quote(raw)} ${p}; use an exact hostname, an IP address or "*.suffix"`
      )
      continue
    }
    if (seen.has(entry)) error(at, `allowedInternetHosts lists ${quote(raw)} twice; remove the duplicate`)
    seen.add(entry)
    entries.push(entry)
    const policy = opts.policyAllowedInternetHosts
    if (policy !== undefined && !policy.some((rule) => policyAllows(rule, entry))) {
      const list =
        policy.length === 0
          ? 'it allows no internet hosts'
          : `it allows ${policy.map((h) => quote(h)).join(', ')}`
      error(
        at,
        `allowedInternetHosts entry ${quote(raw)} is not allowed by the load balancer owner's policy (--allowed-internet-hosts / input allowed-internet-hosts): ${list}; remove the entry or ask the load balancer owner to allow it`
      )
    }
  }
  return entries
}

type TargetKind = 'cloudRun' | 'serverless' | 'internet' | 'loadBalancer' | undefined

function checkTarget(
  route: Obj,
  at: (...rest: JSONPath) => JSONPath,
  allowed: readonly string[],
  error: Report
): TargetKind {
  if (!isObj(route.to)) return undefined
  const keys = Object.keys(route.to).filter((k) =>
    ['cloudRun', 'serverless', 'internet', 'loadBalancer'].includes(k)
  )
  if (keys.length !== 1) return undefined
  const kind = keys[0] as Exclude<TargetKind, undefined>
  const t = route.to[kind]
  if (!isObj(t)) return kind
  const p = (...rest: JSONPath) => at('to', kind, ...rest)
  const field = (key: string, check: (v: string) => string | undefined) => {
    const v = str(t, key)
    const problem = v === undefined ? undefined : check(v)
    if (problem) error(p(key), `${kind}.${key} ${quote(v)} ${problem}`)
    return v
  }
  const mustAllow = (key: string, host: string) => {
    if (allowed.some((entry) => allowsHost(entry, host))) return
    error(
      p(key),
      `${kind}.${key} ${quote(host)} is not listed in allowedInternetHosts; add ${quote(host)} to the top-level "allowedInternetHosts" list of this file so the allowance is visible in review`
    )
  }

  switch (kind) {
    case 'cloudRun': {
      field('url', cloudRunUrlProblem)
      const project = field('project', projectProblem)
      const region = field('region', regionProblem)
      const service = field('service', runServiceProblem)
      const byName =
        [project, region, service].some((v) => v !== undefined) ||
        ['project', 'region', 'service'].some((k) => k in t)
      if ('url' in t && byName) {
        error(
          p(),
          'cloudRun needs either "url" or "project", "region" and "service", not both; keep one way of naming the service'
        )
      } else if (!('url' in t)) {
        const missing = ['project', 'region', 'service'].filter((k) => !(k in t))
        if (missing.length === 3)
          error(p(), 'cloudRun needs either "url" (https://....run.app) or "project", "region" and "service"')
        else if (missing.length > 0)
          error(
            p(),
            `cloudRun is missing ${missing.map((k) => `"${k}"`).join(' and ')}; give "project", "region" and "service" together (or a "url" instead)`
          )
      }
      break
    }
    case 'serverless': {
      field('project', projectProblem)
      field('service', runServiceProblem)
      const seen = new Set<string>()
      for (const [k, region] of strings(t, 'regions')) {
        const problem = regionProblem(region)
        if (problem) error(p('regions', k), `serverless region ${quote(region)} ${problem}`)
        else if (seen.has(region))
          error(
            p('regions', k),
            `serverless.regions lists ${quote(region)} twice; a backend service takes one serverless NEG per region, so remove the duplicate`
          )
        seen.add(region)
      }
      break
    }
    case 'internet': {
      const fqdn = field('fqdn', (v) => fqdnProblem(v.toLowerCase()))
      const ip = field('ip', publicIpProblem)
      field('hostHeader', (v) => hostnameProblem(v.toLowerCase(), { port: true }))
      if ('fqdn' in t && 'ip' in t) error(p(), 'internet needs exactly one of "fqdn" or "ip", not both')
      else if (!('fqdn' in t) && !('ip' in t))
        error(p(), 'internet needs "fqdn" (a hostname) or "ip" (a public IP address)')
      const both = 'fqdn' in t && 'ip' in t
      if (
        !both &&
        fqdn !== undefined &&
        fqdnProblem(fqdn.toLowerCase()) === undefined &&
        !isUnderRunApp(fqdn)
      )
        mustAllow('fqdn', fqdn.toLowerCase())
      if (!both && ip !== undefined && publicIpProblem(ip) === undefined) mustAllow('ip', ip.toLowerCase())
      break
    }
    case 'loadBalancer': {
      const domain = field('domain', (v) => fqdnProblem(v.toLowerCase()))
      field('project', projectProblem)
      field('forwardingRule', (v) => nameProblem(v, 63))
      const byRule = 'project' in t || 'forwardingRule' in t
      if ('domain' in t && byRule) {
        error(p(), 'loadBalancer needs either "domain" or "project" and "forwardingRule", not both')
      } else if (!('domain' in t)) {
        if (!byRule)
          error(
            p(),
            'loadBalancer needs "domain", or "project" and "forwardingRule" (the other load balancer\'s global forwarding rule)'
          )
        else if (!('project' in t))
          error(p(), 'loadBalancer is missing "project" (the project of "forwardingRule")')
        else if (!('forwardingRule' in t))
          error(
            p(),
            'loadBalancer is missing "forwardingRule" (the name of the other load balancer\'s global forwarding rule)'
          )
      }
      if (domain !== undefined && fqdnProblem(domain.toLowerCase()) === undefined && !isUnderRunApp(domain))
        mustAllow('domain', domain.toLowerCase())
      break
    }
  }
  return kind
}

// An Internet NEG endpoint name: a concrete DNS name with at least two labels.
function fqdnProblem(value: string): string | undefined {
  const p = hostnameProblem(value)
  if (p) return p
  if (!value.includes('.')) return 'must be a fully qualified domain name such as "api.example.com"'
  return parseIp(value) ? 'is an IP address; use "ip" instead of "fqdn"' : undefined
}

function checkBackend(
  route: Obj,
  at: (...rest: JSONPath) => JSONPath,
  kind: TargetKind,
  shared: boolean,
  error: Report,
  warning: Report
): void {
  if (kind === 'serverless' && route.timeoutSec !== undefined) {
    error(
      at('timeoutSec'),
      'timeoutSec is not supported for serverless targets (Compute rejects it: "Timeout sec is not supported for a backend service with Serverless network endpoint groups."; the timeout is a fixed 60 minutes); remove it'
    )
  }
  if (kind === 'cloudRun' && shared) {
    for (const key of ['timeoutSec', 'enableCdn', 'securityPolicy', 'logSampleRate', 'requestHeaders']) {
      if (route[key] !== undefined) {
        warning(
          at(key),
          `${key} has no effect: options.sharedCloudRunBackend sends every cloudRun route through one shared backend service, which lb-routes configures itself`
        )
      }
    }
  }
  const policy = str(route, 'securityPolicy')
  if (policy !== undefined) {
    const p = securityPolicyProblem(policy)
    if (p) error(at('securityPolicy'), `securityPolicy ${quote(policy)} ${p}`)
  }
  const headers = strings(route, 'requestHeaders')
  const seen = new Set<string>()
  for (const [k, header] of headers) {
    const p = requestHeaderProblem(header)
    const name = headerName(header)
    if (p) error(at('requestHeaders', k), `request header ${quote(header)} ${p}`)
    else if (name !== undefined && seen.has(name)) {
      error(
        at('requestHeaders', k),
        `request header ${quote(header)} sets "${name}" again; a header name may appear only once (names are case-insensitive)`
      )
    }
    if (name !== undefined) seen.add(name)
  }
  const to = isObj(route.to) ? route.to : {}
  const hostOverride =
    (kind === 'cloudRun' && !shared) ||
    (kind === 'internet' && isObj(to.internet) && to.internet.hostHeader !== undefined)
  if (hostOverride && headers.length >= MAX_REQUEST_HEADERS) {
    error(
      at('requestHeaders'),
      `requestHeaders has ${headers.length} headers, but this target also needs a Host header and a backend service takes at most ${MAX_REQUEST_HEADERS}; remove ${headers.length - MAX_REQUEST_HEADERS + 1}`
    )
  }
}

function checkTests(root: Obj, names: ReadonlyMap<string, number>, error: Report): void {
  const tests = Array.isArray(root.tests) ? root.tests : []
  for (const [i, test] of tests.entries()) {
    if (!isObj(test)) continue
    const at = (...rest: JSONPath): JSONPath => ['tests', i, ...rest]
    const host = str(test, 'host')
    if (host !== undefined) {
      const p = hostnameProblem(host.toLowerCase(), { port: true })
      if (p) error(at('host'), `test host ${quote(host)} ${p}`)
    }
    const path = str(test, 'path')
    if (path !== undefined && !path.startsWith('/'))
      error(at('path'), `test path ${quote(path)} must start with "/"; use "/${path}"`)
    if (!isObj(test.expect)) continue
    const route = str(test.expect, 'route')
    if (route !== undefined && !names.has(route)) {
      const best = nearest(route, names.keys())
      const known = [...names.keys()]
      const hint =
        best !== undefined
          ? `; did you mean "${best}"?`
          : known.length === 0
            ? '; this file has no routes'
            : `; routes are ${known
                .slice(0, 10)
                .map((n) => quote(n))
                .join(', ')}${known.length > 10 ? ', ...' : ''}`
      error(
        at('expect', 'route'),
        `test expects route ${quote(route)}, which is not a route in this file${hint}`
      )
    }
    const expectPath = str(test.expect, 'path')
    if (expectPath !== undefined && !expectPath.startsWith('/')) {
      error(
        at('expect', 'path'),
        `expect.path ${quote(expectPath)} must start with "/"; use "/${expectPath}"`
      )
    }
    const expectHost = str(test.expect, 'host')
    if (expectHost !== undefined) {
      const p = hostnameProblem(expectHost.toLowerCase(), { port: true })
      if (p) error(at('expect', 'host'), `expect.host ${quote(expectHost)} ${p}`)
    }
  }
}
