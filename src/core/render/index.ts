// The renderers: pure functions from Plan / ApplyResult to strings (DESIGN.md §5, §9). The comment
// markers and the parsers of what the renderers write live in src/core/review/.
export { renderPlanMarkdown, GITHUB_COMMENT_LIMIT, STEP_SUMMARY_LIMIT } from './markdown.js'
export type { PlanMarkdownOptions } from './markdown.js'
export { renderPlanMermaid, MAX_DIAGRAM_ROUTES } from './mermaid.js'
export { renderPlanText } from './text.js'
export { renderApplyMarkdown, renderApplyText } from './apply.js'
export { renderPlanJson } from './json.js'
export { countChanges, planLine } from './summary.js'
export type { ChangeCounts } from './summary.js'
