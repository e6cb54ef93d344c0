// Conformance over raw HTTP: the gce-api.md §11 checklist, item by item.
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals'
import type { Emulator } from '../../src/emulator/server.js'
import { BASE, C, Caller, manualClock, reason, seedLb, start } from './helpers.js'

let emu: Emulator
let c: Caller
beforeEach(async () => ({ emu, c } = await start()))
afterEach(() => emu.close())

describe('routing and tolerance (§11.1, §11.2)', () => {
  test('trailing ?, content-type on GET, x-goog headers, any Authorization', async () => {
    await seedLb(c)
    const r = await c.get(`${C}/p/global/urlMaps/um?`, {
      'x-goog-api-client': 'gax/6',
      authorization: 'Bearer whatever'
    })
    expect(r.status).toBe(200)
    expect(r.body.kind).toBe('compute#urlMap')
  })

  test('body "" on wait and listNetworkEndpoints', async () => {
    await seedLb(c)
    const op = await c.post(`${C}/p/global/urlMaps/um/validate`, {
      resource: { name: 'um', defaultService: 'global/backendServices/bs1' }
    })
    expect(op.status).toBe(200)
    const list = await c.post(`${C}/p/global/networkEndpointGroups/neg1/listNetworkEndpoints?`, '""')
    expect(list.status).toBe(200)
    expect(list.body).toEqual({
      kind: 'compute#networkEndpointGroupsListNetworkEndpoints',
      items: [{ networkEndpoint: { fqdn: 'hello-abc-ew.a.run.app', port: 443 } }]
    })
  })

  test('empty maps and output-only fields sent back are accepted and ignored', async () => {
    await seedLb(c)
    const got = (await c.get(`${C}/p/global/backendServices/bs1`)).body
    const r = await c.put(`${C}/p/global/backendServices/bs1`, {
      ...got,
      metadatas: {},
      id: '1',
      selfLink: 'x',
      kind: 'y',
      usedBy: [],
      timeoutSec: 60
    })
    expect(r.status).toBe(200)
    const after = (await c.get(`${C}/p/global/backendServices/bs1`)).body
    expect(after.id).toBe(got.id)
    expect(after.selfLink).toBe(got.selfLink)
    expect(after.kind).toBe('compute#backendService')
    expect(after.timeoutSec).toBe(60)
    expect(after._name).toBeUndefined()
    expect(after.metadatas).toBeUndefined()
  })

  test('malformed JSON, unknown collections and wrong methods get Compute-shaped errors', async () => {
    const bad = await c.post(`${C}/p/global/urlMaps`, '{"name":')
    expect(bad.status).toBe(400)
    expect(reason(bad)).toBe('parseError')
    const arr = await c.post(`${C}/p/global/urlMaps`, [1, 2])
    expect(arr.status).toBe(400)
    expect(reason(arr)).toBe('parseError')
    const unknown = await c.get(`${C}/p/global/instances`)
    expect(unknown.status).toBe(404)
    expect(reason(unknown)).toBe('notFound')
    const wrong = await c.put(`${C}/p/global/networkEndpointGroups/x`, {})
    expect(wrong.status).toBe(405)
    expect(reason(wrong)).toBe('httpMethodNotAllowed')
    expect(wrong.body.error.status).toBeUndefined()
    const elsewhere = await c.get('/nothing/here')
    expect(elsewhere.status).toBe(404)
    expect(reason(elsewhere)).toBe('notFound')
    // setUrlMap lives outside /global/ (§7.1).
    expect((await c.post(`${C}/p/global/targetHttpProxies/t/setUrlMap`, {})).status).toBe(404)
  })
})

