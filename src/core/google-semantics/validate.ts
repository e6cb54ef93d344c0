// Server-side structural validation of a URL map (research/gce-api.md §6.4 rules 1–12, the shape part of
// 14, and the "URL maps" limits table). Pure: rule 13 (referenced backend services exist) needs live data
// and is the emulator's job. Messages follow Compute's "Invalid value for field 'F': 'V'. Why" form.
// Like evaluate.ts, this is lb-routes' model of Google's rules, shared by the planner (plan checks) AND the
// bundled emulator (urlMaps.insert/update/validate). The offline check and the emulated server-side check
// are therefore not independent; only Google's own urlMaps.validate is.
import type {
  UrlMap,
  HttpRedirectAction,
  HttpRouteAction,
  HttpRouteRule,
  PathMatcher,
  PathRule
} from '../compute.js'

export interface UrlMapProblem {
  /** Compute-style field path, e.g. "resource.hostRules[0].pathMatcher". */
  readonly field: string
  /** The offending value as a string ('' when absent). */
  readonly value: string
  /** Compute-style message, e.g. "Invalid value for field 'resource.hostRules[0].pathMatcher': 'c'. Bad path matcher name specified in host rule". */
  readonly message: string
}

export interface ValidateOptions {
  /** Load-balancing scheme the map is validated for; classic EXTERNAL has extra restrictions (§6.4.12). */
  readonly scheme?: 'EXTERNAL' | 'EXTERNAL_MANAGED'
  /**
   * Whether every path matcher must carry its own default action. Google's overview says "For each path
   * matcher, you must at least specify a default backend service or default backend bucket" (§6.4.2), so
   * the default is true; pass false to accept matchers that fall back to the URL map default.
   */
  readonly requireMatcherDefault?: boolean
}

/** Limits that "cannot be increased" for the external Application Load Balancer (gce-api.md §6.4 table). */
export const URL_MAP_LIMITS = {
  hostRules: 1000,
  pathMatchers: 1000,
  rulesPerMatcher: 1000,
  hostsPerRule: 1000,
  predicatesPerMatcher: 1000,
  pathTemplatePredicatesPerMatcher: 100,
  backendServices: 2500,
  testsExternalManaged: 100,
  testsExternal: 10000
} as const

const NAME_REGEX = '(?:[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?)'
const REDIRECT_CODES = [
  'MOVED_PERMANENTLY_DEFAULT',
  'FOUND',
  'SEE_OTHER',
  'TEMPORARY_REDIRECT',
  'PERMANENT_REDIRECT'
]
const MAX_PRIORITY = 2147483647

// How the rules report: Compute's field path, the offending value, and why; plus the options they need.
interface Check {
  readonly scheme: string
  readonly requireMatcherDefault: boolean
  readonly bad: Bad
  /** A required field that is not set: Compute words this one differently. */
  readonly missing: (field: string) => void
}

type MapRule = (map: UrlMap, c: Check) => void

const R = 'resource'

/** The map-level rules, in the order their problems are reported (Compute reports the first). */
const MAP_RULES: readonly MapRule[] = [
  mapName,
  mapDefaults,
  hostRules,
  pathMatchers,
  mapTests,
  backendServiceLimit
]

/** validateUrlMapStructure checks the server-side structural rules of gce-api.md §6.4 (1–12, 14 shape), pure. */
export function validateUrlMapStructure(map: UrlMap, opts: ValidateOptions = {}): UrlMapProblem[] {
  const out: UrlMapProblem[] = []
  const bad = (field: string, value: unknown, why: string): void => {
    const v = value == null ? '' : String(value)
    out.push({ field, value: v, message: `Invalid value for field '${field}': '${v}'. ${why}` })
  }
  const missing = (field: string): void => {
    out.push({ field, value: '', message: `Required field '${field}' not specified` })
  }
  const c: Check = {
    scheme: opts.scheme ?? 'EXTERNAL_MANAGED',
    requireMatcherDefault: opts.requireMatcherDefault ?? true,
    bad,
    missing
  }
  for (const rule of MAP_RULES) rule(map, c)
  return out
}

// 1. Name.
function mapName(map: UrlMap, c: Check): void {
  if (!map.name) c.missing(`${R}.name`)
  else if (!new RegExp(`^${NAME_REGEX}$`).test(map.name))
    c.bad(`${R}.name`, map.name, `Must be a match of regex '${NAME_REGEX}'`)
}

