#!/usr/bin/env bash
# Google-side enforcement for lb-routes (DESIGN.md §4.2): who may get which token is decided here, by
# Google, not by anything a team repository controls. Run it once as someone who may administer IAM on
# the load balancer's project, after editing the variables below. Each step is idempotent enough to
# re-run (a "already exists" error on a create means that step is done). Read README.md next to it for
# why each grant exists.
set -euo pipefail

# --- EDIT THESE -------------------------------------------------------------------------------------
LB_PROJECT="edge-prod"                     # project of the shared URL map, backend services and NEGs
TEAM_PROJECTS=("team-a")                   # projects of serverless / cross-project targets (lb-policy.json "projects")
GITHUB_ORG_ID="123456"                     # numeric id of the GitHub organisation: gh api orgs/platform-org --jq .id
PLATFORM_REPO="platform-org/edge-routes"   # the repository holding routes.yml and lb-policy.json
TRUSTED_WORKFLOW="${PLATFORM_REPO}/.github/workflows/routes.yml@refs/heads/main"  # = trustedWorkflows
DEFAULT_BRANCH="main"                      # the team repositories' default branch (applies happen on it)
APPLY_ENVIRONMENT="lb-routes-apply"        # the environment of the apply job in routes.yml
POOL="lb-routes"
PROVIDER="github"
PLAN_SA_NAME="lb-routes-plan"
APPLY_SA_NAME="lb-routes-apply"
# -----------------------------------------------------------------------------------------------------

PROJECT_NUMBER="$(gcloud projects describe "$LB_PROJECT" --format='value(projectNumber)')"
POOL_ID="projects/${PROJECT_NUMBER}/locations/global/workloadIdentityPools/${POOL}"
PLAN_SA="${PLAN_SA_NAME}@${LB_PROJECT}.iam.gserviceaccount.com"
APPLY_SA="${APPLY_SA_NAME}@${LB_PROJECT}.iam.gserviceaccount.com"

# 1. APIs: Compute (load balancer), Cloud Run (targets), STS (token exchange), IAM Credentials
#    (service account impersonation), IAM (pools, providers, service accounts, roles).
gcloud services enable compute.googleapis.com run.googleapis.com sts.googleapis.com \
  iamcredentials.googleapis.com iam.googleapis.com --project "$LB_PROJECT"

# 2. The workload identity pool and the GitHub provider. The mapping exposes the claims the bindings
#    below and the policy check use; the condition lets Google exchange only tokens of the trusted
#    workflow, run by a repository of this GitHub organisation (the id, which a renamed or re-created
#    organisation cannot take over). Any other workflow gets "unauthorized_client".
gcloud iam workload-identity-pools create "$POOL" --project "$LB_PROJECT" --location global \
  --display-name "lb-routes"
gcloud iam workload-identity-pools providers create-oidc "$PROVIDER" --project "$LB_PROJECT" \
  --location global --workload-identity-pool "$POOL" \
  --issuer-uri "https://token.actions.githubusercontent.com" \
  --attribute-mapping "$(printf '%s,' \
    'google.subject=assertion.sub' \
    'attribute.repository=assertion.repository' \
    'attribute.repository_owner_id=assertion.repository_owner_id' \
    'attribute.job_workflow_ref=assertion.job_workflow_ref' \
    'attribute.ref=assertion.ref' \
    'attribute.event_name=assertion.event_name' \
    'attribute.environment=assertion.environment' \
    "attribute.apply=(assertion.event_name == 'push' || assertion.event_name == 'workflow_dispatch') && assertion.ref == 'refs/heads/${DEFAULT_BRANCH}' && assertion.environment == '${APPLY_ENVIRONMENT}' ? 'yes' : 'no'" \
    | sed 's/,$//')" \
  --attribute-condition "assertion.job_workflow_ref == '${TRUSTED_WORKFLOW}' && assertion.repository_owner_id == '${GITHUB_ORG_ID}'"

# 3. Two service accounts: one that can only read (plans on pull requests), one that can write (applies).
gcloud iam service-accounts create "$PLAN_SA_NAME" --project "$LB_PROJECT" \
  --display-name "lb-routes plan (read-only)"
gcloud iam service-accounts create "$APPLY_SA_NAME" --project "$LB_PROJECT" \
  --display-name "lb-routes apply"

# 4. Who may impersonate them (roles/iam.workloadIdentityUser on the account itself):
#    - plan: any token the provider accepted, i.e. the trusted workflow on any event;
#    - apply: only a push (apply) or a dispatch (rollback) on the default branch in the apply environment
#      (the mapped "apply" attribute).
gcloud iam service-accounts add-iam-policy-binding "$PLAN_SA" --project "$LB_PROJECT" \
  --role roles/iam.workloadIdentityUser \
  --member "principalSet://iam.googleapis.com/${POOL_ID}/attribute.job_workflow_ref/${TRUSTED_WORKFLOW}"
