// UrlMapTests run against a map with the local evaluator, the way Compute runs them on insert/update and
// in urlMaps.validate (research/gce-api.md §6.4.14, §6.5, §8.5). Shared by the planner and the emulator
// (see evaluate.ts: the two are not independent checks).
import type { UrlMap, UrlMapTest, TestFailure } from '../compute.js'
import { compileUrlMap, splitPath, type Resolution, type RouteRequest } from './evaluate.js'
import { canonicalRef, refProject } from './refs.js'

/** RunTestsOptions says how to read the map's references and which host matching applies. */
export interface RunTestsOptions {
  /**
   * Project that partial references (`global/backendServices/x`) belong to. Compute knows it from the
   * request URL; here it defaults to the project of the map's selfLink, then of the first full reference
   * in the map's defaults, then of the first full `service` in the tests. With none of these, partial
   * references are compared as written (placeholder project `-`).
   */
  readonly project?: string
  readonly scheme?: 'EXTERNAL' | 'EXTERNAL_MANAGED'
}

/**
 * runUrlMapTests evaluates each test like Compute does (service match after canonicalising references,
 * expectedOutputUrl for rewrites, expectedRedirectResponseCode for redirects) and returns the failures.
 */
export function runUrlMapTests(
  map: UrlMap,
  tests: readonly UrlMapTest[],
  opts: RunTestsOptions = {}
): TestFailure[] {
  const project = opts.project ?? mapProject(map, tests)
  const failures: TestFailure[] = []
  const evaluate = compileUrlMap(map, opts.scheme ? { scheme: opts.scheme } : {})
  for (const test of tests) {
    const failure = runOne(evaluate, test, project)
    if (failure) failures.push(failure)
  }
  return failures
}

/**
 * formatTestFailure renders a failure the way Compute words it. Only the service form is documented
 * ("Test failure: Expect URL 'HOST/PATH' to map to service 'EXPECTED', but actually mapped to 'ACTUAL'.");
 * the output-URL and redirect-code forms follow the same pattern (choice).
 */
export function formatTestFailure(f: TestFailure): string {
  const url = `${f.host ?? ''}${f.path ?? ''}`
  const parts: string[] = []
  if (f.expectedService != null && f.expectedService !== f.actualService) {
    parts.push(
      `Test failure: Expect URL '${url}' to map to service '${f.expectedService}', but actually mapped to '${f.actualService ?? ''}'.`
    )
  }
  if (
    f.expectedRedirectResponseCode != null &&
    f.expectedRedirectResponseCode !== f.actualRedirectResponseCode
  ) {
    parts.push(
      `Test failure: Expect URL '${url}' to redirect with response code '${f.expectedRedirectResponseCode}', but actually got '${f.actualRedirectResponseCode ?? ''}'.`
    )
  }
  if (f.expectedOutputUrl != null && parts.length === 0) {
    parts.push(
      `Test failure: Expect URL '${url}' to map to output URL '${f.expectedOutputUrl}', but actually mapped to '${f.actualOutputUrl ?? ''}'.`
    )
  }
  return parts.join(' ')
}

/** mapProject guesses the project a map's partial references belong to (see RunTestsOptions.project). */
export function mapProject(map: UrlMap, tests: readonly UrlMapTest[] = []): string {
  const fromSelf = map.selfLink ? refProject(map.selfLink) : undefined
  if (fromSelf) return fromSelf
  const refs = [
    map.defaultService,
    ...(map.pathMatchers ?? []).map((m) => m.defaultService),
    ...tests.map((t) => t.service)
  ]
  for (const r of refs) {
    const p = r ? refProject(r) : undefined
    if (p) return p
  }
  // Choice: an unknown project still canonicalises both sides the same way, so partial references compare
  // by their partial form; only a partial-vs-full comparison can then differ.
  return '-'
}

function runOne(
  evaluate: (req: RouteRequest) => Resolution,
  test: UrlMapTest,
  project: string
): TestFailure | undefined {
  const host = test.host ?? ''
  const path = test.path ?? ''
  // Test headers feed routeRules headerMatches; a Host header is implied by `host` (Compute requires them
  // to agree), so it is not used for host matching.
  const res = evaluate({ host, path, headers: test.headers ?? [] })
  const actualService = res.kind === 'service' ? canonicalRef(res.service, project) : ''
  const actualCode = res.kind === 'redirect' ? (res.location?.status ?? 301) : undefined
  const actualUrl = outputUrl(res, host, path)

  let failed = false
  const f: TestFailure = { host, path }
  if (test.headers && test.headers.length > 0) f.headers = test.headers
  if (test.service) {
    const expected = canonicalRef(test.service, project)
    f.expectedService = expected
    f.actualService = actualService
    if (expected !== actualService) failed = true
  }
  if (test.expectedRedirectResponseCode != null) {
    f.expectedRedirectResponseCode = test.expectedRedirectResponseCode
    if (actualCode !== undefined) f.actualRedirectResponseCode = actualCode
    if (res.kind === 'service') f.actualService = actualService
    if (test.expectedRedirectResponseCode !== actualCode) failed = true
  } else if (actualCode !== undefined && test.service) {
    f.actualRedirectResponseCode = actualCode
  }
  if (test.expectedOutputUrl) {
    f.expectedOutputUrl = test.expectedOutputUrl
    f.actualOutputUrl = actualUrl
    if (!outputUrlMatches(test.expectedOutputUrl, res, actualUrl)) failed = true
  }
  return failed ? f : undefined
}

/**
 * outputUrl is what the load balancer emits for a test request: for a backend, `host/path?query` of the
 * forwarded request (host after hostRewrite); for a redirect, the Location (with `https://` when
 * httpsRedirect is set). Empty when nothing matches.
 */
function outputUrl(res: Resolution, host: string, rawPath: string): string {
  const { query } = splitPath(rawPath)
  if (res.kind === 'service') return `${res.host ?? host}${res.path}${query}`
  if (res.kind === 'redirect' && res.location) {
    const l = res.location
    return `${l.https ? 'https://' : ''}${l.host}${l.path}`
  }
  return ''
}

/**
 * outputUrlMatches compares an expectedOutputUrl with the actual output. The expected URL may be written
 * `host/path` or `scheme://host/path`. "When service is specified, expectedOutputUrl's scheme is
 * ignored"; for a redirect with httpsRedirect "the test passes only if the scheme in expectedOutputUrl
 * is also set to HTTPS" (UrlMapTest.expectedOutputUrl). Choice: without httpsRedirect the redirect keeps
 * the request's scheme, which a test does not state, so any scheme is accepted. The host compares
 * case-insensitively, the path and query exactly.
 */
function outputUrlMatches(expected: string, res: Resolution, actual: string): boolean {
  const e = splitUrl(expected)
  const a = splitUrl(actual)
  if (res.kind === 'redirect' && res.location?.https && e.scheme !== 'https') return false
  return e.host.toLowerCase() === a.host.toLowerCase() && e.rest === a.rest
}

function splitUrl(url: string): { scheme: string; host: string; rest: string } {
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//.exec(url)
  const scheme = m?.[1]?.toLowerCase() ?? ''
  const noScheme = m ? url.slice(m[0].length) : url
  const cut = noScheme.search(/[/?#]/)
  const host = cut >= 0 ? noScheme.slice(0, cut) : noScheme
  const rest = cut >= 0 ? noScheme.slice(cut) : '/'
  return { scheme, host, rest: rest.startsWith('/') ? rest : `/${rest}` }
}