describe('operations (§11.3)', () => {
  test('every mutation returns an Operation; get and wait by name or id', async () => {
    const r = await c.post(`${C}/p/global/networkEndpointGroups`, {
      name: 'n',
      networkEndpointType: 'INTERNET_IP_PORT'
    })
    expect(r.status).toBe(200)
    const op = r.body
    expect(op).toMatchObject({
      kind: 'compute#operation',
      operationType: 'insert',
      status: 'DONE',
      targetLink: `${BASE}projects/p/global/networkEndpointGroups/n`
    })
    expect(op.id).toMatch(/^\d+$/)
    expect(op.insertTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}-0[78]:00$/)
    for (const key of [op.name, op.id]) {
      expect((await c.get(`${C}/p/global/operations/${key}`)).body.name).toBe(op.name)
      expect((await c.post(`${C}/p/global/operations/${key}/wait`, '""')).body.status).toBe('DONE')
    }
    const list = await c.get(`${C}/p/global/operations`)
    expect(list.body.items.map((o: any) => o.name)).toEqual([op.name])
    const missing = await c.get(`${C}/p/global/operations/operation-nope`)
    expect(missing.status).toBe(404)
    expect(reason(missing)).toBe('notFound')
  })

  test('regional NEG operations live in regionOperations', async () => {
    const r = await c.post(`${C}/p/regions/europe-west1/networkEndpointGroups`, {
      name: 'sneg',
      networkEndpointType: 'SERVERLESS',
      cloudRun: { service: 'hello' },
      annotations: {}
    })
    expect(r.status).toBe(200)
    expect(r.body.region).toBe(`${BASE}projects/p/regions/europe-west1`)
    expect((await c.post(`${C}/p/regions/europe-west1/operations/${r.body.name}/wait`)).body.status).toBe(
      'DONE'
    )
    expect((await c.get(`${C}/p/global/operations/${r.body.name}`)).status).toBe(404)
    const neg = (await c.get(`${C}/p/regions/europe-west1/networkEndpointGroups/sneg`)).body
    expect(neg).toMatchObject({
      kind: 'compute#networkEndpointGroup',
      size: 0,
      region: `${BASE}projects/p/regions/europe-west1`
    })
  })

  test('with operationMs, operations are RUNNING until the clock passes, wait may return RUNNING', async () => {
    await emu.close()
    const clock = manualClock()
    ;({ emu, c } = await start({ operationMs: 5000, now: clock.now, waitCapMs: 50 }))
    const op = (
      await c.post(`${C}/p/global/networkEndpointGroups`, {
        name: 'n',
        networkEndpointType: 'INTERNET_IP_PORT'
      })
    ).body
    expect(op.status).toBe('RUNNING')
    // The change itself is visible at once (documented model).
    expect((await c.get(`${C}/p/global/networkEndpointGroups/n`)).status).toBe(200)
    expect((await c.post(`${C}/p/global/operations/${op.name}/wait`)).body.status).toBe('RUNNING')
    clock.advance(5000)
    const done = (await c.post(`${C}/p/global/operations/${op.id}/wait`)).body
    expect(done.status).toBe('DONE')
    expect(done.progress).toBe(100)
  })

  test('fail-next: the next such operation ends DONE with an UPPER_SNAKE error and changes nothing', async () => {
    emu.failNextOperation('compute.backendServices.insert', 'QUOTA_EXCEEDED')
    const op = (await c.post(`${C}/p/global/backendServices`, { name: 'bs' })).body
    expect(op.status).toBe('DONE')
    expect(op.error.errors[0].code).toBe('QUOTA_EXCEEDED')
    expect(op.httpErrorStatusCode).toBe(403)
    expect(op.httpErrorMessage).toBe('FORBIDDEN')
    expect((await c.get(`${C}/p/global/backendServices/bs`)).status).toBe(404)
    expect((await c.post(`${C}/p/global/backendServices`, { name: 'bs' })).body.error).toBeUndefined()
    expect((await c.get(`${C}/p/global/backendServices/bs`)).status).toBe(200)
  })
})

describe('errors, references, fingerprints (§11.4–§11.6)', () => {
  test('alreadyExists, notFound and the error body shape', async () => {
    await seedLb(c)
    const dup = await c.post(`${C}/p/global/urlMaps`, {
      name: 'um',
      defaultService: 'global/backendServices/bs1'
    })
    expect(dup.status).toBe(409)
    expect(dup.body).toEqual({
      error: {
        code: 409,
        message: "The resource 'projects/p/global/urlMaps/um' already exists",
        errors: [
          {
            message: "The resource 'projects/p/global/urlMaps/um' already exists",
            domain: 'global',
            reason: 'alreadyExists'
          }
        ]
      }
    })
    const nf = await c.get(`${C}/p/global/urlMaps/nope`)
    expect(nf.status).toBe(404)
    expect(nf.body.error.message).toBe("The resource 'projects/p/global/urlMaps/nope' was not found")
    expect((await c.del(`${C}/p/global/backendServices/nope`)).status).toBe(404)
    expect((await c.patch(`${C}/p/global/urlMaps/nope`, { fingerprint: 'x' })).status).toBe(404)
  })

  test('name rule: 400 invalid with the exact message', async () => {
    const r = await c.post(`${C}/p/global/urlMaps`, { name: 'Bad_Name' })
    expect(r.status).toBe(400)
    expect(reason(r)).toBe('invalid')
    expect(r.body.error.message).toBe(
      "Invalid value for field 'resource.name': 'Bad_Name'. Must be a match of regex '(?:[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?)'"
    )
    expect(reason(await c.post(`${C}/p/global/urlMaps`, { name: 'a'.repeat(64) }))).toBe('invalid')
    expect(reason(await c.post(`${C}/p/global/urlMaps`, {}))).toBe('required')
  })

  test('references: partial in, canonical out; must exist (404 naming the ref); cross-project allowed', async () => {
    await seedLb(c, 'team-a')
    const r = await c.post(`${C}/edge/global/urlMaps`, {
      name: 'edge',
      defaultService: 'projects/team-a/global/backendServices/bs1',
      hostRules: [{ hosts: ['api.example.com'], pathMatcher: 'm' }],
      pathMatchers: [{ name: 'm', defaultService: `${BASE}projects/team-a/global/backendServices/bs1` }]
    })
    expect(r.status).toBe(200)
    const map = (await c.get(`${C}/edge/global/urlMaps/edge`)).body
    expect(map.defaultService).toBe(`${BASE}projects/team-a/global/backendServices/bs1`)
    const bs = (await c.get(`${C}/team-a/global/backendServices/bs1`)).body
    expect(bs.usedBy).toEqual([
      { reference: `${BASE}projects/edge/global/urlMaps/edge` },
      { reference: `${BASE}projects/team-a/global/urlMaps/um` }
    ])
    const missing = await c.post(`${C}/edge/global/urlMaps`, {
      name: 'x',
      defaultService: 'global/backendServices/ghost'
    })
    expect(missing.status).toBe(404)
    expect(reason(missing)).toBe('notFound')
    expect(missing.body.error.message).toBe(
      "The resource 'projects/edge/global/backendServices/ghost' was not found"
    )
    const negMissing = await c.post(`${C}/p/global/backendServices`, {
      name: 'b',
      backends: [{ group: 'global/networkEndpointGroups/ghost' }]
    })
    expect(negMissing.status).toBe(404)
    expect(negMissing.body.error.message).toBe(
      "The resource 'projects/p/global/networkEndpointGroups/ghost' was not found"
    )
  })

  test('fingerprints: required on update and patch, 412 when stale, new on every change, ignored on insert', async () => {
    await seedLb(c)
    const um = (await c.get(`${C}/p/global/urlMaps/um`)).body
    expect(um.fingerprint).toMatch(/^[A-Za-z0-9+/]{11}=$/)
    const noFp = await c.put(`${C}/p/global/urlMaps/um`, { name: 'um', defaultService: um.defaultService })
    expect(noFp.status).toBe(400)
    expect(reason(noFp)).toBe('required')
    expect(noFp.body.error.message).toBe("Required field 'resource.fingerprint' not specified")
    expect(reason(await c.patch(`${C}/p/global/urlMaps/um`, { description: 'x' }))).toBe('required')
    const stale = await c.patch(`${C}/p/global/urlMaps/um`, { description: 'x', fingerprint: 'AAAAAAAAAAA=' })
    expect(stale.status).toBe(412)
    expect(reason(stale)).toBe('conditionNotMet')
    expect(
      (await c.patch(`${C}/p/global/urlMaps/um`, { description: 'x', fingerprint: um.fingerprint })).status
    ).toBe(200)
    const after = (await c.get(`${C}/p/global/urlMaps/um`)).body
    expect(after.fingerprint).not.toBe(um.fingerprint)
    expect(after.description).toBe('x')
    expect((await c.put(`${C}/p/global/urlMaps/um`, { ...um, description: 'y' })).status).toBe(412)
    const ins = await c.post(`${C}/p/global/urlMaps`, {
      name: 'um2',
      defaultService: 'global/backendServices/bs1',
      fingerprint: 'ignored='
    })
    expect(ins.status).toBe(200)
    expect((await c.get(`${C}/p/global/urlMaps/um2`)).body.fingerprint).not.toBe('ignored=')
  })

  test('patch is a JSON merge patch: objects merge, arrays replace; update replaces the whole resource', async () => {
    await seedLb(c)
    const bs = (await c.get(`${C}/p/global/backendServices/bs1`)).body
    expect(
      (
        await c.patch(`${C}/p/global/backendServices/bs1`, {
          fingerprint: bs.fingerprint,
          logConfig: { enable: true },
          customRequestHeaders: ['Host: b.a.run.app'],
          metadatas: {}
        })
      ).status
    ).toBe(200)
    const p1 = (await c.get(`${C}/p/global/backendServices/bs1`)).body
    expect(p1.customRequestHeaders).toEqual(['Host: b.a.run.app'])
    expect(p1.logConfig).toEqual({ enable: true })
    expect(p1.protocol).toBe('HTTPS')
    expect(
      (
        await c.patch(`${C}/p/global/backendServices/bs1`, {
          fingerprint: p1.fingerprint,
          logConfig: { sampleRate: 0.5 }
        })
      ).status
    ).toBe(200)
    const p2 = (await c.get(`${C}/p/global/backendServices/bs1`)).body
    expect(p2.logConfig).toEqual({ enable: true, sampleRate: 0.5 })
    const { customRequestHeaders: _drop, ...rest } = p2
    expect((await c.put(`${C}/p/global/backendServices/bs1`, rest)).status).toBe(200)
    expect((await c.get(`${C}/p/global/backendServices/bs1`)).body.customRequestHeaders).toBeUndefined()
  })
})

