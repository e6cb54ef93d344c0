// Robustness: 10,000 generated malformed requests (seeded PRNG) over raw HTTP; the server answers each
// with JSON, never a 5xx, and keeps serving.
import { afterAll, beforeAll, expect, test } from '@jest/globals'
import http from 'node:http'
import net from 'node:net'
import type { Emulator } from '../../src/emulator/server.js'
import { C, Caller, prng, seedLb, start } from './helpers.js'

let emu: Emulator
let c: Caller
beforeAll(async () => {
  ;({ emu, c } = await start())
  await seedLb(c)
})
afterAll(() => emu.close())

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD', 'PROPFIND', 'FOO', 'TRACE']
const SEGMENTS = [
  'compute',
  'v1',
  'v2',
  'projects',
  'p',
  'global',
  'regions',
  'europe-west1',
  'urlMaps',
  'backendServices',
  'networkEndpointGroups',
  'operations',
  'wait',
  'validate',
  'um',
  'bs1',
  'neg1',
  'attachNetworkEndpoints',
  'listNetworkEndpoints',
  'targetHttpProxies',
  'setUrlMap',
  'forwardingRules',
  'addresses',
  'sslCertificates',
  'locations',
  'services',
  'x:getIamPolicy',
  'token',
  '-',
  'serviceAccounts',
  'a@b.iam.gserviceaccount.com:generateAccessToken',
  '_emulator',
  'state',
  'faults',
  '%',
  '%E0%A4%A',
  '..',
  '',
  '%2F',
  '%C3%BCn%C3%AFcode',
  '*',
  '?',
  '#'
]

function generate(rand: () => number): {
  method: string
  path: string
  body?: string | Buffer
  headers: Record<string, string>
} {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!
  const n = Math.floor(rand() * 9)
  let path = rand() < 0.7 ? '/compute/v1/projects/p' : ''
  for (let i = 0; i < n; i++) path += '/' + pick(SEGMENTS)
  if (!path) path = '/'
  if (rand() < 0.3)
    path += `?${pick(['maxResults=', 'maxResults=9999', 'pageToken=%%%', 'filter=name%20eq%20(', 'filter=(((', 'requestId=x', '$alt=json;enum-encoding=int', ''])}`
  const bodies: (() => string | Buffer | undefined)[] = [
    () => undefined,
    () => '""',
    () => '{',
    () => 'null',
    () => '[1,2,3]',
    () => '{"name":"Bad Name","defaultService":123}',
    () =>
      JSON.stringify({
        name: 'x' + Math.floor(rand() * 5),
        networkEndpointType: pick(['INTERNET_FQDN_PORT', 'SERVERLESS', 7]),
        backends: pick([null, [{}], 'x', [{ group: 5 }]]),
        hostRules: pick([[{}], 'x', [{ hosts: 'x', pathMatcher: 1 }]]),
        pathMatchers: pick([[{ name: 5 }], {}, [null]]),
        tests: pick([[{}], [null], 'x'])
      }),
    () =>
      JSON.stringify({
        resource: pick([null, 1, {}, { name: 'v', pathMatchers: [{}] }]),
        networkEndpoints: pick([[{}], [{ fqdn: 1 }], 'x', [null]]),
        urlMap: pick([1, '', 'global/urlMaps/um', {}]),
        fingerprint: pick([1, '', null, {}])
      }),
    () => Buffer.from(Array.from({ length: Math.floor(rand() * 64) }, () => Math.floor(rand() * 256))),
    () => 'grant_type=x&audience=' + '%'.repeat(Math.floor(rand() * 3)),
    () => '{"a":' + '['.repeat(Math.floor(rand() * 200)) // deep nesting
  ]
  const headers: Record<string, string> = {}
  if (rand() < 0.6)
    headers['content-type'] = pick([
      'application/json',
      'application/x-www-form-urlencoded',
      'text/plain',
      'multipart/form-data; boundary=x'
    ])
  if (rand() < 0.5)
    headers['authorization'] = pick([
      'Bearer ',
      'Bearer x',
      'Basic abc',
      'Bearer ya29.emulator.nope',
      'bearer  two words'
    ])
  if (rand() < 0.3) headers['x-goog-api-client'] = 'gax/6.17.0 gapic/7.8.0'
  return { method: pick(METHODS), path, body: pick(bodies)(), headers }
}

function send(
  agent: http.Agent,
  port: number,
  req: ReturnType<typeof generate>
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const r = http.request(
      { host: '127.0.0.1', port, method: req.method, path: req.path, headers: req.headers, agent },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (d: Buffer) => chunks.push(d))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }))
      }
    )
    r.on('error', reject)
    if (req.body !== undefined && req.method !== 'GET' && req.method !== 'HEAD') r.end(req.body)
    else r.end()
  })
}

test('10,000 malformed requests: JSON answers, no 5xx, still serving', async () => {
  const rand = prng(20261126)
  const agent = new http.Agent({ keepAlive: true, maxSockets: 32 })
  const statuses = new Map<number, number>()
  let clientErrors = 0
  const errorKinds = new Set<string>()
  const total = 10_000
  const batch = 64
  for (let done = 0; done < total; done += batch) {
    const reqs = Array.from({ length: Math.min(batch, total - done) }, () => generate(rand))
    const results = await Promise.all(
      reqs.map((q) =>
        send(agent, emu.port, q).then(
          (r) => {
            if (q.method !== 'HEAD') expect(() => JSON.parse(r.text)).not.toThrow()
            if (r.status >= 500)
              throw new Error(`${q.method} ${q.path} ${String(q.body)} → ${r.status} ${r.text}`)
            return r.status
          },
          (e: Error) => {
            errorKinds.add(`${e.message}: ${q.method} ${q.path}`)
            clientErrors++
            return 0
          }
        )
      )
    )
    for (const s of results) statuses.set(s, (statuses.get(s) ?? 0) + 1)
  }
  agent.destroy()
  // Raw garbage on the socket gets a 400 too.
  const garbage = await new Promise<string>((resolve) => {
    const s = net.connect(emu.port, '127.0.0.1', () => s.write('\x00\x01 NOT HTTP \r\n\r\n'))
    let data = ''
    s.on('data', (d) => (data += d.toString()))
    s.on('close', () => resolve(data))
    s.on('error', () => resolve(data))
  })
  expect(garbage).toMatch(/^HTTP\/1\.1 400/)
  expect([...errorKinds]).toEqual([])
  expect(clientErrors).toBe(0)
  expect([...statuses.keys()].every((s) => s === 0 || (s >= 200 && s < 500))).toBe(true)
  const final = await c.get(`${C}/p/global/urlMaps/um`)
  expect(final.status).toBe(200)
  // A limit against a hang, not a speed check: ~5 s alone, far more on a shared, busy machine.
}, 120_000)
