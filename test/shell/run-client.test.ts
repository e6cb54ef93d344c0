import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals'
import { staticTokenCredentials } from '../../src/shell/google/credentials.js'
import { GoogleApiError, isNotFound } from '../../src/shell/google/errors.js'
import { isPubliclyInvokable, normaliseIngress, RunClient } from '../../src/shell/google/run-client.js'
import { startScriptedServer } from './scripted-server.js'
import type { ScriptedServer } from './scripted-server.js'

let server: ScriptedServer
let run: RunClient
beforeAll(async () => {
  server = await startScriptedServer()
  run = new RunClient({
    endpoint: `${server.url}v2/`,
    credentials: staticTokenCredentials('tok'),
    retry: { attempts: 2, sleep: async () => {}, random: () => 0 }
  })
})
afterAll(async () => {
  await server.close()
})
beforeEach(() => {
  server.requests.length = 0
})

describe('RunClient.getService', () => {
  test('GET v2 service path; numeric ingress normalised; urls and flags read', async () => {
    server.enqueue({
      body: {
        name: 'projects/team-a/locations/europe-west1/services/hello',
        uri: 'https://hello-abc-ew.a.run.app',
        urls: ['https://hello-123456.europe-west1.run.app', 'https://hello-abc-ew.a.run.app'],
        ingress: 1,
        defaultUriDisabled: false,
        invokerIamDisabled: true,
        template: { containers: [] }
      }
    })
    const svc = await run.getService('team-a', 'europe-west1', 'hello')
    expect(svc).toEqual({
      name: 'projects/team-a/locations/europe-west1/services/hello',
      uri: 'https://hello-abc-ew.a.run.app',
      urls: ['https://hello-123456.europe-west1.run.app', 'https://hello-abc-ew.a.run.app'],
      ingress: 'INGRESS_TRAFFIC_ALL',
      defaultUriDisabled: false,
      invokerIamDisabled: true
    })
    const [req] = server.requests
    expect(req!.method).toBe('GET')
    expect(req!.path).toBe('/v2/projects/team-a/locations/europe-west1/services/hello')
    expect(req!.headers.authorization).toBe('Bearer tok')
  })

  test('string ingress kept; missing fields defaulted', async () => {
    server.enqueue({ body: { name: 'n', ingress: 'INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER' } })
    expect(await run.getService('p', 'r', 's')).toEqual({
      name: 'n',
      uri: undefined,
      urls: [],
      ingress: 'INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER',
      defaultUriDisabled: false,
      invokerIamDisabled: false
    })
  })

  test.each([
    [0, 'INGRESS_TRAFFIC_UNSPECIFIED'],
    [1, 'INGRESS_TRAFFIC_ALL'],
    [2, 'INGRESS_TRAFFIC_INTERNAL_ONLY'],
    [3, 'INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER'],
    [4, 'INGRESS_TRAFFIC_NONE'],
    ['4', 'INGRESS_TRAFFIC_NONE'],
    [9, 'INGRESS_TRAFFIC_UNSPECIFIED'],
    [undefined, 'INGRESS_TRAFFIC_UNSPECIFIED']
  ])('normaliseIngress(%p) = %s', (input, want) => {
    expect(normaliseIngress(input)).toBe(want)
  })

  test('AIP-193 error body → GoogleApiError with error.status as reason', async () => {
    server.enqueue({
      status: 404,
      body: {
        error: {
          code: 404,
          message: "Resource 'hello' of kind 'SERVICE' in region 'r' in project 'p' does not exist.",
          status: 'NOT_FOUND'
        }
      }
    })
    const err = (await run.getService('p', 'r', 'hello').catch((e: unknown) => e)) as GoogleApiError
    expect(err).toBeInstanceOf(GoogleApiError)
    expect(isNotFound(err)).toBe(true)
    expect(err.method).toBe('run.projects.locations.services.get')
    expect(err.reason).toBe('NOT_FOUND')
    expect(err.message).toBe(
      `run.projects.locations.services.get GET ${server.url}v2/projects/p/locations/r/services/hello: HTTP 404 NOT_FOUND: ` +
        "Resource 'hello' of kind 'SERVICE' in region 'r' in project 'p' does not exist."
    )
  })

  test('403 advice names the run.viewer role', async () => {
    server.enqueue({
      status: 403,
      body: { error: { code: 403, message: 'denied', status: 'PERMISSION_DENIED' } }
    })
    const err = (await run.getService('team-x', 'r', 's').catch((e: unknown) => e)) as GoogleApiError
    expect(err.hint).toContain('grant it roles/run.viewer on team-x')
  })
})

describe('RunClient.getIamPolicy', () => {
  test('GET …/services/s:getIamPolicy with a literal colon; bindings parsed', async () => {
    server.enqueue({
      body: {
        version: 1,
        etag: 'BwX=',
        bindings: [
          { role: 'roles/run.invoker', members: ['allUsers'] },
          { role: 'roles/run.admin', members: ['user:a@example.com'] }
        ]
      }
    })
    const policy = await run.getIamPolicy('team-a', 'europe-west1', 'hello')
    expect(server.requests[0]!.path).toBe(
      '/v2/projects/team-a/locations/europe-west1/services/hello:getIamPolicy'
    )
    expect(server.requests[0]!.method).toBe('GET')
    expect(policy).toEqual({
      version: 1,
      etag: 'BwX=',
      bindings: [
        { role: 'roles/run.invoker', members: ['allUsers'] },
        { role: 'roles/run.admin', members: ['user:a@example.com'] }
      ]
    })
    expect(isPubliclyInvokable(policy)).toBe(true)
  })

  test('empty policy ({}) has no bindings and is not public', async () => {
    server.enqueue({ body: {} })
    const policy = await run.getIamPolicy('p', 'r', 's')
    expect(policy).toEqual({ bindings: [] })
    expect(isPubliclyInvokable(policy)).toBe(false)
  })

  test('isPubliclyInvokable needs an unconditional allUsers invoker binding', () => {
    expect(
      isPubliclyInvokable({ bindings: [{ role: 'roles/run.invoker', members: ['allAuthenticatedUsers'] }] })
    ).toBe(false)
    expect(isPubliclyInvokable({ bindings: [{ role: 'roles/run.viewer', members: ['allUsers'] }] })).toBe(
      false
    )
    expect(
      isPubliclyInvokable({
        bindings: [{ role: 'roles/run.invoker', members: ['allUsers'], condition: { expression: 'false' } }]
      })
    ).toBe(false)
  })
})
