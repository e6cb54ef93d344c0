// The routes.json files shown in the README and docs/ are valid as shown: a team that copies one gets a file
// lb-routes accepts (run through the CLI's validate, route tests included).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { cli } from '../engine/cli-io.js'
import { codeBlocks, docFiles, read } from './markdown.js'

/** Whole routes files (not fragments such as a lone "frontend" block). */
const routesFiles = docFiles().flatMap((file) =>
  codeBlocks(read(file))
    .filter((b) => /^jsonc?$/.test(b.lang) && /^\{/.test(b.text) && /"owner"/.test(b.text))
    .map((b) => ({ name: `${file}:${b.line}`, text: b.text }))
)

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lb-routes-docs-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('routes.json examples in the documentation', () => {
  it('include the README quick start', () => {
    expect(routesFiles.map((f) => f.name)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^README\.md:/)])
    )
  })

  it.each(routesFiles)('$name validates', async ({ text }) => {
    const file = join(dir, 'routes.json')
    await writeFile(file, text)
    // No policy and no --allowed-internet-hosts: the file's own allowedInternetHosts are what it may reach.
    const run = await cli(['validate', '--routes', file])
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' })
  })
})
