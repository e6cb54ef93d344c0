import { describe, expect, it } from '@jest/globals'
import { compileDesired } from '../../src/core/compile/compile-desired.js'
import { ownerMarker, markerOwner, markerRoutes } from '../../src/core/compile/markers.js'
import { matcherName, resourceName } from '../../src/core/compile/naming.js'
import type { Target } from '../../src/core/routes/model.js'
import { modelConfig, modelRoute } from '../support/builders.js'

const NAME = /^[a-z]([-a-z0-9]*[a-z0-9])?$/

const route = modelRoute
const config = modelConfig

describe('resource names', () => {
  it.each([
    [['team-web', 'hello'], 'bs', ['a']],
    [['a'.repeat(40), 'b'.repeat(40)], 'neg', ['x']],
    [['Team_Web!!', '--x--'], 'sneg', ['y']],
    [[], 'pm', ['*']]
  ])('%j/%s is a valid Compute name of at most 63 characters', (readable, tag, identity) => {
    const n = resourceName(readable, tag, identity)
    expect(n.length).toBeLessThanOrEqual(63)
    expect(n).toMatch(NAME)
  })

  it('is stable across runs and differs when the identity differs, even if the readable part is truncated', () => {
    const long = 'x'.repeat(40)
    expect(resourceName([long, long], 'bs', ['1'])).toBe(resourceName([long, long], 'bs', ['1']))
    expect(resourceName([long, long], 'bs', ['1'])).not.toBe(resourceName([long, long], 'bs', ['2']))
  })

  it('names path matchers by host only, so owners sharing a host share the matcher', () => {
    expect(matcherName('api.example.com')).toBe(matcherName('api.example.com'))
    expect(matcherName('*')).toMatch(NAME)
    expect(matcherName('*.example.com')).toMatch(NAME)
  })
})

describe('ownership markers', () => {
  it('round-trips owner and routes, and ignores look-alikes', () => {
    const d = ownerMarker('team-web', ['b', 'a'])
    expect(markerOwner(d)).toBe('team-web')
    expect(markerRoutes(d)).toEqual(['a', 'b'])
    expect(markerOwner('created by hand for lb-routes owner=')).toBeUndefined()
    expect(markerOwner(undefined)).toBeUndefined()
    expect(markerOwner('xlb-routes owner=evil')).toBeUndefined()
    // Issue 12: prose that merely mentions the marker marks nothing; only the structured form at the start.
    expect(markerOwner('legacy backend, see lb-routes owner=team-web docs')).toBeUndefined()
    expect(markerOwner(' lb-routes owner=team-web')).toBeUndefined()
    expect(markerRoutes('hand-built; routes=a,b')).toEqual([])
  })

  it('fits a shared backend of 3,000 routes into a description (2,048 characters), counting what it leaves out', () => {
    const routes = Array.from({ length: 3000 }, (_, i) => `r${i}`)
    const d = ownerMarker('bench', routes)
    expect(d.length).toBeLessThanOrEqual(2048)
    expect(markerOwner(d)).toBe('bench')
    const listed = markerRoutes(d)
    expect(listed.length).toBeGreaterThan(100)
    expect(d).toContain(` routes-more=${3000 - listed.length} `)
    expect(listed).toEqual([...routes].sort().slice(0, listed.length))
    expect(ownerMarker('bench', routes)).toBe(d)
  })
})

