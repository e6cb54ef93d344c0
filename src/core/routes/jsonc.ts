// JSONC reading without a syntax tree. jsonc-parser's parseTree allocates a node (with parent links) per
// value and takes ~1.4 s on a 7 MB file; these two visitor passes take ~0.2 s each. The first builds the
// value; the second, run only when there is something to report, finds where given JSON paths are.
import { visit, type JSONPath, type ParseError } from 'jsonc-parser'

const OPTIONS = { allowTrailingComma: true, disallowComments: false }

/** What readJsonc found. */
export interface JsoncDocument {
  /** The value ("__proto__" is an ordinary own key); undefined when the text has none. */
  readonly value: unknown
  readonly errors: readonly ParseError[]
  /** A key repeated in one object (JSON.parse would keep the last silently): the later key's offset and path. */
  readonly duplicates: ReadonlyArray<{ readonly offset: number; readonly path: JSONPath }>
  /**
   * Offsets of the objects directly under the root (loadBalancer, frontend) and of those directly inside a
   * top-level array (routes, tests), found without a second pass.
   */
  readonly itemOffsets: ReadonlyMap<object, number>
}

type Container = Record<string, unknown> | unknown[]

/** readJsonc parses JSONC (comments, trailing commas) into a plain value, collecting errors and duplicate keys. */
export function readJsonc(text: string): JsoncDocument {
  const errors: ParseError[] = []
  const duplicates: Array<{ offset: number; path: JSONPath }> = []
  const stack: Container[] = []
  const itemOffsets = new Map<object, number>()
  let root: unknown
  let key = ''
  let keyOffset = 0
  const put = (value: unknown, pathSupplier: () => JSONPath) => {
    const parent = stack[stack.length - 1]
    if (parent === undefined) root ??= value
    else if (Array.isArray(parent)) parent.push(value)
    else {
      if (Object.hasOwn(parent, key)) duplicates.push({ offset: keyOffset, path: pathSupplier() })
      // Assigning "__proto__" would set the prototype instead of adding a key.
      if (key === '__proto__')
        Object.defineProperty(parent, key, { value, enumerable: true, writable: true, configurable: true })
      else parent[key] = value
    }
  }
  visit(
    text,
    {
      onObjectBegin: (offset, _length, _line, _column, path) => {
        // Plain objects, not Object.create(null): V8 keeps those in slow dictionary mode.
        const obj: Record<string, unknown> = {}
        put(obj, path)
        if (stack.length === 1 || (stack.length === 2 && Array.isArray(stack[1])))
          itemOffsets.set(obj, offset)
        stack.push(obj)
      },
      onObjectProperty: (property, offset) => {
        key = property
        keyOffset = offset
      },
      onObjectEnd: () => void stack.pop(),
      onArrayBegin: (_offset, _length, _line, _column, path) => {
        const arr: unknown[] = []
        put(arr, path)
        stack.push(arr)
      },
      onArrayEnd: () => void stack.pop(),
      onLiteralValue: (value, _offset, _length, _line, _column, path) => put(value, path),
      onError: (error, offset, length) => errors.push({ error, offset, length })
    },
    OPTIONS
  )
  return { value: root, errors, duplicates, itemOffsets }
}

interface Trie {
  readonly children: Map<string, Trie>
  offset?: number
  keyOffset?: number
}

/** Where a path points: its value, the key naming it, or (for a path the file lacks) its deepest existing ancestor. */
export interface Located {
  readonly offset: number
  readonly keyOffset?: number
}

/** locatePaths finds the offsets of many JSON paths in one pass (for repeated keys, the last occurrence). */
export function locatePaths(text: string, paths: readonly JSONPath[]): Located[] {
  const root: Trie = { children: new Map(), offset: 0 }
  for (const path of paths) {
    let node = root
    for (const segment of path) {
      const k = String(segment)
      let next = node.children.get(k)
      if (next === undefined) node.children.set(k, (next = { children: new Map() }))
      node = next
    }
  }
  // One frame per open container: the trie node it corresponds to (undefined: nobody asked about
  // anything inside), the next array index, and the last property key seen.
  const frames: Array<{ trie: Trie | undefined; index: number; key: string }> = []
  let topSeen = false
  const enter = (offset: number): Trie | undefined => {
    const frame = frames[frames.length - 1]
    if (frame === undefined) {
      if (topSeen) return undefined
      topSeen = true
      root.offset = offset
      return root
    }
    const segment = frame.index >= 0 ? String(frame.index++) : frame.key
    const node = frame.trie?.children.get(segment)
    if (node) node.offset = offset
    return node
  }
  const open = (offset: number, isArray: boolean) =>
    void frames.push({ trie: enter(offset), index: isArray ? 0 : -1, key: '' })
  visit(
    text,
    {
      onObjectBegin: (offset) => open(offset, false),
      onArrayBegin: (offset) => open(offset, true),
      onObjectEnd: () => void frames.pop(),
      onArrayEnd: () => void frames.pop(),
      onObjectProperty: (property, offset) => {
        const frame = frames[frames.length - 1]
        if (frame === undefined) return
        frame.key = property
        const node = frame.trie?.children.get(property)
        if (node) node.keyOffset = offset
      },
      onLiteralValue: (_value, offset) => void enter(offset)
    },
    OPTIONS
  )
  return paths.map((path) => {
    let node = root
    let found: Located = { offset: root.offset ?? 0 }
    for (const [i, segment] of path.entries()) {
      const next = node.children.get(String(segment))
      if (next?.offset === undefined) break
      node = next
      found =
        i === path.length - 1 ? { offset: next.offset, keyOffset: next.keyOffset } : { offset: next.offset }
    }
    return found
  })
}
