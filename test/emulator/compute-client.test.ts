// Conformance with the official @google-cloud/compute client over REST (gce-api.md §9.3): the emulator
// speaks the wire protocol the real client speaks, including its quirks (§9.4, §9.5).
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import {
  BackendServicesClient,
  GlobalAddressesClient,
  GlobalForwardingRulesClient,
  GlobalNetworkEndpointGroupsClient,
  GlobalOperationsClient,
  RegionNetworkEndpointGroupsClient,
  RegionOperationsClient,
  SslCertificatesClient,
  TargetHttpsProxiesClient,
  UrlMapsClient
} from '@google-cloud/compute'
import { OAuth2Client } from 'google-auth-library'
import type { Emulator } from '../../src/emulator/server.js'
import { BASE, start } from './helpers.js'

const CALL = { timeout: 5000 }
let emu: Emulator
let opts: { apiEndpoint: string; port: number; protocol: string; authClient: OAuth2Client }

beforeAll(async () => {
  ;({ emu } = await start())
  const authClient = new OAuth2Client()
  authClient.setCredentials({ access_token: 'fake-token' })
  opts = { apiEndpoint: '127.0.0.1', port: emu.port, protocol: 'http', authClient }
})
afterAll(() => emu.close())

/** failure captures a rejected call: gRPC code, HTTP status and the Compute reason from the raw body. */
async function failure(p: Promise<unknown>): Promise<{ code: number; http: number; reason?: string }> {
  try {
    await p
  } catch (e: any) {
    const raw = e[Symbol.for('google-gax.rawHttpResponsePayload')]
    const body = typeof raw === 'string' ? JSON.parse(raw) : raw
    return { code: e.code, http: e.httpStatusCode, reason: body?.error?.errors?.[0]?.reason }
  }
  throw new Error('expected the call to fail')
}

