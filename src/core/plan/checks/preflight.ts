// Check: Cloud Run preflight for cloudRun targets given by project/region/service — can an Internet NEG
// reach the service through its run.app URL (ingress all, public invoker, default URL enabled)?
import type { Route } from '../../routes/model.js'
import type { RunServiceFacts } from '../live.js'
import type { PlanCheckStep } from './check.js'

/** serviceWarnings lists why one Cloud Run service cannot serve through an Internet NEG. */
function serviceWarnings(route: Route, service: string, where: string, f: RunServiceFacts): string[] {
  const at = `route ${route.name}: Cloud Run service ${service} ${where}`
  const warnings: string[] = []
  if (f.ingress && f.ingress !== 'INGRESS_TRAFFIC_ALL')
    warnings.push(
      `${at} has ingress ${f.ingress}; an Internet NEG reaches it like any internet client, so set ingress to "all" (gcloud run services update ${service} --ingress=all) or use a serverless target`
    )
  if (!f.publicInvoker && !f.invokerIamDisabled)
    warnings.push(
      `${at} does not let allUsers invoke it; the load balancer sends no identity token, so requests will get 403 — grant roles/run.invoker to allUsers or disable the invoker IAM check`
    )
  if (f.defaultUriDisabled)
    warnings.push(
      `${at} has its default run.app URL disabled, so an Internet NEG cannot reach it; re-enable the default URL or use a serverless target`
    )
  return warnings
}

/** preflightCheck warns per service that cannot serve; a service not found is an unresolved-target error. */
export const preflightCheck: PlanCheckStep = (ctx) => {
  const warnings: string[] = []
  let checked = 0
  for (const r of ctx.config.routes) {
    const t = r.target
    if (t.kind !== 'cloudRun' || !('project' in t)) continue
    checked++
    const f = ctx.live.runServices[`${t.project}/${t.region}/${t.service}`]
    if (!f || !f.found) continue // reported as a plan error (unresolved)
    warnings.push(...serviceWarnings(r, t.service, `(${t.project}, ${t.region})`, f))
  }
  if (checked === 0)
    return {
      check: {
        name: 'Cloud Run preflight',
        status: 'skip',
        detail: 'no Cloud Run targets given by project/region/service'
      }
    }
  return {
    check: {
      name: 'Cloud Run preflight',
      status: warnings.length > 0 ? 'warn' : 'pass',
      detail:
        warnings.length > 0
          ? `${warnings.length} problem(s), see warnings`
          : `${checked} service(s): ingress all, public invoker, default URL enabled`
    },
    warnings
  }
}
