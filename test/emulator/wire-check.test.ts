// The emulator refuses what Google's JSON front end refuses (issue #17): unknown names, enum values that do
// not exist and integers that are not integers, with Google's 400 body; and it answers in Google's
// shapes: int64 as strings, aggregated scopes with NO_RESULTS_ON_PAGE, validate URLs with a scheme,
// Operation.user an email, no `locations/-` on Cloud Run v2.
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals'
import { COMPUTE } from '../../src/emulator/field-table.js'
import { KINDS } from '../../src/emulator/resources/index.js'
import type { Emulator } from '../../src/emulator/server.js'
import { C, Caller, seedLb, start } from './helpers.js'

let emu: Emulator
let c: Caller
beforeEach(async () => ({ emu, c } = await start()))
afterEach(() => emu.close())

const badRequest = (message: string, field?: string) => ({
  error: {
    code: 400,
    message,
    errors: [{ message, domain: 'global', reason: 'invalid' }],
    status: 'INVALID_ARGUMENT',
    details: [
      {
        '@type': 'type.googleapis.com/google.rpc.BadRequest',
        fieldViolations: [{ ...(field ? { field } : {}), description: message }]
      }
    ]
  }
})

test('every Compute method the emulator serves is in the generated table, so none escapes the checks', () => {
  const served = KINDS.flatMap((k) =>
    [
      ...['list', 'get', 'insert', 'delete', ...(k.updatable ? ['update', 'patch'] : [])],
      ...Object.keys(k.verbs ?? {})
    ].map((op) => `compute.${k.api}.${op}`)
  )
  const operations = ['global', 'region'].flatMap((s) =>
    ['get', 'wait', 'list', 'delete'].map((op) => `compute.${s}Operations.${op}`)
  )
  const missing = [...served, ...operations, 'compute.networkEndpointGroups.aggregatedList'].filter(
    (m) => !COMPUTE.method(m)
  )
  expect(missing).toEqual([])
})

describe('refusals with Google body and message', () => {
  test('an unknown field, at the top and nested', async () => {
    const top = await c.post(`${C}/p/global/networkEndpointGroups`, {
      name: 'neg1',
      networkEndpointType: 'INTERNET_FQDN_PORT',
      foo: 1
    })
    expect(top.status).toBe(400)
    expect(top.body).toEqual(
      badRequest(
        `Invalid JSON payload received. Unknown name "foo" at 'resource': Cannot find field.`,
        'resource'
      )
    )
    await seedLb(c)
    const nested = await c.post(`${C}/p/global/urlMaps`, {
      name: 'um2',
      defaultService: 'global/backendServices/bs1',
      pathMatchers: [
        {
          name: 'pm',
          defaultService: 'global/backendServices/bs1',
          routeRules: [{ priority: 1, sevice: 'x' }]
        }
      ]
    })
    expect(nested.body.error.message).toBe(
      `Invalid JSON payload received. Unknown name "sevice" at 'resource.path_matchers[0].route_rules[0]': Cannot find field.`
    )
    // Keys the Node client's decoded objects carry (`_name`) never reach Google; sent raw, they are unknown too.
    const underscored = await c.post(`${C}/p/global/urlMaps`, { name: 'um3', _name: 'name' })
    expect(underscored.body.error.message).toContain('Unknown name "_name"')
    expect((await c.get(`${C}/p/global/urlMaps/um2`)).status).toBe(404)
  })

  test('a value that is not in the enum', async () => {
    const r = await c.post(`${C}/p/global/backendServices`, { name: 'bs', protocol: 'HTTPX' })
    expect(r.status).toBe(400)
    expect(r.body).toEqual(
      badRequest(
        `Invalid value at 'resource.protocol' (type.googleapis.com/google.cloud.compute.v1.BackendService.Protocol), "HTTPX"`,
        'resource.protocol'
      )
    )
  })

  test('a 64-bit integer that is not an integer; numbers and strings both accepted, returned as strings', async () => {
    await seedLb(c)
    const map = (seconds: unknown) => ({
      name: 'um2',
      defaultService: 'global/backendServices/bs1',
      hostRules: [{ hosts: ['a.example.com'], pathMatcher: 'pm' }],
      pathMatchers: [
        {
          name: 'pm',
          defaultService: 'global/backendServices/bs1',
          pathRules: [
            { paths: ['/slow'], service: 'global/backendServices/bs1', routeAction: { timeout: { seconds } } }
          ]
        }
      ]
    })
    const bad = await c.post(`${C}/p/global/urlMaps`, map('90s'))
    expect(bad.body).toEqual(
      badRequest(
        `Invalid value at 'resource.path_matchers[0].path_rules[0].route_action.timeout.seconds' (TYPE_INT64), "90s"`,
        'resource.path_matchers[0].path_rules[0].route_action.timeout.seconds'
      )
    )
    expect((await c.post(`${C}/p/global/urlMaps`, map(1.5))).body.error.message).toContain(
      '(TYPE_INT64), 1.5'
    )
    expect((await c.post(`${C}/p/global/urlMaps`, map(90))).status).toBe(200)
    const got = (await c.get(`${C}/p/global/urlMaps/um2`)).body
    expect(got.pathMatchers[0].pathRules[0].routeAction.timeout).toEqual({ seconds: '90' })
    // int32 fields out of range are refused the same way.
    const port = await c.post(`${C}/p/global/networkEndpointGroups`, { name: 'n', defaultPort: 2 ** 31 })
    expect(port.body.error.message).toBe(`Invalid value at 'resource.default_port' (TYPE_INT32), 2147483648`)
  })

  test('proto names are accepted like JSON names; output-only fields sent back are ignored', async () => {
    await seedLb(c)
    const r = await c.post(`${C}/p/global/urlMaps`, {
      name: 'um2',
      default_service: 'global/backendServices/bs1',
      id: '123',
      creationTimestamp: 'yesterday'
    })
    expect(r.status).toBe(200)
    const got = (await c.get(`${C}/p/global/urlMaps/um2`)).body
    expect(got.defaultService).toMatch(/\/global\/backendServices\/bs1$/)
    expect(got.id).not.toBe('123')
  })

  test('an unknown query parameter cannot be bound; system parameters pass', async () => {
    const r = await c.get(`${C}/p/global/urlMaps?maxResult=5`)
    expect(r.body).toEqual(
      badRequest(
        `Invalid JSON payload received. Unknown name "maxResult": Cannot bind query parameter. Field 'maxResult' could not be found in request message.`
      )
    )
    expect((await c.get(`${C}/p/global/urlMaps?maxResults=5&prettyPrint=false&alt=json`)).status).toBe(200)
  })
})

