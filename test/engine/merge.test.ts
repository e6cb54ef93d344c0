import { describe, expect, it } from '@jest/globals'
import type { OwnerRules } from '../../src/core/compile/model.js'
import { ownerMarker } from '../../src/core/compile/markers.js'
import type { UrlMap } from '../../src/core/compute.js'
import { mergeUrlMap, urlMapsEquivalent } from '../../src/core/plan/merge-url-map.js'
import { evaluateUrlMap } from '../../src/core/google-semantics/evaluate.js'

const B = 'https://www.googleapis.com/compute/v1/projects/edge-prod/global/backendServices/'
const svc = (n: string) => B + n

// A live map with: team-shop's rules on shop.example.com and on "*", an unmanaged legacy host.
function liveMap(): UrlMap {
  return {
    name: 'edge',
    fingerprint: 'AAAAAAAAAAA=',
    defaultService: svc('lb-default'),
    hostRules: [
      { hosts: ['shop.example.com'], pathMatcher: 'shop', description: ownerMarker('team-shop') },
      { hosts: ['legacy.example.com'], pathMatcher: 'legacy' },
      { hosts: ['*'], pathMatcher: 'any', description: ownerMarker('team-shop') }
    ],
    pathMatchers: [
      {
        name: 'shop',
        defaultService: svc('shop'),
        description: ownerMarker('team-shop'),
        pathRules: [{ paths: ['/cart/*'], service: svc('cart') }]
      },
      {
        name: 'legacy',
        defaultService: svc('legacy'),
        pathRules: [{ paths: ['/old/*'], service: svc('legacy-old') }]
      },
      {
        name: 'any',
        defaultService: svc('lb-default'),
        description: ownerMarker('team-shop'),
        pathRules: [{ paths: ['/shop', '/shop/*'], service: svc('shop') }]
      }
    ]
  }
}

const owners = { [svc('shop')]: 'team-shop', [svc('cart')]: 'team-shop' }

function merge(live: UrlMap | undefined, rules: OwnerRules, owned: string[] = []) {
  const ownedServices = new Set([...owned, ...collect(rules)])
  return mergeUrlMap({
    owner: 'team-web',
    project: 'edge-prod',
    urlMapName: 'edge',
    live,
    rules,
    ownedServices,
    serviceOwners: owners
  })
}

function collect(rules: OwnerRules): string[] {
  return [
    rules.defaultService ?? '',
    ...rules.hosts.flatMap((h) => [h.defaultService ?? '', ...h.pathRules.map((r) => r.service)])
  ].filter(Boolean)
}

const othersOf = (m: UrlMap | undefined) =>
  JSON.stringify({
    hostRules: m?.hostRules?.filter(
      (h) => h.pathMatcher !== undefined && !/team-web/.test(h.description ?? '')
    ),
    matchers: m?.pathMatchers?.map((pm) => ({
      ...pm,
      pathRules: pm.pathRules?.filter((r) => !/lbr-team-web/.test(r.service ?? ''))
    }))
  })

