// Running an apply graph (core/plan/apply-graph.ts): every node starts as soon as the nodes it needs are
// done, within its project's concurrency and mutation rate. On the first failure no new node starts; the ones
// in flight finish; the rest are reported as not started. Longest remaining chain first, so the critical path
// is never queued behind work that can wait.
import { heights, type ApplyNode } from '../../core/plan/apply-graph.js'

/**
 * Compute's per-project rate quota for mutations is 1,500 requests per minute ("Queries", the quota of global
 * mutation methods; https://cloud.google.com/compute/api-quota). The bucket refills at 1,200 a minute with a
 * burst of 300, so no 60-second window can exceed the quota even with a full burst, and a few calls remain for
 * other tools sharing the project.
 */
export const MUTATIONS_PER_MINUTE = 1200
export const MUTATION_BURST = 300

/**
 * Default operations in flight per project: a 60-route apply has up to 120 operations ready at once (every
 * route's endpoint attach and backend service insert), so 128 keeps it at its critical path.
 */
export const DEFAULT_CONCURRENCY = 128

/** parseConcurrency reads a `--concurrency` / `concurrency` value: a whole number from 1 to 1000. */
export function parseConcurrency(text: string): number {
  const n = Number(text.trim())
  if (!/^\d+$/.test(text.trim()) || n < 1 || n > 1000)
    throw new Error(
      `must be a whole number from 1 to 1000 (operations in flight per project; default ${DEFAULT_CONCURRENCY}), got "${text}"`
    )
  return n
}

export interface ScheduleOptions {
  /** Operations in flight per project (default DEFAULT_CONCURRENCY). */
  readonly concurrency?: number
  /** Token bucket per project (defaults: MUTATIONS_PER_MINUTE, MUTATION_BURST). */
  readonly mutationsPerMinute?: number
  readonly mutationBurst?: number
  readonly now?: () => number
  readonly sleep?: (ms: number) => Promise<void>
  /** Subscribes to rate-limited answers (ComputeClient.onRateLimited); the project's concurrency then halves. */
  readonly onRateLimited?: (listener: (project: string) => void) => () => void
}

export type NodeOutcome =
  | { readonly status: 'done'; readonly durationMs: number }
  | { readonly status: 'failed'; readonly error: unknown; readonly durationMs: number }
  | { readonly status: 'skipped' }

/** TokenBucket: `take` answers 0 when a token was taken, else how many ms until one is there. */
export class TokenBucket {
  #tokens: number
  #at: number
  constructor(
    readonly perMinute: number,
    readonly burst: number,
    readonly now: () => number
  ) {
    this.#tokens = burst
    this.#at = now()
  }

