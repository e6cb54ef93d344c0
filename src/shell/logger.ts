// The shell's only logging seam: every client takes a Logger, tests pass NullLogger.

/** Logger receives one line per call; it never throws and never sees a secret. */
export interface Logger {
  debug(msg: string): void
  info(msg: string): void
  warn(msg: string): void
}

/** NullLogger drops everything (tests, library use). */
export class NullLogger implements Logger {
  debug(_msg: string): void {}
  info(_msg: string): void {}
  warn(_msg: string): void {}
}

/** Parameters of ConsoleLogger; `write` defaults to process.stderr (stdout stays for machine output). */
export interface ConsoleLoggerParameters {
  readonly verbose?: boolean
  readonly write?: (line: string) => void
}

/** ConsoleLogger writes to stderr; debug lines only when verbose. */
export class ConsoleLogger implements Logger {
  readonly #verbose: boolean
  readonly #write: (line: string) => void

  constructor(params: ConsoleLoggerParameters = {}) {
    this.#verbose = params.verbose ?? false
    this.#write = params.write ?? ((line) => void process.stderr.write(line + '\n'))
  }

  debug(msg: string): void {
    if (this.#verbose) this.#write(`debug: ${msg}`)
  }

  info(msg: string): void {
    this.#write(msg)
  }

  warn(msg: string): void {
    this.#write(`warning: ${msg}`)
  }
}

// A line of a GitHub Actions log that starts with `::` (or the older `##[`) is a workflow command
// (`::error`, `::set-output`, `::stop-commands`, ...), also after leading whitespace. Text the action logs
// quotes users' files and live state, so a path with a newline could otherwise issue commands.
const COMMAND_OPENER = /^([^\S\r\n]*)(?:(::)|(##\[))/gm
const ZWSP = '\u200b'

/**
 * escapeWorkflowCommands keeps every line of `text` from being read as a workflow command: a zero-width
 * space goes between the opener's two characters (invisible in the log); everything else is unchanged.
 */
export function escapeWorkflowCommands(text: string): string {
  return text.replace(COMMAND_OPENER, (_m, space: string, colons?: string) =>
    colons ? `${space}:${ZWSP}:` : `${space}#${ZWSP}#[`
  )
}

/** The @actions/core log calls the action makes (info, warning, notice, error, setFailed, debug). */
export interface WorkflowLog<P> {
  info(msg: string): void
  warning(msg: string): void
  notice(msg: string): void
  error(msg: string, props?: P): void
  setFailed(msg: string): void
  debug(msg: string): void
}

/**
 * workflowSafeLog wraps @actions/core's log calls so every message goes through escapeWorkflowCommands
 * (core.info writes its message raw; the others escape newlines, and this covers them all the same way).
 */
export function workflowSafeLog<P>(core: WorkflowLog<P>): WorkflowLog<P> {
  const e = escapeWorkflowCommands
  return {
    info: (m) => core.info(e(m)),
    warning: (m) => core.warning(e(m)),
    notice: (m) => core.notice(e(m)),
    error: (m, p) => core.error(e(m), p),
    setFailed: (m) => core.setFailed(e(m)),
    debug: (m) => core.debug(e(m))
  }
}
