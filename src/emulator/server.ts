// The emulator's HTTP server (DESIGN.md §8): Compute v1 under /compute/v1/, Cloud Run v2 under /v2/, STS
// /v1/token and IAM Credentials generateAccessToken on one port, plus /_emulator/ admin endpoints.
// node:http only. Every request gets a JSON answer in its API's error shape; nothing crashes the server.
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Duplex } from 'node:stream'
import { handleAdmin } from './admin.js'
import { Auth, type Principal } from './auth.js'
import { FailNext, handleCompute, type ComputeDeps } from './compute.js'
import { ApiError, computeErrorBody, forbidden, googleErrorBody, OAuthError, parseError } from './errors.js'
import { faultError, parseFaults, pickFault, type FaultRule } from './faults.js'
import { clone } from './json.js'
import { Operations } from './operations.js'
import { route, type ErrorStyle, type Route } from './router.js'
import { handleRun } from './run.js'
import { exportState, loadState } from './state.js'
import { Store } from './store.js'
import type { EmulatorState, Entropy, RequestLogEntry } from './types.js'

export type { EmulatorState, RequestLogEntry } from './types.js'

/** Options of startEmulator; every field is optional. */
export interface EmulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number
  /** Default 127.0.0.1. */
  host?: string
  /** Seed state (DESIGN.md §8); `reset()` returns to it. */
  state?: EmulatorState
  /** Delay before every API response, in ms. */
  latencyMs?: number
  /** How long operations stay RUNNING, in ms of the injected clock (default 0: DONE at once). */
  operationMs?: number
  /** Fault spec, e.g. `503:0.1,429:0.05` or `compute.urlMaps.update=503:1`. */
  faults?: string
  now?: () => number
  random?: () => number
  /** Longest real time an operations `wait` blocks (the API's 2 minutes, scaled down); default 10 s. */
  waitCapMs?: number
  /**
   * Observer for tests: called synchronously after every mutation that changed the state (a failed
   * operation or a replayed requestId changes nothing and is not reported), with the whole state as
   * `GET /_emulator/state` would return it at that instant, before the response is sent.
   */
  onMutation?: (event: MutationEvent) => void
}

/** What `onMutation` receives: the API method, its target and the state right after the change. */
export interface MutationEvent {
  /** API method, e.g. `compute.urlMaps.update`. */
  readonly method: string
  /** Target resource path, e.g. `projects/edge-prod/global/urlMaps/edge`. */
  readonly resource: string
  /** 1 for the first mutation since start or reset. */
  readonly seq: number
  readonly state: EmulatorState
}

/** A running emulator. */
export interface Emulator {
  readonly url: string
  readonly port: number
  close(): Promise<void>
  exportState(): EmulatorState
  /** Replaces the whole state; throws (leaving the state alone) when the document is invalid. */
  importState(s: EmulatorState): void
  counters(): Record<string, number>
  requests(): RequestLogEntry[]
  setFaults(spec: string): void
  /** Makes the next operation of `method` end DONE with error `code` (default QUOTA_EXCEEDED). */
  failNextOperation(method: string, code?: string): void
  /** Back to the start: seed state and faults; operations, tokens, log and counters forgotten. */
  reset(): void
}

const MAX_BODY = 8 * 1024 * 1024
const MAX_LOG = 100_000

interface Reply {
  status: number
  body: unknown
}

