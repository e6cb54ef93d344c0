// The action with `adopt: true`: the pull request's plan shows the hand-built resources as adopt actions,
// the push to the default branch applies exactly that reviewed plan (markers written in place, nothing
// recreated), and the next plan — without adopt — has no changes.
import { afterEach, describe, expect, it } from '@jest/globals'
import { handBuilt, ROUTES } from '../engine/hand-built.js'
import {
  commentsOn,
  EDGE_SA,
  impersonable,
  explain,
  prOpened,
  pushToDefault,
  runAction,
  startEnv,
  type Env,
  mergedIn
} from './harness.js'

const PR = 2
const MERGE_SHA = 'b20867b14bb761a232cd80139fbd4c0d33264241'

describe('action with adopt: true', () => {
  let env: Env
  afterEach(async () => {
    await env.close()
  })

  it('plans the adoption on the pull request and applies it on push; the next plan has no changes', async () => {
    env = await startEnv({ ...handBuilt(), ...impersonable({ [EDGE_SA]: [] }) })
    const inputs = { adopt: 'true', 'service-accounts': `edge-prod=${EDGE_SA}` }
    const names = () =>
      env.emulator
        .exportState()
        .projects['edge-prod']!.backendServices!.map((b) => [b.name, b.id])
        .sort()
    const before = names()

    const plan = await runAction(env, { event: 'pull_request', payload: prOpened(), routes: ROUTES, inputs })
    expect({ code: plan.code, log: plan.code === 0 ? '' : explain(plan) }).toEqual({ code: 0, log: '' })
    expect(plan.outputs['has-changes']).toBe('true')
    const comment = commentsOn(env, PR).find((c) => c.body.startsWith('<!-- lb-routes:plan '))!
    expect(comment.body).toContain(
      '**Resources:** 9 to adopt, 0 to create, 0 to update, 0 to replace, 0 to delete'
    )
    expect(comment.body).toContain('🔵 Adopt (9)')

    mergedIn(env, MERGE_SHA, PR)
    const push = await runAction(env, {
      event: 'push',
      payload: pushToDefault(MERGE_SHA),
      sha: MERGE_SHA,
      routes: ROUTES,
      inputs
    })
    expect({ code: push.code, log: push.code === 0 ? '' : explain(push) }).toEqual({ code: 0, log: '' })
    expect(push.outputs['plan-id']).toBe(plan.outputs['plan-id'])
    expect(push.summary).toContain('✅ **Applied.**')
    expect(names()).toEqual(before)
    const web = env.emulator
      .exportState()
      .projects['edge-prod']!.backendServices!.find((b) => b.name === 'web-bs')!
    expect(web.description).toMatch(/^lb-routes owner=team-web routes=web-bs adopted-negs=global\/web-neg /)

    const again = await runAction(env, {
      event: 'pull_request',
      payload: prOpened(),
      routes: ROUTES,
      inputs: { 'service-accounts': `edge-prod=${EDGE_SA}` }
    })
    expect(again.code).toBe(0)
    expect(again.outputs['has-changes']).toBe('false')
  })
})
