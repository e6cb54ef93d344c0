// Every mermaid block the renderers produce must parse with mermaid itself (issue #14), so GitHub draws a
// diagram instead of "Unable to render rich display". mermaid.parse runs in Node once DOMPurify has a
// window: jsdom provides one (a dev dependency, as mermaid is).
import { beforeAll, describe, expect, it } from '@jest/globals'
import { JSDOM } from 'jsdom'
import type { Plan } from '../../src/core/plan/model.js'
import { renderPlanMarkdown } from '../../src/core/render/markdown.js'
import { renderPlanMermaid } from '../../src/core/render/mermaid.js'
import { bigPlan, examplePlan, HOSTILE, plan, route } from './builders.js'
import { catchAllPlan, changedTargetPlan, cleanPlan, failingPlan, ownMovePlan } from './comment-plans.js'

type Parse = (text: string) => Promise<unknown>
let parse: Parse

beforeAll(async () => {
  const dom = new JSDOM('<!doctype html><html><body></body></html>')
  const g = globalThis as Record<string, unknown>
  g.window = dom.window
  g.document = dom.window.document
  // Imported after the window exists: DOMPurify binds to it when its module loads.
  const mermaid = (await import('mermaid')).default
  parse = (text) => mermaid.parse(text)
})

const hostilePlan = (): Plan =>
  plan({
    routes: HOSTILE.map((s, i) =>
      route(s, {
        hosts: [s],
        paths: [s],
        target: s,
        backend: s,
        backendProject: s,
        targetProject: s,
        rewrite: s,
        hostRewrite: s,
        status: (['new', 'changed', 'removed'] as const)[i % 3],
        ...(i % 3 === 1 ? { changes: [{ field: 'target', before: s, after: s }] } : {})
      })
    )
  })

const PLANS: readonly [string, () => Plan][] = [
  ['failing', failingPlan],
  ['clean', cleanPlan],
  ['own move', ownMovePlan],
  ['catch-all move', catchAllPlan],
  ['changed target', changedTargetPlan],
  ['example', examplePlan],
  ['no route changes', () => plan({ routes: [route('same')] })],
  ['11 routes (collapsed)', () => bigPlan(11)],
  ['40 routes', () => bigPlan(40)],
  ['hostile text', hostilePlan]
]

/** The mermaid fences of a markdown body. */
function mermaidBlocks(md: string): string[] {
  return [...md.matchAll(/^(`{3,})mermaid\n([\s\S]*?)\n\1$/gm)].map((m) => m[2]!)
}

describe('mermaid parses every diagram', () => {
  it.each(PLANS)('%s plan', async (_name, make) => {
    const p = make()
    const blocks = mermaidBlocks(renderPlanMarkdown(p))
    for (const text of [renderPlanMermaid(p), ...blocks]) {
      await expect(parse(text)).resolves.toMatchObject({ diagramType: 'flowchart-v2' })
    }
  })

  it('can fail: a label with a raw quote does not parse', async () => {
    await expect(parse('flowchart LR\n  a["x"y"] --> b')).rejects.toThrow(/Parse error/)
  })
})
