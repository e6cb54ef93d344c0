// routeSummaries (route-summaries.ts): one row per declared route with its status, then removed routes.
import { describe, expect, it } from '@jest/globals'
import { describeTarget, hopsOf, routeSummaries } from '../../src/core/plan/route-summaries.js'
import { applyPlan, cloudRunRoute, contextFor, liveState, plan, routesConfig } from '../support/builders.js'

const hello = cloudRunRoute('hello', { paths: ['/hello/*'] })
const api = {
  name: 'api',
  hosts: ['api.example.com'],
  paths: ['/v1/*'],
  rewrite: { pathPrefix: '/' },
  to: { serverless: { project: 'team-a', service: 'api', regions: ['europe-west1'] } }
}
const both = routesConfig([hello, api])
const applied = applyPlan(liveState(), plan(both, liveState()).plan!)
const rows = (config = both, live = applied) =>
  routeSummaries(contextFor(config, live)).map(
    (r) => `${r.name} ${r.status} ${r.hosts.join(',')} ${r.paths.join(',')}`
  )

describe('routeSummaries', () => {
  it.each([
    ['nothing live: new', both, liveState(), ['hello new * /hello/*', 'api new api.example.com /v1/*']],
    [
      'as applied: unchanged',
      both,
      applied,
      ['hello unchanged * /hello/*', 'api unchanged api.example.com /v1/*']
    ],
    [
      'a changed target: changed',
      routesConfig([
        cloudRunRoute('hello', {
          paths: ['/hello/*'],
          to: { cloudRun: { url: 'https://v2-3abc-ew.a.run.app' } }
        }),
        api
      ]),
      applied,
      ['hello changed * /hello/*', 'api unchanged api.example.com /v1/*']
    ],
    [
      'a changed rule only: changed',
      routesConfig([hello, { ...api, paths: ['/v2/*'] }]),
      applied,
      ['hello unchanged * /hello/*', 'api changed api.example.com /v2/*']
    ],
    [
      'a route no longer declared: a removed row from the live rules',
      routesConfig([hello]),
      applied,
      ['hello unchanged * /hello/*', 'api removed api.example.com /v1/*']
    ]
  ])('%s', (_what, config, live, want) => {
    expect(rows(config, live)).toEqual(want)
  })

  it('describes each row', () => {
    const [h, a] = routeSummaries(contextFor(both, applied))
    expect(h).toEqual({
      name: 'hello',
      hosts: ['*'],
      paths: ['/hello/*'],
      default: false,
      target: 'Cloud Run hello-3abc-ew.a.run.app',
      backend: 'lbr-team-web-hello-bs-7903f8e1',
      backendProject: 'edge-prod',
      hops: 2,
      kind: 'cloudRun',
      status: 'unchanged'
    })
    expect(a).toMatchObject({ targetProject: 'team-a', backendProject: 'team-a', hops: 1, rewrite: '/' })
  })

  it.each([
    [{ kind: 'cloudRun', url: 'https://x-1-ew.a.run.app' }, 'Cloud Run x-1-ew.a.run.app', 2],
    [
      { kind: 'cloudRun', project: 'p-1', region: 'europe-west1', service: 's' },
      'Cloud Run s (p-1, europe-west1)',
      2
    ],
    [
      { kind: 'serverless', project: 'p-1', service: 's', regions: ['a', 'b'] },
      'Cloud Run s in a, b (p-1, serverless NEGs)',
      1
    ],
    [
      { kind: 'internet', fqdn: 'o.example.net', port: 443, protocol: 'HTTPS' },
      'o.example.net:443 (HTTPS)',
      1
    ],
    [
      { kind: 'loadBalancer', domain: 'lb.example.net', port: 443, protocol: 'HTTPS' },
      'load balancer lb.example.net',
      2
    ],
    [
      { kind: 'loadBalancer', project: 'p-1', forwardingRule: 'fr', port: 443, protocol: 'HTTPS' },
      'load balancer p-1/fr',
      2
    ]
  ] as const)('%j: %s, %i hop(s)', (target, words, hops) => {
    expect(describeTarget(target)).toBe(words)
    expect(hopsOf(target)).toBe(hops)
  })
})
