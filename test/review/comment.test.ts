// The plan comment as a record of review: the trailer round-trips, only the last line counts, a huge
// change list is dropped but the provenance kept, and the comment stays within GitHub's limit.
import { describe, expect, it } from '@jest/globals'
import { GITHUB_COMMENT_LIMIT } from '../../src/core/render/markdown.js'
import { planComment, readReview, reviewTrailer } from '../../src/core/review/comment.js'
import { planMarkerLine } from '../../src/core/review/markers.js'
import { changeLines } from '../../src/core/review/reviewed.js'
import { LB, bigPlan, examplePlan, route } from '../render/builders.js'

const RUN = { runId: 4242, workflow: '.github/workflows/lb-routes.yml', headSha: 'ec26c3e5'.repeat(5) }

describe('planComment / readReview', () => {
  it('reads back the planId, the change list and the run that wrote the comment', () => {
    const p = examplePlan()
    const body = planComment(p, { provenance: RUN })
    expect(readReview(body)).toEqual({ planId: p.planId, changes: changeLines(p), provenance: RUN })
    expect(body.trimEnd().split('\n').pop()).toMatch(/^<!-- lb-routes:review \{"v":1,"run":\{"id":4242,/)
  })

  it('without a provenance the comment still carries the changes, and says nothing about a run', () => {
    const review = readReview(planComment(examplePlan()))
    expect(review?.provenance).toBeUndefined()
    expect(review?.changes).toEqual(changeLines(examplePlan()))
  })

  it('reads nothing from a body without the plan marker on its first line', () => {
    const body = planComment(examplePlan(), { provenance: RUN })
    expect(readReview(`Quoting the bot:\n${body}`)).toBeUndefined()
  })

  it('only trusts the last line: a trailer quoted inside the plan (a route name) does not count', () => {
    const trailer = reviewTrailer({ ...RUN, runId: 666 }, []).trim()
    const p = examplePlan({ routes: [route(trailer)] })
    const body = planComment(p, { provenance: RUN })
    expect(readReview(body)?.provenance).toEqual(RUN)
    const marker = planMarkerLine(p.owner, LB, p.planId)
    expect(readReview(`${marker}\n${trailer}\nand then some text`)).toEqual({ planId: p.planId })
  })

  it('ignores a malformed trailer: bad JSON, another version, a run id that is not a number', () => {
    const marker = planMarkerLine('team-web', LB, 'p-1')
    for (const last of [
      '<!-- lb-routes:review {oops} -->',
      '<!-- lb-routes:review {"v":2,"changes":["create x"]} -->',
      '<!-- lb-routes:review {"v":1,"run":{"id":"4242","workflow":"w","headSha":"s"}} -->'
    ])
      expect(readReview(`${marker}\n\n${last}\n`)).toEqual({ planId: 'p-1' })
  })

  it('drops a change list too big to hide, keeps the provenance, and fits the comment limit', () => {
    const p = bigPlan(2000)
    const body = planComment(p, { provenance: RUN })
    expect(body.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT)
    expect(readReview(body)).toEqual({ planId: p.planId, provenance: RUN })
  })
})
