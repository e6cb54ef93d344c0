// Request bodies and query strings read the way Google's JSON front end reads them (proto3 JSON mapping
// over the field tables): unknown names, values of the wrong type, enum values that do not exist and
// integers that are not integers are refused with Google's 400 "Invalid JSON payload received" /
// "Invalid value at" messages; JSON and proto (snake_case) names are both accepted; output-only fields are
// accepted and ignored, as Google ignores them. The result is the body normalised: JSON names, int64 as
// strings (how Google returns them), int32 as numbers, output-only fields gone.
import { ApiError } from './errors.js'
import { snakeCase, type FieldSpec, type FieldTable } from './field-table.js'
import { isObject } from './json.js'

/** A 400 from Google's JSON front end: an AIP-193 body with `status` and a BadRequest field violation. */
export class PayloadError extends ApiError {
  constructor(
    message: string,
    /** The field path the violation names (`resource.path_matchers[0]`), empty for the whole request. */
    readonly field: string
  ) {
    super(400, 'invalid', message)
    this.name = 'PayloadError'
  }
}

/** payloadErrorBody renders a PayloadError; Compute keeps its `errors[]` next to `status` and `details`. */
export function payloadErrorBody(e: PayloadError, withErrors: boolean): unknown {
  return {
    error: {
      code: 400,
      message: e.message,
      ...(withErrors ? { errors: [{ message: e.message, domain: 'global', reason: 'invalid' }] } : {}),
      status: 'INVALID_ARGUMENT',
      details: [
        {
          '@type': 'type.googleapis.com/google.rpc.BadRequest',
          fieldViolations: [{ ...(e.field ? { field: e.field } : {}), description: e.message }]
        }
      ]
    }
  }
}

/** How a walk treats what it finds: requests are refused and normalised, responses only checked. */
export interface WalkMode {
  /** Responses: int64 must already be strings, enums may be numbers (`$alt=json;enum-encoding=int`). */
  readonly response?: boolean
}

// Parameters every Google API takes besides the request message's own (system parameters).
const SYSTEM_PARAMETERS = new Set([
  '$alt',
  'alt',
  '$fields',
  'fields',
  'key',
  'prettyPrint',
  '$prettyPrint',
  'quotaUser',
  'userIp',
  'access_token',
  'oauth_token',
  'callback',
  'upload_protocol',
  'uploadType',
  '$.xgafv'
])

/** checkQuery refuses query parameters the method's request message does not have. */
export function checkQuery(table: FieldTable, method: string, query: URLSearchParams): void {
  for (const key of new Set(query.keys())) {
    if (SYSTEM_PARAMETERS.has(key) || table.queryField(method, key)) continue
    throw new PayloadError(
      `Invalid JSON payload received. Unknown name "${key}": Cannot bind query parameter. Field '${key}' could not be found in request message.`,
      ''
    )
  }
}

/** checkBody checks a parsed request body against the method's body message; returns it normalised. */
export function checkBody(table: FieldTable, method: string, body: unknown): unknown {
  const message = table.method(method)?.body
  // Anything but an object (nothing, the client's "" on bodiless POSTs) is the handlers' business.
  if (!message || !isObject(body)) return body
  return walkMessage(table, message, body, table.bodyRoot, {})
}

/** walkMessage checks `value` as `message` at `path`; returns the normalised copy. */
export function walkMessage(
  table: FieldTable,
  message: string,
  value: unknown,
  path: string,
  mode: WalkMode
): Record<string, unknown> {
  if (!isObject(value))
    throw invalidValue(table, path, `type.googleapis.com/${table.raw.package}.${message}`, value)
  const fields = table.fields(message)
  const out: Record<string, unknown> = {}
  for (const [key, v] of Object.entries(value)) {
    const f = fields.get(key)
    if (!f) throw unknownName(key, path, 'Cannot find field.')
    if (f.outputOnly && !mode.response) continue
    const at = join(path, snakeCase(f.name))
    if (v === null) out[f.name] = null
    else if (f.repeated) {
      if (!Array.isArray(v)) throw invalidValue(table, at, typeLabel(table, f), v)
      out[f.name] = v.map((x, i) => walkValue(table, f, x, `${at}[${i}]`, mode))
    } else if (Array.isArray(v))
      throw unknownName(key, path, 'Proto field is not repeating, cannot start list.')
    else if (f.map) {
      if (!isObject(v)) throw invalidValue(table, at, typeLabel(table, f), v)
      out[f.name] = Object.fromEntries(
        Object.entries(v).map(([k, x]) => [k, walkValue(table, f, x, `${at}[${k}]`, mode)])
      )
    } else out[f.name] = walkValue(table, f, v, at, mode)
  }
  return out
}

