// GitHub Action entry point: wiring only. Real @actions/core, @actions/github, google-auth-library and
// the filesystem go into runAction; one failure sink.
import * as actionsCore from '@actions/core'
import { readFileSync } from 'node:fs'
import { readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { runAction } from '../shell/action/run-action.js'
import { InputError, readInputs } from '../shell/action/inputs.js'
import { ComputeClient } from '../shell/google/compute-client.js'
import {
  credentialsFromEnv,
  endpointsFromEnv,
  workloadIdentityCredentials
} from '../shell/google/credentials.js'
import { RunClient } from '../shell/google/run-client.js'
import { octokitGitHubApi } from '../shell/github/github-api.js'
import { octokitIssuesApi } from '../shell/github/issues-api.js'
import { workflowSafeLog, type Logger } from '../shell/logger.js'

const env = process.env
// Every line the action logs has workflow commands escaped (one helper, shell/logger.ts).
const core = { ...actionsCore, ...workflowSafeLog(actionsCore) }
const logger: Logger = {
  debug: (m) => core.debug(m),
  info: (m) => core.info(m),
  warn: (m) => core.warning(m)
}

try {
  const inputs = readInputs((name) => core.getInput(name))
  const endpoints = endpointsFromEnv(env)
  // The runner's context, read from the environment as @actions/github's `context` does (without loading
  // Octokit before the first Google call).
  const [owner = '', name = ''] = (env.GITHUB_REPOSITORY ?? '').split('/')
  const repo = { owner, repo: name }
  const payload: Record<string, any> = env.GITHUB_EVENT_PATH
    ? JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, 'utf8'))
    : {}
  const runUrl =
    env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID
      ? `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`
      : undefined
  await runAction({
    inputs,
    core: {
      info: (m) => core.info(m),
      warning: (m) => core.warning(m),
      notice: (m) => core.notice(m),
      error: (m, p) => core.error(m, p),
      setOutput: (n, v) => core.setOutput(n, v),
      setSecret: (s) => core.setSecret(s),
      setFailed: (m) => core.setFailed(m),
      writeSummary: async (md) => {
        if (env.GITHUB_STEP_SUMMARY) await core.summary.addRaw(md, true).write()
      }
    },
    context: {
      eventName: env.GITHUB_EVENT_NAME ?? '',
      payload,
      sha: env.GITHUB_SHA ?? '',
      ...(runUrl ? { runUrl } : {}),
      tempDir: env.RUNNER_TEMP || tmpdir(),
      oidcAvailable: Boolean(env.ACTIONS_ID_TOKEN_REQUEST_URL && env.ACTIONS_ID_TOKEN_REQUEST_TOKEN)
    },
    github: octokitGitHubApi(inputs.githubToken, repo),
    issues: octokitIssuesApi(inputs.githubToken, repo),
    credentials: () =>
      inputs.workloadIdentityProvider
        ? workloadIdentityCredentials({
            provider: inputs.workloadIdentityProvider,
            ...(inputs.serviceAccount ? { serviceAccount: inputs.serviceAccount } : {}),
            serviceAccountsByProject: inputs.serviceAccounts,
            subjectToken: (audience) => core.getIDToken(audience),
            stsEndpoint: endpoints.sts,
            iamCredentialsEndpoint: endpoints.iamCredentials
          })
        : credentialsFromEnv(env),
    clients: (credentials) => ({
      compute: new ComputeClient({ endpoint: endpoints.compute, credentials, logger }),
      run: new RunClient({ endpoint: endpoints.run, credentials, logger })
    }),
    readFile: (path) => readFile(path),
    writeFile: (path, text) => writeFile(path, text),
    now: () => new Date()
  })
} catch (err) {
  const message = err instanceof Error ? err.message : String(err)
  core.setFailed(err instanceof InputError ? message : `lb-routes failed: ${message}`)
}
