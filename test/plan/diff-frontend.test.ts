// diffFrontend (src/core/diff/frontend.ts): the exact frontend changes, errors and warnings.
import { describe, expect, it } from '@jest/globals'
import { compileDesired } from '../../src/core/compile/compile-desired.js'
import type { ForwardingRule } from '../../src/core/compute.js'
import { diffFrontend } from '../../src/core/diff/frontend.js'
import type { LiveFrontend } from '../../src/core/plan/live.js'
import type { ResourceChange } from '../../src/core/plan/model.js'
import { cloudRunRoute, OWNER, routesConfig, summary } from '../support/builders.js'

const routes = [cloudRunRoute('site', { default: true })]
const withFrontend = (frontend: unknown) => routesConfig(routes, { frontend })
const front = withFrontend({ domains: ['www.example.com'], httpRedirect: true })
const lb = front.loadBalancer
const desired = compileDesired(front).desired.frontend
const empty: LiveFrontend = {
  addresses: [],
  sslCertificates: [],
  targetHttpsProxies: [],
  targetHttpProxies: [],
  forwardingRules: []
}

/** built is the live frontend after the creates (the address got an IP, the certificate is provisioning). */
function built(changes: readonly ResourceChange[]): LiveFrontend {
  const of = (kind: string) => changes.filter((c) => c.address.kind === kind).map((c) => c.after as never)
  return {
    addresses: of('globalAddress').map((a: object) => ({ ...a, address: '203.0.113.7' })),
    sslCertificates: of('sslCertificate').map((c: object) => ({ ...c, managed: { status: 'PROVISIONING' } })),
    targetHttpsProxies: of('targetHttpsProxy'),
    targetHttpProxies: of('targetHttpProxy'),
    forwardingRules: of('globalForwardingRule').map((r: ForwardingRule) => ({
      ...r,
      IPAddress: '203.0.113.7'
    })),
    redirectUrlMap: of('redirectUrlMap')[0]
  }
}

const created = diffFrontend(OWNER, lb, desired, empty)
const live = built(created.changes)
// In create order: address, certificate, HTTPS proxy and rule, redirect map, HTTP proxy and rule.
const [address, cert, httpsProxy, httpsRule, redirect, httpProxy, httpRule] = created.changes.map(
  (c) => c.address.name
)
const marked = (owner: string, f: LiveFrontend): LiveFrontend => {
  const m = <T extends { description?: string | null }>(r: T): T => ({
    ...r,
    description: (r.description ?? '').replace(/owner=[-a-z0-9]+/, `owner=${owner}`)
  })
  return {
    addresses: f.addresses.map(m),
    sslCertificates: f.sslCertificates.map(m),
    targetHttpsProxies: f.targetHttpsProxies.map(m),
    targetHttpProxies: f.targetHttpProxies.map(m),
    forwardingRules: f.forwardingRules.map(m),
    ...(f.redirectUrlMap ? { redirectUrlMap: m(f.redirectUrlMap) } : {})
  }
}

describe('diffFrontend', () => {
  it('does nothing when routes.json says nothing about the frontend', () => {
    const none = compileDesired(routesConfig(routes)).desired.frontend
    expect(diffFrontend(OWNER, lb, none, empty)).toEqual({ changes: [], errors: [], warnings: [] })
  })

  it('creates the whole frontend, dependencies first, and says where DNS must point', () => {
    expect(created.changes.map((c) => `${c.action} ${c.address.kind}`)).toEqual([
      'create globalAddress',
      'create sslCertificate',
      'create targetHttpsProxy',
      'create globalForwardingRule',
      'create redirectUrlMap',
      'create targetHttpProxy',
      'create globalForwardingRule'
    ])
    expect(created.errors).toEqual([])
    expect(created.summary).toEqual({
      address: address,
      domains: ['www.example.com'],
      certificate: cert,
      httpRedirect: true
    })
  })

  it('changes nothing once built, and reports the IP and certificate status', () => {
    const again = diffFrontend(OWNER, lb, desired, live)
    expect(again.changes).toEqual([])
    expect(again.summary).toMatchObject({ ip: '203.0.113.7', certificateStatus: 'PROVISIONING' })
  })

  it('replaces what cannot change in place: a forwarding rule on another IP', () => {
    const moved = {
      ...live,
      forwardingRules: live.forwardingRules.map((r) => ({ ...r, IPAddress: '198.51.100.1' }))
    }
    const diff = diffFrontend(OWNER, lb, desired, moved)
    expect(diff.changes.map((c) => [c.action, c.address.kind, c.fields])).toEqual([
      ['replace', 'globalForwardingRule', ['IPAddress']],
      ['replace', 'globalForwardingRule', ['IPAddress']]
    ])
  })

  it("reports another owner's frontend of this URL map once, naming the holder", () => {
    const diff = diffFrontend(OWNER, lb, desired, marked('team-x', live))
    expect(diff.changes).toEqual([])
    expect(diff.errors).toEqual([
      `the frontend of URL map edge is held by owner team-x (global address ${address}, SSL certificate ${cert}, target HTTPS proxy ${httpsProxy}, forwarding rule ${httpsRule}, redirect URL map ${redirect}, target HTTP proxy ${httpProxy}, forwarding rule ${httpRule}); only one owner can hold a load balancer's frontend: remove the frontend block from this file, or have team-x set "frontend": null in theirs first`
    ])
  })

  it('uses a named address nobody manages as it is', () => {
    const named = withFrontend({ domains: ['www.example.com'], address: 'edge-ip', httpRedirect: false })
    const unmanaged = {
      ...empty,
      addresses: [{ name: 'edge-ip', address: '192.0.2.1', description: 'hand-made' }]
    }
    const diff = diffFrontend(OWNER, lb, compileDesired(named).desired.frontend, unmanaged)
    expect(summary(diff.changes).some((l) => l.includes('globalAddress'))).toBe(false)
    expect(diff.summary).toMatchObject({ address: 'edge-ip', ip: '192.0.2.1', httpRedirect: false })
  })

  it("frontend: null deletes this owner's frontend in reverse order and warns about the released IP", () => {
    const gone = diffFrontend(OWNER, lb, compileDesired(withFrontend(null)).desired.frontend, live)
    expect(gone.changes.map((c) => `${c.action} ${c.address.kind} ${c.reason}`)).toEqual([
      'delete globalForwardingRule the frontend is removed (frontend: null)',
      'delete globalForwardingRule the frontend is removed (frontend: null)',
      'delete targetHttpsProxy the frontend is removed (frontend: null)',
      'delete targetHttpProxy the frontend is removed (frontend: null)',
      'delete sslCertificate the frontend is removed (frontend: null)',
      'delete redirectUrlMap the frontend is removed (frontend: null)',
      'delete globalAddress the frontend is removed (frontend: null)'
    ])
    expect(gone.warnings).toEqual([
      `this apply releases address ${address} (203.0.113.7); Google cannot give the same IP back, and domains whose A records still point at it stop working`
    ])
    expect(gone.summary).toBeUndefined()
  })

  it("never deletes another owner's frontend resources", () => {
    const gone = diffFrontend(OWNER, lb, null, marked('team-x', live))
    expect(gone).toEqual({ changes: [], errors: [], warnings: [] })
  })
})
