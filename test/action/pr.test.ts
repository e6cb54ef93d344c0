// The action on a pull request, run as the runner runs it: node dist/index.js against the emulator and a
// fake GitHub. Proves the sticky comment, summary, outputs and routes.json annotations.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import {
  commentsOn,
  exampleRoutes,
  explain,
  leakedSecrets,
  prOpened,
  runAction,
  startEnv,
  type Env,
  type RunResult
} from './harness.js'

const PR = 2 // GitHub's pull_request example is PR #2 on Codertocat/Hello-World
const MARKER = '<!-- lb-routes:plan {"owner":"team-web","project":"edge-prod","urlMap":"edge","planId":"'

describe('action on a pull request', () => {
  let env: Env
  const runs: RunResult[] = []
  beforeAll(async () => {
    // A small page size makes the comment list paginate (Link header) with a handful of comments.
    env = await startEnv(undefined, 2)
    // Reviewers talk first; one pastes a plan marker, which must not be mistaken for ours.
    env.github.addComment(PR, 'Looks good to me', 'octocat')
    env.github.addComment(PR, `${MARKER}0000000000000000","v":1} -->\nfake plan`, 'mallory')
    env.github.addComment(PR, 'LGTM', 'octocat')
  })
  afterAll(async () => {
    await env.close()
  })

  it('posts one sticky comment with marker, counts, route table and mermaid diagram, and updates it on the next run', async () => {
    const first = await runAction(env, { event: 'pull_request', payload: prOpened() })
    runs.push(first)
    expect({ code: first.code, log: first.code === 0 ? '' : explain(first) }).toEqual({ code: 0, log: '' })

    const ours = commentsOn(env, PR).filter((c) => c.login === 'github-actions[bot]')
    expect(ours).toHaveLength(1)
    const body = ours[0]!.body
    expect(body.startsWith(`${MARKER}${first.outputs['plan-id']}"`)).toBe(true)
    expect(body).toContain('**Resources:** 10 to create, 1 to update, 0 to replace, 2 to delete')
    expect(body).toContain('**Routes:** 4 new, 0 changed, 1 removed, 0 unchanged')
    // Issue #14: the verdict comes first and the table is status first.
    expect(body.split('\n')[2]).toMatch(/^### ⚠️ Applies with warnings/)
    expect(body).toMatch(/^\| Status \| Route \| Hosts and paths \| Target \|/m)
    for (const route of ['hello', 'hello2', 'api', 'model'])
      expect(body).toMatch(new RegExp(`^\\| 🟢 new \\| \`${route}\` \\|`, 'm'))
    expect(body).toContain('```mermaid\nflowchart LR')
    // The spoofed marker comment by another user was left alone.
    expect(commentsOn(env, PR).find((c) => c.login === 'mallory')!.body).toContain('fake plan')

    // The list was read page by page (the bot comment is past the first page of 2).
    const lists = env.github.requests.filter(
      (r) => r.method === 'GET' && r.url.includes(`/issues/${PR}/comments`)
    )
    expect(lists.length).toBeGreaterThanOrEqual(2)

    const second = await runAction(env, { event: 'pull_request', payload: prOpened() })
    runs.push(second)
    expect(second.code).toBe(0)
    const after = commentsOn(env, PR).filter((c) => c.login === 'github-actions[bot]')
    expect(after.map((c) => c.id)).toEqual([ours[0]!.id])
    const writes = env.github.requests.filter((r) => r.method === 'POST' || r.method === 'PATCH')
    expect(writes.map((r) => r.method)).toEqual(['POST', 'PATCH'])
    expect(writes.every((r) => r.status < 300)).toBe(true)
    // Same live state, same plan; only the timestamp line differs.
    const stable = (b: string): string => b.replace(/ · \d{4}-\d\d-\d\dT[\d:.]+Z · /, ' · ')
    expect(stable(after[0]!.body)).toBe(stable(body))
    expect(second.outputs['plan-id']).toBe(first.outputs['plan-id'])
  })

  it('writes the job summary and the plan-id, has-changes and plan-json outputs', () => {
    const r = runs[0]!
    expect(r.outputs['plan-id']).toMatch(/^[0-9a-f]{16}$/)
    expect(r.outputs['has-changes']).toBe('true')
    const plan = JSON.parse(readFileSync(r.outputs['plan-json']!, 'utf8')) as { planId: string }
    expect(plan.planId).toBe(r.outputs['plan-id'])
    expect(r.summary).toContain(
      `lb-routes:plan {"owner":"team-web","project":"edge-prod","urlMap":"edge","planId":"${r.outputs['plan-id']}"`
    )
    expect(r.summary).toContain('**Resources:** 10 to create, 1 to update, 0 to replace, 2 to delete')
    expect(r.summary).toContain('```mermaid')
  })

  it('fails a broken routes.json with an annotation on the offending line, and says so on the PR', async () => {
    const good = exampleRoutes()
    const routes = good.replace('"prefix": "/hello2",', '"prefix": "hello2",')
    expect(routes).not.toBe(good)
    const line = routes.split('\n').findIndex((l) => l.includes('"prefix": "hello2"')) + 1
    const r = await runAction(env, { event: 'pull_request', payload: prOpened(), routes })
    runs.push(r)
    expect(r.code).toBe(1)
    const annotations = r.stdout.split('\n').filter((l) => l.startsWith('::error '))
    expect(annotations.some((l) => new RegExp(`file=routes\\.json,line=${line},col=\\d+::`).test(l))).toBe(
      true
    )
    expect(r.stdout).toMatch(/^::error::routes\.json has 1 error\(s\)/m)
    // The sticky comment now explains the error instead of showing a stale plan.
    const ours = commentsOn(env, PR).filter((c) => c.login === 'github-actions[bot]')
    expect(ours).toHaveLength(1)
    expect(ours[0]!.body).toContain(`routes.json:${line}:`)
    expect(ours[0]!.body).toContain('routes.json has 1 error(s)')
  })

  it('comments a failing plan with its errors and the owner that parsed (issue #14)', async () => {
    // A route claiming team-shop's /shop on every host: a plan error naming the holder.
    const routes = exampleRoutes().replace('"prefix": "/hello2",', '"prefix": "/shop",')
    const r = await runAction(env, {
      event: 'pull_request',
      payload: prOpened(),
      routes,
      inputs: { environment: 'production' }
    })
    runs.push(r)
    expect(r.code).toBe(1)
    const body = commentsOn(env, PR).filter((c) => c.login === 'github-actions[bot]')[0]!.body
    expect(body.split('\n')[2]).toMatch(/^### ❌ Cannot apply: \d+ errors?$/)
    expect(body).toMatch(/- ❌ `routes\.json:\d+:\d+` route `hello2`: .*held by owner team-shop/)
    expect(body).not.toMatch(/✅|🟢/)
    const plan = JSON.parse(readFileSync(r.outputs['plan-json']!, 'utf8')) as { errors?: { line: number }[] }
    expect(plan.errors?.length).toBeGreaterThan(0)
  })

  it('never shows a token in the log, the summary, the outputs or a comment', () => {
    expect(env.google.tokens.size).toBeGreaterThanOrEqual(3)
    expect(leakedSecrets(env, runs)).toEqual([])
  })
})
