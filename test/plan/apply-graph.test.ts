// applyGraph derives the apply's operations and their dependencies from a plan's changes (DESIGN.md §6).
import { describe, expect, it } from '@jest/globals'
import { applyGraph, graphDepth, heights, negKeyOf, type ApplyNode } from '../../src/core/plan/apply-graph.js'
import {
  changeKey,
  type ChangeAction,
  type ResourceChange,
  type ResourceKind
} from '../../src/core/plan/model.js'

const G = 'https://www.googleapis.com/compute/v1/projects'

function change(
  kind: ResourceKind,
  project: string,
  name: string,
  action: ChangeAction,
  extra: { after?: unknown; before?: unknown; region?: string } = {}
): ResourceChange {
  const address = { kind, project, name, ...(extra.region ? { region: extra.region } : {}) }
  return {
    key: changeKey(address),
    address,
    action,
    reason: 'test',
    ...(extra.after !== undefined ? { after: extra.after } : {}),
    ...(extra.before !== undefined ? { before: extra.before } : {})
  }
}

/** One cloudRun-style route: global NEG with its endpoint, backend service on it (optionally secured). */
function route(i: number, securityPolicy?: string): ResourceChange[] {
  const neg = change('globalNetworkEndpointGroup', 'lb', `neg${i}`, 'create', {
    after: { name: `neg${i}`, networkEndpoints: [{ fqdn: `s${i}.run.app`, port: 443 }] }
  })
  const bs = change('backendService', 'lb', `bs${i}`, 'create', {
    after: {
      name: `bs${i}`,
      backends: [{ group: `${G}/lb/global/networkEndpointGroups/neg${i}` }],
      ...(securityPolicy ? { securityPolicy } : {})
    }
  })
  return [neg, bs]
}

const MAP = change('urlMap', 'lb', 'edge', 'update', { after: {} })
const byId = (nodes: ApplyNode[]) => new Map(nodes.map((n) => [n.id, n]))

/** Every node comes after what it needs (the order runGraph and heights rely on). */
function expectTopological(nodes: ApplyNode[]) {
  const seen = new Set<string>()
  for (const n of nodes) {
    for (const d of n.needs) expect([n.id, seen.has(d)]).toEqual([n.id, true])
    seen.add(n.id)
  }
}