describe('response shapes', () => {
  test('state files are normalised on load: int64 numbers become strings', async () => {
    emu.importState({
      projects: {
        p: {
          urlMaps: [
            {
              name: 'um',
              id: 42,
              defaultService: 'global/backendServices/x',
              defaultRouteAction: { timeout: { seconds: 30, nanos: 5 } }
            }
          ]
        }
      }
    })
    const got = (await c.get(`${C}/p/global/urlMaps/um`)).body
    expect([got.id, got.defaultRouteAction.timeout]).toEqual(['42', { seconds: '30', nanos: 5 }])
  })

  test('aggregatedList lists every scope, empty ones with NO_RESULTS_ON_PAGE', async () => {
    await seedLb(c)
    const r = await c.get(`${C}/p/aggregated/networkEndpointGroups`)
    expect(r.body.items.global.networkEndpointGroups.map((n: any) => n.name)).toEqual(['neg1'])
    expect(r.body.items['regions/us-central1']).toEqual({
      warning: {
        code: 'NO_RESULTS_ON_PAGE',
        message: "There are no results for scope 'regions/us-central1' on this page.",
        data: [{ key: 'scope', value: 'regions/us-central1' }]
      }
    })
    expect(Object.keys(r.body.items)[0]).toBe('global')
    expect(emu.counters()['compute.networkEndpointGroups.aggregatedList']).toBe(1)
  })

  test('urlMaps.validate reports actualOutputUrl with its scheme', async () => {
    await seedLb(c)
    const r = await c.post(`${C}/p/global/urlMaps/um/validate`, {
      resource: {
        name: 'um',
        defaultService: 'global/backendServices/bs1',
        tests: [{ host: 'a.example.com', path: '/x?q=1', expectedOutputUrl: 'http://a.example.com/y?q=1' }]
      }
    })
    expect(r.body.result.testFailures[0].actualOutputUrl).toBe('http://a.example.com/x?q=1')
  })

  test('Operation.user is an email', async () => {
    const sa = await c.post(
      `${C}/p/global/networkEndpointGroups`,
      { name: 'n1', networkEndpointType: 'INTERNET_FQDN_PORT' },
      { authorization: 'Bearer fake-token' }
    )
    expect(sa.body.user).toMatch(/^[^@\s]+@[a-z.]+$/)
    expect(sa.body.user).not.toContain('fake-t')
  })

  test("Cloud Run v2 services.list refuses the '-' location", async () => {
    const r = await c.get('/v2/projects/team-a/locations/-/services')
    expect(r.status).toBe(400)
    expect(r.body).toEqual({
      error: {
        code: 400,
        message: "Location must be a valid Google Cloud region, and cannot be the '-' wildcard.",
        status: 'INVALID_ARGUMENT'
      }
    })
  })
})
