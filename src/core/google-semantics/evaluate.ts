// The local URL map evaluator: where the global external Application Load Balancer sends one request.
// Spec: research/gce-api.md §8 (order of operations, path and host matching, routeRules, urlRewrite).
// Where Google's documentation is silent the choice is written next to the code as "Choice:".
// This is lb-routes' one model of Google's semantics, shared by the planner (offline route tests, explain)
// AND the bundled emulator (UrlMapTests on insert/update and urlMaps.validate). So the offline check and the
// emulated server-side check are not independent: a misreading here passes both. Only Google's own
// urlMaps.validate (validateServerSide against the real API) is an independent check.
import type {
  UrlMap,
  HttpRedirectAction,
  HttpRouteAction,
  HttpRouteRule,
  PathMatcher,
  PathRule
} from '../compute.js'

type HttpRouteRuleMatch = NonNullable<HttpRouteRule['matchRules']>[number]
type HttpHeaderMatch = NonNullable<HttpRouteRuleMatch['headerMatches']>[number]
type HttpQueryParameterMatch = NonNullable<HttpRouteRuleMatch['queryParameterMatches']>[number]

export interface RouteRequest {
  readonly host: string
  /** Request path, possibly with ?query and #fragment (stripped before matching). */
  readonly path: string
  /**
   * Request headers, for routeRules headerMatches (names compare case-insensitively). Choice: a request
   * without headers has none, so presentMatch/exactMatch predicates fail and invertMatch ones succeed.
   */
  readonly headers?: readonly { readonly name?: string | null; readonly value?: string | null }[]
}

/** EvaluateOptions selects the load balancer flavour whose host matching is used. */
export interface EvaluateOptions {
  /**
   * EXTERNAL_MANAGED (default): a rule `example.net` does not match `Host: example.net:8080`, a rule
   * `example.net:8080` does. EXTERNAL (classic): "only the hostname in the URL is considered", so the
   * port is dropped from the request host and from the rule hosts before comparing (gce-api.md §8.3).
   */
  readonly scheme?: 'EXTERNAL' | 'EXTERNAL_MANAGED'
}

/** Where a request goes: a backend service (with the path/host it receives) or a redirect. */
export type Resolution =
  | {
      readonly kind: 'service'
      /** The backend service reference exactly as written in the URL map. */
      readonly service: string
      /** The path the backend receives, after pathPrefixRewrite, without query. */
      readonly path: string
      /** The Host the backend receives when hostRewrite applies. */
      readonly host?: string
      /** Which part of the map decided, for explain output. */
      readonly matchedBy: MatchSource
    }
  | {
      readonly kind: 'redirect'
      readonly redirect: HttpRedirectAction
      readonly matchedBy: MatchSource
      /** Where the redirect points (Location), computed from the redirect action and the request. */
      readonly location?: RedirectLocation
    }
  | { readonly kind: 'none'; readonly matchedBy: MatchSource }

export interface MatchSource {
  /** Host rule index, or undefined when no host rule matched (URL map default). */
  readonly hostRule?: number
  readonly pathMatcher?: string
  /** e.g. "pathRule /api/*", "routeRule priority 10", "pathMatcher default", "urlMap default" */
  readonly rule: string
}

/** RedirectLocation is the target of a redirect response; `path` keeps the query unless stripQuery. */
export interface RedirectLocation {
  /** true when httpsRedirect is set; otherwise the scheme of the original request is kept (unknown here). */
  readonly https: boolean
  readonly host: string
  readonly path: string
  /** HTTP status of the redirect response (301 unless redirectResponseCode says otherwise). */
  readonly status: number
}

/** The action a rule (or default) carries, plus how much of the path it matched (for prefix rewrites). */
interface Action {
  readonly service?: string | null
  readonly routeAction?: HttpRouteAction | null
  readonly redirect?: HttpRedirectAction | null
  /** Length of the request path the rule matched; the part replaced by pathPrefixRewrite/prefixRedirect. */
  readonly matchedLength: number
  readonly source: MatchSource
}

/** evaluateUrlMap decides where one request goes, following Google's documented matching order. */
export function evaluateUrlMap(map: UrlMap, req: RouteRequest, opts: EvaluateOptions = {}): Resolution {
  return compileUrlMap(map, opts)(req)
}

/**
 * compileUrlMap returns an evaluator for many requests on one map: path rules are indexed once per
 * matcher (exact paths and `/x/*` prefixes in hash maps), host rules and path matchers once per map (exact
 * hosts and matcher names in hash maps), so running n tests on a map of n rules costs O(n · path depth),
 * not O(n²). The map must not change while the evaluator is in use.
 */
