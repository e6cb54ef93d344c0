import { describe, it, expect } from '@jest/globals'
import { countChanges, formatDuration, parseChangeKey, planLine } from '../../src/core/render/summary.js'
import { examplePlan, plan } from './builders.js'

describe('countChanges', () => {
  it('counts resources by action and routes by status', () => {
    expect(countChanges(examplePlan())).toEqual({
      create: 2,
      update: 2,
      replace: 0,
      delete: 1,
      adopt: 0,
      routesNew: 1,
      routesChanged: 1,
      routesRemoved: 1,
      routesUnchanged: 2
    })
  })

  it('feeds the plan line', () => {
    expect(planLine(countChanges(examplePlan()))).toBe(
      'Plan: 2 to create, 2 to update, 0 to replace, 1 to delete.'
    )
    expect(planLine(countChanges(plan()))).toBe('No changes. The load balancer matches routes.json.')
  })
})

describe('helpers', () => {
  it('formats durations for people', () => {
    expect([850, 1234, 61_000, -1].map(formatDuration)).toEqual(['850 ms', '1.2 s', '1 min 01 s', '—'])
  })

  it('splits change keys', () => {
    expect(parseChangeKey('regionNetworkEndpointGroup/team-a/europe-west1/neg')).toEqual({
      kind: 'regionNetworkEndpointGroup',
      project: 'team-a',
      region: 'europe-west1',
      name: 'neg'
    })
    expect(parseChangeKey('urlMap/edge-prod/global/edge')).toEqual({
      kind: 'urlMap',
      project: 'edge-prod',
      name: 'edge'
    })
    expect(parseChangeKey('odd')).toEqual({ kind: '', project: '', name: 'odd' })
  })
})
