// Verify after apply, end to end: the CLI applies examples/routes.json to the emulator, then probes every
// route test through a local stand-in for the load balancer (test/support/fake-load-balancer.ts) that
// routes with the live URL map, with a configurable propagation delay.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { startFakeLoadBalancer, type FakeLoadBalancer } from '../support/fake-load-balancer.js'
import type { CliRun } from './cli-io.js'
import { edit, LB, ROOT, Scenario, seededState, URL_MAP } from './scenario-helpers.js'

/** The old team-web default the seeded map sends every unmatched request to: it answers 404, as a stale default would. */
const OLD_DEFAULT = 'lbr-team-web-welcome-bs-5f0c1a2b'
const EXAMPLE = readFileSync(join(ROOT, 'examples/routes.json'), 'utf8')

let sc: Scenario
let lb: FakeLoadBalancer

async function start(propagationMs = 0): Promise<void> {
  sc = await Scenario.start(seededState())
  lb = await startFakeLoadBalancer({
    emulatorUrl: sc.emulator.url,
    project: LB,
    urlMap: URL_MAP,
    propagationMs
  })
  lb.answer(OLD_DEFAULT, 404)
  sc.routes('routes.json', EXAMPLE)
}
beforeEach(() => {
  sc = undefined as unknown as Scenario
})
afterEach(async () => {
  await Promise.all([sc?.close(), lb?.close()])
})

const show = (r: CliRun): string => `exit ${r.code}\n${r.stdout.slice(-4000)}\n${r.stderr.slice(-4000)}`

/** probeLines picks the report's per-probe lines (`✓ route  host/path  200 in 3 ms  (1 attempt)`). */
const probeLines = (r: CliRun): string[] =>
  r.stdout
    .slice(r.stdout.indexOf('lb-routes verify through'))
    .split('\n')
    .filter((l) => /^ {2}[✓✗] /.test(l))

