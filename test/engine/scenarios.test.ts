// End to end through the CLI, over HTTP, against the emulator: every technique of DESIGN.md §1 is planned
// (exit 2), applied (exit 0) and re-planned (exit 0, no changes); then the live URL map, read back from the
// emulator, is evaluated for every route, and the backends' Host headers and NEG endpoints are checked.
import { afterEach, describe, expect, it } from '@jest/globals'
import type { BackendService } from '../../src/core/compute.js'
import { markerOwner } from '../../src/core/compile/markers.js'
import {
  edit,
  fixture,
  foreignParts,
  LB,
  projectAndName,
  Scenario,
  seededState,
  unownedResources
} from './scenario-helpers.js'

let sc: Scenario | undefined
afterEach(async () => {
  await sc?.close()
  sc = undefined
})

const hostHeaders = (b: BackendService) => (b.customRequestHeaders ?? []).filter((h) => /^host:/i.test(h))

describe('the five techniques, applied through the CLI', () => {
  it('creates what each route needs, routes every host and path to it, and converges', async () => {
    sc = await Scenario.start(seededState())
    const file = sc.routes('routes.json', 'techniques.jsonc')
    const { plan, again } = await sc.converge(file)
    expect(plan.stdout).toMatch(/create/)
    expect(again.stdout).toContain('No changes.')

    const be = (route: string) => sc!.backendOf('team-web', route)
    const hello = be('hello')
    const hello2 = be('hello2')
    const status = be('status')
    const api = be('api')
    const model = be('model')
    const batch = be('batch')

    // Routing on the live map: host + path → backend service, with the path the backend receives.
    const cases: [string, string, BackendService, string][] = [
      ['www.example.com', '/', hello, '/'],
      ['www.example.com', '/anything/else', hello, '/anything/else'],
      ['www.example.com', '/hello2', hello2, '/'],
      ['www.example.com', '/hello2/x/y', hello2, '/x/y'],
      ['www.example.com', '/hello2x', hello, '/hello2x'],
      ['status.example.com', '/health', status, '/health'],
      ['api.example.com', '/v1/users', api, '/v1/users'],
      ['ml.example.com', '/predict', model, '/predict'],
      ['batch.example.com', '/jobs/1', batch, '/jobs/1']
    ]
    for (const [host, path, backend, expected] of cases) {
      expect([host, path, sc.where(host, path)]).toEqual([
        host,
        path,
        { service: projectAndName(backend), path: expected }
      ])
    }
    // team-shop's and the unmanaged rules still answer for their hosts and paths.
    expect(sc.where('shop.example.com', '/cart/1').service).toBe(`${LB}/lbr-team-shop-cart-bs-2b4f6a8c`)
    expect(sc.where('www.example.com', '/shop/x').service).toBe(`${LB}/lbr-team-shop-shop-bs-7a1d2c3e`)
    expect(sc.where('legacy.example.com', '/old/a')).toEqual({
      service: `${LB}/legacy-archive`,
      path: '/archive/a'
    })

    // §1.1: Internet NEG with the run.app endpoint on 443, HTTPS backend overriding Host.
    const runHost = 'hello-624791234.europe-west1.run.app' // resolved through the Cloud Run API
    expect(hello).toMatchObject({ protocol: 'HTTPS', loadBalancingScheme: 'EXTERNAL_MANAGED' })
    expect(hostHeaders(hello)).toEqual([`Host: ${runHost}`])
    expect(hostHeaders(hello2)).toEqual(['Host: hello2-3abc-ew.a.run.app'])
    const endpoints = async (b: BackendService) => {
      expect(b.backends).toHaveLength(1)
      const neg = b.backends![0]!.group!.split('/').pop()!
      return (await sc!.compute.listNetworkEndpoints(LB, neg)).map((e) => e.networkEndpoint)
    }
    expect(await endpoints(hello)).toEqual([{ fqdn: runHost, port: 443 }])
    expect(await endpoints(hello2)).toEqual([{ fqdn: 'hello2-3abc-ew.a.run.app', port: 443 }])
    // One NEG each by default.
    expect(hello.backends![0]!.group).not.toBe(hello2.backends![0]!.group)

    // §1.4: chained load balancers by domain and by the forwarding rule's IP.
    expect(await endpoints(model)).toEqual([{ fqdn: 'ml-lb.example.net', port: 443 }])
    expect(await endpoints(batch)).toEqual([{ ipAddress: '203.0.113.10', port: 443 }])
    expect(model.protocol).toBe('HTTPS')

    // §1.3 and §1.5: one serverless NEG per region under one backend service, in the service's project.
    const serverless = (b: BackendService, project: string) => {
      const negs = sc!.regionNegs(project)
      return (b.backends ?? []).map((x) => {
        const m = /projects\/([^/]+)\/regions\/([^/]+)\/networkEndpointGroups\/([^/]+)$/.exec(x.group ?? '')!
        const neg = negs.find((n) => n.name === m[3])!
        return { project: m[1], region: m[2], type: neg.networkEndpointType, service: neg.cloudRun?.service }
      })
    }
    expect(projectAndName(status)).toMatch(/^edge-prod\//)
    expect(serverless(status, LB)).toEqual([
      { project: LB, region: 'europe-west1', type: 'SERVERLESS', service: 'status' },
      { project: LB, region: 'us-central1', type: 'SERVERLESS', service: 'status' }
    ])
    expect(projectAndName(api)).toMatch(/^team-a\//)
    expect(serverless(api, 'team-a').sort((a, b) => a.region!.localeCompare(b.region!))).toEqual(
      ['asia-east1', 'europe-west1', 'us-central1'].map((region) => ({
        project: 'team-a',
        region,
        type: 'SERVERLESS',
        service: 'api'
      }))
    )
    expect(api.loadBalancingScheme).toBe('EXTERNAL_MANAGED')
  })

  it('shares one Internet NEG and backend service across Cloud Run services with sharedCloudRunBackend, one each without', async () => {
    sc = await Scenario.start(seededState())
    await sc.converge(sc.routes('routes.json', 'shared-run.jsonc'))
    const mine = <T extends { description?: string | null }>(xs: T[]) =>
      xs.filter((x) => markerOwner(x.description) === 'team-many')
    expect(mine(sc.backendServices())).toHaveLength(1)
    expect(mine(sc.globalNegs())).toHaveLength(1)
    const shared = mine(sc.backendServices())[0]!
    expect(hostHeaders(shared)).toEqual([])
    // The Host is set per path rule; each service still gets its own name and its path.
    expect(sc.where('many.example.com', '/cart/1')).toEqual({
      service: projectAndName(shared),
      path: '/cart/1',
      host: 'cart-7k2a-ew.a.run.app'
    })
    expect(sc.where('many.example.com', '/pay')).toEqual({
      service: projectAndName(shared),
      path: '/pay',
      host: 'pay-7k2a-ew.a.run.app'
    })
    expect(sc.where('many.example.com', '/docs/a')).toEqual({
      service: projectAndName(shared),
      path: '/docs/a',
      host: 'docs-624791234.us-central1.run.app'
    })

    // Switching the option off moves every route to its own NEG and backend, and drops the shared ones.
    await sc.converge(sc.routes('routes.json', 'one-neg-each.jsonc'))
    expect(mine(sc.backendServices())).toHaveLength(3)
    expect(mine(sc.globalNegs())).toHaveLength(3)
    expect(sc.backendServices().some((b) => b.name === shared.name)).toBe(false)
    for (const [route, host] of [
      ['cart', 'cart-7k2a-ew.a.run.app'],
      ['pay', 'pay-7k2a-ew.a.run.app'],
      ['docs', 'docs-624791234.us-central1.run.app']
    ] as const) {
      const b = sc.backendOf('team-many', route)
      expect(hostHeaders(b)).toEqual([`Host: ${host}`])
      expect(sc.where('many.example.com', `/${route}/x`)).toEqual({
        service: projectAndName(b),
        path: `/${route}/x`
      })
    }
  })
})

describe('removing a route', () => {
  it('deletes its backend service and NEG in the same apply and leaves everything else byte-identical', async () => {
    sc = await Scenario.start(seededState())
    const seed = sc.state()
    const file = sc.routes('routes.json', 'techniques.jsonc')
    await sc.converge(file)
    const afterFirst = sc.state()
    const hello2 = sc.backendOf('team-web', 'hello2')
    const hello2Neg = hello2.backends![0]!.group!.split('/').pop()!
    const ownedNames = () =>
      new Set(
        [seed, afterFirst, sc!.state()].flatMap((s) =>
          Object.values(s.projects).flatMap((p) =>
            (p.backendServices ?? [])
              .filter((b) => markerOwner(b.description) === 'team-web')
              .map((b) => b.name as string)
          )
        )
      )
    const map0 = seed.projects[LB]!.urlMaps![0]!
    const map1 = sc.urlMap()

    // Drop hello2 (routes[1]) and its declared test (tests[0]) from the file.
    sc.routes(
      'routes.json',
      edit(fixture('techniques.jsonc'), [
        ['routes', 1],
        ['tests', 0]
      ])
    )
    const plan = await sc.run(['plan', '--routes', file])
    expect(plan.code).toBe(2)
    expect(plan.stdout).toContain(hello2.name)
    const apply = await sc.run(['apply', '--routes', file])
    expect(apply.code).toBe(0)
    expect((await sc.run(['plan', '--routes', file])).code).toBe(0)

    expect(sc.backendServices().map((b) => b.name)).not.toContain(hello2.name)
    expect(sc.globalNegs().map((n) => n.name)).not.toContain(hello2Neg)
    expect(sc.where('www.example.com', '/hello2/x').service).toBe(
      projectAndName(sc.backendOf('team-web', 'hello'))
    )

    // Nothing without team-web's marker was touched (every project), and the rest of the map is identical.
    const owned = ownedNames()
    expect(unownedResources(sc.state(), 'team-web')).toBe(unownedResources(seed, 'team-web'))
    expect(foreignParts(sc.urlMap(), 'team-web', owned)).toBe(foreignParts(map0, 'team-web', owned))
    expect(foreignParts(map1, 'team-web', owned)).toBe(foreignParts(map0, 'team-web', owned))
  })
})
