// The plan checks (src/core/plan/checks/*), one table each: the exact row, problems and warnings.
import { describe, expect, it } from '@jest/globals'
import { cloudRunKey } from '../../src/core/compile/compile-desired.js'
import type { UrlMap } from '../../src/core/compute.js'
import { hopCountCheck } from '../../src/core/plan/checks/hop-count.js'
import { preflightCheck } from '../../src/core/plan/checks/preflight.js'
import { quotaCheck, quotaHeadroom } from '../../src/core/plan/checks/quota.js'
import { routeTestsCheck } from '../../src/core/plan/checks/route-tests.js'
import { structureCheck } from '../../src/core/plan/checks/structure.js'
import type { RunServiceFacts } from '../../src/core/plan/live.js'
import { cloudRunRoute, contextFor, lbDefaultMap, liveState, routesConfig } from '../support/builders.js'

const hello = cloudRunRoute('hello', { paths: ['/hello/*'] })
const ctx = contextFor(routesConfig([hello]), liveState())
const noMap = contextFor(routesConfig([hello]), liveState({ urlMap: undefined }))

describe('routeTestsCheck', () => {
  it('passes declared and generated tests', () => {
    const c = routesConfig([hello], {
      tests: [{ host: 'a.example.com', path: '/hello/x', expect: { route: 'hello' } }]
    })
    expect(routeTestsCheck(contextFor(c, liveState()))).toEqual({
      check: { name: 'Route tests (offline)', status: 'pass', detail: '2 passed (1 declared, 1 generated)' },
      problems: []
    })
  })

  it('fails a declared test at its own line, naming who gets the request instead', () => {
    const c = routesConfig([hello], {
      tests: [{ host: 'a.example.com', path: '/x', expect: { route: 'hello' } }]
    })
    const msg =
      'a.example.com/x should reach route hello (lbr-team-web-hello-bs-7903f8e1) but reaches lb-default (decided by pathMatcher default)'
    expect(routeTestsCheck(contextFor(c, liveState()))).toEqual({
      check: { name: 'Route tests (offline)', status: 'fail', detail: msg },
      problems: [{ message: `route test failed: ${msg}`, route: 'hello', at: c.tests[0]!.at }]
    })
  })

  it('has nothing to say without a merged map', () => {
    expect(routeTestsCheck(noMap)).toBeUndefined()
  })
})

describe('structureCheck', () => {
  it('passes a valid merged map', () => {
    expect(structureCheck(ctx)).toEqual({
      check: {
        name: 'URL map rules (offline)',
        status: 'pass',
        detail: 'hosts, paths, matchers and defaults are valid'
      },
      problems: []
    })
  })

  it('fails a map Compute would reject, with one problem per reason', () => {
    const bad = { ...ctx, mergedMap: { ...ctx.mergedMap!, defaultService: undefined } }
    const out = structureCheck(bad)!
    expect(out.check!.status).toBe('fail')
    expect(out.problems!.length).toBeGreaterThan(0)
    expect(out.problems!.every((p) => p.message.startsWith('the merged URL map would be rejected: '))).toBe(
      true
    )
  })
})

describe('quotaCheck', () => {
  const hosts = (n: number): UrlMap =>
    lbDefaultMap({
      hostRules: Array.from({ length: n }, (_, i) => ({ hosts: [`h${i}.example.com`], pathMatcher: 'm' }))
    })
  it.each([
    [0, 'pass'],
    [799, 'pass'],
    [800, 'warn'],
    [1000, 'warn'],
    [1001, 'fail']
  ])('%i host rules: %s', (n, status) => {
    expect(quotaHeadroom(hosts(n)).status).toBe(status)
  })

  it('measures the merged map', () => {
    expect(quotaCheck(ctx)).toEqual({
      check: {
        name: 'Quota headroom',
        status: 'pass',
        detail:
          'host rules 1/1000, path rules in one path matcher 1/1000, path predicates in one path matcher 1/1000, backend services referenced 1/2500'
      }
    })
    expect(quotaCheck(noMap)).toBeUndefined()
  })
})

describe('preflightCheck', () => {
  const run = cloudRunRoute('run', {
    paths: ['/run/*'],
    to: { cloudRun: { project: 'team-a', region: 'europe-west1', service: 'svc' } }
  })
  const config = routesConfig([run])
  const withFacts = (f: RunServiceFacts) =>
    contextFor(config, liveState({ runServices: { [cloudRunKey('team-a', 'europe-west1', 'svc')]: f } }))
  const where = 'route run: Cloud Run service svc (team-a, europe-west1)'
  it.each([
    ['no Cloud Run target by name: skip', contextFor(routesConfig([hello]), liveState()), 'skip', []],
    ['not found: left to the unresolved-target error', withFacts({ found: false }), 'pass', []],
    [
      'ingress all, public invoker: pass',
      withFacts({ found: true, ingress: 'INGRESS_TRAFFIC_ALL', publicInvoker: true }),
      'pass',
      []
    ],
    [
      'internal ingress, no public invoker, default URL off: three warnings',
      withFacts({ found: true, ingress: 'INGRESS_TRAFFIC_INTERNAL_ONLY', defaultUriDisabled: true }),
      'warn',
      [
        `${where} has ingress INGRESS_TRAFFIC_INTERNAL_ONLY; an Internet NEG reaches it like any internet client, so set ingress to "all" (gcloud run services update svc --ingress=all) or use a serverless target`,
        `${where} does not let allUsers invoke it; the load balancer sends no identity token, so requests will get 403 — grant roles/run.invoker to allUsers or disable the invoker IAM check`,
        `${where} has its default run.app URL disabled, so an Internet NEG cannot reach it; re-enable the default URL or use a serverless target`
      ]
    ],
    [
      'invoker IAM check disabled counts as public',
      withFacts({ found: true, ingress: 'INGRESS_TRAFFIC_ALL', invokerIamDisabled: true }),
      'pass',
      []
    ]
  ])('%s', (_what, c, status, warnings) => {
    const out = preflightCheck(c)!
    expect(out.check!.status).toBe(status)
    expect(out.warnings ?? []).toEqual(warnings)
    expect(out.problems ?? []).toEqual([])
  })
})

describe('hopCountCheck', () => {
  it('counts direct and chained routes', () => {
    const c = routesConfig([
      hello,
      { name: 'ext', paths: ['/ext/*'], to: { internet: { fqdn: 'origin.example.net', port: 443 } } }
    ])
    expect(hopCountCheck(contextFor(c, liveState()))).toEqual({
      check: {
        name: 'Hop count',
        status: 'pass',
        detail: '1 route(s) direct, 1 through an extra hop (Cloud Run front end or another load balancer)'
      }
    })
  })
})
