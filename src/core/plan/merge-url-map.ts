// Ownership-scoped merge of one owner's rules into the shared URL map (DESIGN.md §4), like Kubernetes
// server-side apply: the owner's path rules, defaults and empty lb-routes matchers are replaced; every
// other byte of the map is kept as it was, in place and in order.
import type { HostRule, PathMatcher, PathRule, UrlMap } from '../compute.js'
import type { DesiredHost, OwnerRules } from '../compile/model.js'
import { markerOwner, ownerMarker } from '../compile/markers.js'
import { matcherName } from '../compile/naming.js'
import { canonicalRef, refName } from '../google-semantics/refs.js'
import type { RuleChange } from './model.js'
import { onlyStarCopies, spreadStarRules, starMatcher } from './star-rules.js'
import { unmanagedClaims } from './unmanaged.js'

/** Who holds a claimed host+path or default, for error messages. */
export interface Conflict {
  readonly host: string
  /** A path pattern or "(default)". */
  readonly path: string
  readonly route?: string
  /** "owner team-x (route hello)", "an unmanaged rule → backend foo", ... */
  readonly holder: string
}

export interface MergeInput {
  readonly owner: string
  readonly project: string
  readonly urlMapName: string
  readonly live: UrlMap | undefined
  readonly rules: OwnerRules
  /** Canonical URLs of backend services this owner owns (live markers ∪ desired). */
  readonly ownedServices: ReadonlySet<string>
  /** Owner of each managed backend service by canonical URL (from live markers), for conflict messages. */
  readonly serviceOwners: Readonly<Record<string, string>>
}

export interface MergeResult {
  /** The merged map (undefined when it cannot be built, e.g. no map and no default to create it with). */
  readonly map?: UrlMap
  readonly conflicts: readonly Conflict[]
  readonly errors: readonly string[]
  /** Rule-level changes of this owner's part, for display and planId. */
  readonly ruleChanges: readonly RuleChange[]
  /**
   * The same changes in full (host and path, then before and after with backend and whole routeAction),
   * for the planId: a RuleChange names only the backend, so a changed rewrite would not change the planId.
   */
  readonly ruleIntent: readonly (readonly [string, string | null, string | null])[]
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] }

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T

/**
 * ownedRuleView lists this owner's rules in a map as host → path → service (and routeAction), for
 * diffing. Copies of its `*` rules in other matchers (star-rules.ts) are the `*` rules, listed once under
 * `*`: which matchers carry copies depends on other owners' hosts, not on this owner's intent.
 */
export function ownedRuleView(
  map: UrlMap | undefined,
  owned: ReadonlySet<string>,
  project: string
): Map<string, string> {
  const view = new Map<string, string>()
  if (!map) return view
  const canon = (s: string | null | undefined) => (s ? canonicalRef(s, project) : '')
  if (owned.has(canon(map.defaultService))) view.set('*\0(default)', canon(map.defaultService))
  const hostsOf = (pm: string) =>
    (map.hostRules ?? []).filter((h) => h.pathMatcher === pm).flatMap((h) => h.hosts ?? [])
  const star = starMatcher(map.hostRules ?? [], map.pathMatchers ?? [])
  const copyKey = (r: PathRule, p: string) => JSON.stringify([p, canon(r.service), r.routeAction ?? null])
  const starRules = new Set((star?.pathRules ?? []).flatMap((r) => (r.paths ?? []).map((p) => copyKey(r, p))))
  for (const pm of map.pathMatchers ?? []) {
    const hosts = hostsOf(pm.name ?? '')
    for (const rule of pm.pathRules ?? []) {
      const svc = canon(rule.service)
      if (!owned.has(svc)) continue
      // The whole routeAction (rewrites, host rewrites, timeouts, headers): it is what apply writes.
      const action = rule.routeAction ? ` ${stableJson(rule.routeAction)}` : ''
      for (const p of rule.paths ?? []) {
        if (pm !== star && starRules.has(copyKey(rule, p))) continue
        for (const h of hosts) view.set(`${h}\0${p}`, svc + action)
      }
    }
    const d = canon(pm.defaultService)
    if (owned.has(d) && d !== canon(map.defaultService)) for (const h of hosts) view.set(`${h}\0(default)`, d)
  }
  return view
}

function describeHolder(service: string, input: MergeInput): string {
  const owner = input.serviceOwners[service]
  return owner
    ? `owner ${owner} (backend service ${refName(service)})`
    : `an unmanaged rule (backend service ${refName(service)})`
}