// 2. Exactly one default action on the map.
function mapDefaults(map: UrlMap, c: Check): void {
  checkDefaults(map, R, true, c.bad)
  checkRouteAction(map.defaultRouteAction, `${R}.defaultRouteAction`, c.scheme, false, c.bad)
  checkRedirect(map.defaultUrlRedirect, `${R}.defaultUrlRedirect`, c.bad)
  checkHeaderAction(map, R, c.scheme, c.bad)
}

// 3–5. Host rules: each names an existing path matcher and valid hosts; no host in two rules.
function hostRules(map: UrlMap, c: Check): void {
  const rules = map.hostRules ?? []
  if (rules.length > URL_MAP_LIMITS.hostRules) {
    c.bad(
      `${R}.hostRules`,
      rules.length,
      `Exceeded the limit of ${URL_MAP_LIMITS.hostRules} host rules per URL map`
    )
  }
  const matcherNames = new Set((map.pathMatchers ?? []).map((m) => m.name ?? ''))
  const seenHosts = new Map<string, number>()
  rules.forEach((rule, i) => {
    const f = `${R}.hostRules[${i}]`
    if (!rule.pathMatcher || !matcherNames.has(rule.pathMatcher)) {
      c.bad(`${f}.pathMatcher`, rule.pathMatcher, 'Bad path matcher name specified in host rule')
    }
    const hosts = rule.hosts ?? []
    if (hosts.length === 0) c.bad(`${f}.hosts`, '', 'A host rule must specify at least one host')
    if (hosts.length > URL_MAP_LIMITS.hostsPerRule) {
      c.bad(
        `${f}.hosts`,
        hosts.length,
        `Exceeded the limit of ${URL_MAP_LIMITS.hostsPerRule} hosts per host rule`
      )
    }
    hosts.forEach((host, j) => checkHost(host, `${f}.hosts[${j}]`, i, seenHosts, c))
  })
}

function checkHost(host: string, hf: string, rule: number, seenHosts: Map<string, number>, c: Check): void {
  if (!validHost(host)) {
    c.bad(
      hf,
      host,
      "Invalid host. Hosts must be valid hostnames with optional port numbers in the format host:port; '*' may only be the first character, followed by nothing, '-' or '.'"
    )
  }
  // "Two host rules in a URL map can't include the same hostname"; hosts compare case-insensitively.
  const key = host.toLowerCase()
  const first = seenHosts.get(key)
  if (first !== undefined) {
    c.bad(hf, host, `Duplicate host '${host}' in host rules; it already appears in hostRules[${first}]`)
  } else {
    seenHosts.set(key, rule)
  }
}

// 6–12. Path matchers: named once each, then each matcher's own rules (MATCHER_RULES).
function pathMatchers(map: UrlMap, c: Check): void {
  const matchers = map.pathMatchers ?? []
  if (matchers.length > URL_MAP_LIMITS.pathMatchers) {
    c.bad(
      `${R}.pathMatchers`,
      matchers.length,
      `Exceeded the limit of ${URL_MAP_LIMITS.pathMatchers} path matchers per URL map`
    )
  }
  const seenMatchers = new Set<string>()
  matchers.forEach((m, i) => {
    const f = `${R}.pathMatchers[${i}]`
    if (!m.name) c.bad(`${f}.name`, '', 'A path matcher must have a name')
    else if (!new RegExp(`^${NAME_REGEX}$`).test(m.name))
      c.bad(`${f}.name`, m.name, `Must be a match of regex '${NAME_REGEX}'`)
    else if (seenMatchers.has(m.name)) c.bad(`${f}.name`, m.name, 'Duplicate path matcher name')
    if (m.name) seenMatchers.add(m.name)
    for (const rule of MATCHER_RULES) rule(m, f, c)
  })
}

// 14 (shape). Tests.
function mapTests(map: UrlMap, c: Check): void {
  const tests = map.tests ?? []
  const maxTests =
    c.scheme === 'EXTERNAL' ? URL_MAP_LIMITS.testsExternal : URL_MAP_LIMITS.testsExternalManaged
  if (tests.length > maxTests)
    c.bad(`${R}.tests`, tests.length, `Exceeded the limit of ${maxTests} tests per URL map`)
  tests.forEach((t, i) => {
    const f = `${R}.tests[${i}]`
    if (t.service && t.expectedRedirectResponseCode != null) {
      c.bad(
        `${f}.expectedRedirectResponseCode`,
        t.expectedRedirectResponseCode,
        'expectedRedirectResponseCode cannot be set when service is set'
      )
    }
    if (!t.host) c.bad(`${f}.host`, '', 'A test must specify a host')
    if (!t.path) c.bad(`${f}.path`, '', 'A test must specify a path')
  })
}

