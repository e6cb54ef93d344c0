// Shared test helpers: a seeded PRNG, a manual clock, and a raw-HTTP caller for the emulator.
import { startEmulator, type Emulator, type EmulatorOptions } from '../../src/emulator/server.js'

/** mulberry32: a small seeded PRNG so runs are reproducible. */
export function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** A manual clock starting at a fixed instant. */
export function manualClock(start = Date.UTC(2026, 0, 15, 12, 0, 0)): {
  now: () => number
  advance: (ms: number) => void
} {
  let t = start
  return { now: () => t, advance: (ms) => void (t += ms) }
}

export interface Res {
  status: number
  body: any
}

/** Caller sends raw HTTP requests to one emulator. */
export class Caller {
  constructor(readonly emu: Emulator) {}

  async call(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {}
  ): Promise<Res> {
    // Every Google API needs a token (401 without): a static one unless the test sends its own
    // Authorization ('' sends none).
    const auth = headers.authorization ?? 'Bearer emulator-test'
    const { authorization: _a, ...rest } = headers
    const r = await fetch(this.emu.url + path, {
      method,
      headers: { 'content-type': 'application/json', ...(auth ? { authorization: auth } : {}), ...rest },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) })
    })
    const text = await r.text()
    return { status: r.status, body: text ? JSON.parse(text) : undefined }
  }

  get = (path: string, headers?: Record<string, string>): Promise<Res> =>
    this.call('GET', path, undefined, headers)
  post = (path: string, body?: unknown, headers?: Record<string, string>): Promise<Res> =>
    this.call('POST', path, body, headers)
  put = (path: string, body?: unknown): Promise<Res> => this.call('PUT', path, body)
  patch = (path: string, body?: unknown): Promise<Res> => this.call('PATCH', path, body)
  del = (path: string): Promise<Res> => this.call('DELETE', path)
}

/** start starts an emulator with a deterministic PRNG and a Caller for it. */
export async function start(opts: EmulatorOptions = {}): Promise<{ emu: Emulator; c: Caller }> {
  const emu = await startEmulator({ random: prng(42), ...opts })
  return { emu, c: new Caller(emu) }
}

/** reason returns the first Compute `errors[].reason` of an error body. */
export const reason = (r: Res): string | undefined => r.body?.error?.errors?.[0]?.reason

export const C = '/compute/v1/projects'
export const BASE = 'https://www.googleapis.com/compute/v1/'

/** seedLb inserts an internet NEG (with endpoint), a backend service and a URL map in `project`. */
export async function seedLb(c: Caller, project = 'p', scheme = 'EXTERNAL_MANAGED'): Promise<void> {
  const ok = (r: Res): void => {
    if (r.status !== 200) throw new Error(JSON.stringify(r.body))
  }
  ok(
    await c.post(`${C}/${project}/global/networkEndpointGroups`, {
      name: 'neg1',
      networkEndpointType: 'INTERNET_FQDN_PORT',
      defaultPort: 443
    })
  )
  ok(
    await c.post(`${C}/${project}/global/networkEndpointGroups/neg1/attachNetworkEndpoints`, {
      networkEndpoints: [{ fqdn: 'hello-abc-ew.a.run.app' }]
    })
  )
  ok(
    await c.post(`${C}/${project}/global/backendServices`, {
      name: 'bs1',
      protocol: 'HTTPS',
      loadBalancingScheme: scheme,
      backends: [{ group: `projects/${project}/global/networkEndpointGroups/neg1` }],
      customRequestHeaders: ['Host: hello-abc-ew.a.run.app']
    })
  )
  ok(
    await c.post(`${C}/${project}/global/urlMaps`, {
      name: 'um',
      defaultService: 'global/backendServices/bs1'
    })
  )
}
