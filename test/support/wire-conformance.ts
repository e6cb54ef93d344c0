// Checks recorded requests (the emulator's request log with recordBodies) against Google's definitions,
// the field tables the emulator also enforces: the method is known, the path matches its HTTP rule, the
// query has only the request message's parameters, the body only its message's fields and enum values,
// and the reply is in Google's shape (64-bit integers as strings, no unknown fields).
import { tableFor, type FieldTable } from '../../src/emulator/field-table.js'
import type { RequestLogEntry } from '../../src/emulator/types.js'
import { checkQuery, walkMessage } from '../../src/emulator/wire-check.js'

/** pathPattern turns an HTTP rule path (`/v2/{name=projects/*}/x/{y}`) into a RegExp. */
function pathPattern(template: string): RegExp {
  const re = template
    .replace(/[.+?^$()|[\]\\]/g, '\\$&')
    .replace(/\{(\w+)(?:=([^}]+))?\}/g, (_, _name: string, sub?: string) =>
      sub ? sub.replace(/\*\*/g, '.+').replace(/\*/g, '[^/]+') : '[^/]+'
    )
  return new RegExp(`^${re}/?$`)
}

/** conformanceProblems lists every way the recorded requests (and their replies) differ from the tables. */
export function conformanceProblems(log: readonly RequestLogEntry[]): string[] {
  const problems: string[] = []
  for (const e of log) {
    const where = `${e.method} ${e.path}${e.query ? `?${e.query}` : ''}`
    if (!e.api) {
      problems.push(`${where}: not a known API method`)
      continue
    }
    const table = tableFor(e.api)
    if (!table) {
      problems.push(`${where}: ${e.api} is in no field table`)
      continue
    }
    for (const p of requestProblems(table, e)) problems.push(`${where} (${e.api}): ${p}`)
  }
  return problems
}

function requestProblems(table: FieldTable, e: RequestLogEntry): string[] {
  const method = table.method(e.api!)!
  const [verb, template] = method.http.split(' ') as [string, string]
  const out: string[] = []
  // getIamPolicy is also served as POST by the emulator; lb-routes must use the documented verb.
  if (verb !== e.method) out.push(`HTTP ${e.method}, the method is ${verb}`)
  if (!pathPattern(template).test(e.path)) out.push(`path does not match ${template}`)
  const attempt = (what: string, f: () => void): void => {
    try {
      f()
    } catch (err) {
      out.push(`${what}: ${(err as Error).message}`)
    }
  }
  attempt('query', () => checkQuery(table, e.api!, new URLSearchParams(e.query ?? '')))
  const body = e.body
  if (method.body && body !== undefined && body !== '')
    attempt('body', () => walkMessage(table, method.body!, body, table.bodyRoot, {}))
  if (e.status === 200)
    attempt('response', () => walkMessage(table, method.response, e.response, '', { response: true }))
  return out
}
