// DesiredState: what one owner wants to exist (DESIGN.md §3), computed purely from RoutesConfig.
import type { BackendService, HttpRouteAction, NetworkEndpoint, NetworkEndpointGroup } from '../compute.js'
import type { LoadBalancerRef } from '../routes/model.js'
import type { DesiredFrontend } from './frontend.js'

/** A NEG the owner wants: global (Internet) when region is undefined, regional (serverless) otherwise. */
export interface DesiredNeg {
  readonly project: string
  readonly region?: string
  readonly name: string
  /** The insert body (name, description with marker, networkEndpointType, defaultPort / cloudRun). */
  readonly resource: NetworkEndpointGroup
  /** The single endpoint of a global Internet NEG (attached after insert). */
  readonly endpoint?: NetworkEndpoint
  /** Routes served through this NEG (display). */
  readonly routes: readonly string[]
}

/** A global backend service the owner wants (in the LB project, or the target project when cross-project). */
export interface DesiredBackendService {
  readonly project: string
  readonly name: string
  /** The insert/update body; `backends[].group` are full NEG URLs; description carries the marker. */
  readonly resource: BackendService
  /** Security policy attached with setSecurityPolicy (not part of insert/update bodies). */
  readonly securityPolicy?: string
  readonly routes: readonly string[]
}

/** One path rule of the owner's part of the URL map. */
export interface DesiredPathRule {
  readonly paths: readonly string[]
  /** Full backend service URL. */
  readonly service: string
  readonly routeAction?: HttpRouteAction
  readonly route: string
}

/** The owner's rules for one host pattern (each host sits in exactly one host rule of the map). */
export interface DesiredHost {
  readonly host: string
  /** Full backend service URL of the route declared `default: true` for this host. */
  readonly defaultService?: string
  readonly defaultRoute?: string
  readonly pathRules: readonly DesiredPathRule[]
}

/** The owner's part of the shared URL map; everything else in the map belongs to others. */
export interface OwnerRules {
  /** URL map defaultService, when a route is `default: true` for host "*". */
  readonly defaultService?: string
  readonly defaultRoute?: string
  /** Hosts other than "*" with their path rules and defaults, plus "*" for its path rules. */
  readonly hosts: readonly DesiredHost[]
}

export interface DesiredState {
  readonly owner: string
  readonly loadBalancer: LoadBalancerRef
  readonly negs: readonly DesiredNeg[]
  readonly backendServices: readonly DesiredBackendService[]
  readonly rules: OwnerRules
  /** Full backend service URL each route is sent to. */
  readonly routeServices: Readonly<Record<string, string>>
  /** The frontend (frontend.ts): absent when routes.json says nothing about it, null to remove it. */
  readonly frontend?: DesiredFrontend | null
}
