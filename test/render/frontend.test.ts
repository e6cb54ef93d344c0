// The frontend section of the plan (text, markdown) and apply reports: where to point DNS, the
// certificate's status per domain, and hostile domain strings escaped like every other user string.
import { describe, expect, it } from '@jest/globals'
import type { FrontendSummary } from '../../src/core/plan/model.js'
import { renderApplyMarkdown, renderApplyText } from '../../src/core/render/apply.js'
import { renderPlanMarkdown } from '../../src/core/render/markdown.js'
import { frontendLines } from '../../src/core/render/summary.js'
import { renderPlanText } from '../../src/core/render/text.js'
import { applyResult, examplePlan } from './builders.js'

const fresh: FrontendSummary = {
  address: 'lbr-edge-ip-1',
  domains: ['www.example.com'],
  certificate: 'lbr-edge-cert-2',
  httpRedirect: true
}
const provisioning: FrontendSummary = {
  ...fresh,
  ip: '203.0.113.1',
  certificateStatus: 'PROVISIONING',
  domainStatus: { 'www.example.com': 'PROVISIONING' }
}

describe('frontend rendering', () => {
  it('before apply: the IP is not known yet, and the DNS advice says it comes after apply', () => {
    expect(frontendLines(fresh)).toEqual([
      'address lbr-edge-ip-1: (allocated on apply)',
      'certificate lbr-edge-cert-2 for www.example.com: created on apply',
      'HTTP→HTTPS redirect on port 80: on',
      'DNS: point the A records of www.example.com at the address (its IP is shown after apply); the Google-managed certificate stays PROVISIONING until they resolve there (usually 15–60 minutes after)'
    ])
  })

  it('shows the IP and per-domain status; no DNS advice once the certificate is ACTIVE', () => {
    expect(frontendLines(provisioning)[1]).toBe(
      'certificate lbr-edge-cert-2 for www.example.com: PROVISIONING (www.example.com: PROVISIONING)'
    )
    expect(frontendLines(provisioning)[3]).toContain('at 203.0.113.1;')
    const active = {
      ...provisioning,
      certificateStatus: 'ACTIVE',
      domainStatus: { 'www.example.com': 'ACTIVE' }
    }
    expect(frontendLines(active).some((l) => l.startsWith('DNS:'))).toBe(false)
  })

  it('appears in the text and markdown plan and in both apply reports, only when there is a frontend', () => {
    const plan = examplePlan({ frontend: provisioning })
    expect(renderPlanText(plan, { color: false })).toContain(
      '\nFrontend:\n  address lbr-edge-ip-1: 203.0.113.1\n'
    )
    const md = renderPlanMarkdown(plan)
    expect(md).toContain('**Frontend**\n\n- Address `lbr-edge-ip-1`: `203.0.113.1`\n')
    expect(md).toContain(
      '- Certificate `lbr-edge-cert-2` for `www.example.com`: **PROVISIONING** (`www.example.com` PROVISIONING)'
    )
    expect(md).toContain('> [!IMPORTANT]\n> Point the A records of `www.example.com` at `203.0.113.1`:')
    const active = { ...provisioning, certificateStatus: 'ACTIVE' }
    expect(renderPlanMarkdown(examplePlan({ frontend: active }))).not.toContain('Point the A records')
    expect(renderPlanText(examplePlan(), { color: false })).not.toContain('Frontend')
    expect(renderPlanMarkdown(examplePlan())).not.toContain('Frontend')
    const result = applyResult({ frontend: provisioning })
    expect(renderApplyText(result, { color: false })).toContain(
      'point the A records of www.example.com at 203.0.113.1'
    )
    expect(renderApplyMarkdown(result)).toContain('- Address `lbr-edge-ip-1`: `203.0.113.1`')
  })

  it('escapes hostile strings from live state', () => {
    const hostile: FrontendSummary = {
      ...provisioning,
      certificateStatus: '<img src=x onerror=alert(1)> @team [x](http://evil)',
      domainStatus: { 'www.example.com': '\x1b[31mRED' }
    }
    const md = renderPlanMarkdown(examplePlan({ frontend: hostile }))
    expect(md).not.toContain('<img')
    expect(md).not.toContain('[x](http://evil)')
    expect(renderPlanText(examplePlan({ frontend: hostile }), { color: false })).not.toContain('\x1b[31m')
  })
})
