// RoutesConfig: routes.json v1 after parsing and validation (DESIGN.md §2). Everything optional in
// the file is filled in here (hosts default to ["*"], prefix expanded to paths), so later stages
// never look at the raw file again. `at` fields keep source positions for plan-time diagnostics.

/** A position in the routes file (1-based), used to point later diagnostics at the right value. */
export interface SourceRef {
  readonly line: number
  readonly column: number
}

export type LoadBalancingScheme = 'EXTERNAL' | 'EXTERNAL_MANAGED'

export interface LoadBalancerRef {
  readonly project: string
  readonly urlMap: string
  readonly scheme: LoadBalancingScheme
}

/** Cloud Run service reached through a global Internet NEG and a `Host:` override (technique §1.1). */
export type CloudRunTarget =
  | { readonly kind: 'cloudRun'; readonly url: string }
  | { readonly kind: 'cloudRun'; readonly project: string; readonly region: string; readonly service: string }

/** One serverless NEG per region under one backend service (§1.3); cross-project when project ≠ LB project (§1.5). */
export interface ServerlessTarget {
  readonly kind: 'serverless'
  readonly project: string
  readonly service: string
  readonly regions: readonly string[]
}

export type BackendProtocol = 'HTTP' | 'HTTPS' | 'HTTP2'

/** Any internet endpoint by FQDN or IP (global Internet NEG). */
export interface InternetTarget {
  readonly kind: 'internet'
  readonly fqdn?: string
  readonly ip?: string
  readonly port: number
  readonly protocol: BackendProtocol
  readonly hostHeader?: string
}

/** Another load balancer, by domain or by project + global forwarding rule name (§1.4). */
export type LoadBalancerTarget =
  | {
      readonly kind: 'loadBalancer'
      readonly domain: string
      readonly protocol: BackendProtocol
      readonly port: number
    }
  | {
      readonly kind: 'loadBalancer'
      readonly project: string
      readonly forwardingRule: string
      readonly protocol: BackendProtocol
      readonly port: number
    }

export type Target = CloudRunTarget | ServerlessTarget | InternetTarget | LoadBalancerTarget

/** Per-route backend service settings (all optional). */
export interface BackendSettings {
  readonly timeoutSec?: number
  readonly enableCdn?: boolean
  readonly securityPolicy?: string
  readonly logSampleRate?: number
  /** Extra `Name: value` request headers, in addition to a Host override. */
  readonly requestHeaders?: readonly string[]
}

export interface Route {
  readonly name: string
  /** Host patterns as the URL map takes them; defaults to ["*"]. */
  readonly hosts: readonly string[]
  /** URL-map path patterns; `prefix: "/p"` is expanded to ["/p", "/p/*"]. Empty for a default-only route. */
  readonly paths: readonly string[]
  /** The route is the default for its hosts (the URL map default for "*"). */
  readonly default: boolean
  readonly rewrite?: { readonly pathPrefix?: string; readonly host?: string }
  readonly target: Target
  readonly backend: BackendSettings
  readonly at: SourceRef
}

export interface RouteTest {
  readonly host: string
  readonly path: string
  readonly expect: {
    readonly route: string
    readonly path?: string
    readonly host?: string
    /** Statuses the load balancer may answer when verifying after apply (default: any 200–399). */
    readonly status?: readonly number[]
  }
  readonly at: SourceRef
}

/** The load balancer's frontend (address, managed certificate, proxies, forwarding rules), held by one owner. */
export interface Frontend {
  /** Domains of the Google-managed certificate, lowercase, in file order. */
  readonly domains: readonly string[]
  /** Global address name: an existing one (used, never deleted) or one lb-routes creates. */
  readonly address?: string
  /** Port 80 forwarding rule + redirect URL map sending every request to HTTPS. */
  readonly httpRedirect: boolean
  readonly sslPolicy?: string
  readonly at: SourceRef
}

export interface RoutesConfig {
  readonly version: 1
  readonly owner: string
  readonly loadBalancer: LoadBalancerRef
  readonly allowedInternetHosts: readonly string[]
  /**
   * Route every cloudRun target through one shared Internet NEG and backend service, setting the Host
   * per path rule with urlRewrite.hostRewrite (DESIGN.md §3, for quota relief).
   */
  readonly sharedCloudRunBackend: boolean
  readonly routes: readonly Route[]
  readonly tests: readonly RouteTest[]
  /** Where `loadBalancer` is written: plan errors about the shared map as a whole point here. */
  readonly loadBalancerAt?: SourceRef
  /**
   * The frontend this owner manages. Absent: the file says nothing about it (not read, never touched);
   * null: remove the frontend this owner holds.
   */
  readonly frontend?: Frontend | null
}
