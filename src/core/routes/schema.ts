// The routes.json JSON Schema (schema/routes.schema.json, shipped for editor completion) and the
// translation of Ajv's findings into messages that say what to change.
import type { ErrorObject, ValidateFunction } from 'ajv'
import type { JSONPath } from 'jsonc-parser'
import schema from '../../../schema/routes.schema.json' with { type: 'json' }
import { describePath, quote, type Problem } from './problem.js'
import { validate as compiledValidate } from './schema-validator.generated.js'
import { didYouMean } from './suggest.js'

/** The routes.json v1 JSON Schema, as shipped in schema/routes.schema.json. */
export const routesSchema = schema

// Compiled ahead of time (scripts/gen-schema-validator.mjs, Ajv standalone code with the definitions
// inlined): Ajv's code generation at run time cost ~50 ms of every start. `npm run lint` checks that
// the generated module matches schema/routes.schema.json.
const validate = (): ValidateFunction => compiledValidate as unknown as ValidateFunction

/** schemaProblems validates a parsed routes.json value against the schema: the first `max` findings, and how many more. */
export function schemaProblems(value: unknown, max = Infinity): { problems: Problem[]; omitted: number } {
  return validatorProblems(validate(), value, max, 'routes.json')
}

/** validatorProblems runs a compiled validator (routes.json, lb-policy.json) and words its findings; `document` names the file kind. */
export function validatorProblems(
  check: ValidateFunction,
  value: unknown,
  max: number,
  document: string
): { problems: Problem[]; omitted: number } {
  if (check(value)) return { problems: [], omitted: 0 }
  const errors = collapseOneOf(check.errors ?? [])
  // A value of the wrong type fails its const/enum/range keywords too; the type is the thing to fix.
  const typed = new Set(errors.filter((e) => e.keyword === 'type').map((e) => e.instancePath))
  const missing = new Map<string, string[]>()
  const problems: Problem[] = []
  for (const [i, e] of errors.entries()) {
    // Ajv reports in document order; translating 300,000 findings of a garbage file would take seconds.
    if (problems.length >= max) return { problems, omitted: errors.length - i }
    if (e.keyword !== 'type' && typed.has(e.instancePath)) continue
    if (e.keyword === 'required') {
      // One message per object listing everything it lacks.
      const keys = missing.get(e.instancePath)
      const key = String((e.params as { missingProperty: unknown }).missingProperty)
      if (keys) {
        keys.push(key)
        continue
      }
      missing.set(e.instancePath, [key])
    }
    problems.push(translate(e, missing.get(e.instancePath) ?? [], document))
  }
  return { problems, omitted: 0 }
}

/**
 * collapseOneOf keeps what matters of a `oneOf` failure (e.g. expect.status: a status or a list): when the
 * value has none of the branches' types, one type error naming them all; otherwise only the errors of the
 * branch whose type it has (a status out of range, an empty list), not the other branch's type complaint.
 */
function collapseOneOf(errors: readonly ErrorObject[]): ErrorObject[] {
  const drop = new Set<ErrorObject>()
  const replace = new Map<ErrorObject, ErrorObject>()
  for (const one of errors.filter((e) => e.keyword === 'oneOf')) {
    const prefix = one.schemaPath + '/'
    const branchOf = (e: ErrorObject) => /^(\d+)\//.exec(e.schemaPath.slice(prefix.length))?.[1]
    // schemaPath is the same for every test's status; the instancePath tells which value an error is about.
    const inside = errors.filter(
      (e) =>
        e.schemaPath.startsWith(prefix) &&
        (e.instancePath === one.instancePath || e.instancePath.startsWith(one.instancePath + '/'))
    )
    const branches = ((one.schema as unknown[] | undefined) ?? []).map((_, i) => String(i))
    const mistyped = new Set(
      inside
        .filter((e) => e.keyword === 'type' && e.instancePath === one.instancePath)
        .map((e) => branchOf(e))
    )
    if (branches.every((b) => mistyped.has(b))) {
      const types = inside.filter((e) => e.keyword === 'type' && e.instancePath === one.instancePath)
      for (const e of inside) drop.add(e)
      replace.set(one, {
        ...one,
        keyword: 'type',
        params: { type: types.map((e) => (e.params as { type: unknown }).type) }
      })
    } else {
      drop.add(one)
      for (const e of inside) if (mistyped.has(branchOf(e))) drop.add(e)
    }
  }
  return errors.filter((e) => !drop.has(e)).map((e) => replace.get(e) ?? e)
}

/** Ajv keywords about a value's content (not its shape) that the semantic rules re-check with better advice. */
export const VALUE_KEYWORDS: ReadonlySet<string> = new Set([
  'pattern',
  'minLength',
  'maxLength',
  'uniqueItems'
])

interface SchemaNode {
  readonly description?: string
  readonly properties?: Record<string, SchemaNode>
  readonly default?: unknown
  readonly maxProperties?: number
}

