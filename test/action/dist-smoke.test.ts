// Smoke tests of the committed bundle: `node dist/index.js` as the runner starts it (INPUT_* variables,
// GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files, @actions/core's real getIDToken and workflow commands).
// Everything else about the action is tested in-process (harness.ts runAction); these prove the bundle
// is built from that code and starts, plans, applies and masks its tokens.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import {
  commentsOn,
  explain,
  leakedSecrets,
  mergedIn,
  prOpened,
  pushToDefault,
  runDist,
  startEnv,
  type Env,
  type RunResult
} from './harness.js'

const PR = 2
const MERGE_SHA = 'd40867b14bb761a232cd80139fbd4c0d33264243'

describe('dist/index.js', () => {
  let env: Env
  const runs: RunResult[] = []
  beforeAll(async () => {
    env = await startEnv()
  })
  afterAll(async () => {
    await env.close()
  })

  it('plans a pull request: sticky comment, outputs, summary, tokens masked', async () => {
    const r = await runDist(env, { event: 'pull_request', payload: prOpened() })
    runs.push(r)
    expect({ code: r.code, log: r.code === 0 ? '' : explain(r) }).toEqual({ code: 0, log: '' })
    expect(r.outputs['plan-id']).toMatch(/^[0-9a-f]{16}$/)
    expect(r.outputs['has-changes']).toBe('true')
    const [comment, ...more] = commentsOn(env, PR)
    expect(more).toEqual([])
    expect(comment!.body).toContain('**Resources:** 10 to create, 1 to update, 0 to replace, 2 to delete')
    expect(r.summary).toContain(`"planId":"${r.outputs['plan-id']}"`)
    // @actions/core's real getIDToken went through the runner's OIDC endpoint; each API token was masked.
    expect(env.github.idTokens.length).toBeGreaterThanOrEqual(1)
    expect(env.google.apiTokens.size).toBe(2)
    for (const token of env.google.apiTokens) expect(r.stdout).toContain(`::add-mask::${token}`)
  })

  it('applies the reviewed plan on the push that merged it', async () => {
    mergedIn(env, MERGE_SHA, PR)
    const r = await runDist(env, { event: 'push', payload: pushToDefault(MERGE_SHA), sha: MERGE_SHA })
    runs.push(r)
    expect({ code: r.code, log: r.code === 0 ? '' : explain(r) }).toEqual({ code: 0, log: '' })
    expect(r.outputs['plan-id']).toBe(runs[0]!.outputs['plan-id'])
    expect(r.summary).toContain('✅ **Applied.**')
    expect(commentsOn(env, PR).filter((c) => c.body.startsWith('<!-- lb-routes:apply '))).toHaveLength(1)
  })

  it('fails a broken routes.json with an annotation on its line, and shows no secret anywhere', async () => {
    const r = await runDist(env, {
      event: 'pull_request',
      payload: prOpened(),
      routes: '{ "version": 1, "owner": 7 }\n'
    })
    runs.push(r)
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(/^::error title=lb-routes,file=routes\.json,line=1,col=\d+::/m)
    expect(r.stdout).toMatch(/^::error::routes\.json has \d+ error\(s\); see the annotations$/m)
    expect(leakedSecrets(env, runs)).toEqual([])
  })
})
