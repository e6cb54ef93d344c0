// Reading back plan.json (written by src/core/render/json.ts): the reviewed plan `lb-routes apply --plan`
// runs from. Checks formatVersion 1 and the shape apply relies on, and says exactly what is wrong.
import { CHANGE_ACTIONS, RESOURCE_KINDS, type Plan } from '../plan/model.js'

type Fields = Record<string, unknown>

/** Shape collects every mismatch between a value and the shape expected, as `path: expected X, got Y`. */
class Shape {
  readonly #errors: string[] = []
  get errors(): readonly string[] {
    return this.#errors
  }
  fail(path: string, expected: string, got: unknown): void {
    const shown = got === undefined ? 'nothing' : JSON.stringify(got)?.slice(0, 60)
    this.#errors.push(`${path}: expected ${expected}, got ${shown}`)
  }
  object(v: unknown, path: string): Fields | undefined {
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) return v as Fields
    this.fail(path, 'an object', v)
    return undefined
  }
  array(v: unknown, path: string): readonly unknown[] {
    if (Array.isArray(v)) return v
    this.fail(path, 'an array', v)
    return []
  }
  string(v: unknown, path: string): void {
    if (typeof v !== 'string') this.fail(path, 'a string', v)
  }
  oneOf(v: unknown, path: string, values: readonly string[]): void {
    if (typeof v !== 'string' || !values.includes(v)) this.fail(path, `one of ${values.join(', ')}`, v)
  }
}

/** parsePlanJson reads plan.json, checking formatVersion 1 and the fields apply needs; throws a clear Error. */
export function parsePlanJson(text: string): Plan {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (err) {
    throw new Error(`plan.json is not valid JSON: ${err instanceof Error ? err.message : String(err)}`)
  }
  const shape = new Shape()
  const plan = shape.object(value, 'plan')
  if (plan === undefined) throw new Error('plan.json must hold a JSON object (an lb-routes plan).')
  if (plan.formatVersion !== 1) {
    throw new Error(
      `plan.json has formatVersion ${JSON.stringify(plan.formatVersion) ?? 'missing'}; this lb-routes reads ` +
        'formatVersion 1. Re-run `lb-routes plan` with the same version that applies it.'
    )
  }
  checkHeader(shape, plan)
  const keys = checkChanges(shape, plan)
  checkLists(shape, plan, keys)
  checkDesired(shape, plan)
  const errors = shape.errors
  if (errors.length > 0) {
    const shown = errors.slice(0, 10).join('\n  ')
    const more = errors.length > 10 ? `\n  … and ${errors.length - 10} more` : ''
    throw new Error(`plan.json is not a valid lb-routes plan:\n  ${shown}${more}`)
  }
  return value as Plan
}

function checkHeader(shape: Shape, plan: Fields): void {
  for (const k of ['planId', 'createdAt', 'owner'] as const) shape.string(plan[k], `plan.${k}`)
  const lb = shape.object(plan.loadBalancer, 'plan.loadBalancer')
  if (lb) {
    shape.string(lb.project, 'plan.loadBalancer.project')
    shape.string(lb.urlMap, 'plan.loadBalancer.urlMap')
    shape.oneOf(lb.scheme, 'plan.loadBalancer.scheme', ['EXTERNAL', 'EXTERNAL_MANAGED'])
  }
  if (plan.urlMapFingerprint !== null && typeof plan.urlMapFingerprint !== 'string') {
    shape.fail('plan.urlMapFingerprint', 'a string or null', plan.urlMapFingerprint)
  }
}

/** checkChanges checks each change and returns the set of change keys (each used once). */
function checkChanges(shape: Shape, plan: Fields): Set<string> {
  const keys = new Set<string>()
  shape.array(plan.changes, 'plan.changes').forEach((c, i) => {
    const path = `plan.changes[${i}]`
    const change = shape.object(c, path)
    if (!change) return
    shape.string(change.key, `${path}.key`)
    if (typeof change.key === 'string') {
      if (keys.has(change.key)) shape.fail(`${path}.key`, 'a key used once', change.key)
      keys.add(change.key)
    }
    shape.oneOf(change.action, `${path}.action`, CHANGE_ACTIONS)
    shape.string(change.reason, `${path}.reason`)
    const address = shape.object(change.address, `${path}.address`)
    if (address) {
      shape.oneOf(address.kind, `${path}.address.kind`, RESOURCE_KINDS)
      shape.string(address.project, `${path}.address.project`)
      shape.string(address.name, `${path}.address.name`)
      if (address.region !== undefined) shape.string(address.region, `${path}.address.region`)
    }
  })
  return keys
}

/** checkLists checks waves (keys of changes), routes, warnings and checks. */
function checkLists(shape: Shape, plan: Fields, keys: ReadonlySet<string>): void {
  shape.array(plan.waves, 'plan.waves').forEach((w, i) => {
    shape.array(w, `plan.waves[${i}]`).forEach((k, j) => {
      if (typeof k !== 'string' || !keys.has(k))
        shape.fail(`plan.waves[${i}][${j}]`, 'the key of a change', k)
    })
  })
  shape.array(plan.routes, 'plan.routes').forEach((r, i) => {
    const route = shape.object(r, `plan.routes[${i}]`)
    if (!route) return
    shape.string(route.name, `plan.routes[${i}].name`)
    shape.oneOf(route.status, `plan.routes[${i}].status`, ['new', 'changed', 'unchanged', 'removed'])
  })
  shape.array(plan.warnings, 'plan.warnings').forEach((w, i) => shape.string(w, `plan.warnings[${i}]`))
  shape.array(plan.checks, 'plan.checks').forEach((c, i) => {
    const check = shape.object(c, `plan.checks[${i}]`)
    if (!check) return
    shape.string(check.name, `plan.checks[${i}].name`)
    shape.oneOf(check.status, `plan.checks[${i}].status`, ['pass', 'fail', 'warn', 'skip'])
  })
}

function checkDesired(shape: Shape, plan: Fields): void {
  const desired = shape.object(plan.desired, 'plan.desired')
  if (!desired) return
  shape.string(desired.owner, 'plan.desired.owner')
  shape.object(desired.loadBalancer, 'plan.desired.loadBalancer')
  shape.array(desired.negs, 'plan.desired.negs')
  shape.array(desired.backendServices, 'plan.desired.backendServices')
  shape.object(desired.rules, 'plan.desired.rules')
  shape.object(desired.routeServices, 'plan.desired.routeServices')
  if (typeof desired.owner === 'string' && typeof plan.owner === 'string' && desired.owner !== plan.owner) {
    shape.fail('plan.desired.owner', `the plan owner ${JSON.stringify(plan.owner)}`, desired.owner)
  }
}
