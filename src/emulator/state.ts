// The state file (DESIGN.md §8): import fills in what seeded resources lack (id, selfLink, fingerprint,
// creationTimestamp, kind, canonical references); export writes resources as GET returns them, plus a
// global NEG's `networkEndpoints`. Import is all-or-nothing: a bad file leaves the current state alone.
import { newFingerprint, newId, rfc3339 } from './ids.js'
import { cleanInput, clone, isObject, omit } from './json.js'
import { COMPUTE } from './field-table.js'
import { checkName, type ResourceKind } from './resources/common.js'
import { STATE_KEYS } from './resources/index.js'
import { normaliseIngress } from './run.js'
import { selfLink, Store } from './store.js'
import { int64AsStrings } from './wire-check.js'
import type {
  EmulatorState,
  Entropy,
  ProjectGrant,
  ProjectState,
  Resource,
  RunServiceState
} from './types.js'
import { errorMessage } from '../core/error-message.js'

/** StateError explains why a state document was refused. */
export class StateError extends Error {
  override name = 'StateError'
}

// Fields computed on output; a seeded copy of them is dropped so they stay consistent.
const COMPUTED = ['usedBy', 'size', 'users']

/** exportState returns the whole state in state-file form. */
export function exportState(store: Store): EmulatorState {
  const projects: Record<string, ProjectState> = {}
  for (const project of store.projects()) {
    const p: Record<string, unknown> = {}
    for (const { key, kind } of STATE_KEYS) {
      const view = (r: Resource): Resource => {
        const v = kind.view ? kind.view(store, r) : r
        return r.networkEndpoints ? { ...v, networkEndpoints: r.networkEndpoints } : v
      }
      if (kind.scope === 'global') {
        const items = store.list(project, `global/${kind.collection}`).map(view)
        if (items.length) p[key] = items
      } else {
        const byRegion: Record<string, Resource[]> = {}
        for (const coll of store.collections(project)) {
          const m = /^regions\/([^/]+)\/(.+)$/.exec(coll)
          if (m && m[2] === kind.collection) {
            const items = store.list(project, coll).map(view)
            if (items.length) byRegion[m[1]!] = items
          }
        }
        if (Object.keys(byRegion).length) p[key] = byRegion
      }
    }
    const run: Record<string, RunServiceState[]> = {}
    for (const { region, service } of store.runServices(project, '-')) (run[region] ??= []).push(service)
    if (Object.keys(run).length) p.runServices = run
    if (Object.keys(p).length) projects[project] = p as ProjectState
  }
  const out: EmulatorState = { projects }
  if (Object.keys(store.serviceAccounts).length) out.serviceAccounts = store.serviceAccounts
  if (Object.keys(store.tokens).length) out.tokens = store.tokens
  if (Object.keys(store.federatedSubjects).length) out.federatedSubjects = store.federatedSubjects
  return clone(out)
}

