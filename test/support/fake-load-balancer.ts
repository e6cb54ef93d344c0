// A stand-in for the Google load balancer's data plane, for verify tests: node:http on 127.0.0.1 that
// routes each request with the LIVE URL map read from the emulator's Compute API, evaluated locally
// (src/core/google-semantics/evaluate.ts) for the request's Host and path. It answers 200 naming the backend, the
// redirect's 3xx with Location, or 404 when nothing matches. Like Google's front ends it only "sees" a new
// map version `propagationMs` after it first notices the fingerprint change, serving the previous one
// meanwhile; and a backend can be told to answer a given status (a service that wants auth, or is down).
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import type { UrlMap } from '../../src/core/compute.js'
import { evaluateUrlMap } from '../../src/core/google-semantics/evaluate.js'

export interface FakeLoadBalancerOptions {
  /** Emulator base URL (http://127.0.0.1:PORT). */
  readonly emulatorUrl: string
  readonly project: string
  readonly urlMap: string
  /** How long a new URL map version takes to be served (ms, default 0). */
  readonly propagationMs?: number
  readonly scheme?: 'EXTERNAL' | 'EXTERNAL_MANAGED'
}

/** One request the fake load balancer answered. */
export interface FakeLbRequest {
  readonly host: string
  readonly path: string
  readonly status: number
  readonly backend?: string
  readonly fingerprint?: string
}

export interface FakeLoadBalancer {
  /** Base URL to probe (http://127.0.0.1:PORT). */
  readonly url: string
  readonly requests: FakeLbRequest[]
  /** Backend service `name` answers `status` from now on (undefined: back to 200). */
  answer(backend: string, status: number | undefined): void
  close(): Promise<void>
}

interface Version {
  readonly map: UrlMap | undefined
  readonly fingerprint: string | undefined
}

/** startFakeLoadBalancer reads the current map once (served at once), then follows changes with the delay. */
export async function startFakeLoadBalancer(opts: FakeLoadBalancerOptions): Promise<FakeLoadBalancer> {
  const read = async (retry = true): Promise<Version> => {
    // A loaded test machine may drop a kept-alive connection to the emulator; one retry hides that.
    const r = await fetch(
      `${opts.emulatorUrl}/compute/v1/projects/${opts.project}/global/urlMaps/${opts.urlMap}`,
      { headers: { authorization: 'Bearer fake-load-balancer' } }
    ).catch((err: Error) => {
      if (retry) return undefined
      throw err
    })
    if (!r) return read(false)
    if (r.status === 404) return { map: undefined, fingerprint: undefined }
    if (!r.ok) throw new Error(`fake load balancer: reading the URL map: HTTP ${r.status}`)
    const map = (await r.json()) as UrlMap
    return { map, fingerprint: map.fingerprint ?? undefined }
  }
  let served = await read()
  let pending: { version: Version; since: number } | undefined
  const statuses = new Map<string, number>()
  const requests: FakeLbRequest[] = []

  const current = async (): Promise<Version> => {
    const live = await read()
    if (live.fingerprint === served.fingerprint) pending = undefined
    else if (pending?.version.fingerprint !== live.fingerprint) pending = { version: live, since: Date.now() }
    if (pending && Date.now() - pending.since >= (opts.propagationMs ?? 0)) {
      served = pending.version
      pending = undefined
    }
    return served
  }

  const server = http.createServer((req, res) => {
    void (async () => {
      const host = req.headers.host ?? ''
      const path = req.url ?? '/'
      const version = await current()
      const r = version.map
        ? evaluateUrlMap(version.map, { host, path }, { scheme: opts.scheme ?? 'EXTERNAL_MANAGED' })
        : undefined
      const log = (status: number, backend?: string) =>
        requests.push({
          host,
          path,
          status,
          ...(backend ? { backend } : {}),
          ...(version.fingerprint ? { fingerprint: version.fingerprint } : {})
        })
      if (r?.kind === 'service') {
        const backend = r.service.replace(/^.*\//, '')
        const status = statuses.get(backend) ?? 200
        log(status, backend)
        res.writeHead(status, { 'content-type': 'text/plain', 'x-backend': backend })
        res.end(`backend ${backend} got ${r.host ?? host}${r.path}\n`)
      } else if (r?.kind === 'redirect' && r.location) {
        const l = r.location
        log(l.status)
        res.writeHead(l.status, { location: `${l.https ? 'https' : 'http'}://${l.host}${l.path}` })
        res.end()
      } else {
        log(404)
        res.writeHead(404, { 'content-type': 'text/plain' })
        res.end('fake load balancer: no route\n')
      }
    })().catch((err: Error) => {
      res.writeHead(502)
      res.end(err.message)
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    answer(backend, status) {
      if (status === undefined) statuses.delete(backend)
      else statuses.set(backend, status)
    },
    async close() {
      server.closeAllConnections()
      await new Promise<void>((r) => server.close(() => r()))
    }
  }
}
