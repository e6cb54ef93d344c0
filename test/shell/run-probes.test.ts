// runProbes' retry loop on a virtual clock: backoff, deadline, the last attempt at the deadline, latency of
// the passing request and bounded concurrency. The network is a scripted `send` (the collaborator, not the
// module under test); the real node:http path is covered end to end in test/engine/verify.test.ts.
import { describe, expect, it } from '@jest/globals'
import { parseDuration, probePassed, type Probe, type ProbeResponse } from '../../src/core/verify/probes.js'
import { runProbes } from '../../src/shell/verify/run-probes.js'

const probe = (route: string, path = `/${route}`, statuses?: number[]): Probe => ({
  route,
  host: 'www.example.com',
  path,
  ...(statuses ? { statuses } : {}),
  origin: 'declared',
  at: { line: 1, column: 1 }
})

/** A virtual clock: sleep advances time; each request takes `latency` ms and answers from `script`. */
function world(script: (p: Probe, at: number) => ProbeResponse, latency = 40) {
  let t = 0
  let inFlight = 0
  let maxInFlight = 0
  const sent: { route: string; at: number }[] = []
  return {
    now: () => t,
    sleep: async (ms: number) => {
      t += ms
    },
    send: async (_base: URL, p: Probe): Promise<ProbeResponse> => {
      inFlight++
      maxInFlight = Math.max(maxInFlight, inFlight)
      sent.push({ route: p.route, at: t })
      await Promise.resolve()
      t += latency
      inFlight--
      return script(p, t)
    },
    sent,
    maxInFlight: () => maxInFlight
  }
}

describe('runProbes', () => {
  it('retries with doubling backoff until the route comes up, and reports the passing latency', async () => {
    const w = world((_p, at) => (at < 3500 ? { status: 404 } : { status: 200 }))
    const report = await runProbes({
      url: 'http://203.0.113.7',
      probes: [probe('a')],
      tests: 'all',
      timeoutMs: 60_000,
      backoffMs: 1000,
      maxBackoffMs: 2000,
      concurrency: 1,
      now: w.now,
      sleep: w.sleep,
      send: w.send
    })
    // Attempts at 0, 1040 (+1 s), 3080 (+2 s), 5120 (+2 s, capped): the fourth passes.
    expect(w.sent.map((s) => s.at)).toEqual([0, 1040, 3080, 5120])
    expect(report.results[0]).toMatchObject({
      passed: true,
      attempts: 4,
      latencyMs: 40,
      last: { status: 200 }
    })
  })

  it('gives up at the timeout after one last attempt at the deadline, keeping the last answer', async () => {
    const w = world(() => ({ error: 'ECONNREFUSED: connect ECONNREFUSED 203.0.113.7:80' }))
    const report = await runProbes({
      url: 'http://203.0.113.7',
      probes: [probe('a')],
      tests: 'all',
      timeoutMs: 2500,
      backoffMs: 1000,
      now: w.now,
      sleep: w.sleep,
      send: w.send
    })
    expect(w.sent.map((s) => s.at)).toEqual([0, 1040, 2500])
    expect(report.results[0]).toMatchObject({
      passed: false,
      attempts: 3,
      last: { error: 'ECONNREFUSED: connect ECONNREFUSED 203.0.113.7:80' }
    })
    expect(report.results[0]!.latencyMs).toBeUndefined()
  })

  it('keeps at most `concurrency` probes in flight and reports in probe order', async () => {
    const w = world(() => ({ status: 204 }))
    const probes = ['a', 'b', 'c', 'd', 'e'].map((r) => probe(r))
    const report = await runProbes({
      url: 'https://lb.example.com',
      probes,
      tests: 'all',
      timeoutMs: 1000,
      concurrency: 2,
      now: w.now,
      sleep: w.sleep,
      send: w.send
    })
    expect(w.maxInFlight()).toBe(2)
    expect(report.results.map((r) => [r.probe.route, r.passed])).toEqual(probes.map((p) => [p.route, true]))
    expect(report.url).toBe('https://lb.example.com')
  })
})

describe('probe verdicts and durations', () => {
  it('passes 200–399 (a redirect is not followed) or exactly the expected statuses', () => {
    expect([200, 301, 399, 400, 404, 503].map((s) => probePassed(probe('a'), { status: s }))).toEqual([
      true,
      true,
      true,
      false,
      false,
      false
    ])
    expect([200, 401, 403].map((s) => probePassed(probe('a', '/a', [401, 403]), { status: s }))).toEqual([
      false,
      true,
      true
    ])
    expect(probePassed(probe('a'), { error: 'timeout' })).toBe(false)
  })

  it('reads 90s, 10m, 1m30s, 500ms, 1h and plain seconds; rejects the rest', () => {
    expect(['90s', '10m', '1m30s', '500ms', '1h', '600', '2.5'].map(parseDuration)).toEqual([
      90_000, 600_000, 90_000, 500, 3_600_000, 600_000, 2500
    ])
    expect(['', 'soon', '0', '10 minutes', '-5s', 'm'].map(parseDuration)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined
    ])
  })
})
