// diffResources (src/core/diff/resources.ts): the exact changes and errors for the owner's NEGs and
// backend services against live ones.
import { describe, expect, it } from '@jest/globals'
import { compileDesired } from '../../src/core/compile/compile-desired.js'
import { ownerMarker } from '../../src/core/compile/markers.js'
import { diffResources } from '../../src/core/diff/resources.js'
import { bindExisting } from '../../src/core/plan/adopt.js'
import type { LiveState } from '../../src/core/plan/live.js'
import {
  applyPlan,
  backendService,
  cloudRunRoute,
  handBuilt,
  liveState,
  plan,
  routesConfig,
  summary
} from '../support/builders.js'

const config = routesConfig([cloudRunRoute('hello', { paths: ['/hello/*'] })])
const desired = compileDesired(config).desired
const NEG = 'globalNetworkEndpointGroup/edge-prod/global/lbr-team-web-hello-neg-2ebfbb4d'
const BS = 'backendService/edge-prod/global/lbr-team-web-hello-bs-7903f8e1'
const applied = applyPlan(liveState(), plan(config, liveState()).plan!)

const withBackend = (live: LiveState, f: (b: LiveState['backendServices'][number]) => object): LiveState => ({
  ...live,
  backendServices: live.backendServices.map((b) => ({ ...b, ...f(b) }))
})
const orphanNeg = {
  name: 'lbr-team-web-old-neg-1',
  selfLink:
    'https://www.googleapis.com/compute/v1/projects/edge-prod/global/networkEndpointGroups/lbr-team-web-old-neg-1',
  description: ownerMarker('team-web', ['old']),
  size: 1
}

describe('diffResources', () => {
  it.each([
    ['nothing live: create both', liveState(), [`create ${NEG}`, `create ${BS}`], []],
    ['live as desired: nothing', applied, [], []],
    [
      'a managed field differs: update it',
      withBackend(applied, () => ({ enableCDN: true })),
      [`update ${BS}`],
      []
    ],
    [
      'the NEG lost its endpoint: attach it again',
      { ...applied, globalNegs: applied.globalNegs.map((n) => ({ ...n, size: 0 })) },
      [`update ${NEG}`],
      []
    ],
    [
      "this owner's resources no route asks for: delete backend services, then NEGs",
      {
        ...applied,
        backendServices: [
          ...applied.backendServices,
          backendService('lbr-team-web-old-bs-1', {
            owner: 'team-web',
            routes: ['old'],
            groups: [orphanNeg.selfLink]
          })
        ],
        globalNegs: [...applied.globalNegs, orphanNeg]
      },
      [
        'delete backendService/edge-prod/global/lbr-team-web-old-bs-1',
        'delete globalNetworkEndpointGroup/edge-prod/global/lbr-team-web-old-neg-1'
      ],
      []
    ],
    [
      "another owner's resource under the name: an error, no change",
      withBackend(applied, (b) => ({ description: ownerMarker('team-x', ['x']), name: b.name })),
      [],
      [
        'backend service lbr-team-web-hello-bs-7903f8e1 already exists in project edge-prod and is managed by owner team-x; lb-routes never takes it over unasked or deletes it — rename the route or remove the existing resource'
      ]
    ],
    [
      'a hand-built resource under the name: an error that suggests adopt',
      withBackend(applied, () => ({ description: 'made in the console' })),
      [],
      [
        'backend service lbr-team-web-hello-bs-7903f8e1 already exists in project edge-prod and is not managed by lb-routes; lb-routes never takes it over unasked or deletes it — if it is the hand-built resource for this route, take it over in place with plan --adopt / lb-routes adopt; otherwise rename the route or remove the existing resource'
      ]
    ]
  ])('%s', (_what, live, changes, errors) => {
    const diff = diffResources(desired, live)
    expect(summary(diff.changes)).toEqual(changes)
    expect(diff.errors).toEqual(errors)
  })

  it('says what an update changes', () => {
    const [c] = diffResources(
      desired,
      withBackend(applied, () => ({ enableCDN: true, timeoutSec: 60 }))
    ).changes
    expect(c).toMatchObject({ action: 'update', fields: ['timeoutSec', 'enableCDN'], routes: ['hello'] })
    expect(c!.reason).toBe('changed: timeoutSec, enableCDN')
  })

  it('adopts bound hand-built resources: the NEG is recorded, the backend service gets the marker', () => {
    const hand = handBuilt(config)
    const binding = bindExisting(desired, hand, true)
    const diff = diffResources(binding.desired, hand, { ...binding, requested: true })
    expect(diff.errors).toEqual([])
    expect(diff.changes.map((c) => [c.action, c.key, c.reason])).toEqual([
      [
        'adopt',
        'globalNetworkEndpointGroup/edge-prod/global/hand-hello-neg-2ebfbb4d',
        "hand-built, taken over in place; Compute cannot change a NEG's description, so backend service hand-hello-bs-7903f8e1 records it in its marker"
      ],
      [
        'adopt',
        'backendService/edge-prod/global/hand-hello-bs-7903f8e1',
        'hand-built, taken over in place: ownership marker added to its description'
      ]
    ])
  })
})
