// Everything runAction needs, built from the runner's environment: inputs, context, GitHub, Google. The
// entry point passes @actions/core and the real filesystem; tests pass a recording core, the fake
// GitHub's URL and the emulator's, and run exactly this wiring in-process.
import { ComputeClient } from '../google/compute-client.js'
import { credentialsFromEnv, endpointsFromEnv, workloadIdentityCredentials } from '../google/credentials.js'
import { RunClient } from '../google/run-client.js'
import { octokitGitHubApi } from '../github/github-api.js'
import { octokitIssuesApi } from '../github/issues-api.js'
import type { Logger } from '../logger.js'
import { actionContext } from './context.js'
import type { ActionCore, ActionDeps } from './deps.js'
import { readInputs } from './inputs.js'

type Env = Readonly<Record<string, string | undefined>>

/** What the runner (or a test) provides; the rest is derived from `env` and the action inputs. */
export interface RunnerSeams {
  readonly env: Env
  /** The action input `name` (core.getInput). */
  readonly getInput: (name: string) => string
  /** A GitHub OIDC token for `audience` (core.getIDToken). */
  readonly getIDToken: (audience: string) => Promise<string>
  /** The parsed event payload (GITHUB_EVENT_PATH). */
  readonly payload: Record<string, any>
  readonly core: ActionCore
  readonly logger: Logger
  readonly tempDir: string
  readonly readFile: (path: string) => Promise<Uint8Array>
  readonly writeFile: (path: string, text: string) => Promise<void>
  readonly now: () => Date
}

/** actionDeps wires runAction's collaborators; throws InputError when an input is invalid. */
export function actionDeps(seams: RunnerSeams): ActionDeps {
  const { env } = seams
  const inputs = readInputs(seams.getInput)
  const endpoints = endpointsFromEnv(env)
  const [owner = '', name = ''] = (env.GITHUB_REPOSITORY ?? '').split('/')
  const repo = { owner, repo: name }
  // GITHUB_API_URL (GHES, or a local fake) is also Octokit's default; passing it keeps env the one source.
  const baseUrl = env.GITHUB_API_URL || undefined
  return {
    inputs,
    core: seams.core,
    context: actionContext(env, seams.payload, seams.tempDir),
    github: octokitGitHubApi(inputs.githubToken, repo, baseUrl),
    issues: octokitIssuesApi(inputs.githubToken, repo, baseUrl),
    credentials: () =>
      inputs.workloadIdentityProvider
        ? workloadIdentityCredentials({
            provider: inputs.workloadIdentityProvider,
            ...(inputs.serviceAccount ? { serviceAccount: inputs.serviceAccount } : {}),
            serviceAccountsByProject: inputs.serviceAccounts,
            subjectToken: seams.getIDToken,
            stsEndpoint: endpoints.sts,
            iamCredentialsEndpoint: endpoints.iamCredentials
          })
        : credentialsFromEnv(env),
    clients: (credentials, logger) => ({
      compute: new ComputeClient({ endpoint: endpoints.compute, credentials, logger }),
      run: new RunClient({ endpoint: endpoints.run, credentials, logger })
    }),
    logger: seams.logger,
    readFile: seams.readFile,
    writeFile: seams.writeFile,
    now: seams.now
  }
}
