// The apply pipeline: re-plan against live state, refuse when the plan differs from the reviewed one,
// then apply in waves with a server-side validation of the merged map right before it is written.
import { hasErrors } from '../../core/diagnostics.js'
import { hasChanges, type ApplyResult, type ApplyStep, type FrontendSummary } from '../../core/plan/model.js'
import { reviewRefusal, type ReviewedPlan } from '../../core/review/reviewed.js'
import type { Snapshot } from '../../core/rollback/snapshot.js'
import type { ComputeClient } from '../google/compute-client.js'
import type { Logger } from '../logger.js'
import { applyPlan } from './apply-plan.js'
import { takeSnapshot } from './rollback-routes.js'
import { planRoutes, validateServerSide, type PlanRoutesInput, type PlanRoutesResult } from './plan-routes.js'

export interface ApplyRoutesInput extends PlanRoutesInput {
  /** Refuse unless the fresh plan has this planId (PR comment on merge, or a saved plan file). */
  readonly reviewed?: ReviewedPlan
  readonly logger?: Logger
  /** Operations in flight per project (schedule.ts DEFAULT_CONCURRENCY when absent). */
  readonly concurrency?: number
  /** Per-project mutation rate, for a project whose Compute quota was raised (schedule.ts default otherwise). */
  readonly mutationsPerMinute?: number
  readonly onStep?: (step: ApplyStep) => void
  /** Receives the before-state of everything the apply touches, before its first mutation (rollback). */
  readonly onSnapshot?: (snapshot: Snapshot) => Promise<void>
}

export interface ApplyRoutesResult extends PlanRoutesResult {
  readonly result?: ApplyResult
}

/** applyRoutes re-plans and applies; never writes anything when the plan has errors or drifted from review. */
export async function applyRoutes(input: ApplyRoutesInput): Promise<ApplyRoutesResult> {
  const planned = await planRoutes(input)
  const { plan, config } = planned
  if (!plan || !config || hasErrors(planned.diagnostics)) return planned
  const refused = input.reviewed && reviewRefusal(input.reviewed, plan)
  if (refused) return { ...planned, result: refused }
  const compute = input.clients.compute
  if (input.onSnapshot && hasChanges(plan))
    await input.onSnapshot(await takeSnapshot(compute, plan, input.now))
  const result = await applyPlan(plan, {
    compute,
    ...(input.logger ? { logger: input.logger } : {}),
    ...(input.concurrency ? { concurrency: input.concurrency } : {}),
    ...(input.mutationsPerMinute ? { mutationsPerMinute: input.mutationsPerMinute } : {}),
    ...(input.onStep ? { onStep: input.onStep } : {}),
    beforeUrlMapWrite: async (map) => {
      const failures = await validateServerSide(
        compute,
        config.loadBalancer,
        map,
        planned.validateCases ?? planned.testCases ?? []
      )
      if (failures.length > 0)
        throw new Error(
          `urlMaps.validate rejected the merged URL map; not writing it: ${failures.map((f) => f.message).join('; ')}`
        )
    }
  })
  const frontend =
    plan.frontend && (await frontendAfterApply(compute, plan.loadBalancer.project, plan.frontend))
  return { ...planned, result: frontend ? { ...result, frontend } : result }
}

/** frontendAfterApply reads the address's IP and the certificate's status once they exist (two GETs). */
async function frontendAfterApply(
  compute: ComputeClient,
  project: string,
  f: FrontendSummary
): Promise<FrontendSummary> {
  const [address, cert] = await Promise.all([
    compute.getGlobalAddress(project, f.address).catch(() => undefined),
    compute.getSslCertificate(project, f.certificate).catch(() => undefined)
  ])
  return {
    ...f,
    ...(address?.address ? { ip: address.address } : {}),
    ...(cert?.managed?.status ? { certificateStatus: cert.managed.status } : {}),
    ...(cert?.managed?.domainStatus ? { domainStatus: cert.managed.domainStatus } : {})
  }
}
