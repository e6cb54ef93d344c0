import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals'
import type { Operation } from '../../src/core/compute.js'
import { ComputeClient } from '../../src/shell/google/compute-client.js'
import type { CredentialSource } from '../../src/shell/google/credentials.js'
import { staticTokenCredentials } from '../../src/shell/google/credentials.js'
import {
  GoogleApiError,
  isNotFound,
  isRateLimited,
  OperationError,
  OperationTimeoutError
} from '../../src/shell/google/errors.js'
import { NullLogger } from '../../src/shell/logger.js'
import type { Logger } from '../../src/shell/logger.js'
import { freePort, startScriptedServer } from './scripted-server.js'
import type { ScriptedServer } from './scripted-server.js'

let server: ScriptedServer
beforeAll(async () => {
  server = await startScriptedServer()
})
afterAll(async () => {
  await server.close()
})
beforeEach(() => {
  server.requests.length = 0
})

// Credentials that sign each project with its own token, to show headers are chosen per call's project.
const perProject: CredentialSource = {
  headersFor: async (project) => ({ authorization: `Bearer token-for-${project}` }),
  describe: (project) => `service account sa@${project}.iam.gserviceaccount.com`,
  accessAdvice: (project, role) =>
    `sa@${project} has no access to project ${project}; grant ${role} on ${project}`
}

interface Harness {
  readonly compute: ComputeClient
  readonly delays: number[]
  readonly logs: string[]
}

function harness(
  over: { credentials?: CredentialSource; attempts?: number; now?: () => number } = {}
): Harness {
  const delays: number[] = []
  const logs: string[] = []
  const logger: Logger = {
    debug: (m) => logs.push(`debug ${m}`),
    info: (m) => logs.push(`info ${m}`),
    warn: (m) => logs.push(`warn ${m}`)
  }
  let n = 0
  const compute = new ComputeClient({
    endpoint: `${server.url}compute/v1`, // no trailing slash on purpose
    credentials: over.credentials ?? perProject,
    logger,
    retry: {
      attempts: over.attempts ?? 6,
      sleep: async (ms) => void delays.push(ms),
      random: () => 0.5
    },
    randomUUID: () => `00000000-0000-4000-8000-00000000000${++n}`,
    ...(over.now ? { now: over.now } : {})
  })
  return { compute, delays, logs }
}

const op = (status: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  kind: 'compute#operation',
  name: 'operation-1',
  status,
  targetLink: 'https://www.googleapis.com/compute/v1/projects/edge/global/urlMaps/edge',
  selfLink: 'https://www.googleapis.com/compute/v1/projects/edge/global/operations/operation-1',
  ...extra
})

const computeError = (code: number, reason: string, message: string): Record<string, unknown> => ({
  error: { code, message, errors: [{ message, domain: 'global', reason }] }
})

