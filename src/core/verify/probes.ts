// Verify after apply (pure part): which requests to send through the load balancer, when a response
// counts as "the route is up", and the report. A real load balancer cannot say which backend answered,
// so a probe passes on its HTTP status alone: 200–399 by default (redirects are not followed), or the
// statuses a routes.json test names in `expect.status`. The shell (src/shell/verify) sends them.
import type { RouteTestCase } from '../plan/route-tests.js'
import { exampleHost } from '../plan/route-tests.js'
import type { SourceRef } from '../routes/model.js'

/** Which route tests become probes: only routes.json `tests`, or those plus one generated per path. */
export type VerifyTests = 'declared' | 'all'

export const VERIFY_TESTS: readonly VerifyTests[] = ['declared', 'all']

/** One request to send through the load balancer and the answer that means its route is up. */
export interface Probe {
  readonly route: string
  /** Host header (and TLS server name) of the request. */
  readonly host: string
  /** Path (with query, if the test has one) of the request. */
  readonly path: string
  /** Accepted statuses; undefined means any 200–399. */
  readonly statuses?: readonly number[]
  readonly origin: 'declared' | 'generated'
  readonly at: SourceRef
}

/** What one request got back: a status (and Location), or a network error in words. */
export type ProbeResponse =
  { readonly status: number; readonly location?: string } | { readonly error: string }

/** The outcome of one probe after its retries. */
export interface ProbeResult {
  readonly probe: Probe
  readonly passed: boolean
  readonly attempts: number
  /** Latency of the passing request (ms). */
  readonly latencyMs?: number
  /** The last response: the passing one, or the last failure. */
  readonly last?: ProbeResponse
}

export interface VerifyReport {
  /** Base URL of the load balancer the probes went to. */
  readonly url: string
  readonly tests: VerifyTests
  readonly timeoutMs: number
  readonly durationMs: number
  readonly results: readonly ProbeResult[]
}

/** The host a request carries when the route's host pattern is "*": generated tests use exampleHost("*"). */
const ANY_HOST = exampleHost('*')

/**
 * probesFor turns route test cases into probes against `baseHost` (the base URL's host[:port]). A generated
 * test for host "*" is sent with the base URL's own host, since any host reaches it and that one resolves.
 * Declared tests keep their host and carry `expect.status`; duplicates (same host and path) are probed once,
 * the declared test winning.
 */
export function probesFor(cases: readonly RouteTestCase[], baseHost: string, tests: VerifyTests): Probe[] {
  const seen = new Set<string>()
  const probes: Probe[] = []
  const declaredFirst = [
    ...cases.filter((c) => c.origin === 'declared'),
    ...(tests === 'all' ? cases.filter((c) => c.origin === 'generated') : [])
  ]
  for (const c of declaredFirst) {
    const host = c.origin === 'generated' && c.host === ANY_HOST ? baseHost : c.host
    const key = `${host}\0${c.path}`
    if (seen.has(key)) continue
    seen.add(key)
    probes.push({
      route: c.route,
      host,
      path: c.path,
      ...(c.expectStatus !== undefined ? { statuses: c.expectStatus } : {}),
      origin: c.origin,
      at: c.at
    })
  }
  return probes
}

/** probePassed decides whether a response means the probe's route is up. */
export function probePassed(probe: Probe, response: ProbeResponse): boolean {
  if (!('status' in response)) return false
  if (probe.statuses) return probe.statuses.includes(response.status)
  return response.status >= 200 && response.status <= 399
}

/** expectedStatus describes what a probe waits for, e.g. "200–399" or "401". */
export function expectedStatus(probe: Probe): string {
  return probe.statuses ? probe.statuses.join(' or ') : '200–399'
}

/** responseText renders a response in a few words: "404", "301 → https://…", or the error. */
export function responseText(response: ProbeResponse | undefined): string {
  if (!response) return 'no response'
  if ('error' in response) return response.error
  return response.location ? `${response.status} → ${response.location}` : String(response.status)
}

/** verifyPassed is true when every probe passed. */
export function verifyPassed(report: VerifyReport): boolean {
  return report.results.every((r) => r.passed)
}

/** failedRoutes lists the routes with a probe that never passed, in report order, each once. */
export function failedRoutes(report: VerifyReport): string[] {
  return [...new Set(report.results.filter((r) => !r.passed).map((r) => r.probe.route))]
}

