// The apply as a dependency graph (DESIGN.md §6), derived from a plan's changes. Per route: NEG insert →
// (endpoint attach ∥ backend service insert → setSecurityPolicy) → the one URL map write, which waits for all
// of them; deletions come after and run in reverse (backend services before the NEGs they used). Frontend
// resources keep their order as nodes of the same graph: address, certificate, redirect map → HTTP proxy →
// URL map → HTTPS proxy → forwarding rules, and the reverse for their deletion. The plan's `waves` are for
// display only; apply runs this graph.
import type { BackendService } from '../compute.js'
import { changeKey, type ResourceAddress, type ResourceChange, type ResourceKind } from './model.js'

/** What a node does with its change: the change itself, or the second call of a create. */
export type ApplyStepKind = 'change' | 'attach' | 'setSecurityPolicy'

/** One operation of the apply (one mutation and its wait). */
export interface ApplyNode {
  /** The change key, with `#attach` / `#setSecurityPolicy` for the second call of a create. */
  readonly id: string
  readonly key: string
  readonly step: ApplyStepKind
  /** Project whose quota the call spends (concurrency and rate are per project). */
  readonly project: string
  /** Ids of the nodes that must finish first. */
  readonly needs: readonly string[]
}

const NEG_KINDS = new Set<ResourceKind>(['globalNetworkEndpointGroup', 'regionNetworkEndpointGroup'])
// Frontend tiers of creation (updates and replaces included); the URL map sits between the proxies.
const CREATE_TIERS: readonly (readonly ResourceKind[])[] = [
  ['globalAddress', 'sslCertificate', 'redirectUrlMap'],
  ['targetHttpProxy'],
  ['urlMap'],
  ['targetHttpsProxy'],
  ['globalForwardingRule']
]
// Frontend tiers of deletion: what uses something goes before it.
const DELETE_TIERS: readonly (readonly ResourceKind[])[] = [
  ['globalForwardingRule'],
  ['targetHttpsProxy', 'targetHttpProxy'],
  ['sslCertificate', 'redirectUrlMap'],
  ['globalAddress']
]

