import { describe, it, expect } from '@jest/globals'
import { renderPlanMermaid } from '../../src/core/render/mermaid.js'
import { HOSTILE, examplePlan, plan, route } from './builders.js'

describe('renderPlanMermaid', () => {
  it('draws hosts → routes → backends → targets grouped by project', () => {
    const p = plan({
      routes: [
        route('hello2', { status: 'new', rewrite: '/' }),
        route('old', { status: 'removed', backend: 'lbr-team-web-hello2' }),
        route('model', {
          hosts: ['ml.example.com'],
          paths: [],
          default: true,
          hops: 2,
          target: 'LB ml-lb.example.net',
          targetProject: 'ml-prod'
        })
      ]
    })
    expect(renderPlanMermaid(p)).toMatchInlineSnapshot(`
"flowchart LR
  r1["hello2<br/>/hello2, /hello2/*<br/>rewrite /"]
  h1("www.example.com")
  r2["removed: old<br/>/old, /old/*"]
  r3["model<br/>default"]
  h2("ml.example.com")
  subgraph p1["project edge-prod"]
    b1[["lbr-team-web-hello2"]]
    b2[["lbr-team-web-model"]]
  end
  subgraph p2["project team-a"]
    t1(["Cloud Run hello2 ❨team-a, europe-west1❩"])
    t2(["Cloud Run old ❨team-a, europe-west1❩"])
  end
  subgraph p3["project ml-prod"]
    t3{{"LB ml-lb.example.net"}}
  end
  h1 --> r1
  r1 --> b1
  b1 --> t1
  h1 -.-> r2
  r2 -.-> b1
  b1 -.-> t2
  h2 --> r3
  r3 --> b2
  b2 -->|"2 hops"| t3
  classDef added stroke:#1a7f37,stroke-width:2px
  classDef changed stroke:#9a6700,stroke-width:2px
  classDef removed stroke:#cf222e,stroke-dasharray:5 5,color:#6e7781
  class r1 added
  class r2 removed"
`)
  })

  it('keeps a shared edge solid when a removed route shares it with a live one', () => {
    const p = plan({
      routes: [
        route('gone', { status: 'removed', hosts: ['a.example'] }),
        route('live', {
          hosts: ['a.example'],
          backend: 'lbr-team-web-gone',
          target: 'Cloud Run gone (team-a, europe-west1)'
        })
      ]
    })
    const out = renderPlanMermaid(p)
    expect(out).toContain('  h1 -.-> r1')
    expect(out).toContain('  h1 --> r2')
    expect(out).toContain('  b1 --> t1')
    expect(out).not.toContain('b1 -.-> t1')
  })

  it('is deterministic', () => {
    expect(renderPlanMermaid(examplePlan())).toBe(renderPlanMermaid(examplePlan()))
  })

  it('says so when there are no routes', () => {
    expect(renderPlanMermaid(plan())).toBe('flowchart LR\n  empty["no routes"]')
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
          rewrite: s
        })
      )
    })
    const out = renderPlanMermaid(p)
    for (const line of out.split('\n')) {
      // Everything outside the quoted labels is ours: synthetic ids, shapes, arrows, class lines.
      const syntax = line.replace(/"[^"]*"/g, '""')
      expect(syntax).toMatch(
        /^(flowchart LR| {2,4}[hrbt]\d+(\(""\)|\[""\]|\[\[""\]\]|\(\[""\]\)|\{\{""\}\})| {2}subgraph p\d+\[""\]| {2}end| {2}[hrbt]\d+ (-->|-\.->)(\|""\|)? [hrbt]\d+| {2}classDef \w+ .*| {2}class r\d+ \w+)$/
      )
    }
    // Inside labels: no quote, bracket, pipe, hash, semicolon or angle bracket except our <br/>.
    for (const label of out.match(/"[^"]*"/g) ?? []) {
      expect(label.slice(1, -1).replaceAll('<br/>', '')).not.toMatch(/[<>[\]{}()|#;`]/)
    }
  })
})