describe('ComputeClient request shapes', () => {
  test('GET: path, Authorization for the call project, user agent, no requestId, debug log', async () => {
    const { compute, logs } = harness()
    server.enqueue({ body: { name: 'edge', fingerprint: 'fp=' } })
    const um = await compute.getUrlMap('edge-prod', 'edge')
    expect(um).toEqual({ name: 'edge', fingerprint: 'fp=' })
    const [req] = server.requests
    expect(req!.method).toBe('GET')
    expect(req!.path).toBe('/compute/v1/projects/edge-prod/global/urlMaps/edge')
    expect(req!.query).toEqual({})
    expect(req!.headers.authorization).toBe('Bearer token-for-edge-prod')
    expect(req!.headers['user-agent']).toMatch(/^lb-routes\/\d+\.\d+\.\d+/)
    expect(req!.body).toBe('')
    expect(logs).toEqual([
      expect.stringMatching(
        /^debug compute\.urlMaps\.get GET http:\/\/127\.0\.0\.1:\d+\/compute\/v1\/projects\/edge-prod\/global\/urlMaps\/edge -> 200 \(\d+ ms\)$/
      )
    ])
  })

  test('mutations send ?requestId, JSON body, and the right verb', async () => {
    const { compute } = harness()
    const body = { name: 'edge', fingerprint: 'fp=', defaultService: 'global/backendServices/a' }
    server.enqueue({ body: op('RUNNING') }, { body: op('DONE') }, { body: op('DONE') }, { body: op('DONE') })
    await compute.updateUrlMap('edge-prod', 'edge', body)
    await compute.patchUrlMap('edge-prod', 'edge', { defaultService: 'b', fingerprint: 'fp=' })
    await compute.deleteBackendService('team-a', 'bs1')
    await compute.insertRegionNetworkEndpointGroup('team-a', 'europe-west1', {
      name: 'neg',
      networkEndpointType: 'SERVERLESS'
    })
    const [put, patch, del, ins] = server.requests
    expect(put!.method).toBe('PUT')
    expect(put!.path).toBe('/compute/v1/projects/edge-prod/global/urlMaps/edge')
    expect(put!.query.requestId).toMatch(/^[0-9a-f-]{36}$/)
    expect(put!.headers['content-type']).toBe('application/json')
    expect(JSON.parse(put!.body)).toEqual(body)
    expect(patch!.method).toBe('PATCH')
    expect(del!.method).toBe('DELETE')
    expect(del!.path).toBe('/compute/v1/projects/team-a/global/backendServices/bs1')
    expect(del!.headers.authorization).toBe('Bearer token-for-team-a')
    expect(del!.body).toBe('')
    expect(ins!.path).toBe('/compute/v1/projects/team-a/regions/europe-west1/networkEndpointGroups')
    // one requestId per logical call
    expect(new Set([put, patch, del, ins].map((r) => r!.query.requestId)).size).toBe(4)
  })

  test('NEG endpoints: attach/detach bodies, listNetworkEndpoints is a POST without body', async () => {
    const { compute } = harness()
    server.enqueue(
      { body: op('DONE') },
      { body: op('DONE') },
      { body: { items: [{ networkEndpoint: { fqdn: 'a.run.app', port: 443 } }] } }
    )
    const ep = [{ fqdn: 'hello-abc-ew.a.run.app', port: 443 }]
    await compute.attachNetworkEndpoints('edge', 'neg1', ep)
    await compute.detachNetworkEndpoints('edge', 'neg1', ep)
    const items = await compute.listNetworkEndpoints('edge', 'neg1')
    const [att, det, list] = server.requests
    expect(att!.path).toBe(
      '/compute/v1/projects/edge/global/networkEndpointGroups/neg1/attachNetworkEndpoints'
    )
    expect(JSON.parse(att!.body)).toEqual({ networkEndpoints: ep })
    expect(det!.path).toMatch(/\/detachNetworkEndpoints$/)
    expect(list!.method).toBe('POST')
    expect(list!.path).toBe(
      '/compute/v1/projects/edge/global/networkEndpointGroups/neg1/listNetworkEndpoints'
    )
    expect(list!.body).toBe('')
    expect(list!.query.requestId).toBeUndefined()
    expect(items).toEqual([{ networkEndpoint: { fqdn: 'a.run.app', port: 443 } }])
  })

  test('setSecurityPolicy attaches a URL and detaches with {}', async () => {
    const { compute } = harness()
    server.enqueue({ body: op('DONE') }, { body: op('DONE') })
    await compute.setSecurityPolicy('edge', 'bs', 'global/securityPolicies/sp')
    await compute.setSecurityPolicy('edge', 'bs', null)
    expect(server.requests.map((r) => [r.path, JSON.parse(r.body)])).toEqual([
      [
        '/compute/v1/projects/edge/global/backendServices/bs/setSecurityPolicy',
        { securityPolicy: 'global/securityPolicies/sp' }
      ],
      ['/compute/v1/projects/edge/global/backendServices/bs/setSecurityPolicy', {}]
    ])
    expect(server.requests.every((r) => r.query.requestId)).toBe(true)
  })

  test('validateUrlMap posts {resource, loadBalancingSchemes} and returns result; no requestId', async () => {
    const { compute } = harness()
    const result = { loadSucceeded: true, testPassed: false, testFailures: [{ host: 'h', path: '/p' }] }
    server.enqueue({ body: { result } })
    const um = { name: 'edge', defaultService: 'x' }
    expect(await compute.validateUrlMap('edge', 'edge', um, ['EXTERNAL_MANAGED'])).toEqual(result)
    const [req] = server.requests
    expect(req!.path).toBe('/compute/v1/projects/edge/global/urlMaps/edge/validate')
    expect(JSON.parse(req!.body)).toEqual({ resource: um, loadBalancingSchemes: ['EXTERNAL_MANAGED'] })
    expect(req!.query.requestId).toBeUndefined()
  })

  test('names are path-encoded; forwarding rule and address gets', async () => {
    const { compute } = harness()
    server.enqueue({ body: { IPAddress: '1.2.3.4' } }, { body: { address: '5.6.7.8' } })
    expect(await compute.getGlobalForwardingRule('p', 'fr')).toEqual({ IPAddress: '1.2.3.4' })
    expect(await compute.getGlobalAddress('p', 'a b')).toEqual({ address: '5.6.7.8' })
    expect(server.requests.map((r) => r.path)).toEqual([
      '/compute/v1/projects/p/global/forwardingRules/fr',
      '/compute/v1/projects/p/global/addresses/a%20b'
    ])
  })
})

