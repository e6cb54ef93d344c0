// Route tests with a query string (issue 12 §7): the server-side UrlMapTest keeps the request's query in
// expectedOutputUrl (Google compares scheme, host, path and query), so examples/cloud-run-cross-project.json
// plans and applies against the emulator instead of failing at apply after its NEG and backend exist.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from '@jest/globals'
import { toUrlMapTests } from '../../src/core/plan/route-tests.js'
import { formatTestFailure } from '../../src/core/google-semantics/tests.js'
import { emptyMapState, ROOT, Scenario } from './scenario-helpers.js'

let sc: Scenario | undefined
afterEach(async () => {
  await sc?.close()
  sc = undefined
})

describe('route tests with a query string', () => {
  it('keep the query in expectedOutputUrl', () => {
    const [t] = toUrlMapTests([
      {
        host: 'shop.example.com',
        path: '/cart?id=1',
        route: 'storefront',
        service: 'https://www.googleapis.com/compute/v1/projects/p/global/backendServices/b',
        expectPath: '/cart',
        origin: 'declared',
        at: { line: 1, column: 1 }
      }
    ])
    expect(t!.expectedOutputUrl).toBe('https://shop.example.com/cart?id=1')
  })

  it('a failure on the same service shows the expected and the actual URL', () => {
    const svc = 'projects/p/global/backendServices/b'
    const text = formatTestFailure({
      host: 'h',
      path: '/a?x=1',
      expectedService: svc,
      actualService: svc,
      expectedOutputUrl: 'https://h/a',
      actualOutputUrl: 'h/a?x=1'
    })
    expect(text).toContain("'https://h/a'")
    expect(text).toContain("'h/a?x=1'")
  })

  it('examples/cloud-run-cross-project.json plans and applies against the emulator', async () => {
    const state = emptyMapState()
    state.projects['team-shop'] = {
      runServices: {
        'us-central1': [
          {
            name: 'storefront',
            uri: 'https://storefront-5j2kq3-uc.a.run.app',
            ingress: 'INGRESS_TRAFFIC_ALL',
            invokerMembers: ['allUsers']
          }
        ]
      }
    }
    sc = await Scenario.start(state)
    const file = sc.routes(
      'shop.json',
      readFileSync(join(ROOT, 'examples/cloud-run-cross-project.json'), 'utf8')
    )
    await sc.converge(file)
    expect(sc.where('shop.example.com', '/cart?id=1').path).toBe('/cart')
  })
})
