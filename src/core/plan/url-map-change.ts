// The shared URL map as a plan step: merge this owner's rules into the live map (merge-url-map.ts), then
// the one URL-map change that writes it — create when the map does not exist, update when it differs.
import type { UrlMap } from '../compute.js'
import type { DesiredState } from '../compile/model.js'
import type { RoutesConfig } from '../routes/model.js'
import { mergeUrlMap, urlMapsEquivalent, type MergeResult } from './merge-url-map.js'
import { changeKey, type ResourceChange } from './model.js'
import type { Ownership } from './ownership.js'

/** mergeOwnerRules merges the owner's (bound) desired rules into the live map. */
export function mergeOwnerRules(
  config: RoutesConfig,
  liveMap: UrlMap | undefined,
  desired: DesiredState,
  ownership: Ownership
): MergeResult {
  const lb = config.loadBalancer
  return mergeUrlMap({
    owner: config.owner,
    project: lb.project,
    urlMapName: lb.urlMap,
    live: liveMap,
    rules: desired.rules,
    ownedServices: ownership.ownedServices,
    serviceOwners: ownership.serviceOwners
  })
}

/** urlMapChange is the write of the merged map, or undefined when there is no map or nothing to change. */
export function urlMapChange(
  config: RoutesConfig,
  liveMap: UrlMap | undefined,
  merged: MergeResult
): ResourceChange | undefined {
  const lb = config.loadBalancer
  if (!merged.map) return undefined
  const address = { kind: 'urlMap' as const, project: lb.project, name: lb.urlMap }
  const key = changeKey(address)
  if (!liveMap)
    return {
      key,
      address,
      action: 'create',
      reason: 'the shared URL map does not exist yet; this owner declares its default',
      after: merged.map,
      rules: merged.ruleChanges
    }
  if (urlMapsEquivalent(liveMap, merged.map, lb.project)) return undefined
  const n = merged.ruleChanges.length
  return {
    key,
    address,
    action: 'update',
    reason:
      n > 0
        ? `${n} rule change(s) for owner ${config.owner}`
        : 'tidy: re-point defaults / drop empty lb-routes path matchers',
    before: liveMap,
    after: merged.map,
    rules: merged.ruleChanges
  }
}