describe('ComputeClient pagination', () => {
  test('follows nextPageToken with filter and maxResults=500, concatenating items', async () => {
    const { compute } = harness()
    server.enqueue(
      { body: { items: [{ name: 'a' }, { name: 'b' }], nextPageToken: 't2' } },
      { body: { nextPageToken: 't3' } }, // a page without items
      { body: { items: [{ name: 'c' }] } }
    )
    const all = await compute.listBackendServices('edge', { filter: 'name = "a*"' })
    expect(all.map((b) => b.name)).toEqual(['a', 'b', 'c'])
    expect(server.requests.map((r) => r.query)).toEqual([
      { filter: 'name = "a*"', maxResults: '500' },
      { filter: 'name = "a*"', maxResults: '500', pageToken: 't2' },
      { filter: 'name = "a*"', maxResults: '500', pageToken: 't3' }
    ])
  })

  test('empty list (no items key) is []', async () => {
    const { compute } = harness()
    server.enqueue({ body: { kind: 'compute#urlMapList' } })
    expect(await compute.listUrlMaps('edge')).toEqual([])
  })

  test('a repeated page token stops with an error instead of looping', async () => {
    const { compute } = harness()
    server.enqueue(
      { body: { items: [], nextPageToken: 'same' } },
      { body: { items: [], nextPageToken: 'same' } }
    )
    await expect(compute.listUrlMaps('edge')).rejects.toThrow(/repeated page token same/)
  })

  test('aggregated NEG list flattens scopes and skips warning-only scopes', async () => {
    const { compute } = harness()
    server.enqueue(
      {
        body: {
          items: {
            global: { networkEndpointGroups: [{ name: 'g1' }] },
            'regions/us-east1': { warning: { code: 'NO_RESULTS_ON_PAGE' } },
            'regions/europe-west1': {
              networkEndpointGroups: [{ name: 'r1', region: 'x/regions/europe-west1' }]
            }
          },
          nextPageToken: 'n'
        }
      },
      { body: { items: { 'regions/asia-east1': { networkEndpointGroups: [{ name: 'r2' }] } } } }
    )
    const negs = await compute.aggregatedListNetworkEndpointGroups('team-a')
    expect(negs.map((n) => n.name)).toEqual(['g1', 'r1', 'r2'])
    expect(server.requests[0]!.path).toBe('/compute/v1/projects/team-a/aggregated/networkEndpointGroups')
    expect(server.requests[1]!.query.pageToken).toBe('n')
  })
})