/** The map being merged and what the merge has found so far; one per mergeUrlMap call. */
interface Merging {
  readonly input: MergeInput
  readonly map: Mutable<UrlMap>
  readonly hostRules: HostRule[]
  readonly matchers: PathMatcher[]
  readonly conflicts: Conflict[]
  readonly errors: string[]
  readonly canon: (s: string | null | undefined) => string
  readonly owned: (s: string | null | undefined) => boolean
}

/** startMerge copies the live map, or starts one from the owner's "*" default when there is none yet. */
function startMerge(input: MergeInput): Merging | { error: string } {
  const { project, rules, ownedServices } = input
  let map: Mutable<UrlMap>
  if (input.live) map = clone(input.live)
  else if (rules.defaultService)
    // No shared map yet: the first owner that declares the default for "*" creates it.
    map = { name: input.urlMapName, defaultService: rules.defaultService, hostRules: [], pathMatchers: [] }
  else
    return {
      error: `URL map ${input.urlMapName} does not exist in project ${project}; create the load balancer first, or declare a route with "default": true for host "*" so lb-routes can create the map`
    }
  const hostRules: HostRule[] = (map.hostRules = [...(map.hostRules ?? [])])
  const matchers: PathMatcher[] = (map.pathMatchers = [...(map.pathMatchers ?? [])])
  const canon = (s: string | null | undefined) => (s ? canonicalRef(s, project) : '')
  const owned = (s: string | null | undefined) => ownedServices.has(canon(s))
  return { input, map, hostRules, matchers, conflicts: [], errors: [], canon, owned }
}

/** takeOutOwned (step 1) removes the owner's path rules and points its defaults at the new ones. */
function takeOutOwned(m: Merging): void {
  const { map, input, canon, owned } = m
  const rules = input.rules
  for (const pm of m.matchers) if (pm.pathRules) pm.pathRules = pm.pathRules.filter((r) => !owned(r.service))
  if (owned(map.defaultService)) {
    if (rules.defaultService) map.defaultService = rules.defaultService
    else
      m.errors.push(
        `the URL map's default service ${refName(canon(map.defaultService))} belongs to owner ${input.owner}, and routes.json no longer declares a default for host "*"; keep a route with "default": true, or have the load balancer owner point the URL map default elsewhere first`
      )
  } else if (rules.defaultService && canon(map.defaultService) !== canon(rules.defaultService)) {
    m.conflicts.push({
      host: '*',
      path: '(default)',
      ...(rules.defaultRoute ? { route: rules.defaultRoute } : {}),
      holder: describeHolder(canon(map.defaultService), input)
    })
  }
  // Matcher defaults the owner held fall back to the map default ("no declared default", DESIGN.md §4).
  // That covers matchers that inherited the owner's old map default: it is an owned service too.
  const mapDefault = map.defaultService ?? undefined
  for (const pm of m.matchers) if (owned(pm.defaultService) && mapDefault) pm.defaultService = mapDefault
}

/** matcherFor finds the matcher serving `host`, or adds an lb-routes one (with its host rule). */
function matcherFor(m: Merging, host: string): PathMatcher {
  const hr = m.hostRules.find((h) => (h.hosts ?? []).some((x) => x.toLowerCase() === host))
  const found = hr && m.matchers.find((pm) => pm.name === hr.pathMatcher)
  if (found) return found
  const name = matcherName(host)
  const marker = ownerMarker(m.input.owner)
  const pm: PathMatcher = { name, description: marker, defaultService: m.map.defaultService ?? undefined }
  m.matchers.push(pm)
  m.hostRules.push({ hosts: [host], pathMatcher: name, description: marker })
  return pm
}

/**
 * freePathRules keeps each claimed path with its holder: the conflict is the one error reported for it, and
 * the merged map stays valid (no duplicate path) so no follow-on errors hide the real cause.
 */
function freePathRules(m: Merging, dh: DesiredHost, existing: readonly PathRule[]): PathRule[] {
  const added: PathRule[] = []
  for (const rule of dh.pathRules) {
    const free: string[] = []
    for (const p of rule.paths) {
      const holder = existing.find((r) => (r.paths ?? []).includes(p))
      if (!holder) free.push(p)
      else
        m.conflicts.push({
          host: dh.host,
          path: p,
          route: rule.route,
          holder: holder.service
            ? describeHolder(m.canon(holder.service), m.input)
            : 'an unmanaged redirect or route action'
        })
    }
    if (free.length > 0)
      added.push({
        paths: free,
        service: rule.service,
        ...(rule.routeAction ? { routeAction: clone(rule.routeAction) } : {})
      })
  }
  return added
}

