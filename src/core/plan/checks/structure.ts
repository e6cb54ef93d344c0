// Check: the merged map against the URL map validation rules Compute applies (google-semantics/validate.ts), offline.
import { validateUrlMapStructure } from '../../google-semantics/validate.js'
import type { PlanCheckStep } from './check.js'

/** structureCheck fails when Compute would reject the merged map (hosts, paths, matchers, defaults). */
export const structureCheck: PlanCheckStep = (ctx) => {
  if (!ctx.mergedMap) return undefined
  const structural = validateUrlMapStructure(ctx.mergedMap, { scheme: ctx.config.loadBalancer.scheme })
  return {
    check: {
      name: 'URL map rules (offline)',
      status: structural.length > 0 ? 'fail' : 'pass',
      detail:
        structural.length > 0
          ? structural.map((p) => p.message).join('; ')
          : 'hosts, paths, matchers and defaults are valid'
    },
    problems: structural.map((p) => ({ message: `the merged URL map would be rejected: ${p.message}` }))
  }
}
