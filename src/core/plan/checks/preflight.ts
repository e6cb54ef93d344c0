// Check: Cloud Run preflight (DESIGN.md §6). A route whose Cloud Run service cannot serve through the load balancer
// is a plan error at the route's line, not a warning. What "can serve" means depends on how the load balancer
// reaches the service (research/gce-api.md §10.2; https://cloud.google.com/run/docs/securing/ingress):
//   cloudRun target (Internet NEG → the service's public run.app URL): ingress `all`, the default URL
//     enabled, and allUsers holding roles/run.invoker (or the invoker IAM check disabled) — to Cloud Run
//     the load balancer is an anonymous internet client.
//   serverless target (serverless NEG per region): the service exists in every region, ingress `all` or
//     `internal-and-cloud-load-balancing` (`internal` refuses external Application Load Balancers), and the
//     same public invoker: an external load balancer sends no identity token either.
// Facts come from one services.list per (project, region); IAM policies are read only for the routes a plan
// creates or changes (invokerReadsNeeded), so an unchanged route is not re-checked for its invoker on every plan.
import { cloudRunKey } from '../../compile/compile-desired.js'
import type { RoutesConfig } from '../../routes/model.js'
import type { RunServiceFacts } from '../live.js'
import type { PlanCheck, RouteSummary } from '../model.js'
import type { PlanProblem } from '../problems.js'
import type { PlanCheckStep } from './check.js'

/** One Cloud Run service a route needs: cloudRun targets by service have one, serverless one per region. */
export interface RunTargetRef {
  readonly route: string
  readonly via: 'cloudRun' | 'serverless'
  readonly project: string
  readonly region: string
  readonly service: string
  /** `project/region/service`, the key of LiveState.runServices. */
  readonly key: string
}

/** runTargets lists the Cloud Run services every route needs (cloudRun by service; serverless per region). */
export function runTargets(config: RoutesConfig): RunTargetRef[] {
  const out: RunTargetRef[] = []
  for (const r of config.routes) {
    const t = r.target
    const add = (via: RunTargetRef['via'], project: string, region: string, service: string) =>
      out.push({ route: r.name, via, project, region, service, key: cloudRunKey(project, region, service) })
    if (t.kind === 'cloudRun' && 'project' in t) add('cloudRun', t.project, t.region, t.service)
    if (t.kind === 'serverless')
      for (const region of t.regions) add('serverless', t.project, region, t.service)
  }
  return out
}

/** runRegions lists each (project, region) once: what the shell lists services of. */
export function runRegions(config: RoutesConfig): { project: string; region: string }[] {
  const seen = new Map<string, { project: string; region: string }>()
  for (const t of runTargets(config))
    seen.set(`${t.project}/${t.region}`, { project: t.project, region: t.region })
  return [...seen.values()]
}

/**
 * invokerReadsNeeded lists the services whose IAM policy the plan must read: those of routes it creates or
 * changes (status new / changed), found, with the invoker IAM check on and no policy read yet.
 */
export function invokerReadsNeeded(
  config: RoutesConfig,
  routes: readonly RouteSummary[],
  facts: Readonly<Record<string, RunServiceFacts>>
): RunTargetRef[] {
  const touched = new Set(
    routes.filter((r) => r.status === 'new' || r.status === 'changed').map((r) => r.name)
  )
  const out = new Map<string, RunTargetRef>()
  for (const t of runTargets(config)) {
    const f = facts[t.key]
    if (touched.has(t.route) && f?.found && !f.invokerIamDisabled && f.publicInvoker === undefined)
      out.set(t.key, t)
  }
  return [...out.values()]
}

const INGRESS_WORD: Readonly<Record<string, string>> = {
  INGRESS_TRAFFIC_ALL: 'all',
  INGRESS_TRAFFIC_INTERNAL_ONLY: 'internal',
  INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER: 'internal-and-cloud-load-balancing',
  INGRESS_TRAFFIC_NONE: 'none',
  INGRESS_TRAFFIC_UNSPECIFIED: 'unspecified (no revision serves)'
}

