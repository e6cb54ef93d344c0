// The action on a push to the default branch (merge): finds the merged PR, compares the fresh plan with
// the planId reviewed in its comment, applies or refuses, and reports on the PR.
import { beforeEach, afterEach, describe, expect, it } from '@jest/globals'
import {
  commentsOn,
  exampleRoutes,
  explain,
  leakedSecrets,
  prOpened,
  pushToDefault,
  runAction,
  startEnv,
  type Env,
  type RunResult,
  mergedIn
} from './harness.js'

const PR = 2
const MERGE_SHA = 'a10867b14bb761a232cd80139fbd4c0d33264240'
const APPLY_MARKER = '<!-- lb-routes:apply '

/** Mutating Compute calls (anything but GET) the emulator received after `since`. */
function writesSince(env: Env, since: number): string[] {
  return env.emulator
    .requests()
    .slice(since)
    .filter((e) => e.path.startsWith('/compute/') && e.method !== 'GET')
    .map((e) => `${e.method} ${e.path}`)
}

describe('action on merge', () => {
  let env: Env
  let reviewed: RunResult
  beforeEach(async () => {
    env = await startEnv()
    reviewed = await runAction(env, { event: 'pull_request', payload: prOpened() })
    expect({ code: reviewed.code, log: reviewed.code === 0 ? '' : explain(reviewed) }).toEqual({
      code: 0,
      log: ''
    })
    mergedIn(env, MERGE_SHA, PR)
  })
  afterEach(async () => {
    await env.close()
  })

  it('applies the reviewed plan and reports the result on the merged PR; the next plan has no changes', async () => {
    const r = await runAction(env, { event: 'push', payload: pushToDefault(MERGE_SHA), sha: MERGE_SHA })
    expect({ code: r.code, log: r.code === 0 ? '' : explain(r) }).toEqual({ code: 0, log: '' })
    expect(
      env.github.requests.some((q) =>
        q.url.startsWith(`/repos/Codertocat/Hello-World/commits/${MERGE_SHA}/pulls`)
      )
    ).toBe(true)
    expect(r.outputs['plan-id']).toBe(reviewed.outputs['plan-id'])

    const apply = commentsOn(env, PR).filter((c) => c.body.startsWith(APPLY_MARKER))
    expect(apply).toHaveLength(1)
    expect(apply[0]!.body).toContain('✅ **Applied.**')
    expect(r.summary).toContain('✅ **Applied.**')
    // The plan comment stays as the record of what was reviewed.
    expect(commentsOn(env, PR).filter((c) => c.body.startsWith('<!-- lb-routes:plan '))).toHaveLength(1)

    const map = env.emulator.exportState().projects['edge-prod']!.urlMaps!.find((m) => m.name === 'edge')!
    expect(JSON.stringify(map.hostRules)).toContain('api.example.com')
    expect(map.defaultService).toMatch(/lbr-team-web-hello-bs-/)
    const backends = env.emulator
      .exportState()
      .projects['edge-prod']!.backendServices!.map((b) => String(b.name))
    expect(backends.some((n) => n.startsWith('lbr-team-web-welcome-'))).toBe(false)

    const again = await runAction(env, { event: 'pull_request', payload: prOpened() })
    expect(again.code).toBe(0)
    expect(again.outputs['has-changes']).toBe('false')
    expect(leakedSecrets(env, [reviewed, r, again])).toEqual([])
  })

  it('refuses when routes.json changed after review: nothing applied, exit 1, the comment says what changed', async () => {
    const before = env.emulator.requests().length
    // The merged routes.json lost the "model" route the reviewers saw.
    const routes = exampleRoutes().replace(
      /\n {4}\{\n {6}\/\/ Everything on ml\.example\.com[\s\S]*?\n {4}\}\n/,
      '\n'
    )
    expect(routes).not.toContain('"name": "model"')
    const r = await runAction(env, {
      event: 'push',
      payload: pushToDefault(MERGE_SHA),
      sha: MERGE_SHA,
      routes: routes
        .replace(/,\n {2}\],\n {2}\/\/ Checked offline/, '\n  ],\n  // Checked offline')
        .replace(/\n {4}\{ "host": "ml\.example\.com".*\n/, '\n')
    })
    expect(r.code).toBe(1)
    expect(writesSince(env, before)).toEqual([])
    const apply = commentsOn(env, PR).find((c) => c.body.startsWith(APPLY_MARKER))!
    expect(apply.body).toContain('🛑 **Refused: nothing was applied.**')
    expect(apply.body).toMatch(
      /no longer: [^\n]*create backendService\/edge-prod\/global\/lbr-team-web-model-bs-/
    )
    expect(r.stdout).toMatch(/^::error::the plan changed since it was reviewed/m)
    expect(r.summary).toContain('Refused')
  })

  it('refuses when the live load balancer changed after review', async () => {
    // Someone created team-web's hello2 NEG by hand between review and merge.
    const state = env.emulator.exportState()
    state.projects['edge-prod']!.globalNetworkEndpointGroups!.push({
      name: 'lbr-team-web-hello2-neg-cfc3aabc',
      description: 'lb-routes owner=team-web routes=hello2 (managed by lb-routes; do not edit by hand)',
      networkEndpointType: 'INTERNET_FQDN_PORT',
      defaultPort: 443,
      networkEndpoints: [{ fqdn: 'hello2-3abc-ew.a.run.app', port: 443 }]
    })
    env.emulator.importState(state)
    const before = env.emulator.requests().length
    const r = await runAction(env, { event: 'push', payload: pushToDefault(MERGE_SHA), sha: MERGE_SHA })
    expect(r.code).toBe(1)
    expect(writesSince(env, before)).toEqual([])
    const apply = commentsOn(env, PR).find((c) => c.body.startsWith(APPLY_MARKER))!
    expect(apply.body).toContain('Refused')
    expect(apply.body).toContain(
      'globalNetworkEndpointGroup/edge-prod/global/lbr-team-web-hello2-neg-cfc3aabc'
    )
  })

  it('refuses a merge whose PR has no plan comment from the bot (a pasted marker is not trusted)', async () => {
    env.github.comments.clear()
    env.github.addComment(
      3,
      `<!-- lb-routes:plan {"owner":"team-web","project":"edge-prod","urlMap":"edge","planId":"${reviewed.outputs['plan-id']}","v":1} -->`,
      'mallory'
    )
    mergedIn(env, MERGE_SHA, 3)
    const before = env.emulator.requests().length
    const r = await runAction(env, { event: 'push', payload: pushToDefault(MERGE_SHA), sha: MERGE_SHA })
    expect(r.code).toBe(1)
    expect(writesSince(env, before)).toEqual([])
    expect(r.stdout).toContain('pull request #3 has no lb-routes plan comment for owner team-web')
  })
})
