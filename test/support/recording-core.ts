// A recording stand-in for @actions/core (the ActionCore seam): it keeps outputs, the job summary and
// whether the step failed, and writes the log as the runner's stdout would read (workflow commands in
// @actions/core's own format), so in-process tests assert on the same text as tests of dist/index.js.
import type { ActionCore } from '../../src/shell/action/deps.js'
import type { Logger } from '../../src/shell/logger.js'

export interface RecordingCore extends ActionCore {
  /** Log lines and workflow commands (`::error file=…::msg`, `::add-mask::…`), newline-terminated. */
  readonly stdout: () => string
  readonly summary: () => string
  readonly outputs: Record<string, string>
  /** Messages passed to setFailed, in order (a non-empty list is exit code 1). */
  readonly failures: string[]
  /** The Google clients' log (debug lines stay out of stdout, as on the runner without step debug). */
  readonly logger: Logger & { readonly lines: string[] }
}

// @actions/core's escaping (lib/command.js): data escapes %, CR, LF; properties also `:` and `,`.
const escapeData = (s: string): string => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')
const escapeProperty = (s: string): string => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C')

type Props = { title?: string; file?: string; startLine?: number; startColumn?: number }

function command(name: string, message: string, props: Props = {}): string {
  // Same keys and order as @actions/core's toCommandProperties; empty values are left out.
  const fields = { title: props.title, file: props.file, line: props.startLine, col: props.startColumn }
  const shown = Object.entries(fields)
    .filter(([, v]) => v !== undefined && v !== '' && v !== 0)
    .map(([k, v]) => `${k}=${escapeProperty(String(v))}`)
  return `::${name}${shown.length ? ` ${shown.join(',')}` : ''}::${escapeData(message)}\n`
}

/** recordingCore starts an empty recording. */
export function recordingCore(): RecordingCore {
  let stdout = ''
  let summary = ''
  const outputs: Record<string, string> = {}
  const failures: string[] = []
  const lines: string[] = []
  return {
    info: (m) => void (stdout += `${m}\n`),
    warning: (m) => void (stdout += command('warning', m)),
    notice: (m) => void (stdout += command('notice', m)),
    error: (m, props) => void (stdout += command('error', m, props)),
    setOutput: (name, value) => void (outputs[name] = value),
    setSecret: (secret) => void (stdout += `::add-mask::${escapeData(secret)}\n`),
    setFailed: (m) => {
      failures.push(m)
      stdout += command('error', m)
    },
    writeSummary: async (md) => void (summary += md),
    stdout: () => stdout,
    summary: () => summary,
    outputs,
    failures,
    logger: {
      lines,
      debug: (m) => void lines.push(`debug: ${m}`),
      info: (m) => void lines.push(m),
      warn: (m) => void lines.push(`warning: ${m}`)
    }
  }
}
