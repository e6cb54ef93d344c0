// `lb-routes init`: a new team's starter routes.json and workflow, written only where nothing exists yet.
import { mkdir, writeFile } from 'node:fs/promises'
import { dirname, join, relative, resolve } from 'node:path'
import {
  DEFAULT_PLATFORM_WORKFLOW,
  OWNER_PATTERN,
  starterRoutes,
  starterWorkflow
} from '../../core/init/starter.js'
import { parseFlags } from './args.js'
import { UsageError, type CliIo } from './io.js'

export const INIT_HELP = `Usage: lb-routes init [--owner NAME] [--dir DIR] [--platform-workflow REF]

Writes a starter routes.json (commented; \`lb-routes validate\` accepts it) and .github/workflows/routes.yml,
which calls the platform team's trusted reusable workflow: plan on pull requests, apply on merge.
Existing files are never overwritten.

Options:
  --owner NAME               the owner name the platform granted your repository (default: the directory's
                             name, lower-cased)
  --dir DIR                  where to write (default: the current directory)
  --platform-workflow REF    the platform's workflow (default ${DEFAULT_PLATFORM_WORKFLOW})
  -h, --help                 show this help

Next: edit routes.json, then try it against the emulator:
  lb-routes emulator --seed-from routes.json       (prints the URL to point GOOGLE_*_CUSTOM_ENDPOINT at)
`

/** initCommand runs `lb-routes init`. */
export async function initCommand(args: string[], io: CliIo): Promise<number> {
  const flags = parseFlags('init', args, {
    owner: { type: 'string' },
    dir: { type: 'string' },
    'platform-workflow': { type: 'string' }
  })
  if (flags.help) {
    io.stdout(INIT_HELP)
    return 0
  }
  const dir = resolve(io.cwd, flags.dir ?? '.')
  const owner =
    flags.owner ??
    dir
      .split(/[\\/]/)
      .pop()!
      .toLowerCase()
      .replace(/[^-a-z0-9]/g, '-')
  if (!OWNER_PATTERN.test(owner))
    throw new UsageError(
      `lb-routes init: owner ${JSON.stringify(owner)} is not a valid name (lower-case letters, digits and '-', starting with a letter, at most 30 characters); pass --owner NAME`
    )
  const files: [string, string][] = [
    [join(dir, 'routes.json'), starterRoutes(owner)],
    [
      join(dir, '.github', 'workflows', 'routes.yml'),
      starterWorkflow(flags['platform-workflow'] ?? DEFAULT_PLATFORM_WORKFLOW)
    ]
  ]
  const written: string[] = []
  for (const [file, text] of files) {
    const shown = relative(io.cwd, file) || file
    try {
      await mkdir(dirname(file), { recursive: true })
      await writeFile(file, text, { flag: 'wx' })
      written.push(shown)
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
      io.stderr(`warning: ${shown} exists; left as it is\n`)
    }
  }
  for (const f of written) io.stdout(`wrote ${f}\n`)
  if (written.length > 0)
    io.stdout(
      `next: edit routes.json (owner ${owner}), then run lb-routes validate --routes ${relative(io.cwd, files[0]![0]) || 'routes.json'}\n`
    )
  return 0
}
