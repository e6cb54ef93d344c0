// In-process CLI runner for tests: captures stdout/stderr, real files, real HTTP.
import type { CliIo } from '../../src/shell/cli/io.js'
import { runCli } from '../../src/shell/cli/run-cli.js'

export interface CliRun {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

/** cli runs `lb-routes ...args` in-process with the given environment and working directory. */
export async function cli(
  args: string[],
  opts: { env?: Record<string, string | undefined>; cwd?: string; now?: Date } = {}
): Promise<CliRun> {
  let stdout = ''
  let stderr = ''
  const io: CliIo = {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    env: opts.env ?? {},
    cwd: opts.cwd ?? process.cwd(),
    color: false,
    now: () => opts.now ?? new Date('2026-11-26T12:00:00Z'),
    // Retries keep their order and count, but no test waits for a rate limit's minute boundary.
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.min(ms, 20)))
  }
  const code = await runCli(args, io)
  return { code, stdout, stderr }
}