/** negKeyOf reads the change key of the NEG a backend's `group` reference names (undefined if not a NEG). */
export function negKeyOf(group: string): string | undefined {
  const m = /projects\/([^/]+)\/(?:global|regions\/([^/]+))\/networkEndpointGroups\/([^/?#]+)/.exec(group)
  if (!m) return undefined
  const address: ResourceAddress = m[2]
    ? { kind: 'regionNetworkEndpointGroup', project: m[1]!, region: m[2], name: m[3]! }
    : { kind: 'globalNetworkEndpointGroup', project: m[1]!, name: m[3]! }
  return changeKey(address)
}

const groupsOf = (bs: unknown): string[] =>
  ((bs as BackendService | undefined)?.backends ?? []).flatMap((b) => (b.group ? [b.group] : []))

const hasEndpoints = (c: ResourceChange) =>
  ((c.after as { networkEndpoints?: unknown[] } | undefined)?.networkEndpoints?.length ?? 0) > 0

/** The nodes one change becomes: a create of a global NEG with an endpoint or of a secured backend is two calls. */
function nodesOf(c: ResourceChange): ApplyNode[] {
  const base = { key: c.key, project: c.address.project }
  const first: ApplyNode = { ...base, id: c.key, step: 'change', needs: [] }
  if (c.action !== 'create') return [first]
  if (c.address.kind === 'globalNetworkEndpointGroup' && hasEndpoints(c))
    return [first, { ...base, id: `${c.key}#attach`, step: 'attach', needs: [c.key] }]
  if (c.address.kind === 'backendService' && (c.after as { securityPolicy?: string }).securityPolicy)
    return [first, { ...base, id: `${c.key}#setSecurityPolicy`, step: 'setSecurityPolicy', needs: [c.key] }]
  return [first]
}

const tierOf = (tiers: readonly (readonly ResourceKind[])[], kind: ResourceKind) =>
  tiers.findIndex((t) => t.includes(kind))

/**
 * applyGraph turns a plan's changes into the operations of its apply and what each waits for, in an order
 * where every node comes after the nodes it needs. Edges are per resource where the plan says which resource
 * uses which (a backend service's NEGs), per tier for the frontend; the count stays linear in the changes.
 */
export function applyGraph(changes: readonly ResourceChange[]): ApplyNode[] {
  const creating = changes.filter((c) => c.action !== 'delete')
  const created = new Set(creating.map((c) => c.key))
  // Buckets in dependency order: NEG inserts, attaches, backend inserts, security policies, frontend tiers.
  const negs: ApplyNode[] = []
  const backends: ApplyNode[] = []
  const seconds: ApplyNode[] = []
  const tiers: ApplyNode[][] = CREATE_TIERS.map(() => [])
  for (const c of creating) {
    const [first, second] = nodesOf(c)
    if (second) seconds.push(second)
    if (NEG_KINDS.has(c.address.kind)) negs.push(first!)
    else if (c.address.kind === 'backendService') {
      // A backend service needs its new NEGs to exist, not their endpoints.
      const needs = new Set<string>()
      for (const g of groupsOf(c.after)) {
        const k = negKeyOf(g)
        if (k && created.has(k)) needs.add(k)
      }
      backends.push({ ...first!, needs: [...needs] })
    } else tiers[tierOf(CREATE_TIERS, c.address.kind)]!.push(first!)
  }
  const routeIds = [...negs, ...backends, ...seconds].map((n) => n.id)
  let below: string[] = []
  const frontend: ApplyNode[] = []
  for (const [i, tier] of tiers.entries()) {
    const isMap = CREATE_TIERS[i]!.includes('urlMap')
    for (const n of tier) frontend.push({ ...n, needs: isMap ? [...below, ...routeIds] : below })
    if (tier.length > 0) below = tier.map((n) => n.id)
  }
  const creation = [...negs, ...backends, ...seconds, ...frontend]
  return [
    ...creation,
    ...deleteNodes(
      changes.filter((c) => c.action === 'delete'),
      creation
    )
  ]
}

/**
 * deleteNodes orders deletions after everything else is in place (they wait for the last creation nodes, the
 * URL map among them), a NEG after the backend services deleted with it that used it, and the frontend in
 * reverse tiers (forwarding rules → proxies → certificate and redirect map → address).
 */
function deleteNodes(deleting: readonly ResourceChange[], creation: readonly ApplyNode[]): ApplyNode[] {
  const needed = new Set(creation.flatMap((n) => n.needs))
  const sinks = creation.filter((n) => !needed.has(n.id)).map((n) => n.id)
  const usedBy = new Map<string, string[]>()
  for (const c of deleting) {
    if (c.address.kind !== 'backendService') continue
    for (const g of groupsOf(c.before)) {
      const k = negKeyOf(g)
      if (k) usedBy.set(k, [...(usedBy.get(k) ?? []), c.key])
    }
  }
  const deleted = new Set(deleting.map((c) => c.key))
  const frontTier = (c: ResourceChange) => tierOf(DELETE_TIERS, c.address.kind)
  const out: ApplyNode[] = []
  for (const c of deleting) {
    const t = frontTier(c)
    let needs: string[] = []
    if (NEG_KINDS.has(c.address.kind)) needs = (usedBy.get(c.key) ?? []).filter((k) => deleted.has(k))
    else if (t > 0) {
      for (let i = t - 1; i >= 0 && needs.length === 0; i--)
        needs = deleting.filter((x) => frontTier(x) === i).map((x) => x.key)
    }
    out.push({
      id: c.key,
      key: c.key,
      step: 'change',
      project: c.address.project,
      needs: [...sinks, ...needs]
    })
  }
  const order = (c: ApplyNode) => {
    const kind = c.key.split('/')[0] as ResourceKind
    return kind === 'backendService' ? 0 : NEG_KINDS.has(kind) ? 1 : tierOf(DELETE_TIERS, kind)
  }
  return out.sort((a, b) => order(a) - order(b))
}

/** heights gives each node the number of nodes on the longest chain from it to the end (itself included). */
export function heights(nodes: readonly ApplyNode[]): Map<string, number> {
  const h = new Map<string, number>()
  for (const n of nodes) h.set(n.id, 1)
  for (let i = nodes.length - 1; i >= 0; i--) {
    const n = nodes[i]!
    for (const d of n.needs) h.set(d, Math.max(h.get(d) ?? 1, h.get(n.id)! + 1))
  }
  return h
}

/** graphDepth is the number of operations on the longest dependency chain: the apply's critical path. */
export function graphDepth(nodes: readonly ApplyNode[]): number {
  return Math.max(0, ...heights(nodes).values())
}
