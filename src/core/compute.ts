// Compute Engine v1 resource shapes, as the REST API sends them. Type-only: the official client is
// never bundled (DESIGN.md §5); its generated definitions are the single source of field names.
import type { protos } from '@google-cloud/compute'

/** A URL map as Compute returns it (fields optional; `null` never appears on the wire). */
export type UrlMap = protos.google.cloud.compute.v1.IUrlMap
export type HostRule = protos.google.cloud.compute.v1.IHostRule
export type PathMatcher = protos.google.cloud.compute.v1.IPathMatcher
export type PathRule = protos.google.cloud.compute.v1.IPathRule
export type HttpRouteRule = protos.google.cloud.compute.v1.IHttpRouteRule
export type HttpRouteAction = protos.google.cloud.compute.v1.IHttpRouteAction
export type HttpRedirectAction = protos.google.cloud.compute.v1.IHttpRedirectAction
export type UrlMapTest = protos.google.cloud.compute.v1.IUrlMapTest
export type TestFailure = protos.google.cloud.compute.v1.ITestFailure
export type UrlMapValidationResult = protos.google.cloud.compute.v1.IUrlMapValidationResult
export type BackendService = protos.google.cloud.compute.v1.IBackendService
export type Backend = protos.google.cloud.compute.v1.IBackend
export type NetworkEndpointGroup = protos.google.cloud.compute.v1.INetworkEndpointGroup
export type NetworkEndpoint = protos.google.cloud.compute.v1.INetworkEndpoint
export type ForwardingRule = protos.google.cloud.compute.v1.IForwardingRule
export type Operation = protos.google.cloud.compute.v1.IOperation
export type TargetHttpProxy = protos.google.cloud.compute.v1.ITargetHttpProxy
export type TargetHttpsProxy = protos.google.cloud.compute.v1.ITargetHttpsProxy
export type SslCertificate = protos.google.cloud.compute.v1.ISslCertificate
export type Address = protos.google.cloud.compute.v1.IAddress

/** Base of every canonical Compute reference (self links are always on www.googleapis.com). */
export const COMPUTE_BASE = 'https://www.googleapis.com/compute/v1/'
