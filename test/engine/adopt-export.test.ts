// Adopt and export (issue #6) through the CLI against the emulator: a load balancer built by hand in the
// console is exported to a routes.json, taken over in place (no recreation, no URL map rule change),
// and planned clean afterwards; another owner's resources are never bound.
import { afterEach, describe, expect, it } from '@jest/globals'
import { parse } from 'jsonc-parser'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { handBuilt, ROUTES } from './hand-built.js'
import { LB, Scenario, URL_MAP } from './scenario-helpers.js'

let sc: Scenario | undefined
afterEach(async () => {
  await sc?.close()
  sc = undefined
})

const REQUESTS: [string, string][] = [
  ['www.example.com', '/'],
  ['www.example.com', '/docs/a'],
  ['api.example.com', '/'],
  ['api.example.com', '/hello'],
  ['api.example.com', '/hello/x'],
  ['www.example.com', '/slow/x'],
  ['legacy.example.com', '/x'],
  ['other.example.com', '/hello/x']
]

interface PlanJson {
  changes: { action: string; key: string; rules?: unknown[] }[]
}

/** exported runs lb-routes export into routes.json and returns what it wrote (parsed) and said. */
async function exported(sc: Scenario, owner: string) {
  const r = await sc.run([
    'export',
    '--project',
    LB,
    '--url-map',
    URL_MAP,
    '--owner',
    owner,
    '--out',
    'routes.json'
  ])
  expect(r.code).toBe(0)
  const text = readFileSync(join(sc.dir, 'routes.json'), 'utf8')
  return { text, stderr: r.stderr, config: parse(text) as { routes: Record<string, unknown>[] } }
}

describe('export', () => {
  it('describes a hand-built load balancer, leaving out with a comment what routes.json cannot express', async () => {
    sc = await Scenario.start(handBuilt())
    const { text, stderr, config } = await exported(sc, 'team-web')
    expect(config.routes).toEqual(parse(ROUTES).routes)
    expect(text).toContain(
      '// not exported: backend service slow-bs (host www.example.com /slow/*): path rule /slow/* in path matcher www uses timeout'
    )
    expect(text).toContain(
      '// not exported: path matcher legacy (legacy.example.com): routeRules cannot be expressed'
    )
    expect(stderr).toContain('warning: not exported: backend service slow-bs (host www.example.com /slow/*)')
    const validate = await sc.run(['validate', '--routes', 'routes.json'])
    expect(validate.stderr).toBe('')
    expect(validate.code).toBe(0)
  })

  it('gives an lb-routes owner its own routes.json back: plan then shows no changes', async () => {
    // The serverless route's service exists in both regions (the plan's preflight lists them).
    const status = [{ name: 'status', ingress: 'INGRESS_TRAFFIC_ALL', invokerMembers: ['allUsers'] }]
    sc = await Scenario.start({
      projects: {
        [LB]: {
          runServices: { 'europe-west1': status, 'us-central1': status }
        }
      }
    })
    const z = {
      version: 1,
      owner: 'team-z',
      loadBalancer: { project: LB, urlMap: URL_MAP, scheme: 'EXTERNAL_MANAGED' },
      routes: [
        { name: 'home', default: true, to: { cloudRun: { url: 'https://home-z1-ew.a.run.app' } } },
        {
          name: 'api',
          hosts: ['shared.example.com'],
          paths: ['/v1/*'],
          rewrite: { pathPrefix: '/api' },
          timeoutSec: 60,
          to: { cloudRun: { url: 'https://api-z1-ew.a.run.app' } }
        },
        {
          name: 'status',
          hosts: ['status.example.com'],
          default: true,
          to: { serverless: { project: LB, service: 'status', regions: ['europe-west1', 'us-central1'] } }
        }
      ]
    }
    await sc.converge(sc.routes('z.json', JSON.stringify(z)))
    await sc.converge(sc.routes('y.json', 'team-y.jsonc'))
    const { text, config } = await exported(sc, 'team-z')
    expect(text).toMatch(
      /^\/\/ rules of owner team-y left out \(backend services lbr-team-y-y1-bs-[0-9a-f]+\)$/m
    )
    expect(config.routes.map((r) => r.name)).toEqual(['home', 'api', 'status'])
    const plan = await sc.run(['plan', '--routes', 'routes.json'])
    expect({ code: plan.code, stderr: plan.stderr }).toEqual({ code: 0, stderr: '' })
  })

  it('says what is missing', async () => {
    sc = await Scenario.start(handBuilt())
    const none = await sc.run(['export', '--project', LB, '--url-map', 'nope'])
    expect(none).toMatchObject({
      code: 1,
      stderr: 'error: URL map nope was not found in project edge-prod; check --project and --url-map\n'
    })
    const bare = await sc.run(['export', '--project', LB])
    expect(bare.stderr).toContain('--project and --url-map are required')
  })
})

