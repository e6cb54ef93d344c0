// Roll back, through the CLI against the emulator: apply v1, apply v2 (adds a route, changes one, removes
// one) with --snapshot, then `lb-routes rollback --from` puts team-x back to v1 — while team-y's routes
// and an unmanaged host rule written after the snapshot survive byte for byte. A second rollback is a
// no-op; a rollback of an apply that died half-way converges; a snapshot of another owner, a malformed
// file and a host/path now held by someone else are refused; a 412 on the URL map write is re-merged.
import { afterEach, describe, expect, it } from '@jest/globals'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { UrlMap } from '../../src/core/compute.js'
import { parseSnapshot } from '../../src/core/rollback/snapshot.js'
import { rollbackRoutes } from '../../src/shell/engine/rollback-routes.js'
import {
  edit,
  emptyMapState,
  fixture,
  LB,
  projectAndName,
  Scenario,
  unownedResources,
  URL_MAP
} from './scenario-helpers.js'

let sc: Scenario | undefined
afterEach(async () => {
  await sc?.close()
  sc = undefined
})

const x3 = {
  name: 'x3',
  hosts: ['shared.example.com'],
  prefix: '/x3',
  to: { cloudRun: { url: 'https://x3-5f5f-ew.a.run.app' } }
}
const x4 = {
  name: 'x4',
  hosts: ['shared.example.com'],
  prefix: '/x4',
  to: { cloudRun: { url: 'https://x4-5f5f-ew.a.run.app' } }
}
/** v1: x1, x2, x3. */
const V1 = edit(fixture('team-x.jsonc'), [[['routes', -1], x3]])
/** v2: x4 added, x1's timeout changed, x3 removed. */
const V2 = edit(fixture('team-x.jsonc'), [
  [['routes', -1], x4],
  [['routes', 0, 'timeoutSec'], 90]
])
const PATHS = ['/x', '/x/a', '/x2', '/x2/b', '/x3', '/x3/c', '/x4', '/x4/d', '/y', '/y/e', '/other']

/** routing evaluates the live map for every path on shared.example.com. */
const routing = (s: Scenario) => PATHS.map((p) => [p, s.where('shared.example.com', p)])

/** teamY is team-y's part of the live map: its path rules, byte for byte. */
const teamY = (map: UrlMap) =>
  JSON.stringify(
    (map.pathMatchers ?? []).map((pm) =>
      (pm.pathRules ?? []).filter((r) => r.service?.includes('/lbr-team-y-'))
    )
  )

/** v1ThenV2 applies v1, records what it looks like, then applies v2 with a snapshot. */
async function v1ThenV2(s: Scenario, extraApplyArgs: string[] = []) {
  const v1 = s.routes('x.json', V1)
  await s.converge(v1)
  const atV1 = {
    routing: routing(s),
    backends: s
      .backendServices()
      .map((b) => b.name)
      .sort()
  }
  s.routes('x.json', V2)
  const apply = await s.run(['apply', '--routes', 'x.json', '--snapshot', 'snap.json', ...extraApplyArgs])
  return { v1, atV1, apply }
}

/** raceHostRule adds an unmanaged host rule, as someone editing the map by hand would. */
async function raceHostRule(s: Scenario, host: string) {
  const live = await s.compute.getUrlMap(LB, URL_MAP)
  await s.compute.run(
    s.compute.updateUrlMap(LB, URL_MAP, {
      ...live,
      hostRules: [...(live.hostRules ?? []), { hosts: [host], pathMatcher: `m-${host.split('.')[0]}` }],
      pathMatchers: [
        ...(live.pathMatchers ?? []),
        { name: `m-${host.split('.')[0]}`, defaultService: live.defaultService! }
      ]
    })
  )
}

