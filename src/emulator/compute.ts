// The generic Compute methods (gce-api.md §1): list/get/insert/update/patch/delete and custom verbs for
// every kind, operations get/wait/list/delete, requestId replay, fingerprints and fail-next. Kinds
// validate (resources/*); this module decides the flow and performs the state transitions.
import { COMPUTE_BASE } from '../core/compute.js'
import {
  alreadyExists,
  conditionNotMet,
  inUse,
  invalid,
  notFound,
  OPERATION_ERRORS,
  parseError,
  required
} from './errors.js'
import { compileFilter, paginate, sortResources } from './filter.js'
import { newFingerprint, newId, rfc3339 } from './ids.js'
import { cleanInput, isObject, mergePatch, omit } from './json.js'
import type { OperationFailure, Operations } from './operations.js'
import { checkName, collectionPath, type KindContext, type ResourceKind } from './resources/common.js'
import type { ComputeRoute, OperationsRoute } from './router.js'
import { relative, selfLink, type Store } from './store.js'
import { REGIONS } from './regions.js'
import type { Entropy, Resource } from './types.js'

/** A JSON reply. */
export interface Reply {
  readonly status: number
  readonly body: unknown
}

/** FailNext queues operation failures per API method (`POST /_emulator/fail-next`). */
export class FailNext {
  #queue = new Map<string, string[]>()
  /** add makes the next operation of `method` end DONE with `code`. */
  add(method: string, code: string): void {
    this.#queue.set(method, [...(this.#queue.get(method) ?? []), code])
  }
  /** take consumes the pending failure for `method`, if any. */
  take(method: string): string | undefined {
    const q = this.#queue.get(method)
    const code = q?.shift()
    if (q && q.length === 0) this.#queue.delete(method)
    return code
  }
  clear(): void {
    this.#queue.clear()
  }
}

