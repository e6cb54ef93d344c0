// The `frontend` block (issue #6) through the CLI against the emulator: a brand-new load balancer is
// bootstrapped from routes.json alone; changing the domains swaps the certificate without a moment
// without one; turning the redirect off deletes its chain in reverse; a second owner cannot take a held
// frontend; other owners' and unmanaged frontend resources are never touched; plans without the block
// make no extra calls.
import { afterEach, describe, expect, it } from '@jest/globals'
import type { MutationEvent } from '../../src/emulator/server.js'
import type { EmulatorState } from '../../src/emulator/types.js'
import { LB, Scenario, URL_MAP } from './scenario-helpers.js'

let sc: Scenario | undefined
afterEach(async () => {
  await sc?.close()
  sc = undefined
})

type R = Record<string, any>

const BASE = 'https://www.googleapis.com/compute/v1/'
const ref = (collection: string, name: string) => `${BASE}projects/${LB}/global/${collection}/${name}`

const routesJson = (frontend: unknown, owner = 'team-web') =>
  JSON.stringify(
    {
      version: 1,
      owner,
      loadBalancer: { project: LB, urlMap: URL_MAP },
      routes: [
        {
          name: 'site',
          hosts: ['*'],
          default: owner === 'team-web',
          ...(owner === 'team-web' ? {} : { prefix: `/${owner}` }),
          to: { cloudRun: { url: `https://${owner}-4d4d-ew.a.run.app` } }
        }
      ],
      ...(frontend === undefined ? {} : { frontend })
    },
    null,
    2
  )

const emptyProject = (): EmulatorState => ({ projects: { [LB]: {} } })

function collections(state: EmulatorState): Record<string, R[]> {
  const p = (state.projects[LB] ?? {}) as Record<string, R[] | undefined>
  const keys = ['globalAddresses', 'sslCertificates', 'targetHttpsProxies', 'targetHttpProxies']
  return {
    ...Object.fromEntries(keys.map((k) => [k, p[k] ?? []])),
    globalForwardingRules: p.globalForwardingRules ?? [],
    urlMaps: p.urlMaps ?? []
  }
}

/** recorder keeps every compute mutation in the order the emulator saw it. */
function recorder(): { events: MutationEvent[]; onMutation: (e: MutationEvent) => void } {
  const events: MutationEvent[] = []
  return { events, onMutation: (e) => events.push(e) }
}

