import { describe, it, expect } from '@jest/globals'
import {
  DEFAULT_MAX_LENGTH,
  GITHUB_COMMENT_LIMIT,
  STEP_SUMMARY_LIMIT,
  renderPlanMarkdown
} from '../../src/core/render/markdown.js'
import { parsePlanMarker, planMarker } from '../../src/core/review/markers.js'
import { utf8Length } from '../../src/core/render/escape.js'
import { HOSTILE, LB, bigPlan, change, check, examplePlan, plan, route, rule } from './builders.js'

const RUN = 'https://github.com/acme/web/actions/runs/42'

/** section returns the markdown from a `#### Title` heading up to the next heading. */
function section(body: string, title: string): string {
  const start = body.indexOf(`#### ${title}`)
  if (start < 0) return ''
  const next = body.indexOf('\n#### ', start + 1)
  const end = body.indexOf('\n---\n', start)
  const details = body.indexOf('\n<details>', start)
  const stops = [next, end, details].filter((i) => i > 0)
  return body.slice(start, stops.length > 0 ? Math.min(...stops) : undefined).trim()
}

/**
 * outsideCode drops fenced blocks and code spans (GitHub shows both literally) following CommonMark: a
 * span opened by a run of n backticks closes at the next run of exactly n.
 */
function outsideCode(md: string): string {
  const noFences = md.replace(/^(`{3,})[^\n]*\n[\s\S]*?^\1$/gm, '')
  let out = ''
  let i = 0
  while (i < noFences.length) {
    if (noFences[i] !== '`') {
      out += noFences[i++]
      continue
    }
    let n = 0
    while (noFences[i + n] === '`') n++
    const close = new RegExp(`(?<!\`)\`{${n}}(?!\`)`, 'g')
    close.lastIndex = i + n
    const m = close.exec(noFences)
    if (m === null) {
      out += noFences.slice(i, i + n)
      i += n
    } else i = m.index + n
  }
  return out
}

/** Pipes that split table cells: not preceded by a backslash. */
const columnBreaks = (line: string): number => line.match(/(?<!\\)\|/g)?.length ?? 0