/**
 * verifyFailureMessage names every route that never came up, each with its first failing request (host/path,
 * what was expected, the last answer) and how many more of its requests failed.
 */
export function verifyFailureMessage(report: VerifyReport): string {
  const failed = report.results.filter((r) => !r.passed)
  const routes = failedRoutes(report)
  const details = routes.slice(0, 10).map((route) => {
    const [first, ...more] = failed.filter((r) => r.probe.route === route)
    const also = more.length ? `; ${more.length} more request(s) failed` : ''
    return `${route} (${first!.probe.host}${first!.probe.path}: expected ${expectedStatus(first!.probe)}, last ${responseText(first!.last)}${also})`
  })
  const others = routes.length > 10 ? `, and ${routes.length - 10} more route(s)` : ''
  return `${routes.length} route(s) never came up within ${formatDurationMs(report.timeoutMs)} through ${report.url}: ${details.join(', ')}${others}`
}

/** formatDurationMs renders a duration the way --verify-timeout takes it: "10m", "90s", "1m30s", "250ms". */
export function formatDurationMs(ms: number): string {
  if (ms < 1000) return `${ms}ms`
  const s = Math.round(ms / 1000)
  const m = Math.floor(s / 60)
  if (m === 0) return `${s}s`
  return s % 60 === 0 ? `${m}m` : `${m}m${s % 60}s`
}

/**
 * parseDuration reads "90s", "10m", "1h", "500ms", combinations such as "1m30s", or plain seconds ("600");
 * returns milliseconds, or undefined when the text is not a positive duration.
 */
export function parseDuration(text: string): number | undefined {
  const t = text.trim().toLowerCase()
  if (/^\d+(\.\d+)?$/.test(t)) {
    const ms = Math.round(Number(t) * 1000)
    return ms > 0 ? ms : undefined
  }
  if (!/^(\d+(\.\d+)?(ms|h|m|s))+$/.test(t)) return undefined
  const unit: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }
  let ms = 0
  for (const [, n, , u] of t.matchAll(/(\d+(\.\d+)?)(ms|h|m|s)/g)) ms += Number(n) * unit[u!]!
  ms = Math.round(ms)
  return ms > 0 ? ms : undefined
}

/** How verification runs: the load balancer's base URL, the overall timeout and which tests to probe. */
export interface VerifySettings {
  /** Origin of the load balancer (scheme, host, port). */
  readonly url: string
  readonly timeoutMs: number
  readonly tests: VerifyTests
}

/** Default time a route may take to come up: URL map changes reach every Google front end in minutes. */
export const DEFAULT_VERIFY_TIMEOUT_MS = 600_000

/**
 * verifySettings checks the url / timeout / tests values (named as the flag or input that carries them):
 * undefined settings when no url is given, or an error saying what to fix.
 */
export function verifySettings(
  names: { readonly url: string; readonly timeout: string; readonly tests: string },
  url: string | undefined,
  timeout: string | undefined,
  tests: string | undefined
): { readonly settings?: VerifySettings; readonly error?: string } {
  if (url === undefined) {
    if (timeout !== undefined || tests !== undefined)
      return { error: `${timeout !== undefined ? names.timeout : names.tests} needs ${names.url}` }
    return {}
  }
  let parsed: URL | undefined
  try {
    parsed = new URL(url)
  } catch {
    parsed = undefined
  }
  if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') || !parsed.hostname)
    return {
      error: `${names.url} "${url}" is not an http:// or https:// URL; give the load balancer's address, e.g. https://www.example.com or http://203.0.113.7`
    }
  if (parsed.pathname !== '/' || parsed.search || parsed.username || parsed.password)
    return {
      error: `${names.url} "${url}" has a path, query or user; give only scheme and host (each route test brings its own path)`
    }
  const timeoutMs = timeout === undefined ? DEFAULT_VERIFY_TIMEOUT_MS : parseDuration(timeout)
  if (timeoutMs === undefined)
    return { error: `${names.timeout} "${timeout}" is not a duration; use e.g. 90s, 10m or 600 (seconds)` }
  if (tests !== undefined && !(VERIFY_TESTS as readonly string[]).includes(tests))
    return { error: `${names.tests} must be ${VERIFY_TESTS.join(' or ')} (got "${tests}")` }
  return { settings: { url: parsed.origin, timeoutMs, tests: (tests as VerifyTests | undefined) ?? 'all' } }
}
