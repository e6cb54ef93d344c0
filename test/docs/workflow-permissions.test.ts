// Every workflow example in the README and docs/, and every workflow in the repository that calls a reusable
// workflow, grants what the called workflow's jobs ask for: otherwise GitHub refuses to start the run, and a
// team's quick start fails as pasted.
import { describe, expect, it, test } from '@jest/globals'
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'yaml'
import { codeBlocks, docFiles, read, ROOT } from './markdown.js'
import { calls, excess, permissionsOf, violations, type Call } from './workflow-permissions.js'
import { starterWorkflow } from '../../src/core/init/starter.js'

/** The platform's trusted workflow lives in examples/platform/ (DESIGN §4.2); teams call it by this name. */
const PLATFORM = '<platform-org>/<platform-repo>/'
const THIS_REPO = 'lb-routes/lb-routes/'

/** resolve maps a `uses:` to the file in this repository that holds the called workflow. */
function resolve(uses: string, from: string): string {
  const path = uses.replace(/@[^@]*$/, '')
  if (path.startsWith(THIS_REPO)) return path.slice(THIS_REPO.length)
  if (path.startsWith(PLATFORM)) return `examples/platform/${path.slice(PLATFORM.length)}`
  if (path.startsWith('./')) {
    // `./` is the calling repository: the template's own folder for a workflow under examples/.
    const root = /^(examples\/.+?)\/\.github\//.exec(from)?.[1]
    return root ? `${root}/${path.slice(2)}` : path.slice(2)
  }
  throw new Error(`${from}: cannot tell which workflow "${uses}" is`)
}

const load = (uses: string, from: string) => {
  const file = resolve(uses, from)
  return { file, text: read(file) }
}

/** workflowFiles lists .github/workflows/*.yml and examples/**\/workflows/*.yml. */
function workflowFiles(dir = ''): string[] {
  const out: string[] = []
  for (const e of readdirSync(join(ROOT, dir || '.'), { withFileTypes: true })) {
    const path = dir ? `${dir}/${e.name}` : e.name
    if (e.isDirectory() && (dir === '' ? ['.github', 'examples'].includes(e.name) : true))
      out.push(...workflowFiles(path))
    else if (e.isFile() && /\/workflows\/[^/]+\.ya?ml$/.test(path)) out.push(path)
  }
  return out.sort()
}

interface Caller {
  readonly where: string
  readonly from: string
  readonly call: Call
}

/** callers: every reusable-workflow call in the docs' YAML blocks and in the repository's workflows. */
function callers(): Caller[] {
  const fromDocs = docFiles().flatMap((file) =>
    codeBlocks(read(file))
      .filter((b) => b.lang === 'yaml' || b.lang === 'yml')
      .flatMap((b) => {
        const doc: unknown = parse(b.text)
        if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return []
        return calls(doc).map((call) => ({ where: `${file}:${b.line}`, from: file, call }))
      })
  )
  const fromWorkflows = workflowFiles().flatMap((file) =>
    calls(parse(read(file))).map((call) => ({ where: file, from: file, call }))
  )
  // What `lb-routes init` writes for a team, calling the platform's workflow by the docs' name.
  const starter = starterWorkflow(`${PLATFORM}.github/workflows/routes.yml@main`)
  const fromInit = calls(parse(starter)).map((call) => ({ where: 'lb-routes init', from: 'README.md', call }))
  return [...fromDocs, ...fromWorkflows, ...fromInit]
}

describe('reusable workflow permissions', () => {
  const all = callers()

  it('finds the quick starts and the rollback and drift callers', () => {
    const called = all.map((c) => c.call.uses)
    expect(called).toEqual(
      expect.arrayContaining([
        `${PLATFORM}.github/workflows/routes.yml@main`,
        `${THIS_REPO}.github/workflows/lb-routes.yml@v1`,
        `${THIS_REPO}.github/workflows/lb-routes-rollback.yml@v1`,
        `${THIS_REPO}.github/workflows/lb-routes-drift.yml@v1`
      ])
    )
  })

  for (const c of all) {
    const target = resolve(c.call.uses, c.from)
    // The platform template arrives with the tenancy work; until then its callers cannot be checked.
    const run = existsSync(join(ROOT, target)) || !target.startsWith('examples/platform/') ? test : test.skip
    run(`${c.where}: job ${c.call.job} grants what ${target} asks for`, () => {
      expect(violations(c.call, c.from, load)).toEqual([])
    })
  }

  it('applies GitHub rule: more than granted is refused, whatever the job `if:` says (the check can fail)', () => {
    const called = `
permissions: { contents: read }
jobs:
  plan: { permissions: { contents: read, id-token: write } }
  rollback:
    if: github.event_name == 'workflow_dispatch'
    permissions: { actions: read, contents: read, id-token: write }
  nested:
    permissions: { contents: read }
    uses: ./.github/workflows/inner.yml
`
    const inner = `jobs: { x: { permissions: { issues: write } } }`
    const texts: Record<string, string> = { 'called.yml': called, '.github/workflows/inner.yml': inner }
    const fake = (uses: string) => {
      const file = uses.replace(/^\.\//, '').replace(/@.*$/, '')
      return { file, text: texts[file]! }
    }
    const [call] = calls({
      jobs: { team: { uses: './called.yml@v1', permissions: { contents: 'read', 'id-token': 'write' } } }
    })
    expect(violations(call!, 'x.yml', fake)).toEqual([
      'job team calls called.yml: job rollback asks for actions: read (granted: none)',
      'job nested calls .github/workflows/inner.yml: job x asks for issues: write (granted: none)'
    ])
    // Without any permissions: key the caller gets the restricted default, which has no id-token.
    expect(calls({ jobs: { t: { uses: 'o/r/.github/workflows/w.yml@v1' } } })[0]!.grants).toEqual({
      contents: 'read',
      packages: 'read'
    })
    expect(excess(permissionsOf('read-all')!, permissionsOf({ contents: 'write' })!)).toContain(
      'actions: read (granted: none)'
    )
    expect(excess(permissionsOf({ contents: 'read' })!, permissionsOf('write-all')!)).toEqual([])
  })
})