describe('mergeUrlMap', () => {
  it("adds an owner to a shared host's matcher and leaves every other rule byte for byte", () => {
    const rules: OwnerRules = {
      hosts: [
        {
          host: '*',
          pathRules: [
            { paths: ['/hello2', '/hello2/*'], service: svc('lbr-team-web-hello2'), route: 'hello2' }
          ]
        }
      ]
    }
    const { map, conflicts, errors, ruleChanges } = merge(liveMap(), rules)
    expect(conflicts).toEqual([])
    expect(errors).toEqual([])
    expect(othersOf(map)).toBe(othersOf(liveMap()))
    expect(evaluateUrlMap(map!, { host: 'www.example.com', path: '/hello2/x' })).toMatchObject({
      kind: 'service',
      service: svc('lbr-team-web-hello2')
    })
    expect(evaluateUrlMap(map!, { host: 'www.example.com', path: '/shop/x' })).toMatchObject({
      service: svc('shop')
    })
    expect(ruleChanges.map((c) => [c.action, c.host, c.path, c.after])).toEqual([
      ['add', '*', '/hello2', 'lbr-team-web-hello2'],
      ['add', '*', '/hello2/*', 'lbr-team-web-hello2']
    ])
    // `*` means every host (issue 12): a copy in shop.example.com's lb-routes matcher serves it there too.
    expect(evaluateUrlMap(map!, { host: 'shop.example.com', path: '/hello2/x' })).toMatchObject({
      service: svc('lbr-team-web-hello2')
    })
  })

  it('creates a host rule and path matcher with the owner marker for a new host', () => {
    const rules: OwnerRules = {
      hosts: [
        {
          host: 'api.example.com',
          pathRules: [{ paths: ['/v1/*'], service: svc('lbr-team-web-api'), route: 'api' }]
        }
      ]
    }
    const { map } = merge(liveMap(), rules)
    const hr = map!.hostRules!.find((h) => h.hosts?.includes('api.example.com'))!
    expect(hr.description).toMatch(/lb-routes owner=team-web/)
    const pm = map!.pathMatchers!.find((p) => p.name === hr.pathMatcher)!
    expect(pm.defaultService).toBe(svc('lb-default'))
    expect(evaluateUrlMap(map!, { host: 'api.example.com', path: '/v1/users' })).toMatchObject({
      service: svc('lbr-team-web-api')
    })
  })

  it("reports a claim on another owner's path, naming the holder", () => {
    const rules: OwnerRules = {
      hosts: [
        {
          host: 'shop.example.com',
          pathRules: [{ paths: ['/cart/*'], service: svc('lbr-team-web-x'), route: 'x' }]
        }
      ]
    }
    expect(merge(liveMap(), rules).conflicts).toEqual([
      {
        host: 'shop.example.com',
        path: '/cart/*',
        route: 'x',
        holder: 'owner team-shop (backend service cart)'
      }
    ])
  })

  it('reports a claim on an unmanaged rule and on an unmanaged default', () => {
    const rules: OwnerRules = {
      defaultService: svc('lbr-team-web-home'),
      defaultRoute: 'home',
      hosts: [
        {
          host: 'legacy.example.com',
          pathRules: [{ paths: ['/old/*'], service: svc('lbr-team-web-y'), route: 'y' }]
        }
      ]
    }
    const holders = merge(liveMap(), rules).conflicts.map((c) => `${c.host} ${c.path}: ${c.holder}`)
    expect(holders).toEqual([
      '* (default): an unmanaged rule (backend service lb-default)',
      'legacy.example.com /old/*: an unmanaged rule (backend service legacy-old)'
    ])
  })

  it('adds no new path or default into a path matcher no lb-routes owner created (issue 12)', () => {
    const rules: OwnerRules = {
      hosts: [
        {
          host: 'legacy.example.com',
          defaultService: svc('lbr-team-web-y'),
          defaultRoute: 'y',
          pathRules: [{ paths: ['/old/secret/*', '/login'], service: svc('lbr-team-web-y'), route: 'y' }]
        }
      ]
    }
    const { map, conflicts } = merge(liveMap(), rules)
    expect(conflicts.map((c) => `${c.path} ${c.route}`)).toEqual([
      '/old/secret/* y',
      '/login y',
      '(default) y'
    ])
    expect(conflicts[0]!.holder).toContain('which no lb-routes owner created')
    expect(JSON.stringify(map!.pathMatchers!.find((p) => p.name === 'legacy'))).toBe(
      JSON.stringify(liveMap().pathMatchers!.find((p) => p.name === 'legacy'))
    )
  })

  it('removes a route in one merge and drops the matcher it created once empty, but keeps shared matchers', () => {
    const withApi = merge(liveMap(), {
      hosts: [
        {
          host: 'api.example.com',
          pathRules: [{ paths: ['/v1/*'], service: svc('lbr-team-web-api'), route: 'api' }]
        },
        {
          host: '*',
          pathRules: [{ paths: ['/hello2/*'], service: svc('lbr-team-web-hello2'), route: 'hello2' }]
        }
      ]
    }).map!
    const removed = merge(withApi, { hosts: [] }, [svc('lbr-team-web-api'), svc('lbr-team-web-hello2')])
    expect(removed.map!.hostRules!.some((h) => h.hosts?.includes('api.example.com'))).toBe(false)
    expect(removed.map!.hostRules!.some((h) => h.hosts?.includes('*'))).toBe(true)
    expect(urlMapsEquivalent(removed.map, liveMap(), 'edge-prod')).toBe(true)
    expect(removed.ruleChanges.filter((c) => c.action === 'remove')).toHaveLength(2)
    // Every copy of the `*` rule went with it (issue 12).
    expect(JSON.stringify(removed.map)).not.toContain('lbr-team-web-hello2')
  })

  it('switches the URL map default held by the owner and re-points matchers that inherited it', () => {
    const live = { ...liveMap(), defaultService: svc('lbr-team-web-old') }
    live.pathMatchers = live.pathMatchers!.map((pm) =>
      pm.name === 'any' ? { ...pm, defaultService: svc('lbr-team-web-old') } : pm
    )
    const { map, conflicts } = merge(
      live,
      { defaultService: svc('lbr-team-web-new'), defaultRoute: 'home', hosts: [] },
      [svc('lbr-team-web-old')]
    )
    expect(conflicts).toEqual([])
    expect(map!.defaultService).toBe(svc('lbr-team-web-new'))
    expect(map!.pathMatchers!.find((p) => p.name === 'any')!.defaultService).toBe(svc('lbr-team-web-new'))
    expect(map!.pathMatchers!.find((p) => p.name === 'shop')!.defaultService).toBe(svc('shop'))
  })

  it('refuses to leave the map without a default when the owner drops its "*" default', () => {
    const live = { ...liveMap(), defaultService: svc('lbr-team-web-old') }
    expect(merge(live, { hosts: [] }, [svc('lbr-team-web-old')]).errors[0]).toMatch(
      /default service lbr-team-web-old belongs to owner team-web/
    )
  })

  it('creates the map when it does not exist and the owner declares the "*" default; errors otherwise', () => {
    expect(
      merge(undefined, { defaultService: svc('lbr-team-web-home'), hosts: [] }).map?.defaultService
    ).toBe(svc('lbr-team-web-home'))
    expect(merge(undefined, { hosts: [] }).errors[0]).toMatch(/does not exist/)
  })

  it('is idempotent: merging the merged map again changes nothing', () => {
    const rules: OwnerRules = {
      hosts: [
        {
          host: '*',
          pathRules: [{ paths: ['/hello2/*'], service: svc('lbr-team-web-hello2'), route: 'hello2' }]
        }
      ]
    }
    const once = merge(liveMap(), rules).map!
    const twice = merge(once, rules)
    expect(urlMapsEquivalent(once, twice.map, 'edge-prod')).toBe(true)
    expect(twice.ruleChanges).toEqual([])
  })
})
