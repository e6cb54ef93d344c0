// Pull requests that get no OIDC token (forks, or a job without `id-token: write`): offline checks and
// an offline comment, and not one call to Google.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import {
  commentsOn,
  exampleRoutes,
  forkPr,
  googleApiCalls,
  prOpened,
  runAction,
  startEnv,
  type Env
} from './harness.js'

describe('action without an OIDC token', () => {
  let env: Env
  beforeEach(async () => {
    env = await startEnv()
  })
  afterEach(async () => {
    await env.close()
  })

  it('explains a fork PR offline without calling Google', async () => {
    const r = await runAction(env, { event: 'pull_request', payload: forkPr() })
    expect(r.code).toBe(0)
    expect(googleApiCalls(env.emulator.requests())).toEqual([])
    expect(env.emulator.requests().filter((e) => e.api === 'sts.token')).toEqual([])
    expect(env.github.idTokens).toEqual([])
    expect(r.outputs).toMatchObject({ 'has-changes': 'unknown', 'plan-id': '' })
    expect(r.stdout).toMatch(/^::warning::This pull request comes from a fork\./m)

    const [comment, ...more] = commentsOn(env, 2)
    expect(more).toEqual([])
    expect(comment!.body).toMatch(
      /^<!-- lb-routes:plan \{"owner":"team-web","project":"edge-prod","urlMap":"edge","planId":"offline-no-live-plan"/
    )
    expect(comment!.body).toContain('This pull request comes from a fork')
    expect(comment!.body).toContain('12 route test(s) pass')
    expect(comment!.body).toContain('This is **not** a plan')
    expect(r.summary).toContain('This pull request comes from a fork')
  })

  it('fails a fork PR whose route tests fail, still without calling Google', async () => {
    const r = await runAction(env, {
      event: 'pull_request',
      payload: forkPr(),
      routes: exampleRoutes().replace(
        '"path": "/predict", "expect": { "route": "model"',
        '"path": "/predict", "expect": { "route": "hello"'
      )
    })
    expect(r.code).toBe(1)
    expect(googleApiCalls(env.emulator.requests())).toEqual([])
    expect(r.stdout).toMatch(/^::error .*file=routes\.json,line=\d+,col=\d+::route test failed/m)
    expect(commentsOn(env, 2)[0]!.body).toContain('route test failed')
  })

  it('goes offline when the job lacks id-token: write, and says how to fix it', async () => {
    const r = await runAction(env, { event: 'pull_request', payload: prOpened(), oidc: false })
    expect(r.code).toBe(0)
    expect(googleApiCalls(env.emulator.requests())).toEqual([])
    expect(commentsOn(env, 2)[0]!.body).toContain('permissions: id-token: write')
  })
})