describe('applyGraph', () => {
  it('per route: NEG insert → (attach ∥ backend insert → setSecurityPolicy) → the one URL map write', () => {
    const nodes = applyGraph([...route(1, 'projects/lb/global/securityPolicies/armor'), ...route(2), MAP])
    const n = byId(nodes)
    const neg1 = 'globalNetworkEndpointGroup/lb/global/neg1'
    const bs1 = 'backendService/lb/global/bs1'
    expect(n.get(neg1)!.needs).toEqual([])
    expect(n.get(`${neg1}#attach`)).toMatchObject({ step: 'attach', needs: [neg1] })
    // The backend service needs the NEG to exist, not its endpoint.
    expect(n.get(bs1)!.needs).toEqual([neg1])
    expect(n.get(`${bs1}#setSecurityPolicy`)).toMatchObject({ step: 'setSecurityPolicy', needs: [bs1] })
    expect(n.has('backendService/lb/global/bs2#setSecurityPolicy')).toBe(false)
    expect([...n.get(MAP.key)!.needs].sort()).toEqual([...n.keys()].filter((id) => id !== MAP.key).sort())
    expectTopological(nodes)
    expect(graphDepth(nodes)).toBe(4)
    expect(graphDepth(applyGraph([...route(1), ...route(2), MAP]))).toBe(3)
  })

  it('the depth does not grow with the number of routes', () => {
    const changes = [...Array.from({ length: 500 }, (_, i) => route(i)).flat(), MAP]
    const nodes = applyGraph(changes)
    expect(nodes).toHaveLength(1501)
    expect(graphDepth(nodes)).toBe(3)
    expectTopological(nodes)
  })

  it('serverless: the backend in the target project needs its regional NEGs', () => {
    const negs = ['europe-west1', 'us-central1'].map((region) =>
      change('regionNetworkEndpointGroup', 'team-a', `api-${region}`, 'create', {
        region,
        after: { name: `api-${region}` }
      })
    )
    const bs = change('backendService', 'team-a', 'api', 'create', {
      after: {
        backends: negs.map((x) => ({
          group: `${G}/team-a/regions/${x.address.region}/networkEndpointGroups/${x.address.name}`
        }))
      }
    })
    const nodes = applyGraph([MAP, bs, ...negs])
    expect(byId(nodes).get(bs.key)!.needs).toEqual(negs.map((x) => x.key))
    expect(byId(nodes).get(bs.key)!.project).toBe('team-a')
    expectTopological(nodes)
  })

  it('deletes run after the map write, in reverse: a NEG after the backend services that used it', () => {
    const oldBs = change('backendService', 'lb', 'old', 'delete', {
      before: { backends: [{ group: `${G}/lb/global/networkEndpointGroups/old-neg` }] }
    })
    const oldNeg = change('globalNetworkEndpointGroup', 'lb', 'old-neg', 'delete', { before: {} })
    const nodes = applyGraph([oldNeg, oldBs, ...route(1), MAP])
    const n = byId(nodes)
    expect(n.get(oldBs.key)!.needs).toEqual([MAP.key])
    expect(n.get(oldNeg.key)!.needs).toEqual([MAP.key, oldBs.key])
    expectTopological(nodes)
    expect(graphDepth(nodes)).toBe(5)
  })

  it('frontend resources keep their order around the URL map, and the reverse when deleted', () => {
    const f = (kind: ResourceKind, action: ChangeAction = 'create') => change(kind, 'lb', kind, action)
    const nodes = applyGraph([
      f('globalForwardingRule'),
      f('targetHttpsProxy'),
      f('targetHttpProxy'),
      f('sslCertificate'),
      f('globalAddress'),
      f('redirectUrlMap'),
      ...route(1),
      MAP
    ])
    const n = byId(nodes)
    const key = (k: ResourceKind) =>
      k === 'urlMap' ? MAP.key : changeKey({ kind: k, project: 'lb', name: k })
    expect([...n.get(key('targetHttpProxy'))!.needs].sort()).toEqual(
      [key('globalAddress'), key('sslCertificate'), key('redirectUrlMap')].sort()
    )
    expect(n.get(MAP.key)!.needs).toContain(key('targetHttpProxy'))
    expect(n.get(key('targetHttpsProxy'))!.needs).toEqual([MAP.key])
    expect(n.get(key('globalForwardingRule'))!.needs).toEqual([key('targetHttpsProxy')])
    expectTopological(nodes)

    const gone = applyGraph([
      f('globalAddress', 'delete'),
      f('sslCertificate', 'delete'),
      f('targetHttpsProxy', 'delete'),
      f('globalForwardingRule', 'delete')
    ])
    const g = byId(gone)
    expect(g.get(key('globalForwardingRule'))!.needs).toEqual([])
    expect(g.get(key('targetHttpsProxy'))!.needs).toEqual([key('globalForwardingRule')])
    expect(g.get(key('sslCertificate'))!.needs).toEqual([key('targetHttpsProxy')])
    expect(g.get(key('globalAddress'))!.needs).toEqual([key('sslCertificate')])
    expectTopological(gone)
  })

  it('negKeyOf reads a NEG reference in any spelling, and nothing else', () => {
    expect(negKeyOf(`${G}/p/global/networkEndpointGroups/n`)).toBe('globalNetworkEndpointGroup/p/global/n')
    expect(negKeyOf('projects/p/regions/r1/networkEndpointGroups/n')).toBe(
      'regionNetworkEndpointGroup/p/r1/n'
    )
    expect(negKeyOf(`${G}/p/global/backendServices/b`)).toBeUndefined()
  })

  it('heights count the longest chain to the end (the scheduler starts the highest first)', () => {
    const nodes = applyGraph([...route(1), MAP])
    const h = heights(nodes)
    expect(h.get('globalNetworkEndpointGroup/lb/global/neg1')).toBe(3)
    expect(h.get('globalNetworkEndpointGroup/lb/global/neg1#attach')).toBe(2)
    expect(h.get(MAP.key)).toBe(1)
  })
})
