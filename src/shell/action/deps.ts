// What the action is given (DESIGN.md §9): every collaborator passed in, so runAction runs the same in
// the runner (src/entry/action.ts wires @actions/core, Octokit, Google and the filesystem) and in tests
// (a recording core, the fake GitHub and the emulator, in-process).
import type { ApplyResult, Plan } from '../../core/plan/model.js'
import type { GoogleClients } from '../engine/read-live-state.js'
import type { GitHubApi } from '../github/github-api.js'
import type { IssuesApi } from '../github/issues-api.js'
import type { CredentialSource } from '../google/credentials.js'
import type { Logger } from '../logger.js'
import type { ActionInputs } from './inputs.js'

/** The slice of @actions/core the action uses. */
export interface ActionCore {
  info(msg: string): void
  warning(msg: string): void
  notice(msg: string): void
  error(
    msg: string,
    props?: { title?: string; file?: string; startLine?: number; startColumn?: number }
  ): void
  setOutput(name: string, value: string): void
  setSecret(secret: string): void
  setFailed(msg: string): void
  /** Appends markdown to the job summary (GITHUB_STEP_SUMMARY). */
  writeSummary(markdown: string): Promise<void>
}

/** The run the action is part of, read from the runner's environment by actionContext (context.ts). */
export interface ActionContext {
  readonly eventName: string
  readonly payload: Record<string, any>
  readonly sha: string
  /** owner/name (GITHUB_REPOSITORY). */
  readonly repository: string
  /** GITHUB_RUN_ID: written into the plan comment so a merge can check which run wrote it. */
  readonly runId?: number
  /** GITHUB_WORKFLOW_REF (`owner/repo/.github/workflows/x.yml@ref`): the workflow this run belongs to. */
  readonly workflowRef?: string
  readonly runUrl?: string
  /** Directory for the plan JSON output (RUNNER_TEMP). */
  readonly tempDir: string
  /** True when the runner offers an OIDC token (ACTIONS_ID_TOKEN_REQUEST_URL is set). */
  readonly oidcAvailable: boolean
}

export interface ActionDeps {
  readonly inputs: ActionInputs
  readonly core: ActionCore
  readonly context: ActionContext
  readonly github: GitHubApi
  /** The drift issue tracker (command drift). */
  readonly issues: IssuesApi
  /** Builds credentials: WIF from the inputs, or the environment's (token / ADC). */
  readonly credentials: () => CredentialSource
  /** Google API clients signing with `credentials` and logging to `logger`. */
  readonly clients: (credentials: CredentialSource, logger: Logger) => GoogleClients
  /** Where the Google clients log (the runner's debug log; tests record it). */
  readonly logger: Logger
  readonly readFile: (path: string) => Promise<Uint8Array>
  readonly writeFile: (path: string, text: string) => Promise<void>
  readonly now: () => Date
}

export type ActionCommand = 'plan' | 'apply' | 'drift' | 'rollback'

export interface ActionOutcome {
  readonly command: ActionCommand
  readonly ok: boolean
  readonly plan?: Plan
  readonly result?: ApplyResult
}