export function compileUrlMap(map: UrlMap, opts: EvaluateOptions = {}): (req: RouteRequest) => Resolution {
  const indexes = new Map<PathMatcher, PathIndex>()
  const indexOf = (m: PathMatcher): PathIndex => {
    let idx = indexes.get(m)
    if (!idx) indexes.set(m, (idx = indexPathRules(m.pathRules ?? [])))
    return idx
  }
  const hostRuleOf = hostRuleIndex(map, opts.scheme ?? 'EXTERNAL_MANAGED')
  // The first path matcher of a name serves it (as `find` would).
  const matchers = new Map<string, PathMatcher>()
  for (const m of map.pathMatchers ?? []) if (!matchers.has(m.name ?? '')) matchers.set(m.name ?? '', m)
  return (req) => {
    const { path, query } = splitPath(req.path)
    const host = req.host
    const hostRule = hostRuleOf(host)
    const mapDefault = (hostRuleIndex?: number, matcherName?: string, why = ''): Action => ({
      service: map.defaultService,
      routeAction: map.defaultRouteAction,
      redirect: map.defaultUrlRedirect,
      matchedLength: 1,
      source: withIndex(hostRuleIndex, matcherName, `urlMap default${why}`)
    })

    let action: Action
    if (hostRule === undefined) {
      action = mapDefault()
    } else {
      const matcherName = map.hostRules?.[hostRule]?.pathMatcher ?? ''
      const matcher = matchers.get(matcherName)
      action = matcher
        ? (matchInMatcher(matcher, indexOf, path, query, req.headers ?? [], hostRule) ??
          matcherDefault(matcher, hostRule) ??
          mapDefault(hostRule, matcherName, ' (pathMatcher has no default)'))
        : mapDefault(hostRule, matcherName, ' (pathMatcher not found)')
    }
    return resolve(action, host, path, query)
  }
}

/** splitPath strips the fragment and the query (kept apart; the backend still receives the query). */
export function splitPath(raw: string): { path: string; query: string } {
  // "The string fed to the path matcher does not include any text after the first ? or #" (§6.4.6).
  const hash = raw.indexOf('#')
  const noFragment = hash >= 0 ? raw.slice(0, hash) : raw
  const q = noFragment.indexOf('?')
  const path = q >= 0 ? noFragment.slice(0, q) : noFragment
  const query = q >= 0 ? noFragment.slice(q) : ''
  // Choice: an empty path is the root, as an HTTP client would send it.
  return { path: path === '' ? '/' : path, query }
}

/** redirectStatus maps HttpRedirectAction.redirectResponseCode to its HTTP status (default 301). */
export function redirectStatus(redirect: HttpRedirectAction): number {
  switch (redirect.redirectResponseCode) {
    case 'FOUND':
      return 302
    case 'SEE_OTHER':
      return 303
    case 'TEMPORARY_REDIRECT':
      return 307
    case 'PERMANENT_REDIRECT':
      return 308
    default:
      // MOVED_PERMANENTLY_DEFAULT, or absent.
      return 301
  }
}

/** hostMatches tells whether a host rule entry matches a request host (both as written, any case). */
export function hostMatches(pattern: string, host: string): boolean {
  return hostMatchRank(pattern.toLowerCase(), host.toLowerCase()) >= 0
}

// --- host rules --------------------------------------------------------------------------------------

/**
 * hostMatchRank returns -1 for no match, else a rank where higher wins: exact beats every wildcard, a
 * longer wildcard suffix beats a shorter one, bare `*` is last. Google states no precedence (§8.3); this
 * is Envoy's virtual-host order, which EXTERNAL_MANAGED compiles to. Duplicate hosts are rejected
 * (§6.4.4), so ranks never tie between rules.
 */
function hostMatchRank(pattern: string, host: string): number {
  if (pattern === host) return Number.MAX_SAFE_INTEGER
  if (pattern === '*') return 0
  if (!pattern.startsWith('*')) return -1
  const suffix = pattern.slice(1)
  if (!host.endsWith(suffix)) return -1
  // `*` "matches any string of ([a-z0-9-.]*)". Choice (Envoy): the wildcard never matches the empty
  // string, so `*.example.com` does not match `.example.com`, nor `example.com`.
  const head = host.slice(0, host.length - suffix.length)
  return head.length > 0 && /^[a-z0-9.-]+$/.test(head) ? suffix.length : -1
}

