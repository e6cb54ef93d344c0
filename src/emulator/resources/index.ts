// The Compute collections the emulator serves, by discovery name.
import { backendServices } from './backend-services.js'
import type { ResourceKind } from './common.js'
import {
  globalAddresses,
  globalForwardingRules,
  sslCertificates,
  sslPolicies,
  targetHttpProxies,
  targetHttpsProxies
} from './frontend.js'
import { globalNegs, regionNegs } from './negs.js'
import { urlMaps } from './url-maps.js'

/** KINDS lists every served collection; state-file keys are the `STATE_KEYS` below. */
export const KINDS: readonly ResourceKind[] = [
  globalNegs,
  regionNegs,
  backendServices,
  urlMaps,
  targetHttpProxies,
  targetHttpsProxies,
  sslCertificates,
  sslPolicies,
  globalAddresses,
  globalForwardingRules
]

/** globalKind finds a global kind by URL collection segment (`urlMaps`, `forwardingRules`, ...). */
export function globalKind(collection: string): ResourceKind | undefined {
  return KINDS.find((k) => k.scope === 'global' && k.collection === collection)
}

/** regionKind finds a regional kind by URL collection segment. */
export function regionKind(collection: string): ResourceKind | undefined {
  return KINDS.find((k) => k.scope === 'region' && k.collection === collection)
}

/**
 * State-file keys (DESIGN.md §8) in dependency order: importing in this order, then exporting, keeps
 * references resolvable. `regionNetworkEndpointGroups` is keyed by region.
 */
export const STATE_KEYS: readonly { key: string; kind: ResourceKind }[] = [
  { key: 'globalNetworkEndpointGroups', kind: globalNegs },
  { key: 'regionNetworkEndpointGroups', kind: regionNegs },
  { key: 'backendServices', kind: backendServices },
  { key: 'urlMaps', kind: urlMaps },
  { key: 'sslCertificates', kind: sslCertificates },
  { key: 'sslPolicies', kind: sslPolicies },
  { key: 'targetHttpProxies', kind: targetHttpProxies },
  { key: 'targetHttpsProxies', kind: targetHttpsProxies },
  { key: 'globalAddresses', kind: globalAddresses },
  { key: 'globalForwardingRules', kind: globalForwardingRules }
]
