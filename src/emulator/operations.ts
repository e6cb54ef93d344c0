// Compute Operations (gce-api.md §2). Model: a mutation changes the state at once and its Operation
// reports RUNNING until `operationMs` has passed on the injected clock, then DONE. A failed operation
// (fail-next) changes nothing and ends DONE with `error` + httpErrorStatusCode/httpErrorMessage.
import { COMPUTE_BASE } from '../core/compute.js'
import { newId, operationName, rfc3339 } from './ids.js'
import type { Entropy, Resource } from './types.js'

/** What a failed operation reports (UPPER_SNAKE code, §1.6). */
export interface OperationFailure {
  code: string
  message: string
  httpStatus: number
  httpText: string
}

/** One stored operation. */
export interface OperationRecord {
  readonly project: string
  readonly region?: string
  readonly name: string
  readonly id: string
  readonly startedAt: number
  readonly doneAt: number
  readonly base: Resource
  readonly failure?: OperationFailure
  /** API method + target, to recognise a replayed requestId (§1.5). */
  readonly replayKey?: string
}

/** What a mutation asks for. */
export interface NewOperation {
  project: string
  region?: string
  operationType: string
  targetLink: string
  targetId?: string
  user: string
  requestId?: string
  replayKey?: string
  failure?: OperationFailure
}

/** Operations stores every operation per project and scope, and answers get/wait/list by name or id. */
export class Operations {
  #byScope = new Map<string, OperationRecord[]>()
  #byRequestId = new Map<string, OperationRecord>()

  constructor(
    private readonly entropy: Entropy,
    private readonly operationMs: () => number
  ) {}

  /** create records an operation that is DONE after operationMs. */
  create(n: NewOperation): OperationRecord {
    const now = this.entropy.now()
    const name = operationName(this.entropy)
    const id = newId(this.entropy.random)
    const scope = n.region ? `regions/${n.region}` : 'global'
    const base: Resource = {
      kind: 'compute#operation',
      id,
      name,
      operationType: n.operationType,
      targetLink: n.targetLink,
      ...(n.targetId ? { targetId: n.targetId } : {}),
      user: n.user,
      insertTime: rfc3339(now),
      startTime: rfc3339(now),
      selfLink: `${COMPUTE_BASE}projects/${n.project}/${scope}/operations/${name}`,
      ...(n.region ? { region: `${COMPUTE_BASE}projects/${n.project}/regions/${n.region}` } : {}),
      ...(n.requestId ? { clientOperationId: n.requestId } : {})
    }
    const rec: OperationRecord = {
      project: n.project,
      ...(n.region ? { region: n.region } : {}),
      name,
      id,
      startedAt: now,
      doneAt: now + Math.max(0, this.operationMs()),
      base,
      ...(n.failure ? { failure: n.failure } : {}),
      ...(n.replayKey ? { replayKey: n.replayKey } : {})
    }
    const key = scopeKey(n.project, n.region)
    const list = this.#byScope.get(key) ?? []
    list.push(rec)
    this.#byScope.set(key, list)
    if (n.requestId) this.#byRequestId.set(`${n.project}/${n.requestId}`, rec)
    return rec
  }

  /** byRequestId finds the operation an earlier request with this requestId created. */
  byRequestId(project: string, requestId: string): OperationRecord | undefined {
    return this.#byRequestId.get(`${project}/${requestId}`)
  }

  /** find resolves an operation by name or numeric id (both are valid, gce-api.md §2.2, §9.5). */
  find(project: string, region: string | undefined, nameOrId: string): OperationRecord | undefined {
    return this.#byScope.get(scopeKey(project, region))?.find((o) => o.name === nameOrId || o.id === nameOrId)
  }

  /** list returns a scope's operations, oldest first. */
  list(project: string, region: string | undefined): OperationRecord[] {
    return [...(this.#byScope.get(scopeKey(project, region)) ?? [])]
  }

  /** remove deletes an operation record (globalOperations.delete). */
  remove(rec: OperationRecord): void {
    const key = scopeKey(rec.project, rec.region)
    this.#byScope.set(
      key,
      (this.#byScope.get(key) ?? []).filter((o) => o !== rec)
    )
  }

  /** isDone tells whether the operation has finished on the injected clock. */
  isDone(rec: OperationRecord): boolean {
    return this.entropy.now() >= rec.doneAt
  }

  /** view renders the operation as the API returns it now. */
  view(rec: OperationRecord): Resource {
    if (!this.isDone(rec)) return { ...rec.base, status: 'RUNNING', progress: 0 }
    const done: Resource = { ...rec.base, status: 'DONE', progress: 100, endTime: rfc3339(rec.doneAt) }
    if (rec.failure) {
      done.error = { errors: [{ code: rec.failure.code, message: rec.failure.message }] }
      done.httpErrorStatusCode = rec.failure.httpStatus
      done.httpErrorMessage = rec.failure.httpText
    }
    return done
  }

  /**
   * wait resolves when the operation is DONE or `capMs` of real time has passed (the API's "2 minute
   * deadline", scaled down); it may therefore return a RUNNING operation, like the real `wait` (§2.2).
   */
  async wait(rec: OperationRecord, capMs: number, signal: AbortSignal): Promise<void> {
    const deadline = Date.now() + capMs
    while (!this.isDone(rec) && !signal.aborted && Date.now() < deadline) {
      const step = Math.max(1, Math.min(50, rec.doneAt - this.entropy.now(), deadline - Date.now()))
      await new Promise<void>((resolve) => {
        const t = setTimeout(done, step)
        function done(): void {
          clearTimeout(t)
          signal.removeEventListener('abort', done)
          resolve()
        }
        signal.addEventListener('abort', done, { once: true })
      })
    }
  }

  /** clear forgets every operation and requestId. */
  clear(): void {
    this.#byScope.clear()
    this.#byRequestId.clear()
  }
}

function scopeKey(project: string, region: string | undefined): string {
  return region ? `${project}/regions/${region}` : `${project}/global`
}