describe('enforcement (§11.7)', () => {
  test('resourceInUseByAnotherResource for NEG, backend service, URL map, proxy and certificate', async () => {
    await seedLb(c)
    const negDel = await c.del(`${C}/p/global/networkEndpointGroups/neg1`)
    expect(negDel.status).toBe(400)
    expect(reason(negDel)).toBe('resourceInUseByAnotherResource')
    expect(negDel.body.error.message).toBe(
      "The network_endpoint_group resource 'projects/p/global/networkEndpointGroups/neg1' is already being used by 'projects/p/global/backendServices/bs1'"
    )
    expect(reason(await c.del(`${C}/p/global/backendServices/bs1`))).toBe('resourceInUseByAnotherResource')
    expect(
      (
        await c.post(`${C}/p/global/sslCertificates`, {
          name: 'cert',
          type: 'MANAGED',
          managed: { domains: ['a.example.com'], domainStatus: {} }
        })
      ).status
    ).toBe(200)
    expect((await c.get(`${C}/p/global/sslCertificates/cert`)).body.managed).toEqual({
      domains: ['a.example.com'],
      status: 'PROVISIONING',
      domainStatus: { 'a.example.com': 'PROVISIONING' }
    })
    expect(
      (
        await c.post(`${C}/p/global/targetHttpsProxies`, {
          name: 'px',
          urlMap: 'global/urlMaps/um',
          sslCertificates: ['global/sslCertificates/cert']
        })
      ).status
    ).toBe(200)
    expect(reason(await c.del(`${C}/p/global/urlMaps/um`))).toBe('resourceInUseByAnotherResource')
    expect(reason(await c.del(`${C}/p/global/sslCertificates/cert`))).toBe('resourceInUseByAnotherResource')
    const addr = await c.post(`${C}/p/global/addresses`, { name: 'ip', ipVersion: 'IPV4' })
    expect(addr.status).toBe(200)
    const ip = (await c.get(`${C}/p/global/addresses/ip`)).body
    expect(ip.address).toMatch(/^(192\.0\.2|198\.51\.100|203\.0\.113)\.\d+$/)
    expect(ip.status).toBe('RESERVED')
    const fr = await c.post(`${C}/p/global/forwardingRules`, {
      name: 'fr',
      IPAddress: 'global/addresses/ip',
      IPProtocol: 'TCP',
      portRange: '443',
      target: 'global/targetHttpsProxies/px',
      loadBalancingScheme: 'EXTERNAL_MANAGED',
      labels: {}
    })
    expect(fr.status).toBe(200)
    expect((await c.get(`${C}/p/global/forwardingRules/fr`)).body).toMatchObject({
      IPAddress: ip.address,
      portRange: '443-443',
      target: `${BASE}projects/p/global/targetHttpsProxies/px`
    })
    expect((await c.get(`${C}/p/global/addresses/ip`)).body.status).toBe('IN_USE')
    expect(reason(await c.del(`${C}/p/global/targetHttpsProxies/px`))).toBe('resourceInUseByAnotherResource')
    // Top-down deletion works.
    for (const path of [
      'global/forwardingRules/fr',
      'global/targetHttpsProxies/px',
      'global/sslCertificates/cert',
      'global/urlMaps/um',
      'global/backendServices/bs1',
      'global/networkEndpointGroups/neg1'
    ])
      expect((await c.del(`${C}/p/${path}`)).status).toBe(200)
  })

  test('backend service used only through a route rule, weighted backend or test-free matcher is in use', async () => {
    await seedLb(c)
    await c.post(`${C}/p/global/backendServices`, {
      name: 'bs2',
      protocol: 'HTTPS',
      loadBalancingScheme: 'EXTERNAL_MANAGED'
    })
    const um = (await c.get(`${C}/p/global/urlMaps/um`)).body
    const r = await c.put(`${C}/p/global/urlMaps/um`, {
      ...um,
      hostRules: [{ hosts: ['*'], pathMatcher: 'm' }],
      pathMatchers: [
        {
          name: 'm',
          defaultService: 'global/backendServices/bs1',
          routeRules: [
            {
              priority: 1,
              matchRules: [{ prefixMatch: '/x' }],
              routeAction: {
                weightedBackendServices: [{ backendService: 'global/backendServices/bs2', weight: 100 }]
              }
            }
          ]
        }
      ]
    })
    expect(r.status).toBe(200)
    expect(reason(await c.del(`${C}/p/global/backendServices/bs2`))).toBe('resourceInUseByAnotherResource')
  })

  test('internet NEG rules: one endpoint, fqdn vs ipAddress, one NEG per backend service, no health checks', async () => {
    await seedLb(c)
    const second = await c.post(`${C}/p/global/networkEndpointGroups/neg1/attachNetworkEndpoints`, {
      networkEndpoints: [{ fqdn: 'other.a.run.app', port: 443 }]
    })
    expect(second.status).toBe(400)
    expect(reason(second)).toBe('invalid')
    expect((await c.get(`${C}/p/global/networkEndpointGroups/neg1`)).body.size).toBe(1)
    await c.post(`${C}/p/global/networkEndpointGroups`, {
      name: 'ipneg',
      networkEndpointType: 'INTERNET_IP_PORT'
    })
    expect(
      reason(
        await c.post(`${C}/p/global/networkEndpointGroups/ipneg/attachNetworkEndpoints`, {
          networkEndpoints: [{ fqdn: 'x.example.com' }]
        })
      )
    ).toBe('invalid')
    expect(
      reason(
        await c.post(`${C}/p/global/networkEndpointGroups/ipneg/attachNetworkEndpoints`, {
          networkEndpoints: [{ ipAddress: '10.0.0.1', port: 443 }]
        })
      )
    ).toBe('invalid')
    expect(
      reason(
        await c.post(`${C}/p/global/networkEndpointGroups/neg1/attachNetworkEndpoints`, {
          networkEndpoints: [{ ipAddress: '8.8.8.8' }]
        })
      )
    ).toBe('invalid')
    expect(
      (
        await c.post(`${C}/p/global/networkEndpointGroups/ipneg/attachNetworkEndpoints`, {
          networkEndpoints: [{ ipAddress: '8.8.8.8', port: 443 }]
        })
      ).status
    ).toBe(200)
    const two = await c.post(`${C}/p/global/backendServices`, {
      name: 'two',
      protocol: 'HTTPS',
      backends: [
        { group: 'global/networkEndpointGroups/neg1' },
        { group: 'global/networkEndpointGroups/ipneg' }
      ]
    })
    expect(two.status).toBe(400)
    expect(reason(two)).toBe('invalid')
    const hc = await c.post(`${C}/p/global/backendServices`, {
      name: 'hc',
      backends: [{ group: 'global/networkEndpointGroups/ipneg' }],
      healthChecks: ['global/healthChecks/h']
    })
    expect(hc.status).toBe(400)
    expect(reason(hc)).toBe('invalid')
    expect(
      (
        await c.post(`${C}/p/global/networkEndpointGroups/neg1/detachNetworkEndpoints`, {
          networkEndpoints: [{ fqdn: 'hello-abc-ew.a.run.app', port: 443 }]
        })
      ).status
    ).toBe(200)
    expect((await c.get(`${C}/p/global/networkEndpointGroups/neg1`)).body.size).toBe(0)
    expect(
      reason(
        await c.post(`${C}/p/global/networkEndpointGroups`, { name: 'g', networkEndpointType: 'SERVERLESS' })
      )
    ).toBe('invalid')
  })

  test('serverless NEG backends: timeoutSec refused with the documented message; one NEG per region', async () => {
    for (const region of ['europe-west1', 'us-central1'])
      await c.post(`${C}/p/regions/${region}/networkEndpointGroups`, {
        name: 'sneg',
        networkEndpointType: 'SERVERLESS',
        cloudRun: { service: 'api' }
      })
    const backends = [
      { group: 'regions/europe-west1/networkEndpointGroups/sneg' },
      { group: 'regions/us-central1/networkEndpointGroups/sneg' }
    ]
    const t = await c.post(`${C}/p/global/backendServices`, { name: 'api', backends, timeoutSec: 30 })
    expect(t.status).toBe(400)
    expect(reason(t)).toBe('invalid')
    expect(t.body.error.message).toBe(
      "Invalid value for field 'resource.timeoutSec': '30'. Timeout sec is not supported for a backend service with Serverless network endpoint groups."
    )
    expect(
      (
        await c.post(`${C}/p/global/backendServices`, {
          name: 'api',
          backends,
          loadBalancingScheme: 'EXTERNAL_MANAGED'
        })
      ).status
    ).toBe(200)
    const got = (await c.get(`${C}/p/global/backendServices/api`)).body
    expect(got.timeoutSec).toBeUndefined()
    expect(got.backends[0].group).toBe(`${BASE}projects/p/regions/europe-west1/networkEndpointGroups/sneg`)
    await c.post(`${C}/p/regions/europe-west1/networkEndpointGroups`, {
      name: 'sneg2',
      networkEndpointType: 'SERVERLESS',
      cloudRun: { service: 'api' }
    })
    expect(
      reason(
        await c.post(`${C}/p/global/backendServices`, {
          name: 'dup',
          backends: [...backends, { group: 'regions/europe-west1/networkEndpointGroups/sneg2' }]
        })
      )
    ).toBe('invalid')
    expect(reason(await c.del(`${C}/p/regions/europe-west1/networkEndpointGroups/sneg`))).toBe(
      'resourceInUseByAnotherResource'
    )
    expect(
      reason(
        await c.post(`${C}/p/regions/r/networkEndpointGroups`, {
          name: 'x',
          networkEndpointType: 'SERVERLESS',
          cloudRun: { service: 'a' },
          defaultPort: 80
        })
      )
    ).toBe('invalid')
    expect(
      reason(
        await c.post(`${C}/p/regions/r/networkEndpointGroups`, {
          name: 'x',
          networkEndpointType: 'SERVERLESS'
        })
      )
    ).toBe('invalid')
  })

  test('load balancing schemes must agree within a URL map and with the backend service changes', async () => {
    await seedLb(c)
    await c.post(`${C}/p/global/backendServices`, { name: 'classic', loadBalancingScheme: 'EXTERNAL' })
    const mixed = await c.post(`${C}/p/global/urlMaps`, {
      name: 'mixed',
      defaultService: 'global/backendServices/bs1',
      hostRules: [{ hosts: ['a.example.com'], pathMatcher: 'm' }],
      pathMatchers: [{ name: 'm', defaultService: 'global/backendServices/classic' }]
    })
    expect(mixed.status).toBe(400)
    expect(reason(mixed)).toBe('invalid')
    await c.post(`${C}/p/global/backendServices`, { name: 'bs3', loadBalancingScheme: 'EXTERNAL_MANAGED' })
    const um = (await c.get(`${C}/p/global/urlMaps/um`)).body
    await c.put(`${C}/p/global/urlMaps/um`, {
      ...um,
      hostRules: [{ hosts: ['a.example.com'], pathMatcher: 'm' }],
      pathMatchers: [{ name: 'm', defaultService: 'global/backendServices/bs3' }]
    })
    const bs3 = (await c.get(`${C}/p/global/backendServices/bs3`)).body
    const flip = await c.patch(`${C}/p/global/backendServices/bs3`, {
      fingerprint: bs3.fingerprint,
      loadBalancingScheme: 'EXTERNAL'
    })
    expect(flip.status).toBe(400)
    expect(reason(flip)).toBe('invalid')
    const internal = await c.post(`${C}/p/global/backendServices`, {
      name: 'int',
      loadBalancingScheme: 'INTERNAL_MANAGED'
    })
    expect(internal.status).toBe(200)
    expect(
      reason(
        await c.post(`${C}/p/global/urlMaps`, { name: 'i', defaultService: 'global/backendServices/int' })
      )
    ).toBe('invalid')
  })

  test('URL map structure is validated (400 invalid) and its tests run on insert/update', async () => {
    await seedLb(c)
    const badMatcher = await c.post(`${C}/p/global/urlMaps`, {
      name: 'bad',
      defaultService: 'global/backendServices/bs1',
      hostRules: [{ hosts: ['a.example.com'], pathMatcher: 'c' }],
      pathMatchers: [{ name: 'm', defaultService: 'global/backendServices/bs1' }]
    })
    expect(badMatcher.status).toBe(400)
    expect(reason(badMatcher)).toBe('invalid')
    expect(badMatcher.body.error.message).toBe(
      "Invalid value for field 'resource.hostRules[0].pathMatcher': 'c'. Bad path matcher name specified in host rule"
    )
    await c.post(`${C}/p/global/backendServices`, { name: 'bs2', loadBalancingScheme: 'EXTERNAL_MANAGED' })
    const failing = await c.post(`${C}/p/global/urlMaps`, {
      name: 'tested',
      defaultService: 'global/backendServices/bs1',
      tests: [{ host: 'www.example.com', path: '/x', service: 'global/backendServices/bs2' }]
    })
    expect(failing.status).toBe(400)
    expect(reason(failing)).toBe('invalid')
    expect(failing.body.error.message).toBe(
      `Invalid value for field 'urlMap.tests': ''. Test failure: Expect URL 'www.example.com/x' to map to service '${BASE}projects/p/global/backendServices/bs2', but actually mapped to '${BASE}projects/p/global/backendServices/bs1'.`
    )
    expect((await c.get(`${C}/p/global/urlMaps/tested`)).status).toBe(404)
  })

  test('validate never persists and reports config errors as loadErrors with HTTP 200', async () => {
    await seedLb(c)
    const ok = await c.post(`${C}/p/global/urlMaps/new-map/validate`, {
      loadBalancingSchemes: ['EXTERNAL_MANAGED'],
      resource: {
        name: 'new-map',
        defaultService: 'global/backendServices/bs1',
        hostRules: [{ hosts: ['www.example.com'], pathMatcher: 'm' }],
        pathMatchers: [
          {
            name: 'm',
            defaultService: 'global/backendServices/bs1',
            pathRules: [
              {
                paths: ['/hello2', '/hello2/*'],
                service: 'global/backendServices/bs1',
                routeAction: { urlRewrite: { pathPrefixRewrite: '/' } }
              }
            ]
          }
        ],
        tests: [
          {
            host: 'www.example.com',
            path: '/hello2/x',
            service: 'global/backendServices/bs1',
            expectedOutputUrl: 'www.example.com/x'
          },
          { host: 'www.example.com', path: '/y', service: 'global/backendServices/bs1' }
        ]
      }
    })
    expect(ok.status).toBe(200)
    expect(ok.body).toEqual({ result: { loadSucceeded: true, testPassed: true } })
    expect((await c.get(`${C}/p/global/urlMaps/new-map`)).status).toBe(404)
    const failing = await c.post(`${C}/p/global/urlMaps/um/validate`, {
      resource: {
        name: 'um',
        defaultService: 'global/backendServices/bs1',
        tests: [{ host: 'h', path: '/', service: 'global/backendServices/other' }]
      }
    })
    expect(failing.status).toBe(200)
    expect(failing.body.result.loadSucceeded).toBe(false)
    expect(failing.body.result.loadErrors[0]).toBe(
      "The resource 'projects/p/global/backendServices/other' was not found"
    )
    await c.post(`${C}/p/global/backendServices`, { name: 'bs2', loadBalancingScheme: 'EXTERNAL_MANAGED' })
    const testFail = await c.post(`${C}/p/global/urlMaps/um/validate`, {
      resource: {
        name: 'um',
        defaultService: 'global/backendServices/bs1',
        tests: [{ host: 'h', path: '/', service: 'global/backendServices/bs2' }]
      }
    })
    expect(testFail.body.result.loadSucceeded).toBe(true)
    expect(testFail.body.result.testPassed).toBe(false)
    expect(testFail.body.result.testFailures[0]).toMatchObject({
      host: 'h',
      path: '/',
      actualService: `${BASE}projects/p/global/backendServices/bs1`
    })
    const structural = await c.post(`${C}/p/global/urlMaps/um/validate`, {
      resource: {
        name: 'um',
        defaultService: 'global/backendServices/bs1',
        hostRules: [{ hosts: ['a'], pathMatcher: 'zz' }]
      }
    })
    expect(structural.status).toBe(200)
    expect(structural.body.result.loadErrors).toContain(
      "Invalid value for field 'resource.hostRules[0].pathMatcher': 'zz'. Bad path matcher name specified in host rule"
    )
    expect(reason(await c.post(`${C}/p/global/urlMaps/um/validate`, {}))).toBe('required')
  })

  test('target proxies: setUrlMap without /global/, setSslCertificates; references must exist', async () => {
    await seedLb(c)
    expect(reason(await c.post(`${C}/p/global/targetHttpProxies`, { name: 't' }))).toBe('required')
    expect(
      (await c.post(`${C}/p/global/targetHttpProxies`, { name: 't', urlMap: 'global/urlMaps/ghost' })).status
    ).toBe(404)
    expect(
      (await c.post(`${C}/p/global/targetHttpProxies`, { name: 't', urlMap: 'global/urlMaps/um' })).status
    ).toBe(200)
    await c.post(`${C}/p/global/backendServices`, { name: 'bs2', loadBalancingScheme: 'EXTERNAL_MANAGED' })
    await c.post(`${C}/p/global/urlMaps`, { name: 'um2', defaultService: 'global/backendServices/bs2' })
    const set = await c.post(`${C}/p/targetHttpProxies/t/setUrlMap?`, {
      urlMap: 'projects/p/global/urlMaps/um2'
    })
    expect(set.status).toBe(200)
    expect(set.body.operationType).toBe('setUrlMap')
    expect((await c.get(`${C}/p/global/targetHttpProxies/t`)).body.urlMap).toBe(
      `${BASE}projects/p/global/urlMaps/um2`
    )
    await c.post(`${C}/p/global/sslCertificates`, { name: 'c1', managed: { domains: ['a.example.com'] } })
    await c.post(`${C}/p/global/sslCertificates`, { name: 'c2', managed: { domains: ['b.example.com'] } })
    expect(
      reason(await c.post(`${C}/p/global/targetHttpsProxies`, { name: 's', urlMap: 'global/urlMaps/um' }))
    ).toBe('invalid')
    expect(
      (
        await c.post(`${C}/p/global/targetHttpsProxies`, {
          name: 's',
          urlMap: 'global/urlMaps/um',
          sslCertificates: ['global/sslCertificates/c1']
        })
      ).status
    ).toBe(200)
    expect(
      (
        await c.post(`${C}/p/targetHttpsProxies/s/setSslCertificates`, {
          sslCertificates: ['global/sslCertificates/c2']
        })
      ).status
    ).toBe(200)
    expect((await c.get(`${C}/p/global/targetHttpsProxies/s`)).body.sslCertificates).toEqual([
      `${BASE}projects/p/global/sslCertificates/c2`
    ])
    expect((await c.del(`${C}/p/global/sslCertificates/c1`)).status).toBe(200)
    expect(
      (
        await c.post(`${C}/p/targetHttpsProxies/s/setSslCertificates`, {
          sslCertificates: ['global/sslCertificates/ghost']
        })
      ).status
    ).toBe(404)
  })

  test('frontend chain: setSslPolicy under /global/, setTarget, address resolution and in-use deletes', async () => {
    await seedLb(c)
    await c.post(`${C}/p/global/sslCertificates`, { name: 'c1', managed: { domains: ['a.example.com'] } })
    expect(
      reason(
        await c.post(`${C}/p/global/sslCertificates`, { name: 'w', managed: { domains: ['*.example.com'] } })
      )
    ).toBe('invalid')
    const proxy = { name: 's', urlMap: 'global/urlMaps/um', sslCertificates: ['global/sslCertificates/c1'] }
    expect(
      (await c.post(`${C}/p/global/targetHttpsProxies`, { ...proxy, sslPolicy: 'global/sslPolicies/modern' }))
        .status
    ).toBe(404)
    await c.post(`${C}/p/global/sslPolicies`, { name: 'modern', profile: 'MODERN', minTlsVersion: 'TLS_1_2' })
    expect((await c.post(`${C}/p/global/targetHttpsProxies`, proxy)).status).toBe(200)
    // setSslPolicy lives under /global/ (unlike setUrlMap); an empty body detaches the policy.
    expect((await c.post(`${C}/p/targetHttpsProxies/s/setSslPolicy`, {})).status).toBe(404)
    const set = await c.post(`${C}/p/global/targetHttpsProxies/s/setSslPolicy`, {
      sslPolicy: 'global/sslPolicies/modern'
    })
    expect(set.body.operationType).toBe('setSslPolicy')
    expect((await c.get(`${C}/p/global/targetHttpsProxies/s`)).body.sslPolicy).toBe(
      `${BASE}projects/p/global/sslPolicies/modern`
    )
    expect(reason(await c.del(`${C}/p/global/sslPolicies/modern`))).toBe('resourceInUseByAnotherResource')
    await c.post(`${C}/p/global/targetHttpsProxies/s/setSslPolicy`, {})
    expect((await c.get(`${C}/p/global/targetHttpsProxies/s`)).body.sslPolicy).toBeUndefined()

    // A forwarding rule takes the address by name and stores its IP; the address is then IN_USE.
    await c.post(`${C}/p/global/addresses`, { name: 'ip', ipVersion: 'IPV4' })
    const ip = (await c.get(`${C}/p/global/addresses/ip`)).body.address
    expect(ip).toMatch(/^\d+\.\d+\.\d+\.\d+$/)
    await c.post(`${C}/p/global/forwardingRules`, {
      name: 'fr',
      IPAddress: 'global/addresses/ip',
      portRange: '443',
      target: 'global/targetHttpsProxies/s',
      loadBalancingScheme: 'EXTERNAL_MANAGED'
    })
    const fr = (await c.get(`${C}/p/global/forwardingRules/fr`)).body
    expect(fr).toMatchObject({ IPAddress: ip, portRange: '443-443', IPProtocol: 'TCP' })
    expect((await c.get(`${C}/p/global/addresses/ip`)).body.status).toBe('IN_USE')
    for (const path of ['addresses/ip', 'targetHttpsProxies/s', 'sslCertificates/c1', 'urlMaps/um'])
      expect(reason(await c.del(`${C}/p/global/${path}`))).toBe('resourceInUseByAnotherResource')

    // setTarget moves the rule; the target must exist.
    await c.post(`${C}/p/global/targetHttpsProxies`, { ...proxy, name: 's2' })
    expect(
      (await c.post(`${C}/p/global/forwardingRules/fr/setTarget`, { target: 'global/targetHttpsProxies/x' }))
        .status
    ).toBe(404)
    const moved = await c.post(`${C}/p/global/forwardingRules/fr/setTarget`, {
      target: 'global/targetHttpsProxies/s2'
    })
    expect(moved.body.operationType).toBe('setTarget')
    expect((await c.get(`${C}/p/global/forwardingRules/fr`)).body.target).toBe(
      `${BASE}projects/p/global/targetHttpsProxies/s2`
    )
    expect((await c.del(`${C}/p/global/targetHttpsProxies/s`)).status).toBe(200)
    // A bare address name is accepted too.
    const bare = { name: 'fr2', IPAddress: 'ip', portRange: '8443', target: 'global/targetHttpsProxies/s2' }
    expect((await c.post(`${C}/p/global/forwardingRules`, bare)).status).toBe(200)
    expect((await c.get(`${C}/p/global/forwardingRules/fr2`)).body.IPAddress).toBe(ip)
  })

  test('setSecurityPolicy sets the output-only field and changes the fingerprint', async () => {
    await seedLb(c)
    const before = (await c.get(`${C}/p/global/backendServices/bs1`)).body
    const op = await c.post(`${C}/p/global/backendServices/bs1/setSecurityPolicy`, {
      securityPolicy: 'global/securityPolicies/sp'
    })
    expect(op.body.operationType).toBe('setSecurityPolicy')
    const after = (await c.get(`${C}/p/global/backendServices/bs1`)).body
    expect(after.securityPolicy).toBe(`${BASE}projects/p/global/securityPolicies/sp`)
    expect(after.fingerprint).not.toBe(before.fingerprint)
    // update cannot change it (output only) and keeps it.
    expect(
      (
        await c.put(`${C}/p/global/backendServices/bs1`, {
          ...after,
          securityPolicy: 'global/securityPolicies/other'
        })
      ).status
    ).toBe(200)
    expect((await c.get(`${C}/p/global/backendServices/bs1`)).body.securityPolicy).toBe(
      `${BASE}projects/p/global/securityPolicies/sp`
    )
  })
})