  take(): number {
    const t = this.now()
    this.#tokens = Math.min(this.burst, this.#tokens + ((t - this.#at) * this.perMinute) / 60_000)
    this.#at = t
    if (this.#tokens >= 1) {
      this.#tokens -= 1
      return 0
    }
    return Math.ceil(((1 - this.#tokens) * 60_000) / this.perMinute)
  }
}

/** ReadyQueue hands out the ready node with the longest remaining chain first (heights are small integers). */
class ReadyQueue {
  readonly #byHeight: ApplyNode[][] = []
  readonly #head: number[] = []
  #size = 0
  constructor(readonly height: ReadonlyMap<string, number>) {}

  get size(): number {
    return this.#size
  }

  push(n: ApplyNode): void {
    const h = this.height.get(n.id) ?? 1
    ;(this.#byHeight[h] ??= []).push(n)
    this.#head[h] ??= 0
    this.#size++
  }

  pop(): ApplyNode | undefined {
    for (let h = this.#byHeight.length - 1; h >= 0; h--) {
      const q = this.#byHeight[h]
      if (q && this.#head[h]! < q.length) {
        this.#size--
        return q[this.#head[h]!++]
      }
    }
    return undefined
  }
}

/** One project's lane: its ready nodes, what is in flight, its current limit and its mutation bucket. */
interface Lane {
  readonly ready: ReadyQueue
  inFlight: number
  limit: number
  cutAt: number
  waking: boolean
  readonly bucket: TokenBucket
}

/** Scheduler is one run of a graph; see runGraph. */
class Scheduler {
  readonly #opts: ScheduleOptions
  readonly #now: () => number
  readonly #sleep: (ms: number) => Promise<void>
  readonly #max: number
  readonly #height: Map<string, number>
  readonly #waiting: Map<string, number>
  readonly #dependents = new Map<string, ApplyNode[]>()
  readonly #lanes = new Map<string, Lane>()
  readonly outcomes = new Map<string, NodeOutcome>()
  #stopped = false
  #running = 0
  #finish: () => void = () => {}

  constructor(
    readonly nodes: readonly ApplyNode[],
    readonly run: (node: ApplyNode) => Promise<void>,
    opts: ScheduleOptions
  ) {
    this.#opts = opts
    this.#now = opts.now ?? Date.now
    this.#sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)))
    this.#max = Math.max(1, opts.concurrency ?? DEFAULT_CONCURRENCY)
    this.#height = heights(nodes)
    this.#waiting = new Map(nodes.map((n) => [n.id, n.needs.length]))
    for (const n of nodes) {
      for (const d of n.needs) {
        const list = this.#dependents.get(d)
        if (list) list.push(n)
        else this.#dependents.set(d, [n])
      }
    }
  }

  async all(): Promise<Map<string, NodeOutcome>> {
    const finished = new Promise<void>((resolve) => (this.#finish = resolve))
    const unsubscribe = this.#opts.onRateLimited?.((project) => this.#rateLimited(project))
    for (const n of this.nodes) if (n.needs.length === 0) this.#lane(n.project).ready.push(n)
    this.#pump()
    await finished
    unsubscribe?.()
    for (const n of this.nodes) if (!this.outcomes.has(n.id)) this.outcomes.set(n.id, { status: 'skipped' })
    return this.outcomes
  }

  #lane(project: string): Lane {
    let l = this.#lanes.get(project)
    if (!l) {
      const perMinute = this.#opts.mutationsPerMinute ?? MUTATIONS_PER_MINUTE
      const bucket = new TokenBucket(perMinute, this.#opts.mutationBurst ?? MUTATION_BURST, this.#now)
      l = {
        ready: new ReadyQueue(this.#height),
        inFlight: 0,
        limit: this.#max,
        cutAt: -Infinity,
        waking: false,
        bucket
      }
      this.#lanes.set(project, l)
    }
    return l
  }

  // Halve once per burst of rate-limited answers (they arrive together from the calls in flight).
  #rateLimited(project: string): void {
    const l = this.#lanes.get(project)
    if (!l || this.#now() - l.cutAt < 1000) return
    l.limit = Math.max(1, Math.floor(l.limit / 2))
    l.cutAt = this.#now()
  }

  #pump(): void {
    for (const l of this.#lanes.values()) {
      while (!this.#stopped && l.ready.size > 0 && l.inFlight < l.limit) {
        const wait = l.bucket.take()
        if (wait > 0) {
          if (!l.waking) this.#wake(l, wait)
          break
        }
        this.#start(l, l.ready.pop()!)
      }
    }
    if (this.#running === 0) this.#finish()
  }

  #wake(l: Lane, ms: number): void {
    l.waking = true
    this.#running++
    void this.#sleep(ms).then(() => {
      l.waking = false
      this.#running--
      this.#pump()
    })
  }

  #start(l: Lane, n: ApplyNode): void {
    l.inFlight++
    this.#running++
    const t0 = this.#now()
    this.run(n)
      .then(
        () => {
          this.outcomes.set(n.id, { status: 'done', durationMs: this.#now() - t0 })
          if (l.limit < this.#max) l.limit++ // additive increase after a halving
          for (const d of this.#dependents.get(n.id) ?? []) {
            const left = this.#waiting.get(d.id)! - 1
            this.#waiting.set(d.id, left)
            if (left === 0) this.#lane(d.project).ready.push(d)
          }
        },
        (error: unknown) => {
          this.outcomes.set(n.id, { status: 'failed', error, durationMs: this.#now() - t0 })
          this.#stopped = true
        }
      )
      .finally(() => {
        l.inFlight--
        this.#running--
        this.#pump()
      })
  }
}

/**
 * runGraph runs `run` for every node of `nodes` (given in dependency order) and reports each node's outcome:
 * done, failed, or skipped (not started because something failed first).
 */
export function runGraph(
  nodes: readonly ApplyNode[],
  run: (node: ApplyNode) => Promise<void>,
  opts: ScheduleOptions = {}
): Promise<Map<string, NodeOutcome>> {
  return new Scheduler(nodes, run, opts).all()
}
