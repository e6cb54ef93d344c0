// plan.json: the plan as the artifact apply may run from (DESIGN.md §5). Rendering is stable (fixed
// top-level order, nested keys sorted) so two plans of the same changes are byte-identical; the parser
// is src/core/review/plan-json.ts.
import type { Plan } from '../plan/model.js'

const TOP_LEVEL: readonly (keyof Plan)[] = [
  'formatVersion',
  'planId',
  'createdAt',
  'owner',
  'loadBalancer',
  'urlMapFingerprint',
  'changes',
  'waves',
  'routes',
  'warnings',
  'checks',
  'desired'
]

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys)
  if (typeof value !== 'object' || value === null) return value
  const out: Record<string, unknown> = {}
  for (const k of Object.keys(value).sort()) out[k] = sortKeys((value as Record<string, unknown>)[k])
  return out
}

/** renderPlanJson renders plan.json: 2-space JSON, stable key order, trailing newline. */
export function renderPlanJson(plan: Plan): string {
  const src = plan as unknown as Record<string, unknown>
  const out: Record<string, unknown> = {}
  for (const k of TOP_LEVEL) out[k] = sortKeys(src[k])
  // Fields added to Plan later still round-trip, after the known ones.
  for (const k of Object.keys(src).sort()) if (!(k in out)) out[k] = sortKeys(src[k])
  return JSON.stringify(out, null, 2) + '\n'
}
