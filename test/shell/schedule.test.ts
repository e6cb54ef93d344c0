// runGraph: operations start as soon as what they need is done, within each project's concurrency and
// mutation rate; the first failure stops new starts; a rate limit halves the project's concurrency. A
// virtual clock stands in for time: `run` resolves when the test advances it.
import { describe, expect, it } from '@jest/globals'
import type { ApplyNode } from '../../src/core/plan/apply-graph.js'
import { runGraph, TokenBucket } from '../../src/shell/engine/schedule.js'

/** A virtual clock: sleepers and operations wake when `advance` passes their time. */
class Clock {
  t = 0
  #timers: { at: number; wake: () => void }[] = []
  now = () => this.t
  sleep = (ms: number) => new Promise<void>((wake) => this.#timers.push({ at: this.t + ms, wake }))
  /** Runs until nothing is pending: wakes the earliest timer, lets promises settle, repeats. */
  async drain(): Promise<void> {
    for (;;) {
      await new Promise((r) => setImmediate(r))
      if (this.#timers.length === 0) return
      this.#timers.sort((a, b) => a.at - b.at)
      const next = this.#timers.shift()!
      this.t = Math.max(this.t, next.at)
      next.wake()
    }
  }
}

const node = (id: string, needs: string[] = [], project = 'p'): ApplyNode => ({
  id,
  key: id,
  step: 'change',
  project,
  needs
})

/** Runs `nodes` where every operation takes `opMs` virtual ms; records start times and peak in flight. */
async function simulate(
  nodes: ApplyNode[],
  opts: { concurrency?: number; opMs?: number; fail?: string; perMinute?: number; burst?: number } = {}
) {
  const clock = new Clock()
  const started = new Map<string, number>()
  let inFlight = 0
  let peak = 0
  const done = runGraph(
    nodes,
    async (n) => {
      started.set(n.id, clock.t)
      peak = Math.max(peak, ++inFlight)
      await clock.sleep(opts.opMs ?? 100)
      inFlight--
      if (n.id === opts.fail) throw new Error(`${n.id} broke`)
    },
    {
      now: clock.now,
      sleep: clock.sleep,
      ...(opts.concurrency ? { concurrency: opts.concurrency } : {}),
      ...(opts.perMinute ? { mutationsPerMinute: opts.perMinute } : {}),
      ...(opts.burst ? { mutationBurst: opts.burst } : {})
    }
  )
  await clock.drain()
  return { outcomes: await done, started, peak, end: clock.t }
}

/** n routes: neg → (attach ∥ bs) → map. */
function routes(n: number, project = (i: number) => `p${i % 6}`): ApplyNode[] {
  const out: ApplyNode[] = []
  for (let i = 0; i < n; i++) out.push(node(`neg${i}`, [], project(i)))
  for (let i = 0; i < n; i++) out.push(node(`bs${i}`, [`neg${i}`], project(i)))
  for (let i = 0; i < n; i++) out.push(node(`att${i}`, [`neg${i}`], project(i)))
  out.push(
    node(
      'map',
      out.map((x) => x.id),
      'lb'
    )
  )
  return out
}

describe('runGraph', () => {
  it('60 routes over 6 projects run at the critical path with the default concurrency', async () => {
    const { end, outcomes } = await simulate(routes(60))
    expect(end).toBe(300) // three operations deep, whatever the width
    expect([...outcomes.values()].every((o) => o.status === 'done')).toBe(true)
  })

  it('60 routes in one project still run at the critical path by default', async () => {
    const { end, peak } = await simulate(routes(60, () => 'lb'))
    expect([end, peak]).toEqual([300, 120])
  })

  it('concurrency is per project and bounds what is in flight', async () => {
    const { end, peak } = await simulate(
      routes(60, () => 'lb'),
      { concurrency: 10 }
    )
    expect(peak).toBe(10)
    // 60 NEG inserts, then 120 attaches and inserts, 10 at a time, then the map.
    expect(end).toBe(6 * 100 + 12 * 100 + 100)
  })

  it('the longest remaining chain starts first, so a narrow lane still takes the critical path first', async () => {
    const nodes = [node('a1'), node('a2', ['a1']), node('a3', ['a2']), node('b'), node('c')]
    const { started } = await simulate(nodes, { concurrency: 1 })
    expect(started.get('a1')).toBe(0)
  })

  it('after the first failure nothing new starts; in-flight work finishes; the map is never written', async () => {
    const { outcomes } = await simulate(
      routes(6, () => 'lb'),
      { fail: 'bs2' }
    )
    expect(outcomes.get('bs2')).toMatchObject({ status: 'failed' })
    // Its siblings were in flight together and finished.
    expect(outcomes.get('bs3')).toMatchObject({ status: 'done' })
    expect(outcomes.get('map')).toEqual({ status: 'skipped' })
  })

  it('the token bucket paces mutations per project under the per-minute quota', async () => {
    const nodes = Array.from({ length: 30 }, (_, i) => node(`n${i}`))
    // 10 at once, then one every 2 s (30 a minute).
    const { started } = await simulate(nodes, { perMinute: 30, burst: 10, opMs: 1 })
    expect(started.get('n9')).toBe(0)
    expect(started.get('n10')).toBe(2000)
    expect(started.get('n29')).toBe(40_000)
  })

  it('a rate-limited answer halves the project concurrency, and successes win it back', async () => {
    const clock = new Clock()
    let listener: (p: string) => void = () => {}
    const starts: number[] = []
    const nodes = Array.from({ length: 40 }, (_, i) => node(`n${i}`))
    const done = runGraph(
      nodes,
      async (n) => {
        starts.push(clock.t)
        if (n.id === 'n0') listener('p') // the first call is rate-limited (and retried inside the client)
        await clock.sleep(100)
      },
      {
        concurrency: 8,
        now: clock.now,
        sleep: clock.sleep,
        onRateLimited: (l) => {
          listener = l
          return () => (listener = () => {})
        }
      }
    )
    await clock.drain()
    await done
    const at = (t: number) => starts.filter((s) => s === t).length
    // 8 allowed; the rate limit arrives with the first start, so only 4 go at once; each success adds one back.
    expect([at(0), at(100)]).toEqual([4, 8])
    expect(starts).toHaveLength(40)
  })
})

describe('TokenBucket', () => {
  it('starts full, refills per minute, and says how long to wait', () => {
    let t = 0
    const b = new TokenBucket(60, 2, () => t)
    expect([b.take(), b.take(), b.take()]).toEqual([0, 0, 1000])
    t = 1000
    expect([b.take(), b.take()]).toEqual([0, 1000])
  })
})