describe('requestId (§1.5)', () => {
  test('the same requestId and target returns the same operation with no second effect', async () => {
    const id = '7f2c7a5e-1111-4222-8333-444455556666'
    const body = { name: 'n', networkEndpointType: 'INTERNET_IP_PORT' }
    const a = await c.post(`${C}/p/global/networkEndpointGroups?requestId=${id}`, body)
    const b = await c.post(`${C}/p/global/networkEndpointGroups?requestId=${id}`, body)
    expect(b.status).toBe(200)
    expect(b.body.name).toBe(a.body.name)
    expect(b.body.clientOperationId).toBe(id)
    const del1 = await c.del(
      `${C}/p/global/networkEndpointGroups/n?requestId=aaaaaaaa-1111-4222-8333-444455556666`
    )
    const del2 = await c.del(
      `${C}/p/global/networkEndpointGroups/n?requestId=aaaaaaaa-1111-4222-8333-444455556666`
    )
    expect(del2.body.name).toBe(del1.body.name)
    expect((await c.get(`${C}/p/global/operations`)).body.items).toHaveLength(2)
    expect(reason(await c.post(`${C}/p/global/networkEndpointGroups?requestId=abc`, body))).toBe('invalid')
  })
})

describe('lists (§1.4, §11.10)', () => {
  beforeEach(async () => {
    for (const [name, description] of [
      ['alpha', 'lb-routes owner=team-a route=x'],
      ['beta', 'lb-routes owner=team-b'],
      ['gamma', 'lb-routes owner=team-a route=y'],
      ['delta', '']
    ])
      await c.post(`${C}/p/global/networkEndpointGroups`, {
        name,
        description,
        networkEndpointType: 'INTERNET_FQDN_PORT'
      })
  })
  const names = async (query: string): Promise<string[]> =>
    ((await c.get(`${C}/p/global/networkEndpointGroups?${query}`)).body.items ?? []).map((x: any) => x.name)

  test('pagination: maxResults, pageToken, nextPageToken; items absent when empty', async () => {
    const first = (await c.get(`${C}/p/global/networkEndpointGroups?maxResults=3`)).body
    expect(first.kind).toBe('compute#networkEndpointGroupList')
    expect(first.items.map((x: any) => x.name)).toEqual(['alpha', 'beta', 'delta'])
    const second = (
      await c.get(`${C}/p/global/networkEndpointGroups?maxResults=3&pageToken=${first.nextPageToken}`)
    ).body
    expect(second.items.map((x: any) => x.name)).toEqual(['gamma'])
    expect(second.nextPageToken).toBeUndefined()
    const empty = (await c.get(`${C}/p/global/urlMaps`)).body
    expect(empty).toEqual({
      kind: 'compute#urlMapList',
      id: 'projects/p/global/urlMaps',
      selfLink: `${BASE}projects/p/global/urlMaps`
    })
    expect(reason(await c.get(`${C}/p/global/networkEndpointGroups?maxResults=501`))).toBe('invalid')
    expect(reason(await c.get(`${C}/p/global/networkEndpointGroups?pageToken=garbage`))).toBe('invalid')
  })

  test('filters: =, !=, eq regexp, description contains, AND/OR', async () => {
    expect(await names(`filter=${encodeURIComponent('name = "beta"')}`)).toEqual(['beta'])
    expect(await names(`filter=${encodeURIComponent('name != beta')}`)).toEqual(['alpha', 'delta', 'gamma'])
    expect(await names(`filter=${encodeURIComponent("name eq 'a.*'")}`)).toEqual(['alpha'])
    expect(await names(`filter=${encodeURIComponent('name eq .*ta')}`)).toEqual(['beta', 'delta'])
    expect(await names(`filter=${encodeURIComponent('description eq ".*owner=team-a.*"')}`)).toEqual([
      'alpha',
      'gamma'
    ])
    expect(
      await names(`filter=${encodeURIComponent('(description eq ".*owner=team-a.*") (name eq gamma)')}`)
    ).toEqual(['gamma'])
    expect(await names(`filter=${encodeURIComponent('name = "a*"')}`)).toEqual(['alpha'])
    expect(await names(`filter=${encodeURIComponent('name = alpha OR name = beta')}`)).toEqual([
      'alpha',
      'beta'
    ])
    expect(await names(`filter=${encodeURIComponent('description:owner=team-b')}`)).toEqual(['beta'])
    expect(await names(`filter=${encodeURIComponent('name = "alpha" AND description:team-b')}`)).toEqual([])
    expect(await names(`filter=${encodeURIComponent('NOT name = alpha')}`)).toEqual([
      'beta',
      'delta',
      'gamma'
    ])
    expect(
      reason(await c.get(`${C}/p/global/networkEndpointGroups?filter=${encodeURIComponent('name ~ x')}`))
    ).toBe('invalid')
  })
})