describe('lb-routes rollback', () => {
  it('puts team-x back to v1 and keeps what others wrote after the snapshot, byte for byte', async () => {
    sc = await Scenario.start(emptyMapState())
    const { atV1, apply } = await v1ThenV2(sc)
    expect(apply.code).toBe(0)
    expect(apply.stderr).toMatch(/snapshot written to snap\.json/)
    const snap = parseSnapshot(readFileSync(join(sc.dir, 'snap.json'), 'utf8'), 'snap.json').snapshot!
    expect(snap.resources.map((r) => r.action).sort()).toEqual([
      'create',
      'create',
      'delete',
      'delete',
      'update'
    ])
    expect(JSON.stringify(snap)).not.toMatch(/scenario-test/) // no token

    // After the snapshot: team-y applies its routes and someone adds an unmanaged host rule.
    await sc.converge(sc.routes('y.json', 'team-y.jsonc'))
    await raceHostRule(sc, 'legacy.example.com')
    const othersBefore = { y: teamY(sc.urlMap()), resources: unownedResources(sc.state(), 'team-x') }
    const legacy = JSON.stringify(sc.urlMap().hostRules!.find((h) => h.hosts?.includes('legacy.example.com')))

    const dry = await sc.run(['rollback', '--from', 'snap.json', '--dry-run'])
    expect([dry.code, dry.stdout]).toEqual([2, expect.stringMatching(/lbr-team-x-x4-/)])
    expect(teamY(sc.urlMap())).toBe(othersBefore.y)

    const rollback = await sc.run(['rollback', '--from', 'snap.json'])
    if (rollback.code !== 0) console.log(rollback.stdout, rollback.stderr)
    expect(rollback.code).toBe(0)
    // team-x is at v1: its plan has nothing to do, routing and backends are v1's.
    sc.routes('x.json', V1)
    const again = await sc.run(['plan', '--routes', 'x.json'])
    expect([again.code, again.stdout]).toEqual([0, expect.stringContaining('No changes.')])
    const ySvc = projectAndName(sc.backendOf('team-y', 'y1'))
    expect(routing(sc)).toEqual(
      atV1.routing.map(([p, w]) => [p, (p as string).startsWith('/y') ? { service: ySvc, path: p } : w])
    )
    expect(
      sc
        .backendServices()
        .map((b) => b.name)
        .filter((n) => !n!.startsWith('lbr-team-y'))
        .sort()
    ).toEqual(atV1.backends)
    // The deleted NEG came back with its endpoint.
    const neg3 = sc.globalNegs().find((n) => n.name?.startsWith('lbr-team-x-x3-'))!
    expect((neg3 as { networkEndpoints?: unknown[] }).networkEndpoints).toEqual([
      { fqdn: 'x3-5f5f-ew.a.run.app', port: 443 }
    ])
    // Others: team-y's rules and resources, and the unmanaged host rule, untouched.
    expect(teamY(sc.urlMap())).toBe(othersBefore.y)
    expect(unownedResources(sc.state(), 'team-x')).toBe(othersBefore.resources)
    expect(JSON.stringify(sc.urlMap().hostRules!.find((h) => h.hosts?.includes('legacy.example.com')))).toBe(
      legacy
    )

    // Twice is a no-op.
    const state = JSON.stringify(sc.state())
    const twice = await sc.run(['rollback', '--from', 'snap.json'])
    expect([twice.code, twice.stdout]).toEqual([0, expect.stringMatching(/No changes|nothing/i)])
    expect(JSON.stringify(sc.state())).toBe(state)
  })

  it('converges from an apply that died half-way', async () => {
    sc = await Scenario.start(emptyMapState())
    const v1 = sc.routes('x.json', V1)
    await sc.converge(v1)
    const atV1 = routing(sc)
    const res = await fetch(`${sc.emulator.url}/_emulator/fail-next`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ method: 'compute.backendServices.insert', code: 'QUOTA_EXCEEDED' })
    })
    expect(res.status).toBe(200)
    sc.routes('x.json', V2)
    const failed = await sc.run(['apply', '--routes', 'x.json', '--snapshot', 'snap.json'])
    expect(failed.code).toBe(1)
    // Something did change before it died (the new NEG exists).
    expect(sc.globalNegs().some((n) => n.name?.startsWith('lbr-team-x-x4-'))).toBe(true)

    const rollback = await sc.run(['rollback', '--from', 'snap.json'])
    if (rollback.code !== 0) console.log(rollback.stdout, rollback.stderr)
    expect(rollback.code).toBe(0)
    sc.routes('x.json', V1)
    expect((await sc.run(['plan', '--routes', 'x.json'])).code).toBe(0)
    expect(sc.globalNegs().some((n) => n.name?.startsWith('lbr-team-x-x4-'))).toBe(false)
    expect(routing(sc)).toEqual(atV1)
  })

  it('refuses a snapshot of another owner, a malformed file, and a path someone else now holds', async () => {
    sc = await Scenario.start(emptyMapState())
    const { apply } = await v1ThenV2(sc)
    expect(apply.code).toBe(0)
    const y = sc.routes('y.json', 'team-y.jsonc')
    const before = JSON.stringify(sc.state())

    const other = await sc.run(['rollback', '--from', 'snap.json', '--routes', y])
    expect(other.code).toBe(1)
    expect(other.stderr).toMatch(/snap\.json: this snapshot is owner team-x's, not team-y's/)

    writeFileSync(
      join(sc.dir, 'bad.json'),
      '{\n  "formatVersion": 1,\n  "kind": "lb-routes-snapshot",\n  "owner": 7\n}\n'
    )
    const bad = await sc.run(['rollback', '--from', 'bad.json'])
    expect([bad.code, bad.stderr]).toEqual([
      1,
      expect.stringMatching(/^bad\.json:4:3: error: "owner" must be/m)
    ])
    writeFileSync(join(sc.dir, 'cut.json'), readFileSync(join(sc.dir, 'snap.json'), 'utf8').slice(0, 200))
    const cut = await sc.run(['rollback', '--from', 'cut.json'])
    expect([cut.code, cut.stderr]).toEqual([
      1,
      expect.stringMatching(/^cut\.json:\d+:\d+: error: the snapshot is not valid JSON/m)
    ])

    // Someone creates an unmanaged backend service with the name of x3's (which v2 deleted): never taken over.
    const snapshot = parseSnapshot(readFileSync(join(sc.dir, 'snap.json'), 'utf8'), 'snap.json').snapshot!
    const x3bs = snapshot.resources.find((r) => r.action === 'delete' && r.address.kind === 'backendService')!
    await sc.compute.run(
      sc.compute.insertBackendService(LB, {
        name: x3bs.address.name,
        protocol: 'HTTPS',
        loadBalancingScheme: 'EXTERNAL_MANAGED'
      })
    )
    const squatted = JSON.stringify(sc.state())
    const squat = await sc.run(['rollback', '--from', 'snap.json'])
    expect(squat.code).toBe(1)
    expect(squat.stderr).toContain(
      `snap.json: error: backendService ${x3bs.address.name} in project ${LB} is now not managed by lb-routes; rollback never takes over or deletes it`
    )
    expect(JSON.stringify(sc.state())).toBe(squatted)
    await sc.compute.run(sc.compute.deleteBackendService(LB, x3bs.address.name))

    // team-y takes /x3 (which v2 released): rolling back would have to take it back, so it is refused.
    const y3 = {
      name: 'y3',
      hosts: ['shared.example.com'],
      prefix: '/x3',
      to: { cloudRun: { url: 'https://y3-6a6a-ew.a.run.app' } }
    }
    await sc.converge(sc.routes('y.json', edit(fixture('team-y.jsonc'), [[['routes', -1], y3]])))
    const held = JSON.stringify(sc.state())
    const refused = await sc.run(['rollback', '--from', 'snap.json'])
    expect(refused.code).toBe(1)
    expect(refused.stderr).toMatch(
      /host shared\.example\.com path \/x3 was owner team-x's before the apply but is now held by owner team-y/
    )
    expect(refused.stderr).toMatch(/rollback refused; nothing was changed/)
    expect(JSON.stringify(sc.state())).toBe(held)
    expect(before).not.toBe(held)
  })

  it('re-merges when the URL map changes between its read and its write (412), and can itself be rolled back', async () => {
    sc = await Scenario.start(emptyMapState())
    const { apply } = await v1ThenV2(sc)
    expect(apply.code).toBe(0)
    const snapshot = parseSnapshot(readFileSync(join(sc.dir, 'snap.json'), 'utf8'), 'snap.json').snapshot!
    let raced = 0
    let undo: string | undefined
    const out = await rollbackRoutes({
      snapshot,
      compute: sc.compute,
      now: new Date(),
      onSnapshot: async (s) => void (undo = JSON.stringify(s)),
      beforeUrlMapWrite: async () => {
        if (raced++ === 0) await raceHostRule(sc!, 'race.example.com')
      }
    })
    expect(out.problems).toEqual([])
    expect([out.result?.status, out.result?.urlMapRetries]).toEqual(['applied', 1])
    expect(sc.urlMap().hostRules!.some((h) => h.hosts?.includes('race.example.com'))).toBe(true)
    sc.routes('x.json', V1)
    expect((await sc.run(['plan', '--routes', 'x.json'])).code).toBe(0)

    // The rollback's own snapshot undoes it: back to v2.
    writeFileSync(join(sc.dir, 'undo.json'), undo!)
    expect((await sc.run(['rollback', '--from', 'undo.json'])).code).toBe(0)
    sc.routes('x.json', V2)
    expect((await sc.run(['plan', '--routes', 'x.json'])).code).toBe(0)
    expect(sc.urlMap().hostRules!.some((h) => h.hosts?.includes('race.example.com'))).toBe(true)
  })
})
