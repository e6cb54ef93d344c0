// The subset of CEL that workload identity providers use (attribute mappings and conditions): literals,
// `assertion.x` / `attribute.x` member access and indexing, ==, !=, &&, ||, !, in (lists and map keys), +, ? :,
// and the string
// methods startsWith, endsWith and contains. Evaluated directly while parsing; an error (a missing claim,
// a type mismatch, a syntax error) makes the whole expression fail, as it does on Google.

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
  return v
}

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
    if (this.peek()?.kind === 'op' && this.peek()?.text === op) return !!this.take()
    if (op === 'in' && this.peek()?.kind === 'id' && this.peek()?.text === 'in') return !!this.take()
    return false
  }

  ternary(): CelValue {
    const cond = this.or()
    if (!this.accept('?')) return cond
    const yes = this.ternary()
    this.take(':')
    const no = this.ternary()
    return bool(cond) ? yes : no
  }

  private or(): CelValue {
    let v = this.and()
    while (this.accept('||')) v = this.and() === true || bool(v)
    return v
  }

  private and(): CelValue {
    let v = this.rel()
    while (this.accept('&&')) v = this.rel() === true && bool(v)
    return v
  }

  private rel(): CelValue {
    const left = this.add()
    if (this.accept('==')) return same(left, this.add())
    if (this.accept('!=')) return !same(left, this.add())
    if (this.accept('in')) {
      const right = this.add()
      if (Array.isArray(right)) return right.some((x) => same(x, left))
      // `"key" in map` tests for a key (e.g. `"environment" in assertion`: the claim is present).
      if (right !== null && typeof right === 'object' && typeof left === 'string')
        return Object.hasOwn(right, left)
      throw new CelError('"in" needs a list or a map on its right')
    }
    return left
  }

  private add(): CelValue {
    let v = this.unary()
    while (this.accept('+')) {
      const r = this.unary()
      if (typeof v === 'string' && typeof r === 'string') v = v + r
      else if (typeof v === 'number' && typeof r === 'number') v = v + r
      else throw new CelError('"+" needs two strings or two numbers')
    }
    return v
  }

  private unary(): CelValue {
    if (this.accept('!')) return !bool(this.unary())
    return this.postfix(this.primary())
  }

  private postfix(v: CelValue): CelValue {
    for (;;) {
      if (this.accept('.')) {
        const name = this.take().text
        if (this.accept('(')) v = call(v, name, this.args(')'))
        else v = member(v, name)
      } else if (this.accept('[')) {
        const key = this.ternary()
        this.take(']')
        v = member(v, String(key))
      } else return v
    }
  }

  private args(close: string): CelValue[] {
    const out: CelValue[] = []
    if (this.accept(close)) return out
    do out.push(this.ternary())
    while (this.accept(','))
    this.take(close)
    return out
  }

  private primary(): CelValue {
    const t = this.take()
    if (t.kind === 'str' || t.kind === 'num') return t.value!
    if (t.kind === 'op' && t.text === '(') {
      const v = this.ternary()
      this.take(')')
      return v
    }
    if (t.kind === 'op' && t.text === '[') return this.args(']')
    if (t.kind === 'id') {
      if (t.text === 'true' || t.text === 'false') return t.text === 'true'
      if (t.text === 'null') return null
      if (Object.hasOwn(this.vars, t.text)) return this.vars[t.text]!
      throw new CelError(`undeclared reference to '${t.text}'`)
    }
    throw new CelError(`unexpected ${JSON.stringify(t.text)}`)
  }
}

function bool(v: CelValue): boolean {
  if (typeof v !== 'boolean') throw new CelError('expected a boolean')
  return v
}

function same(a: CelValue, b: CelValue): boolean {
  return JSON.stringify(a) === JSON.stringify(b)
}

function member(v: CelValue, name: string): CelValue {
  if (v === null || typeof v !== 'object' || Array.isArray(v) || !Object.hasOwn(v, name))
    throw new CelError(`no such key: ${name}`)
  return v[name]!
}

function call(target: CelValue, name: string, args: CelValue[]): CelValue {
  const [arg] = args
  if (typeof target !== 'string' || typeof arg !== 'string' || args.length !== 1)
    throw new CelError(`${name}() needs a string and one string argument`)
  if (name === 'startsWith') return target.startsWith(arg)
  if (name === 'endsWith') return target.endsWith(arg)
  if (name === 'contains') return target.includes(arg)
  throw new CelError(`unknown function ${name}()`)
}
