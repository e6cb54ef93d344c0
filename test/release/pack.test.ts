// The npm package is installable and works outside the clone: `npm pack`, install the tarball into an
// empty directory (offline: the package bundles everything and depends on nothing), then run the CLI there.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { spawn } from 'node:child_process'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const ROOT = join(import.meta.dirname, '..', '..')
const WIN = process.platform === 'win32'

interface Run {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

/** run starts a command (npm, npx) in `cwd` without the outer npm run's npm_* settings. */
function run(cmd: string, args: string[], cwd: string): Promise<Run> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)))
  return new Promise((resolve, reject) => {
    const child = spawn(WIN ? `${cmd}.cmd` : cmd, args, { cwd, env, shell: WIN, stdio: 'pipe' })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}

let dir: string
let files: string[]
let tarball: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lb-routes-pack-'))
  const packed = await run('npm', ['pack', '--json', '--pack-destination', dir], ROOT)
  expect(packed.code).toBe(0)
  const [info] = JSON.parse(packed.stdout) as { filename: string; files: { path: string }[] }[]
  files = info!.files.map((f) => f.path).sort()
  tarball = join(dir, info!.filename)
}, 60_000)
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true })
})

describe('the npm package', () => {
  it('ships the bundle, the schema, the action and the demo files, and nothing else', async () => {
    const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as Record<string, unknown>
    expect(pkg.private).toBeUndefined()
    expect(pkg.dependencies).toBeUndefined() // dist/ is self-contained: installing pulls nothing else
    expect(files).toEqual(
      expect.arrayContaining([
        'LICENSE',
        'README.md',
        'action.yml',
        'dist/cli/index.js',
        'dist/index.js',
        'examples/emulator-state.json',
        'examples/routes.json',
        'package.json',
        'schema/routes.schema.json'
      ])
    )
    expect(files.filter((f) => /^(src|test|scripts|tools|docs|node_modules)\//.test(f))).toEqual([])
  })

  it('installs into an empty directory and runs there: --help, validate, demo', async () => {
    const app = join(dir, 'app')
    await mkdir(app)
    // Its own package.json, so npm installs here and not into a package.json some parent folder has.
    await writeFile(join(app, 'package.json'), '{"name": "app", "private": true}\n')
    const install = await run('npm', ['install', tarball, '--offline', '--no-audit', '--no-fund'], app)
    expect({ code: install.code, stderr: install.stderr.replace(/^npm warn .*\n/gm, '') }).toEqual({
      code: 0,
      stderr: ''
    })
    const help = await run('npx', ['--offline', 'lb-routes', '--help'], app)
    expect(help.code).toBe(0)
    expect(help.stdout).toMatch(/^Usage: lb-routes <command>/m)
    const example = join(app, 'node_modules', 'lb-routes', 'examples', 'routes.json')
    const validate = await run('npx', ['--offline', 'lb-routes', 'validate', '--routes', example], app)
    expect({ code: validate.code, stderr: validate.stderr }).toEqual({ code: 0, stderr: '' })
    // The demo finds its bundled example files next to the installed bundle.
    const demo = await run('npx', ['--offline', 'lb-routes', 'demo'], app)
    expect({ code: demo.code, stderr: demo.stderr }).toEqual({ code: 0, stderr: '' })
    expect(demo.stdout).toContain('✓ the second plan has no changes')
  }, 60_000)
})