/** loadState builds a Store from a state document, or throws StateError naming the bad part. */
export function loadState(doc: unknown, entropy: Entropy): Store {
  const store = new Store()
  if (!isObject(doc)) throw new StateError('state: must be a JSON object')
  const projects = doc.projects ?? {}
  if (!isObject(projects)) throw new StateError('state.projects: must be an object keyed by project id')
  for (const [project, p] of Object.entries(projects)) {
    const where = `state.projects.${project}`
    if (!/^[a-z][-a-z0-9.:]*$/i.test(project)) throw new StateError(`${where}: invalid project id`)
    if (!isObject(p)) throw new StateError(`${where}: must be an object`)
    for (const { key, kind } of STATE_KEYS) {
      const v = p[key]
      if (v === undefined) continue
      if (kind.scope === 'global') seedAll(store, entropy, kind, project, undefined, v, `${where}.${key}`)
      else {
        if (!isObject(v)) throw new StateError(`${where}.${key}: must be an object keyed by region`)
        for (const [region, items] of Object.entries(v))
          seedAll(store, entropy, kind, project, region, items, `${where}.${key}.${region}`)
      }
    }
    if (p.runServices !== undefined) {
      if (!isObject(p.runServices))
        throw new StateError(`${where}.runServices: must be an object keyed by region`)
      for (const [region, items] of Object.entries(p.runServices)) {
        if (!Array.isArray(items)) throw new StateError(`${where}.runServices.${region}: must be an array`)
        items.forEach((s: unknown, i: number) => {
          const at = `${where}.runServices.${region}[${i}]`
          if (!isObject(s) || typeof s.name !== 'string' || !s.name)
            throw new StateError(`${at}: needs a name`)
          const svc: RunServiceState = { ...(cleanInput(s) as RunServiceState) }
          try {
            if (svc.ingress !== undefined) svc.ingress = normaliseIngress(svc.ingress)
          } catch {
            throw new StateError(`${at}.ingress: unknown ingress '${String(s.ingress)}'`)
          }
          store.putRunService(project, region, svc)
        })
      }
    }
  }
  store.serviceAccounts = grants(doc.serviceAccounts, 'state.serviceAccounts')
  store.tokens = grants(doc.tokens, 'state.tokens')
  store.federatedSubjects = grants(doc.federatedSubjects, 'state.federatedSubjects')
  return store
}

function grants(v: unknown, where: string): Record<string, ProjectGrant> {
  if (v === undefined) return {}
  if (!isObject(v)) throw new StateError(`${where}: must be an object`)
  const out: Record<string, ProjectGrant> = {}
  for (const [k, g] of Object.entries(v)) {
    const projects: unknown = isObject(g) ? g.projects : undefined
    if (!Array.isArray(projects) || projects.some((p) => typeof p !== 'string'))
      throw new StateError(`${where}.${k}.projects: must be a list of project ids`)
    out[k] = { projects: [...(projects as string[])] }
  }
  return out
}

function seedAll(
  store: Store,
  entropy: Entropy,
  kind: ResourceKind,
  project: string,
  region: string | undefined,
  items: unknown,
  where: string
): void {
  if (!Array.isArray(items)) throw new StateError(`${where}: must be an array`)
  const coll = region ? `regions/${region}/${kind.collection}` : `global/${kind.collection}`
  items.forEach((raw: unknown, i: number) => {
    const at = `${where}[${i}]`
    if (!isObject(raw)) throw new StateError(`${at}: must be an object`)
    try {
      checkName(`${at}.name`, raw.name)
    } catch (e) {
      throw new StateError(errorMessage(e))
    }
    if (store.get(project, coll, raw.name)) throw new StateError(`${at}: duplicate name '${raw.name}'`)
    const r: Resource = omit(kind.canonicalise(storedForm(kind, cleanInput(raw)), project), COMPUTED)
    if (kind.api === 'globalAddresses') delete r.status
    const seeded: Resource = {
      kind: kind.kind,
      id: r.id ?? newId(entropy.random),
      creationTimestamp: r.creationTimestamp ?? rfc3339(entropy.now()),
      ...r,
      selfLink: selfLink(project, coll, r.name),
      ...(region
        ? { region: `https://www.googleapis.com/compute/v1/projects/${project}/regions/${region}` }
        : {})
    }
    if (kind.fingerprinted && !seeded.fingerprint) seeded.fingerprint = newFingerprint(entropy.random)
    if (kind.api === 'globalAddresses' && !seeded.address)
      throw new StateError(`${at}.address: a seeded address needs its IP address`)
    store.put(project, coll, seeded)
  })
}

// State files are written by hand: 64-bit integers (ids, `routeAction.timeout.seconds`) become the
// strings Google returns, using the message the kind's `get` returns.
function storedForm(kind: ResourceKind, r: Resource): Resource {
  const message = COMPUTE.method(`compute.${kind.api}.get`)?.response
  return message ? (int64AsStrings(COMPUTE, message, r) as Resource) : r
}
