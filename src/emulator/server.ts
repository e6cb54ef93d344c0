// The emulator's HTTP server (DESIGN.md §8): Compute v1 under /compute/v1/, Cloud Run v2 under /v2/, STS
// /v1/token and IAM Credentials generateAccessToken on one port, plus /_emulator/ admin endpoints.
// node:http only. Every request gets a JSON answer in its API's error shape; nothing crashes the server.
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Duplex } from 'node:stream'
import { handleAdmin } from './admin.js'
import { ApiError, computeErrorBody } from './errors.js'
import { Runtime, type Reply } from './runtime.js'
import type { EmulatorState, Entropy, RequestLogEntry } from './types.js'
import { errorMessage } from '../core/error-message.js'

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
  /**
   * Keep each request's query string and body and the reply in the request log (for wire-conformance
   * tests); off by default, since bodies can be large. Token values are redacted.
   */
  recordBodies?: boolean
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

/** startEmulator starts the server and resolves once it accepts connections. */
export async function startEmulator(opts: EmulatorOptions = {}): Promise<Emulator> {
  const entropy: Entropy = { now: opts.now ?? Date.now, random: opts.random ?? Math.random }
  let mutations = 0
  const onMutation = opts.onMutation
  const rt = new Runtime({
    entropy,
    ...(opts.state ? { state: opts.state } : {}),
    ...(opts.faults !== undefined ? { faults: opts.faults } : {}),
    ...(opts.operationMs !== undefined ? { operationMs: opts.operationMs } : {}),
    ...(opts.waitCapMs !== undefined ? { waitCapMs: opts.waitCapMs } : {}),
    ...(opts.recordBodies ? { recordBodies: true } : {}),
    ...(onMutation
      ? {
          onCommit: (method, resource, state) =>
            onMutation({ method, resource, seq: ++mutations, state: state() })
        }
      : {})
  })
  const latencyMs = Math.max(0, opts.latencyMs ?? 0)
  const server = http.createServer((req, res) => {
    handle(rt, latencyMs, req, res).catch(() =>
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
  await listen(server, opts.port ?? 0, host)
  const port = (server.address() as AddressInfo).port
  let closed: Promise<void> | undefined
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    close() {
      closed ??= new Promise<void>((resolve) => {
        rt.closing.abort()
        server.close(() => resolve())
        server.closeAllConnections()
      })
      return closed
    },
    exportState: () => rt.exportState(),
    importState: (s) => rt.importState(s),
    counters: () => rt.counters(),
    requests: () => rt.requests(),
    setFaults: (spec) => rt.setFaults(spec),
    failNextOperation: (method, code) => rt.failNextOperation(method, code),
    reset: () => {
      rt.reset()
      mutations = 0
    }
  }
}

async function handle(
  rt: Runtime,
  latencyMs: number,
  req: http.IncomingMessage,
  res: http.ServerResponse
): Promise<void> {
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
    if (errorMessage(e) !== 'too large') return void res.destroy()
    const tooLarge = new ApiError(413, 'requestTooLarge', 'Request Entity Too Large')
    return send(res, { status: 413, body: computeErrorBody(tooLarge) }, true)
  }
  if (url.pathname.startsWith('/_emulator/'))
    return send(res, handleAdmin(rt, req.method ?? 'GET', url.pathname.slice('/_emulator/'.length), raw))
  const reply = await rt.answer(req, url, raw)
  if (latencyMs > 0) await sleep(latencyMs, rt.closing.signal)
  send(res, reply)
}

function listen(server: http.Server, port: number, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      server.off('error', reject)
      resolve()
    })
  })
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
