// Builds the action (dist/index.js) and the CLI (dist/cli/index.js): tsc compiles src/ to ESM in build/,
// then ncc bundles each entry with its dependencies. ESM output: @actions/core 3 and @actions/github 9
// are ESM-only (research/actions-ecosystem.md §0.3). Bundling the compiled JS (not the .ts) keeps ncc
// from type-checking the whole @google-cloud/compute type tree, which took over a minute.
import { execFileSync } from 'node:child_process'
import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs'

const run = (cmd, args) => execFileSync(cmd, args, { stdio: 'inherit' })
const ncc = (entry, out) =>
  run('ncc', [
    'build',
    entry,
    '-o',
    out,
    '--minify',
    '--no-source-map-register',
    '-q',
    '--license',
    'licenses.txt'
  ])

rmSync('build', { recursive: true, force: true })
rmSync('dist', { recursive: true, force: true })
run('tsc', ['-p', 'tsconfig.build.json'])
ncc('build/entry/action.js', 'dist')
ncc('build/entry/cli.js', 'dist/cli')
const cli = 'dist/cli/index.js'
const body = readFileSync(cli, 'utf8')
if (!body.startsWith('#!')) writeFileSync(cli, '#!/usr/bin/env node\n' + body)
chmodSync(cli, 0o755)
