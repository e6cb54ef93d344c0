// Cloud Run v2 over raw HTTP (gce-api.md §10.1), state export/import, and the admin endpoints.
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals'
import type { Emulator } from '../../src/emulator/server.js'
import type { EmulatorState } from '../../src/emulator/types.js'
import { BASE, C, Caller, reason, seedLb, start } from './helpers.js'

const SEED: EmulatorState = {
  projects: {
    'team-a': {
      runServices: {
        'europe-west1': [
          {
            name: 'hello',
            uri: 'https://hello-abc-ew.a.run.app',
            ingress: 'all',
            invokerMembers: ['allUsers']
          },
          {
            name: 'private',
            uri: 'https://private-abc-ew.a.run.app',
            ingress: 'INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER',
            defaultUriDisabled: true
          }
        ],
        'us-central1': [{ name: 'hello', uri: 'https://hello-abc-uc.a.run.app', ingress: 'internal' }]
      },
      globalNetworkEndpointGroups: [
        {
          name: 'neg1',
          networkEndpointType: 'INTERNET_FQDN_PORT',
          networkEndpoints: [{ fqdn: 'hello-abc-ew.a.run.app', port: 443 }]
        }
      ],
      backendServices: [
        {
          name: 'bs1',
          protocol: 'HTTPS',
          loadBalancingScheme: 'EXTERNAL_MANAGED',
          backends: [{ group: 'global/networkEndpointGroups/neg1' }]
        }
      ],
      urlMaps: [{ name: 'edge', defaultService: 'global/backendServices/bs1' }]
    }
  }
}

let emu: Emulator
let c: Caller
beforeEach(async () => ({ emu, c } = await start({ state: SEED })))
afterEach(() => emu.close())

describe('Cloud Run v2', () => {
  const svc = '/v2/projects/team-a/locations/europe-west1/services'

  test('get and list with string enums, or numbers under $alt=json;enum-encoding=int', async () => {
    const r = await c.get(`${svc}/hello`)
    expect(r.status).toBe(200)
    expect(r.body).toMatchObject({
      name: 'projects/team-a/locations/europe-west1/services/hello',
      uri: 'https://hello-abc-ew.a.run.app',
      urls: ['https://hello-abc-ew.a.run.app'],
      ingress: 'INGRESS_TRAFFIC_ALL'
    })
    const ints = await c.get(`${svc}/private?$alt=json%3Benum-encoding=int`)
    expect(ints.body.ingress).toBe(3)
    expect(ints.body.defaultUriDisabled).toBe(true)
    const list = await c.get(svc)
    expect(list.body.services.map((s: any) => s.name.split('/').pop())).toEqual(['hello', 'private'])
    const first = await c.get(`${svc}?pageSize=1`)
    expect(first.body.services).toHaveLength(1)
    const rest = await c.get(`${svc}?pageSize=1&pageToken=${first.body.nextPageToken}`)
    expect(rest.body.services.map((s: any) => s.name)).toEqual([
      'projects/team-a/locations/europe-west1/services/private'
    ])
    expect(rest.body.nextPageToken).toBeUndefined()
    expect((await c.get('/v2/projects/team-a/locations/us-central1/services/hello')).body.ingress).toBe(
      'INGRESS_TRAFFIC_INTERNAL_ONLY'
    )
  })

  test('getIamPolicy binds invokerMembers to roles/run.invoker; AIP-193 errors', async () => {
    const p = await c.get(`${svc}/hello:getIamPolicy?$alt=json%3Benum-encoding=int`)
    expect(p.status).toBe(200)
    expect(p.body.bindings).toEqual([{ role: 'roles/run.invoker', members: ['allUsers'] }])
    expect((await c.get(`${svc}/private:getIamPolicy`)).body.bindings).toBeUndefined()
    const nf = await c.get(`${svc}/ghost`)
    expect(nf.status).toBe(404)
    expect(nf.body).toEqual({
      error: {
        code: 404,
        message:
          "Resource 'ghost' of kind 'SERVICE' in region 'europe-west1' in project 'team-a' does not exist.",
        status: 'NOT_FOUND'
      }
    })
    const wrong = await c.del(`${svc}/hello`)
    expect(wrong.status).toBe(405)
    expect(wrong.body.error.status).toBeDefined()
    expect((await c.get('/v2/projects/team-a/nothing')).status).toBe(404)
  })
})

