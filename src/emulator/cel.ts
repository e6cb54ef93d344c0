// The subset of CEL that workload identity providers use (attribute mappings and conditions): literals,
// `assertion.x` / `attribute.x` member access and indexing, ==, !=, &&, ||, !, in (lists and map keys), +,
// ? : and the string methods startsWith, endsWith and contains. Evaluated directly while parsing, with CEL's error semantics
// (below); an error left at the end (a missing claim, a type mismatch) makes the expression fail, as on Google.

/** A CEL value in this subset. */
export type CelValue = string | number | boolean | null | CelValue[] | { [k: string]: CelValue }

/** CelError: the expression could not be evaluated (Google then rejects the credential). */
export class CelError extends Error {}

type Token = { kind: 'str' | 'num' | 'id' | 'op'; text: string; value?: CelValue }

const TOKEN =
  /\s*(?:("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')|(\d+(?:\.\d+)?)|([A-Za-z_][A-Za-z0-9_]*)|(==|!=|&&|\|\||[!?:.()[\],+]))/y

function tokenize(src: string): Token[] {
  const out: Token[] = []
  TOKEN.lastIndex = 0
  while (TOKEN.lastIndex < src.length) {
    if (/^\s*$/.test(src.slice(TOKEN.lastIndex))) break
    const at = TOKEN.lastIndex
    const m = TOKEN.exec(src)
    if (!m) throw new CelError(`unexpected character at ${at}: ${JSON.stringify(src.slice(at, at + 10))}`)
    if (m[1] !== undefined) out.push({ kind: 'str', text: m[1], value: unquote(m[1]) })
    else if (m[2] !== undefined) out.push({ kind: 'num', text: m[2], value: Number(m[2]) })
    else if (m[3] !== undefined) out.push({ kind: 'id', text: m[3] })
    else out.push({ kind: 'op', text: m[4]! })
  }
  return out
}

function unquote(s: string): string {
  return s.slice(1, -1).replace(/\\(.)/g, (_, c: string) => ({ n: '\n', t: '\t', r: '\r' })[c] ?? c)
}

/** evaluateCel evaluates `src` with the given variables (e.g. {assertion: claims}); throws CelError. */
export function evaluateCel(src: string, vars: Readonly<Record<string, CelValue>>): CelValue {
  const p = new Parser(tokenize(src), vars)
  const v = p.ternary()
  if (p.peek()) throw new CelError(`unexpected ${JSON.stringify(p.peek()!.text)}`)
  if (v instanceof CelError) throw v
  return v
}

// As in CEL, an evaluation error is a value: `&&` and `||` absorb it when the other side decides, `? :`
// ignores the branch it does not take, and everything else passes it on. Syntax errors are thrown.
type Val = CelValue | CelError

class Parser {
  #i = 0
  constructor(
    private readonly tokens: Token[],
    private readonly vars: Readonly<Record<string, CelValue>>
  ) {}

  peek(): Token | undefined {
    return this.tokens[this.#i]
  }

  private take(op?: string): Token {
    const t = this.tokens[this.#i]
    if (!t || (op !== undefined && t.text !== op)) throw new CelError(`expected ${op ?? 'a value'}`)
    this.#i++
    return t
  }

  private accept(op: string): boolean {
    const t = this.peek()
    if (t && (t.kind === 'op' || (op === 'in' && t.kind === 'id')) && t.text === op) return !!this.take()
    return false
  }

  ternary(): Val {
    const cond = this.or()
    if (!this.accept('?')) return cond
    const yes = this.ternary()
    this.take(':')
    const no = this.ternary()
    const c = bool(cond)
    return c instanceof CelError ? c : c ? yes : no
  }

  private or(): Val {
    let v = this.and()
    while (this.accept('||')) v = logic(v, this.and(), true)
    return v
  }

  private and(): Val {
    let v = this.rel()
    while (this.accept('&&')) v = logic(v, this.rel(), false)
    return v
  }

  private rel(): Val {
    const left = this.add()
    const op = ['==', '!=', 'in'].find((o) => this.accept(o))
    if (!op) return left
    const right = this.add()
    if (left instanceof CelError) return left
    if (right instanceof CelError) return right
    if (op === '==') return same(left, right)
    if (op === '!=') return !same(left, right)
    if (Array.isArray(right)) return right.some((x) => same(x, left))
    // `"key" in map` tests for a key (e.g. `"environment" in assertion`: the claim is present).
    if (right !== null && typeof right === 'object' && typeof left === 'string')
      return Object.hasOwn(right, left)
    return new CelError('"in" needs a list or a map on its right')
  }

  private add(): Val {
    let v = this.unary()
    while (this.accept('+')) {
      const r = this.unary()
      if (v instanceof CelError) continue
      if (r instanceof CelError) v = r
      else if (typeof v === 'string' && typeof r === 'string') v = v + r
      else if (typeof v === 'number' && typeof r === 'number') v = v + r
      else v = new CelError('"+" needs two strings or two numbers')
    }
    return v
  }

  private unary(): Val {
    if (this.accept('!')) {
      const b = bool(this.unary())
      return b instanceof CelError ? b : !b
    }
    return this.postfix(this.primary())
  }

  private postfix(v: Val): Val {
    for (;;) {
      if (this.accept('.')) {
        const name = this.take().text
        if (this.accept('(')) {
          const args = this.args(')')
          v = v instanceof CelError ? v : call(v, name, args)
        } else v = v instanceof CelError ? v : member(v, name)
      } else if (this.accept('[')) {
        const key = this.ternary()
        this.take(']')
        v = v instanceof CelError ? v : key instanceof CelError ? key : member(v, String(key))
      } else return v
    }
  }

  private args(close: string): Val[] {
    const out: Val[] = []
    if (this.accept(close)) return out
    do out.push(this.ternary())
    while (this.accept(','))
    this.take(close)
    return out
  }

  private primary(): Val {
    const t = this.take()
    if (t.kind === 'str' || t.kind === 'num') return t.value!
    if (t.kind === 'op' && t.text === '(') {
      const v = this.ternary()
      this.take(')')
      return v
    }
    if (t.kind === 'op' && t.text === '[') {
      const items = this.args(']')
      return items.find((x): x is CelError => x instanceof CelError) ?? (items as CelValue[])
    }
    if (t.kind === 'id') {
      if (t.text === 'true' || t.text === 'false') return t.text === 'true'
      if (t.text === 'null') return null
      if (Object.hasOwn(this.vars, t.text)) return this.vars[t.text]!
      throw new CelError(`undeclared reference to '${t.text}'`)
    }
    throw new CelError(`unexpected ${JSON.stringify(t.text)}`)
  }
}

/** logic is `&&` (or `||` when `or`): a deciding operand wins over an error on the other side. */
function logic(a: Val, b: Val, or: boolean): Val {
  const x = bool(a)
  const y = bool(b)
  if (x === or || y === or) return or
  if (x instanceof CelError) return x
  if (y instanceof CelError) return y
  return !or
}

function bool(v: Val): boolean | CelError {
  if (v instanceof CelError || typeof v === 'boolean') return v
  return new CelError('expected a boolean')
}

function same(a: CelValue, b: CelValue): boolean {
  return JSON.stringify(a) === JSON.stringify(b)
}

function member(v: CelValue, name: string): Val {
  if (v === null || typeof v !== 'object' || Array.isArray(v) || !Object.hasOwn(v, name))
    return new CelError(`no such key: ${name}`)
  return v[name]!
}

function call(target: CelValue, name: string, args: Val[]): Val {
  const [arg] = args
  if (arg instanceof CelError) return arg
  if (typeof target !== 'string' || typeof arg !== 'string' || args.length !== 1)
    return new CelError(`${name}() needs a string and one string argument`)
  if (name === 'startsWith') return target.startsWith(arg)
  if (name === 'endsWith') return target.endsWith(arg)
  if (name === 'contains') return target.includes(arg)
  return new CelError(`unknown function ${name}()`)
}
