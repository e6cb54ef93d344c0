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