describe('renderPlanMarkdown', () => {
  // Issue #14 changed the layout these pinned: verdict first, status-first table, rule diff ahead of resources.
  it('opens with the marker, the verdict, counts, a checks line and a deletion callout naming where requests go', () => {
    const body = renderPlanMarkdown(examplePlan(), { runUrl: RUN })
    const lines = body.split('\n').filter((l) => l !== '')
    expect(lines[0]).toMatch(/^<!-- lb-routes:plan /)
    expect(lines[1]).toBe('### ⚠️ Applies with warnings: 2 warnings, 1 to delete or replace')
    expect(lines[2]).toBe('lb-routes plan for `team-web` on `edge` in `edge-prod`')
    expect(lines[3]).toBe(
      '**Resources:** 2 to create, 2 to update, 0 to replace, 1 to delete · **Routes:** 1 new, 1 changed, 1 removed, 2 unchanged'
    )
    expect(lines[4]).toBe('**Checks:** ⚠️ 1 warning · ✅ 3 passed · ⏭️ 1 skipped')
    expect(lines[5]).toBe('> [!WARNING]')
    expect(lines[6]).toContain(
      '**This plan deletes 1 resource:** backend service `lbr-team-web-old` in `edge-prod`.'
    )
    expect(lines[6]).toContain('Removed `old`: its requests fall to the next matching rule')
    expect(body).not.toContain('Traffic stops')
  })

  it('renders the route table status first, with changes first', () => {
    const body = renderPlanMarkdown(examplePlan())
    expect(section(body, 'Routes')).toMatchInlineSnapshot(`
"#### Routes

| Status | Route | Hosts and paths | Target | Backend | Hops |
| --- | --- | --- | --- | --- | --- |
| 🔴 removed | \`old\` | \`www.example.com\` \`/old\`, \`/old/*\` | _(removed)_ | \`lbr-team-web-old\` in \`edge-prod\` | — |
| 🟢 new | \`hello2\` | \`www.example.com\` \`/hello2\`, \`/hello2/*\` path → \`/\` | Cloud Run hello2 \\(team-a, europe-west1\\) | \`lbr-team-web-hello2\` in \`edge-prod\` | 1 |
| 🟡 changed | \`api\` | \`api.example.com\` \`/v1/*\` | Serverless api \\(team-a: europe-west1, us-central1\\) | \`lbr-team-web-api\` in \`team-a\` | 1 |
| ⚪ unchanged | \`hello\` | \`*\` \`(default)\` | Cloud Run hello \\(team-a, europe-west1\\) | \`lbr-team-web-hello\` in \`edge-prod\` | 1 |
| ⚪ unchanged | \`model\` | \`ml.example.com\` \`(default)\` | Load balancer ml-lb.example.net | \`lbr-team-web-model\` in \`edge-prod\` | 2 |"
`)
  })

  it('puts the URL map rule diff, with ! for changed rules, ahead of the resource changes', () => {
    const body = renderPlanMarkdown(
      examplePlan({
        changes: [
          change('urlMap', 'edge', 'update', {
            rules: [rule('change', '*', '(default)', { before: 'bs-old', after: 'bs-new' })]
          })
        ]
      })
    )
    expect(section(body, 'URL map `edge` rule changes (1)')).toBe(
      '#### URL map `edge` rule changes (1)\n\n```diff\n! * (default): bs-old → bs-new\n```'
    )
    expect(body.indexOf('rule changes (1)')).toBeLessThan(body.indexOf('#### Resource changes'))
  })

  it('groups resource changes by action with reasons and routes', () => {
    const body = renderPlanMarkdown(examplePlan())
    expect(section(body, 'Resource changes')).toMatchInlineSnapshot(`
"#### Resource changes

**🔴 Delete (1)**

- backend service \`lbr-team-web-old\` in \`edge-prod\` — route old was removed · routes: \`old\`

**🟢 Create (2)**

- global NEG \`lbr-team-web-hello2-neg\` in \`edge-prod\` — new route hello2 · routes: \`hello2\`
- backend service \`lbr-team-web-hello2\` in \`edge-prod\` — new route hello2 · routes: \`hello2\`

**🟡 Update (2)**

- backend service \`lbr-team-web-api\` in \`team-a\` — timeoutSec changed · fields: \`timeoutSec\` · routes: \`api\`
- URL map \`edge\` in \`edge-prod\` — path rules for hello2 added, old removed · fields: \`pathMatchers\` · routes: \`hello2\`, \`old\`"
`)
  })

  it('lists checks with their symbols and the warnings', () => {
    const body = renderPlanMarkdown(examplePlan())
    expect(section(body, 'Checks')).toMatchInlineSnapshot(`
"#### Checks

- ✅ **route tests**: 6 tests passed
- ✅ **urlMaps.validate**: merged map valid
- ⚠️ **Cloud Run preflight**: hello2: ingress is internal-and-cloud-load-balancing
- ⏭️ **quota headroom**: quota not readable
- ✅ **hop count**: model: 2 hops"
`)
    expect(section(body, 'Warnings')).toBe(
      '#### Warnings\n\n- ⚠️ route model chains another load balancer \\(2 hops\\)'
    )
  })

  it('turns a failed check into the verdict and an error, with no green check left', () => {
    const body = renderPlanMarkdown(
      examplePlan({
        checks: [check('urlMaps.validate', 'fail', 'conflict'), check('route tests', 'pass', 'ok')]
      })
    )
    expect(body.split('\n')[2]).toBe('### ❌ Cannot apply: 1 error')
    expect(section(body, 'Errors (1)')).toContain('- ❌ urlMaps.validate: conflict')
    expect(section(body, 'Checks')).toContain('- ❌ **urlMaps.validate**: conflict')
    expect(section(body, 'Checks')).toContain('- ✓ **route tests**: ok')
    expect(body).not.toContain('✅')
    expect(body).not.toContain('🟢')
  })

  it('draws the diagram in a mermaid fence with intact arrows', () => {
    const body = renderPlanMarkdown(examplePlan())
    const diagram = section(body, 'Diagram')
    expect(diagram).toMatch(/^#### Diagram\n\n```mermaid\nflowchart LR\n/)
    expect(diagram).toContain('  h1 --> r2')
    expect(diagram).toContain('  h1 -.-> r4')
  })

  it('collapses per-resource diffs, apply waves and the plan identity', () => {
    const body = renderPlanMarkdown(examplePlan(), { runUrl: RUN })
    const details = body.slice(body.indexOf('<details>'), body.indexOf('</details>') + 10)
    expect(details).toContain('<details>\n<summary>Resource details and apply waves</summary>\n\n')
    expect(details).toContain(
      '```diff\n  {\n    "name": "lbr-team-web-api",\n-   "timeoutSec": 30\n+   "timeoutSec": 60\n  }\n```'
    )
    expect(details).toContain(
      '2. `backendService/edge-prod/global/lbr-team-web-hello2`, `backendService/team-a/global/lbr-team-web-api`'
    )
    expect(body.trimEnd().split('\n').at(-1)).toBe(
      'Plan `p-3f9a1c` · computed against URL map fingerprint `fp-42` · 2026-03-01T12:00:00Z · ' +
        `[workflow run](${RUN})`
    )
  })

  it('says "No changes." and leaves out callouts and resource sections when nothing changes', () => {
    const body = renderPlanMarkdown(plan({ routes: [route('hello')] }))
    expect(body.split('\n')[2]).toBe('### ✅ No changes: nothing to apply')
    expect(body).toContain('**No changes.** The load balancer matches routes.json.')
    expect(body).toContain('**Routes:** 0 new, 0 changed, 0 removed, 1 unchanged')
    expect(body).toContain('Merging changes nothing on the load balancer.')
    expect(body).not.toContain('[!WARNING]')
    expect(body).not.toContain('#### Resource changes')
    expect(body).not.toContain('<details>')
  })

  it('warns about replacements and names a map that does not exist yet', () => {
    const body = renderPlanMarkdown(
      plan({
        urlMapFingerprint: null,
        changes: [change('globalNetworkEndpointGroup', 'neg-a', 'replace', { reason: 'endpoint changed' })]
      })
    )
    expect(body).toContain('⚠️ **This plan replaces 1 resource:** global NEG `neg-a` in `edge-prod`.')
    expect(body).toContain('computed against URL map does not exist yet')
  })

  it('collapses the diagram past 10 changed routes and shows a note instead past 40', () => {
    expect(section(renderPlanMarkdown(bigPlan(10)), 'Diagram')).toMatch(/^#### Diagram\n\n```mermaid\n/)
    expect(renderPlanMarkdown(bigPlan(11))).toContain(
      '#### Diagram\n\n<details>\n<summary>Diagram of 11 changed routes and their neighbours</summary>\n\n```mermaid\n'
    )
    const body = renderPlanMarkdown(bigPlan(41))
    expect(body).not.toContain('```mermaid')
    expect(section(body, 'Diagram')).toBe(
      '#### Diagram\n\n_No diagram: 41 changed routes are too many to draw legibly; the route table lists them._'
    )
  })

  it('leaves out the diagram when no route changes', () => {
    expect(renderPlanMarkdown(plan({ routes: [route('hello')] }))).not.toContain('#### Diagram')
  })

  it('links the run only for http(s) URLs', () => {
    expect(renderPlanMarkdown(examplePlan(), { runUrl: 'javascript:alert(1)' })).not.toContain('javascript')
  })
})

describe('plan marker', () => {
  it('round-trips the owner, load balancer and planId', () => {
    const body = renderPlanMarkdown(examplePlan())
    expect(parsePlanMarker(body)).toEqual({
      owner: 'team-web',
      project: 'edge-prod',
      urlMap: 'edge',
      planId: 'p-3f9a1c'
    })
    expect(body.startsWith(planMarker('team-web', LB))).toBe(true)
  })

  it('tells owners and load balancers apart', () => {
    const body = renderPlanMarkdown(examplePlan())
    expect(body.startsWith(planMarker('team-web2', LB))).toBe(false)
    expect(body.startsWith(planMarker('team-web', { project: 'edge-prod', urlMap: 'edge-2' }))).toBe(false)
  })

  it('cannot be closed early by an owner containing -->', () => {
    const owner = 'x --> <script>'
    const body = renderPlanMarkdown(plan({ owner, planId: 'id --> y' }))
    const first = body.split('\n', 1)[0]!
    expect(first.indexOf('-->')).toBe(first.length - 3)
    expect(parsePlanMarker(body)).toMatchObject({ owner, planId: 'id --> y' })
    expect(body.startsWith(planMarker(owner, LB))).toBe(true)
  })

  it('reads only the first line, so a marker pasted later in a body does not count', () => {
    expect(
      parsePlanMarker(
        'hello\n<!-- lb-routes:plan {"owner":"a","project":"b","urlMap":"c","planId":"d","v":1} -->'
      )
    ).toBe(undefined)
    expect(parsePlanMarker('<!-- lb-routes:plan {"owner":"a"} -->')).toBeUndefined()
    expect(parsePlanMarker('<!-- lb-routes:plan {not json} -->')).toBeUndefined()
    expect(
      parsePlanMarker('<!-- lb-routes:plan {"owner":"a","project":"b","urlMap":"c","planId":"d","v":2} -->')
    ).toBe(undefined)
  })
})

describe('hostile input', () => {
  const hostilePlan = () =>
    examplePlan({
      routes: HOSTILE.map((s, i) =>
        route(s, {
          hosts: [s],
          paths: [s],
          target: s,
          backend: s,
          backendProject: s,
          rewrite: s,
          status: (['new', 'changed', 'removed', 'unchanged'] as const)[i % 4]
        })
      ),
      changes: HOSTILE.map((s, i) =>
        change('backendService', `bs-${i}`, i % 2 === 0 ? 'delete' : 'update', {
          reason: s,
          routes: [s],
          fields: [s],
          before: { name: s },
          after: { name: s },
          rules: [rule('change', s, s, { before: s, after: s, route: s })]
        })
      ),
      warnings: [...HOSTILE],
      checks: HOSTILE.map((s) => check(s, 'warn', s))
    })

  it('keeps the marker the only HTML comment and the only marker', () => {
    const body = renderPlanMarkdown(hostilePlan())
    expect(body.split('<!--')).toHaveLength(2)
    const mermaid = /^```mermaid\n[\s\S]*?^```$/m
    expect(body.replace(mermaid, '').split('-->')).toHaveLength(2)
    expect(parsePlanMarker(body)?.planId).toBe('p-3f9a1c')
  })

  it('lets no tag, link, image or mention through outside code', () => {
    const body = renderPlanMarkdown(hostilePlan())
    const prose = outsideCode(body)
    expect(prose).not.toMatch(/<script|<\/details><|<img/i)
    expect(prose).not.toContain('](http')
    expect(prose).not.toContain('@org')
    expect(prose).not.toMatch(/(?<!\\)#1/)
    expect(prose).not.toContain('http://evil')
  })

  it('keeps every route row at six columns and one line', () => {
    const body = renderPlanMarkdown(hostilePlan())
    const table = section(body, 'Routes').split('\n').slice(2)
    expect(table).toHaveLength(HOSTILE.length + 2)
    for (const line of table.slice(2)) expect(columnBreaks(line)).toBe(7)
  })

  it('truncates a 5,000-character name in the table', () => {
    const body = renderPlanMarkdown(plan({ routes: [route('x'.repeat(5000))] }))
    const row = section(body, 'Routes').split('\n')[4]!
    expect(row.length).toBeLessThan(1500)
    expect(row).toContain('x…')
  })
})

describe('size limits', () => {
  it('keeps a 2,000-route plan under the comment limit with marker, counts, checks and a pointer', () => {
    const body = renderPlanMarkdown(bigPlan(2000), { runUrl: RUN })
    expect(body.length).toBeLessThanOrEqual(DEFAULT_MAX_LENGTH)
    expect(body.length).toBeLessThan(GITHUB_COMMENT_LIMIT)
    expect(parsePlanMarker(body)?.planId).toBe('p-3f9a1c')
    expect(body).toContain('**Resources:** 4000 to create, 1 to update, 0 to replace, 0 to delete')
    expect(body).toContain('**Routes:** 2000 new, 0 changed, 0 removed, 0 unchanged')
    expect(body).toContain('- ✅ **route tests**: 4000 tests passed')
    expect(body).toContain(
      `The full plan is in the job summary and the \`plan.json\` artifact of [the workflow run](${RUN}).`
    )
    expect(body).toMatch(/… and 1,\d{3} more routes; see the job summary/)
    expect(body).not.toContain('<details>')
    // Still a useful table: hundreds of rows, each complete.
    const rows = section(body, 'Routes')
      .split('\n')
      .filter((l) => l.includes('| `svc-'))
    expect(rows.length).toBeGreaterThan(200)
  })

  it('fits a 2,000-route plan’s full table in a 1 MiB job summary', () => {
    const body = renderPlanMarkdown(bigPlan(2000), {
      maxLength: STEP_SUMMARY_LIMIT,
      maxBytes: STEP_SUMMARY_LIMIT
    })
    expect(body.length).toBeLessThanOrEqual(STEP_SUMMARY_LIMIT)
    expect(utf8Length(body)).toBeLessThanOrEqual(STEP_SUMMARY_LIMIT)
    const rows = section(body, 'Routes')
      .split('\n')
      .filter((l) => l.includes('| `svc-'))
    expect(rows).toHaveLength(2000)
    expect(body).not.toContain('more routes')
  })

  it.each([5_000, 1_500, 300, 1])('never exceeds maxLength %i', (maxLength) => {
    const body = renderPlanMarkdown(bigPlan(300), { maxLength })
    expect(body.length).toBeLessThanOrEqual(maxLength)
  })

  it('keeps marker, counts and checks in a tight budget', () => {
    const body = renderPlanMarkdown(bigPlan(300), { maxLength: 1_500 })
    expect(parsePlanMarker(body)).toBeDefined()
    expect(body).toContain('**Resources:** 600 to create')
    expect(body).toContain('#### Checks')
    expect(body).toContain('plan.json')
  })

  it('respects a byte budget when text is multi-byte', () => {
    const p = plan({
      routes: Array.from({ length: 300 }, (_, i) => route(`ルート-${i}`, { target: '東京'.repeat(40) }))
    })
    const body = renderPlanMarkdown(p, { maxLength: 100_000, maxBytes: 20_000 })
    expect(utf8Length(body)).toBeLessThanOrEqual(20_000)
    expect(body).toContain('more routes')
  })
})
