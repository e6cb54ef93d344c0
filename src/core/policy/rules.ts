// Semantic rules for lb-policy.json: what the schema cannot say. Like routes/rules.ts, they run on the raw
// value and skip values of the wrong type (the schema reports those).
import type { JSONPath } from 'jsonc-parser'
import { hostnameProblem, nameProblem, parseIp, prefixProblem, projectProblem } from '../routes/formats.js'
import { quote, RELATED_AT, type Problem } from '../routes/problem.js'
import { MAX_NAME_LENGTH } from '../routes/rules.js'

type Obj = Readonly<Record<string, unknown>>
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v)
const strings = (o: Obj, key: string): Array<readonly [number, string]> => {
  const v = o[key]
  return Array.isArray(v) ? v.flatMap((s, i) => (typeof s === 'string' ? [[i, s] as const] : [])) : []
}

/** GitHub's job_workflow_ref: OWNER/REPO/.github/workflows/FILE.yml@refs/... (a full ref, never a bare branch). */
const WORKFLOW_REF =
  /^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+\/\.github\/workflows\/[^/@\s]+\.ya?ml@refs\/(heads|tags)\/\S+$/
const REPOSITORY = /^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/

/** policyRuleProblems checks everything about a parsed lb-policy.json value that the schema cannot. */
export function policyRuleProblems(root: unknown): Problem[] {
  const problems: Problem[] = []
  const error = (path: JSONPath, message: string, related?: JSONPath) =>
    problems.push({ path, message, severity: 'error', ...(related && { related }) })
  if (!isObj(root)) return problems
  const lb = isObj(root.loadBalancer) ? root.loadBalancer : {}
  if (typeof lb.project === 'string') {
    const p = projectProblem(lb.project)
    if (p) error(['loadBalancer', 'project'], `loadBalancer.project ${quote(lb.project)} ${p}`)
  }
  for (const [i, ref] of strings(root, 'trustedWorkflows')) {
    if (!WORKFLOW_REF.test(ref))
      error(
        ['trustedWorkflows', i],
        `trusted workflow ${quote(ref)} is not a job_workflow_ref; write OWNER/REPO/.github/workflows/FILE.yml@refs/heads/BRANCH (or @refs/tags/TAG), as GitHub puts it in the OIDC token`
      )
  }
  if (Array.isArray(root.trustedWorkflows) && root.trustedWorkflows.length === 0)
    problems.push({
      path: ['trustedWorkflows'],
      severity: 'warning',
      message:
        'trustedWorkflows is empty: the action refuses every apply and rollback; list the platform workflow (OWNER/REPO/.github/workflows/routes.yml@refs/heads/main)'
    })
  const seenRepos = new Map<string, JSONPath>()
  for (const [owner, grant] of Object.entries(isObj(root.owners) ? root.owners : {})) {
    const p = nameProblem(owner, MAX_NAME_LENGTH)
    if (p) error(['owners', owner], `owner name ${quote(owner)} ${p}`)
    if (isObj(grant)) grantProblems(owner, grant, seenRepos, error)
  }
  return problems
}

type Report = (path: JSONPath, message: string, related?: JSONPath) => void

function grantProblems(owner: string, grant: Obj, seenRepos: Map<string, JSONPath>, error: Report): void {
  const at = (...rest: JSONPath): JSONPath => ['owners', owner, ...rest]
  for (const [i, repo] of strings(grant, 'repositories')) {
    if (!REPOSITORY.test(repo)) {
      error(at('repositories', i), `repository ${quote(repo)} must be OWNER/REPO, e.g. "octo-org/web-routes"`)
      continue
    }
    const first = seenRepos.get(repo.toLowerCase())
    if (first)
      error(
        at('repositories', i),
        `repository ${quote(repo)} is already listed for owner ${String(first[1])}${RELATED_AT}; a repository acts as one owner only`,
        first
      )
    else seenRepos.set(repo.toLowerCase(), at('repositories', i))
  }
  for (const key of ['hosts', 'defaults']) {
    for (const [i, raw] of strings(grant, key)) {
      const p = hostnameProblem(raw.toLowerCase(), { wildcard: true })
      if (p) error(at(key, i), `${key} entry ${quote(raw)} ${p}; use "*", an exact hostname or "*.suffix"`)
    }
  }
  for (const [i, raw] of strings(grant, 'internetHosts')) {
    const entry = raw.toLowerCase()
    if (entry === '*') {
      error(
        at('internetHosts', i),
        'internetHosts entry "*" would let this owner send traffic to any host on the internet; list exact hostnames, IP addresses or "*.suffix"'
      )
      continue
    }
    const p = parseIp(entry) ? undefined : hostnameProblem(entry, { wildcard: true })
    if (p)
      error(
        at('internetHosts', i),
        `internetHosts entry ${quote(raw)} ${p}; use an exact hostname, an IP address or "*.suffix"`
      )
  }
  for (const [i, raw] of strings(grant, 'pathPrefixes')) {
    const p = prefixProblem(raw)
    if (p) error(at('pathPrefixes', i), `pathPrefixes entry ${quote(raw)} ${p}`)
  }
  for (const [i, raw] of strings(grant, 'projects')) {
    const p = projectProblem(raw)
    if (p) error(at('projects', i), `projects entry ${quote(raw)} ${p}`)
  }
}
