import { describe, it, expect } from '@jest/globals'
import { renderPlanJson } from '../../src/core/render/json.js'
import { parsePlanJson } from '../../src/core/review/plan-json.js'
import { examplePlan, plan } from '../render/builders.js'

describe('renderPlanJson / parsePlanJson', () => {
  it('round-trips a plan', () => {
    const p = examplePlan()
    expect(parsePlanJson(renderPlanJson(p))).toEqual(p)
  })

  it('is 2-space JSON with a trailing newline and formatVersion first', () => {
    const text = renderPlanJson(plan())
    expect(text.endsWith('}\n')).toBe(true)
    expect(text.split('\n').slice(0, 3)).toEqual(['{', '  "formatVersion": 1,', '  "planId": "p-3f9a1c",'])
  })

  it('does not depend on key insertion order', () => {
    const a = plan({ loadBalancer: { project: 'p', urlMap: 'm', scheme: 'EXTERNAL' } })
    const b = plan({ loadBalancer: { scheme: 'EXTERNAL', urlMap: 'm', project: 'p' } })
    expect(renderPlanJson(a)).toBe(renderPlanJson(b))
  })

  it('rejects text that is not JSON', () => {
    expect(() => parsePlanJson('{oops')).toThrow(/^plan\.json is not valid JSON: /)
  })

  it('rejects other format versions', () => {
    const text = JSON.stringify({ ...plan(), formatVersion: 2 })
    expect(() => parsePlanJson(text)).toThrow(
      'plan.json has formatVersion 2; this lb-routes reads formatVersion 1. Re-run `lb-routes plan` with the same version that applies it.'
    )
    expect(() => parsePlanJson('[]')).toThrow('plan.json must hold a JSON object (an lb-routes plan).')
  })

  it('names every missing or wrong field', () => {
    const bad = JSON.parse(renderPlanJson(examplePlan()))
    delete bad.planId
    bad.changes[1].action = 'explode'
    bad.waves.push(['urlMap/nope/global/x'])
    bad.desired = null
    expect(() => parsePlanJson(JSON.stringify(bad))).toThrow(
      'plan.json is not a valid lb-routes plan:\n' +
        '  plan.planId: expected a string, got nothing\n' +
        '  plan.changes[1].action: expected one of create, update, delete, replace, adopt, got "explode"\n' +
        '  plan.waves[4][0]: expected the key of a change, got "urlMap/nope/global/x"\n' +
        '  plan.desired: expected an object, got null'
    )
  })
})
