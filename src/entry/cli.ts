// `lb-routes` executable: wiring only (process → CliIo → runCli → exit code).
import { runCli } from '../shell/cli/run-cli.js'

const controller = new AbortController()
// Long-running commands stop cleanly on a signal; the others keep Node's default (exit at once; an
// interrupted apply converges on the next run).
if (['emulator', 'demo'].includes(process.argv[2] ?? '')) {
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => controller.abort())
}

// google-auth-library probes the GCE metadata server when no credentials are configured and reports the
// failed probe as a Node warning; the CLI says plainly that no credentials were found instead.
process.removeAllListeners('warning')
process.on('warning', (w) => {
  if (w.name !== 'MetadataLookupWarning') process.stderr.write(`warning: ${w.name}: ${w.message}\n`)
})

const code = await runCli(process.argv.slice(2), {
  stdout: (t) => void process.stdout.write(t),
  stderr: (t) => void process.stderr.write(t),
  env: process.env,
  cwd: process.cwd(),
  color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
  now: () => new Date(),
  signal: controller.signal
})
process.exitCode = code