describe('official client', () => {
  const project = 'my-proj'

  test('NEG → backend service → URL map, with operations waited by the numeric id the client exposes', async () => {
    const negs = new GlobalNetworkEndpointGroupsClient(opts)
    const ops = new GlobalOperationsClient(opts)
    const [lro] = await negs.insert(
      {
        project,
        requestId: '11111111-2222-4333-8444-555555555555',
        networkEndpointGroupResource: {
          name: 'neg1',
          networkEndpointType: 'INTERNET_FQDN_PORT',
          defaultPort: 443
        }
      },
      CALL
    )
    const op = lro.latestResponse as unknown as { name: string; status: string; id: string }
    expect(op.status).toBe('DONE')
    // `lro.name` is the operation's numeric id; both it and the name resolve (§9.5).
    expect(lro.name).toBe(op.id)
    const [waited] = await ops.wait({ project, operation: lro.name! }, CALL)
    expect(waited.status).toBe('DONE')
    const [byName] = await ops.get({ project, operation: op.name }, CALL)
    expect(byName.id).toBe(op.id)

    await negs.attachNetworkEndpoints(
      {
        project,
        networkEndpointGroup: 'neg1',
        globalNetworkEndpointGroupsAttachEndpointsRequestResource: {
          networkEndpoints: [{ fqdn: 'hello-abc-ew.a.run.app', port: 443 }]
        }
      },
      CALL
    )
    const [endpoints] = await negs.listNetworkEndpoints({ project, networkEndpointGroup: 'neg1' }, CALL)
    expect(endpoints.map((e) => e.networkEndpoint?.fqdn)).toEqual(['hello-abc-ew.a.run.app'])
    const [neg] = await negs.get({ project, networkEndpointGroup: 'neg1' }, CALL)
    expect(neg.size).toBe(1)

    const bss = new BackendServicesClient(opts)
    await bss.insert(
      {
        project,
        backendServiceResource: {
          name: 'bs1',
          protocol: 'HTTPS',
          loadBalancingScheme: 'EXTERNAL_MANAGED',
          backends: [{ group: `${BASE}projects/${project}/global/networkEndpointGroups/neg1` }],
          customRequestHeaders: ['Host: hello-abc-ew.a.run.app'],
          enableCDN: false,
          logConfig: { enable: true, sampleRate: 1 }
        }
      },
      CALL
    )
    await bss.insert(
      { project, backendServiceResource: { name: 'bs2', loadBalancingScheme: 'EXTERNAL_MANAGED' } },
      CALL
    )
    const maps = new UrlMapsClient(opts)
    await maps.insert(
      {
        project,
        urlMapResource: {
          name: 'um1',
          defaultService: 'global/backendServices/bs1',
          hostRules: [{ hosts: ['www.example.com'], pathMatcher: 'm' }],
          pathMatchers: [
            {
              name: 'm',
              defaultService: 'global/backendServices/bs1',
              pathRules: [
                {
                  paths: ['/hello2', '/hello2/*'],
                  service: 'global/backendServices/bs2',
                  routeAction: { urlRewrite: { pathPrefixRewrite: '/' } }
                }
              ]
            }
          ]
        }
      },
      CALL
    )
    const [map] = await maps.get({ project, urlMap: 'um1' }, CALL)
    expect(map.defaultService).toBe(`${BASE}projects/${project}/global/backendServices/bs1`)
    expect(map.pathMatchers?.[0]?.pathRules?.[0]?.service).toBe(
      `${BASE}projects/${project}/global/backendServices/bs2`
    )

    // A decoded GET result (with `_` keys and empty arrays) goes straight back into update (§9.4).
    const [updated] = await maps.update(
      { project, urlMap: 'um1', urlMapResource: { ...map, description: 'v2' } },
      CALL
    )
    expect((updated.latestResponse as unknown as { operationType: string }).operationType).toBe('update')
    const [after] = await maps.get({ project, urlMap: 'um1' }, CALL)
    expect(after.description).toBe('v2')
    expect(after.fingerprint).not.toBe(map.fingerprint)

    // Stale fingerprint → 412 → code 9; missing fingerprint → 400 → code 3 (§9.5).
    expect(
      await failure(
        maps.patch(
          { project, urlMap: 'um1', urlMapResource: { description: 'x', fingerprint: map.fingerprint } },
          CALL
        )
      )
    ).toEqual({
      code: 9,
      http: 412,
      reason: 'conditionNotMet'
    })
    expect(
      await failure(maps.patch({ project, urlMap: 'um1', urlMapResource: { description: 'x' } }, CALL))
    ).toEqual({
      code: 3,
      http: 400,
      reason: 'required'
    })
    await maps.patch(
      { project, urlMap: 'um1', urlMapResource: { description: 'v3', fingerprint: after.fingerprint } },
      CALL
    )
    const [bs] = await bss.get({ project, backendService: 'bs1' }, CALL)
    expect(bs.usedBy?.map((u) => u.reference)).toEqual([`${BASE}projects/${project}/global/urlMaps/um1`])
    await bss.patch(
      {
        project,
        backendService: 'bs1',
        backendServiceResource: { timeoutSec: 60, fingerprint: bs.fingerprint }
      },
      CALL
    )
    expect((await bss.get({ project, backendService: 'bs1' }, CALL))[0].timeoutSec).toBe(60)

    // validate: loadSucceeded / testPassed, never persisted.
    const [validated] = await maps.validate(
      {
        project,
        urlMap: 'candidate',
        urlMapsValidateRequestResource: {
          loadBalancingSchemes: ['EXTERNAL_MANAGED'],
          resource: {
            ...after,
            name: 'candidate',
            tests: [
              {
                host: 'www.example.com',
                path: '/hello2/x',
                service: 'global/backendServices/bs2',
                expectedOutputUrl: 'www.example.com/x'
              }
            ]
          }
        }
      },
      CALL
    )
    expect(validated.result?.loadSucceeded).toBe(true)
    expect(validated.result?.testPassed).toBe(true)
    expect(await failure(maps.get({ project, urlMap: 'candidate' }, CALL))).toEqual({
      code: 5,
      http: 404,
      reason: 'notFound'
    })
  })

  test('error mapping: 409→10, 404→5, 400→3 with the Compute reasons', async () => {
    const maps = new UrlMapsClient(opts)
    const bss = new BackendServicesClient(opts)
    expect(
      await failure(
        maps.insert(
          { project, urlMapResource: { name: 'um1', defaultService: 'global/backendServices/bs1' } },
          CALL
        )
      )
    ).toEqual({
      code: 10,
      http: 409,
      reason: 'alreadyExists'
    })
    expect(await failure(maps.get({ project, urlMap: 'ghost' }, CALL))).toEqual({
      code: 5,
      http: 404,
      reason: 'notFound'
    })
    expect(await failure(maps.insert({ project, urlMapResource: { name: 'Bad_Name' } }, CALL))).toEqual({
      code: 3,
      http: 400,
      reason: 'invalid'
    })
    expect(await failure(bss.delete({ project, backendService: 'bs2' }, CALL))).toEqual({
      code: 3,
      http: 400,
      reason: 'resourceInUseByAnotherResource'
    })
  })

  test("a bad enum value comes back as INVALID_ARGUMENT (3) with Google's message", async () => {
    const bss = new BackendServicesClient(opts)
    const err = await bss
      .insert({ project, backendServiceResource: { name: 'bs-enum', protocol: 'HTTPX' } }, CALL)
      .then(() => undefined)
      .catch((e: any) => e)
    expect([err?.code, err?.httpStatusCode, err?.message]).toEqual([
      3,
      400,
      `Invalid value at 'resource.protocol' (type.googleapis.com/google.cloud.compute.v1.BackendService.Protocol), "HTTPX"`
    ])
  })

  test('list with a name filter auto-paginates across pages', async () => {
    const bss = new BackendServicesClient(opts)
    for (const n of ['a1', 'a2', 'a3', 'b1'])
      await bss.insert({ project: 'listing', backendServiceResource: { name: n } }, CALL)
    const [items] = await bss.list({ project: 'listing', filter: 'name = "a*"', maxResults: 2 }, CALL)
    expect(items.map((x) => x.name)).toEqual(['a1', 'a2', 'a3'])
    const [page, next] = await bss.list(
      { project: 'listing', maxResults: 3 },
      { ...CALL, autoPaginate: false }
    )
    expect(page.map((x) => x.name)).toEqual(['a1', 'a2', 'a3'])
    expect(next?.pageToken).toBeTruthy()
  })

  test('a failed operation comes back as a successful call with DONE + error', async () => {
    emu.failNextOperation('compute.backendServices.insert', 'QUOTA_EXCEEDED')
    const [lro] = await new BackendServicesClient(opts).insert(
      { project, backendServiceResource: { name: 'quota' } },
      CALL
    )
    const op = lro.latestResponse as unknown as {
      status: string
      error: { errors: { code: string }[] }
      httpErrorStatusCode: number
    }
    expect(op.status).toBe('DONE')
    expect(op.error.errors[0]?.code).toBe('QUOTA_EXCEEDED')
    expect(op.httpErrorStatusCode).toBe(403)
  })

  test('serverless NEGs and regional operations; frontend resources', async () => {
    const rnegs = new RegionNetworkEndpointGroupsClient(opts)
    const [lro] = await rnegs.insert(
      {
        project,
        region: 'us-central1',
        networkEndpointGroupResource: {
          name: 'sneg',
          networkEndpointType: 'SERVERLESS',
          cloudRun: { service: 'svc' }
        }
      },
      CALL
    )
    const [op] = await new RegionOperationsClient(opts).wait(
      { project, region: 'us-central1', operation: lro.name! },
      CALL
    )
    expect(op.status).toBe('DONE')
    const [sneg] = await rnegs.get({ project, region: 'us-central1', networkEndpointGroup: 'sneg' }, CALL)
    expect(sneg.cloudRun?.service).toBe('svc')

    await new SslCertificatesClient(opts).insert(
      {
        project,
        sslCertificateResource: { name: 'cert', type: 'MANAGED', managed: { domains: ['www.example.com'] } }
      },
      CALL
    )
    const proxies = new TargetHttpsProxiesClient(opts)
    await proxies.insert(
      {
        project,
        targetHttpsProxyResource: {
          name: 'px',
          urlMap: 'global/urlMaps/um1',
          sslCertificates: ['global/sslCertificates/cert']
        }
      },
      CALL
    )
    await proxies.setUrlMap(
      {
        project,
        targetHttpsProxy: 'px',
        urlMapReferenceResource: { urlMap: `projects/${project}/global/urlMaps/um1` }
      },
      CALL
    )
    await new GlobalAddressesClient(opts).insert(
      { project, addressResource: { name: 'ip', ipVersion: 'IPV4', addressType: 'EXTERNAL' } },
      CALL
    )
    const [address] = await new GlobalAddressesClient(opts).get({ project, address: 'ip' }, CALL)
    const rules = new GlobalForwardingRulesClient(opts)
    await rules.insert(
      {
        project,
        forwardingRuleResource: {
          name: 'fr',
          IPAddress: address.address,
          IPProtocol: 'TCP',
          portRange: '443-443',
          target: `projects/${project}/global/targetHttpsProxies/px`,
          loadBalancingScheme: 'EXTERNAL_MANAGED'
        }
      },
      CALL
    )
    const [fr] = await rules.get({ project, forwardingRule: 'fr' }, CALL)
    expect(fr.IPAddress).toBe(address.address)
    expect(await failure(proxies.delete({ project, targetHttpsProxy: 'px' }, CALL))).toMatchObject({
      code: 3,
      reason: 'resourceInUseByAnotherResource'
    })
  })
})