describe('compileDesired', () => {
  it('puts a Cloud Run URL behind an Internet NEG and an HTTPS backend with the Host override (technique §1.1)', () => {
    const { desired } = compileDesired(
      config([route('hello2', { kind: 'cloudRun', url: 'https://hello2-3abc-ew.a.run.app' })])
    )
    expect(desired.negs).toHaveLength(1)
    const neg = desired.negs[0]!
    expect(neg.resource.networkEndpointType).toBe('INTERNET_FQDN_PORT')
    expect(neg.endpoint).toEqual({ fqdn: 'hello2-3abc-ew.a.run.app', port: 443 })
    const bs = desired.backendServices[0]!
    expect(bs.resource.protocol).toBe('HTTPS')
    expect(bs.resource.customRequestHeaders).toEqual(['Host: hello2-3abc-ew.a.run.app'])
    expect(bs.resource.healthChecks).toBeUndefined()
    expect(bs.resource.backends).toEqual([
      {
        group: `https://www.googleapis.com/compute/v1/projects/edge-prod/global/networkEndpointGroups/${neg.name}`
      }
    ])
    expect(markerOwner(bs.resource.description)).toBe('team-web')
  })

  it('resolves a Cloud Run service by project/region/service and reports it when it cannot', () => {
    const t: Target = { kind: 'cloudRun', project: 'team-a', region: 'europe-west1', service: 'hello' }
    const ok = compileDesired(config([route('hello', t)]), {
      cloudRunHosts: { 'team-a/europe-west1/hello': 'hello-123.europe-west1.run.app' },
      forwardingRuleIps: {}
    })
    expect(ok.unresolved).toEqual([])
    expect(ok.desired.negs[0]!.endpoint?.fqdn).toBe('hello-123.europe-west1.run.app')
    const missing = compileDesired(config([route('hello', t)]))
    expect(missing.unresolved).toEqual([
      { route: 'hello', what: 'Cloud Run service team-a/europe-west1/hello' }
    ])
  })

  it('builds one serverless NEG per region under one backend service in the target project (cross-project referencing)', () => {
    const t: Target = {
      kind: 'serverless',
      project: 'team-a',
      service: 'api',
      regions: ['europe-west1', 'us-central1']
    }
    const { desired } = compileDesired(config([route('api', t, { backend: { timeoutSec: 60 } })]))
    expect(desired.negs.map((n) => [n.project, n.region, n.resource.cloudRun])).toEqual([
      ['team-a', 'europe-west1', { service: 'api' }],
      ['team-a', 'us-central1', { service: 'api' }]
    ])
    const bs = desired.backendServices[0]!
    expect(bs.project).toBe('team-a')
    expect(bs.resource.backends).toHaveLength(2)
    // Compute rejects timeoutSec on serverless backends (gce-api.md §4.3).
    expect(bs.resource.timeoutSec).toBeUndefined()
    expect(desired.routeServices.api).toBe(
      `https://www.googleapis.com/compute/v1/projects/team-a/global/backendServices/${bs.name}`
    )
  })

  it('adds the trailing slash to a prefix rewrite for /p/* rules so /v1/x becomes /api/x, not /apix', () => {
    const { desired } = compileDesired(
      config([
        route(
          'v1',
          { kind: 'cloudRun', url: 'https://v1-x.a.run.app' },
          { paths: ['/v1', '/v1/*'], rewrite: { pathPrefix: '/api' } }
        )
      ])
    )
    const rules = desired.rules.hosts[0]!.pathRules
    expect(rules.map((r) => [r.paths, r.routeAction?.urlRewrite?.pathPrefixRewrite])).toEqual([
      [['/v1'], '/api'],
      [['/v1/*'], '/api/']
    ])
  })

  it('shares one NEG and one backend service between Cloud Run routes in shared mode, with hostRewrite per rule', () => {
    const routes = [
      route('a', { kind: 'cloudRun', url: 'https://a-x.a.run.app' }),
      route('b', { kind: 'cloudRun', url: 'https://b-x.a.run.app' }, { backend: { timeoutSec: 5 } })
    ]
    const { desired, notes } = compileDesired(config(routes, { sharedCloudRunBackend: true }))
    expect(desired.negs).toHaveLength(1)
    expect(desired.backendServices).toHaveLength(1)
    expect(desired.backendServices[0]!.resource.customRequestHeaders).toBeUndefined()
    const hostRewrites = desired.rules.hosts[0]!.pathRules.map((r) => r.routeAction?.urlRewrite?.hostRewrite)
    expect(hostRewrites).toEqual(['a-x.a.run.app', 'b-x.a.run.app'])
    expect(notes.join()).toMatch(/route b: backend settings .* do not apply/)
  })

  it('makes a default route for "*" the URL map default and for another host that host\'s matcher default', () => {
    const t: Target = { kind: 'cloudRun', url: 'https://d-x.a.run.app' }
    const { desired } = compileDesired(
      config([
        route('home', t, { paths: [], default: true }),
        route('www', t, { hosts: ['www.example.com'], paths: [], default: true })
      ])
    )
    expect(desired.rules.defaultRoute).toBe('home')
    expect(desired.rules.hosts).toEqual([
      expect.objectContaining({ host: 'www.example.com', defaultRoute: 'www', pathRules: [] })
    ])
  })
})