gcloud iam service-accounts add-iam-policy-binding "$APPLY_SA" --project "$LB_PROJECT" \
  --role roles/iam.workloadIdentityUser \
  --member "principalSet://iam.googleapis.com/${POOL_ID}/attribute.apply/yes"

# 5. A custom role with the one permission plans need beyond reading: urlMaps.validate (the server-side
#    check of the merged map; it never changes anything).
gcloud iam roles create lbRoutesValidate --project "$LB_PROJECT" \
  --title "lb-routes validate" --permissions compute.urlMaps.validate

# 6. A custom role for applies, narrower than roles/compute.loadBalancerAdmin: URL map update (no create
#    or delete of the shared map), backend services and NEGs (create, update, delete, attach endpoints),
#    security policies by reference, forwarding rules read (to resolve loadBalancer targets), operations.
gcloud iam roles create lbRoutesApply --project "$LB_PROJECT" --title "lb-routes apply" \
  --permissions "$(printf '%s,' \
    compute.urlMaps.get compute.urlMaps.list compute.urlMaps.update compute.urlMaps.use compute.urlMaps.validate \
    compute.backendServices.create compute.backendServices.delete compute.backendServices.get \
    compute.backendServices.list compute.backendServices.update compute.backendServices.use \
    compute.backendServices.setSecurityPolicy compute.securityPolicies.use \
    compute.globalNetworkEndpointGroups.create compute.globalNetworkEndpointGroups.delete \
    compute.globalNetworkEndpointGroups.get compute.globalNetworkEndpointGroups.list \
    compute.globalNetworkEndpointGroups.use compute.globalNetworkEndpointGroups.attachNetworkEndpoints \
    compute.globalNetworkEndpointGroups.detachNetworkEndpoints \
    compute.regionNetworkEndpointGroups.create compute.regionNetworkEndpointGroups.delete \
    compute.regionNetworkEndpointGroups.get compute.regionNetworkEndpointGroups.list \
    compute.regionNetworkEndpointGroups.use \
    compute.globalForwardingRules.get compute.globalForwardingRules.list \
    compute.globalOperations.get compute.regionOperations.get \
    | sed 's/,$//')"

# 7. Grants on the load balancer's project.
#    plan: read everything (compute.viewer), read Cloud Run services and their IAM (run.viewer), validate.
for role in roles/compute.viewer roles/run.viewer "projects/${LB_PROJECT}/roles/lbRoutesValidate"; do
  gcloud projects add-iam-policy-binding "$LB_PROJECT" --member "serviceAccount:${PLAN_SA}" \
    --role "$role" --condition None
done
#    apply: the custom apply role, and reading Cloud Run (the preflight before writing).
for role in "projects/${LB_PROJECT}/roles/lbRoutesApply" roles/run.viewer; do
  gcloud projects add-iam-policy-binding "$LB_PROJECT" --member "serviceAccount:${APPLY_SA}" \
    --role "$role" --condition None
done

# 8. Grants on each team project (targets named by project in lb-policy.json):
#    - both accounts read Cloud Run services (resolve URLs, preflight ingress and invoker) and Compute;
#    - apply creates the serverless NEGs and backend services of cross-project targets there, and
#      roles/compute.loadBalancerServiceUser lets the shared URL map reference those backend services.
#    (The team project needs the same custom apply role; create it there, or at organisation level.)
for project in "${TEAM_PROJECTS[@]}"; do
  gcloud iam roles create lbRoutesApply --project "$project" --title "lb-routes apply" \
    --permissions "$(gcloud iam roles describe lbRoutesApply --project "$LB_PROJECT" \
      --format='value(includedPermissions)' | tr ';' ',')" || true
  for sa in "$PLAN_SA" "$APPLY_SA"; do
    for role in roles/run.viewer roles/compute.viewer; do
      gcloud projects add-iam-policy-binding "$project" --member "serviceAccount:${sa}" \
        --role "$role" --condition None
    done
  done
  for role in "projects/${project}/roles/lbRoutesApply" roles/compute.loadBalancerServiceUser; do
    gcloud projects add-iam-policy-binding "$project" --member "serviceAccount:${APPLY_SA}" \
      --role "$role" --condition None
  done
done

echo "Done. Put these into .github/workflows/routes.yml (env):"
echo "  LB_PROVIDER: ${POOL_ID}/providers/${PROVIDER}"
echo "  LB_PLAN_SA:  ${PLAN_SA}"
echo "  LB_APPLY_SA: ${APPLY_SA}"
echo "and ${TRUSTED_WORKFLOW} into lb-policy.json trustedWorkflows."
