// The merge as a plan step (url-map-change.ts, ownership.ts, problems.ts): what the owner holds, the one
// URL-map change, and the merge's problems in words. mergeUrlMap itself: test/engine/merge.test.ts.
import { describe, expect, it } from '@jest/globals'
import { compileDesired } from '../../src/core/compile/compile-desired.js'
import type { PathMatcher, UrlMap } from '../../src/core/compute.js'
import { readOwnership } from '../../src/core/plan/ownership.js'
import { mergeProblems } from '../../src/core/plan/problems.js'
import { mergeOwnerRules, urlMapChange } from '../../src/core/plan/url-map-change.js'
import type { LiveState } from '../../src/core/plan/live.js'
import {
  applyPlan,
  backendService,
  cloudRunRoute,
  lbDefaultMap,
  liveState,
  plan,
  routesConfig,
  selfLink
} from '../support/builders.js'

const hello = cloudRunRoute('hello', { paths: ['/hello/*'] })
const config = routesConfig([hello])
const desired = compileDesired(config).desired
const theirs = backendService('theirs', { owner: 'team-x', routes: ['x'] })
const handMade = selfLink('edge-prod/global/backendServices/hand-made')

/** mapWith puts one path rule for `service` on host "*" into the load balancer owner's map. */
const mapWith = (service: string, extra: Partial<PathMatcher> = {}): UrlMap =>
  lbDefaultMap({
    hostRules: [{ hosts: ['*'], pathMatcher: 'm' }],
    pathMatchers: [
      {
        name: 'm',
        defaultService: lbDefaultMap().defaultService,
        pathRules: [{ paths: ['/hello/*'], service }],
        ...extra
      }
    ]
  })

function step(live: LiveState, adopt = false, c = config) {
  const d = compileDesired(c).desired
  const ownership = readOwnership(c, live, d)
  const merged = mergeOwnerRules(c, live.urlMap, d, ownership)
  const change = urlMapChange(c, live.urlMap, merged)
  return {
    change: change && `${change.action}: ${change.reason}`,
    rules: merged.ruleChanges.map((r) => `${r.action} ${r.host} ${r.path}`),
    problems: mergeProblems(merged, adopt).map((p) => p.message)
  }
}

describe('readOwnership', () => {
  it("reads this owner's services and routes from live markers, and who holds the others", () => {
    const mine = backendService('lbr-team-web-old-bs-1', { owner: 'team-web', routes: ['old', 'older'] })
    const o = readOwnership(
      config,
      liveState({ backendServices: [mine, theirs, backendService('hand')] }),
      desired
    )
    const bs = (name: string) => selfLink(`edge-prod/global/backendServices/${name}`)
    expect([...o.ownedServices]).toEqual([bs('lbr-team-web-old-bs-1'), bs('lbr-team-web-hello-bs-7903f8e1')])
    expect(o.serviceOwners).toEqual({ [bs('lbr-team-web-old-bs-1')]: 'team-web', [bs('theirs')]: 'team-x' })
    expect([...o.liveRoutes.keys()]).toEqual(['old', 'older'])
  })
})

describe('the URL-map change', () => {
  const applied = applyPlan(liveState(), plan(config, liveState()).plan!)
  it.each([
    [
      'new rules: one update with the rule changes',
      liveState(),
      { change: 'update: 1 rule change(s) for owner team-web', rules: ['add * /hello/*'], problems: [] }
    ],
    ['already merged: no change', applied, { change: undefined, rules: [], problems: [] }],
    [
      'no map, no "*" default: no change, an error',
      liveState({ urlMap: undefined }),
      {
        change: undefined,
        rules: [],
        problems: [
          'URL map edge does not exist in project edge-prod; create the load balancer first, or declare a route with "default": true for host "*" so lb-routes can create the map'
        ]
      }
    ],
    [
      "another owner's path: kept with its holder, an error",
      liveState({ backendServices: [theirs], urlMap: mapWith(theirs.selfLink!) }),
      {
        change: undefined,
        rules: [],
        problems: [
          'route hello claims host * path /hello/*, which is held by owner team-x (backend service theirs); pick another host or path, or agree with the holder to release it'
        ]
      }
    ],
    [
      'an unmanaged rule: the error suggests adopt',
      liveState({ urlMap: mapWith(handMade) }),
      {
        change: undefined,
        rules: [],
        problems: [
          'route hello claims host * path /hello/*, which is held by an unmanaged rule (backend service hand-made); pick another host or path, or agree with the holder to release it; if that is your hand-built backend for this route, take it over in place with plan --adopt / lb-routes adopt'
        ]
      }
    ],
    [
      'a matcher with routeRules lb-routes does not manage: an error',
      liveState({ urlMap: { ...mapWith(handMade, { routeRules: [{ priority: 1, service: handMade }] }) } }),
      {
        change: undefined,
        rules: [],
        problems: [
          'route hello claims host * path /hello/*, which is held by path matcher m, which uses routeRules that lb-routes does not manage; pick another host or path, or agree with the holder to release it'
        ]
      }
    ]
  ])('%s', (_what, live, want) => {
    expect(step(live)).toEqual(want)
  })

  it('creates the map when none exists and this owner declares the "*" default', () => {
    const c = routesConfig([cloudRunRoute('site', { default: true })])
    expect(step(liveState({ urlMap: undefined }), false, c)).toEqual({
      change: 'create: the shared URL map does not exist yet; this owner declares its default',
      rules: ['add * (default)'],
      problems: []
    })
  })

  it('with adopt, an unmanaged holder means no equivalent hand-built backend was found', () => {
    expect(step(liveState({ urlMap: mapWith(handMade) }), true).problems[0]).toMatch(
      /; pick another host or path, or agree with the holder to release it \(adoption found no hand-built backend service with the same NEGs and Host header for this route\)$/
    )
  })

  it('tidies an empty lb-routes matcher left behind, without rule changes', () => {
    const marker = 'lb-routes owner=team-web'
    const map = applied.urlMap!
    const leftover = {
      ...map,
      hostRules: [
        ...map.hostRules!,
        { hosts: ['gone.example.com'], pathMatcher: 'lbr-x', description: marker }
      ],
      pathMatchers: [
        ...map.pathMatchers!,
        { name: 'lbr-x', description: marker, defaultService: map.defaultService }
      ]
    }
    expect(step({ ...applied, urlMap: leftover })).toEqual({
      change: 'update: tidy: re-point defaults / drop empty lb-routes path matchers',
      rules: [],
      problems: []
    })
  })
})
