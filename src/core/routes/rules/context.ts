// What a routes.json rule sees: the raw parsed value (types unchecked: the schema reports wrong types, so
// rules skip them) plus facts gathered once per run, before any rule runs (valid hosts and paths of each
// route, the first route to claim each name, host+path and default, the file's allow-list).
import type { JSONPath } from 'jsonc-parser'
import { expandPrefix, hostnameProblem, parseIp, pathPatternProblem, prefixProblem } from '../formats.js'
import { quote, type Problem } from '../problem.js'

/** Longest route name and owner: both go into 63-character resource names with a hash (DESIGN.md §3). */
export const MAX_NAME_LENGTH = 40
/** Compute allows at most 16 custom request headers per backend service, a Host override included. */
export const MAX_REQUEST_HEADERS = 16

export interface RuleOptions {
  /** The load balancer owner's allow-list (--allowed-internet-hosts); undefined when none was given. */
  readonly policyAllowedInternetHosts?: readonly string[]
}

export type Obj = Readonly<Record<string, unknown>>
export type At = (...rest: JSONPath) => JSONPath
export type TargetKind = 'cloudRun' | 'serverless' | 'internet' | 'loadBalancer'
const TARGET_KINDS: readonly string[] = ['cloudRun', 'serverless', 'internet', 'loadBalancer']

/** isObj is true for a JSON object (not an array, not null). */
export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** str reads a string property; undefined for any other type. */
export function str(o: Obj, key: string): string | undefined {
  const v = o[key]
  return typeof v === 'string' ? v : undefined
}

/** strings lists the string elements of an array property with their indexes. */
export function strings(o: Obj, key: string): Array<readonly [number, string]> {
  const v = o[key]
  if (!Array.isArray(v)) return []
  return v.flatMap((item, i) => (typeof item === 'string' ? [[i, item] as const] : []))
}

/** error builds an error Problem; `related` points at the earlier value it conflicts with. */
export function error(path: JSONPath, message: string, related?: JSONPath): Problem {
  return { path, message, severity: 'error', ...(related && { related }) }
}

/** warning builds a warning Problem. */
export function warning(path: JSONPath, message: string): Problem {
  return { path, message, severity: 'warning' }
}

/** One string of a list, with the message for its first problem (none when it is usable). */
export interface Entry {
  readonly path: JSONPath
  readonly raw: string
  /** The value as lb-routes uses it (hosts lowercased). */
  readonly value: string
  readonly problem: string | undefined
}

/** The first route to use a host+path or a host's default. */
export interface Claim {
  readonly route: string
  readonly index: number
  readonly path: JSONPath
}

/** A host+path (`path` set) or a host's default that an earlier route claimed first. */
export interface Conflict {
  readonly host: Entry
  readonly path?: Entry
  readonly first: Claim
}

/** A route with the facts rules share. */
export interface RouteContext {
  readonly route: Obj
  readonly index: number
  readonly at: At
  readonly name: string | undefined
  /** The name, or `routes[i]` when it has none. */
  readonly label: string
  readonly prefix: string | undefined
  readonly hasPaths: boolean
  /** The "hosts" strings and the "paths" strings, each with its problem. */
  readonly hosts: readonly Entry[]
  readonly paths: readonly Entry[]
  /** The hosts and paths the route serves: the usable ones, "*" when "hosts" is left out, the prefix expanded. */
  readonly servedHosts: readonly Entry[]
  readonly servedPaths: readonly Entry[]
  /** The target kind when "to" names exactly one; `target` only when its value is an object. */
  readonly kind: TargetKind | undefined
  readonly target: Obj | undefined
}

/** The whole file with the facts rules share. */
export interface FileContext {
  readonly root: Obj
  readonly opts: RuleOptions
  /** loadBalancer.scheme is EXTERNAL (classic). */
  readonly classic: boolean
  /** options.sharedCloudRunBackend is true. */
  readonly shared: boolean
  /** The allowedInternetHosts strings (lowercased), each with its format problem. */
  readonly allowList: readonly Entry[]
  /** The well-formed allowedInternetHosts entries. */
  readonly allowed: readonly string[]
  readonly routes: readonly RouteContext[]
  /** Each route name with the index of the first route using it. */
  readonly names: ReadonlyMap<string, number>
  /** By route index: what the route claims that an earlier route claimed first, host by host. */
  readonly conflicts: ReadonlyMap<number, readonly Conflict[]>
}

/** A test case of the "tests" list. */
export interface TestContext {
  readonly test: Obj
  readonly at: At
  /** test.expect when it is an object. */
  readonly expect: Obj | undefined
}

/** fileContext gathers the shared facts of a parsed routes.json object in one pass over its routes. */
export function fileContext(root: Obj, opts: RuleOptions): FileContext {
  const lb = isObj(root.loadBalancer) ? root.loadBalancer : {}
  const allowList = allowListEntries(root)
  const routes = (Array.isArray(root.routes) ? root.routes : []).flatMap((route, i) =>
    isObj(route) ? [routeContext(route, i)] : []
  )
  const names = new Map<string, number>()
  for (const r of routes) if (r.name !== undefined && !names.has(r.name)) names.set(r.name, r.index)
  return {
    root,
    opts,
    classic: str(lb, 'scheme') === 'EXTERNAL',
    shared: isObj(root.options) && root.options.sharedCloudRunBackend === true,
    allowList,
    allowed: allowList.flatMap((e) => (e.problem === undefined ? [e.value] : [])),
    routes,
    names,
    conflicts: conflictsOf(routes)
  }
}

