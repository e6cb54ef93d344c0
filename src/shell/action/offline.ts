// The report when there is no live plan (a routes.json with errors, a fork PR without OIDC, Google
// unreachable or denied): offline checks only, in the summary and as the PR's plan comment, so an older
// plan comment never stands as if it were current.
import { hasErrors, type Diagnostic } from '../../core/diagnostics.js'
import { offlineView } from '../../core/plan/offline.js'
import { renderOfflineMarkdown } from '../../core/render/offline.js'
import { reviewTrailer } from '../../core/review/comment.js'
import { PLAN_MARKER, planMarker } from '../../core/review/markers.js'
import { readIdentity } from '../../core/routes/identity.js'
import type { RoutesConfig } from '../../core/routes/model.js'
import { annotate } from './annotate.js'
import { upsertComment } from './comment.js'
import type { ActionDeps } from './deps.js'
import { planProvenance } from './review.js'

/** reportOffline runs the offline route tests and reports them with `reason`; false when anything failed. */
export async function reportOffline(
  deps: ActionDeps,
  pr: number | undefined,
  config: RoutesConfig | undefined,
  diagnostics: readonly Diagnostic[],
  reason: string,
  bytes?: string | Uint8Array,
  fork = false
): Promise<boolean> {
  const view = config ? offlineView(config) : undefined
  const failures = view?.failures ?? []
  const all: Diagnostic[] = [
    ...diagnostics,
    ...failures.map((f) => ({
      severity: 'error' as const,
      file: deps.inputs.routesFile,
      line: f.test.at.line,
      column: f.test.at.column,
      message: `route test failed: ${f.message}`
    }))
  ]
  if (failures.length) annotate(deps.core, all.slice(diagnostics.length))
  // An invalid file still names its owner and load balancer when those parse: show what parsed.
  const id = config ? {} : readIdentity(bytes ?? '')
  const owner = config?.owner ?? id.owner ?? '(owner not readable)'
  const lb = config?.loadBalancer ?? {
    project: id.project ?? '(project not readable)',
    urlMap: id.urlMap ?? '(URL map not readable)'
  }
  const body = renderOfflineMarkdown({
    owner,
    loadBalancer: lb,
    reason,
    diagnostics: all,
    routes: config?.routes.length ?? 0,
    testsPassed: (view?.cases.length ?? 0) - failures.length,
    ...(fork ? { fork } : {}),
    ...(deps.context.runUrl ? { runUrl: deps.context.runUrl } : {})
  })
  await deps.core.writeSummary(body)
  if (pr !== undefined && deps.inputs.comment !== 'never') {
    const comment = body + reviewTrailer(planProvenance(deps.context))
    await upsertComment(deps, pr, config ? planMarker(owner, lb) : PLAN_MARKER, comment)
  }
  return !hasErrors(all)
}