describe('state', () => {
  test('seeded resources get identity fields and canonical references', async () => {
    const bs = (await c.get(`${C}/team-a/global/backendServices/bs1`)).body
    expect(bs).toMatchObject({
      kind: 'compute#backendService',
      selfLink: `${BASE}projects/team-a/global/backendServices/bs1`
    })
    expect(bs.id).toMatch(/^\d+$/)
    expect(bs.fingerprint).toBeTruthy()
    expect(bs.backends[0].group).toBe(`${BASE}projects/team-a/global/networkEndpointGroups/neg1`)
    expect(bs.usedBy).toEqual([{ reference: `${BASE}projects/team-a/global/urlMaps/edge` }])
    expect((await c.get(`${C}/team-a/global/networkEndpointGroups/neg1`)).body.size).toBe(1)
  })

  test('export then import yields identical GET results', async () => {
    await seedLb(c, 'p')
    await c.post(`${C}/p/regions/us-east1/networkEndpointGroups`, {
      name: 'sneg',
      networkEndpointType: 'SERVERLESS',
      cloudRun: { service: 'x' }
    })
    await c.post(`${C}/p/global/addresses`, { name: 'ip' })
    const paths = [
      `${C}/team-a/global/backendServices/bs1`,
      `${C}/team-a/global/networkEndpointGroups/neg1`,
      `${C}/p/global/urlMaps/um`,
      `${C}/p/global/urlMaps`,
      `${C}/p/global/backendServices`,
      `${C}/p/regions/us-east1/networkEndpointGroups/sneg`,
      `${C}/p/global/addresses/ip`,
      '/v2/projects/team-a/locations/-/services'
    ]
    const before = await Promise.all(paths.map((p) => c.get(p)))
    const exported = (await c.get('/_emulator/state')).body
    expect(exported).toEqual(emu.exportState())
    expect(exported.projects.p.regionNetworkEndpointGroups['us-east1'][0].name).toBe('sneg')
    expect(exported.projects['team-a'].globalNetworkEndpointGroups[0].networkEndpoints).toEqual([
      { fqdn: 'hello-abc-ew.a.run.app', port: 443 }
    ])
    const fresh = await start()
    try {
      expect((await fresh.c.put('/_emulator/state', exported)).status).toBe(200)
      const after = await Promise.all(paths.map((p) => fresh.c.get(p)))
      expect(after).toEqual(before)
      expect(fresh.emu.exportState()).toEqual(exported)
    } finally {
      await fresh.emu.close()
    }
  })

  test('an invalid state is refused with 400 and leaves the state alone', async () => {
    const r = await c.put('/_emulator/state', { projects: { p: { urlMaps: [{ name: 'Bad_Name' }] } } })
    expect(r.status).toBe(400)
    expect(r.body.error.message).toContain('Bad_Name')
    expect((await c.get(`${C}/team-a/global/urlMaps/edge`)).status).toBe(200)
    expect(() => emu.importState({ projects: { p: { backendServices: 'nope' as never } } })).toThrow(
      /must be an array/
    )
  })
})

describe('admin endpoints', () => {
  test('requests, counters, reset', async () => {
    await c.get(`${C}/team-a/global/urlMaps/edge`)
    await c.get(`${C}/team-a/global/urlMaps/ghost`)
    const log = (await c.get('/_emulator/requests')).body
    expect(log.map((e: any) => [e.method, e.path, e.status, e.principal])).toEqual([
      ['GET', '/compute/v1/projects/team-a/global/urlMaps/edge', 200, 'anonymous'],
      ['GET', '/compute/v1/projects/team-a/global/urlMaps/ghost', 404, 'anonymous']
    ])
    expect(typeof log[0].time).toBe('number')
    expect((await c.get('/_emulator/counters')).body).toEqual({ 'compute.urlMaps.get': 2 })
    await c.del(`${C}/team-a/global/urlMaps/edge`)
    expect((await c.post('/_emulator/reset')).status).toBe(200)
    expect((await c.get(`${C}/team-a/global/urlMaps/edge`)).status).toBe(200)
    expect(emu.counters()).toEqual({ 'compute.urlMaps.get': 1 })
    expect((await c.get('/_emulator/nope')).status).toBe(404)
    expect((await c.del('/_emulator/state')).status).toBe(405)
    expect((await c.put('/_emulator/state', '{bad')).status).toBe(400)
  })

  test('faults: Compute-shaped 503/429 on mutations only; per-method form; invalid spec refused', async () => {
    expect((await c.put('/_emulator/faults', { faults: '503:1' })).body).toEqual({ faults: '503:1' })
    const r = await c.post(`${C}/team-a/global/urlMaps`, {
      name: 'x',
      defaultService: 'global/backendServices/bs1'
    })
    expect(r.status).toBe(503)
    expect(reason(r)).toBe('backendError')
    expect((await c.get(`${C}/team-a/global/urlMaps/edge`)).status).toBe(200)
    emu.setFaults('429:1')
    expect(reason(await c.del(`${C}/team-a/global/urlMaps/edge`))).toBe('rateLimitExceeded')
    emu.setFaults('compute.urlMaps.get=503:1')
    expect((await c.get(`${C}/team-a/global/urlMaps/edge`)).status).toBe(503)
    expect((await c.get(`${C}/team-a/global/backendServices/bs1`)).status).toBe(200)
    expect((await c.put('/_emulator/faults', { faults: '200:2' })).status).toBe(400)
    expect((await c.put('/_emulator/faults', { faults: '' })).status).toBe(200)
    expect((await c.get(`${C}/team-a/global/urlMaps/edge`)).status).toBe(200)
  })

  test('fail-next over HTTP', async () => {
    expect(
      (
        await c.post('/_emulator/fail-next', {
          method: 'compute.urlMaps.delete',
          code: 'RESOURCE_IN_USE_BY_ANOTHER_RESOURCE'
        })
      ).status
    ).toBe(200)
    const op = (await c.del(`${C}/team-a/global/urlMaps/edge`)).body
    expect(op.error.errors[0].code).toBe('RESOURCE_IN_USE_BY_ANOTHER_RESOURCE')
    expect(op.httpErrorStatusCode).toBe(400)
    expect((await c.get(`${C}/team-a/global/urlMaps/edge`)).status).toBe(200)
    expect((await c.post('/_emulator/fail-next', { code: 'X' })).status).toBe(400)
    expect((await c.post('/_emulator/fail-next', { method: 'm', code: 'lower' })).status).toBe(400)
  })

  test('latency delays API responses', async () => {
    const slow = await start({ latencyMs: 120 })
    try {
      const t = Date.now()
      await slow.c.get(`${C}/p/global/urlMaps`)
      expect(Date.now() - t).toBeGreaterThanOrEqual(100)
    } finally {
      await slow.emu.close()
    }
  })
})
