// Verify after apply (I/O part): sends each probe as a real HTTP(S) request through the load balancer,
// retrying a failing one with backoff until it passes or the overall timeout runs out (a new URL map takes
// minutes to reach every Google front end). Clock and sleep are injected so tests can run it fast.
import http from 'node:http'
import https from 'node:https'
import { offlineView } from '../../core/plan/offline.js'
import { terminalText } from '../../core/render/escape.js'
import type { RoutesConfig } from '../../core/routes/model.js'
import {
  formatDurationMs,
  probePassed,
  probesFor,
  responseText,
  type VerifySettings,
  type Probe,
  type ProbeResponse,
  type ProbeResult,
  type VerifyReport,
  type VerifyTests
} from '../../core/verify/probes.js'

export interface RunProbesOptions {
  /** Base URL of the load balancer (http:// or https://, host and optional port; a path is ignored). */
  readonly url: string
  readonly probes: readonly Probe[]
  readonly tests: VerifyTests
  /** Overall time (ms) a probe may keep failing before its route counts as never came up. */
  readonly timeoutMs: number
  /** Time limit (ms) of one request (default 10 s); the last attempt may end this much after the timeout. */
  readonly requestTimeoutMs?: number
  /** First wait between attempts (ms, default 1 s), doubling up to maxBackoffMs (default 15 s). */
  readonly backoffMs?: number
  readonly maxBackoffMs?: number
  /** Probes in flight at once (default 8). */
  readonly concurrency?: number
  /** Milliseconds on a monotonic-enough clock (Date.now / performance.now). */
  readonly now: () => number
  readonly sleep: (ms: number) => Promise<void>
  /** Called after every attempt (progress logging). */
  readonly onAttempt?: (probe: Probe, attempt: number, response: ProbeResponse, passed: boolean) => void
  /** Sends one request (default: node:http/https); tests may swap it only to inject network faults. */
  readonly send?: (base: URL, probe: Probe, timeoutMs: number) => Promise<ProbeResponse>
}

/** requestPath percent-encodes what cannot go on the request line as is (spaces, controls, non-ASCII). */
function requestPath(path: string): string {
  return path.replace(/[^\x21-\x7e]+/gu, (s) => {
    try {
      return encodeURIComponent(s)
    } catch {
      return '' // a lone surrogate cannot be encoded; a real client could not send it either
    }
  })
}

/** sendProbe sends GET base+path with the probe's Host header (and, over TLS, SNI = that host); redirects are not followed. */
export function sendProbe(base: URL, probe: Probe, timeoutMs: number): Promise<ProbeResponse> {
  const tls = base.protocol === 'https:'
  const hostname = probe.host.replace(/:\d+$/, '').replace(/^\[|\]$/g, '')
  return new Promise((resolve) => {
    const req = (tls ? https : http).request(
      {
        protocol: base.protocol,
        hostname: base.hostname.replace(/^\[|\]$/g, ''),
        port: base.port || (tls ? 443 : 80),
        method: 'GET',
        path: requestPath(probe.path),
        headers: { host: probe.host, 'user-agent': 'lb-routes-verify', accept: '*/*' },
        // A fresh connection per attempt: a kept-alive one could reach a front end that already knew the map.
        agent: false,
        timeout: timeoutMs,
        ...(tls && !/^[\d.]+$|:/.test(hostname) ? { servername: hostname } : {})
      },
      (res) => {
        const location = res.headers.location
        res.resume()
        res.on('error', () => {})
        resolve({ status: res.statusCode ?? 0, ...(location ? { location } : {}) })
      }
    )
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)))
    req.on('error', (err: NodeJS.ErrnoException) =>
      resolve({
        error: err.code && !err.message.includes(err.code) ? `${err.code}: ${err.message}` : err.message
      })
    )
    req.end()
  })
}

/** runProbes probes every route until it passes or the deadline passes; never throws for network errors. */
export async function runProbes(opts: RunProbesOptions): Promise<VerifyReport> {
  const base = new URL(opts.url)
  const started = opts.now()
  const deadline = started + opts.timeoutMs
  const send = opts.send ?? sendProbe
  const requestTimeout = opts.requestTimeoutMs ?? 10_000
  const firstBackoff = opts.backoffMs ?? 1000
  const maxBackoff = opts.maxBackoffMs ?? 15_000

  const probeOne = async (probe: Probe): Promise<ProbeResult> => {
    let wait = firstBackoff
    for (let attempt = 1; ; attempt++) {
      const t0 = opts.now()
      const last = await send(base, probe, requestTimeout)
      const latencyMs = opts.now() - t0
      const passed = probePassed(probe, last)
      opts.onAttempt?.(probe, attempt, last, passed)
      if (passed) return { probe, passed, attempts: attempt, latencyMs, last }
      // The last attempt goes out at the deadline, so a route that comes up just in time still passes.
      const left = deadline - opts.now()
      if (left <= 0) return { probe, passed: false, attempts: attempt, last }
      await opts.sleep(Math.min(wait, left))
      wait = Math.min(wait * 2, maxBackoff)
    }
  }

  const results: ProbeResult[] = new Array(opts.probes.length)
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < opts.probes.length) {
      const i = next++
      results[i] = await probeOne(opts.probes[i]!)
    }
  }
  const workers = Math.max(1, Math.min(opts.concurrency ?? 8, opts.probes.length))
  await Promise.all(Array.from({ length: workers }, worker))
  return {
    url: base.origin,
    tests: opts.tests,
    timeoutMs: opts.timeoutMs,
    durationMs: opts.now() - started,
    results
  }
}

/**
 * probeRoutes probes a routes file's tests (offline route tests: no Google call) through the load balancer
 * with the real clock, reporting each failed attempt through `log`.
 */
export function probeRoutes(
  config: RoutesConfig,
  settings: VerifySettings,
  log: (line: string) => void
): Promise<VerifyReport> {
  const probes = probesFor(offlineView(config).cases, new URL(settings.url).host, settings.tests)
  log(
    `verify: probing ${probes.length} request(s) through ${settings.url} for up to ${formatDurationMs(settings.timeoutMs)}`
  )
  return runProbes({
    url: settings.url,
    probes,
    tests: settings.tests,
    timeoutMs: settings.timeoutMs,
    now: () => performance.now(),
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
    onAttempt: (p, attempt, response, passed) => {
      // Attempts 1, 2, 4, 8…: enough to see progress without thousands of lines over a 10-minute wait.
      if (!passed && (attempt & (attempt - 1)) === 0)
        log(
          `verify: ${terminalText(p.route)} ${terminalText(p.host + p.path)}: attempt ${attempt}: ${terminalText(responseText(response))}`
        )
    }
  })
}
