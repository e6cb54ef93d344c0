// The snapshot apply saves before its first mutation: the live state of everything the plan touches, so
// `lb-routes rollback --from FILE` can put it back. A plain JSON value; it holds Compute resources as the
// API returned them (descriptions, references, settings) and never a token or credential.
import { printParseErrorCode, type JSONPath } from 'jsonc-parser'
import type { NetworkEndpoint, UrlMap } from '../compute.js'
import type { Diagnostic } from '../diagnostics.js'
import type { LoadBalancerRef } from '../routes/model.js'
import { locatePaths, readJsonc } from '../routes/jsonc.js'
import { LineIndex } from '../routes/source.js'
import { snapshotProblems, type SnapshotAllowance } from './check-snapshot.js'
import {
  CHANGE_ACTIONS,
  changeKey,
  RESOURCE_KINDS,
  type ChangeAction,
  type Plan,
  type ResourceAddress
} from '../plan/model.js'

export const SNAPSHOT_KIND = 'lb-routes-snapshot'

/** One resource the apply touches, as it was before. */
export interface SnapshotResource {
  readonly key: string
  readonly address: ResourceAddress
  /** What the apply does to it (create: it did not exist, so there is no `before`). */
  readonly action: ChangeAction
  /** The full live resource before the apply (update, replace, delete). */
  readonly before?: unknown
  /** The endpoints of a global Internet NEG the apply deletes (read before deleting it). */
  readonly networkEndpoints?: readonly NetworkEndpoint[]
}

export interface Snapshot {
  readonly formatVersion: 1
  readonly kind: typeof SNAPSHOT_KIND
  readonly owner: string
  readonly loadBalancer: LoadBalancerRef
  readonly takenAt: string
  /** The planId of the apply this snapshot precedes. */
  readonly planId: string
  /** The shared URL map before the apply, or null when it did not exist. */
  readonly urlMap: UrlMap | null
  /** Every resource of plan.changes except the URL map (which is `urlMap`). */
  readonly resources: readonly SnapshotResource[]
}

export interface SnapshotInput {
  readonly plan: Plan
  /** The live URL map when the plan was made (null: none). */
  readonly urlMap: UrlMap | null
  /** Endpoints of the global NEGs the plan deletes, by change key. */
  readonly endpoints: Readonly<Record<string, readonly NetworkEndpoint[]>>
  readonly now: Date
}

/** buildSnapshot records, for every change of the plan, the resource's state before the apply. */
export function buildSnapshot(input: SnapshotInput): Snapshot {
  const { plan } = input
  const resources: SnapshotResource[] = plan.changes
    .filter((c) => c.address.kind !== 'urlMap')
    .map((c) => {
      const endpoints = input.endpoints[c.key]
      return {
        key: c.key,
        address: c.address,
        action: c.action,
        ...(c.action !== 'create' && c.before !== undefined ? { before: c.before } : {}),
        ...(endpoints ? { networkEndpoints: endpoints } : {})
      }
    })
  return {
    formatVersion: 1,
    kind: SNAPSHOT_KIND,
    owner: plan.owner,
    loadBalancer: plan.loadBalancer,
    takenAt: input.now.toISOString(),
    planId: plan.planId,
    urlMap: input.urlMap,
    resources
  }
}

/** snapshotFileName is the default file name of a snapshot (the action writes it under RUNNER_TEMP). */
export function snapshotFileName(planId: string): string {
  return `lb-routes-snapshot-${planId}.json`
}

/** renderSnapshotJson serialises a snapshot, two-space indented, with a trailing newline. */
export function renderSnapshotJson(s: Snapshot): string {
  return JSON.stringify(s, null, 2) + '\n'
}

const KINDS = new Set<string>(RESOURCE_KINDS)
// An adopted resource is put back as it was before (its own description, unmarked): released, not deleted.
const ACTIONS = new Set<string>(CHANGE_ACTIONS)
const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)
const isName = (v: unknown) => typeof v === 'string' && v.length > 0

