// A scripted HTTP server for client tests: answers from a queue of canned responses (or a handler when
// the queue is empty) and records every request. Binds 127.0.0.1 on a free port.
import { createServer } from 'node:http'
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/** A request as the server saw it. */
export interface LoggedRequest {
  readonly method: string
  /** Path without query. */
  readonly path: string
  readonly query: Record<string, string>
  readonly headers: Record<string, string | string[] | undefined>
  /** Raw body ('' when none). */
  readonly body: string
}

/** A canned answer; `reset: true` destroys the socket instead (the client sees ECONNRESET / fetch failed). */
export interface Scripted {
  readonly status?: number
  readonly body?: unknown
  readonly headers?: Record<string, string>
  readonly reset?: boolean
}

type Handler = (req: LoggedRequest) => Scripted

/** ScriptedServer exposes its base URL, the request log and the response queue. */
export interface ScriptedServer {
  readonly url: string
  readonly requests: LoggedRequest[]
  /** Queue responses, answered in order. */
  enqueue(...responses: Scripted[]): void
  /** Answer with `handler` whenever the queue is empty (default: 599 "nothing scripted"). */
  fallback(handler: Handler): void
  close(): Promise<void>
}

/** startScriptedServer listens on 127.0.0.1:0. */
export async function startScriptedServer(): Promise<ScriptedServer> {
  const queue: Scripted[] = []
  const requests: LoggedRequest[] = []
  let handler: Handler = (req) => ({
    status: 599,
    body: { error: `nothing scripted for ${req.method} ${req.path}` }
  })

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const u = new URL(req.url ?? '/', 'http://127.0.0.1')
      const logged: LoggedRequest = {
        method: req.method ?? '',
        path: u.pathname,
        query: Object.fromEntries(u.searchParams),
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8')
      }
      requests.push(logged)
      const answer = queue.shift() ?? handler(logged)
      if (answer.reset) {
        req.socket.destroy()
        return
      }
      const text =
        answer.body === undefined
          ? ''
          : typeof answer.body === 'string'
            ? answer.body
            : JSON.stringify(answer.body)
      res.writeHead(answer.status ?? 200, { 'content-type': 'application/json', ...answer.headers })
      res.end(text)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    enqueue: (...r) => void queue.push(...r),
    fallback: (h) => void (handler = h),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}

/** freePort returns a port nothing listens on (bound then released), for connection-refused tests. */
export async function freePort(): Promise<number> {
  const s = createServer()
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve))
  const { port } = s.address() as AddressInfo
  await new Promise<void>((resolve) => s.close(() => resolve()))
  return port
}

/** fakeJwt builds an unsigned JWT whose payload carries `exp` (seconds) and a marker. */
export function fakeJwt(exp: number, marker = 'x'): string {
  const b64 = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url')
  return `${b64({ alg: 'none' })}.${b64({ exp, sub: marker })}.sig`
}