function walkValue(table: FieldTable, f: FieldSpec, v: unknown, at: string, mode: WalkMode): unknown {
  const bad = (): PayloadError => invalidValue(table, at, typeLabel(table, f), v)
  switch (f.type) {
    case 'string':
    case 'bytes':
    case 'duration':
    case 'timestamp':
      if (typeof v !== 'string') throw bad()
      return v
    case 'bool':
      if (typeof v !== 'boolean') throw bad()
      return v
    case 'double':
    case 'float':
      if (
        typeof v === 'number' ||
        (typeof v === 'string' && /^(-?\d+(\.\d+)?(e[-+]?\d+)?|NaN|-?Infinity)$/i.test(v))
      )
        return v
      throw bad()
    case 'int32':
    case 'uint32':
    case 'int64':
    case 'uint64':
      return integer(f.type, v, mode, bad)
    case 'enum':
      if (typeof v === 'string' && f.values!.includes(v)) return v
      if (mode.response && Number.isInteger(v)) return v
      throw bad()
    case 'any':
      if (!isObject(v)) throw bad()
      return v
    default:
      return walkMessage(table, f.type, v, at, mode)
  }
}

const RANGES: Record<string, readonly [bigint, bigint]> = {
  int32: [-(2n ** 31n), 2n ** 31n - 1n],
  uint32: [0n, 2n ** 32n - 1n],
  int64: [-(2n ** 63n), 2n ** 63n - 1n],
  uint64: [0n, 2n ** 64n - 1n]
}

// proto3 JSON: integers may come as numbers or decimal strings; 64-bit ones go out as strings.
function integer(type: string, v: unknown, mode: WalkMode, bad: () => PayloadError): unknown {
  const wide = type.endsWith('64')
  if (mode.response && wide && typeof v !== 'string') throw bad()
  let n: bigint
  if (typeof v === 'number' && Number.isInteger(v)) n = BigInt(v)
  else if (typeof v === 'string' && /^-?\d+$/.test(v)) n = BigInt(v)
  else throw bad()
  const [min, max] = RANGES[type]!
  if (n < min || n > max) throw bad()
  return wide ? n.toString() : Number(n)
}

function typeLabel(table: FieldTable, f: FieldSpec): string {
  if (f.type === 'enum') return `type.googleapis.com/${table.raw.package}.${f.enumName}`
  if (/^[a-z]/.test(f.type) && f.type !== 'any') return `TYPE_${f.type.toUpperCase()}`
  return `type.googleapis.com/${f.type === 'any' ? 'google.protobuf.Any' : `${table.raw.package}.${f.type}`}`
}

function join(path: string, name: string): string {
  return path ? `${path}.${name}` : name
}

function unknownName(key: string, path: string, why: string): PayloadError {
  return new PayloadError(
    `Invalid JSON payload received. Unknown name ${JSON.stringify(key)}${path ? ` at '${path}'` : ''}: ${why}`,
    path
  )
}

function invalidValue(_table: FieldTable, path: string, type: string, v: unknown): PayloadError {
  return new PayloadError(`Invalid value at '${path}' (${type}), ${JSON.stringify(v)}`, path)
}

/**
 * int64AsStrings returns `value` (a `message`) with every 64-bit integer written as a string, the way
 * Google returns them; anything the table does not describe is kept as it is (seeded state files may
 * carry numbers and the emulator's own extensions, such as a NEG's `networkEndpoints`).
 */
export function int64AsStrings(table: FieldTable, message: string, value: unknown): unknown {
  if (!isObject(value)) return value
  const fields = table.fields(message)
  const out: Record<string, unknown> = {}
  for (const [key, v] of Object.entries(value)) {
    const f = fields.get(key)
    const one = (x: unknown): unknown =>
      !f
        ? x
        : /^u?int64$/.test(f.type) && typeof x === 'number' && Number.isInteger(x)
          ? String(x)
          : /^[A-Z]/.test(f.type)
            ? int64AsStrings(table, f.type, x)
            : x
    if (f?.repeated && Array.isArray(v)) out[key] = v.map(one)
    else if (f?.map && isObject(v))
      out[key] = Object.fromEntries(Object.entries(v).map(([k, x]) => [k, one(x)]))
    else out[key] = one(v)
  }
  return out
}
