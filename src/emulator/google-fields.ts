// Hand-written field table (notation in field-table.ts) for the non-Compute methods the emulator serves.
// No installed package ships these definitions (@google-cloud/run is not a dependency; google-gax carries
// only google.iam.v1), so they are copied from Google's REST references, limited to what the emulator
// serves and returns:
// - Cloud Run Admin API v2, https://cloud.google.com/run/docs/reference/rest/v2/projects.locations.services
//   (`Service`, `Condition`, `ListServicesResponse`; getIamPolicy's `Policy` from google/iam/v1/policy.proto)
// - Security Token Service v1, https://cloud.google.com/iam/docs/reference/sts/rest/v1/TopLevel/token
// - IAM Service Account Credentials v1,
//   https://cloud.google.com/iam/docs/reference/credentials/rest/v1/projects.serviceAccounts/generateAccessToken
// Methods are keyed by the emulator's API method names (the request log's `api`). Service parts the
// emulator never returns (template, traffic, scaling, ...) are `any`.
import type { RawFieldTable } from './field-table.js'

/** GOOGLE_APIS: Cloud Run v2 services (read-only), STS token exchange and generateAccessToken. */
export const GOOGLE_APIS: RawFieldTable = {
  source: 'Cloud Run Admin v2, STS v1 and IAM Credentials v1 REST references (hand-written)',
  package: 'google.cloud.run.v2',
  methods: {
    'run.services.get': {
      http: 'GET /v2/{name=projects/*/locations/*/services/*}',
      response: 'Service'
    },
    'run.services.list': {
      http: 'GET /v2/{parent=projects/*/locations/*}/services',
      query: { pageSize: 'int32', pageToken: 'string', showDeleted: 'bool' },
      response: 'ListServicesResponse'
    },
    'run.services.getIamPolicy': {
      http: 'GET /v2/{resource=projects/*/locations/*/services/*}:getIamPolicy',
      query: { 'options.requestedPolicyVersion': 'int32' },
      response: 'Policy'
    },
    'sts.token': {
      http: 'POST /v1/token',
      body: 'ExchangeTokenRequest',
      response: 'ExchangeTokenResponse'
    },
    'iamcredentials.generateAccessToken': {
      http: 'POST /v1/{name=projects/*/serviceAccounts/*}:generateAccessToken',
      body: 'GenerateAccessTokenRequest',
      response: 'GenerateAccessTokenResponse'
    }
  },
  messages: {
    Service: {
      name: 'string',
      description: 'string',
      uid: 'string out',
      generation: 'int64 out',
      labels: 'string{}',
      annotations: 'string{}',
      createTime: 'timestamp out',
      updateTime: 'timestamp out',
      deleteTime: 'timestamp out',
      expireTime: 'timestamp out',
      creator: 'string out',
      lastModifier: 'string out',
      client: 'string',
      clientVersion: 'string',
      ingress: 'enum:IngressTraffic',
      launchStage: 'enum:LaunchStage',
      binaryAuthorization: 'any',
      template: 'any',
      traffic: 'any[]',
      scaling: 'any',
      invokerIamDisabled: 'bool',
      defaultUriDisabled: 'bool',
      urls: 'string[] out',
      iapEnabled: 'bool',
      multiRegionSettings: 'any',
      customAudiences: 'string[]',
      observedGeneration: 'int64 out',
      terminalCondition: 'Condition out',
      conditions: 'Condition[] out',
      latestReadyRevision: 'string out',
      latestCreatedRevision: 'string out',
      trafficStatuses: 'any[] out',
      uri: 'string out',
      satisfiesPzs: 'bool out',
      threatDetectionEnabled: 'bool out',
      buildConfig: 'any',
      reconciling: 'bool out',
      etag: 'string out'
    },
    Condition: {
      type: 'string',
      state: 'enum:Condition.State',
      message: 'string',
      lastTransitionTime: 'timestamp',
      severity: 'enum:Condition.Severity',
      reason: 'string',
      revisionReason: 'string',
      executionReason: 'string'
    },
    ListServicesResponse: { services: 'Service[]', nextPageToken: 'string', unreachable: 'string[]' },
    Policy: { version: 'int32', bindings: 'Binding[]', auditConfigs: 'any[]', etag: 'bytes' },
    Binding: { role: 'string', members: 'string[]', condition: 'any' },
    ExchangeTokenRequest: {
      grantType: 'string',
      audience: 'string',
      scope: 'string',
      requestedTokenType: 'string',
      subjectToken: 'string',
      subjectTokenType: 'string',
      options: 'string'
    },
    ExchangeTokenResponse: {
      accessToken: 'string',
      issuedTokenType: 'string',
      tokenType: 'string',
      expiresIn: 'int32'
    },
    GenerateAccessTokenRequest: { delegates: 'string[]', scope: 'string[]', lifetime: 'duration' },
    GenerateAccessTokenResponse: { accessToken: 'string', expireTime: 'timestamp' }
  },
  enums: {
    IngressTraffic: [
      'INGRESS_TRAFFIC_UNSPECIFIED',
      'INGRESS_TRAFFIC_ALL',
      'INGRESS_TRAFFIC_INTERNAL_ONLY',
      'INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER',
      'INGRESS_TRAFFIC_NONE'
    ],
    LaunchStage: [
      'LAUNCH_STAGE_UNSPECIFIED',
      'UNIMPLEMENTED',
      'PRELAUNCH',
      'EARLY_ACCESS',
      'ALPHA',
      'BETA',
      'GA',
      'DEPRECATED'
    ],
    'Condition.State': [
      'STATE_UNSPECIFIED',
      'CONDITION_PENDING',
      'CONDITION_RECONCILING',
      'CONDITION_FAILED',
      'CONDITION_SUCCEEDED'
    ],
    'Condition.Severity': ['SEVERITY_UNSPECIFIED', 'ERROR', 'WARNING', 'INFO']
  }
}
