import { describe, it, expect } from '@jest/globals'
import { renderPlanMermaid } from '../../src/core/render/mermaid.js'
import { HOSTILE, change, examplePlan, plan, route, rule } from './builders.js'

describe('renderPlanMermaid', () => {
  // Issue #14 replaced the diagram: only changed routes, their targets before → after, the other holders
  // on their hosts; ordinary punctuation in labels.
  it('draws only changed routes: host → route → target, with the old target dashed', () => {
    const p = plan({
      routes: [
        route('same'),
        route('hello2', { status: 'new', rewrite: '/', hostRewrite: 'hello2.run.app' }),
        route('api', {
          status: 'changed',
          target: 'Cloud Run api-v2 (team-a, europe-west1)',
          changes: [{ field: 'target', before: 'Cloud Run api (team-a, europe-west1)', after: 'x' }]
        }),
        route('model', {
          hosts: ['ml.example.com'],
          paths: [],
          default: true,
          hops: 2,
          status: 'new',
          target: 'LB ml-lb.example.net',
          targetProject: 'ml-prod'
        })
      ]
    })
    expect(renderPlanMermaid(p)).toBe(
      [
        'flowchart LR',
        '  r2["hello2 (new)<br/>/hello2, /hello2/*<br/>path → /, host → hello2.run.app"]',
        '  class r2 added',
        '  h1("www.example.com")',
        '  t1(["Cloud Run hello2 (team-a, europe-west1)<br/>project team-a"])',
        '  r3["api (changed)<br/>/api, /api/*"]',
        '  class r3 changed',
        '  t2(["Cloud Run api-v2 (team-a, europe-west1)<br/>project team-a"])',
        '  t3(["Cloud Run api (team-a, europe-west1)<br/>project team-a"])',
        '  r4["model (new)<br/>default"]',
        '  class r4 added',
        '  h2("ml.example.com")',
        '  t4(["LB ml-lb.example.net<br/>project ml-prod"])',
        '  h1 --> r2',
        '  r2 --> t1',
        '  h1 --> r3',
        '  r3 --> t2',
        '  r3 -.->|"before"| t3',
        '  h2 --> r4',
        '  r4 -->|"2 hops"| t4',
        '  classDef added stroke:#1a7f37,stroke-width:2px',
        '  classDef changed stroke:#9a6700,stroke-width:2px',
        '  classDef removed stroke:#cf222e,stroke-dasharray:5 5,color:#6e7781',
        '  classDef same stroke:#8c959f',
        '  classDef blocked stroke:#8c959f,stroke-dasharray:3 3',
        '  classDef other fill:#f6f8fa,stroke:#8c959f,color:#57606a'
      ].join('\n')
    )
  })

  it('points a removed route at the route that takes its requests, and shows other holders on the host', () => {
    const map = {
      defaultService: 'global/backendServices/lbr-team-web-hello',
      hostRules: [{ hosts: ['shop.example.com'], pathMatcher: 'pm1' }],
      pathMatchers: [
        {
          name: 'pm1',
          defaultService: 'global/backendServices/shop-bs',
          pathRules: [{ paths: ['/cart', '/cart/*'], service: 'global/backendServices/cart-bs' }]
        }
      ]
    }
    const p = plan({
      changes: [
        change('urlMap', 'edge', 'update', {
          after: map,
          rules: [
            rule('change', '*', '(default)', { before: 'lbr-team-web-old', after: 'lbr-team-web-hello' })
          ]
        })
      ],
      routes: [
        route('old', {
          status: 'removed',
          hosts: ['*'],
          paths: [],
          default: true,
          backend: 'lbr-team-web-old'
        }),
        route('hello', {
          status: 'changed',
          hosts: ['*'],
          paths: [],
          default: true,
          backend: 'lbr-team-web-hello'
        }),
        route('promo', { status: 'new', hosts: ['shop.example.com'], paths: ['/promo'] })
      ]
    })
    const out = renderPlanMermaid(p)
    expect(out).toContain('  r1 -.->|"requests go to"| r2')
    expect(out).toMatch(/ {2}(o\d+)\["other holder<br\/>\/cart, \/cart\/\* → cart-bs"\]/)
    expect(out).toMatch(/ {2}(o\d+)\["other holder<br\/>default → shop-bs"\]/)
    expect(out).not.toContain('lbr-team-web-hello"')
  })

  it('names the owner of each other holder when the plan knows it (plan.holders)', () => {
    const map = {
      defaultService: 'global/backendServices/lbr-team-web-hello',
      hostRules: [{ hosts: ['shop.example.com'], pathMatcher: 'pm1' }],
      pathMatchers: [
        {
          name: 'pm1',
          defaultService: 'global/backendServices/shop-bs',
          pathRules: [{ paths: ['/cart', '/cart/*'], service: 'global/backendServices/cart-bs' }]
        }
      ]
    }
    const p = plan({
      changes: [change('urlMap', 'edge', 'update', { after: map, rules: [] })],
      routes: [route('promo', { status: 'new', hosts: ['shop.example.com'], paths: ['/promo'] })],
      holders: { 'cart-bs': 'team-shop', 'shop-bs': 'unmanaged' }
    })
    const out = renderPlanMermaid(p)
    expect(out).toMatch(/ {2}(o\d+)\["team-shop<br\/>\/cart, \/cart\/\* → cart-bs"\]/)
    expect(out).toMatch(/ {2}(o\d+)\["unmanaged<br\/>default → shop-bs"\]/)
  })

  it('is deterministic', () => {
    expect(renderPlanMermaid(examplePlan())).toBe(renderPlanMermaid(examplePlan()))
  })

  it('says so when no route changes', () => {
    expect(renderPlanMermaid(plan({ routes: [route('same')] }))).toBe(
      'flowchart LR\n  empty["no route changes"]'
    )
  })

  it('never turns user text into ids or syntax', () => {
    const p = plan({
      routes: HOSTILE.map((s) =>
        route(s, {
          hosts: [s],
          paths: [s],
          target: s,
          backend: s,
          backendProject: s,
          targetProject: s,
          rewrite: s,
          status: 'new'
        })
      )
    })
    const out = renderPlanMermaid(p)
    for (const line of out.split('\n')) {
      // Everything outside the quoted labels is ours: synthetic ids, shapes, arrows, class lines.
      const syntax = line.replace(/"[^"]*"/g, '""')
      expect(syntax).toMatch(
        /^(flowchart LR| {2}[hrto]\d+(\(""\)|\[""\]|\(\[""\]\))| {2}[hrto]\d+ (-->|-\.->|-\.-)(\|""\|)? [hrto]\d+| {2}classDef \w+ .*| {2}class [ro]\d+ \w+)$/
      )
    }
    // Inside labels: no quote, backtick or angle bracket except our <br/>; every # is one of our entity codes.
    for (const label of out.match(/"[^"]*"/g) ?? []) {
      const inner = label.slice(1, -1).replaceAll('<br/>', '')
      expect(inner).not.toMatch(/[<>`]/)
      expect(inner.replace(/#(quot|lt|gt|amp|35|96|37);/g, '')).not.toContain('#')
    }
  })
})