/** matchHostRule returns the index of the host rule that serves `host`, or undefined (the map default). */
export function matchHostRule(
  map: UrlMap,
  host: string,
  scheme: 'EXTERNAL' | 'EXTERNAL_MANAGED'
): number | undefined {
  // Hosts compare case-insensitively (DNS names; the load balancer lower-cases headers, §8.3).
  const strip = (h: string): string => (scheme === 'EXTERNAL' ? stripPort(h) : h)
  const reqHost = strip(host.toLowerCase())
  let best: number | undefined
  let bestRank = -1
  ;(map.hostRules ?? []).forEach((rule, i) => {
    for (const h of rule.hosts ?? []) {
      const rank = hostMatchRank(strip(h.toLowerCase()), reqHost)
      // Strictly greater: on an (invalid) duplicate the first host rule wins.
      if (rank > bestRank) {
        bestRank = rank
        best = i
      }
    }
  })
  return best
}

/**
 * hostRuleIndex is matchHostRule for many requests on one map: exact hosts in a hash map (the first rule
 * naming a host wins, as in the scan), wildcards ranked as matchHostRule ranks them, answers cached per host.
 */
export function hostRuleIndex(
  map: UrlMap,
  scheme: 'EXTERNAL' | 'EXTERNAL_MANAGED'
): (host: string) => number | undefined {
  const strip = (h: string): string => (scheme === 'EXTERNAL' ? stripPort(h) : h)
  const exact = new Map<string, number>()
  const wildcards: { readonly pattern: string; readonly rule: number }[] = []
  ;(map.hostRules ?? []).forEach((rule, i) => {
    for (const h of rule.hosts ?? []) {
      const pattern = strip(h.toLowerCase())
      if (pattern.startsWith('*')) wildcards.push({ pattern, rule: i })
      else if (!exact.has(pattern)) exact.set(pattern, i)
    }
  })
  const cache = new Map<string, number | undefined>()
  return (host) => {
    const reqHost = strip(host.toLowerCase())
    if (cache.has(reqHost)) return cache.get(reqHost)
    // A request host starting with `*` could equal a wildcard pattern exactly: scan as matchHostRule does.
    let best = reqHost.startsWith('*') ? matchHostRule(map, host, scheme) : exact.get(reqHost)
    if (best === undefined) {
      let bestRank = -1
      for (const w of wildcards) {
        const rank = hostMatchRank(w.pattern, reqHost)
        if (rank > bestRank) {
          bestRank = rank
          best = w.rule
        }
      }
    }
    cache.set(reqHost, best)
    return best
  }
}

function stripPort(host: string): string {
  // `[v6]:port` and `name:port`; a bare IPv6 literal without brackets has no port to strip.
  const m = /^(\[[^\]]*\]|[^:]*):\d+$/.exec(host)
  return m?.[1] ?? host
}

// --- path matchers -----------------------------------------------------------------------------------

function matchInMatcher(
  matcher: PathMatcher,
  indexOf: (m: PathMatcher) => PathIndex,
  path: string,
  query: string,
  headers: NonNullable<RouteRequest['headers']>,
  hostRule: number
): Action | undefined {
  const name = matcher.name ?? ''
  if ((matcher.routeRules ?? []).length > 0) return matchRouteRules(matcher, path, query, headers, hostRule)
  return matchPathRules(indexOf(matcher), path, hostRule, name)
}

/** Path rules of one matcher, indexed: the first rule for each exact path and each `/x/*` prefix. */
interface PathIndex {
  readonly exact: ReadonlyMap<string, { rule: PathRule; pattern: string }>
  /** Keyed by the pattern minus `*` (`/x/`), the part of the path a match consumes. */
  readonly prefix: ReadonlyMap<string, { rule: PathRule; pattern: string }>
}

function indexPathRules(rules: readonly PathRule[]): PathIndex {
  const exact = new Map<string, { rule: PathRule; pattern: string }>()
  const prefix = new Map<string, { rule: PathRule; pattern: string }>()
  for (const rule of rules) {
    for (const pattern of rule.paths ?? []) {
      // First rule wins on an (invalid) duplicate, as the API rejects duplicates anyway (§6.4.7).
      if (pattern.endsWith('/*')) {
        const p = pattern.slice(0, -1)
        if (!prefix.has(p)) prefix.set(p, { rule, pattern })
      } else if (!exact.has(pattern)) {
        exact.set(pattern, { rule, pattern })
      }
    }
  }
  return { exact, prefix }
}

