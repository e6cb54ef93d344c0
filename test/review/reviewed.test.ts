// What was reviewed against the plan at merge: the same planId applies; otherwise the refusal says what
// changed, resource by resource, or that only settings changed.
import { describe, expect, it } from '@jest/globals'
import {
  changeLines,
  describePlanDrift,
  refusedResult,
  reviewedFromPlan,
  reviewRefusal
} from '../../src/core/review/reviewed.js'
import { LB, change, plan } from '../render/builders.js'

const NEG = change('globalNetworkEndpointGroup', 'neg-a', 'create')
const BS = change('backendService', 'bs-a', 'create')
const MAP = change('urlMap', 'edge', 'update')

describe('reviewed plans', () => {
  it('changeLines are sorted `action key` lines', () => {
    expect(changeLines(plan({ changes: [NEG, BS] }))).toEqual([
      'create backendService/edge-prod/global/bs-a',
      'create globalNetworkEndpointGroup/edge-prod/global/neg-a'
    ])
  })

  it('the same planId is no refusal', () => {
    const p = plan({ changes: [NEG] })
    expect(reviewRefusal(reviewedFromPlan(p), p)).toBeUndefined()
  })

  it('a different planId is refused, naming what is new and what is gone', () => {
    const before = plan({ planId: 'p-old', changes: [NEG, MAP] })
    const now = plan({ planId: 'p-new', changes: [BS, MAP] })
    expect(reviewRefusal(reviewedFromPlan(before), now)).toEqual({
      planId: 'p-new',
      owner: 'team-web',
      loadBalancer: LB,
      status: 'refused',
      steps: [],
      urlMapRetries: 0,
      durationMs: 0,
      message:
        'the plan changed since it was reviewed (reviewed planId p-old, now p-new): now also: create backendService/edge-prod/global/bs-a; no longer: create globalNetworkEndpointGroup/edge-prod/global/neg-a. Run plan again and review it.'
    })
  })

  it('says when only settings changed, and asks for a new plan when the change list is unknown', () => {
    const now = plan({ planId: 'p-new', changes: [MAP] })
    expect(describePlanDrift({ planId: 'p-old', changes: changeLines(now) }, now)).toContain(
      ': the same resources change, but with different settings or URL-map rules. Run plan again'
    )
    expect(describePlanDrift({ planId: 'p-old' }, now)).toBe(
      'the plan changed since it was reviewed (reviewed planId p-old, now p-new); run plan again and review it'
    )
  })

  it('refusedResult wrote nothing and says why', () => {
    expect(refusedResult({ owner: 'team-web', loadBalancer: LB }, 'why')).toMatchObject({
      planId: '',
      status: 'refused',
      steps: [],
      message: 'why'
    })
  })
})