describe('frontend', () => {
  it('bootstraps a brand-new load balancer from routes.json alone, then plans no changes', async () => {
    const rec = recorder()
    sc = await Scenario.start(emptyProject(), { onMutation: rec.onMutation })
    const file = sc.routes('routes.json', routesJson({ domains: ['www.example.com', 'example.com'] }))
    const { plan, apply } = await sc.converge(file)
    expect(plan.stdout).toContain('Frontend:')
    expect(plan.stdout).toMatch(/create global address lbr-edge-ip-/)
    expect(plan.stdout).toContain('point the A records of www.example.com, example.com at')

    const c = collections(sc.state())
    expect(c.globalAddresses).toHaveLength(1)
    const address = c.globalAddresses![0]!
    expect(address.status).toBe('IN_USE')
    const cert = c.sslCertificates![0]!
    expect(cert.type).toBe('MANAGED')
    expect(cert.managed.domains).toEqual(['www.example.com', 'example.com'])
    expect(cert.managed.status).toBe('PROVISIONING')
    const https = c.targetHttpsProxies![0]!
    expect(https.urlMap).toBe(ref('urlMaps', URL_MAP))
    expect(https.sslCertificates).toEqual([ref('sslCertificates', cert.name)])
    const rules = Object.fromEntries(c.globalForwardingRules!.map((r) => [r.portRange, r]))
    expect(rules['443-443']).toMatchObject({
      IPAddress: address.address,
      target: ref('targetHttpsProxies', https.name),
      loadBalancingScheme: 'EXTERNAL_MANAGED',
      IPProtocol: 'TCP'
    })
    const http = c.targetHttpProxies![0]!
    expect(rules['80-80']).toMatchObject({
      IPAddress: address.address,
      target: ref('targetHttpProxies', http.name)
    })
    const redirect = c.urlMaps!.find((m) => ref('urlMaps', m.name) === http.urlMap)!
    expect(redirect.defaultUrlRedirect).toEqual({
      httpsRedirect: true,
      redirectResponseCode: 'MOVED_PERMANENTLY_DEFAULT',
      stripQuery: false
    })
    for (const r of [address, cert, https, http, redirect, ...c.globalForwardingRules!])
      expect(r.description).toMatch(/^lb-routes owner=team-web frontend=edge /)

    // The apply report says where to point DNS, with the allocated IP.
    expect(apply.stdout).toContain(`address ${address.name}: ${address.address}`)
    expect(apply.stdout).toContain(
      `point the A records of www.example.com, example.com at ${address.address}`
    )
    // The HTTPS proxy waited for the shared URL map; each forwarding rule for its proxy.
    const order = rec.events.map((e) => `${e.method} ${e.resource.split('/').pop()}`)
    const at = (s: string) => order.findIndex((o) => o.startsWith(s))
    expect(at('compute.urlMaps.insert edge')).toBeLessThan(at('compute.targetHttpsProxies.insert'))
    expect(at('compute.targetHttpsProxies.insert')).toBeLessThan(at('compute.globalForwardingRules.insert'))
    expect(at('compute.targetHttpProxies.insert')).toBeLessThan(at('compute.globalForwardingRules.insert'))
  })

  it('changing the domains creates the new certificate, switches the proxy, then deletes the old one', async () => {
    const rec = recorder()
    sc = await Scenario.start(emptyProject(), { onMutation: rec.onMutation })
    const file = sc.routes('routes.json', routesJson({ domains: ['www.example.com'] }))
    await sc.converge(file)
    const oldCert = collections(sc.state()).sslCertificates![0]!.name
    rec.events.length = 0

    sc.routes('routes.json', routesJson({ domains: ['www.example.com', 'shop.example.com'] }))
    const { plan } = await sc.converge(file)
    expect(plan.stdout).toMatch(/update target HTTPS proxy .*\n.*\n\s+fields: sslCertificates/)
    const c = collections(sc.state())
    expect(c.sslCertificates!.map((x) => x.name)).not.toContain(oldCert)
    expect(c.sslCertificates![0]!.managed.domains).toEqual(['www.example.com', 'shop.example.com'])
    expect(c.targetHttpsProxies![0]!.sslCertificates).toEqual([
      ref('sslCertificates', c.sslCertificates![0]!.name)
    ])
    expect(rec.events.map((e) => e.method)).toEqual([
      'compute.sslCertificates.insert',
      'compute.targetHttpsProxies.setSslCertificates',
      'compute.sslCertificates.delete'
    ])
    // Never a proxy without a certificate, at any instant.
    for (const e of rec.events)
      for (const p of collections(e.state).targetHttpsProxies!)
        expect(p.sslCertificates.length).toBeGreaterThan(0)
  })

  it('turning httpRedirect off deletes the redirect chain in reverse order and keeps HTTPS serving', async () => {
    const rec = recorder()
    sc = await Scenario.start(emptyProject(), { onMutation: rec.onMutation })
    const file = sc.routes('routes.json', routesJson({ domains: ['www.example.com'] }))
    await sc.converge(file)
    const before = collections(sc.state())
    rec.events.length = 0

    sc.routes('routes.json', routesJson({ domains: ['www.example.com'], httpRedirect: false }))
    await sc.converge(file)
    expect(rec.events.map((e) => e.method)).toEqual([
      'compute.globalForwardingRules.delete',
      'compute.targetHttpProxies.delete',
      'compute.urlMaps.delete'
    ])
    const after = collections(sc.state())
    expect(after.targetHttpProxies).toEqual([])
    expect(after.urlMaps!.map((m) => m.name)).toEqual([URL_MAP])
    expect(after.globalForwardingRules!.map((r) => r.portRange)).toEqual(['443-443'])
    expect(after.targetHttpsProxies).toEqual(before.targetHttpsProxies)
    expect(after.sslCertificates).toEqual(before.sslCertificates)

    // And back on: the chain is created again, on the same address.
    sc.routes('routes.json', routesJson({ domains: ['www.example.com'] }))
    await sc.converge(file)
    const again = collections(sc.state())
    expect(again.globalForwardingRules!.map((r) => r.IPAddress)).toEqual([
      before.globalAddresses![0]!.address,
      before.globalAddresses![0]!.address
    ])
  })

  it('moving to another address: new forwarding rules first, then the old ones and the old address go (saved plan)', async () => {
    const rec = recorder()
    const state = emptyProject()
    state.projects[LB]!.globalAddresses = [{ name: 'reserved-ip', address: '198.51.100.20' }]
    sc = await Scenario.start(state, { onMutation: rec.onMutation })
    const file = sc.routes('routes.json', routesJson({ domains: ['www.example.com'] }))
    await sc.converge(file)
    const ours = collections(sc.state()).globalAddresses!.find((a) => a.name !== 'reserved-ip')!
    rec.events.length = 0

    sc.routes('routes.json', routesJson({ domains: ['www.example.com'], address: 'reserved-ip' }))
    const saved = await sc.run(['plan', '--routes', file, '--out', 'plan.json'])
    expect(saved.code).toBe(2)
    expect(saved.stdout).toContain('the address changed: replaced by a rule on reserved-ip')
    expect(saved.stdout).toContain('frontend.address now names reserved-ip')
    expect(saved.stdout).toContain(
      `this apply releases address ${ours.name} (${ours.address}); Google cannot give the same IP back`
    )
    const applied = await sc.run(['apply', '--routes', file, '--plan', 'plan.json'])
    expect(applied.code).toBe(0)
    expect(rec.events.map((e) => e.method)).toEqual([
      'compute.globalForwardingRules.insert',
      'compute.globalForwardingRules.insert',
      'compute.globalForwardingRules.delete',
      'compute.globalForwardingRules.delete',
      'compute.globalAddresses.delete'
    ])
    const after = collections(sc.state())
    expect(after.globalAddresses!.map((a) => a.name)).toEqual(['reserved-ip'])
    expect(after.globalForwardingRules!.map((r) => r.IPAddress)).toEqual(['198.51.100.20', '198.51.100.20'])
    expect(applied.stdout).toContain('address reserved-ip: 198.51.100.20')
    expect(ours.address).not.toBe('198.51.100.20')
    expect((await sc.run(['plan', '--routes', file])).code).toBe(0)
  })

  it('an apply that fails half-way stops before the forwarding rules and converges when run again', async () => {
    sc = await Scenario.start(emptyProject())
    const file = sc.routes('routes.json', routesJson({ domains: ['www.example.com'] }))
    sc.emulator.failNextOperation('compute.targetHttpsProxies.insert')
    const failed = await sc.run(['apply', '--routes', file])
    expect(failed.code).toBe(1)
    expect(failed.stdout).toContain('Apply failed.')
    const half = collections(sc.state())
    expect(half.targetHttpsProxies).toEqual([])
    expect(half.globalForwardingRules).toEqual([])
    expect(half.globalAddresses).toHaveLength(1)
    const again = await sc.run(['plan', '--routes', file])
    expect(again.stdout).toContain('Plan: 3 to create, 0 to update, 0 to replace, 0 to delete.')
    expect((await sc.run(['apply', '--routes', file])).code).toBe(0)
    expect((await sc.run(['plan', '--routes', file])).code).toBe(0)
    expect(collections(sc.state()).globalForwardingRules).toHaveLength(2)
  })

  it('sslPolicy is attached and detached in place', async () => {
    const state = emptyProject()
    state.projects[LB]!.sslPolicies = [{ name: 'modern', profile: 'MODERN', minTlsVersion: 'TLS_1_2' }]
    sc = await Scenario.start(state)
    const file = sc.routes('routes.json', routesJson({ domains: ['www.example.com'] }))
    await sc.converge(file)
    sc.routes('routes.json', routesJson({ domains: ['www.example.com'], sslPolicy: 'modern' }))
    await sc.converge(file)
    expect(collections(sc.state()).targetHttpsProxies![0]!.sslPolicy).toBe(ref('sslPolicies', 'modern'))
    sc.routes('routes.json', routesJson({ domains: ['www.example.com'] }))
    await sc.converge(file)
    expect(collections(sc.state()).targetHttpsProxies![0]!.sslPolicy).toBeUndefined()
  })

  it('a second owner cannot take a held frontend; the holder is named at the frontend block', async () => {
    sc = await Scenario.start(emptyProject())
    await sc.converge(sc.routes('web.json', routesJson({ domains: ['www.example.com'] })))
    const held = JSON.stringify(collections(sc.state()))
    const other = sc.routes('shop.json', routesJson({ domains: ['shop.example.com'] }, 'team-shop'))
    for (const cmd of ['plan', 'apply']) {
      const r = await sc.run([cmd, '--routes', other])
      expect(r.code).toBe(1)
      const line =
        routesJson({ domains: ['shop.example.com'] }, 'team-shop')
          .split('\n')
          .findIndex((l) => l.includes('"frontend"')) + 1
      expect(r.stderr).toMatch(
        new RegExp(
          `^shop\\.json:${line}:\\d+: error: the frontend of URL map edge is held by owner team-web`,
          'm'
        )
      )
      expect(r.stderr.match(/held by owner/g)).toHaveLength(1)
    }
    expect(JSON.stringify(collections(sc.state()))).toBe(held)
  })

  it("frontend: null removes only this owner's frontend; unmanaged and named addresses survive", async () => {
    const state = emptyProject()
    // An address reserved by hand and named in routes.json, and a forwarding rule nobody manages.
    state.projects[LB]!.globalAddresses = [{ name: 'legacy-ip', address: '198.51.100.7', ipVersion: 'IPV4' }]
    state.projects[LB]!.globalAddresses.push({ name: 'other-ip', address: '198.51.100.8' })
    sc = await Scenario.start(state)
    const file = sc.routes('routes.json', routesJson({ domains: ['www.example.com'], address: 'legacy-ip' }))
    const { plan } = await sc.converge(file)
    expect(plan.stdout).not.toMatch(/create global address/)
    const live = collections(sc.state())
    expect(live.globalForwardingRules!.every((r) => r.IPAddress === '198.51.100.7')).toBe(true)
    const others = JSON.stringify(live.globalAddresses!.filter((a) => a.name === 'other-ip'))

    // Leaving the key out leaves the frontend alone and reads nothing of it.
    sc.routes('routes.json', routesJson(undefined))
    const quiet = await sc.run(['plan', '--routes', file])
    expect(quiet.code).toBe(0)

    sc.routes('routes.json', routesJson(null))
    const removed = await sc.converge(file)
    expect(removed.plan.stdout).toMatch(/delete forwarding rule/)
    const after = collections(sc.state())
    expect(after.sslCertificates).toEqual([])
    expect(after.targetHttpsProxies).toEqual([])
    expect(after.targetHttpProxies).toEqual([])
    expect(after.globalForwardingRules).toEqual([])
    expect(after.urlMaps!.map((m) => m.name)).toEqual([URL_MAP])
    // The named address was used, never owned: it stays, as does the one nobody manages.
    expect(after.globalAddresses!.map((a) => a.name).sort()).toEqual(['legacy-ip', 'other-ip'])
    expect(JSON.stringify(after.globalAddresses!.filter((a) => a.name === 'other-ip'))).toBe(others)
  })

  it('an address held by another owner or a colliding unmanaged resource is a plan error, never taken over', async () => {
    const state = emptyProject()
    state.projects[LB]!.globalAddresses = [
      {
        name: 'shop-ip',
        address: '198.51.100.9',
        description: 'lb-routes owner=team-shop frontend=shop (managed by lb-routes; do not edit by hand)'
      }
    ]
    sc = await Scenario.start(state)
    const file = sc.routes('routes.json', routesJson({ domains: ['www.example.com'], address: 'shop-ip' }))
    const r = await sc.run(['plan', '--routes', file])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain(
      'global address shop-ip already exists in project edge-prod and is managed by owner team-shop'
    )
  })

  it('plans without a frontend key make no frontend calls', async () => {
    sc = await Scenario.start(emptyProject())
    await sc.converge(sc.routes('routes.json', routesJson(undefined)))
    const frontendCalls = sc.emulator
      .requests()
      .filter((e) => /addresses|sslCertificates|targetHttp|forwardingRules/.test(e.path))
    expect(frontendCalls).toEqual([])
  })

  it('schema and rule errors in the frontend block point at file:line:column', async () => {
    sc = await Scenario.start(emptyProject())
    const text = routesJson({
      domains: ['*.example.com', 'www.example.com', 'WWW.example.com', 'localhost'],
      httpRedirect: 'yes'
    })
    const file = sc.routes('routes.json', text)
    const r = await sc.run(['validate', '--routes', file])
    expect(r.code).toBe(1)
    const lineOf = (s: string) => text.split('\n').findIndex((l) => l.includes(s)) + 1
    expect(r.stderr).toMatch(new RegExp(`routes\\.json:${lineOf('"*.example.com"')}:\\d+: error: .*wildcard`))
    expect(r.stderr).toMatch(
      new RegExp(`routes\\.json:${lineOf('"localhost"')}:\\d+: error: .*fully qualified`)
    )
    expect(r.stderr).toMatch(new RegExp(`routes\\.json:${lineOf('"WWW.example.com"')}:\\d+: error: `))
    expect(r.stderr).toMatch(new RegExp(`routes\\.json:${lineOf('"httpRedirect"')}:\\d+: error: `))
    const typed = await sc.run([
      'validate',
      '--routes',
      sc.routes('typed.json', routesJson('www.example.com'))
    ])
    expect(typed.stderr).toMatch(
      /^typed\.json:\d+:\d+: error: frontend must be an object or null, not the string/m
    )
    const named = sc.routes('named.json', routesJson({ domains: ['a.example.com'], address: 'Edge_IP' }))
    expect((await sc.run(['validate', '--routes', named])).stderr).toMatch(
      /^named\.json:\d+:\d+: error: frontend\.address "Edge_IP" /m
    )
    const empty = sc.routes('empty.json', routesJson({ domains: [] }))
    const e = await sc.run(['validate', '--routes', empty])
    expect(e.code).toBe(1)
    expect(e.stderr).toMatch(/^empty\.json:\d+:\d+: error: .*domains/m)
  })
})