function matchPathRules(
  index: PathIndex,
  path: string,
  hostRule: number,
  matcher: string
): Action | undefined {
  // An exact path rule beats every prefix rule (§8.1 "/video/hd/movie1 and /video/hd/*").
  let hit: { rule: PathRule; pattern: string; length: number } | undefined
  const exact = index.exact.get(path)
  if (exact) hit = { ...exact, length: path.length }
  else {
    // "/x/*" matches "/x/" and below, never "/x": its prefix ends in "/", so the candidates are the
    // request path's prefixes that end in "/"; the longest wins whatever the rule order (§8.1, §8.2).
    for (let i = path.length - 1; i >= 0 && !hit; i--) {
      if (path[i] !== '/') continue
      const p = path.slice(0, i + 1)
      const rule = index.prefix.get(p)
      if (rule) hit = { ...rule, length: p.length }
    }
  }
  if (!hit) return undefined
  return {
    service: hit.rule.service,
    routeAction: hit.rule.routeAction,
    redirect: hit.rule.urlRedirect,
    matchedLength: hit.length,
    source: withIndex(hostRule, matcher, `pathRule ${hit.pattern}`)
  }
}

function matchRouteRules(
  matcher: PathMatcher,
  path: string,
  query: string,
  headers: NonNullable<RouteRequest['headers']>,
  hostRule: number
): Action | undefined {
  // "routeRules are evaluated in order of priority, from the lowest to highest number ... The first rule
  // that matches the request is applied" (§8.4). Stable sort: equal (invalid) priorities keep list order.
  const rules = [...(matcher.routeRules ?? [])].sort((a, b) => (a.priority ?? 0) - (b.priority ?? 0))
  const params = parseQuery(query)
  for (const rule of rules) {
    // matchRules are OR'd; the first one that matches decides how much of the path matched.
    for (const m of rule.matchRules ?? []) {
      const length = matchRoutePath(m, path)
      if (length < 0) continue
      if (!(m.headerMatches ?? []).every((h) => headerMatches(h, headers))) continue
      if (!(m.queryParameterMatches ?? []).every((q) => queryMatches(q, params))) continue
      return {
        service: rule.service,
        routeAction: rule.routeAction,
        redirect: rule.urlRedirect,
        matchedLength: length,
        source: withIndex(hostRule, matcher.name ?? '', `routeRule priority ${rule.priority ?? 0}`)
      }
    }
  }
  return undefined
}

/** matchRoutePath returns the length of the path a matchRule matched, or -1. */
function matchRoutePath(m: HttpRouteRuleMatch, path: string): number {
  const fold = (s: string): string => (m.ignoreCase ? s.toLowerCase() : s)
  if (m.prefixMatch != null) {
    // A raw string prefix: "/api" matches "/apiary"; "*" inside it is a literal character (§8.2).
    return fold(path).startsWith(fold(m.prefixMatch)) ? m.prefixMatch.length : -1
  }
  if (m.fullPathMatch != null) return fold(path) === fold(m.fullPathMatch) ? path.length : -1
  if (m.regexMatch != null) {
    // Rejected for global load balancers (§6.4.9); evaluated anyway as an RE2-style full match with
    // JavaScript's engine, so an invalid map still explains sensibly.
    try {
      return new RegExp(`^(?:${m.regexMatch})$`, m.ignoreCase ? 'i' : '').test(path) ? path.length : -1
    } catch {
      return -1
    }
  }
  if (m.pathTemplateMatch != null) {
    return pathTemplateRegExp(m.pathTemplateMatch, m.ignoreCase ?? false).test(path) ? path.length : -1
  }
  // Choice: a matchRule without a path predicate (invalid, §6.4.9) matches every path.
  return 0
}

/** pathTemplateRegExp compiles `/a/{x}/{y=**}/*` ( `*` one segment, `**` the rest) into a RegExp. */
function pathTemplateRegExp(template: string, ignoreCase: boolean): RegExp {
  const segment = (s: string): string => {
    const v = /^\{[^=}]*(?:=(.*))?\}$/.exec(s)
    const pattern = v ? (v[1] ?? '*') : s
    if (pattern === '**') return '.*'
    if (pattern === '*') return '[^/]+'
    return pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  }
  const body = template
    .split('/')
    .map(segment)
    .join('/')
    // `/**` also matches the empty remainder.
    .replace(/\/\.\*$/, '(?:/.*)?')
  return new RegExp(`^${body}$`, ignoreCase ? 'i' : '')
}

