// ownerRulesFromMap is the inverse of the merge: reading an owner's rules out of a map and merging them back
// changes nothing, and merging them into a map without them puts back exactly that owner's routing.
import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import type { UrlMap } from '../../src/core/compute.js'
import { mergeUrlMap, ownedRuleView, urlMapsEquivalent } from '../../src/core/plan/merge-url-map.js'
import { ownerRulesFromMap } from '../../src/core/plan/owner-rules.js'
import { backendServiceRef } from '../../src/core/google-semantics/refs.js'

const state = JSON.parse(readFileSync(new URL('../../examples/emulator-state.json', import.meta.url), 'utf8'))
const MAP = state.projects['edge-prod'].urlMaps[0] as UrlMap
const OWNED: Record<string, Set<string>> = {
  'team-shop': new Set(
    ['lbr-team-shop-shop-bs-7a1d2c3e', 'lbr-team-shop-cart-bs-2b4f6a8c'].map((n) =>
      backendServiceRef('edge-prod', n)
    )
  ),
  'team-web': new Set([backendServiceRef('edge-prod', 'lbr-team-web-welcome-bs-5f0c1a2b')])
}
const merge = (owner: string, live: UrlMap, rules: ReturnType<typeof ownerRulesFromMap>) =>
  mergeUrlMap({
    owner,
    project: 'edge-prod',
    urlMapName: 'edge',
    live,
    rules,
    ownedServices: OWNED[owner]!,
    serviceOwners: {}
  })

describe('ownerRulesFromMap', () => {
  it.each(Object.keys(OWNED))('round-trips %s: re-merging its own rules changes nothing', (owner) => {
    const rules = ownerRulesFromMap(MAP, OWNED[owner]!, 'edge-prod')
    const merged = merge(owner, MAP, rules)
    expect([merged.errors, merged.conflicts, merged.ruleChanges]).toEqual([[], [], []])
    expect(urlMapsEquivalent(merged.map, MAP, 'edge-prod')).toBe(true)
  })

  it("puts team-shop's rules back into a map they were removed from, leaving the rest as it is", () => {
    const rules = ownerRulesFromMap(MAP, OWNED['team-shop']!, 'edge-prod')
    expect(
      rules.hosts.map((h) => [h.host, h.pathRules.flatMap((r) => r.paths), h.defaultService ?? null])
    ).toEqual([
      [
        'shop.example.com',
        ['/cart', '/cart/*'],
        backendServiceRef('edge-prod', 'lbr-team-shop-shop-bs-7a1d2c3e')
      ],
      ['*', ['/shop', '/shop/*'], null]
    ])
    const without = merge('team-shop', MAP, { hosts: [] }).map!
    expect(ownedRuleView(without, OWNED['team-shop']!, 'edge-prod').size).toBe(0)
    const back = merge('team-shop', without, rules).map!
    expect(ownedRuleView(back, OWNED['team-shop']!, 'edge-prod')).toEqual(
      ownedRuleView(MAP, OWNED['team-shop']!, 'edge-prod')
    )
    expect(JSON.stringify(back.pathMatchers!.find((pm) => pm.name === 'legacy'))).toBe(
      JSON.stringify(MAP.pathMatchers!.find((pm) => pm.name === 'legacy'))
    )
  })
})