// `missing` is filled in after the call for `required` errors (the list grows as later errors arrive).
function translate(e: ErrorObject, missing: readonly string[], document: string): Problem {
  const path = pointerToPath(e.instancePath)
  const where = describePath(path)
  const parent = (e.parentSchema ?? {}) as SchemaNode
  const params = e.params as Record<string, unknown>
  const error = (message: string, at: JSONPath = path, atKey = false) => ({
    path: at,
    message,
    severity: 'error' as const,
    atKey,
    keyword: e.keyword
  })
  const known = Object.keys(parent.properties ?? {})
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String(params.additionalProperty)
      const hint = didYouMean(key, known) || `; allowed here: ${known.join(', ')}`
      const inWhere = path.length === 0 ? 'at the top level' : `in ${where}`
      return error(`unknown property ${quote(key)} ${inWhere}${hint}`, [...path, key], true)
    }
    case 'required':
      return {
        path,
        severity: 'error',
        keyword: e.keyword,
        get message() {
          const about = (key: string) => {
            const text = firstSentence(parent.properties?.[key]?.description)
            return text ? ` (${text})` : ''
          }
          if (missing.length === 1)
            return `${where} is missing the required property "${missing[0]}"${about(missing[0] ?? '')}`
          return `${where} is missing the required properties ${missing.map((k) => `"${k}"`).join(', ')}`
        }
      }
    case 'type': {
      // A union type arrives as an array (["object", "null"] → "an object or null").
      const wants = ([] as unknown[]).concat(params.type).map(String)
      const want = wants[0]!
      const got = e.data
      const unquote =
        typeof got === 'string' && isLike(want, got) ? `; remove the quotes around ${quote(got)}` : ''
      return error(`${where} must be ${wants.map(article).join(' or ')}, not ${kind(got)}${unquote}`)
    }
    case 'const':
      if (path.length === 1 && path[0] === 'version') {
        return error(
          `version must be 1 (the only ${document} version this lb-routes understands), not ${quote(e.data)}`
        )
      }
      return error(`${where} must be ${quote(params.allowedValue)}, not ${quote(e.data)}`)
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map(String)
      return error(
        `${where} must be one of ${allowed.map((v) => quote(v)).join(', ')}, not ${quote(e.data)}${typeof e.data === 'string' ? didYouMean(e.data, allowed) : ''}`
      )
    }
    case 'minimum':
    case 'maximum': {
      const side = e.keyword === 'minimum' ? 'at least' : 'at most'
      return error(`${where} must be ${side} ${String(params.limit)}, not ${quote(e.data)}`)
    }
    case 'minItems': {
      const fallback =
        parent.default === undefined ? '' : `, or remove it to get the default ${quote(parent.default)}`
      return error(`${where} must not be empty${fallback}`)
    }
    case 'maxItems':
      return error(`${where} has ${(e.data as unknown[]).length} items; use at most ${String(params.limit)}`)
    case 'minProperties':
      return error(
        `${where} must set ${known.length === 4 ? 'exactly one' : 'at least one'} of ${known.join(', ')}`
      )
    case 'maxProperties': {
      const keys = Object.keys(e.data as object)
      return error(`${where} sets ${keys.join(' and ')}; a route has exactly one target, so keep one of them`)
    }
    case 'uniqueItems': {
      const i = Math.max(Number(params.i), Number(params.j))
      return error(`${where} lists ${quote((e.data as unknown[])[i])} twice; remove the duplicate`, [
        ...path,
        i
      ])
    }
    case 'minLength':
      return error(`${where} must not be empty`)
    case 'maxLength':
      return error(
        `${where} is ${String(e.data).length} characters long; use at most ${String(params.limit)}`
      )
    case 'pattern':
      return error(`${where} ${quote(e.data)} must match ${String(params.pattern)}`)
    default:
      return error(`${where} ${e.message ?? 'is invalid'}`)
  }
}

function pointerToPath(pointer: string): JSONPath {
  if (pointer === '') return []
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^(0|[1-9][0-9]*)$/.test(s) ? Number(s) : s))
}

function firstSentence(text: string | undefined): string | undefined {
  return text?.replace(/\.(\s.*)?$/s, '').replace(/ \(.*\)$/, '')
}

function article(type: string): string {
  const names: Record<string, string> = {
    object: 'an object',
    array: 'an array',
    string: 'a string',
    integer: 'a whole number',
    number: 'a number',
    boolean: 'true or false'
  }
  return names[type] ?? type
}

function kind(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  if (typeof value === 'object') return 'an object'
  if (typeof value === 'number')
    return Number.isInteger(value) ? `the number ${value}` : `the number ${value}`
  return `the ${typeof value} ${quote(value)}`
}

function isLike(type: string, text: string): boolean {
  if (type === 'boolean') return text === 'true' || text === 'false'
  if (type === 'integer' || type === 'number') return text.trim() !== '' && !Number.isNaN(Number(text))
  return false
}
