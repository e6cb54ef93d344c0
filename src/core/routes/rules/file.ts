// Rules on the top level of routes.json: names of the owner and the load balancer, the allow-list, the frontend.
import { hostnameProblem, nameProblem, policyAllows, projectProblem } from '../formats.js'
import { quote, type Problem } from '../problem.js'
import { error, isObj, MAX_NAME_LENGTH, str, strings, type FileContext, type Obj } from './context.js'

/** The owner goes into resource names, so it is a short resource name itself. */
export function ownerName(file: FileContext): Problem[] {
  const owner = str(file.root, 'owner')
  const p = owner === undefined ? undefined : nameProblem(owner, MAX_NAME_LENGTH)
  return p ? [error(['owner'], `owner ${quote(owner)} ${p}`)] : []
}

/** loadBalancer.project is a Google Cloud project ID. */
export function loadBalancerProject(file: FileContext): Problem[] {
  const lb = isObj(file.root.loadBalancer) ? file.root.loadBalancer : {}
  const project = str(lb, 'project')
  const p = project === undefined ? undefined : projectProblem(project)
  return p ? [error(['loadBalancer', 'project'], `loadBalancer.project ${quote(project)} ${p}`)] : []
}

/** loadBalancer.urlMap is a Compute resource name. */
export function loadBalancerUrlMap(file: FileContext): Problem[] {
  const lb = isObj(file.root.loadBalancer) ? file.root.loadBalancer : {}
  const urlMap = str(lb, 'urlMap')
  const p = urlMap === undefined ? undefined : nameProblem(urlMap, 63)
  return p ? [error(['loadBalancer', 'urlMap'], `loadBalancer.urlMap ${quote(urlMap)} ${p}`)] : []
}

/** Each allowedInternetHosts entry is well-formed, listed once, and within the load balancer owner's policy. */
export function allowList(file: FileContext): Problem[] {
  const seen = new Set<string>()
  return file.allowList.flatMap((entry) => {
    if (entry.problem !== undefined) return [error(entry.path, entry.problem)]
    const twice = seen.has(entry.value)
    seen.add(entry.value)
    const policy = policyProblem(file, entry.raw, entry.value)
    return [
      ...(twice
        ? [error(entry.path, `allowedInternetHosts lists ${quote(entry.raw)} twice; remove the duplicate`)]
        : []),
      ...(policy !== undefined ? [error(entry.path, policy)] : [])
    ]
  })
}

function policyProblem(file: FileContext, raw: string, entry: string): string | undefined {
  const policy = file.opts.policyAllowedInternetHosts
  if (policy === undefined || policy.some((rule) => policyAllows(rule, entry))) return undefined
  const list =
    policy.length === 0
      ? 'it allows no internet hosts'
      : `it allows ${policy.map((h) => quote(h)).join(', ')}`
  return `allowedInternetHosts entry ${quote(raw)} is not allowed by the load balancer owner's policy (--allowed-internet-hosts / input allowed-internet-hosts): ${list}; remove the entry or ask the load balancer owner to allow it`
}

/** frontend.address and frontend.sslPolicy are Compute resource names. */
export function frontendNames(frontend: Obj): Problem[] {
  return ['address', 'sslPolicy'].flatMap((key) => {
    const name = str(frontend, key)
    const p = name === undefined ? undefined : nameProblem(name, 63)
    return p ? [error(['frontend', key], `frontend.${key} ${quote(name)} ${p}`)] : []
  })
}

/** Frontend domains are what a Google-managed certificate accepts: fully qualified, no wildcard, each once. */
export function frontendDomains(frontend: Obj): Problem[] {
  const seen = new Map<string, number>()
  return strings(frontend, 'domains').flatMap(([k, raw]) => {
    const at = ['frontend', 'domains', k]
    const domain = raw.toLowerCase()
    if (domain.includes('*')) {
      return [
        error(
          at,
          `frontend domain ${quote(raw)} is a wildcard; Google-managed certificates do not support wildcards, so list each domain (e.g. "www.example.com")`
        )
      ]
    }
    const p =
      hostnameProblem(raw) ?? (domain.includes('.') ? undefined : 'must be a fully qualified domain name')
    if (p) return [error(at, `frontend domain ${quote(raw)} ${p}`)]
    const first = seen.get(domain)
    if (first === undefined) {
      seen.set(domain, k)
      return []
    }
    return [
      error(at, `frontend domain ${quote(raw)} is already listed as domains[${first}]; remove the duplicate`)
    ]
  })
}