describe('ComputeClient operations', () => {
  test('wait loops POST …/wait until DONE (global scope from selfLink)', async () => {
    const { compute } = harness()
    server.enqueue({ body: op('RUNNING') }, { body: op('RUNNING') }, { body: op('DONE') })
    const done = await compute.run(compute.insertUrlMap('edge', { name: 'edge' }))
    expect(done.status).toBe('DONE')
    expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /compute/v1/projects/edge/global/urlMaps',
      'POST /compute/v1/projects/edge/global/operations/operation-1/wait',
      'POST /compute/v1/projects/edge/global/operations/operation-1/wait'
    ])
    expect(server.requests[1]!.body).toBe('')
    expect(server.requests[1]!.query.requestId).toBeUndefined()
  })

  test('an already DONE operation needs no wait call', async () => {
    const { compute } = harness()
    expect((await compute.wait(op('DONE'))).status).toBe('DONE')
    expect(server.requests).toHaveLength(0)
  })

  test('regional operations are waited on in their region', async () => {
    const { compute } = harness()
    const regional: Operation = {
      name: 'operation-r',
      status: 'PENDING',
      region: 'https://www.googleapis.com/compute/v1/projects/team-a/regions/europe-west1',
      selfLink:
        'https://www.googleapis.com/compute/v1/projects/team-a/regions/europe-west1/operations/operation-r'
    }
    server.enqueue({ body: { ...regional, status: 'DONE' } })
    await compute.wait(regional)
    expect(server.requests[0]!.path).toBe(
      '/compute/v1/projects/team-a/regions/europe-west1/operations/operation-r/wait'
    )
    expect(server.requests[0]!.headers.authorization).toBe('Bearer token-for-team-a')
  })

  test('without selfLink, uses op.region and the given project', async () => {
    const { compute } = harness()
    server.enqueue({ body: { name: 'o2', status: 'DONE' } })
    await compute.wait({ name: 'o2', status: 'RUNNING', region: 'regions/us-central1' }, { project: 'p' })
    expect(server.requests[0]!.path).toBe('/compute/v1/projects/p/regions/us-central1/operations/o2/wait')
  })

  test('DONE with error throws OperationError with UPPER_SNAKE code, operation and target', async () => {
    const { compute } = harness()
    server.enqueue({
      body: op('DONE', {
        operationType: 'delete',
        httpErrorStatusCode: 400,
        error: {
          errors: [
            {
              code: 'RESOURCE_IN_USE_BY_ANOTHER_RESOURCE',
              message: "The backend_service resource 'x' is already being used by 'y'"
            }
          ]
        }
      })
    })
    const err = await compute.wait(op('RUNNING')).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(OperationError)
    const e = err as OperationError
    expect(e.code).toBe('RESOURCE_IN_USE_BY_ANOTHER_RESOURCE')
    expect(e.operation).toBe('operation-1')
    expect(e.target).toBe('https://www.googleapis.com/compute/v1/projects/edge/global/urlMaps/edge')
    expect(e.status).toBe(400)
    expect(e.message).toBe(
      'operation operation-1 (delete https://www.googleapis.com/compute/v1/projects/edge/global/urlMaps/edge) failed: ' +
        "RESOURCE_IN_USE_BY_ANOTHER_RESOURCE: The backend_service resource 'x' is already being used by 'y'"
    )
  })

  test('wait gives up after the overall budget with OperationTimeoutError', async () => {
    let t = 0
    const { compute, delays } = harness({ now: () => (t += 100) })
    server.fallback(() => ({ body: op('RUNNING') }))
    const err = await compute.wait(op('RUNNING'), { timeoutMs: 5000 }).catch((e: unknown) => e)
    server.fallback((req) => ({ status: 599, body: { error: `nothing scripted for ${req.path}` } }))
    expect(err).toBeInstanceOf(OperationTimeoutError)
    expect((err as Error).message).toMatch(/operation operation-1 .* still RUNNING after \d+ s/)
    // quick RUNNING answers are spaced out by a growing pause
    expect(delays.slice(0, 3)).toEqual([250, 500, 1000])
  })
})

