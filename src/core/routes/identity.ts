// What an invalid routes.json still says about itself: its owner and load balancer, read tolerantly, so a
// comment about the file's errors names them (instead of "(unknown owner)") whenever they parse.
import { parse } from 'jsonc-parser'

/** The owner and load balancer a routes file names, each only when it is a string. */
export interface RoutesIdentity {
  readonly owner?: string
  readonly project?: string
  readonly urlMap?: string
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v : undefined)

/** readIdentity reads `owner` and `loadBalancer.{project,urlMap}` from a file that may not be valid. */
export function readIdentity(bytes: string | Uint8Array): RoutesIdentity {
  const text = typeof bytes === 'string' ? bytes : new TextDecoder().decode(bytes)
  let doc: unknown
  try {
    doc = parse(text, [], { allowTrailingComma: true, disallowComments: false })
  } catch {
    return {}
  }
  if (typeof doc !== 'object' || doc === null) return {}
  const d = doc as Record<string, unknown>
  const lb =
    typeof d.loadBalancer === 'object' && d.loadBalancer !== null
      ? (d.loadBalancer as Record<string, unknown>)
      : {}
  const owner = str(d.owner)
  const project = str(lb.project)
  const urlMap = str(lb.urlMap)
  return { ...(owner ? { owner } : {}), ...(project ? { project } : {}), ...(urlMap ? { urlMap } : {}) }
}
