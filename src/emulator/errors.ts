// Error values and the three wire shapes the emulated APIs use: Compute's apiary body without `status`
// (gce-api.md §1.6), AIP-193 bodies with `status` (Cloud Run v2, IAM Credentials; §10.1) and OAuth 2.0
// bodies (STS).

/** An API error in Compute terms: HTTP status, lowerCamel `reason` and message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string
  ) {
    super(message)
    this.name = 'ApiError'
  }
}

/** An OAuth 2.0 token-endpoint error (RFC 6749 §5.2), as STS sends it. */
export class OAuthError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly description: string
  ) {
    super(description)
    this.name = 'OAuthError'
  }
}

/** notFound: 404 for a missing resource, `path` relative (`projects/p/global/urlMaps/x`). */
export const notFound = (path: string): ApiError =>
  new ApiError(404, 'notFound', `The resource '${path}' was not found`)

/** alreadyExists: 409 on inserting a taken name. */
export const alreadyExists = (path: string): ApiError =>
  new ApiError(409, 'alreadyExists', `The resource '${path}' already exists`)

/** invalid: 400 in Compute's "Invalid value for field" form (gce-api.md §1.6). */
export const invalid = (field: string, value: unknown, why: string): ApiError =>
  new ApiError(400, 'invalid', `Invalid value for field '${field}': '${display(value)}'. ${why}`)

/** required: 400 for a missing field, e.g. "Required field 'resource.fingerprint' not specified". */
export const required = (field: string): ApiError =>
  new ApiError(400, 'required', `Required field '${field}' not specified`)

/** conditionNotMet: 412 for a stale fingerprint (exact text unverified, gce-api.md §5.3). */
export const conditionNotMet = (): ApiError =>
  new ApiError(412, 'conditionNotMet', 'Supplied fingerprint does not match current fingerprint.')

/** inUse: 400 when deleting a resource another one references (gce-api.md §1.6, §5.4). */
export const inUse = (type: string, path: string, user: string): ApiError =>
  new ApiError(
    400,
    'resourceInUseByAnotherResource',
    `The ${type} resource '${path}' is already being used by '${user}'`
  )

/** forbidden: 403 when the caller's identity may not touch the project. */
export const forbidden = (permission: string, resource: string): ApiError =>
  new ApiError(403, 'forbidden', `Required '${permission}' permission for '${resource}'`)

/** parseError: 400 for a body that is not JSON or not an object. */
export const parseError = (detail: string): ApiError =>
  new ApiError(400, 'parseError', `Invalid JSON payload received. ${detail}`)

function display(value: unknown): string {
  if (value === undefined || value === null) return ''
  return typeof value === 'string' ? value : JSON.stringify(value)
}

/** computeErrorBody renders the Compute error body; no `status`, so clients map by HTTP code (§1.6). */
export function computeErrorBody(e: ApiError): unknown {
  return {
    error: {
      code: e.status,
      message: e.message,
      errors: [{ message: e.message, domain: 'global', reason: e.reason }]
    }
  }
}

const GRPC_STATUS: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  405: 'UNIMPLEMENTED',
  409: 'ALREADY_EXISTS',
  412: 'FAILED_PRECONDITION',
  413: 'INVALID_ARGUMENT',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE'
}

/** googleErrorBody renders an AIP-193 body (Cloud Run v2, IAM Credentials) with a gRPC `status` name. */
export function googleErrorBody(status: number, message: string): unknown {
  return {
    error: {
      code: status,
      message,
      status: GRPC_STATUS[status] ?? (status >= 500 ? 'INTERNAL' : 'FAILED_PRECONDITION')
    }
  }
}

/** The UPPER_SNAKE codes a failed Operation carries, and the HTTP status it reports (gce-api.md §2.1). */
export const OPERATION_ERRORS: Record<string, { status: number; text: string; message: string }> = {
  QUOTA_EXCEEDED: {
    status: 403,
    text: 'FORBIDDEN',
    message: "Quota 'BACKEND_SERVICES' exceeded.  Limit: 0.0 globally."
  },
  RESOURCE_NOT_READY: { status: 400, text: 'BAD REQUEST', message: 'The resource is not ready' },
  RESOURCE_IN_USE_BY_ANOTHER_RESOURCE: {
    status: 400,
    text: 'BAD REQUEST',
    message: 'The resource is already being used by another resource'
  },
  RESOURCE_NOT_FOUND: { status: 404, text: 'NOT FOUND', message: 'The resource was not found' },
  RESOURCE_ALREADY_EXISTS: { status: 409, text: 'CONFLICT', message: 'The resource already exists' },
  CONDITION_NOT_MET: {
    status: 412,
    text: 'PRECONDITION FAILED',
    message: 'Supplied fingerprint does not match'
  },
  INTERNAL_ERROR: { status: 500, text: 'INTERNAL SERVER ERROR', message: 'Internal error. Please try again.' }
}
