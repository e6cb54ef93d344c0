import { describe, it, expect } from '@jest/globals'
import { renderApplyMarkdown, renderApplyText } from '../../src/core/render/apply.js'
import { applyMarker, parseApplyMarker, parsePlanMarker } from '../../src/core/review/markers.js'
import { applyResult, examplePlan, step } from './builders.js'

const BS = 'backendService/edge-prod/global/lbr-team-web-hello2'
const NEG = 'regionNetworkEndpointGroup/team-a/europe-west1/lbr-team-web-api-ew1'
const MAP = 'urlMap/edge-prod/global/edge'

describe('renderApplyMarkdown', () => {
  it('reports a successful apply with steps, retries and the run link', () => {
    const body = renderApplyMarkdown(
      applyResult({
        steps: [
          step(NEG),
          step(BS, { durationMs: 250 }),
          step(MAP, { action: 'update', durationMs: 61_000 })
        ],
        urlMapRetries: 1
      }),
      { runUrl: 'https://github.com/acme/web/actions/runs/7' }
    )
    expect(body).toBe(
      [
        '<!-- lb-routes:apply {"owner":"team-web","project":"edge-prod","urlMap":"edge","planId":"p-3f9a1c","status":"applied","v":1} -->',
        '',
        '### lb-routes apply for `team-web` on `edge` in `edge-prod`',
        '',
        '✅ **Applied.** Plan `p-3f9a1c` · 3 steps: 3 done · 4.3 s',
        '',
        'The URL map write was retried 1 time after 412 conditionNotMet (another owner changed the map); each retry re-read and re-merged it and checked the reviewed changes.',
        '',
        '#### Steps',
        '',
        '| Resource | Action | Status | Duration | Error |',
        '| --- | --- | --- | ---: | --- |',
        '| serverless NEG `lbr-team-web-api-ew1` in `team-a` (`europe-west1`) | create | ✅ done | 1.2 s |  |',
        '| backend service `lbr-team-web-hello2` in `edge-prod` | create | ✅ done | 250 ms |  |',
        '| URL map `edge` in `edge-prod` | update | ✅ done | 1 min 01 s |  |',
        '',
        '---',
        '',
        '[workflow run](https://github.com/acme/web/actions/runs/7)',
        ''
      ].join('\n')
    )
  })

  it.each([
    ['no-changes', '➖ **No changes.**'],
    ['failed', '❌ **Failed.** Rerunning the apply converges'],
    ['refused', '🛑 **Refused: nothing was applied.**']
  ] as const)('has a status line for %s', (status, line) => {
    const body = renderApplyMarkdown(
      applyResult({ status, message: 'planId p-1 was reviewed, p-2 computed' })
    )
    expect(body.split('\n')[4]).toContain(line)
    expect(body).toContain('> planId p-1 was reviewed, p-2 computed')
  })

  it('has its own marker that the plan marker parser ignores', () => {
    const body = renderApplyMarkdown(applyResult())
    expect(parseApplyMarker(body)).toEqual({
      owner: 'team-web',
      project: 'edge-prod',
      urlMap: 'edge',
      planId: 'p-3f9a1c'
    })
    expect(parsePlanMarker(body)).toBeUndefined()
  })

  it('starts with the apply prefix of its owner and URL map, whatever the planId and status', () => {
    const lb = { project: 'edge-prod', urlMap: 'edge' }
    for (const status of ['applied', 'failed'] as const) {
      expect(renderApplyMarkdown(applyResult({ status })).startsWith(applyMarker('team-web', lb))).toBe(true)
    }
    expect(renderApplyMarkdown(applyResult()).startsWith(applyMarker('team-shop', lb))).toBe(false)
  })

  it('escapes hostile errors in the step table', () => {
    const body = renderApplyMarkdown(
      applyResult({
        status: 'failed',
        steps: [step(BS, { status: 'failed', error: '| x | <!-- --> @org/team\n[a](http://evil)' })]
      })
    )
    const row = body.split('\n').find((l) => l.startsWith('| backend service'))!
    expect(row.match(/(?<!\\)\|/g)).toHaveLength(6)
    expect(body.split('<!--')).toHaveLength(2)
    expect(row).not.toContain('](http')
    // A mention or URL is shown in a code span (GitHub links nothing there), never as prose.
    expect(row.replace(/`[^`]*`/g, '')).not.toMatch(/@org|http/)
    expect(row).toContain('`@org/team`')
  })

  it('stays under maxLength and keeps failed steps when there are thousands', () => {
    const steps = Array.from({ length: 5000 }, (_, i) =>
      step(
        `backendService/edge-prod/global/bs-${i}`,
        i === 4321 ? { status: 'failed', error: 'HTTP 503' } : {}
      )
    )
    const body = renderApplyMarkdown(applyResult({ status: 'failed', steps }), { maxLength: 20_000 })
    expect(body.length).toBeLessThanOrEqual(20_000)
    expect(body).toContain('`bs-4321`')
    expect(body).toContain('HTTP 503')
    expect(body).toMatch(/… and [\d,]+ more steps/)
  })
})

describe('renderApplyText', () => {
  it('prints steps and the outcome without colour codes', () => {
    const out = renderApplyText(
      applyResult({
        status: 'failed',
        steps: [
          step(NEG),
          step(BS, { status: 'failed', error: 'HTTP 409 resourceInUseByAnotherResource' }),
          step(MAP, { status: 'skipped', action: 'update', durationMs: 0 })
        ],
        urlMapRetries: 2
      }),
      { color: false }
    )
    expect(out).toBe(
      [
        'lb-routes apply for team-web on URL map edge (project edge-prod)',
        '  ✓ create  serverless NEG lbr-team-web-api-ew1 (team-a, europe-west1)  1.2 s',
        '  ✗ create  backend service lbr-team-web-hello2 (edge-prod)  1.2 s',
        '      error: HTTP 409 resourceInUseByAnotherResource',
        '  - update  URL map edge (edge-prod)  skipped',
        '  URL map write retried 2 times after 412 conditionNotMet.',
        '',
        'Apply failed. Run it again: every step is idempotent, so a rerun converges. (plan p-3f9a1c, 3 steps: 1 done, 1 failed, 1 skipped, 4.3 s)',
        ''
      ].join('\n')
    )
    expect(out).not.toContain('\x1b')
  })

  it('colours the outcome when asked', () => {
    expect(renderApplyText(applyResult(), { color: true })).toContain('\x1b[32mApply complete.')
  })
})

describe('renderApplyMarkdown with the applied plan (issue #14)', () => {
  const plan = examplePlan({
    trafficMoves: [
      {
        host: 'www.example.com',
        path: '/old',
        before: { owner: 'team-web', backend: 'lbr-team-web-old' },
        after: { owner: 'team-web', backend: 'lbr-team-web-hello' }
      }
    ]
  })
  const key = (name: string) => plan.changes.find((c) => c.address.name === name)!.key

  it('says per route done / failed, the traffic that moved and where the rollback snapshot is', () => {
    const body = renderApplyMarkdown(
      applyResult({
        status: 'applied',
        steps: [key('lbr-team-web-hello2-neg'), key('lbr-team-web-hello2'), key('lbr-team-web-api')].map(
          (k) => step(k)
        )
      }),
      { plan, snapshot: 'lb-routes-snapshot-p-3f9a1c.json' }
    )
    expect(body).toContain('| `hello2` | new | ✅ done |  |')
    expect(body).toContain('| `api` | changed | ✅ done |  |')
    expect(body).toContain('| `old` | removed | ⏭️ not reached |  |')
    expect(body).toContain('#### Traffic that moved (1)')
    expect(body).toContain('- `www.example.com /old`: team-web route `old` → team-web route `hello`')
    expect(body).toContain(
      '**Rollback snapshot:** the state before this apply was saved as `lb-routes-snapshot-p-3f9a1c.json`'
    )
  })

  it('marks the route of a failed step failed, with the error', () => {
    const body = renderApplyMarkdown(
      applyResult({
        status: 'failed',
        steps: [step(key('lbr-team-web-api'), { status: 'failed', error: 'HTTP 503' })]
      }),
      { plan }
    )
    expect(body).toContain('| `api` | changed | ❌ failed | HTTP 503 |')
    expect(body).not.toContain('Traffic that moved')
  })
})
