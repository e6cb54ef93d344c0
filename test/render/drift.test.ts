// The drift issue: stable title and marker, which issues count as ours, what the step is, and a body that
// is deterministic, escapes hostile live strings and fits GitHub's 65,536-character limit.
import { describe, expect, it } from '@jest/globals'
import type { Diagnostic } from '../../src/core/diagnostics.js'
import {
  detectDrift,
  driftIssueTitle,
  driftMarker,
  ownDriftIssues,
  planDriftIssue,
  type DriftIssueRef
} from '../../src/core/drift/drift.js'
import { renderDriftMarkdown, renderDriftResolved } from '../../src/core/render/drift.js'
import { GITHUB_COMMENT_LIMIT } from '../../src/core/render/markdown.js'
import { HOSTILE, LB, bigPlan, change, examplePlan, plan, route } from './builders.js'

const RUN = 'https://github.com/o/r/actions/runs/42'
const err = (message: string): Diagnostic => ({
  severity: 'error',
  file: 'routes.json',
  line: 3,
  column: 5,
  message
})
const issue = (number: number, body: string, author = 'github-actions[bot]'): DriftIssueRef => ({
  number,
  title: driftIssueTitle('team-web', LB),
  body,
  author,
  url: `https://github.com/o/r/issues/${number}`
})

describe('drift detection and the issue step', () => {
  it('is in sync only with neither changes nor errors; warnings are not drift', () => {
    const warning: Diagnostic = { ...err('x'), severity: 'warning' }
    expect(detectDrift(plan(), [warning]).inSync).toBe(true)
    expect(detectDrift(plan(), [err('host taken')]).inSync).toBe(false)
    expect(detectDrift(examplePlan(), []).inSync).toBe(false)
  })

  it('trusts only our own issues whose first line is exactly our marker, oldest first', () => {
    const marker = driftMarker('team-web', LB)
    expect(marker).toBe('<!-- lb-routes-drift owner=team-web url-map=edge-prod/edge -->')
    const ours = ownDriftIssues(
      [
        issue(9, `${marker}\nbody`),
        issue(7, `${marker}\r\nbody`),
        issue(8, `${marker}\nbody`, 'mallory'),
        issue(10, `intro\n${marker}`),
        issue(11, `${driftMarker('team-shop', LB)}\nbody`),
        issue(12, `${driftMarker('team-web', { project: 'edge-prod', urlMap: 'edge2' })}\nbody`)
      ],
      'team-web',
      LB,
      'github-actions[bot]'
    )
    expect(ours.map((i) => i.number)).toEqual([7, 9])
  })

  it('creates, keeps, updates and closes', () => {
    const wanted = { title: 'T', body: 'B\n' }
    const open = { ...issue(5, 'B\n'), title: 'T' }
    expect(planDriftIssue({ inSync: true }, [], wanted)).toEqual({ kind: 'none' })
    expect(planDriftIssue({ inSync: true }, [open, issue(6, 'x')], wanted)).toEqual({
      kind: 'close',
      issues: [5, 6]
    })
    expect(planDriftIssue({ inSync: false }, [], wanted)).toEqual({ kind: 'create', ...wanted })
    expect(planDriftIssue({ inSync: false }, [{ ...open, body: 'B\r\n' }], wanted)).toEqual({
      kind: 'keep',
      issue: 5
    })
    expect(planDriftIssue({ inSync: false }, [{ ...open, body: 'old' }], wanted)).toEqual({
      kind: 'update',
      issue: 5,
      ...wanted
    })
  })
})

describe('renderDriftMarkdown', () => {
  it('is deterministic: the run link and the clock stay out of an unshortened body', () => {
    const d = detectDrift(examplePlan(), [err('host www.example.com is held by team-shop')])
    const a = renderDriftMarkdown(d, { runUrl: RUN })
    expect(a).toBe(renderDriftMarkdown(d, { runUrl: 'https://github.com/o/r/actions/runs/43' }))
    expect(a).not.toContain('actions/runs')
    expect(a.split('\n')[0]).toBe(driftMarker('team-web', LB))
    // Only routes that differ are listed; the unchanged ones are counted.
    expect(a).toContain('#### Routes that differ (3 of 5; 2 match)')
    expect(a).not.toMatch(/\| `hello` \|/)
    expect(a).toContain('#### Errors: live state conflicts with routes.json')
    expect(a).toContain('- timeoutSec: 30\n+ timeoutSec: 60')
  })

  it('keeps the marker the only HTML comment with hostile live strings', () => {
    const d = detectDrift(
      plan({
        routes: HOSTILE.map((s) => route(s, { hosts: [s], paths: [s], target: s, status: 'changed' })),
        changes: HOSTILE.map((s, i) =>
          change('globalNetworkEndpointGroup', `neg-${i}`, 'update', {
            reason: s,
            fields: ['networkEndpoints'],
            after: { networkEndpoints: [{ fqdn: s }] }
          })
        )
      }),
      HOSTILE.map(err)
    )
    const body = renderDriftMarkdown(d)
    expect(body.split('<!--')).toHaveLength(2)
    expect(body.split('-->')).toHaveLength(2)
    const prose = body.replace(/^(`{3,})[^\n]*\n[\s\S]*?^\1$/gm, '').replace(/`+[^`\n]*`+/g, '')
    expect(prose).not.toMatch(/<script|<\/details><|<img/i)
    expect(prose).not.toContain('](http')
    expect(prose).not.toContain('@org')
  })

  it('fits GitHub’s limit for thousands of changes, pointing at the run', () => {
    const d = detectDrift(bigPlan(3000), [])
    const body = renderDriftMarkdown(d, { runUrl: RUN })
    expect(body.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT)
    expect(body.length).toBeGreaterThan(GITHUB_COMMENT_LIMIT * 0.8)
    expect(body.split('\n')[0]).toBe(driftMarker('team-web', LB))
    expect(body).toContain(`[the workflow run that last updated this issue](${RUN})`)
    expect(body).toContain('#### How to fix')
    expect(body).toMatch(/… and [\d,]+ more routes/)
  })

  it('says resolved with the time and the run when closing', () => {
    expect(
      renderDriftResolved({
        owner: 'team-web',
        loadBalancer: LB,
        now: new Date('2026-11-26T06:00:00Z'),
        runUrl: RUN
      })
    ).toBe(
      '✅ **Resolved.** The live load balancer matches routes.json again for `team-web` on `edge` in `edge-prod`: ' +
        `no changes, no errors (checked 2026-11-26T06:00:00.000Z ([workflow run](${RUN}))). ` +
        'Closing; lb-routes opens a new issue if it drifts again.\n'
    )
  })
})