/** targetProblems says why one Cloud Run service cannot serve its route (empty when it can, as far as known). */
function targetProblems(t: RunTargetRef, f: RunServiceFacts | undefined): string[] {
  const where = `Cloud Run service ${t.service} (project ${t.project}, region ${t.region})`
  const gcloud = `gcloud run services update ${t.service} --project=${t.project} --region=${t.region}`
  // cloudRun targets that do not resolve are already an error of their own (compile: unresolved).
  if (!f?.found)
    return t.via === 'serverless'
      ? [
          `${where} does not exist, so its serverless NEG would point at nothing; deploy it in ${t.region} or remove the region from the route`
        ]
      : []
  const out: string[] = []
  const ingress = f.ingress ?? 'INGRESS_TRAFFIC_ALL'
  const word = INGRESS_WORD[ingress] ?? ingress
  if (t.via === 'cloudRun' && ingress !== 'INGRESS_TRAFFIC_ALL')
    out.push(
      `${where} has ingress "${word}"; an Internet NEG reaches it through its public run.app URL like any internet client, so ingress must be "all" (${gcloud} --ingress=all)`
    )
  if (
    t.via === 'serverless' &&
    ingress !== 'INGRESS_TRAFFIC_ALL' &&
    ingress !== 'INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER'
  )
    out.push(
      `${where} has ingress "${word}", which refuses requests from an external Application Load Balancer; set it to "internal-and-cloud-load-balancing" or "all" (${gcloud} --ingress=internal-and-cloud-load-balancing)`
    )
  if (t.via === 'cloudRun' && f.defaultUriDisabled)
    out.push(
      `${where} has its default run.app URL disabled, and an Internet NEG reaches the service only through that URL; re-enable it (${gcloud} --default-url), or route to it with a serverless target (serverless NEGs do not use the run.app URL)`
    )
  if (f.publicInvoker === false && !f.invokerIamDisabled)
    out.push(
      `${where} does not let allUsers invoke it, and the load balancer sends no identity token, so every request would get 403; grant it (gcloud run services add-iam-policy-binding ${t.service} --project=${t.project} --region=${t.region} --member=allUsers --role=roles/run.invoker) or turn the invoker IAM check off (${gcloud} --no-invoker-iam-check)`
    )
  return out
}

/** preflight checks every Cloud Run service the routes need against what was read; problems block apply. */
export function preflight(
  config: RoutesConfig,
  facts: Readonly<Record<string, RunServiceFacts>>
): { readonly check: PlanCheck; readonly problems: readonly PlanProblem[] } {
  const targets = runTargets(config)
  const problems = targets.flatMap((t) =>
    targetProblems(t, facts[t.key]).map((message) => ({ route: t.route, message }))
  )
  const name = 'Cloud Run preflight'
  if (targets.length === 0)
    return {
      check: { name, status: 'skip', detail: 'no Cloud Run targets by service and no serverless targets' },
      problems
    }
  const services = new Set(targets.map((t) => t.key)).size
  const invokers = new Set(targets.filter((t) => facts[t.key]?.publicInvoker !== undefined).map((t) => t.key))
  const detail =
    problems.length > 0
      ? `${problems.length} route problem(s): ${problems.map((p) => `${p.route}: ${p.message}`).join('; ')}`
      : `${services} service(s) exist with a serving ingress${targets.some((t) => t.via === 'cloudRun') ? ' and the default URL' : ''}; public invoker checked for ${invokers.size} service(s) of new or changed routes`
  return { check: { name, status: problems.length > 0 ? 'fail' : 'pass', detail }, problems }
}

/** preflightCheck is the plan check step: an error at the route's line per service that cannot serve. */
export const preflightCheck: PlanCheckStep = (ctx) => preflight(ctx.config, ctx.live.runServices)
