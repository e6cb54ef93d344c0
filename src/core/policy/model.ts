// Policy: lb-policy.json v1 after parsing (DESIGN.md §4.2). Held by the load balancer owner; with a policy,
// what it does not grant is denied. Every list is lowercased (hosts, repositories) and present (absent = none).

/** What one owner may claim in the shared load balancer. */
export interface OwnerGrant {
  /** GitHub repositories (owner/repo, lowercase) that act as this owner. */
  readonly repositories: readonly string[]
  /** Hosts it may route: "*", exact, or "*.suffix". */
  readonly hosts: readonly string[]
  /** Paths it may claim on hosts other owners may route too; undefined: any path. */
  readonly pathPrefixes?: readonly string[]
  /** Hosts whose default it may hold ("*" is the URL map default). */
  readonly defaults: readonly string[]
  /** Projects its cloudRun, serverless and loadBalancer targets may be in. */
  readonly projects: readonly string[]
  /** Internet / loadBalancer hosts and addresses it may send traffic to (never "*"). */
  readonly internetHosts: readonly string[]
  /** May take over hand-built resources in place. */
  readonly adopt: boolean
  /** May hold the load balancer's frontend. */
  readonly frontend: boolean
}

export interface Policy {
  /** The file it was read from: errors say where a grant would go. */
  readonly file: string
  readonly loadBalancer: { readonly project: string; readonly urlMap: string }
  /** job_workflow_ref values allowed to apply (OWNER/REPO/.github/workflows/FILE@REF). */
  readonly trustedWorkflows: readonly string[]
  readonly owners: Readonly<Record<string, OwnerGrant>>
}

/** The policy and who is asking: the calling repository (OIDC `repository`, GITHUB_REPOSITORY, --repository). */
export interface Tenancy {
  readonly policy: Policy
  readonly repository: string
}

/** ownerOfRepository names the owner whose repositories include `repository` (case-insensitive), if any. */
export function ownerOfRepository(policy: Policy, repository: string): string | undefined {
  const repo = repository.toLowerCase()
  return Object.keys(policy.owners).find((o) => policy.owners[o]!.repositories.includes(repo))
}

/** grantHint says who can grant `value` and where: the load balancer owner, in the policy file. */
export function grantHint(policy: Policy, owner: string, field: keyof OwnerGrant, value: string): string {
  const what = field === 'adopt' || field === 'frontend' ? `"${field}": true` : `${JSON.stringify(value)}`
  const where =
    field === 'adopt' || field === 'frontend' ? `to owners.${owner}` : `to owners.${owner}.${field}`
  return `only the load balancer owner can grant it: ask them to add ${what} ${where} in ${policy.file}`
}
