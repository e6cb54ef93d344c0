// `npm test`: runs jest in ESM mode on this Node, with the same arguments (`npm test -- test/action`).
// A script rather than `NODE_OPTIONS=… jest` in package.json, because that form of setting a variable works
// in POSIX shells only; npm runs scripts with cmd.exe on Windows.
import { spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { nodeProblem } from './check-node.mjs'

const problem = nodeProblem()
if (problem) {
  process.stderr.write(problem + '\n')
  process.exit(1)
}
const jest = createRequire(import.meta.url).resolve('jest/bin/jest')
// The tests' own child processes inherit these too (the variables, not just flags on this process).
const env = {
  ...process.env,
  NODE_OPTIONS: [process.env.NODE_OPTIONS, '--experimental-vm-modules'].filter(Boolean).join(' '),
  NODE_NO_WARNINGS: '1'
}
const run = spawnSync(process.execPath, [jest, ...process.argv.slice(2)], { stdio: 'inherit', env })
if (run.error) throw run.error
process.exit(run.status ?? 1)
