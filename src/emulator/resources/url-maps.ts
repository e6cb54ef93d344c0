// Global URL maps (gce-api.md §6): structural rules and tests come from the shared core
// (src/core/urlmap), reference existence and scheme agreement (§6.4 rule 13) are checked against the store.
import type { TestFailure, UrlMap, UrlMapTest } from '../../core/compute.js'
import { formatTestFailure, runUrlMapTests } from '../../core/google-semantics/tests.js'
import { collectServiceReferences, validateUrlMapStructure } from '../../core/google-semantics/validate.js'
import { ApiError, invalid, required } from '../errors.js'
import { cleanInput, clone, isObject } from '../json.js'
import { relative, type Store } from '../store.js'
import type { Resource } from '../types.js'
import { ref, softRef, type KindContext, type ResourceKind } from './common.js'

type RefFn = (value: unknown, field: string) => unknown

const SERVICE_COLLECTIONS = ['backendServices', 'backendBuckets']
const URL_MAP_SCHEMES = ['EXTERNAL', 'EXTERNAL_MANAGED', 'INTERNAL_SELF_MANAGED']

function mapAction(action: Resource | undefined, field: string, fn: RefFn): void {
  if (!isObject(action)) return
  if (Array.isArray(action.weightedBackendServices))
    action.weightedBackendServices.forEach((w: Resource, i: number) => {
      if (isObject(w) && w.backendService !== undefined)
        w.backendService = fn(w.backendService, `${field}.weightedBackendServices[${i}].backendService`)
    })
  const mirror = action.requestMirrorPolicy
  if (isObject(mirror) && mirror.backendService !== undefined)
    mirror.backendService = fn(mirror.backendService, `${field}.requestMirrorPolicy.backendService`)
}

/**
 * mapUrlMapRefs returns a copy of the map with every backend reference passed through `fn`: defaults,
 * path rules, route rules, weighted backends and mirrors at every level, and tests when `withTests`.
 */
export function mapUrlMapRefs(map: Resource, fn: RefFn, withTests: boolean, copy = true): Resource {
  const m = copy ? clone(map) : map
  const r = 'resource'
  if (m.defaultService !== undefined) m.defaultService = fn(m.defaultService, `${r}.defaultService`)
  mapAction(m.defaultRouteAction, `${r}.defaultRouteAction`, fn)
  if (Array.isArray(m.pathMatchers))
    m.pathMatchers.forEach((pm: Resource, i: number) => {
      if (!isObject(pm)) return
      const f = `${r}.pathMatchers[${i}]`
      if (pm.defaultService !== undefined) pm.defaultService = fn(pm.defaultService, `${f}.defaultService`)
      mapAction(pm.defaultRouteAction, `${f}.defaultRouteAction`, fn)
      for (const key of ['pathRules', 'routeRules'])
        if (Array.isArray(pm[key]))
          pm[key].forEach((rule: Resource, j: number) => {
            if (!isObject(rule)) return
            if (rule.service !== undefined) rule.service = fn(rule.service, `${f}.${key}[${j}].service`)
            mapAction(rule.routeAction, `${f}.${key}[${j}].routeAction`, fn)
          })
    })
  if (withTests && Array.isArray(m.tests))
    m.tests.forEach((t: Resource, i: number) => {
      if (isObject(t) && t.service !== undefined) t.service = fn(t.service, `${r}.tests[${i}].service`)
    })
  return m
}

/**
 * urlMapServiceRefs lists the distinct backend references a map uses (tests excluded). It reads the map
 * in place: it runs for every backend service a list returns (their `usedBy`), so a copy per call made
 * listing n backends of an n-rule map quadratic.
 */
export function urlMapServiceRefs(map: Resource): string[] {
  return collectServiceReferences(map)
}

// Stored resources are never mutated in place (store.ts), so a stored map's reference set can be cached
// by object: `usedBy` asks every URL map about every listed backend service.
const refSets = new WeakMap<Resource, ReadonlySet<string>>()

/** urlMapUses tells whether a stored URL map references `link` anywhere (cached per stored object). */
export function urlMapUses(map: Resource, link: string): boolean {
  let set = refSets.get(map)
  if (!set) refSets.set(map, (set = new Set(collectServiceReferences(map))))
  return set.has(link)
}

/** Outcome of loading a map: canonical map, the scheme it runs under, and load errors. */
interface Loaded {
  map: Resource
  scheme: string
  errors: ApiError[]
}

/**
 * load canonicalises a map and collects everything that would make Compute refuse it: malformed or
 * missing references (404), mixed or unsupported schemes, and the structural rules of §6.4.
 */
