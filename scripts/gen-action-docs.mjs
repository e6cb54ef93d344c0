// Writes the action's inputs and outputs tables into README.md from action.yml, between the markers
// <!-- action-inputs --> … <!-- /action-inputs --> and <!-- action-outputs --> … <!-- /action-outputs -->,
// so the README cannot drift from what the action accepts. `--check` (run by `npm run lint`) fails when
// README.md is not what this script would write.
import { readFileSync, writeFileSync } from 'node:fs'
import { format, resolveConfig } from 'prettier'
import { parse } from 'yaml'

const README = 'README.md'

/** fold makes table cell text: whitespace folded (action.yml uses folded scalars), pipes escaped. */
const fold = (text) =>
  String(text ?? '')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/\|/g, '\\|')
/** cell is a prose cell: `*` escaped, or markdown reads "*.suffix … "*"" as emphasis (prettier writes "_"). */
const cell = (text) => fold(text).replace(/\*/g, '\\*')
const code = (text) => (text === undefined || text === '' ? '' : '`' + fold(text) + '`')

/** tables renders the inputs and outputs of action.yml as markdown tables. */
export function tables(actionYml) {
  const action = parse(actionYml)
  const inputs = Object.entries(action.inputs ?? {}).map(
    ([name, i]) => `| \`${name}\` | ${code(i.default)} | ${cell(i.description)} |`
  )
  const outputs = Object.entries(action.outputs ?? {}).map(
    ([name, o]) => `| \`${name}\` | ${cell(o.description)} |`
  )
  return {
    inputs: ['| input | default | description |', '| --- | --- | --- |', ...inputs].join('\n'),
    outputs: ['| output | description |', '| --- | --- |', ...outputs].join('\n')
  }
}

/** splice replaces the text between <!-- NAME --> and <!-- /NAME --> (both kept). */
function splice(text, name, body) {
  const open = `<!-- ${name} -->`
  const close = `<!-- /${name} -->`
  const start = text.indexOf(open)
  const end = text.indexOf(close)
  if (start < 0 || end < start) throw new Error(`${README}: markers ${open} … ${close} not found`)
  return text.slice(0, start + open.length) + '\n\n' + body + '\n\n' + text.slice(end)
}

const current = readFileSync(README, 'utf8')
const { inputs, outputs } = tables(readFileSync('action.yml', 'utf8'))
const spliced = splice(splice(current, 'action-inputs', inputs), 'action-outputs', outputs)
const next = await format(spliced, { ...(await resolveConfig(README)), filepath: README })
if (process.argv.includes('--check')) {
  if (next !== current) {
    process.stderr.write(
      `${README}: the action's inputs/outputs tables differ from action.yml; run node scripts/gen-action-docs.mjs\n`
    )
    process.exit(1)
  }
} else if (next !== current) {
  writeFileSync(README, next)
  process.stdout.write(`wrote the inputs and outputs tables into ${README}\n`)
}