describe('adopt', () => {
  it('export → plan --adopt → adopt takes a hand-built load balancer over in place', async () => {
    sc = await Scenario.start(handBuilt())
    const before = REQUESTS.map(([h, p]) => sc!.where(h, p))
    const resourcesBefore = sc.backendServices()
    const mapBefore = sc.urlMap()
    await exported(sc, 'team-web')

    // Without --adopt: the hand-built rules are named as holders, and --adopt is suggested.
    const refused = await sc.run(['plan', '--routes', 'routes.json'])
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain(
      'route hello-bs claims host api.example.com path /hello, which is held by an unmanaged rule (backend service hello-bs)'
    )
    expect(refused.stderr).toContain('take it over in place with plan --adopt / lb-routes adopt')

    const plan = await sc.run(['plan', '--adopt', '--routes', 'routes.json', '--json'])
    expect(plan.stderr).toBe('')
    expect(plan.code).toBe(2)
    const json = JSON.parse(plan.stdout) as PlanJson
    expect(new Set(json.changes.map((c) => c.action))).toEqual(new Set(['adopt']))
    expect(json.changes.map((c) => c.key).sort()).toEqual(
      [
        `backendService/${LB}/global/api-bs`,
        `backendService/${LB}/global/docs-bs`,
        `backendService/${LB}/global/hello-bs`,
        `backendService/${LB}/global/web-bs`,
        `globalNetworkEndpointGroup/${LB}/global/docs-neg`,
        `globalNetworkEndpointGroup/${LB}/global/hello-neg`,
        `globalNetworkEndpointGroup/${LB}/global/web-neg`,
        `regionNetworkEndpointGroup/${LB}/europe-west1/api-ew1`,
        `regionNetworkEndpointGroup/${LB}/us-central1/api-uc1`
      ].sort()
    )
    const text = await sc.run(['plan', '--adopt', '--routes', 'routes.json'])
    expect(text.stdout).toContain('Plan: 9 to adopt, 0 to create, 0 to update, 0 to replace, 0 to delete.')
    expect(text.stdout).toContain('Routes: 0 new, 4 changed, 0 removed, 0 unchanged')
    expect(text.stdout).toContain(' <= adopt backend service web-bs (edge-prod)')

    const adopt = await sc.run(['adopt', '--routes', 'routes.json'])
    expect(adopt.stderr).not.toMatch(/error|✗/)
    expect(adopt.code).toBe(0)
    const again = await sc.run(['plan', '--routes', 'routes.json'])
    expect(again.stderr).toBe('')
    expect(again.stdout).toContain('No changes.')
    expect(again.code).toBe(0)

    // Same resources (names, ids, creation times), now carrying the marker; the URL map was not written.
    const after = sc.backendServices()
    expect(after.map((b) => [b.name, b.id, b.creationTimestamp])).toEqual(
      resourcesBefore.map((b) => [b.name, b.id, b.creationTimestamp])
    )
    expect(after.find((b) => b.name === 'web-bs')!.description).toBe(
      'lb-routes owner=team-web routes=web-bs adopted-negs=global/web-neg (managed by lb-routes; do not edit by hand) adopted; was: web-bs, hand-built'
    )
    expect(after.find((b) => b.name === 'api-bs')!.description).toContain(
      'adopted-negs=europe-west1/api-ew1,us-central1/api-uc1 '
    )
    expect(after.find((b) => b.name === 'slow-bs')).toEqual(resourcesBefore.find((b) => b.name === 'slow-bs'))
    expect(sc.urlMap().fingerprint).toBe(mapBefore.fingerprint)
    expect(REQUESTS.map(([h, p]) => sc!.where(h, p))).toEqual(before)

    // Export again as the owner now holding it: route names come from the markers, and plan is clean.
    const mine = await exported(sc, 'team-web')
    expect(mine.config.routes.map((r) => r.name)).toEqual(['web-bs', 'api-bs', 'hello-bs', 'docs-bs'])
    expect((await sc.run(['plan', '--routes', 'routes.json'])).code).toBe(0)

    // A new route listed first: the adopted hand-built rule stays where it was in its matcher.
    const withExtra = JSON.parse(JSON.stringify(parse(ROUTES))) as { routes: unknown[] }
    withExtra.routes.unshift({
      name: 'extra',
      hosts: ['api.example.com'],
      paths: ['/extra/*'],
      to: { cloudRun: { url: 'https://extra-e1-ew.a.run.app' } }
    })
    sc.routes('routes.json', JSON.stringify(withExtra))
    await sc.converge('routes.json')
    const api = sc.urlMap().pathMatchers!.find((pm) => pm.name === 'api')!
    expect(api.pathRules!.map((r) => r.paths)).toEqual([['/hello', '/hello/*'], ['/extra/*']])

    // Adopted resources are this owner's: dropping a route deletes its backend service and adopted NEG.
    const { routes } = parse(ROUTES) as { routes: { name: string }[] }
    const withoutDocs = JSON.parse(JSON.stringify(parse(ROUTES))) as { routes: { name: string }[] }
    withoutDocs.routes = routes.filter((r) => r.name !== 'docs-bs')
    sc.routes('routes.json', JSON.stringify(withoutDocs))
    const drop = await sc.run(['plan', '--routes', 'routes.json'])
    expect(drop.code).toBe(2)
    expect(drop.stdout).toMatch(/- delete backend service docs-bs .*hand-built, adopted earlier/s)
    expect(drop.stdout).toMatch(/delete global NEG docs-neg/)
  })

  it('rolls an adoption back from its snapshot: the resources are released in place, routing unchanged', async () => {
    sc = await Scenario.start(handBuilt())
    const before = REQUESTS.map(([h, p]) => sc!.where(h, p))
    const resourcesBefore = sc.backendServices()
    await exported(sc, 'team-web')
    const adopt = await sc.run(['adopt', '--routes', 'routes.json', '--snapshot', 'adopt.json'])
    expect(adopt.code).toBe(0)
    expect(sc.backendServices().find((b) => b.name === 'web-bs')!.description).toContain('owner=team-web')

    const rollback = await sc.run(['rollback', '--from', 'adopt.json'])
    expect(rollback.stderr).not.toMatch(/error/)
    expect(rollback.code).toBe(0)
    // Same resources with their own descriptions again; nothing deleted, every request routes as before.
    const after = sc.backendServices()
    expect(after.map((b) => [b.name, b.id, b.description])).toEqual(
      resourcesBefore.map((b) => [b.name, b.id, b.description])
    )
    expect(
      sc
        .globalNegs()
        .map((n) => n.name)
        .sort()
    ).toEqual(
      handBuilt()
        .projects[LB]!.globalNetworkEndpointGroups!.map((n) => n.name!)
        .sort()
    )
    expect(REQUESTS.map(([h, p]) => sc!.where(h, p))).toEqual(before)
    // Released: a plan without --adopt finds hand-built holders again.
    expect((await sc.run(['plan', '--routes', 'routes.json'])).code).toBe(1)
  })

  it("never binds another owner's resources", async () => {
    const state = handBuilt()
    const docs = state.projects[LB]!.backendServices!.find((b) => b.name === 'docs-bs')!
    docs.description = 'lb-routes owner=team-y routes=docs (managed by lb-routes; do not edit by hand)'
    sc = await Scenario.start(state)
    const { text } = await exported(sc, 'team-web')
    expect(text).toContain('// rules of owner team-y left out (backend services docs-bs)')
    // Claim team-y's route anyway (routes.json written by hand): adoption does not take it.
    sc.routes('routes.json', ROUTES)
    const plan = await sc.run(['plan', '--adopt', '--routes', 'routes.json', '--json'])
    expect(plan.code).toBe(1)
    expect(plan.stderr).toContain('which is held by owner team-y (backend service docs-bs)')
    // The failing plan's JSON (printed with its errors) adopts nothing of team-y's.
    const json = JSON.parse(plan.stdout) as PlanJson
    expect(json.changes.filter((c) => c.action === 'adopt' && c.key.includes('docs-'))).toEqual([])
    expect(json.changes.some((c) => c.key === 'backendService/edge-prod/global/docs-bs')).toBe(false)
  })
})
