// examples/platform/ (issue 13): the trusted workflow reads the policy from its own repository at its own
// commit and passes it to the action, with the read-only account for plans and the apply account only in
// the environment on pushes; the policy next to it is valid; setup-gcp.sh is valid bash whose condition and
// trusted workflow agree with the policy.
import { describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parsePolicy } from '../../src/core/policy/parse.js'

const dir = join(import.meta.dirname, '..', '..', 'examples/platform')
const workflow = readFileSync(join(dir, '.github/workflows/routes.yml'), 'utf8')
const script = readFileSync(join(dir, 'setup-gcp.sh'), 'utf8')
const policy = parsePolicy(readFileSync(join(dir, 'lb-policy.json'), 'utf8'), 'lb-policy.json').policy!

/** The text of one job of the workflow (from its `name:` line to the next job). */
const job = (name: string): string => {
  const start = workflow.indexOf(`\n  ${name}:\n`)
  const next = workflow.slice(start + 1).search(/\n {2}[a-z-]+:\n/)
  return workflow.slice(start, next < 0 ? undefined : start + 1 + next)
}

describe('examples/platform', () => {
  it('checks out its own repository at its own commit and passes that policy to the action', () => {
    for (const name of ['plan', 'apply', 'rollback', 'drift']) {
      const text = job(name)
      expect(text).toContain('repository: ${{ job.workflow_repository }}')
      expect(text).toContain('ref: ${{ job.workflow_sha }}')
      expect(text).toContain('policy-file: ${{ env.LB_PLATFORM_DIR }}/lb-policy.json')
    }
    expect(job('plan')).toContain('service-account: ${{ env.LB_PLAN_SA }}')
    expect(job('plan')).not.toContain('LB_APPLY_SA')
    expect(job('apply')).toContain('service-account: ${{ env.LB_APPLY_SA }}')
    expect(job('apply')).toMatch(/\n {4}environment: lb-routes-apply\n/)
    // A rollback writes like an apply; drift only reads.
    expect(job('rollback')).toContain('service-account: ${{ env.LB_APPLY_SA }}')
    expect(job('rollback')).toMatch(/\n {4}environment: lb-routes-apply\n/)
    expect(job('drift')).toContain('service-account: ${{ env.LB_PLAN_SA }}')
    expect(job('drift')).not.toContain('LB_APPLY_SA')
    // Nothing that grants authority comes from the caller.
    expect(workflow).not.toMatch(/\$\{\{\s*(vars|secrets)\./)
    // Inputs name only the routes file and, for a rollback, which apply run's snapshot to restore.
    expect(workflow.match(/^ {6}[a-z-]+:$/gm)).toEqual(['      routes-file:', '      rollback-run-id:'])
  })

  it('ships a valid policy whose trusted workflow is the one setup-gcp.sh pins', () => {
    expect(policy.trustedWorkflows).toEqual([
      'platform-org/edge-routes/.github/workflows/routes.yml@refs/heads/main'
    ])
    expect(script).toContain('PLATFORM_REPO="platform-org/edge-routes"')
    expect(script).toContain(
      'TRUSTED_WORKFLOW="${PLATFORM_REPO}/.github/workflows/routes.yml@refs/heads/main"'
    )
    expect(script).toContain('APPLY_ENVIRONMENT="lb-routes-apply"')
  })

  it('setup-gcp.sh is valid bash that maps every claim the policy and bindings use', () => {
    expect(spawnSync('bash', ['-n', join(dir, 'setup-gcp.sh')]).status).toBe(0)
    for (const claim of [
      'repository',
      'repository_owner_id',
      'job_workflow_ref',
      'ref',
      'event_name',
      'environment'
    ])
      expect(script).toContain(`'attribute.${claim}=assertion.${claim}'`)
    for (const api of ['compute', 'run', 'sts', 'iamcredentials', 'iam'])
      expect(script).toContain(`${api}.googleapis.com`)
    expect(script).toContain('roles/compute.loadBalancerServiceUser')
    // The narrower custom apply role stands in for roles/compute.loadBalancerAdmin: never granted.
    expect(script).not.toMatch(/--role "?roles\/compute.loadBalancerAdmin/)
  })
})
