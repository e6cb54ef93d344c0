// Check: the owners policy at plan time (DESIGN.md §4.2). routes.json itself was checked against the
// policy when it was parsed (at its lines); this step checks what only the plan knows — the address each
// `loadBalancer` forwarding-rule target resolved to (compiled into its Internet NEG) and the adopt right.
import type { CompileResult } from '../../compile/compile-desired.js'
import { planPolicyProblems } from '../../policy/check.js'
import type { Route } from '../../routes/model.js'
import type { PlanCheckStep } from './check.js'

/** forwardingRuleIps: the resolved address of each forwarding-rule target, as compiled into its NEG endpoint. */
function forwardingRuleIps(compiled: CompileResult, routes: readonly Route[]): Record<string, string> {
  const unresolved = new Set(compiled.unresolved.map((u) => u.route))
  const ips: Record<string, string> = {}
  for (const r of routes) {
    const t = r.target
    if (t.kind !== 'loadBalancer' || !('forwardingRule' in t) || unresolved.has(r.name)) continue
    const neg = compiled.desired.negs.find((n) => n.routes.includes(r.name) && n.endpoint?.ipAddress)
    if (neg?.endpoint?.ipAddress) ips[`${t.project}/${t.forwardingRule}`] = neg.endpoint.ipAddress
  }
  return ips
}

/** policyCheck: with a policy, a row saying what it checked; problems for ungranted addresses and adoption. */
export const policyCheck: PlanCheckStep = (ctx) => {
  const problems = planPolicyProblems({
    config: ctx.config,
    forwardingRuleIps: forwardingRuleIps(ctx.compiled, ctx.config.routes),
    adopt: ctx.adopt,
    ...(ctx.tenancy ? { tenancy: ctx.tenancy } : {}),
    ...(ctx.fallbackAllowList ? { fallbackAllowList: ctx.fallbackAllowList } : {})
  })
  if (!ctx.tenancy) {
    if (ctx.unboundOwners === undefined) return problems.length > 0 ? { problems } : undefined
    return {
      check: { name: 'Owners policy', status: 'warn', detail: ctx.unboundOwners },
      warnings: [ctx.unboundOwners],
      problems
    }
  }
  const { policy, repository } = ctx.tenancy
  return {
    check: {
      name: 'Owners policy',
      status: problems.length > 0 ? 'fail' : 'pass',
      detail:
        problems.length > 0
          ? problems.map((p) => p.message).join('; ')
          : `${repository} acts as owner ${ctx.config.owner}; hosts, defaults, projects and internet hosts are within ${policy.file}`
    },
    problems
  }
}
