// What a CLI command may touch, passed in so tests run commands in-process with captured output.
import { readFile, writeFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { formatDiagnostic, sortDiagnostics, type Diagnostic } from '../../core/diagnostics.js'
import { ComputeClient } from '../google/compute-client.js'
import { credentialsFromEnv, endpointsFromEnv } from '../google/credentials.js'
import { RunClient } from '../google/run-client.js'
import { terminalText } from '../../core/render/escape.js'
import { ConsoleLogger, type Logger } from '../logger.js'
import type { GoogleClients } from '../engine/read-live-state.js'
import { errorMessage } from '../../core/error-message.js'

export interface CliIo {
  readonly stdout: (text: string) => void
  readonly stderr: (text: string) => void
  readonly env: Readonly<Record<string, string | undefined>>
  readonly cwd: string
  /** Colour the terminal output (stdout is a TTY and NO_COLOR is unset). */
  readonly color: boolean
  readonly now: () => Date
  /** Ends long-running commands (emulator) cleanly. */
  readonly signal?: AbortSignal
  /** Waits between API retries (a rate limit waits for the next minute); tests shorten it. */
  readonly sleep?: (ms: number) => Promise<void>
}

/** A user error: printed as one line, exit 1, never a stack trace. */
export class UsageError extends Error {}

/** readUserFile reads a file relative to the working directory, turning ENOENT into a clear error. */
export async function readUserFile(io: CliIo, file: string, flag: string): Promise<Uint8Array> {
  try {
    return await readFile(resolve(io.cwd, file))
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'ENOENT') throw new UsageError(`${file}: no such file; pass the right path with ${flag}`)
    if (code === 'EISDIR') throw new UsageError(`${file}: is a directory; pass a file with ${flag}`)
    throw new UsageError(`${file}: cannot read: ${errorMessage(err)}`)
  }
}

/** writeUserFile writes an output file relative to the working directory. */
export async function writeUserFile(io: CliIo, file: string, text: string): Promise<void> {
  await writeFile(resolve(io.cwd, file), text)
}

/** printDiagnostics writes every diagnostic to stderr, sorted, one per line. */
export function printDiagnostics(io: CliIo, diagnostics: readonly Diagnostic[]): void {
  // Messages quote the user's input: terminal escapes in it are stripped, not echoed (issue 12).
  for (const d of sortDiagnostics(diagnostics)) io.stderr(terminalText(formatDiagnostic(d)) + '\n')
}

/** loggerFor logs progress to stderr (debug with LB_ROUTES_DEBUG=1). */
export function loggerFor(io: CliIo): Logger {
  return new ConsoleLogger({
    verbose: io.env.LB_ROUTES_DEBUG === '1',
    write: (line) => io.stderr(terminalText(line) + '\n')
  })
}

/** clientsFromEnv builds the Compute and Cloud Run clients from the Terraform-style environment (DESIGN.md §7). */
export function clientsFromEnv(io: CliIo, logger: Logger): GoogleClients {
  const endpoints = endpointsFromEnv(io.env)
  const credentials = credentialsFromEnv(io.env)
  const retry = io.sleep ? { retry: { sleep: io.sleep } } : {}
  return {
    compute: new ComputeClient({ endpoint: endpoints.compute, credentials, logger, ...retry }),
    run: new RunClient({ endpoint: endpoints.run, credentials, logger, ...retry })
  }
}

/** splitList parses a comma- or space-separated flag value. */
export function splitList(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined
  return value
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean)
}
