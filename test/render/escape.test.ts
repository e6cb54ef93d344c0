import { describe, it, expect } from '@jest/globals'
import {
  cellCode,
  codeBlock,
  escapeMarkdown,
  inlineCode,
  mermaidLabel,
  safeJson,
  safeUrl,
  terminalText,
  truncate,
  utf8Length,
  ZWJ
} from '../../src/core/render/escape.js'
import { HOSTILE } from './builders.js'

const visible = (s: string): string => s.replaceAll(ZWJ, '⁀')

describe('escapeMarkdown', () => {
  it('leaves no HTML tag, comment or marker', () => {
    expect(escapeMarkdown('</details><script>alert(1)</script>')).toBe(
      '&lt;/details&gt;&lt;script&gt;alert\\(1\\)&lt;/script&gt;'
    )
    const marker = escapeMarkdown('<!-- lb-routes:plan {"owner":"x"} -->')
    expect(marker).not.toContain('<!--')
    expect(marker).not.toContain('-->')
  })

  it('shows links, images and autolinks in code spans, where GitHub links nothing', () => {
    expect(escapeMarkdown('[x](http://evil)')).toBe('\\[x\\]\\(`http://evil`\\)')
    expect(escapeMarkdown('![](http://evil/img)')).toBe('\\!\\[\\]\\(`http://evil/img`\\)')
    expect(escapeMarkdown('see www.evil.com')).toBe('see `www.evil.com`')
  })

  it('shows @mentions, team mentions, e-mail addresses and issue references in code spans', () => {
    expect(escapeMarkdown('@org/team')).toBe('`@org/team`')
    expect(escapeMarkdown('ping @alice about #1 and GH-2')).toBe('ping `@alice` about `#1` and `GH-2`')
    expect(escapeMarkdown('sa@p.iam.gserviceaccount.com')).toBe('`sa@p.iam.gserviceaccount.com`')
  })

  it('keeps copied text exact: no invisible characters in URLs', () => {
    const url = 'https://www.googleapis.com/compute/v1/projects/p'
    const out = escapeMarkdown(`GET ${url} failed`)
    expect(out).toBe(`GET \`${url}\` failed`)
    expect(out).not.toContain(ZWJ)
  })

  it('is safe in a table cell: pipes escaped, newlines flattened', () => {
    expect(escapeMarkdown('| a | b |')).toBe('\\| a \\| b \\|')
    expect(escapeMarkdown('line1\nline2\r\nline3')).toBe('line1 line2 line3')
  })

  it('escapes emphasis, code and block starters', () => {
    expect(escapeMarkdown('*bold* _it_ `code` ~~s~~')).toBe('\\*bold\\* \\_it\\_ \\`code\\` \\~\\~s\\~\\~')
    expect(escapeMarkdown('# heading')).toBe('\\# heading')
    expect(escapeMarkdown('- item')).toBe('\\- item')
    expect(escapeMarkdown('1. item')).toBe('1\\. item')
  })

  it('truncates very long strings before escaping', () => {
    const s = escapeMarkdown('<'.repeat(5000), 10)
    expect(s).toBe('&lt;'.repeat(9) + '…')
  })

  it('drops control characters and bidi overrides', () => {
    expect(escapeMarkdown('a\u001b[31mb\u202ec')).toBe('a\\[31mbc')
  })
})

describe('inlineCode / cellCode', () => {
  it('uses a fence longer than any backtick run and pads edge backticks', () => {
    expect(inlineCode('a`b``c')).toBe('```a`b``c```')
    expect(inlineCode('`x`')).toBe('`` `x` ``')
    expect(inlineCode('plain')).toBe('`plain`')
  })

  it('keeps mentions and links literal (GitHub does not parse code spans)', () => {
    expect(inlineCode('@org/team')).toBe('`@org/team`')
    expect(inlineCode('[x](http://evil)')).toBe('`[x](http://evil)`')
  })

  it('breaks the marker even inside code', () => {
    const s = inlineCode('<!-- lb-routes:plan -->')
    expect(s).not.toContain('<!--')
    expect(s).not.toContain('-->')
  })

  it('escapes pipes in table cells, including after a backslash', () => {
    expect(cellCode('| a | b |')).toBe('`\\| a \\| b \\|`')
    expect(visible(cellCode('a\\|b'))).toBe('`a\\⁀\\|b`')
    expect(cellCode('line1\nline2')).toBe('`line1 line2`')
  })

  it('shows an empty value as (empty) rather than a broken span', () => {
    expect(inlineCode('')).toBe('_(empty)_')
  })
})

describe('codeBlock', () => {
  it('uses a fence longer than the longest backtick run', () => {
    expect(codeBlock('a\n````\nb', 'diff')).toBe('`````diff\na\n````\nb\n`````')
    expect(codeBlock('x')).toBe('```\nx\n```')
  })
  it('sanitises the info string', () => {
    expect(codeBlock('x', 'js onload=1')).toBe('```jsonload1\nx\n```')
  })
})

describe('mermaidLabel', () => {
  it('keeps ordinary punctuation and writes only what mermaid cannot take as entity codes', () => {
    const label = mermaidLabel('a"b<c>[d]{e}(f)|g#h;i\nj`k&l%m')
    expect(label).toBe('"a#quot;b#lt;c#gt;[d]{e}(f)|g#35;h;i j#96;k#amp;l#37;m"')
    expect(label.slice(1, -1)).not.toMatch(/["<>\n`&%]/)
  })
  it('joins lines with <br/> and truncates long text', () => {
    expect(mermaidLabel('a', 'b')).toBe('"a<br/>b"')
    expect(mermaidLabel('x'.repeat(500)).length).toBeLessThanOrEqual(62)
  })
  it.each(HOSTILE.map((s) => [s.slice(0, 40), s]))('never lets %j out of its quotes', (_name, s) => {
    const inner = mermaidLabel(s).slice(1, -1)
    expect(inner).not.toMatch(/["<>\n`]/)
    // Every # starts one of our entity codes.
    expect(inner.replace(/#(quot|lt|gt|amp|35|96|37);/g, '')).not.toContain('#')
  })
})

describe('safeJson', () => {
  it('cannot close an HTML comment and stays the same JSON value', () => {
    const value = { owner: 'x --> <!-- &', n: 1 }
    const s = safeJson(value)
    expect(s).not.toContain('-->')
    expect(s).not.toContain('<')
    expect(JSON.parse(s)).toEqual(value)
  })
})

describe('safeUrl', () => {
  it('accepts http(s) and encodes characters that would end a markdown link', () => {
    expect(safeUrl('https://github.com/o/r/actions/runs/1?x=(y)')).toBe(
      'https://github.com/o/r/actions/runs/1?x=%28y%29'
    )
    expect(safeUrl('javascript:alert(1)')).toBeUndefined()
    expect(safeUrl('not a url')).toBeUndefined()
  })
})

describe('terminalText', () => {
  it('strips ANSI escapes a hostile name could carry', () => {
    expect(terminalText('evil\u001b[2J\u001b[31mred\nnext')).toBe('evil[2J[31mred next')
  })
})

describe('truncate / utf8Length', () => {
  it('does not split a surrogate pair', () => {
    expect(truncate('ab😀cd', 4)).toBe('ab…')
    expect(truncate('short', 10)).toBe('short')
  })
  it('counts UTF-8 bytes', () => {
    expect(utf8Length('aé€😀')).toBe(1 + 2 + 3 + 4)
  })
})
