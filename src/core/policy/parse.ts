// parsePolicy: lb-policy.json text → Policy, or every problem in it at once (DESIGN.md §4.2). Same stages
// and FILE:LINE:COL diagnostics as routes.json: input checks → JSONC syntax → JSON Schema → rules.
import type { ValidateFunction } from 'ajv'
import type { Diagnostic } from '../diagnostics.js'
import { locatePaths, readJsonc } from '../routes/jsonc.js'
import { limit, syntaxDiagnostics } from '../routes/parse.js'
import { quote, RELATED_AT, type Problem } from '../routes/problem.js'
import { validatorProblems } from '../routes/schema.js'
import { decodeSource, deepestOffset, LineIndex, MAX_DEPTH } from '../routes/source.js'
import type { OwnerGrant, Policy } from './model.js'
import { policyRuleProblems } from './rules.js'
import { validate as compiledValidate } from './schema-validator.generated.js'

export interface ParsePolicyResult {
  /** Set only when there are no errors (warnings allowed). */
  readonly policy?: Policy
  readonly diagnostics: readonly Diagnostic[]
}

const MAX_PROBLEMS = 1000

/** parsePolicy parses and validates an lb-policy.json; it never throws, whatever the input. */
export function parsePolicy(input: string | Uint8Array, file: string): ParsePolicyResult {
  try {
    return parse(input, file)
  } catch (err) {
    const message = `internal error while reading the policy file (please report it): ${err instanceof Error ? err.message : String(err)}`
    return { diagnostics: [{ severity: 'error', file, line: 1, column: 1, message }] }
  }
}

function parse(input: string | Uint8Array, file: string): ParsePolicyResult {
  const atStart = (message: string): ParsePolicyResult => ({
    diagnostics: [{ severity: 'error', file, line: 1, column: 1, message }]
  })
  const decoded = decodeSource(input)
  if ('problem' in decoded) return atStart(decoded.problem.replace('routes.json', 'lb-policy.json'))
  const text = decoded.text
  if (text.trim() === '')
    return atStart('file is empty; it must hold an lb-policy.json object ({"version": 1, "owners": ...})')
  const lines = new LineIndex(text)
  const diagnostic = (offset: number, message: string, severity: Diagnostic['severity'] = 'error') => ({
    severity,
    file,
    ...lines.at(offset),
    message
  })
  const tooDeep = deepestOffset(text, MAX_DEPTH)
  if (tooDeep >= 0)
    return { diagnostics: [diagnostic(tooDeep, `nesting is deeper than ${MAX_DEPTH} levels`)] }
  const doc = readJsonc(text)
  if (doc.errors.length > 0 || doc.value === undefined) {
    if (doc.value === undefined && doc.errors.length === 0)
      return atStart('file has no JSON value, only comments; it must hold an lb-policy.json object')
    return {
      diagnostics: limit(
        syntaxDiagnostics(text, doc.errors, lines).map((e) => diagnostic(e.offset, e.message))
      )
    }
  }
  const value = doc.value
  const duplicates = doc.duplicates.map((d): Problem => ({
    path: d.path,
    message: `property ${quote(d.path[d.path.length - 1])} appears twice in this object; the first one would be silently ignored, so remove one`,
    severity: 'error',
    atKey: true
  }))
  const schema = validatorProblems(
    compiledValidate as unknown as ValidateFunction,
    value,
    MAX_PROBLEMS,
    'lb-policy.json'
  )
  const problems = [...duplicates, ...schema.problems, ...policyRuleProblems(value)]
  const located = locatePaths(text, [...problems.map((p) => p.path), ...problems.map((p) => p.related ?? [])])
  const diagnostics = limit(
    problems.map((p, i) => {
      const at = located[i] ?? { offset: 0 }
      const related = lines.at(located[problems.length + i]?.offset ?? 0)
      const message = p.message.replace(RELATED_AT, ` (line ${related.line}, column ${related.column})`)
      return diagnostic(p.atKey ? (at.keyOffset ?? at.offset) : at.offset, message, p.severity)
    }),
    schema.omitted
  )
  if (diagnostics.some((d) => d.severity === 'error')) return { diagnostics }
  return { policy: normalizePolicy(value as WrittenPolicy, file), diagnostics }
}

interface WrittenGrant {
  readonly repositories: readonly string[]
  readonly hosts: readonly string[]
  readonly pathPrefixes?: readonly string[]
  readonly defaults?: readonly string[]
  readonly projects?: readonly string[]
  readonly internetHosts?: readonly string[]
  readonly adopt?: boolean
  readonly frontend?: boolean
}

interface WrittenPolicy {
  readonly loadBalancer: { readonly project: string; readonly urlMap: string }
  readonly trustedWorkflows: readonly string[]
  readonly owners: Readonly<Record<string, WrittenGrant>>
}

const lower = (list: readonly string[] | undefined): string[] => (list ?? []).map((s) => s.toLowerCase())

function normalizePolicy(p: WrittenPolicy, file: string): Policy {
  const owners: Record<string, OwnerGrant> = {}
  for (const [name, g] of Object.entries(p.owners)) {
    owners[name] = {
      repositories: lower(g.repositories),
      hosts: lower(g.hosts),
      ...(g.pathPrefixes !== undefined ? { pathPrefixes: g.pathPrefixes } : {}),
      defaults: lower(g.defaults),
      projects: g.projects ?? [],
      internetHosts: lower(g.internetHosts),
      adopt: g.adopt ?? false,
      frontend: g.frontend ?? false
    }
  }
  return {
    file,
    loadBalancer: { project: p.loadBalancer.project, urlMap: p.loadBalancer.urlMap },
    trustedWorkflows: p.trustedWorkflows,
    owners
  }
}