/** putHost (step 2) adds the owner's rules and default for one host, unless someone else holds them. */
function putHost(m: Merging, wanted: DesiredHost): void {
  const pm = matcherFor(m, wanted.host)
  const dh = guardUnmanaged(m, pm, wanted)
  if (dh.pathRules.length > 0 && (pm.routeRules ?? []).length > 0) {
    m.conflicts.push({
      host: dh.host,
      path: dh.pathRules[0]!.paths[0]!,
      route: dh.pathRules[0]!.route,
      holder: `path matcher ${pm.name}, which uses routeRules that lb-routes does not manage`
    })
    return
  }
  const existing = pm.pathRules ?? []
  const added = freePathRules(m, dh, existing)
  if (pm.pathRules || added.length > 0) pm.pathRules = [...existing, ...added]
  if (!dh.defaultService) return
  const current = m.canon(pm.defaultService)
  const held =
    current &&
    current !== m.canon(m.map.defaultService) &&
    !m.owned(current) &&
    current !== m.canon(dh.defaultService)
  if (held)
    m.conflicts.push({
      host: dh.host,
      path: '(default)',
      route: dh.defaultRoute,
      holder: describeHolder(current, m.input)
    })
  else pm.defaultService = dh.defaultService
}

/**
 * guardUnmanaged keeps new paths and defaults out of a path matcher no lb-routes owner created
 * (unmanaged.ts): each refused one is a conflict naming the matcher; the rest goes on.
 */
function guardUnmanaged(m: Merging, pm: PathMatcher, dh: DesiredHost): DesiredHost {
  const { allowed, refused } = unmanagedClaims(pm, m.input.live, dh, m.canon, m.owned)
  for (const r of refused)
    m.conflicts.push({
      host: dh.host,
      path: r.path,
      ...(r.route ? { route: r.route } : {}),
      holder: `path matcher ${pm.name}, which no lb-routes owner created (unmanaged: no owner adds rules into it)`
    })
  return allowed
}

/** spreadStars (step 2b): `*` means every host, so `*` rules go into every lb-routes matcher (star-rules.ts). */
function spreadStars(m: Merging): void {
  const desired = new Set(Object.values(collectDesired(m.input.rules)).map((s) => m.canon(s)))
  const star = starMatcher(m.hostRules, m.matchers)
  spreadStarRules({
    matchers: m.matchers,
    hostRules: m.hostRules,
    live: m.input.live,
    ownStarRules: (star?.pathRules ?? []).filter((r) => desired.has(m.canon(r.service))),
    othersRule: (r) => !m.owned(r.service) && !desired.has(m.canon(r.service))
  })
}

/** dropEmptyMatchers (step 3) drops lb-routes matchers nobody uses any more (a shared one only when empty). */
function dropEmptyMatchers(m: Merging): void {
  const { map, canon } = m
  // A matcher holding only copies of `*` rules adds nothing (star-rules.ts).
  const copiesOnly = onlyStarCopies(starMatcher(m.hostRules, m.matchers))
  const emptyManaged = new Set(
    m.matchers
      .filter(
        (pm) =>
          markerOwner(pm.description) !== undefined &&
          ((pm.pathRules ?? []).length === 0 || copiesOnly(pm)) &&
          (pm.routeRules ?? []).length === 0 &&
          !pm.defaultUrlRedirect &&
          !pm.defaultRouteAction &&
          canon(pm.defaultService) === canon(map.defaultService)
      )
      .map((pm) => pm.name)
  )
  map.pathMatchers = m.matchers.filter((pm) => !emptyManaged.has(pm.name))
  map.hostRules = m.hostRules.filter(
    (hr) => !(emptyManaged.has(hr.pathMatcher) && markerOwner(hr.description) !== undefined)
  )
  for (const pm of map.pathMatchers)
    if (pm.pathRules && pm.pathRules.length === 0 && pm.routeRules?.length) delete pm.pathRules
}

/** mergeUrlMap replaces the owner's part of `live` with `rules` and reports conflicts with other holders. */
export function mergeUrlMap(input: MergeInput): MergeResult {
  const { project, rules, ownedServices } = input
  const m = startMerge(input)
  if ('error' in m) return { conflicts: [], errors: [m.error], ruleChanges: [], ruleIntent: [] }
  takeOutOwned(m)
  for (const dh of rules.hosts) putHost(m, dh)
  spreadStars(m)
  dropEmptyMatchers(m)
  keepRulesInPlace(m.map.pathMatchers!, input.live, project)
  const before = ownedRuleView(input.live, ownedServices, project)
  const after = ownedRuleView(
    m.map,
    new Set([...ownedServices, ...Object.values(collectDesired(rules))]),
    project
  )
  return {
    map: m.map,
    conflicts: m.conflicts,
    errors: m.errors,
    ruleChanges: diffRuleViews(before, after),
    ruleIntent: ruleIntent(before, after)
  }
}

