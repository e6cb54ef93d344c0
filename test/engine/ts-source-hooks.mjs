// Lets `node --experimental-transform-types --import ./ts-source-hooks.mjs src/entry/cli.ts` run the CLI
// from source: the sources import `./x.js`, which this resolve hook maps to `./x.ts` when that exists.
// Used by resilience.test.ts to run apply in a child process when dist/ is not built.
import { existsSync } from 'node:fs'
import { register } from 'node:module'
import { fileURLToPath } from 'node:url'

/** resolve maps a relative `.js` import from a `.ts` module to the `.ts` file next to it. */
export async function resolve(specifier, context, next) {
  if (specifier.startsWith('.') && specifier.endsWith('.js') && context.parentURL?.endsWith('.ts')) {
    const ts = new URL(specifier.slice(0, -3) + '.ts', context.parentURL)
    if (existsSync(fileURLToPath(ts))) return next(ts.href, context)
  }
  return next(specifier, context)
}

if (!process.env.LB_ROUTES_HOOKS_REGISTERED) {
  process.env.LB_ROUTES_HOOKS_REGISTERED = '1'
  register(import.meta.url)
}
