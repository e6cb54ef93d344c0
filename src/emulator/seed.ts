// `lb-routes emulator --seed-from ROUTES`: the Cloud Run services a routes.json targets, public and serving,
// so a newcomer can plan their own file against the emulator at once (DESIGN.md §7).
import { createHash } from 'node:crypto'
import type { RoutesConfig } from '../core/routes/model.js'
import type { EmulatorState, RunServiceState } from './types.js'

/** A stand-in project number (Cloud Run's deterministic URLs carry it): 12 digits from the project id. */
function projectNumber(project: string): string {
  const n = BigInt('0x' + createHash('sha256').update(project).digest('hex').slice(0, 15))
  return (n % 900_000_000_000n) + 100_000_000_000n + ''
}

/** The services (project, region, name) a config targets by name: cloudRun by service, every serverless region. */
export function targetedRunServices(
  config: RoutesConfig
): { project: string; region: string; service: string }[] {
  const out: { project: string; region: string; service: string }[] = []
  for (const { target: t } of config.routes) {
    if (t.kind === 'cloudRun' && 'project' in t)
      out.push({ project: t.project, region: t.region, service: t.service })
    if (t.kind === 'serverless')
      for (const region of t.regions) out.push({ project: t.project, region, service: t.service })
  }
  return out
}

/** The platform's own catch-all backend that a seeded load balancer's URL map defaults to (no lb-routes marker). */
export const SEEDED_DEFAULT_BACKEND = 'platform-default'

/**
 * seedFrom adds what a newcomer's plan needs: every Cloud Run service the config targets that the state lacks
 * (ingress all, allUsers invoker), and, when the state has no such URL map, the shared load balancer as a
 * platform team would have built it (a URL map whose default is an unmanaged backend service).
 */
export function seedFrom(state: EmulatorState, config: RoutesConfig): EmulatorState {
  const projects = structuredClone(state.projects ?? {})
  const { project, urlMap } = config.loadBalancer
  const lb = (projects[project] ??= {})
  if (!(lb.urlMaps ?? []).some((m) => m.name === urlMap)) {
    const backend = `projects/${project}/global/backendServices/${SEEDED_DEFAULT_BACKEND}`
    if (!(lb.backendServices ?? []).some((b) => b.name === SEEDED_DEFAULT_BACKEND))
      (lb.backendServices ??= []).push({
        name: SEEDED_DEFAULT_BACKEND,
        description: 'the platform team catch-all (seeded by lb-routes emulator --seed-from)',
        protocol: 'HTTPS',
        loadBalancingScheme: config.loadBalancer.scheme
      })
    ;(lb.urlMaps ??= []).push({ name: urlMap, defaultService: backend })
  }
  seedRunServices(projects, config)
  return { ...state, projects }
}

function seedRunServices(projects: EmulatorState['projects'], config: RoutesConfig): void {
  for (const { project, region, service } of targetedRunServices(config)) {
    const byRegion = ((projects[project] ??= {}).runServices ??= {})
    const services = (byRegion[region] ??= [])
    if (services.some((s) => s.name === service)) continue
    const seeded: RunServiceState = {
      name: service,
      uri: `https://${service}-${projectNumber(project)}.${region}.run.app`,
      ingress: 'INGRESS_TRAFFIC_ALL',
      invokerMembers: ['allUsers']
    }
    services.push(seeded)
  }
}
