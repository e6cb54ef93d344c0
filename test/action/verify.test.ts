// The action on merge with verify-url: after the apply, every route test is sent through a stand-in for the
// load balancer (test/support/fake-load-balancer.ts, routing with the live URL map of the emulator); the
// results land in the apply comment and the job summary, and a route that never comes up fails the job.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { startFakeLoadBalancer, type FakeLoadBalancer } from '../support/fake-load-balancer.js'
import {
  commentsOn,
  exampleRoutes,
  explain,
  prOpened,
  pushToDefault,
  runAction,
  startEnv,
  type Env,
  mergedIn
} from './harness.js'

const PR = 2
const MERGE_SHA = 'a10867b14bb761a232cd80139fbd4c0d33264240'
const APPLY_MARKER = '<!-- lb-routes:apply '
/** team-web's hello2 backend service (names are deterministic). */
const HELLO2_BS = 'lbr-team-web-hello2-bs-11152932'
// A declared test whose path is hostile markdown: it must come out inert in the comment and summary.
const HOSTILE_PATH = '/hello2/<!--x-->|@admin_[y](http://evil)'
const ROUTES = exampleRoutes().replace(
  /\n {2}\]\n\}\s*$/,
  `,\n    { "host": "www.example.com", "path": ${JSON.stringify(HOSTILE_PATH)}, "expect": { "route": "hello2" } }\n  ]\n}\n`
)

let env: Env
let lb: FakeLoadBalancer
beforeEach(async () => {
  env = await startEnv()
  lb = await startFakeLoadBalancer({ emulatorUrl: env.emulator.url, project: 'edge-prod', urlMap: 'edge' })
  const reviewed = await runAction(env, { event: 'pull_request', payload: prOpened(), routes: ROUTES })
  expect({ code: reviewed.code, log: reviewed.code === 0 ? '' : explain(reviewed) }).toEqual({
    code: 0,
    log: ''
  })
  mergedIn(env, MERGE_SHA, PR)
})
afterEach(async () => {
  await Promise.all([env.close(), lb.close()])
})

const merge = (inputs: Record<string, string>) =>
  runAction(env, { event: 'push', payload: pushToDefault(MERGE_SHA), sha: MERGE_SHA, routes: ROUTES, inputs })

describe('action apply with verify-url', () => {
  it('probes every route after the apply: a table in the summary and the apply comment, verify-result passed', async () => {
    const r = await merge({ 'verify-url': lb.url, 'verify-timeout': '30s' })
    expect({ code: r.code, log: r.code === 0 ? '' : explain(r) }).toEqual({ code: 0, log: '' })
    expect(r.outputs['verify-result']).toBe('passed')
    const apply = commentsOn(env, PR).filter((c) => c.body.startsWith(APPLY_MARKER))
    expect(apply).toHaveLength(1)
    for (const body of [r.summary, apply[0]!.body]) {
      expect(body).toContain('✅ **Applied.**')
      expect(body).toContain('### Verify')
      expect(body).toContain('✅ **Every route answers through the load balancer.**')
      expect(body).toMatch(/\| ✅ \| `hello2` \| `www\.example\.com\/hello2\/x` \| 200 \| \d+ ms \| \d \|/)
      expect(body).toMatch(/\| ✅ \| `api` \| `api\.example\.com\/v1\/users` \| 200 \| \d+ ms \| \d \|/)
      // The hostile path is one inert code cell: no comment opener, no live pipe, link or mention.
      expect(body).not.toContain('<!--x')
      const row = body.split('\n').find((l) => l.includes('admin'))!
      expect(row.replace(/\\\|/g, '').split('|')).toHaveLength(8)
      // …inside one code span (no link, no mention), the marker broken by zero-width joiners.
      expect(row).toContain('| `www.example.com/hello2/<!\u200d--x-\u200d->\\|@admin_[y](http://evil)` |')
    }
    // The hostile path really went through the load balancer (percent-encoded where it had to be).
    expect(lb.requests.some((q) => q.path.startsWith('/hello2/<!--x-->') && q.status === 200)).toBe(true)
  })

  it('fails the job naming a route that never comes up; the comment shows its last status', async () => {
    lb.answer(HELLO2_BS, 503)
    const r = await merge({ 'verify-url': lb.url, 'verify-timeout': '2s', 'verify-tests': 'declared' })
    expect(r.code).toBe(1)
    expect(r.outputs['verify-result']).toBe('failed')
    expect(r.stdout).toMatch(
      /^::error::1 route\(s\) never came up within 2s through http:\/\/127\.0\.0\.1:\d+: hello2 \(www\.example\.com\/hello2: expected 200–399, last 503; 2 more request\(s\) failed\)$/m
    )
    const apply = commentsOn(env, PR).find((c) => c.body.startsWith(APPLY_MARKER))!
    expect(apply.body).toContain('✅ **Applied.**')
    expect(apply.body).toContain('❌ **1 route never came up:** `hello2`')
    expect(apply.body).toMatch(
      /\| ❌ \| `hello2` \| `www\.example\.com\/hello2` \| 503 \(expected 200–399\) \| — \| [2-9] \|/
    )
    // Only declared tests were probed: no generated /lb-routes-test paths.
    expect(lb.requests.some((q) => q.path.includes('lb-routes-test'))).toBe(false)
  })

  it('without verify-url nothing is probed and verify-result is skipped; a bad verify-timeout names the input', async () => {
    const r = await merge({})
    expect(r.code).toBe(0)
    expect(r.outputs['verify-result']).toBe('skipped')
    expect(lb.requests).toEqual([])
    const bad = await merge({ 'verify-url': lb.url, 'verify-timeout': 'ten minutes' })
    expect(bad.code).toBe(1)
    expect(bad.stdout).toContain(
      '::error::input verify-timeout "ten minutes" is not a duration; use e.g. 90s, 10m or 600 (seconds)'
    )
  })
})
