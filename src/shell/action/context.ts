// The runner's context, read from its environment as @actions/github's `context` does (without loading
// Octokit before the first Google call), and the tmp-file paths every command writes under it.
import type { ActionContext } from './deps.js'

type Env = Readonly<Record<string, string | undefined>>

/** actionContext reads the event, commit, repository, run and workflow of this job from `env`. */
export function actionContext(env: Env, payload: Record<string, any>, defaultTempDir: string): ActionContext {
  const runUrl =
    env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID
      ? `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`
      : undefined
  const runId = Number(env.GITHUB_RUN_ID)
  return {
    eventName: env.GITHUB_EVENT_NAME ?? '',
    payload,
    sha: env.GITHUB_SHA ?? '',
    repository: env.GITHUB_REPOSITORY ?? '',
    ...(Number.isSafeInteger(runId) && runId > 0 ? { runId } : {}),
    ...(env.GITHUB_WORKFLOW_REF ? { workflowRef: env.GITHUB_WORKFLOW_REF } : {}),
    ...(runUrl ? { runUrl } : {}),
    tempDir: env.RUNNER_TEMP || defaultTempDir,
    oidcAvailable: Boolean(env.ACTIONS_ID_TOKEN_REQUEST_URL && env.ACTIONS_ID_TOKEN_REQUEST_TOKEN)
  }
}

/** tempPath is `name` under the job's temp directory (RUNNER_TEMP). */
export function tempPath(context: ActionContext, name: string): string {
  return `${context.tempDir.replace(/\/$/, '')}/${name}`
}
