// GitHub's limits: a plan of 2,000 routes still yields a comment GitHub accepts (under 65,536 characters,
// else the fake answers 422 like GitHub) and a job summary under 1 MiB, through the real bundle.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { Buffer } from 'node:buffer'
import { commentsOn, explain, prOpened, runAction, startEnv, type Env } from './harness.js'

/** 2,001 routes: a default plus 20 hosts × 100 path prefixes, each to its own Cloud Run URL (within URL-map quotas). */
function bigRoutes(): string {
  const routes: Record<string, unknown>[] = [
    { name: 'home', hosts: ['*'], default: true, to: { cloudRun: { url: 'https://home-3abc-ew.a.run.app' } } }
  ]
  for (let h = 0; h < 20; h++) {
    for (let p = 0; p < 100; p++) {
      routes.push({
        name: `r-${h}-${p}`,
        hosts: [`h${h}.example.com`],
        prefix: `/p${p}`,
        to: { cloudRun: { url: `https://svc-${h}-${p}-3abc-ew.a.run.app` } }
      })
    }
  }
  return JSON.stringify(
    { version: 1, owner: 'team-web', loadBalancer: { project: 'edge-prod', urlMap: 'edge' }, routes },
    null,
    2
  )
}

describe('action at scale', () => {
  let env: Env
  beforeAll(async () => {
    env = await startEnv()
  })
  afterAll(async () => {
    await env.close()
  })

  it('keeps a 2,000-route plan within the comment and summary limits', async () => {
    const r = await runAction(env, { event: 'pull_request', payload: prOpened(), routes: bigRoutes() })
    expect({ code: r.code, log: r.code === 0 ? '' : explain(r) }).toEqual({ code: 0, log: '' })
    expect(r.stdout).not.toContain('could not write the pull-request comment')
    const [comment, ...more] = commentsOn(env, 2)
    expect(more).toEqual([])
    expect([...comment!.body].length).toBeLessThan(65_536)
    expect(comment!.body).toContain('**Routes:** 2001 new')
    expect(Buffer.byteLength(r.summary, 'utf8')).toBeLessThan(1_048_576)
    expect(r.summary).toContain('**Routes:** 2001 new')
    expect(env.github.requests.filter((q) => q.status === 422)).toEqual([])
    // No wall-clock assertion (a busy machine is not a failure); the limit below only catches a hang.
  }, 120_000)
})
