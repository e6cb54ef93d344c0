// The plan checks (src/core/plan/checks/*), one table each: the exact row, problems and warnings.
import { describe, expect, it } from '@jest/globals'
import { cloudRunKey } from '../../src/core/compile/compile-desired.js'
import type { UrlMap } from '../../src/core/compute.js'
import { hopCountCheck } from '../../src/core/plan/checks/hop-count.js'
import { invokerReadsNeeded, preflightCheck, runRegions } from '../../src/core/plan/checks/preflight.js'
import { quotaCheck, quotaHeadroom } from '../../src/core/plan/checks/quota.js'
import { routeTestsCheck } from '../../src/core/plan/checks/route-tests.js'
import { structureCheck } from '../../src/core/plan/checks/structure.js'
import type { RunServiceFacts } from '../../src/core/plan/live.js'
import type { RouteSummary } from '../../src/core/plan/model.js'
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
  const api = cloudRunRoute('api', {
    paths: ['/api/*'],
    to: { serverless: { project: 'team-a', service: 'api', regions: ['europe-west1', 'us-central1'] } }
  })
  const facts = (over: Record<string, RunServiceFacts>) => ({
    [cloudRunKey('team-a', 'europe-west1', 'svc')]: { found: true, ingress: 'INGRESS_TRAFFIC_ALL' },
    [cloudRunKey('team-a', 'europe-west1', 'api')]: { found: true, ingress: 'INGRESS_TRAFFIC_ALL' },
    [cloudRunKey('team-a', 'us-central1', 'api')]: { found: true, ingress: 'INGRESS_TRAFFIC_ALL' },
    ...over
  })
  const withFacts = (over: Record<string, RunServiceFacts>) =>
    contextFor(routesConfig([run, api]), liveState({ runServices: facts(over) }))
  const svc = cloudRunKey('team-a', 'europe-west1', 'svc')
  const apiUs = cloudRunKey('team-a', 'us-central1', 'api')
  const at = 'Cloud Run service svc (project team-a, region europe-west1)'
  const atApi = 'Cloud Run service api (project team-a, region us-central1)'
  const gcloud = 'gcloud run services update svc --project=team-a --region=europe-west1'
  it.each([
    [
      'no Cloud Run target by service, no serverless target: skip',
      contextFor(routesConfig([hello]), liveState()),
      'skip',
      []
    ],
    ['every service serving, invokers not read (unchanged routes): pass', withFacts({}), 'pass', []],
    [
      'a cloudRun service not found is left to the unresolved-target error',
      withFacts({ [svc]: { found: false } }),
      'pass',
      []
    ],
    [
      'cloudRun: internal ingress, no public invoker, default URL off: three errors at the route',
      withFacts({
        [svc]: {
          found: true,
          ingress: 'INGRESS_TRAFFIC_INTERNAL_ONLY',
          defaultUriDisabled: true,
          publicInvoker: false
        }
      }),
      'fail',
      [
        `run: ${at} has ingress "internal"; an Internet NEG reaches it through its public run.app URL like any internet client, so ingress must be "all" (${gcloud} --ingress=all)`,
        `run: ${at} has its default run.app URL disabled, and an Internet NEG reaches the service only through that URL; re-enable it (${gcloud} --default-url), or route to it with a serverless target (serverless NEGs do not use the run.app URL)`,
        `run: ${at} does not let allUsers invoke it, and the load balancer sends no identity token, so every request would get 403; grant it (gcloud run services add-iam-policy-binding svc --project=team-a --region=europe-west1 --member=allUsers --role=roles/run.invoker) or turn the invoker IAM check off (${gcloud} --no-invoker-iam-check)`
      ]
    ],
    [
      'cloudRun: ingress internal-and-cloud-load-balancing does not admit an Internet NEG',
      withFacts({ [svc]: { found: true, ingress: 'INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER' } }),
      'fail',
      [
        `run: ${at} has ingress "internal-and-cloud-load-balancing"; an Internet NEG reaches it through its public run.app URL like any internet client, so ingress must be "all" (${gcloud} --ingress=all)`
      ]
    ],
    [
      'the invoker IAM check disabled counts as public',
      withFacts({
        [svc]: { found: true, ingress: 'INGRESS_TRAFFIC_ALL', invokerIamDisabled: true, publicInvoker: false }
      }),
      'pass',
      []
    ],
    [
      'serverless: a region without the service is an error for that region',
      withFacts({ [apiUs]: { found: false } }),
      'fail',
      [
        `api: ${atApi} does not exist, so its serverless NEG would point at nothing; deploy it in us-central1 or remove the region from the route`
      ]
    ],
    [
      'serverless: internal-and-cloud-load-balancing is enough, internal is not',
      withFacts({
        [cloudRunKey('team-a', 'europe-west1', 'api')]: {
          found: true,
          ingress: 'INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER'
        },
        [apiUs]: { found: true, ingress: 'INGRESS_TRAFFIC_INTERNAL_ONLY' }
      }),
      'fail',
      [
        `api: ${atApi} has ingress "internal", which refuses requests from an external Application Load Balancer; set it to "internal-and-cloud-load-balancing" or "all" (gcloud run services update api --project=team-a --region=us-central1 --ingress=internal-and-cloud-load-balancing)`
      ]
    ],
    [
      'serverless: a disabled default URL does not matter; a private service does',
      withFacts({
        [apiUs]: {
          found: true,
          ingress: 'INGRESS_TRAFFIC_ALL',
          defaultUriDisabled: true,
          publicInvoker: false
        }
      }),
      'fail',
      [
        `api: ${atApi} does not let allUsers invoke it, and the load balancer sends no identity token, so every request would get 403; grant it (gcloud run services add-iam-policy-binding api --project=team-a --region=us-central1 --member=allUsers --role=roles/run.invoker) or turn the invoker IAM check off (gcloud run services update api --project=team-a --region=us-central1 --no-invoker-iam-check)`
      ]
    ]
  ])('%s', (_what, c, status, errors) => {
    const out = preflightCheck(c)!
    expect(out.check!.status).toBe(status)
    expect((out.problems ?? []).map((p) => `${p.route}: ${p.message}`)).toEqual(errors)
    expect(out.warnings ?? []).toEqual([])
  })

  it('lists each (project, region) once, and reads IAM only for new or changed routes', () => {
    const config = routesConfig([
      run,
      api,
      cloudRunRoute('also', {
        paths: ['/also/*'],
        to: { cloudRun: { project: 'team-a', region: 'europe-west1', service: 'svc' } }
      })
    ])
    expect(runRegions(config)).toEqual([
      { project: 'team-a', region: 'europe-west1' },
      { project: 'team-a', region: 'us-central1' }
    ])
    const routes = [
      { name: 'run', status: 'unchanged' },
      { name: 'also', status: 'unchanged' },
      { name: 'api', status: 'new' }
    ] as RouteSummary[]
    const need = invokerReadsNeeded(config, routes, facts({ [apiUs]: { found: false } }))
    expect(need.map((t) => t.key)).toEqual([cloudRunKey('team-a', 'europe-west1', 'api')])
    const disabled = facts({
      [cloudRunKey('team-a', 'europe-west1', 'api')]: { found: true, invokerIamDisabled: true },
      [apiUs]: { found: true, invokerIamDisabled: true }
    })
    expect(invokerReadsNeeded(config, routes, disabled)).toEqual([])
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
