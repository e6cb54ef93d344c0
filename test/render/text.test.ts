import { describe, it, expect } from '@jest/globals'
import { renderPlanText } from '../../src/core/render/text.js'
import { change, examplePlan, plan, route } from './builders.js'

describe('renderPlanText', () => {
  it('reads like terraform: changed routes, resources with reason and fields, rules, checks, plan line', () => {
    expect(renderPlanText(examplePlan(), { color: false })).toBe(
      [
        'lb-routes plan for team-web on URL map edge (project edge-prod)',
        '',
        'Routes: 1 new, 1 changed, 1 removed, 2 unchanged',
        '  + hello2  www.example.com /hello2,/hello2/* rewrite / → lbr-team-web-hello2 (edge-prod) → Cloud Run hello2 (team-a, europe-west1), 1 hop',
        '  ~ api  api.example.com /v1/* → lbr-team-web-api (team-a) → Serverless api (team-a: europe-west1, us-central1), 1 hop',
        // A removed route has no hops any more (issue #14).
        '  - old  www.example.com /old,/old/* → lbr-team-web-old (edge-prod) → Cloud Run old (team-a, europe-west1)',
        '',
        'Resource changes:',
        '  - delete backend service lbr-team-web-old (edge-prod)',
        '        why: route old was removed',
        '        routes: old',
        '  + create global NEG lbr-team-web-hello2-neg (edge-prod)',
        '        why: new route hello2',
        '        routes: hello2',
        '  + create backend service lbr-team-web-hello2 (edge-prod)',
        '        why: new route hello2',
        '        routes: hello2',
        '  ~ update backend service lbr-team-web-api (team-a)',
        '        why: timeoutSec changed',
        '        fields: timeoutSec',
        '        routes: api',
        '  ~ update URL map edge (edge-prod)',
        '        why: path rules for hello2 added, old removed',
        '        fields: pathMatchers',
        '        routes: hello2, old',
        '        + www.example.com /hello2 → lbr-team-web-hello2  (route hello2)',
        '        - www.example.com /old → lbr-team-web-old  (route old)',
        '',
        'Checks:',
        '  ✓ route tests: 6 tests passed',
        '  ✓ urlMaps.validate: merged map valid',
        '  ! Cloud Run preflight: hello2: ingress is internal-and-cloud-load-balancing',
        '  - quota headroom: quota not readable',
        '  ✓ hop count: model: 2 hops',
        '',
        'Warnings:',
        '  ! route model chains another load balancer (2 hops)',
        '',
        'Plan: 2 to create, 2 to update, 0 to replace, 1 to delete.',
        ''
      ].join('\n')
    )
  })

  it('has no escape codes without colour', () => {
    expect(renderPlanText(examplePlan(), { color: false })).not.toContain('\x1b')
  })

  it('colours + green, ~ yellow, - red and headings bold when asked', () => {
    const out = renderPlanText(examplePlan(), { color: true })
    expect(out).toContain('\x1b[32m  + create\x1b[0m global NEG lbr-team-web-hello2-neg (edge-prod)')
    expect(out).toContain('\x1b[33m  ~ update\x1b[0m URL map edge (edge-prod)')
    expect(out).toContain('\x1b[31m  - delete\x1b[0m backend service lbr-team-web-old (edge-prod)')
    expect(out).toContain('\x1b[1mPlan: 2 to create, 2 to update, 0 to replace, 1 to delete.\x1b[0m')
  })

  it('shows replacements as -/+', () => {
    const out = renderPlanText(
      plan({
        changes: [
          change('regionNetworkEndpointGroup', 'neg', 'replace', {
            region: 'europe-west1',
            reason: 'service changed'
          })
        ]
      }),
      { color: false }
    )
    expect(out).toContain(
      '-/+ replace serverless NEG neg (edge-prod, europe-west1)\n        why: service changed'
    )
    expect(out.trimEnd().split('\n').at(-1)).toBe(
      'Plan: 0 to create, 0 to update, 1 to replace, 0 to delete.'
    )
  })

  it('ends with "No changes." when the load balancer matches', () => {
    const out = renderPlanText(plan({ routes: [route('hello')] }), { color: false })
    expect(out.trimEnd().split('\n').at(-1)).toBe('No changes. The load balancer matches routes.json.')
    expect(out).toContain('Routes: 0 new, 0 changed, 0 removed, 1 unchanged')
  })

  it('strips escape sequences a hostile route name carries, even with colour on', () => {
    const out = renderPlanText(plan({ routes: [route('evil\x1b[2J\x1b]0;pwned\x07', { status: 'new' })] }), {
      color: true
    })
    expect(out).not.toContain('\x1b[2J')
    expect(out).not.toContain('\x1b]0;')
    expect(out).not.toContain('\x07')
  })
})
