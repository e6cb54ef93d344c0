// bindExisting (adopt.ts): which desired NEGs and backend services are bound to live ones under other
// names, and what the binding renames. Live hand-built resources come from handBuilt().
import { describe, expect, it } from '@jest/globals'
import { compileDesired } from '../../src/core/compile/compile-desired.js'
import { ownerMarker } from '../../src/core/compile/markers.js'
import { bindExisting } from '../../src/core/plan/adopt.js'
import type { LiveState } from '../../src/core/plan/live.js'
import { cloudRunRoute, handBuilt, liveState, routesConfig } from '../support/builders.js'

const config = routesConfig([cloudRunRoute('hello', { paths: ['/hello/*'] })])
const desired = compileDesired(config).desired
const NEG = 'globalNetworkEndpointGroup/edge-prod/global/hand-hello-neg-2ebfbb4d'
const BS = 'backendService/edge-prod/global/hand-hello-bs-7903f8e1'

/** markAll gives every live backend service and NEG the marker of `owner`. */
const markAll = (live: LiveState, owner: string): LiveState => ({
  ...live,
  globalNegs: live.globalNegs.map((n) => ({ ...n, description: ownerMarker(owner, ['hello']) })),
  backendServices: live.backendServices.map((b) => ({ ...b, description: ownerMarker(owner, ['hello']) }))
})

/** names lists the bound desired NEG and backend service names and the service routes use. */
function names(live: LiveState, adopt: boolean) {
  const b = bindExisting(desired, live, adopt)
  return {
    neg: b.desired.negs.map((n) => n.name),
    bs: b.desired.backendServices.map((x) => x.name),
    route: b.desired.routeServices.hello!.split('/').pop(),
    rule: b.desired.rules.hosts[0]!.pathRules[0]!.service.split('/').pop(),
    adopting: [...b.adopting]
  }
}

const hand = handBuilt(config)
const hostChanged: LiveState = {
  ...hand,
  backendServices: hand.backendServices.map((b) => ({ ...b, customRequestHeaders: ['Host: other.example'] }))
}

describe('bindExisting', () => {
  const own = { neg: ['lbr-team-web-hello-neg-2ebfbb4d'], bs: ['lbr-team-web-hello-bs-7903f8e1'] }
  const ownRefs = { route: 'lbr-team-web-hello-bs-7903f8e1', rule: 'lbr-team-web-hello-bs-7903f8e1' }
  const handRefs = { route: 'hand-hello-bs-7903f8e1', rule: 'hand-hello-bs-7903f8e1' }
  it.each([
    ['nothing live: own names', liveState(), true, { ...own, ...ownRefs, adopting: [] }],
    ['hand-built, adoption not asked: own names', hand, false, { ...own, ...ownRefs, adopting: [] }],
    [
      'hand-built, adopt: bound and renamed everywhere',
      hand,
      true,
      { neg: ['hand-hello-neg-2ebfbb4d'], bs: ['hand-hello-bs-7903f8e1'], ...handRefs, adopting: [NEG, BS] }
    ],
    [
      'Host header differs: the NEG is bound, the backend service is not',
      hostChanged,
      true,
      { neg: ['hand-hello-neg-2ebfbb4d'], bs: own.bs, ...ownRefs, adopting: [NEG] }
    ],
    ["another owner's: never bound", markAll(hand, 'team-x'), true, { ...own, ...ownRefs, adopting: [] }],
    [
      "this owner's under another name: bound without adopt, nothing to adopt",
      markAll(hand, 'team-web'),
      false,
      { neg: ['hand-hello-neg-2ebfbb4d'], bs: ['hand-hello-bs-7903f8e1'], ...handRefs, adopting: [] }
    ]
  ])('%s', (_what, live, adopt, want) => {
    expect(names(live, adopt)).toEqual(want)
  })

  it('records an adopted NEG in the marker of the backend service that uses it', () => {
    const b = bindExisting(desired, hand, true)
    // " adopted" marks a resource lb-routes did not create (its delete reason says so).
    expect(b.desired.backendServices[0]!.resource.description).toBe(
      `${ownerMarker('team-web', ['hello'], ['global/hand-hello-neg-2ebfbb4d'])} adopted`
    )
    expect(b.desired.backendServices[0]!.resource.backends).toEqual([
      {
        group:
          'https://www.googleapis.com/compute/v1/projects/edge-prod/global/networkEndpointGroups/hand-hello-neg-2ebfbb4d'
      }
    ])
  })

  it('reads which unmarked NEGs this owner adopted before from its backend services', () => {
    const adopted = bindExisting(desired, hand, true).desired.backendServices[0]!.resource
    const live = {
      ...hand,
      backendServices: [{ ...hand.backendServices[0]!, description: adopted.description }]
    }
    const b = bindExisting(desired, live, false)
    expect([...b.ownedNegs]).toEqual([NEG])
    expect([...b.recordedBy]).toEqual([[NEG, 'hand-hello-bs-7903f8e1']])
    expect(b.adopting.size).toBe(0)
  })
})