/** What the Compute handlers need from the server. */
export interface ComputeDeps {
  readonly store: Store
  readonly ops: Operations
  readonly entropy: Entropy
  readonly failNext: FailNext
  readonly waitCapMs: number
  /** Aborted when the server closes, so pending waits return. */
  readonly closing: AbortSignal
  /** Called synchronously right after a mutation changed the state (not for failed or replayed ones). */
  readonly onCommit?: (method: string, resource: string) => void
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** handleCompute runs one routed Compute call; `user` is the caller's email, as operations report it. */
export async function handleCompute(
  deps: ComputeDeps,
  r: ComputeRoute | OperationsRoute,
  body: unknown,
  query: URLSearchParams,
  user: string
): Promise<Reply> {
  if (r.api === 'operations') return operations(deps, r, query)
  const coll = collectionPath(r.kind, r.region)
  const view = (res: Resource): Resource => (r.kind.view ? r.kind.view(deps.store, res) : res)
  if (r.op === 'list') return list(deps, r, coll, query, view)
  if (r.op === 'aggregatedList') return aggregatedList(deps, r, query, view)
  if (r.op === 'get') return { status: 200, body: view(existing(deps.store, r, coll)) }
  const call = startMutation(deps, r, coll, body, query, user)
  if ('status' in call) return call
  switch (r.op) {
    case 'insert':
      return insert(call)
    case 'update':
    case 'patch':
      return replace(call)
    case 'delete':
      return remove(call)
    case 'verb':
      return runVerb(call)
  }
}

/** One mutating (or custom-verb) call on its way through: the route, its body and its requestId. */
interface Call {
  readonly deps: ComputeDeps
  readonly r: ComputeRoute
  readonly coll: string
  readonly ctx: KindContext
  readonly obj: Resource
  readonly query: URLSearchParams
  readonly user: string
  readonly requestId?: string
  readonly replayKey: string
}

// requestId: the same id for the same method and target returns the first operation, no second effect (§1.5).
function startMutation(
  deps: ComputeDeps,
  r: ComputeRoute,
  coll: string,
  body: unknown,
  query: URLSearchParams,
  user: string
): Call | Reply {
  const requestId = r.mutating ? (query.get('requestId') ?? undefined) : undefined
  if (requestId !== undefined && (!UUID.test(requestId) || /^[0-]+$/.test(requestId)))
    throw invalid('requestId', requestId, 'Request ID must be a valid UUID that is not the zero UUID.')
  const obj = objectBody(body, r.op === 'insert' || r.op === 'update' || r.op === 'patch')
  const replayKey = `${r.method} ${r.resource}${r.op === 'insert' ? `/${String(obj.name)}` : ''}`
  if (requestId) {
    const prior = deps.ops.byRequestId(r.project, requestId)
    if (prior && prior.replayKey === replayKey) return { status: 200, body: deps.ops.view(prior) }
  }
  const ctx: KindContext = {
    store: deps.store,
    project: r.project,
    ...(r.region ? { region: r.region } : {}),
    random: deps.entropy.random
  }
  return { deps, r, coll, ctx, obj, query, user, replayKey, ...(requestId ? { requestId } : {}) }
}

/** mutate applies `commit` (unless fail-next says the operation fails) and answers with the Operation. */
function mutate(call: Call, target: Resource, operationType: string, commit: () => void): Reply {
  const { deps, r, requestId, replayKey } = call
  const code = deps.failNext.take(r.method)
  const failure = code ? operationFailure(code, r) : undefined
  if (!failure) {
    commit()
    deps.onCommit?.(r.method, r.resource)
  }
  const rec = deps.ops.create({
    project: r.project,
    ...(r.region ? { region: r.region } : {}),
    operationType,
    targetLink: target.selfLink,
    targetId: target.id,
    user: call.user,
    ...(requestId ? { requestId, replayKey } : {}),
    ...(failure ? { failure } : {})
  })
  return { status: 200, body: deps.ops.view(rec) }
}

/** stamp adds the server-owned fields (kind, id, creationTimestamp, selfLink, a new fingerprint). */
function stamp(call: Call, prepared: Resource, name: string, prior?: Resource): Resource {
  const { deps, r } = call
  const { name: _n, ...rest } = prepared
  const out: Resource = {
    kind: r.kind.kind,
    id: prior?.id ?? newId(deps.entropy.random),
    creationTimestamp: prior?.creationTimestamp ?? rfc3339(deps.entropy.now()),
    name,
    ...rest,
    selfLink: selfLink(r.project, call.coll, name)
  }
  if (r.kind.fingerprinted) out.fingerprint = newFingerprint(deps.entropy.random)
  return out
}

function insert(call: Call): Reply {
  const { deps, r, coll } = call
  const spec = omit(cleanInput(call.obj), r.kind.outputOnly)
  if (spec.name === undefined) throw required('resource.name')
  checkName('resource.name', spec.name)
  const name = spec.name as string
  if (deps.store.get(r.project, coll, name)) throw alreadyExists(`projects/${r.project}/${coll}/${name}`)
  // Fingerprints are ignored on insert (§5.3, §6.3): outputOnly drops them.
  const created = stamp(call, r.kind.prepare(call.ctx, spec, undefined), name)
  return mutate(call, created, 'insert', () => deps.store.put(r.project, coll, created))
}

// update (PUT) replaces the resource, patch (PATCH) merges into it; both need the current fingerprint.
function replace(call: Call): Reply {
  const { deps, r, coll, obj } = call
  const prior = existing(deps.store, r, coll)
  checkFingerprint(r.kind, obj, prior)
  const input =
    r.op === 'patch' ? mergePatch(omit(prior, r.kind.outputOnly), omit(obj, r.kind.outputOnly)) : obj
  const spec = omit(cleanInput(input), r.kind.outputOnly)
  if (spec.name !== undefined && spec.name !== prior.name)
    throw invalid('resource.name', spec.name, 'The name of a resource cannot be changed.')
  const next = stamp(call, r.kind.prepare(call.ctx, { ...spec, name: prior.name }, prior), prior.name, prior)
  return mutate(call, next, r.op, () => deps.store.put(r.project, coll, next))
}

function remove(call: Call): Reply {
  const { deps, r, coll } = call
  const prior = existing(deps.store, r, coll)
  const users = r.kind.users(deps.store, prior.selfLink)
  if (users.length) throw inUse(r.kind.typeLabel, relative(prior.selfLink), relative(users[0]!))
  return mutate(call, prior, 'delete', () => deps.store.remove(r.project, coll, prior.name))
}

function runVerb(call: Call): Reply {
  const { deps, r, coll } = call
  const verb = r.kind.verbs![r.verb!]!
  const prior = verb.requiresExisting
    ? existing(deps.store, r, coll)
    : deps.store.get(r.project, coll, r.name!)
  const result = verb.run(call.ctx, prior, cleanInput(call.obj), call.query)
  if (!('resource' in result)) return { status: 200, body: result.body }
  const next: Resource = { ...result.resource }
  if (r.kind.fingerprinted) next.fingerprint = newFingerprint(deps.entropy.random)
  return mutate(call, next, r.verb!, () => deps.store.put(r.project, coll, next))
}

function existing(store: Store, r: ComputeRoute, coll: string): Resource {
  const found = store.get(r.project, coll, r.name!)
  if (!found) throw notFound(`projects/${r.project}/${coll}/${r.name}`)
  return found
}

/**
 * objectBody accepts what the official client sends: a JSON object, nothing, or the JSON string ""
 * (wait, listNetworkEndpoints; gce-api.md §9.4). Resource methods need an object.
 */
function objectBody(body: unknown, needResource: boolean): Resource {
  if (body === undefined || body === '') {
    if (needResource) throw required('resource')
    return {}
  }
  if (!isObject(body)) throw parseError('Expected a JSON object.')
  return body
}

// update/patch need the current fingerprint: missing is 400 `required`, stale is 412 (§5.3, §6.3).
function checkFingerprint(kind: ResourceKind, body: Resource, prior: Resource): void {
  if (!kind.fingerprinted) return
  const fp = body.fingerprint
  if (fp === undefined || fp === null || fp === '') throw required('resource.fingerprint')
  if (fp !== prior.fingerprint) throw conditionNotMet()
}

function operationFailure(code: string, r: ComputeRoute): OperationFailure {
  const known = OPERATION_ERRORS[code]
  const quota = r.kind.collection.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase()
  const message =
    code === 'QUOTA_EXCEEDED'
      ? `Quota '${quota}' exceeded.  Limit: 0.0 globally.`
      : `${known?.message ?? 'The operation failed'} (injected failure for ${r.method} on '${r.resource}').`
  return { code, message, httpStatus: known?.status ?? 400, httpText: known?.text ?? 'BAD REQUEST' }
}

function list(
  deps: ComputeDeps,
  r: ComputeRoute,
  coll: string,
  query: URLSearchParams,
  view: (x: Resource) => Resource
): Reply {
  const matches = compileFilter(query.get('filter'))
  const items = sortResources(
    deps.store.list(r.project, coll).map(view).filter(matches),
    query.get('orderBy')
  )
  const page = paginate(items, query.get('maxResults'), query.get('pageToken'))
  return {
    status: 200,
    body: {
      kind: `${r.kind.kind}List`,
      id: `projects/${r.project}/${coll}`,
      // `items` is absent when empty (§1.4).
      ...(page.items.length ? { items: page.items } : {}),
      ...(page.nextPageToken ? { nextPageToken: page.nextPageToken } : {}),
      selfLink: `${COMPUTE_BASE}projects/${r.project}/${coll}`
    }
  }
}

/**
 * aggregatedList lists one collection across the global scope and every region of a project. As on
 * Google, every scope appears: those without results on this page carry a NO_RESULTS_ON_PAGE warning.
 */
function aggregatedList(
  deps: ComputeDeps,
  r: ComputeRoute,
  query: URLSearchParams,
  view: (x: Resource) => Resource
): Reply {
  const matches = compileFilter(query.get('filter'))
  const key = r.kind.collection
  const stored = deps.store
    .collections(r.project)
    .filter((c) => c === `global/${key}` || new RegExp(`^regions/[^/]+/${key}$`).test(c))
    .map((c) => c.slice(0, -key.length - 1))
  const scopes = [...new Set(['global', ...REGIONS.map((x) => `regions/${x}`), ...stored])]
  const all: { scope: string; item: Resource }[] = []
  for (const scope of stored.sort())
    for (const item of deps.store.list(r.project, `${scope}/${key}`).map(view).filter(matches))
      all.push({ scope, item })
  const page = paginate(all, query.get('maxResults'), query.get('pageToken'))
  const onPage = new Map<string, Resource[]>()
  for (const { scope, item } of page.items) {
    const list = onPage.get(scope) ?? []
    list.push(item)
    onPage.set(scope, list)
  }
  const items: Record<string, unknown> = {}
  for (const scope of ['global', ...scopes.filter((s) => s !== 'global').sort()])
    items[scope] = onPage.has(scope) ? { [key]: onPage.get(scope) } : noResults(scope)
  return {
    status: 200,
    body: {
      kind: `${r.kind.kind}AggregatedList`,
      id: `projects/${r.project}/aggregated/${key}`,
      items,
      ...(page.nextPageToken ? { nextPageToken: page.nextPageToken } : {}),
      selfLink: `${COMPUTE_BASE}projects/${r.project}/aggregated/${key}`
    }
  }
}

function noResults(scope: string): Resource {
  return {
    warning: {
      code: 'NO_RESULTS_ON_PAGE',
      message: `There are no results for scope '${scope}' on this page.`,
      data: [{ key: 'scope', value: scope }]
    }
  }
}

async function operations(deps: ComputeDeps, r: OperationsRoute, query: URLSearchParams): Promise<Reply> {
  const scope = r.region ? `regions/${r.region}` : 'global'
  if (r.op === 'list') {
    const matches = compileFilter(query.get('filter'))
    const items = deps.ops
      .list(r.project, r.region)
      .map((o) => deps.ops.view(o))
      .filter(matches)
    const page = paginate(items, query.get('maxResults'), query.get('pageToken'))
    return {
      status: 200,
      body: {
        kind: 'compute#operationList',
        id: `projects/${r.project}/${scope}/operations`,
        ...(page.items.length ? { items: page.items } : {}),
        ...(page.nextPageToken ? { nextPageToken: page.nextPageToken } : {}),
        selfLink: `${COMPUTE_BASE}projects/${r.project}/${scope}/operations`
      }
    }
  }
  // `{operation}` is the name or the numeric id (gce-api.md §2.2; the Node client's `op.name` is the id).
  const rec = deps.ops.find(r.project, r.region, r.name!)
  if (!rec) throw notFound(`projects/${r.project}/${scope}/operations/${r.name}`)
  if (r.op === 'delete') {
    deps.ops.remove(rec)
    return { status: 200, body: {} }
  }
  if (r.op === 'wait') await deps.ops.wait(rec, deps.waitCapMs, deps.closing)
  return { status: 200, body: deps.ops.view(rec) }
}
