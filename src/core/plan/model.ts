// Plan: a serialisable value (DESIGN.md §5). Apply consumes `changes`, `waves` and `desired`; the
// `reason`, `routes`, `checks` and `warnings` fields are for people and must not drive apply.
import type { LoadBalancerRef } from '../routes/model.js'
import type { DesiredState } from '../compile/model.js'

/** Every kind of resource a plan can change (what plan.json and snapshot readers accept). */
export const RESOURCE_KINDS = [
  'globalNetworkEndpointGroup',
  'regionNetworkEndpointGroup',
  'backendService',
  'urlMap',
  'globalAddress',
  'sslCertificate',
  'targetHttpsProxy',
  'targetHttpProxy',
  'globalForwardingRule',
  'redirectUrlMap'
] as const

export type ResourceKind = (typeof RESOURCE_KINDS)[number]

const KIND_LABEL: Readonly<Record<ResourceKind, string>> = {
  globalNetworkEndpointGroup: 'global NEG',
  regionNetworkEndpointGroup: 'serverless NEG',
  backendService: 'backend service',
  urlMap: 'URL map',
  globalAddress: 'global address',
  sslCertificate: 'SSL certificate',
  targetHttpsProxy: 'target HTTPS proxy',
  targetHttpProxy: 'target HTTP proxy',
  globalForwardingRule: 'forwarding rule',
  redirectUrlMap: 'redirect URL map'
}

/** kindLabel names a resource kind for people ("backend service"); unknown kinds are shown as given. */
export function kindLabel(kind: string): string {
  return (KIND_LABEL as Record<string, string | undefined>)[kind] ?? kind
}

/** Kinds of the frontend resources (compile/frontend.ts); the redirect map is a URL map of its own. */
export type FrontendKind = Exclude<
  ResourceKind,
  'globalNetworkEndpointGroup' | 'regionNetworkEndpointGroup' | 'backendService' | 'urlMap'
>

/** The frontend as people need to see it: where to point DNS and how far the certificate got. */
export interface FrontendSummary {
  readonly address: string
  /** The IP address, once the address exists. */
  readonly ip?: string
  readonly domains: readonly string[]
  readonly certificate: string
  /** managed.status of the certificate once it exists (PROVISIONING until DNS points at the IP). */
  readonly certificateStatus?: string
  readonly domainStatus?: Readonly<Record<string, string>>
  readonly httpRedirect: boolean
}

/** `adopt`: a hand-built resource taken over in place (marker written, differing managed fields set; adopt.ts). */
export const CHANGE_ACTIONS = ['create', 'update', 'delete', 'replace', 'adopt'] as const
export type ChangeAction = (typeof CHANGE_ACTIONS)[number]

export interface ResourceAddress {
  readonly kind: ResourceKind
  readonly project: string
  /** Set for regional resources only. */
  readonly region?: string
  readonly name: string
}

/** One rule-level change inside the shared URL map, for display. */
export interface RuleChange {
  readonly action: 'add' | 'remove' | 'change'
  readonly host: string
  /** A path pattern, or "(default)" for a host / URL map default. */
  readonly path: string
  /** Backend service names, before and after. */
  readonly before?: string
  readonly after?: string
  readonly route?: string
}

export interface ResourceChange {
  /** Stable identity: `${kind}/${project}/${region ?? 'global'}/${name}`. */
  readonly key: string
  readonly address: ResourceAddress
  readonly action: ChangeAction
  /** Why, in words (display only). */
  readonly reason: string
  /** Normalised live resource (update, delete, replace). */
  readonly before?: unknown
  /** Desired resource (create, update, replace). For the URL map: the owner's merged map. */
  readonly after?: unknown
  /** Top-level fields that differ (update). */
  readonly fields?: readonly string[]
  /** Routes this resource serves (display). */
  readonly routes?: readonly string[]
  /** For the URL map: the rule-level changes (display). */
  readonly rules?: readonly RuleChange[]
}

export type RouteStatus = 'new' | 'changed' | 'unchanged' | 'removed'

/** One row of the route table in the PR comment. */
export interface RouteSummary {
  readonly name: string
  readonly hosts: readonly string[]
  readonly paths: readonly string[]
  readonly default: boolean
  /** Human description of the target, e.g. "Cloud Run hello (team-a, europe-west1)". */
  readonly target: string
  /** Backend service name and the project it lives in. */
  readonly backend: string
  readonly backendProject: string
  /** Project(s) the traffic finally lands in (for the diagram). */
  readonly targetProject?: string
  /** Network hops from the load balancer to the service (1 = direct; chained LBs add one). */
  readonly hops: number
  readonly rewrite?: string
  /** rewrite.host: the Host header the backend receives (urlRewrite.hostRewrite). */
  readonly hostRewrite?: string
  /** The Host header an internet target is sent with (its hostHeader setting). */
  readonly hostHeader?: string
  /** What kind of target (routes.json `to`), for the hop note; absent on removed routes. */
  readonly kind?: TargetKind
  /** What changed for a changed route, field by field (display only). */
  readonly changes?: readonly RouteFieldChange[]
  readonly status: RouteStatus
}

