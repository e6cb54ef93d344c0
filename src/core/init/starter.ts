// What `lb-routes init` writes for a new team: a commented routes.json that validates, and the workflow
// that calls the platform's trusted reusable workflow (DESIGN.md §4.2, §7).

/** Where the schema is published for editors (the tag's raw file; see docs/release.md). */
export const SCHEMA_URL = 'https://raw.githubusercontent.com/lb-routes/lb-routes/v1/schema/routes.schema.json'

/** The platform workflow a team calls unless told otherwise (the platform replaces the org and repo). */
export const DEFAULT_PLATFORM_WORKFLOW = 'platform-org/edge-routes/.github/workflows/routes.yml@main'

/** Owner names follow resource-name rules: they go into generated names and markers. */
export const OWNER_PATTERN = /^[a-z]([-a-z0-9]{0,28}[a-z0-9])?$/

/** starterRoutes is a routes.json for `owner`: one Cloud Run service under /OWNER, with a route test. */
export function starterRoutes(owner: string): string {
  return `// ${owner}'s routes on the shared load balancer. JSONC: comments and trailing commas are fine.
// Check it offline with \`lb-routes validate\`; every problem is reported as file:line:column.
{
  "$schema": "${SCHEMA_URL}",
  "version": 1,
  // Only resources and rules marked "owner=${owner}" are changed by this file. With a platform policy
  // (lb-policy.json), the owner must be the one the platform granted to this repository.
  "owner": "${owner}",
  // The shared load balancer: ask the platform team for its project and URL map name.
  "loadBalancer": { "project": "edge-prod", "urlMap": "edge", "scheme": "EXTERNAL_MANAGED" },
  "routes": [
    {
      // "prefix": "/${owner}" means paths ["/${owner}", "/${owner}/*"]; the rewrite strips it, so the service
      // sees "/x" for "/${owner}/x". Resolved through the Cloud Run Admin API, reached through an Internet NEG.
      "name": "${owner}-web",
      "hosts": ["www.example.com"],
      "prefix": "/${owner}",
      "rewrite": { "pathPrefix": "/" },
      "to": { "cloudRun": { "project": "${owner}-prod", "region": "europe-west1", "service": "web" } }
    }
  ],
  // Checked offline on every plan, and server-side with urlMaps.validate before apply.
  "tests": [
    { "host": "www.example.com", "path": "/${owner}/hello", "expect": { "route": "${owner}-web", "path": "/hello" } }
  ]
}
`
}

/** starterWorkflow is the team's workflow: plan on pull requests, apply on merge, via the platform's workflow. */
export function starterWorkflow(platformWorkflow: string): string {
  return `# Plans routes.json on pull requests (a sticky comment), applies it on merge to the default branch, checks
# for drift on a schedule and rolls an apply back when dispatched with its run id. The platform team's reusable
# workflow holds the load balancer policy and the Google identities; this repository only calls it. Replace
# the \`uses:\` line with your platform's workflow.
name: routes
on:
  pull_request:
    paths: [routes.json]
  push:
    branches: [main]
    paths: [routes.json]
  schedule:
    - cron: '17 6 * * *' # drift: one issue kept open while the live load balancer differs
  workflow_dispatch:
    inputs:
      rollback-run-id:
        description: Id of the apply run to roll back (empty - check for drift)
        default: ''
permissions:
  actions: read # the merge checks the plan comment's run; a rollback downloads the apply's snapshot
  contents: read
  id-token: write
  issues: write # the drift issue
  pull-requests: write
jobs:
  routes:
    uses: ${platformWorkflow}
    with:
      routes-file: routes.json
      rollback-run-id: \${{ inputs.rollback-run-id || '' }}
`
}