/** startEmulator starts the server and resolves once it accepts connections. */
export async function startEmulator(opts: EmulatorOptions = {}): Promise<Emulator> {
  const entropy: Entropy = { now: opts.now ?? Date.now, random: opts.random ?? Math.random }
  const seed = clone(opts.state ?? { projects: {} })
  const store = new Store()
  store.adopt(loadState(seed, entropy))
  const initialFaults = opts.faults ?? ''
  let faultSpec = initialFaults
  let faults: FaultRule[] = parseFaults(faultSpec)
  const latencyMs = Math.max(0, opts.latencyMs ?? 0)
  const operationMs = Math.max(0, opts.operationMs ?? 0)
  const ops = new Operations(entropy, () => operationMs)
  const auth = new Auth(store, entropy)
  const failNext = new FailNext()
  const log: RequestLogEntry[] = []
  const counts = new Map<string, number>()
  const closing = new AbortController()
  let mutations = 0
  const onMutation = opts.onMutation
  const deps: ComputeDeps = {
    store,
    ops,
    entropy,
    failNext,
    waitCapMs: opts.waitCapMs ?? 10_000,
    closing: closing.signal,
    ...(onMutation
      ? {
          onCommit: (method: string, resource: string) =>
            onMutation({ method, resource, seq: ++mutations, state: exportState(store) })
        }
      : {})
  }

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const time = entropy.now()
    const method = req.method ?? 'GET'
    let url: URL
    try {
      url = new URL(`http://emulator.invalid${(req.url ?? '/').startsWith('/') ? '' : '/'}${req.url ?? ''}`)
    } catch {
      url = new URL('http://emulator.invalid/')
    }
    let raw: string
    try {
      raw = await readBody(req)
    } catch (e) {
      if ((e as Error).message === 'too large')
        send(
          res,
          {
            status: 413,
            body: computeErrorBody(new ApiError(413, 'requestTooLarge', 'Request Entity Too Large'))
          },
          true
        )
      else res.destroy()
      return
    }
    if (url.pathname.startsWith('/_emulator/')) {
      send(res, handleAdmin(admin, method, url.pathname.slice('/_emulator/'.length), raw))
      return
    }
    const r = route(method, url.pathname)
    const principal = auth.identify(req.headers.authorization)
    let reply: Reply
    try {
      reply = await dispatch(r, principal, raw, url, req.headers['content-type'])
    } catch (e) {
      reply = errorReply(r.api === 'none' ? r.style : styleOf(r), e)
    }
    if (latencyMs > 0) await sleep(latencyMs, closing.signal)
    const api = r.api === 'none' ? undefined : r.method
    if (log.length >= MAX_LOG) log.splice(0, log.length - MAX_LOG + 1)
    log.push({
      time,
      method,
      path: url.pathname,
      status: reply.status,
      principal: auth.label(principal),
      ...(api ? { api } : {})
    })
    if (api) counts.set(api, (counts.get(api) ?? 0) + 1)
    send(res, reply)
  }

  const dispatch = async (
    r: Route,
    principal: Principal,
    raw: string,
    url: URL,
    contentType?: string
  ): Promise<Reply> => {
    if (r.api === 'none')
      throw new ApiError(r.status, r.status === 404 ? 'notFound' : 'httpMethodNotAllowed', r.message)
    const fault = pickFault(faults, r.method, r.mutating, entropy.random)
    if (fault !== undefined) throw faultError(fault)
    if (r.api === 'sts') return { status: 200, body: auth.exchange(raw, contentType) }
    if (r.api === 'iam') {
      let body: unknown
      try {
        body = raw.trim() ? JSON.parse(raw) : {}
      } catch {
        throw new ApiError(400, 'INVALID_ARGUMENT', 'Invalid JSON payload received.')
      }
      return { status: 200, body: auth.generateAccessToken(principal, r.serviceAccount, body) }
    }
    // As on Google, every project needs a valid token: none is 401 `required`, an expired one 401 `authError`.
    if (principal.kind === 'anonymous')
      throw new ApiError(
        401,
        'required',
        'Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential.'
      )
    if (principal.kind === 'expired')
      throw new ApiError(
        401,
        'authError',
        'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.'
      )
    if (!auth.mayAccess(principal, r.project)) {
      if (r.api === 'run')
        throw new ApiError(
          403,
          'PERMISSION_DENIED',
          `Permission '${r.permission}' denied on resource '${r.resource}' (or resource may not exist).`
        )
      throw forbidden(r.permission, r.resource)
    }
    if (r.api === 'run') return handleRun(store, r, url.searchParams)
    let body: unknown
    if (raw.trim()) {
      try {
        body = JSON.parse(raw)
      } catch (e) {
        throw parseError((e as Error).message)
      }
    }
    return handleCompute(deps, r, body, url.searchParams, auth.label(principal))
  }

  const admin = {
    exportState: () => exportState(store),
    importState: (s: EmulatorState) => store.adopt(loadState(clone(s), entropy)),
    counters: () => Object.fromEntries([...counts].sort(([a], [b]) => a.localeCompare(b))),
    requests: () => log.map((e) => ({ ...e })),
    setFaults: (spec: string) => {
      faults = parseFaults(spec)
      faultSpec = spec
    },
    faults: () => faultSpec,
    failNextOperation: (method: string, code = 'QUOTA_EXCEEDED') => {
      if (!/^[A-Z][A-Z0-9_]*$/.test(code))
        throw new Error(`invalid operation error code '${code}': use UPPER_SNAKE, e.g. QUOTA_EXCEEDED`)
      failNext.add(method, code)
    },
    reset: () => {
      store.adopt(loadState(clone(seed), entropy))
      ops.clear()
      auth.clear()
      failNext.clear()
      log.length = 0
      counts.clear()
      mutations = 0
      faults = parseFaults(initialFaults)
      faultSpec = initialFaults
    }
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch(() =>
      send(res, { status: 500, body: computeErrorBody(new ApiError(500, 'backendError', 'Internal error.')) })
    )
  })
  // Requests node cannot even parse (bad method, bad header) still get a Compute-shaped 400.
  server.on('clientError', (_err: Error, socket: Duplex) => {
    if (!socket.writable) return socket.destroy()
    const body = JSON.stringify(computeErrorBody(new ApiError(400, 'badRequest', 'Malformed HTTP request.')))
    socket.end(
      `HTTP/1.1 400 Bad Request\r\nContent-Type: application/json; charset=UTF-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`
    )
  })
  const host = opts.host ?? '127.0.0.1'
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const port = (server.address() as AddressInfo).port
  let closed: Promise<void> | undefined
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    close() {
      closed ??= new Promise<void>((resolve) => {
        closing.abort()
        server.close(() => resolve())
        server.closeAllConnections()
      })
      return closed
    },
    exportState: admin.exportState,
    importState: admin.importState,
    counters: admin.counters,
    requests: admin.requests,
    setFaults: admin.setFaults,
    failNextOperation: admin.failNextOperation,
    reset: admin.reset
  }
}