describe('lb-routes apply --verify-url / lb-routes verify', () => {
  it('applies, then probes every route through the load balancer and reports status, latency and attempts', async () => {
    await start()
    const r = await sc.run(['apply', '--routes', 'routes.json', '--verify-url', lb.url])
    expect({ code: r.code, log: r.code === 0 ? '' : show(r) }).toEqual({ code: 0, log: '' })
    expect(r.stdout).toContain('Apply complete.')
    const host = new URL(lb.url).host
    const lines = probeLines(r)
    // Declared tests keep their hosts; generated ones for host "*" go to the base URL's own host.
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^ {2}✓ hello2 {2}www\.example\.com\/hello2\/x {2}200 in \d+ ms {2}\(1 attempt\)$/
        ),
        expect.stringMatching(/^ {2}✓ api {2}api\.example\.com\/v1\/users {2}200 in \d+ ms/),
        expect.stringMatching(/^ {2}✓ model {2}ml\.example\.com\/predict {2}200 in \d+ ms/),
        // hello2 lists www.example.com (issue 12), so its generated test keeps that host.
        expect.stringContaining(`✓ hello2  www.example.com/hello2/lb-routes-test  200`),
        expect.stringContaining(`✓ hello  ${host}/lb-routes-default-test  200`)
      ])
    )
    // 11: hello2's generated /hello2 test is on www.example.com now, the same request as a declared one.
    expect(lines).toHaveLength(11)
    expect(r.stdout).toMatch(/Verified: 11\/11 probe\(s\) of 4 routes answered as expected/)
    // The probes really went through the load balancer with the test's Host and reached the route's backend.
    const seen = lb.requests.find((q) => q.host === 'www.example.com' && q.path === '/hello2/x')
    expect(seen?.backend).toBe(sc.backendOf('team-web', 'hello2').name)
    expect(lb.requests.find((q) => q.host === 'api.example.com')?.backend).toBe(
      sc.backendOf('team-web', 'api').name
    )
  })

  it('waits for the new URL map to propagate: early attempts fail, later ones pass within the timeout', async () => {
    await start(1500)
    const r = await sc.run([
      'apply',
      '--routes',
      'routes.json',
      '--verify-url',
      lb.url,
      '--verify-timeout',
      '30s'
    ])
    expect({ code: r.code, log: r.code === 0 ? '' : show(r) }).toEqual({ code: 0, log: '' })
    // /hello2/x went to the old default (404) until the load balancer served the new map.
    expect(r.stderr).toMatch(/verify: hello2 www\.example\.com\/hello2\/x: attempt 1: 404/)
    expect(r.stdout).toMatch(
      /✓ hello2 {2}www\.example\.com\/hello2\/x {2}200 in \d+ ms {2}\([2-9] attempts\)/
    )
    const statuses = lb.requests.filter((q) => q.host === 'www.example.com' && q.path === '/hello2/x')
    expect(statuses.map((q) => q.status)).toEqual([...statuses.slice(0, -1).map(() => 404), 200])
  })

  it('fails the run naming a route that never comes up, with its host/path and last status', async () => {
    await start()
    expect((await sc.run(['apply', '--routes', 'routes.json'])).code).toBe(0)
    lb.answer(sc.backendOf('team-web', 'hello2').name!, 503)
    const r = await sc.run(['verify', '--routes', 'routes.json', '--url', lb.url, '--timeout', '2s'])
    expect(r.code).toBe(1)
    // It stopped at the 2 s timeout: a handful of attempts (backoff 1 s, 2 s…), not the default 10 minutes'.
    expect(r.stderr).toMatch(
      /^error: 1 route\(s\) never came up within 2s through http:\/\/127\.0\.0\.1:\d+: hello2 \(www\.example\.com\/hello2: expected 200–399, last 503; 2 more request\(s\) failed\)$/m
    )
    expect(r.stdout).toMatch(
      /✗ hello2 {2}www\.example\.com\/hello2 {2}503, expected 200–399 {2}\([2-9] attempts\)/
    )
    // The other routes still pass and say so.
    expect(r.stdout).toMatch(/✓ api {2}api\.example\.com\/v1\/users {2}200/)
  })

  it('honours expect.status from routes.json, and --tests declared probes only the declared tests', async () => {
    await start()
    const text = edit(EXAMPLE, [
      [['tests', 2, 'expect', 'status'], 401],
      [
        ['tests', 4, 'expect', 'status'],
        [200, 204]
      ]
    ])
    sc.routes('routes.json', text)
    expect((await sc.run(['apply', '--routes', 'routes.json'])).code).toBe(0)
    lb.answer(sc.backendOf('team-web', 'hello2').name!, 401)
    // hello2 now answers 401 everywhere: only the test that expects 401 passes among hello2's probes.
    const r = await sc.run([
      'verify',
      '--routes',
      'routes.json',
      '--url',
      lb.url,
      '--timeout',
      '1s',
      '--tests',
      'declared'
    ])
    expect(r.code).toBe(1)
    const lines = probeLines(r)
    expect(lines).toHaveLength(7)
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/✓ hello2 {2}www\.example\.com\/hello2\/x {2}401 in \d+ ms/),
        expect.stringMatching(/✗ hello2 {2}www\.example\.com\/hello2 {2}401, expected 200–399/),
        expect.stringMatching(/✓ api {2}api\.example\.com\/v1\/users {2}200 in/)
      ])
    )
    const json = await sc.run(['verify', '--url', lb.url, '--timeout', '1s', '--tests', 'declared', '--json'])
    const report = JSON.parse(json.stdout) as { passed: boolean; failedRoutes: string[]; results: unknown[] }
    expect({ passed: report.passed, failed: report.failedRoutes, n: report.results.length }).toEqual({
      passed: false,
      failed: ['hello2'],
      n: 7
    })
  })

  it('rejects a bad expect.status with FILE:LINE:COL, and bad flags with the fix', async () => {
    await start()
    const text = edit(EXAMPLE, [
      [['tests', 0, 'expect', 'status'], 700],
      [['tests', 1, 'expect', 'status'], 'ok'],
      [['tests', 2, 'expect', 'status'], []]
    ])
    sc.routes('bad.json', text)
    const r = await sc.run(['verify', '--routes', 'bad.json', '--url', lb.url])
    expect(r.code).toBe(1)
    const errors = r.stderr.split('\n').filter((l) => l.includes(': error: '))
    expect(errors).toEqual([
      expect.stringMatching(
        /^bad\.json:\d+:\d+: error: tests\[0\]\.expect\.status must be at most 599, not 700$/
      ),
      expect.stringMatching(
        /^bad\.json:\d+:\d+: error: tests\[1\]\.expect\.status must be a whole number or an array, not the string "ok"$/
      ),
      expect.stringMatching(/^bad\.json:\d+:\d+: error: tests\[2\]\.expect\.status must not be empty$/)
    ])
    expect(lb.requests).toEqual([])

    const flag = async (args: string[]) => (await sc.run(args)).stderr.trim()
    expect(await flag(['verify', '--url', 'ftp://x'])).toMatch(
      /^error: --url "ftp:\/\/x" is not an http:\/\/ or https:\/\/ URL/
    )
    expect(await flag(['verify', '--url', lb.url, '--timeout', 'soon'])).toBe(
      'error: --timeout "soon" is not a duration; use e.g. 90s, 10m or 600 (seconds)'
    )
    expect(await flag(['apply', '--verify-timeout', '5m'])).toBe('error: --verify-timeout needs --verify-url')
    expect(await flag(['verify'])).toMatch(/^error: lb-routes verify needs --url URL/)
  })
})
