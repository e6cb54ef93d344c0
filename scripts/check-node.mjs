// Fails early, with what to do, when npm scripts run on a Node older than 24 (the action's runtime).
// `npm ci` installs Node 24 for the scripts on Linux x64/arm64, macOS x64 and Windows x64 (tools/node24);
// elsewhere (macOS on Apple Silicon, Windows on Arm) the machine's own Node must be 24 or newer.
import { fileURLToPath } from 'node:url'

/** nodeProblem says why this Node cannot run lb-routes' scripts, or returns '' when it can. */
export function nodeProblem(
  version = process.versions.node,
  platform = process.platform,
  arch = process.arch
) {
  const major = Number(version.split('.')[0])
  if (major >= 24) return ''
  return [
    `lb-routes needs Node 24 or newer for its scripts and tests; this is Node ${version} (${platform}-${arch}).`,
    'On Linux x64/arm64, macOS x64 and Windows x64, `npm ci` installs Node 24 as a dev dependency and npm puts it',
    "first on every script's PATH: run the scripts through npm (npm start, npm test, npm run …), not with node directly.",
    'Elsewhere (macOS on Apple Silicon, Windows on Arm) install Node 24 yourself, e.g. `nvm install 24` or',
    '`fnm use` (the repository pins it in .node-version), then run `npm ci` again.'
  ].join('\n')
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const problem = nodeProblem()
  if (problem) {
    process.stderr.write(problem + '\n')
    process.exit(1)
  }
}
