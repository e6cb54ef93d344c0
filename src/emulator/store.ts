// The in-memory state: Compute resources per project and collection, seeded Cloud Run services, and the
// identity grants of the state file. Only state transitions live here (put/remove); validation is in
// resources/*, HTTP in server.ts. Stored resources are never mutated in place: writers put new objects.
import { COMPUTE_BASE } from '../core/compute.js'
import type {
  ProjectGrant,
  Resource,
  RunServiceState,
  ServiceAccountState,
  WorkloadIdentityProviderState
} from './types.js'

/** A parsed canonical Compute link: project, collection path (`global/urlMaps`, `regions/r/...`), name. */
export interface Link {
  project: string
  collection: string
  name: string
}

/** parseLink reads `https://www.googleapis.com/compute/v1/projects/p/<collection>/<name>`. */
export function parseLink(link: string): Link | undefined {
  if (!link.startsWith(COMPUTE_BASE)) return undefined
  const m = /^projects\/([^/]+)\/((?:global|regions\/[^/]+)\/[A-Za-z]+)\/([^/]+)$/.exec(
    link.slice(COMPUTE_BASE.length)
  )
  return m ? { project: m[1]!, collection: m[2]!, name: m[3]! } : undefined
}

/** selfLink builds the canonical link of a resource. */
export function selfLink(project: string, collection: string, name: string): string {
  return `${COMPUTE_BASE}projects/${project}/${collection}/${name}`
}

/** relative strips the API base: `projects/p/global/urlMaps/x`, the form error messages use. */
export function relative(link: string): string {
  return link.startsWith(COMPUTE_BASE) ? link.slice(COMPUTE_BASE.length) : link
}

/** Store holds every resource; `version` increases on each change (for caches). */
export class Store {
  #projects = new Map<string, Map<string, Map<string, Resource>>>()
  #run = new Map<string, Map<string, Map<string, RunServiceState>>>()
  serviceAccounts: Record<string, ServiceAccountState> = {}
  workloadIdentityProviders: Record<string, WorkloadIdentityProviderState> = {}
  tokens: Record<string, ProjectGrant> = {}
  federatedSubjects: Record<string, ProjectGrant> = {}
  version = 0

  /** get returns the stored resource or undefined. */
  get(project: string, collection: string, name: string): Resource | undefined {
    return this.#projects.get(project)?.get(collection)?.get(name)
  }

  /** getLink resolves a canonical link. */
  getLink(link: string): Resource | undefined {
    const l = parseLink(link)
    return l && this.get(l.project, l.collection, l.name)
  }

  /** list returns a collection's resources sorted by name. */
  list(project: string, collection: string): Resource[] {
    const c = this.#projects.get(project)?.get(collection)
    return c ? [...c.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)) : []
  }

  /** put stores (or replaces) a resource under its name. */
  put(project: string, collection: string, r: Resource): void {
    let p = this.#projects.get(project)
    if (!p) this.#projects.set(project, (p = new Map()))
    let c = p.get(collection)
    if (!c) p.set(collection, (c = new Map()))
    c.set(r.name as string, r)
    this.version++
  }

  /** remove deletes a resource; true if it existed. */
  remove(project: string, collection: string, name: string): boolean {
    const done = this.#projects.get(project)?.get(collection)?.delete(name) ?? false
    if (done) this.version++
    return done
  }

  /** each yields every stored resource whose collection path ends with `suffix` (e.g. `/urlMaps`). */
  *each(suffix: string): Generator<{ project: string; collection: string; resource: Resource }> {
    for (const [project, colls] of this.#projects)
      for (const [collection, items] of colls)
        if (collection.endsWith(suffix))
          for (const resource of items.values()) yield { project, collection, resource }
  }

  /** projects lists every project that holds anything. */
  projects(): string[] {
    return [...new Set([...this.#projects.keys(), ...this.#run.keys()])].sort()
  }

  /** collections lists a project's collection paths. */
  collections(project: string): string[] {
    return [...(this.#projects.get(project)?.keys() ?? [])].sort()
  }

  /** runService returns a seeded Cloud Run service. */
  runService(project: string, region: string, name: string): RunServiceState | undefined {
    return this.#run.get(project)?.get(region)?.get(name)
  }

  /** runServices lists a region's services by name; region `-` means every region. */
  runServices(project: string, region: string): { region: string; service: RunServiceState }[] {
    const regions = this.#run.get(project)
    if (!regions) return []
    const out: { region: string; service: RunServiceState }[] = []
    for (const [r, svcs] of [...regions].sort(([a], [b]) => a.localeCompare(b)))
      if (region === '-' || region === r)
        for (const s of [...svcs.values()].sort((a, b) => a.name.localeCompare(b.name)))
          out.push({ region: r, service: s })
    return out
  }

  /** putRunService seeds a Cloud Run service. */
  putRunService(project: string, region: string, s: RunServiceState): void {
    let p = this.#run.get(project)
    if (!p) this.#run.set(project, (p = new Map()))
    let r = p.get(region)
    if (!r) p.set(region, (r = new Map()))
    r.set(s.name, s)
    this.version++
  }

  /** adopt replaces this store's contents with another's (state import is all-or-nothing). */
  adopt(other: Store): void {
    this.#projects = other.#projects
    this.#run = other.#run
    this.serviceAccounts = other.serviceAccounts
    this.workloadIdentityProviders = other.workloadIdentityProviders
    this.tokens = other.tokens
    this.federatedSubjects = other.federatedSubjects
    this.version++
  }

  /** clear empties everything. */
  clear(): void {
    this.#projects.clear()
    this.#run.clear()
    this.serviceAccounts = {}
    this.workloadIdentityProviders = {}
    this.tokens = {}
    this.federatedSubjects = {}
    this.version++
  }
}