describe('ComputeClient errors', () => {
  test('Compute error body → GoogleApiError with method, URL, status, reason, message', async () => {
    const { compute } = harness()
    server.enqueue({
      status: 412,
      body: computeError(412, 'conditionNotMet', 'Supplied fingerprint does not match current fingerprint.')
    })
    const err = (await compute
      .updateUrlMap('edge', 'edge', { fingerprint: 'old=' })
      .catch((e: unknown) => e)) as GoogleApiError
    expect(err).toBeInstanceOf(GoogleApiError)
    expect(err.method).toBe('compute.urlMaps.update')
    expect(err.httpMethod).toBe('PUT')
    expect(err.status).toBe(412)
    expect(err.reason).toBe('conditionNotMet')
    expect(err.apiMessage).toBe('Supplied fingerprint does not match current fingerprint.')
    expect(err.url).toMatch(/\/compute\/v1\/projects\/edge\/global\/urlMaps\/edge\?requestId=/)
    expect(err.message).toBe(
      `compute.urlMaps.update PUT ${err.url}: HTTP 412 conditionNotMet: Supplied fingerprint does not match current fingerprint.`
    )
    expect(server.requests).toHaveLength(1) // 412 is not retried
  })

  test.each([400, 404, 409, 412])('HTTP %i is not retried', async (status) => {
    const { compute, delays } = harness()
    server.enqueue({ status, body: computeError(status, 'x', 'no') })
    await expect(compute.getBackendService('edge', 'bs')).rejects.toBeInstanceOf(GoogleApiError)
    expect(server.requests).toHaveLength(1)
    expect(delays).toEqual([])
  })

  test('isNotFound recognises a 404', async () => {
    const { compute } = harness()
    server.enqueue({
      status: 404,
      body: computeError(404, 'notFound', "The resource 'projects/edge/global/urlMaps/x' was not found")
    })
    const err = await compute.getUrlMap('edge', 'x').catch((e: unknown) => e)
    expect(isNotFound(err)).toBe(true)
    expect(isNotFound(new Error('x'))).toBe(false)
    expect((err as GoogleApiError).reason).toBe('notFound')
  })

  test('403 says which identity lacks access to which project and what to change', async () => {
    const { compute } = harness()
    server.enqueue({
      status: 403,
      body: computeError(403, 'forbidden', "Required 'compute.urlMaps.get' permission")
    })
    const err = (await compute.getUrlMap('team-b', 'x').catch((e: unknown) => e)) as GoogleApiError
    expect(err.status).toBe(403)
    expect(err.hint).toBe(
      'sa@team-b has no access to project team-b; grant roles/compute.loadBalancerAdmin on team-b'
    )
    expect(err.message).toContain('HTTP 403 forbidden: Required')
    expect(err.message).toContain('(sa@team-b has no access to project team-b;')
  })

  test('non-JSON error body is quoted', async () => {
    const { compute } = harness()
    server.enqueue({
      status: 400,
      body: '<html>Bad Request</html>',
      headers: { 'content-type': 'text/html' }
    })
    const err = (await compute.getUrlMap('p', 'x').catch((e: unknown) => e)) as GoogleApiError
    expect(err.reason).toBeUndefined()
    expect(err.apiMessage).toBe('<html>Bad Request</html>')
  })

  test('tokens never appear in error messages', async () => {
    const { compute } = harness({ credentials: staticTokenCredentials('ya29.SECRET') })
    server.enqueue({ status: 401, body: computeError(401, 'authError', 'Invalid Credentials') })
    const err = (await compute.getUrlMap('p', 'x').catch((e: unknown) => e)) as GoogleApiError
    expect(server.requests[0]!.headers.authorization).toBe('Bearer ya29.SECRET')
    expect(err.message).not.toContain('SECRET')
    expect(err.message).toMatch(/rejected/)
  })
})

