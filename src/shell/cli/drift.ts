// `lb-routes drift`: does the live load balancer still match routes.json? With a GitHub token and a
// repository it also keeps one issue open while they differ and closes it once they match again.
import {
  driftIssueLine,
  renderDriftJson,
  renderDriftSummary,
  renderDriftText,
  type DriftIssueOutcome
} from '../../core/render/drift.js'
import { checkDrift, syncDriftIssue } from '../engine/drift-routes.js'
import { octokitIssuesApi } from '../github/issues-api.js'
import { parseFlags } from './args.js'
import { loggerFor, printDiagnostics, UsageError, writeUserFile, type CliIo } from './io.js'
import { engineInput, ENV_HELP } from './plan.js'
import { errorMessage } from '../../core/error-message.js'

export const DRIFT_HELP = `Usage: lb-routes drift [--routes FILE] [--repo OWNER/REPO] [--json]

Plans routes.json against the live load balancer, as lb-routes plan does, and reports drift: changes
someone made by hand (a backend setting, a deleted NEG or path rule) that apply would undo, and errors
the live state now causes (another owner claims one of your hosts, a Cloud Run service is gone).

With GITHUB_TOKEN set and a repository (--repo, or GITHUB_REPOSITORY), it keeps one GitHub issue per
owner and URL map: opened while drifting, edited in place only when the drift changes, closed with a
comment once live state matches again (a later drift opens a new issue). Without a token it only reports.

Options:
  --routes FILE                   routes file (default ./routes.json)
  --repo OWNER/REPO               repository for the drift issue (default $GITHUB_REPOSITORY)
  --author LOGIN                  whose issues count as ours (default: the token's user, or
                                  github-actions[bot] for an Actions token)
  --json                          print the result as JSON
  --markdown FILE                 write the report as markdown to FILE (what the issue body says)
  --allowed-internet-hosts LIST   the load balancer owner's policy for internet targets
  -h, --help                      show this help

Exit status: 0 no drift, 2 drift (issue opened or kept up to date), 1 error.

GitHub:
  GITHUB_TOKEN                         token that may write issues (issues: write)
  GITHUB_API_URL                       API base (default https://api.github.com; GHES: https://HOST/api/v3)

${ENV_HELP}`

const REPO = /^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/

/** driftCommand runs `lb-routes drift`. */
export async function driftCommand(args: string[], io: CliIo): Promise<number> {
  const flags = parseFlags('drift', args, {
    routes: { type: 'string' },
    repo: { type: 'string' },
    author: { type: 'string' },
    json: { type: 'boolean' },
    markdown: { type: 'string' },
    'allowed-internet-hosts': { type: 'string' }
  })
  if (flags.help) {
    io.stdout(DRIFT_HELP)
    return 0
  }
  const repoName = flags.repo ?? io.env.GITHUB_REPOSITORY
  if (repoName !== undefined && !REPO.test(repoName))
    throw new UsageError(`--repo ${repoName}: expected OWNER/REPO, e.g. octo-org/edge-routes`)
  const token = io.env.GITHUB_TOKEN
  const file = flags.routes ?? 'routes.json'
  const logger = loggerFor(io)
  const engine = await engineInput(io, file, flags['allowed-internet-hosts'], logger)
  const result = engine.input ? await checkDrift(engine.input) : undefined
  printDiagnostics(io, [...engine.diagnostics, ...(result?.diagnostics ?? [])])
  const drift = result?.drift
  if (!drift) return 1

  if (flags.markdown) await writeUserFile(io, flags.markdown, renderDriftSummary(drift, undefined))
  let issue: DriftIssueOutcome | undefined
  if (!token || !repoName) {
    io.stderr(
      `note: ${!token ? 'GITHUB_TOKEN is not set' : 'no --repo and no GITHUB_REPOSITORY'}: reporting only, no issue\n`
    )
  } else {
    const [owner = '', repo = ''] = repoName.split('/')
    const api = octokitIssuesApi(token, { owner, repo }, io.env.GITHUB_API_URL || 'https://api.github.com')
    try {
      const author = flags.author ?? (await api.tokenLogin()) ?? 'github-actions[bot]'
      const runUrl =
        io.env.GITHUB_SERVER_URL && io.env.GITHUB_REPOSITORY && io.env.GITHUB_RUN_ID
          ? `${io.env.GITHUB_SERVER_URL}/${io.env.GITHUB_REPOSITORY}/actions/runs/${io.env.GITHUB_RUN_ID}`
          : undefined
      issue = await syncDriftIssue(api, drift, { author, now: io.now(), ...(runUrl ? { runUrl } : {}) })
    } catch (err) {
      throw new UsageError(
        `could not update the drift issue in ${repoName}: ${errorMessage(err)} (the token needs issues: write on the repository)`
      )
    }
  }
  if (flags.json) io.stdout(renderDriftJson(drift, issue))
  else {
    io.stdout(renderDriftText(drift, { color: io.color }))
    if (issue) io.stdout(`\n${driftIssueLine(issue)}\n`)
  }
  return drift.inSync ? 0 : 2
}