/** The first shape problem of a parsed snapshot: where (a JSON path) and what is wrong. */
function shapeProblem(v: unknown): { path: JSONPath; message: string } | undefined {
  const fix = "pass a file written by lb-routes apply --snapshot (or the action's snapshot-file artifact)"
  if (!isObject(v)) return { path: [], message: `not an lb-routes snapshot (not a JSON object); ${fix}` }
  if (v.kind !== SNAPSHOT_KIND)
    return { path: ['kind'], message: `"kind" must be "${SNAPSHOT_KIND}": this is not a snapshot; ${fix}` }
  if (v.formatVersion !== 1)
    return {
      path: ['formatVersion'],
      message: `snapshot formatVersion ${JSON.stringify(v.formatVersion)} is not supported (this lb-routes reads 1); use the lb-routes version that wrote it`
    }
  if (typeof v.owner !== 'string' || !/^[a-z][-a-z0-9]*$/.test(v.owner))
    return { path: ['owner'], message: `"owner" must be an owner name like "team-web"; ${fix}` }
  const lb = v.loadBalancer
  if (
    !isObject(lb) ||
    !isName(lb.project) ||
    !isName(lb.urlMap) ||
    !['EXTERNAL', 'EXTERNAL_MANAGED'].includes(String(lb.scheme))
  )
    return {
      path: ['loadBalancer'],
      message: `"loadBalancer" must have "project", "urlMap" and "scheme"; ${fix}`
    }
  if (typeof v.planId !== 'string' || !/^[0-9a-f]{1,64}$/.test(v.planId))
    return { path: ['planId'], message: `"planId" must be the hex planId of the apply; ${fix}` }
  if (typeof v.takenAt !== 'string' || Number.isNaN(Date.parse(v.takenAt)))
    return { path: ['takenAt'], message: `"takenAt" must be an ISO date; ${fix}` }
  if (v.urlMap !== null && !isObject(v.urlMap))
    return { path: ['urlMap'], message: `"urlMap" must be a URL map object or null; ${fix}` }
  if (!Array.isArray(v.resources))
    return { path: ['resources'], message: `"resources" must be an array; ${fix}` }
  for (const [i, r] of v.resources.entries()) {
    const at = ['resources', i]
    if (!isObject(r) || !isObject(r.address))
      return { path: at, message: `resource ${i} must be an object with an "address"; ${fix}` }
    const a = r.address
    if (!KINDS.has(String(a.kind)) || !isName(a.project) || !isName(a.name))
      return {
        path: [...at, 'address'],
        message: `resource ${i}: "address" needs a known "kind", a "project" and a "name"; ${fix}`
      }
    if (!ACTIONS.has(String(r.action)))
      return {
        path: [...at, 'action'],
        message: `resource ${i}: "action" must be one of ${CHANGE_ACTIONS.join(', ')}; ${fix}`
      }
    if (r.key !== changeKey(a as unknown as ResourceAddress))
      return { path: [...at, 'key'], message: `resource ${i}: "key" does not match its address; ${fix}` }
    if (r.action !== 'create' && r.before !== undefined && !isObject(r.before))
      return { path: [...at, 'before'], message: `resource ${i}: "before" must be an object; ${fix}` }
  }
  return undefined
}

/**
 * parseSnapshot reads a snapshot file and checks every body a rollback would write against `allowance`
 * (check-snapshot.ts); problems come back as FILE:LINE:COL diagnostics, never thrown.
 */
export function parseSnapshot(
  text: string,
  file: string,
  allowance: SnapshotAllowance = {}
): { readonly snapshot?: Snapshot; readonly diagnostics: readonly Diagnostic[] } {
  const doc = readJsonc(text)
  const at = (offset: number, message: string): Diagnostic => ({
    severity: 'error',
    file,
    ...new LineIndex(text).at(offset),
    message
  })
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!
    return {
      diagnostics: [
        at(
          e.offset,
          `the snapshot is not valid JSON (${printParseErrorCode(e.error)}); it may be truncated — download the artifact again`
        )
      ]
    }
  }
  const problem = shapeProblem(doc.value)
  if (problem) {
    const [loc] = locatePaths(text, [problem.path])
    return { diagnostics: [at(loc?.keyOffset ?? loc?.offset ?? 0, problem.message)] }
  }
  const snapshot = doc.value as Snapshot
  const findings = snapshotProblems(snapshot, allowance)
  if (findings.length === 0) return { snapshot, diagnostics: [] }
  const where = locatePaths(
    text,
    findings.map((f) => f.path)
  )
  return {
    diagnostics: findings.map((f, i) =>
      at(where[i]?.keyOffset ?? where[i]?.offset ?? 0, `${f.message} (refused before anything is written)`)
    )
  }
}

/** snapshotMismatch says why a snapshot does not belong to a routes file's owner and load balancer. */
export function snapshotMismatch(
  snapshot: Snapshot,
  config: { owner: string; loadBalancer: { project: string; urlMap: string } }
): string | undefined {
  const a = snapshot.loadBalancer
  const b = config.loadBalancer
  if (snapshot.owner !== config.owner)
    return `this snapshot is owner ${snapshot.owner}'s, not ${config.owner}'s; roll back with the snapshot of an apply of ${config.owner}'s routes`
  if (a.project !== b.project || a.urlMap !== b.urlMap)
    return `this snapshot is of load balancer ${a.project}/${a.urlMap}, not ${b.project}/${b.urlMap}; pick the snapshot of this load balancer`
  return undefined
}
