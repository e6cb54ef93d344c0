// The plan's identity and apply order: planId hashes the owner's intent (DESIGN.md §5); waves order the
// changes so nothing is created before what it uses or deleted while something still uses it (§6).
import { createHash } from 'node:crypto'
import type { ResourceChange, TrafficMove } from './model.js'

/**
 * computePlanId hashes the owner's intended changes only (no fingerprints, no other owners' rules): the
 * resource bodies it writes, its rule changes in full (backend and whole routeAction: `ruleIntent`) and
 * the traffic moves the plan causes (DESIGN.md §4.1), so what is applied is what was reviewed.
 */
export function computePlanId(
  owner: string,
  changes: readonly ResourceChange[],
  rules: readonly unknown[],
  trafficMoves: readonly TrafficMove[] = []
): string {
  const intent = {
    owner,
    changes: changes
      .filter((c) => c.address.kind !== 'urlMap')
      .map((c) => ({ key: c.key, action: c.action, after: c.after ?? null }))
      .sort((a, b) => (a.key < b.key ? -1 : 1)),
    rules,
    ...(trafficMoves.length > 0 ? { moves: trafficMoves } : {})
  }
  return createHash('sha256').update(JSON.stringify(intent)).digest('hex').slice(0, 16)
}

const is =
  (kinds: readonly string[], deleting: boolean) =>
  (c: ResourceChange): boolean =>
    (c.action === 'delete') === deleting && kinds.some((k) => c.address.kind.endsWith(k))
const NEG = 'NetworkEndpointGroup'
const WAVE_ORDER: ((c: ResourceChange) => boolean)[] = [
  is([NEG, 'globalAddress', 'sslCertificate', 'redirectUrlMap'], false),
  is(['backendService', 'targetHttpProxy'], false),
  (c) => c.address.kind === 'urlMap',
  // The HTTPS proxy needs the shared URL map; forwarding rules need their proxies and the address.
  is(['targetHttpsProxy'], false),
  is(['globalForwardingRule'], false),
  // Deletions in reverse: nothing is deleted while something still uses it.
  is(['backendService', 'globalForwardingRule'], true),
  is([NEG, 'targetHttpsProxy', 'targetHttpProxy'], true),
  is(['sslCertificate', 'redirectUrlMap'], true),
  is(['globalAddress'], true)
]

/**
 * applyWaves orders changes (DESIGN.md §6): NEGs, address, certificate, redirect map → backend services,
 * HTTP proxy → URL map → HTTPS proxy → forwarding rules → deletions in reverse (forwarding rules and
 * orphaned backends → proxies and NEGs → certificates and redirect map → address).
 */
export function applyWaves(changes: readonly ResourceChange[]): string[][] {
  return WAVE_ORDER.map((inWave) => changes.filter(inWave).map((c) => c.key)).filter((w) => w.length > 0)
}
