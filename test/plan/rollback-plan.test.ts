// buildRollbackPlan (src/core/rollback/rollback-plan.ts): the plan that puts an apply's changes back,
// from the snapshot taken before it, against live state now.
import { describe, expect, it } from '@jest/globals'
import { ownerMarker } from '../../src/core/compile/markers.js'
import { urlMapsEquivalent } from '../../src/core/plan/merge-url-map.js'
import type { Plan } from '../../src/core/plan/model.js'
import type { LiveState } from '../../src/core/plan/live.js'
import { buildRollbackPlan } from '../../src/core/rollback/rollback-plan.js'
import { buildSnapshot } from '../../src/core/rollback/snapshot.js'
import {
  applyPlan,
  cloudRunRoute,
  LB_PROJECT,
  liveState,
  NOW,
  plan,
  routesConfig,
  summary
} from '../support/builders.js'

const v1 = routesConfig([cloudRunRoute('hello', { paths: ['/hello/*'] })])
const v2 = routesConfig([
  cloudRunRoute('hello', { paths: ['/hello/*', '/hi'] }),
  cloudRunRoute('new', { paths: ['/new/*'] })
])
const before = applyPlan(liveState(), plan(v1, liveState()).plan!)
const apply = plan(v2, before).plan!
const after = applyPlan(before, apply)
const snapshotOf = (p: Plan, live: LiveState) =>
  buildSnapshot({ plan: p, urlMap: live.urlMap ?? null, endpoints: {}, now: NOW })

describe('buildRollbackPlan', () => {
  it("deletes what the apply created and puts the owner's rules back", () => {
    const { plan: back, problems } = buildRollbackPlan({
      snapshot: snapshotOf(apply, before),
      live: after,
      now: NOW
    })
    expect(problems).toEqual([])
    expect(summary(back.changes)).toEqual([
      'delete globalNetworkEndpointGroup/edge-prod/global/lbr-team-web-new-neg-de9e667c',
      'delete backendService/edge-prod/global/lbr-team-web-new-bs-ff7226c5',
      'update urlMap/edge-prod/global/edge'
    ])
    expect(back.waves).toEqual([
      ['urlMap/edge-prod/global/edge'],
      ['backendService/edge-prod/global/lbr-team-web-new-bs-ff7226c5'],
      ['globalNetworkEndpointGroup/edge-prod/global/lbr-team-web-new-neg-de9e667c']
    ])
    const restored = applyPlan(after, back)
    expect(urlMapsEquivalent(restored.urlMap, before.urlMap, LB_PROJECT)).toBe(true)
    expect(restored.backendServices.map((b) => b.name)).toEqual(before.backendServices.map((b) => b.name))
  })

  it('changes nothing when live state is already as before', () => {
    const { plan: back, problems } = buildRollbackPlan({
      snapshot: snapshotOf(apply, before),
      live: before,
      now: NOW
    })
    expect(problems).toEqual([])
    expect(back.changes).toEqual([])
  })

  it.each([
    [
      'a resource another owner holds now',
      {
        ...after,
        backendServices: after.backendServices.map((b) => ({ ...b, description: ownerMarker('team-x') }))
      },
      'backendService lbr-team-web-new-bs-ff7226c5 in project edge-prod is now managed by owner team-x'
    ],
    [
      'the URL map is gone',
      { ...after, urlMap: undefined },
      'URL map edge no longer exists in project edge-prod'
    ]
  ])('refuses: %s', (_what, live, problem) => {
    const { problems } = buildRollbackPlan({ snapshot: snapshotOf(apply, before), live, now: NOW })
    expect(problems.map((p) => p.split(/[;(]/)[0]!.trim())).toContain(problem)
  })

  it('refuses to delete a URL map the apply created', () => {
    const site = routesConfig([cloudRunRoute('site', { default: true })])
    const created = plan(site, liveState({ urlMap: undefined })).plan!
    const live = applyPlan(liveState({ urlMap: undefined }), created)
    const { problems } = buildRollbackPlan({
      snapshot: snapshotOf(created, liveState({ urlMap: undefined })),
      live,
      now: NOW
    })
    expect(problems).toEqual([
      "the apply being rolled back created URL map edge; rollback does not delete a shared URL map (other owners' rules and the load balancer's proxies may use it) — delete it by hand if nothing else uses it"
    ])
  })
})