// One pass over every route's hosts × paths (and defaults), keeping the first claim of each.
function conflictsOf(routes: readonly RouteContext[]): Map<number, Conflict[]> {
  const claims = new Map<string, Claim>()
  const defaults = new Map<string, Claim>()
  const conflicts = new Map<number, Conflict[]>()
  const conflict = (r: RouteContext, c: Conflict) => {
    const list = conflicts.get(r.index)
    if (list === undefined) conflicts.set(r.index, [c])
    else list.push(c)
  }
  for (const r of routes) {
    for (const host of r.servedHosts) {
      for (const path of r.servedPaths) {
        const key = `${host.value}\u0000${path.value}`
        const first = claims.get(key)
        if (first === undefined) claims.set(key, { route: r.label, index: r.index, path: path.path })
        else if (first.index !== r.index) conflict(r, { host, path, first })
      }
      if (r.route.default !== true) continue
      const first = defaults.get(host.value)
      if (first === undefined)
        defaults.set(host.value, { route: r.label, index: r.index, path: r.at('default') })
      else if (first.index !== r.index) conflict(r, { host, first })
    }
  }
  return conflicts
}

/** testContexts lists the test cases that are objects. */
export function testContexts(root: Obj): TestContext[] {
  const tests = Array.isArray(root.tests) ? root.tests : []
  return tests.flatMap((test, i) => {
    if (!isObj(test)) return []
    const at: At = (...rest) => ['tests', i, ...rest]
    return [{ test, at, expect: isObj(test.expect) ? test.expect : undefined }]
  })
}

function routeContext(route: Obj, index: number): RouteContext {
  const at: At = (...rest) => ['routes', index, ...rest]
  const name = str(route, 'name')
  const prefix = str(route, 'prefix')
  const hasPaths = route.paths !== undefined
  const hosts = listEntries(
    route,
    'hosts',
    'host',
    at,
    (raw) => raw.toLowerCase(),
    (host) => hostnameProblem(host, { wildcard: true, port: true })
  )
  const paths = listEntries(route, 'paths', 'path', at, (raw) => raw, pathPatternProblem)
  const usable = (entries: readonly Entry[]) => entries.filter((e) => e.problem === undefined)
  const prefixPaths =
    prefix !== undefined && !hasPaths && prefixProblem(prefix) === undefined
      ? expandPrefix(prefix).map((path): Entry => ({
          path: at('prefix'),
          raw: prefix,
          value: path,
          problem: undefined
        }))
      : []
  return {
    route,
    index,
    at,
    name,
    label: name ?? `routes[${index}]`,
    prefix,
    hasPaths,
    hosts,
    paths,
    servedHosts:
      route.hosts === undefined ? [{ path: at(), raw: '*', value: '*', problem: undefined }] : usable(hosts),
    servedPaths: [...prefixPaths, ...usable(paths)],
    ...targetOf(route)
  }
}

// Each string of a list with its format problem, or "listed twice" for a repeat of a usable one.
function listEntries(
  o: Obj,
  key: string,
  noun: string,
  at: At,
  normalise: (raw: string) => string,
  problem: (value: string) => string | undefined
): Entry[] {
  const seen = new Set<string>()
  return strings(o, key).map(([k, raw]) => {
    const value = normalise(raw)
    const p = problem(value)
    const message = p
      ? `${noun} ${quote(raw)} ${p}`
      : seen.has(value)
        ? `${noun} ${quote(raw)} is listed twice in this route; remove the duplicate`
        : undefined
    seen.add(value)
    return { path: at(key, k), raw, value, problem: message }
  })
}

// allowedInternetHosts entries: an exact hostname, an IP address, "*" or "*.suffix".
function allowListEntries(root: Obj): Entry[] {
  return strings(root, 'allowedInternetHosts').map(([k, raw]) => {
    const value = raw.toLowerCase()
    const p =
      value === '*' || parseIp(value) !== undefined
        ? undefined
        : hostnameProblem(value.startsWith('*.') ? value.slice(2) : value)
    const problem = p
      ? `allowedInternetHosts entry ${quote(raw)} ${p}; use an exact hostname, an IP address or "*.suffix"`
      : undefined
    return { path: ['allowedInternetHosts', k], raw, value, problem }
  })
}

function targetOf(route: Obj): { kind: TargetKind | undefined; target: Obj | undefined } {
  const keys = isObj(route.to) ? Object.keys(route.to).filter((k) => TARGET_KINDS.includes(k)) : []
  if (!isObj(route.to) || keys.length !== 1) return { kind: undefined, target: undefined }
  const kind = keys[0] as TargetKind
  const target = route.to[kind]
  return { kind, target: isObj(target) ? target : undefined }
}
