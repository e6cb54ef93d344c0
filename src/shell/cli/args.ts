// Flag parsing shared by the commands: node:util parseArgs in strict mode, errors as UsageError.
import { parseArgs, type ParseArgsConfig } from 'node:util'
import { didYouMean } from '../../core/routes/suggest.js'
import { UsageError } from './io.js'
import { errorMessage } from '../../core/error-message.js'

type Options = NonNullable<ParseArgsConfig['options']>

/** parseFlags parses `args` against `options`; unknown flags and stray arguments are usage errors. */
export function parseFlags<O extends Options>(command: string, args: string[], options: O) {
  try {
    return parseArgs({
      args,
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: false
    }).values as { [K in keyof O]?: O[K]['type'] extends 'boolean' ? boolean : string } & { help?: boolean }
  } catch (err) {
    const message = errorMessage(err).replace(/\. To specify.*$/s, '')
    const unknown = /^Unknown option '(-[^']*)'/.exec(message)?.[1]
    const hint = unknown
      ? didYouMean(
          unknown,
          [...Object.keys(options), 'help'].map((o) => `--${o}`)
        )
      : ''
    throw new UsageError(`lb-routes ${command}: ${message}${hint}; see lb-routes ${command} --help`)
  }
}