/**
 * keepRulesInPlace puts every path rule that is unchanged from the live map back at its live position
 * (step 1 took the owner's rules out and step 2 appended them): an adopted hand-built rule that already
 * routes as routes.json says stays where it was, and only new rules go at the end of their matcher.
 */
function keepRulesInPlace(matchers: PathMatcher[], live: UrlMap | undefined, project: string): void {
  const key = (r: PathRule) =>
    JSON.stringify([
      r.paths ?? [],
      r.service ? canonicalRef(r.service, project) : null,
      r.routeAction ?? null
    ])
  const liveRules = new Map((live?.pathMatchers ?? []).map((m) => [m.name, m.pathRules]))
  for (const pm of matchers) {
    const before = liveRules.get(pm.name)
    if (!before || !pm.pathRules) continue
    const at = new Map(before.map((r, i) => [key(r), i]))
    pm.pathRules = pm.pathRules
      .map((r, i) => ({ r, i, pos: at.get(key(r)) ?? Number.MAX_SAFE_INTEGER }))
      .sort((a, b) => a.pos - b.pos || a.i - b.i)
      .map(({ r }) => r)
  }
}

function collectDesired(rules: OwnerRules): Record<string, string> {
  const out: Record<string, string> = {}
  if (rules.defaultService) out[rules.defaultService] = rules.defaultService
  for (const h of rules.hosts) {
    if (h.defaultService) out[h.defaultService] = h.defaultService
    for (const r of h.pathRules) out[r.service] = r.service
  }
  return out
}

/** ruleIntent lists every key of the rule views whose full value (backend and routeAction) differs. */
function ruleIntent(
  before: Map<string, string>,
  after: Map<string, string>
): [string, string | null, string | null][] {
  const keys = [...new Set([...before.keys(), ...after.keys()])].sort()
  return keys
    .filter((k) => before.get(k) !== after.get(k))
    .map((k) => [k, before.get(k) ?? null, after.get(k) ?? null])
}

/** stableJson serialises with sorted keys, so equal values give equal text. */
function stableJson(v: unknown): string {
  const sort = (x: unknown): unknown =>
    Array.isArray(x)
      ? x.map(sort)
      : x && typeof x === 'object'
        ? Object.fromEntries(
            Object.keys(x)
              .sort()
              .map((k) => [k, sort((x as Record<string, unknown>)[k])])
          )
        : x
  return JSON.stringify(sort(v))
}

function diffRuleViews(before: Map<string, string>, after: Map<string, string>): RuleChange[] {
  const changes: RuleChange[] = []
  const name = (v: string | undefined) => (v ? refName(v.split(' ')[0]!) : undefined)
  const keys = [...new Set([...before.keys(), ...after.keys()])].sort()
  for (const k of keys) {
    const [host, path] = k.split('\0') as [string, string]
    const b = before.get(k)
    const a = after.get(k)
    if (b === a) continue
    const action = b === undefined ? 'add' : a === undefined ? 'remove' : 'change'
    changes.push({ action, host, path, ...(b ? { before: name(b) } : {}), ...(a ? { after: name(a) } : {}) })
  }
  return changes
}

/** urlMapsEquivalent compares two maps ignoring output-only fields and the order of host and path rules. */
export function urlMapsEquivalent(a: UrlMap | undefined, b: UrlMap | undefined, project: string): boolean {
  return JSON.stringify(normaliseUrlMap(a, project)) === JSON.stringify(normaliseUrlMap(b, project))
}

const OUTPUT_ONLY = new Set(['id', 'kind', 'selfLink', 'creationTimestamp', 'fingerprint', 'region'])

/** normaliseUrlMap canonicalises references, drops output-only and `_` keys and sorts unordered lists. */
export function normaliseUrlMap(map: UrlMap | undefined, project: string): unknown {
  if (!map) return null
  const walk = (v: unknown, key = ''): unknown => {
    if (Array.isArray(v)) {
      const items = v.map((x) => walk(x))
      if (key === 'hostRules' || key === 'pathRules' || key === 'hosts' || key === 'paths') {
        return items.sort((x, y) => (JSON.stringify(x) < JSON.stringify(y) ? -1 : 1))
      }
      return items
    }
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {}
      for (const k of Object.keys(v).sort()) {
        const x = (v as Record<string, unknown>)[k]
        if (k.startsWith('_') || OUTPUT_ONLY.has(k) || x === null || x === undefined) continue
        if (Array.isArray(x) && x.length === 0) continue
        out[k] = walk(x, k)
      }
      return out
    }
    if (
      typeof v === 'string' &&
      /(^|\/)(projects\/|global\/)/.test(v) &&
      /backendServices|backendBuckets/.test(v)
    ) {
      return canonicalRef(v, project)
    }
    return v
  }
  return walk(map)
}
