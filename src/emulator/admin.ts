// Admin endpoints under /_emulator/ (DESIGN.md §8): state export/import, request log, counters, faults,
// fail-next and reset. They are neither logged, counted, delayed nor subject to faults.
import { isObject } from './json.js'
import type { RequestLogEntry, EmulatorState } from './types.js'
import { errorMessage } from '../core/error-message.js'

/** What the admin endpoints operate on (a subset of the Emulator handle). */
export interface AdminTarget {
  exportState(): EmulatorState
  importState(s: EmulatorState): void
  counters(): Record<string, number>
  requests(): RequestLogEntry[]
  setFaults(spec: string): void
  faults(): string
  failNextOperation(method: string, code?: string): void
  reset(): void
}

/** A JSON reply. */
export interface AdminReply {
  readonly status: number
  readonly body: unknown
}

const fail = (status: number, message: string): AdminReply => ({
  status,
  body: {
    error: {
      code: status,
      message,
      status: status === 400 ? 'INVALID_ARGUMENT' : status === 404 ? 'NOT_FOUND' : 'UNIMPLEMENTED'
    }
  }
})

const ROUTES: Record<string, Record<string, (t: AdminTarget, body: unknown) => AdminReply>> = {
  state: {
    GET: (t) => ({ status: 200, body: t.exportState() }),
    PUT: (t, body) => {
      t.importState(body as EmulatorState)
      return { status: 200, body: {} }
    }
  },
  requests: { GET: (t) => ({ status: 200, body: t.requests() }) },
  counters: { GET: (t) => ({ status: 200, body: t.counters() }) },
  faults: {
    GET: (t) => ({ status: 200, body: { faults: t.faults() } }),
    PUT: (t, body) => {
      if (!isObject(body) || typeof body.faults !== 'string')
        return fail(400, 'Body must be {"faults": "STATUS:RATE,..."}.')
      t.setFaults(body.faults)
      return { status: 200, body: { faults: t.faults() } }
    }
  },
  'fail-next': {
    POST: (t, body) => {
      if (
        !isObject(body) ||
        typeof body.method !== 'string' ||
        (body.code !== undefined && typeof body.code !== 'string')
      )
        return fail(
          400,
          'Body must be {"method": "compute.backendServices.insert", "code": "QUOTA_EXCEEDED"}.'
        )
      t.failNextOperation(body.method, body.code)
      return { status: 200, body: {} }
    }
  },
  reset: {
    POST: (t) => {
      t.reset()
      return { status: 200, body: {} }
    }
  }
}

/** handleAdmin answers `/_emulator/<name>`; bad input is a 400 with the reason, never a crash. */
export function handleAdmin(t: AdminTarget, method: string, name: string, raw: string): AdminReply {
  const handlers = ROUTES[name]
  if (!handlers || !Object.hasOwn(ROUTES, name))
    return fail(404, `Unknown admin endpoint /_emulator/${name}.`)
  const handler = handlers[method]
  if (!handler || !Object.hasOwn(handlers, method))
    return fail(405, `Method ${method} is not allowed for /_emulator/${name}.`)
  let body: unknown
  if (raw.trim()) {
    try {
      body = JSON.parse(raw)
    } catch {
      return fail(400, 'Invalid JSON payload received.')
    }
  }
  try {
    return handler(t, body)
  } catch (e) {
    return fail(400, errorMessage(e))
  }
}