function styleOf(r: Route): ErrorStyle {
  if (r.api === 'none') return r.style
  return r.api === 'sts' ? 'oauth' : r.api === 'run' || r.api === 'iam' ? 'google' : 'compute'
}

function errorReply(style: ErrorStyle, e: unknown): Reply {
  if (e instanceof OAuthError)
    return { status: e.status, body: { error: e.error, error_description: e.description } }
  const err =
    e instanceof ApiError ? e : new ApiError(500, 'backendError', 'Internal error. Please try again.')
  if (style === 'oauth')
    return {
      status: err.status,
      body: {
        error: err.status >= 500 || err.status === 429 ? 'temporarily_unavailable' : 'invalid_request',
        error_description: err.message
      }
    }
  if (style === 'google') return { status: err.status, body: googleErrorBody(err.status, err.message) }
  return { status: err.status, body: computeErrorBody(err) }
}

function send(res: http.ServerResponse, reply: Reply, close = false): void {
  if (res.headersSent || res.destroyed) return
  const text = JSON.stringify(reply.body)
  res.writeHead(reply.status, {
    'content-type': 'application/json; charset=UTF-8',
    'content-length': Buffer.byteLength(text),
    ...(close ? { connection: 'close' } : {})
  })
  res.end(text)
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (c: Buffer) => {
      size += c.length
      if (size > MAX_BODY) {
        req.removeAllListeners('data')
        req.resume()
        reject(new Error('too large'))
      } else chunks.push(c)
    })
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
    req.on('aborted', () => reject(new Error('aborted')))
  })
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve()
    const t = setTimeout(done, ms)
    function done(): void {
      clearTimeout(t)
      signal.removeEventListener('abort', done)
      resolve()
    }
    signal.addEventListener('abort', done, { once: true })
  })
}