export type TargetKind = 'cloudRun' | 'serverless' | 'internet' | 'loadBalancer'

/** One thing that changed for a route: its target, a setting, its hosts, paths or rewrites. */
export interface RouteFieldChange {
  /** What changed, in words: "target", "timeout", "CDN", "security policy", "headers", "hosts", "paths", ... */
  readonly field: string
  /** The value before and after, in words; absent when there was none (added) or is none (removed). */
  readonly before?: string
  readonly after?: string
}

export type CheckStatus = 'pass' | 'fail' | 'warn' | 'skip'

export interface PlanCheck {
  readonly name: string
  readonly status: CheckStatus
  readonly detail: string
}

/** Who a request reaches: the owner of its backend ("unmanaged" for rules no lb-routes owner holds). */
export interface TrafficEndpoint {
  /** Owner name from the backend's marker, "unmanaged", or "(none)" when nothing serves the request. */
  readonly owner: string
  /** Backend service (or bucket) reference as written in the map; null when the request gets no backend. */
  readonly backend: string | null
}

/** One class of requests (a probe) whose destination the plan changes (DESIGN.md §4.1). */
export interface TrafficMove {
  readonly host: string
  readonly path: string
  readonly before: TrafficEndpoint
  readonly after: TrafficEndpoint
  /** Set when the move is refused: the holder whose requests would move without their say. */
  readonly conflict?: string
}

/** A plan error as the diagnostics show it (file:line:col), carried in the plan for the comment and JSON. */
export interface PlanError {
  readonly message: string
  readonly file?: string
  readonly line?: number
  readonly column?: number
  readonly route?: string
}

export interface Plan {
  readonly formatVersion: 1
  /** Hash of the owner's intended changes (not fingerprints, not other owners' parts). */
  readonly planId: string
  readonly createdAt: string
  readonly owner: string
  readonly loadBalancer: LoadBalancerRef
  /** Fingerprint of the URL map the plan was computed against (null when the map does not exist yet). */
  readonly urlMapFingerprint: string | null
  readonly changes: readonly ResourceChange[]
  /** Apply order: each wave lists change keys that may run concurrently. */
  readonly waves: readonly (readonly string[])[]
  readonly routes: readonly RouteSummary[]
  readonly warnings: readonly string[]
  readonly checks: readonly PlanCheck[]
  /** The frontend this owner declares (absent when routes.json has no frontend block). */
  readonly frontend?: FrontendSummary
  /** What apply re-merges on a 412 (the owner's desired state). */
  readonly desired: DesiredState
  /** Every request class whose destination this plan changes, own moves included (DESIGN.md §4.1). */
  readonly trafficMoves?: readonly TrafficMove[]
  /** Errors that block apply (same as the diagnostics); absent or empty on an applicable plan. */
  readonly errors?: readonly PlanError[]
  /** Display only: who holds the other backends the merged map references, by backend name ("unmanaged"). */
  readonly holders?: Readonly<Record<string, string>>
}

/** hasChanges tells whether applying the plan would change anything. */
export function hasChanges(plan: Plan): boolean {
  return plan.changes.length > 0
}

/** changeKey builds the stable identity of a resource address. */
export function changeKey(a: ResourceAddress): string {
  return `${a.kind}/${a.project}/${a.region ?? 'global'}/${a.name}`
}

export type StepStatus = 'done' | 'failed' | 'skipped'

/** One executed (or skipped) change during apply. */
export interface ApplyStep {
  readonly key: string
  readonly action: ChangeAction | 'attach' | 'detach' | 'setSecurityPolicy'
  readonly status: StepStatus
  readonly error?: string
  readonly durationMs: number
}

/** What apply did: a value the renderers turn into a PR comment / summary / terminal text. */
export interface ApplyResult {
  readonly planId: string
  readonly owner: string
  readonly loadBalancer: LoadBalancerRef
  /** applied: everything done; no-changes: nothing to do; failed: a step failed (rerun converges); refused: plan changed since review. */
  readonly status: 'applied' | 'no-changes' | 'failed' | 'refused'
  readonly steps: readonly ApplyStep[]
  /** How many times the URL map write was retried after 412 conditionNotMet. */
  readonly urlMapRetries: number
  readonly message?: string
  readonly durationMs: number
  /** The frontend as it stands after apply (IP address, certificate status), when the plan has one. */
  readonly frontend?: FrontendSummary
}
