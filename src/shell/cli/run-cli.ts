// Command dispatch for `lb-routes`; every command takes (args, io) and returns an exit code.
import { emulatorCommand } from '../../emulator/command.js'
import { didYouMean } from '../../core/routes/suggest.js'
import { terminalText } from '../../core/render/escape.js'
import { demoCommand } from './demo.js'
import { driftCommand } from './drift.js'
import { explainCommand } from './explain.js'
import { exportCommand } from './export.js'
import { initCommand } from './init.js'
import { UsageError, type CliIo } from './io.js'
import { adoptCommand, applyCommand, planCommand } from './plan.js'
import { rollbackCommand } from './rollback.js'
import { validateCommand } from './validate.js'
import { verifyCommand } from './verify.js'
import { errorMessage } from '../../core/error-message.js'

export const MAIN_HELP = `lb-routes — many teams' routes in one shared Google Cloud HTTPS load balancer, safely.

Usage: lb-routes <command> [options]

Commands:
  init       write a starter routes.json and the team's workflow
  validate   check a routes.json offline (schema, rules, route tests)
  explain    show where a request goes (from a routes.json or a URL map JSON)
  plan       diff routes.json against the live load balancer (exit 0 none, 2 changes, 1 error)
  apply      apply the plan: NEGs → backend services → URL map → deletions
  adopt      apply, taking over matching hand-built NEGs and backend services in place
  export     write a routes.json describing what a live load balancer routes
  verify     send every route test through the load balancer until each answers
  rollback   put back what one apply changed, from the snapshot it saved (apply --snapshot)
  drift      compare live state with routes.json; keep a GitHub issue open while they differ
  emulator   run the bundled Google API emulator (Compute, Cloud Run, STS, IAM Credentials)
  demo       zero-setup tour: emulator + plan + PR comment + apply + plan again

Run lb-routes <command> --help for the options of each.
`

const COMMANDS: Record<string, (args: string[], io: CliIo) => Promise<number>> = {
  init: initCommand,
  validate: validateCommand,
  explain: explainCommand,
  plan: planCommand,
  apply: applyCommand,
  adopt: adoptCommand,
  export: exportCommand,
  verify: verifyCommand,
  drift: driftCommand,
  emulator: (args, io) =>
    emulatorCommand(args, {
      stdout: io.stdout,
      stderr: io.stderr,
      ...(io.signal ? { signal: io.signal } : {})
    }),
  demo: demoCommand,
  rollback: rollbackCommand
}

/** runCli runs one command; user errors become one stderr line and exit 1, never a stack trace. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...args] = argv
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    io.stdout(MAIN_HELP)
    return command ? 0 : 1
  }
  if (command === '--version' || command === 'version') {
    io.stdout('lb-routes 0.1.0\n')
    return 0
  }
  const run = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined
  if (!run) {
    io.stderr(
      `lb-routes: unknown command "${terminalText(command)}"${didYouMean(command, Object.keys(COMMANDS))}; commands: ${Object.keys(COMMANDS).join(', ')} (see lb-routes --help)\n`
    )
    return 1
  }
  try {
    return await run(args, io)
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`error: ${terminalText(err.message)}\n`)
      return 1
    }
    const message = errorMessage(err)
    io.stderr(`error: lb-routes ${command} failed: ${terminalText(message)}\n`)
    if (io.env.LB_ROUTES_DEBUG === '1' && err instanceof Error && err.stack) io.stderr(err.stack + '\n')
    return 1
  }
}
