// The PR comment as a ten-second decision (issue #14): each case is a plan built from builders, rendered,
// and checked for structure — the verdict first, every error with file:line, the traffic that moves, what
// changed per route, the diagram, what happens next — and for fitting GitHub's limit at 300 routes.
import { describe, expect, it } from '@jest/globals'
import type { Plan } from '../../src/core/plan/model.js'
import { GITHUB_COMMENT_LIMIT, renderPlanMarkdown } from '../../src/core/render/markdown.js'
import { planComment } from '../../src/core/review/comment.js'
import { parsePlanMarker } from '../../src/core/review/markers.js'
import { bigPlan } from './builders.js'
import { catchAllPlan, changedTargetPlan, cleanPlan, failingPlan, ownMovePlan } from './comment-plans.js'

/** The first heading of a body: the verdict line. */
const verdict = (body: string): string => body.split('\n').find((l) => l.startsWith('### '))!

/** The markdown of the `#### Title…` section up to the next `####` heading. */
function section(body: string, title: string): string {
  const start = body.indexOf(`#### ${title}`)
  if (start < 0) return ''
  const next = body.indexOf('\n#### ', start + 1)
  return body.slice(start, next < 0 ? undefined : next).trim()
}

describe('the plan comment (issue #14)', () => {
  it('a failing plan: ❌ first, every error with file:line and the holder, no green anywhere', () => {
    const body = renderPlanMarkdown(failingPlan())
    expect(verdict(body)).toBe('### ❌ Cannot apply: 3 errors')
    // The verdict is the first visible line after the hidden marker.
    expect(body.split('\n')[2]).toBe(verdict(body))
    const errors = section(body, 'Errors (3)')
    expect(errors).toContain(
      '- ❌ `routes.json:12:5` route `promo`: route promo claims host shop.example.com path /shop/promo, which is held by owner team-shop'
    )
    expect(errors).toContain(
      '- ❌ `routes.json:18:5` route `batch`: forwarding rule team-ml/batch-https was not found'
    )
    expect(errors).toContain(
      '- ❌ `routes.json:40:7` route test failed: shop.example.com/shop/promo expected route promo'
    )
    expect(body.indexOf('#### Errors')).toBeLessThan(body.indexOf('#### Routes'))
    // The refused move names its holder.
    expect(section(body, 'Traffic that moves')).toContain(
      '- `shop.example.com /shop/promo`: team-shop backend `lbr-team-shop-shop-bs-7a1d2c3e` → team-web route `promo` — ❌ refused: held by team-shop'
    )
    expect(body).not.toMatch(/✅|🟢/)
    expect(section(body, 'Routes')).toContain('| ❌ error | `promo` |')
    expect(section(body, 'Checks')).toContain('- ✓ **Quota headroom**: ok')
    expect(section(body, 'What happens next')).toContain(
      '**Nothing can be applied** while the plan has errors'
    )
  })

  it('a clean plan: ✅ ready, the checks line, the hop cost, applies on merge after approval', () => {
    const body = renderPlanMarkdown(cleanPlan(), { environment: 'production' })
    expect(verdict(body)).toBe('### ✅ Ready to apply on merge')
    expect(body).toContain('**Checks:** ✅ 2 passed')
    expect(body).not.toContain('#### Errors')
    const table = section(body, 'Routes')
    expect(table).toContain('| 🟢 new | `hello2` |')
    expect(table).toContain('| `hello2-bs-1115…` in `edge-prod` | 2 · + Cloud Run front end |')
    expect(table).toContain('one extra TLS hop through the Cloud Run front end')
    expect(table).toContain('internet NEG egress')
    expect(table).toContain('`lbr-team-web-hello2-bs-11152932`') // full name in the details
    expect(section(body, 'What happens next')).toContain(
      '**Applies on merge** after approval in environment `production`'
    )
  })

  it("the owner's own move: the removed route says where its requests go, not that traffic stops", () => {
    const body = renderPlanMarkdown(ownMovePlan())
    expect(verdict(body)).toBe('### ⚠️ Applies with warnings: 1 to delete or replace')
    const traffic = section(body, 'Traffic that moves (2)')
    expect(traffic).toContain("**team-web's own requests**")
    expect(traffic).toContain(
      '- `* /`: team-web route `welcome` (the URL map default) → team-web route `hello`'
    )
    expect(body).toContain('Removed `welcome`: its requests go to team-web route `hello`')
    expect(body).not.toContain('Traffic stops')
    const row = section(body, 'Routes')
      .split('\n')
      .find((l) => l.includes('`welcome`'))!
    expect(row).toContain('| requests go to team-web route `hello` |')
    expect(row.endsWith('| — |')).toBe(true) // a removed route has no hop count
  })

  it('a move of a catch-all held by another owner is called out with the owner and the default', () => {
    const body = renderPlanMarkdown(catchAllPlan())
    expect(verdict(body)).toBe('### ⚠️ Applies with warnings: 1 request class from other holders')
    const traffic = section(body, 'Traffic that moves (1)')
    expect(traffic).toContain('**Requests that fell to a catch-all default** (held by team-shop)')
    expect(traffic).toContain(
      '- `* /news`: team-shop backend `lbr-team-shop-home-bs-1111aaaa` (the URL map default) → team-web route `news`'
    )
    expect(section(body, 'Routes')).toContain('| 1 · direct |')
  })

  it('a changed target: old → new target, settings, hosts, paths and rewrites as ! + - lines', () => {
    const body = renderPlanMarkdown(changedTargetPlan())
    expect(section(body, 'What changed')).toBe(
      [
        '#### What changed',
        '',
        '```diff',
        '! api  target: Cloud Run hello2-3abc-ew.a.run.app → Cloud Run hello2-v2-9xyz-ew.a.run.app',
        '! api  timeout: 30s → 60s',
        '+ api  hosts: api2.example.com',
        '- api  paths: /old/*',
        '! api  host rewrite: none → internal.example.com',
        '```'
      ].join('\n')
    )
    expect(section(body, 'Routes')).toContain('host → `internal.example.com`')
    const diagram = section(body, 'Diagram')
    expect(diagram).toContain('-.->|"before"|')
    expect(diagram).toContain('Cloud Run hello2-3abc-ew.a.run.app')
  })

  it('300 routes fit the comment; verdict and errors survive truncation first', () => {
    const big = bigPlan(300)
    const failing: Plan = { ...big, errors: failingPlan().errors!, trafficMoves: failingPlan().trafficMoves! }
    for (const p of [big, failing]) {
      const body = planComment(p)
      expect(body.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT)
      expect(parsePlanMarker(body)?.planId).toBe('p-3f9a1c')
      expect(body).toContain('**Routes:** 300 new')
    }
    const body = planComment(failing)
    expect(verdict(body)).toBe('### ❌ Cannot apply: 3 errors')
    for (const line of ['routes.json:12:5', 'routes.json:18:5', 'routes.json:40:7'])
      expect(body).toContain(line)
    // Squeezed hard, the verdict and the errors are still there; the table is what goes.
    const tight = renderPlanMarkdown(failing, { maxLength: 4_000 })
    expect(tight.length).toBeLessThanOrEqual(4_000)
    expect(verdict(tight)).toBe('### ❌ Cannot apply: 3 errors')
    expect(tight).toContain('routes.json:40:7')
    expect(tight.indexOf('#### Errors')).toBeLessThan(tight.indexOf('#### Routes') >>> 0)
  })
})