// Distinct backend services referenced by one URL map.
function backendServiceLimit(map: UrlMap, c: Check): void {
  const services = new Set(collectServiceReferences(map))
  if (services.size > URL_MAP_LIMITS.backendServices) {
    c.bad(
      R,
      services.size,
      `Exceeded the limit of ${URL_MAP_LIMITS.backendServices} backend services per URL map`
    )
  }
}

/** collectServiceReferences lists every backend service reference in the map (defaults, rules, weighted). */
export function collectServiceReferences(map: UrlMap): string[] {
  // Unique, as written, in order of first appearance. Request-mirroring targets count too: they make the
  // backend service "in use" just the same (deleting it must fail).
  const out = new Set<string>()
  const add = (s: string | null | undefined): void => {
    if (s) out.add(s)
  }
  const addAction = (a: HttpRouteAction | null | undefined): void => {
    for (const w of a?.weightedBackendServices ?? []) add(w.backendService)
    add(a?.requestMirrorPolicy?.backendService)
  }
  add(map.defaultService)
  addAction(map.defaultRouteAction)
  for (const m of map.pathMatchers ?? []) {
    add(m.defaultService)
    addAction(m.defaultRouteAction)
    for (const rule of [...(m.pathRules ?? []), ...(m.routeRules ?? [])]) {
      add(rule.service)
      addAction(rule.routeAction)
    }
  }
  return [...out]
}

// --- helpers -----------------------------------------------------------------------------------------

type Bad = (field: string, value: unknown, why: string) => void

/** validHost implements HostRule.hosts: hostname (or `*`, `*.x`, `*-x`) with an optional `:port`. */
export function validHost(host: string): boolean {
  // "* matches any string of ([a-z0-9-.]*). In that case, * must be the first character, and if
  // followed by anything, the immediate following character must be either - or ." (§6.4.5).
  // Upper case is accepted: hosts compare case-insensitively.
  const m = /^(.*?)(?::(\d{1,5}))?$/.exec(host)
  const name = m?.[1] ?? ''
  if (m?.[2] !== undefined && Number(m[2]) > 65535) return false
  if (name === '*') return m?.[2] === undefined
  const label = '[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?'
  if (name.startsWith('*'))
    return new RegExp(`^\\*[-.][-.a-zA-Z0-9]*[a-zA-Z0-9]$`).test(name) && name.length <= 255
  return new RegExp(`^${label}(?:\\.${label})*$`).test(name) && name.length <= 255
}