function headerMatches(h: HttpHeaderMatch, headers: NonNullable<RouteRequest['headers']>): boolean {
  const name = (h.headerName ?? '').toLowerCase()
  const values = headers.filter((x) => (x.name ?? '').toLowerCase() === name).map((x) => x.value ?? '')
  // Envoy joins repeated headers with ","; compare against that single value.
  const value = values.length > 0 ? values.join(',') : undefined
  let ok: boolean
  if (h.presentMatch != null) ok = (value !== undefined) === h.presentMatch
  else if (value === undefined) ok = false
  else if (h.exactMatch != null) ok = value === h.exactMatch
  else if (h.prefixMatch != null) ok = value.startsWith(h.prefixMatch)
  else if (h.suffixMatch != null) ok = value.endsWith(h.suffixMatch)
  else if (h.regexMatch != null) ok = safeFullMatch(h.regexMatch, value)
  else if (h.rangeMatch != null) {
    const n = /^-?\d+$/.test(value) ? Number(value) : NaN
    ok = n >= Number(h.rangeMatch.rangeStart ?? 0) && n < Number(h.rangeMatch.rangeEnd ?? 0)
  } else ok = true
  return h.invertMatch ? !ok : ok
}

function queryMatches(q: HttpQueryParameterMatch, params: Map<string, string>): boolean {
  const value = params.get(q.name ?? '')
  if (q.presentMatch != null) return (value !== undefined) === q.presentMatch
  if (value === undefined) return false
  if (q.exactMatch != null) return value === q.exactMatch
  if (q.regexMatch != null) return safeFullMatch(q.regexMatch, value)
  return true
}

function safeFullMatch(re: string, value: string): boolean {
  try {
    return new RegExp(`^(?:${re})$`).test(value)
  } catch {
    return false
  }
}

function parseQuery(query: string): Map<string, string> {
  const params = new Map<string, string>()
  // First occurrence wins for repeated names.
  for (const [k, v] of new URLSearchParams(query)) if (!params.has(k)) params.set(k, v)
  return params
}

function matcherDefault(matcher: PathMatcher, hostRule: number): Action | undefined {
  const weighted = matcher.defaultRouteAction?.weightedBackendServices ?? []
  if (!matcher.defaultService && !matcher.defaultUrlRedirect && weighted.length === 0) return undefined
  return {
    service: matcher.defaultService,
    routeAction: matcher.defaultRouteAction,
    redirect: matcher.defaultUrlRedirect,
    // A default matches "/" — the rewrite is "effectively a prefix prepend because the matched path is
    // always /" (the documented defaultUrlRedirect rule, applied to pathPrefixRewrite too; §8.5).
    matchedLength: 1,
    source: withIndex(hostRule, matcher.name ?? '', 'pathMatcher default')
  }
}

// --- actions -----------------------------------------------------------------------------------------

function resolve(action: Action, host: string, path: string, query: string): Resolution {
  const matchedBy = action.source
  if (action.redirect) {
    return {
      kind: 'redirect',
      redirect: action.redirect,
      matchedBy,
      location: location(action, host, path, query)
    }
  }
  // Choice: with weightedBackendServices (a traffic split) the first entry stands for the split, so the
  // answer is deterministic; explain shows the rule, so the split is visible there.
  const service = action.service || action.routeAction?.weightedBackendServices?.[0]?.backendService
  if (!service) return { kind: 'none', matchedBy }
  const rewrite = action.routeAction?.urlRewrite
  const out = rewrite?.pathPrefixRewrite ? rewrite.pathPrefixRewrite + path.slice(action.matchedLength) : path
  return rewrite?.hostRewrite
    ? { kind: 'service', service, path: out, host: rewrite.hostRewrite, matchedBy }
    : { kind: 'service', service, path: out, matchedBy }
}

function location(action: Action, host: string, path: string, query: string): RedirectLocation {
  const r = action.redirect ?? {}
  // "prefixRedirect is a prefix replacement based on how the requested path was matched" (§8.5).
  const target =
    r.pathRedirect != null && r.pathRedirect !== ''
      ? r.pathRedirect
      : r.prefixRedirect != null && r.prefixRedirect !== ''
        ? r.prefixRedirect + path.slice(action.matchedLength)
        : path
  return {
    https: r.httpsRedirect === true,
    host: r.hostRedirect || host,
    path: r.stripQuery ? target : target + query,
    status: redirectStatus(r)
  }
}

function withIndex(hostRule: number | undefined, pathMatcher: string | undefined, rule: string): MatchSource {
  if (hostRule === undefined) return { rule }
  return pathMatcher === undefined ? { hostRule, rule } : { hostRule, pathMatcher, rule }
}