function load(ctx: KindContext, spec: Resource, requested?: string, fresh = false): Loaded {
  const errors: ApiError[] = []
  const map = mapUrlMapRefs(
    spec,
    (v, field) => {
      try {
        return ref(v, ctx.project, field, SERVICE_COLLECTIONS)
      } catch (e) {
        errors.push(e as ApiError)
        return v
      }
    },
    true,
    // A map parsed from this request's body is ours to canonicalise in place (no copy of a 1 MB map).
    !fresh
  )
  const schemes = new Set<string>()
  for (const link of urlMapServiceRefs(map)) {
    if (errors.length) break
    const bs = ctx.store.getLink(link)
    if (!bs) errors.push(new ApiError(404, 'notFound', `The resource '${relative(link)}' was not found`))
    else schemes.add(bs.loadBalancingScheme ?? 'EXTERNAL')
  }
  // Tests name services too; a test naming a missing one cannot load either.
  for (const t of Array.isArray(map.tests) ? map.tests : [])
    if (!errors.length && typeof t?.service === 'string' && !ctx.store.getLink(t.service))
      errors.push(new ApiError(404, 'notFound', `The resource '${relative(t.service)}' was not found`))
  const found = [...schemes].sort()
  if (found.length > 1)
    errors.push(
      invalid(
        'resource',
        '',
        `A URL map cannot reference backend services of different load balancing schemes (${found.join(', ')}).`
      )
    )
  for (const s of found)
    if (!URL_MAP_SCHEMES.includes(s))
      errors.push(
        invalid(
          'resource',
          '',
          `Backend services of load balancing scheme ${s} cannot be used by a global URL map.`
        )
      )
  if (requested && found.length === 1 && found[0] !== requested)
    errors.push(
      invalid(
        'loadBalancingSchemes',
        requested,
        `The load balancing scheme conflicts with the backend services' scheme ${found[0]}.`
      )
    )
  const scheme = requested ?? found[0] ?? 'EXTERNAL'
  const structural = validateUrlMapStructure(map as UrlMap, {
    scheme: scheme === 'EXTERNAL' ? 'EXTERNAL' : 'EXTERNAL_MANAGED'
  })
  for (const p of structural)
    errors.push(new ApiError(400, p.message.startsWith('Required field') ? 'required' : 'invalid', p.message))
  return { map, scheme, errors }
}

function runTests(ctx: KindContext, loaded: Loaded): TestFailure[] {
  const tests = (loaded.map.tests ?? []) as UrlMapTest[]
  if (!tests.length) return []
  const scheme = loaded.scheme === 'EXTERNAL' ? 'EXTERNAL' : 'EXTERNAL_MANAGED'
  return runUrlMapTests(loaded.map as UrlMap, tests, { project: ctx.project, scheme })
}

/** urlMaps: insert/update/patch validate the structure, the references and the map's own tests. */
export const urlMaps: ResourceKind = {
  api: 'urlMaps',
  collection: 'urlMaps',
  scope: 'global',
  kind: 'compute#urlMap',
  permission: 'urlMaps',
  typeLabel: 'url_map',
  fingerprinted: true,
  updatable: true,
  outputOnly: ['kind', 'id', 'creationTimestamp', 'selfLink', 'fingerprint'],
  prepare(ctx, spec) {
    const loaded = load(ctx, spec)
    if (loaded.errors.length) throw loaded.errors[0]
    // "Request to update the UrlMap succeeds only if all test cases pass" (§6.4 rule 14).
    const failure = runTests(ctx, loaded)[0]
    if (failure) throw invalid('urlMap.tests', '', formatTestFailure(failure))
    return loaded.map
  },
  canonicalise: (r, project) => mapUrlMapRefs(r, (v) => softRef(v, project), true),
  users(store: Store, link: string) {
    const out: string[] = []
    for (const suffix of ['/targetHttpProxies', '/targetHttpsProxies'])
      for (const { resource } of store.each(suffix)) if (resource.urlMap === link) out.push(resource.selfLink)
    return out
  },
  verbs: {
    // validate never persists; configuration errors come back as loadErrors with HTTP 200 (§6.5).
    validate: {
      mutating: false,
      requiresExisting: false,
      run(ctx, _existing, body) {
        if (!isObject(body.resource)) throw required('resource')
        const schemes: unknown = body.loadBalancingSchemes
        if (
          schemes !== undefined &&
          (!Array.isArray(schemes) || schemes.some((s) => s !== 'EXTERNAL' && s !== 'EXTERNAL_MANAGED'))
        )
          throw invalid(
            'loadBalancingSchemes',
            JSON.stringify(schemes),
            'Must be EXTERNAL or EXTERNAL_MANAGED.'
          )
        const loaded = load(ctx, cleanInput(body.resource), (schemes as string[] | undefined)?.[0], true)
        if (loaded.errors.length)
          return {
            body: { result: { loadSucceeded: false, loadErrors: loaded.errors.map((e) => e.message) } }
          }
        const failures = runTests(ctx, loaded)
        return {
          body: {
            result: {
              loadSucceeded: true,
              testPassed: failures.length === 0,
              ...(failures.length ? { testFailures: failures.map(withScheme) } : {})
            }
          }
        }
      }
    }
  }
}

// validate reports actualOutputUrl as a whole URL, scheme included (gce-api.md §6.5); the shared
// evaluator writes `host/path?query`, prefixed with https:// only for an httpsRedirect. A test request
// is plain HTTP, so that is the scheme of everything else.
function withScheme(f: TestFailure): TestFailure {
  const url = f.actualOutputUrl
  return url && !/^https?:\/\//i.test(url) ? { ...f, actualOutputUrl: `http://${url}` } : f
}