/** validPathRulePath implements PathRule.paths: starts with /, `*` only at the end after a /, no ? or #. */
export function validPathRulePath(p: string): boolean {
  if (!p.startsWith('/') || /[?#]/.test(p) || p.length > 1024) return false
  const star = p.indexOf('*')
  return star < 0 || (star === p.length - 1 && p.endsWith('/*'))
}

function actionCount(
  service: unknown,
  redirect: unknown,
  action: HttpRouteAction | null | undefined
): number {
  return [Boolean(service), Boolean(redirect), (action?.weightedBackendServices ?? []).length > 0].filter(
    Boolean
  ).length
}

function checkDefaults(
  level: Pick<UrlMap, 'defaultService' | 'defaultUrlRedirect' | 'defaultRouteAction'>,
  f: string,
  required: boolean,
  bad: Bad
): void {
  const n = actionCount(level.defaultService, level.defaultUrlRedirect, level.defaultRouteAction)
  if (n > 1) {
    bad(
      `${f}.defaultService`,
      level.defaultService,
      'Only one of defaultUrlRedirect, defaultService or defaultRouteAction.weightedBackendService can be set'
    )
  } else if (n === 0 && required) {
    bad(
      `${f}.defaultService`,
      '',
      'One of defaultService, defaultUrlRedirect or defaultRouteAction.weightedBackendService must be set'
    )
  }
}

type MatcherRule = (m: PathMatcher, f: string, c: Check) => void
type MatchRule = NonNullable<HttpRouteRule['matchRules']>[number]
const NO_REGEX = "Global and classic Application Load Balancers don't support regular expressions"

/** A path matcher's rules, in the order their problems are reported. */
const MATCHER_RULES: readonly MatcherRule[] = [
  matcherDefaults,
  matcherRuleKinds,
  matcherPathRules,
  matcherRouteRules,
  matcherPredicateLimits
]

// 2 for a path matcher: its default action (required unless requireMatcherDefault is false).
function matcherDefaults(m: PathMatcher, f: string, c: Check): void {
  checkDefaults(m, f, c.requireMatcherDefault, c.bad)
  checkRouteAction(m.defaultRouteAction, `${f}.defaultRouteAction`, c.scheme, false, c.bad)
  checkRedirect(m.defaultUrlRedirect, `${f}.defaultUrlRedirect`, c.bad)
  checkHeaderAction(m, f, c.scheme, c.bad)
}

// 8. "Within a given pathMatcher, only one of pathRules or routeRules must be set", within the rules limit.
function matcherRuleKinds(m: PathMatcher, f: string, c: Check): void {
  const pathRules = m.pathRules ?? []
  const routeRules = m.routeRules ?? []
  if (pathRules.length > 0 && routeRules.length > 0) {
    c.bad(`${f}.routeRules`, '', 'Only one of pathRules or routeRules can be set within a path matcher')
  }
  const rules = pathRules.length + routeRules.length
  if (rules > URL_MAP_LIMITS.rulesPerMatcher) {
    c.bad(
      f,
      rules,
      `Exceeded the limit of ${URL_MAP_LIMITS.rulesPerMatcher} path rules or route rules per path matcher`
    )
  }
}

// 6–7. Path rules: valid paths, each path in one rule of the matcher, one action each.
function matcherPathRules(m: PathMatcher, f: string, c: Check): void {
  const seenPaths = new Map<string, number>()
  ;(m.pathRules ?? []).forEach((rule: PathRule, i) => {
    const rf = `${f}.pathRules[${i}]`
    const paths = rule.paths ?? []
    if (paths.length === 0) c.bad(`${rf}.paths`, '', 'A path rule must specify at least one path')
    paths.forEach((p, j) => {
      if (!validPathRulePath(p)) {
        c.bad(
          `${rf}.paths[${j}]`,
          p,
          "Path must start with / and the only place a * is allowed is at the end following a /; '?' and '#' are not allowed"
        )
      }
      // "you cannot create more than one path rule for the same path" — across all rules of the matcher.
      const first = seenPaths.get(p)
      if (first !== undefined)
        c.bad(
          `${rf}.paths[${j}]`,
          p,
          `Duplicate path '${p}' in path matcher; it already appears in pathRules[${first}]`
        )
      else seenPaths.set(p, i)
    })
    checkRuleAction(
      rule.service,
      rule.urlRedirect,
      rule.routeAction,
      rf,
      'urlRedirect',
      c.scheme,
      false,
      c.bad
    )
  })
}

// 9. Route rules: distinct priorities in range, one path predicate per match rule, no regular expressions.
function matcherRouteRules(m: PathMatcher, f: string, c: Check): void {
  const seenPriorities = new Map<number, number>()
  ;(m.routeRules ?? []).forEach((rule: HttpRouteRule, i) => {
    const rf = `${f}.routeRules[${i}]`
    const priority = rule.priority ?? 0
    if (!Number.isInteger(priority) || priority < 0 || priority > MAX_PRIORITY) {
      c.bad(`${rf}.priority`, priority, `Priority must be between 0 and ${MAX_PRIORITY} inclusive`)
    }
    const first = seenPriorities.get(priority)
    if (first !== undefined) {
      c.bad(
        `${rf}.priority`,
        priority,
        `Duplicate priority ${priority}; routeRules[${first}] has the same priority`
      )
    } else {
      seenPriorities.set(priority, i)
    }
    const matchRules = rule.matchRules ?? []
    matchRules.forEach((mr, j) => checkMatchRule(mr, `${rf}.matchRules[${j}]`, c))
    const hasTemplate = matchRules.some((mr) => mr.pathTemplateMatch != null)
    checkRuleAction(
      rule.service,
      rule.urlRedirect,
      rule.routeAction,
      rf,
      'urlRedirect',
      c.scheme,
      hasTemplate,
      c.bad
    )
    checkHeaderAction(rule, rf, c.scheme, c.bad)
  })
}

function checkMatchRule(mr: MatchRule, mf: string, c: Check): void {
  const set = (['prefixMatch', 'fullPathMatch', 'regexMatch', 'pathTemplateMatch'] as const).filter(
    (k) => mr[k] != null
  )
  if (set.length !== 1) {
    c.bad(
      mf,
      set.join(','),
      'Exactly one of prefixMatch, fullPathMatch, regexMatch or pathTemplateMatch must be specified'
    )
  }
  for (const k of ['prefixMatch', 'fullPathMatch'] as const) {
    const v = mr[k]
    if (v == null) continue
    if (v.length < 1 || v.length > 1024) c.bad(`${mf}.${k}`, v, `${k} must be between 1 and 1024 characters`)
    if (!v.startsWith('/')) c.bad(`${mf}.${k}`, v, `${k} must begin with a /`)
  }
  if (mr.regexMatch != null) c.bad(`${mf}.regexMatch`, mr.regexMatch, NO_REGEX)
  if (mr.pathTemplateMatch != null) checkPathTemplate(mr.pathTemplateMatch, `${mf}.pathTemplateMatch`, c)
  for (const [k, h] of (mr.headerMatches ?? []).entries()) {
    if (h.regexMatch != null) c.bad(`${mf}.headerMatches[${k}].regexMatch`, h.regexMatch, NO_REGEX)
  }
  for (const [k, q] of (mr.queryParameterMatches ?? []).entries()) {
    if (q.regexMatch != null) c.bad(`${mf}.queryParameterMatches[${k}].regexMatch`, q.regexMatch, NO_REGEX)
  }
}

function checkPathTemplate(template: string, tf: string, c: Check): void {
  if (c.scheme === 'EXTERNAL') {
    c.bad(tf, template, 'pathTemplateMatch is not supported for classic Application Load Balancers')
  } else if (templateOperators(template) > 5) {
    c.bad(tf, template, 'pathTemplateMatch can have at most 5 operators')
  }
  if (!template.startsWith('/')) c.bad(tf, template, 'pathTemplateMatch must begin with a /')
}

// Predicates per matcher: each path of a path rule, each match rule of a route rule (at least one per rule).
function matcherPredicateLimits(m: PathMatcher, f: string, c: Check): void {
  const matchRules = (m.routeRules ?? []).map((rule) => rule.matchRules ?? [])
  const predicates =
    (m.pathRules ?? []).reduce((n, rule) => n + (rule.paths ?? []).length, 0) +
    matchRules.reduce((n, rules) => n + Math.max(rules.length, 1), 0)
  const templates = matchRules.flat().filter((mr) => mr.pathTemplateMatch != null).length
  if (predicates > URL_MAP_LIMITS.predicatesPerMatcher) {
    c.bad(
      f,
      predicates,
      `Exceeded the limit of ${URL_MAP_LIMITS.predicatesPerMatcher} predicates per path matcher`
    )
  }
  if (templates > URL_MAP_LIMITS.pathTemplatePredicatesPerMatcher) {
    c.bad(
      f,
      templates,
      `Exceeded the limit of ${URL_MAP_LIMITS.pathTemplatePredicatesPerMatcher} pathTemplateMatch predicates per path matcher`
    )
  }
}

function checkRuleAction(
  service: string | null | undefined,
  redirect: HttpRedirectAction | null | undefined,
  action: HttpRouteAction | null | undefined,
  f: string,
  redirectField: string,
  scheme: string,
  hasTemplate: boolean,
  bad: Bad
): void {
  // "Only one of urlRedirect, service or routeAction.weightedBackendService must be set."
  const n = actionCount(service, redirect, action)
  if (n !== 1) {
    bad(
      `${f}.service`,
      service,
      'Only one of urlRedirect, service or routeAction.weightedBackendService must be set'
    )
  }
  checkRouteAction(action, `${f}.routeAction`, scheme, hasTemplate, bad)
  checkRedirect(redirect, `${f}.${redirectField}`, bad)
}

function checkRouteAction(
  action: HttpRouteAction | null | undefined,
  f: string,
  scheme: string,
  hasTemplate: boolean,
  bad: Bad
): void {
  if (!action) return
  // 12. "URL maps for classic Application Load Balancers only support the urlRewrite action within" a
  // route action.
  if (scheme === 'EXTERNAL') {
    for (const [k, v] of Object.entries(action)) {
      if (k === 'urlRewrite' || k.startsWith('_') || v == null) continue
      if (Array.isArray(v) && v.length === 0) continue
      bad(
        `${f}.${k}`,
        '',
        'URL maps for classic Application Load Balancers only support the urlRewrite action within a route action'
      )
    }
  }
  const rw = action.urlRewrite
  if (rw) {
    // 10. urlRewrite lengths and exclusivity.
    const rewrites = [rw.pathPrefixRewrite, rw.pathTemplateRewrite, rw.regexRewrite].filter((x) => x != null)
    if (rewrites.length > 1) {
      bad(
        `${f}.urlRewrite`,
        '',
        'Only one of pathPrefixRewrite, pathTemplateRewrite or regexRewrite can be set'
      )
    }
    if (
      rw.pathPrefixRewrite != null &&
      (rw.pathPrefixRewrite.length < 1 || rw.pathPrefixRewrite.length > 1024)
    ) {
      bad(
        `${f}.urlRewrite.pathPrefixRewrite`,
        rw.pathPrefixRewrite,
        'pathPrefixRewrite must be between 1 and 1024 characters'
      )
    }
    if (rw.hostRewrite != null && (rw.hostRewrite.length < 1 || rw.hostRewrite.length > 255)) {
      bad(`${f}.urlRewrite.hostRewrite`, rw.hostRewrite, 'hostRewrite must be between 1 and 255 characters')
    }
    if (rw.pathTemplateRewrite != null && !hasTemplate) {
      bad(
        `${f}.urlRewrite.pathTemplateRewrite`,
        rw.pathTemplateRewrite,
        'pathTemplateRewrite may only be used with a pathTemplateMatch'
      )
    }
    if (rw.regexRewrite != null) {
      bad(
        `${f}.urlRewrite.regexRewrite`,
        '',
        "Global and classic Application Load Balancers don't support regular expressions"
      )
    }
  }
  ;(action.weightedBackendServices ?? []).forEach((w, i) => {
    const wf = `${f}.weightedBackendServices[${i}]`
    if (!w.backendService)
      bad(`${wf}.backendService`, '', 'A weighted backend service must name a backend service')
    if (w.weight != null && (w.weight < 0 || w.weight > 1000))
      bad(`${wf}.weight`, w.weight, 'Weight must be between 0 and 1000')
    if (scheme === 'EXTERNAL') checkHeaderAction(w, wf, scheme, bad)
  })
}

function checkRedirect(redirect: HttpRedirectAction | null | undefined, f: string, bad: Bad): void {
  if (!redirect) return
  // 11. httpsRedirect "must only be set for URL maps used in TargetHttpProxys" needs the proxies: not here.
  if (redirect.pathRedirect != null && redirect.prefixRedirect != null) {
    bad(
      `${f}.prefixRedirect`,
      redirect.prefixRedirect,
      'Only one of pathRedirect or prefixRedirect can be set'
    )
  }
  for (const k of ['pathRedirect', 'prefixRedirect'] as const) {
    const v = redirect[k]
    if (v != null && (v.length < 1 || v.length > 1024))
      bad(`${f}.${k}`, v, `${k} must be between 1 and 1024 characters`)
  }
  if (
    redirect.hostRedirect != null &&
    (redirect.hostRedirect.length < 1 || redirect.hostRedirect.length > 255)
  ) {
    bad(`${f}.hostRedirect`, redirect.hostRedirect, 'hostRedirect must be between 1 and 255 characters')
  }
  if (redirect.redirectResponseCode != null && !REDIRECT_CODES.includes(redirect.redirectResponseCode)) {
    bad(
      `${f}.redirectResponseCode`,
      redirect.redirectResponseCode,
      `Must be one of ${REDIRECT_CODES.join(', ')}`
    )
  }
}

function checkHeaderAction(owner: { headerAction?: unknown }, f: string, scheme: string, bad: Bad): void {
  // 12. "headerAction is not supported for load balancers that have their loadBalancingScheme set to EXTERNAL".
  if (scheme === 'EXTERNAL' && owner.headerAction != null) {
    bad(
      `${f}.headerAction`,
      '',
      'headerAction is not supported for load balancers that have their loadBalancingScheme set to EXTERNAL'
    )
  }
}

/** templateOperators counts `{var}` captures and bare `*`/`**` segments of a pathTemplateMatch. */
function templateOperators(template: string): number {
  let n = 0
  for (const seg of template.split('/')) if (seg.startsWith('{') || seg === '*' || seg === '**') n++
  return n
}
