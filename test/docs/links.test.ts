// Every relative link in README.md and docs/*.md resolves: the file or folder exists, and an anchor into a
// markdown file names one of its headings. External links (https:, mailto:) are not fetched.
import { describe, expect, it } from '@jest/globals'
import { existsSync } from 'node:fs'
import { dirname, join, normalize } from 'node:path'
import { anchors, docFiles, links, read, ROOT, slug } from './markdown.js'

interface Files {
  readonly read: (path: string) => string
  readonly exists: (path: string) => boolean
}
const repository: Files = { read, exists: (path) => existsSync(join(ROOT, path)) }

/** brokenLinks lists the relative links of one markdown file that do not resolve, as FILE:LINE: why. */
function brokenLinks(file: string, files: Files = repository): string[] {
  const broken: string[] = []
  for (const { target, line } of links(files.read(file))) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue
    const [path = '', anchor] = target.split('#', 2)
    const resolved = path === '' ? file : normalize(join(dirname(file), decodeURIComponent(path)))
    const where = `${file}:${line}: ${target}`
    if (resolved.startsWith('..')) broken.push(`${where}: points outside the repository`)
    else if (!files.exists(resolved)) broken.push(`${where}: ${resolved} does not exist`)
    else if (anchor !== undefined && resolved.endsWith('.md') && !anchors(files.read(resolved)).has(anchor))
      broken.push(`${where}: ${resolved} has no heading with the anchor #${anchor}`)
  }
  return broken
}

describe('documentation links', () => {
  it.each(docFiles())('every relative link in %s resolves', (file) => {
    expect(brokenLinks(file)).toEqual([])
  })

  it('the README stays a front page (about 250 lines at most)', () => {
    expect(read('README.md').split('\n').length).toBeLessThanOrEqual(260)
  })

  it('finds broken links, missing files and missing anchors (the check can fail)', () => {
    expect(links('[a](docs/x.md) `[b](nope.md)`\n```\n[c](nope.md)\n```\n![d](img.png "t")')).toEqual([
      { target: 'docs/x.md', line: 1 },
      { target: 'img.png', line: 5 }
    ])
    expect(slug("The action's inputs and `outputs`")).toBe('the-actions-inputs-and-outputs')
    expect(slug('Roll back: undo one apply')).toBe('roll-back-undo-one-apply')
    expect([...anchors('# A\n## A\n```\n# not a heading\n```\n### b c')]).toEqual(['a', 'a-1', 'b-c'])
    const fake: Record<string, string> = {
      'docs/a.md':
        '# A\n[ok](b.md#b) [no file](c.md) [no anchor](b.md#nope) [up](../../x) [self](#a) [web](https://x.y/#z)',
      'docs/b.md': '# B'
    }
    expect(brokenLinks('docs/a.md', { read: (p) => fake[p] ?? '', exists: (p) => p in fake })).toEqual([
      'docs/a.md:2: c.md: docs/c.md does not exist',
      'docs/a.md:2: b.md#nope: docs/b.md has no heading with the anchor #nope',
      'docs/a.md:2: ../../x: points outside the repository'
    ])
  })
})
