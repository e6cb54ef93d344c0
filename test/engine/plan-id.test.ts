// Review integrity (issue 12 §5): the planId covers everything apply writes for the owner, so two files
// that differ in anything that changes live state get different planIds: one case per field family
// (resource bodies, the rule view with routeAction, traffic moves), each planned against the same live
// state through the CLI and the emulator.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { emptyMapState, LB, Scenario } from './scenario-helpers.js'

const route = (extra: Record<string, unknown> = {}) => ({
  name: 'app',
  hosts: ['app.example.com'],
  prefix: '/app',
  to: { cloudRun: { url: 'https://app-5f5f-ew.a.run.app' } },
  ...extra
})
const file = (routes: unknown[], options?: Record<string, unknown>) =>
  JSON.stringify({
    version: 1,
    owner: 'team-x',
    loadBalancer: { project: LB, urlMap: 'edge' },
    ...(options ? { options } : {}),
    routes
  })
const shared = { sharedCloudRunBackend: true }

/** Each case changes one field of the base file; the family says which part of what apply writes it reaches. */
const VARIANTS: readonly [family: string, name: string, text: string][] = [
  ['base', 'base', file([route()])],
  ['routeAction', 'rewrite.pathPrefix /', file([route({ rewrite: { pathPrefix: '/' } })])],
  ['routeAction', 'rewrite.pathPrefix /admin', file([route({ rewrite: { pathPrefix: '/admin' } })])],
  ['routeAction', 'rewrite.host', file([route({ rewrite: { host: 'other.example.net' } })])],
  ['routeAction', 'shared backend, target a', file([route()], shared)],
  [
    'routeAction',
    'shared backend, target b (only the hostRewrite differs)',
    file([route({ to: { cloudRun: { url: 'https://evil-5f5f-ew.a.run.app' } } })], shared)
  ],
  ['rule view', 'paths', file([route({ prefix: undefined, paths: ['/app/*'] })])],
  ['rule view', 'hosts', file([route({ hosts: ['app2.example.com'] })])],
  ['rule view', 'default', file([route({ prefix: undefined, default: true })])],
  ['resource body', 'timeoutSec', file([route({ timeoutSec: 45 })])],
  ['resource body', 'requestHeaders', file([route({ requestHeaders: ['X-Team: x'] })])],
  ['resource body', 'logSampleRate', file([route({ logSampleRate: 0.5 })])],
  ['resource body', 'enableCdn', file([route({ enableCdn: true })])],
  ['resource body', 'target', file([route({ to: { cloudRun: { url: 'https://other-5f5f-ew.a.run.app' } } })])]
]

let sc: Scenario
beforeAll(async () => {
  sc = await Scenario.start(emptyMapState())
})
afterAll(async () => {
  await sc.close()
})

async function planId(text: string): Promise<string> {
  const f = sc.routes('v.json', text)
  const r = await sc.run(['plan', '--routes', f, '--json'])
  if (r.code !== 2) throw new Error(`plan exit ${r.code}: ${r.stderr}`)
  return (JSON.parse(r.stdout) as { planId: string }).planId
}

describe('planId differs per field family', () => {
  it('every variant of the file has its own planId, and the same file the same one', async () => {
    const ids = new Map<string, string>()
    for (const [family, name, text] of VARIANTS) ids.set(`${family}: ${name}`, await planId(text))
    expect(await planId(VARIANTS[0]![2])).toBe(ids.get('base: base'))
    const byId = new Map<string, string[]>()
    for (const [k, id] of ids) byId.set(id, [...(byId.get(id) ?? []), k])
    expect([...byId.values()].filter((ks) => ks.length > 1)).toEqual([])
  })
})
