// Jest's node environment plus a leak check: once a test file has run (its afterAll hooks included),
// nothing it started may still be running: servers, sockets, timers, child processes, file watchers.
// A handle that is closing gets up to 2 s; what is left after that fails the file, naming the handles.
import { TestEnvironment } from 'jest-environment-node'

const GRACE_MS = 2000

/**
 * counts tallies this process's active resources by type (TCPServerWrap, TCPSocketWrap, ProcessWrap…).
 * Timers are left out: Jest's own come and go; the test file's are tracked one by one instead.
 */
function counts() {
  const out = new Map()
  for (const type of process.getActiveResourcesInfo())
    if (type !== 'Timeout' && type !== 'Immediate') out.set(type, (out.get(type) ?? 0) + 1)
  return out
}

/** tracked wraps a timer function so that every timer it creates is added to `live`. */
function tracked(timerFunction, live) {
  return new Proxy(timerFunction, {
    apply(target, self, args) {
      const timer = Reflect.apply(target, self, args)
      live.add(timer)
      return timer
    }
  })
}

/** pending: the timers that still hold the process open (`_destroyed`: Node sets it once fired or cleared). */
const pending = (live) => [...live].filter((t) => !t._destroyed && t.hasRef())

/** leaked lists the resource types of which there are more now than in `before`, and pending timers. */
function leaked(before, live) {
  const timers = pending(live).length
  return [...counts()]
    .filter(([type, n]) => n > (before.get(type) ?? 0))
    .map(([type, n]) => `${n - (before.get(type) ?? 0)} × ${type}`)
    .concat(timers > 0 ? [`${timers} × timer`] : [])
}

export default class NoLeaksEnvironment extends TestEnvironment {
  #testPath
  #before = new Map()
  #timers = new Set()

  constructor(config, context) {
    super(config, context)
    this.#testPath = context.testPath
  }

  async setup() {
    await super.setup()
    this.#before = counts()
    for (const name of ['setTimeout', 'setInterval'])
      this.global[name] = tracked(this.global[name], this.#timers)
  }

  async teardown() {
    await super.teardown()
    const deadline = performance.now() + GRACE_MS
    let extra = leaked(this.#before, this.#timers)
    while (extra.length > 0 && performance.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20))
      extra = leaked(this.#before, this.#timers)
    }
    if (extra.length > 0)
      throw new Error(
        `${this.#testPath}: still running ${GRACE_MS} ms after its tests ended: ${extra.join(', ')} ` +
          '(close servers, clear timers and wait for child processes in afterAll/afterEach)'
      )
  }
}
