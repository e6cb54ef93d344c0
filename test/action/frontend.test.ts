// The action plans and applies a `frontend` block exactly as the CLI does (node dist/index.js against the
// emulator and a fake GitHub): the PR comment shows the frontend and the DNS advice, the apply comment the
// allocated IP, and the load balancer then answers on 443 and 80 from routes.json alone.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { edit } from '../engine/scenario-helpers.js'
import {
  commentsOn,
  exampleRoutes,
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
const routes = () => edit(exampleRoutes(), [[['frontend'], { domains: ['www.example.com'] }]])

describe('action with a frontend block', () => {
  let env: Env
  beforeAll(async () => {
    env = await startEnv()
  })
  afterAll(async () => {
    await env.close()
  })

  it('comments the frontend on the PR, applies it on merge and reports the IP address', async () => {
    const pr = await runAction(env, { event: 'pull_request', payload: prOpened(), routes: routes() })
    expect({ code: pr.code, log: pr.code === 0 ? '' : explain(pr) }).toEqual({ code: 0, log: '' })
    const plan = commentsOn(env, PR).find((c) => c.body.includes('lb-routes:plan'))!.body
    expect(plan).toContain('**Frontend**')
    expect(plan).toContain(
      'Point the A records of `www.example.com` at the address (its IP is shown after apply)'
    )
    expect(plan).toMatch(/create target HTTPS proxy/)

    mergedIn(env, MERGE_SHA, PR)
    const merged = await runAction(env, {
      event: 'push',
      payload: pushToDefault(MERGE_SHA),
      sha: MERGE_SHA,
      routes: routes()
    })
    expect({ code: merged.code, log: merged.code === 0 ? '' : explain(merged) }).toEqual({ code: 0, log: '' })
    const project = env.emulator.exportState().projects['edge-prod']!
    const ip = project.globalAddresses![0]!.address as string
    expect(
      project
        .globalForwardingRules!.filter((r) => r.IPAddress === ip)
        .map((r) => r.portRange)
        .sort()
    ).toEqual(['443-443', '80-80'])
    const applied = commentsOn(env, PR).find((c) => c.body.includes('lb-routes:apply'))!.body
    expect(applied).toContain(`Point the A records of \`www.example.com\` at \`${ip}\``)
  })
})