describe('ComputeClient retries', () => {
  test('429 and 503 are retried with backoff, reusing the requestId, then succeed', async () => {
    // 45 s into a minute: a rate limit without Retry-After waits for the next minute (15 s) plus jitter.
    const { compute, delays, logs } = harness({ now: () => 1_800_000_045_000 })
    server.enqueue(
      { status: 429, body: computeError(429, 'rateLimitExceeded', 'slow down') },
      { status: 503, body: 'unavailable' },
      { body: op('DONE') }
    )
    await compute.insertBackendService('edge', { name: 'bs' })
    expect(server.requests).toHaveLength(3)
    const ids = server.requests.map((r) => r.query.requestId)
    expect(ids[0]).toBeDefined()
    expect(new Set(ids).size).toBe(1)
    expect(server.requests.map((r) => r.body)).toEqual(Array(3).fill('{"name":"bs"}'))
    // 429: 15 s to the minute boundary + 0.5 * 3 s jitter; 503: full jitter 0.5 * min(10000, 200 * 2^(n-1))
    expect(delays).toEqual([16_500, 200])
    expect(logs.filter((l) => l.startsWith('info'))).toEqual([
      'info compute.backendServices.insert: HTTP 429 (rate limited), retrying in 16500 ms (attempt 2 of 6)',
      'info compute.backendServices.insert: HTTP 503, retrying in 200 ms (attempt 3 of 6)'
    ])
  })

  test('403 rateLimitExceeded is a rate limit: retried, reported to listeners, never IAM advice', async () => {
    const { compute, delays } = harness({ now: () => 1_800_000_000_000, attempts: 3 })
    const limited: string[] = []
    const stop = compute.onRateLimited((p) => limited.push(p))
    const quota = computeError(403, 'rateLimitExceeded', "Quota exceeded for quota metric 'Queries'")
    server.enqueue({ status: 403, body: quota }, { body: op('DONE') })
    await compute.insertBackendService('edge', { name: 'bs' })
    expect(server.requests).toHaveLength(2)
    expect(limited).toEqual(['edge'])
    // On the minute already: a full minute to the next boundary, plus jitter.
    expect(delays).toEqual([61_500])
    server.fallback(() => ({
      status: 403,
      body: computeError(403, 'userRateLimitExceeded', 'User Rate Limit Exceeded')
    }))
    const err = (await compute.getUrlMap('edge', 'x').catch((e: unknown) => e)) as GoogleApiError
    server.fallback((req) => ({ status: 599, body: { error: `nothing scripted for ${req.path}` } }))
    stop()
    expect(isRateLimited(err)).toBe(true)
    expect(err.attempts).toBe(3)
    expect(err.message).toContain('over its per-minute API rate quota')
    expect(err.message).not.toMatch(/grant|roles\//)
    expect(limited).toEqual(['edge', 'edge', 'edge', 'edge'])
  })

  test('a plain 403 is not retried and names the missing access', async () => {
    const { compute, delays } = harness()
    server.enqueue({ status: 403, body: computeError(403, 'forbidden', 'Required permission') })
    const err = (await compute.getUrlMap('edge', 'x').catch((e: unknown) => e)) as GoogleApiError
    expect(server.requests).toHaveLength(1)
    expect(delays).toEqual([])
    expect(isRateLimited(err)).toBe(false)
    expect(err.message).toContain('grant roles/compute.loadBalancerAdmin on edge')
  })

  test('Retry-After (seconds) is honoured', async () => {
    const { compute, delays } = harness()
    server.enqueue({ status: 429, headers: { 'retry-after': '3' }, body: {} }, { body: { name: 'x' } })
    await compute.getUrlMap('p', 'x')
    expect(delays).toEqual([3000])
  })

  test('backoff is capped at 10 s', async () => {
    const { compute, delays } = harness({ attempts: 10 })
    server.fallback(() => ({ status: 500, body: computeError(500, 'backendError', 'boom') }))
    await expect(compute.getUrlMap('p', 'x')).rejects.toThrow(
      /HTTP 500 backendError: boom \(after 10 attempts\)/
    )
    server.fallback((req) => ({ status: 599, body: { error: `nothing scripted for ${req.path}` } }))
    expect(delays).toEqual([100, 200, 400, 800, 1600, 3200, 5000, 5000, 5000])
  })

  test('gives up after N attempts with the last error', async () => {
    const { compute, delays } = harness({ attempts: 3 })
    server.enqueue(
      { status: 503, body: computeError(503, 'a', 'first') },
      { status: 502, body: computeError(502, 'b', 'second') },
      { status: 504, body: computeError(504, 'c', 'last one') }
    )
    const err = (await compute.getUrlMap('p', 'x').catch((e: unknown) => e)) as GoogleApiError
    expect(err.status).toBe(504)
    expect(err.reason).toBe('c')
    expect(err.attempts).toBe(3)
    expect(delays).toHaveLength(2)
  })

  test('a reset connection is retried', async () => {
    const { compute } = harness()
    server.enqueue({ reset: true }, { body: { name: 'x' } })
    expect(await compute.getUrlMap('p', 'x')).toEqual({ name: 'x' })
    expect(server.requests).toHaveLength(2)
  })

  test('a host name that does not resolve is not retried: the error names the endpoint variable at once', async () => {
    let calls = 0
    const compute = new ComputeClient({
      endpoint: 'http://compute.example.invalid/compute/v1/',
      credentials: perProject,
      logger: new NullLogger(),
      retry: { attempts: 10, sleep: async () => {}, random: () => 0 },
      // What undici's fetch rejects with when getaddrinfo fails.
      fetch: async () => {
        calls++
        throw new TypeError('fetch failed', {
          cause: Object.assign(new Error('getaddrinfo ENOTFOUND compute.example.invalid'), {
            code: 'ENOTFOUND'
          })
        })
      }
    })
    const err = (await compute.getUrlMap('p', 'x').catch((e: unknown) => e)) as GoogleApiError
    expect(calls).toBe(1)
    expect(err.reason).toBe('ENOTFOUND')
    expect(err.message).toMatch(/check GOOGLE_COMPUTE_CUSTOM_ENDPOINT, or unset it to use Google's/)
  })

  test('connection refused is retried, then fails with a clear message', async () => {
    const port = await freePort()
    const delays: number[] = []
    const compute = new ComputeClient({
      endpoint: `http://127.0.0.1:${port}/compute/v1/`,
      credentials: perProject,
      logger: new NullLogger(),
      retry: { attempts: 3, sleep: async (ms) => void delays.push(ms), random: () => 0 }
    })
    const err = (await compute.getUrlMap('p', 'x').catch((e: unknown) => e)) as GoogleApiError
    expect(err).toBeInstanceOf(GoogleApiError)
    expect(err.status).toBe(0)
    expect(err.reason).toBe('ECONNREFUSED')
    expect(err.attempts).toBe(3)
    expect(delays).toHaveLength(2)
    expect(err.message).toMatch(
      new RegExp(
        `^compute\\.urlMaps\\.get GET http://127\\.0\\.0\\.1:${port}/compute/v1/projects/p/global/urlMaps/x: no response ECONNREFUSED: connection failed: .*\\(after 3 attempts\\)$`
      )
    )
  })
})
