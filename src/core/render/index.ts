// The renderers: pure functions from Plan / ApplyResult to strings (DESIGN.md §5, §9).
export {
  renderPlanMarkdown,
  planMarker,
  planMarkerLine,
  PLAN_MARKER,
  parsePlanMarker,
  GITHUB_COMMENT_LIMIT,
  STEP_SUMMARY_LIMIT
} from './markdown.js'
export type { PlanMarkdownOptions, PlanMarker } from './markdown.js'
export { renderPlanMermaid, MAX_DIAGRAM_ROUTES } from './mermaid.js'
export { renderPlanText } from './text.js'
export { renderApplyMarkdown, renderApplyText, parseApplyMarker, applyMarker } from './apply.js'
export { renderPlanJson, parsePlanJson } from './json.js'
export { countChanges, planLine } from './summary.js'
export type { ChangeCounts } from './summary.js'
