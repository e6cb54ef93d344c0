// GitHub Action entry point: wiring only. Real @actions/core, the runner's environment and the
// filesystem go into actionDeps and runActionSafely (one failure sink).
import * as actionsCore from '@actions/core'
import { readFileSync } from 'node:fs'
import { readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import type { ActionCore } from '../shell/action/deps.js'
import { runActionSafely } from '../shell/action/run-action.js'
import { actionDeps } from '../shell/action/wiring.js'
import { workflowSafeLog } from '../shell/logger.js'

const env = process.env
// Every line the action logs has workflow commands escaped (one helper, shell/logger.ts).
const core = { ...actionsCore, ...workflowSafeLog(actionsCore) }
const actionCore: ActionCore = {
  info: (m) => core.info(m),
  warning: (m) => core.warning(m),
  notice: (m) => core.notice(m),
  error: (m, p) => core.error(m, p),
  setOutput: (n, v) => core.setOutput(n, v),
  setSecret: (s) => core.setSecret(s),
  setFailed: (m) => core.setFailed(m),
  writeSummary: async (md) => {
    if (env.GITHUB_STEP_SUMMARY) await core.summary.addRaw(md, true).write()
  }
}

await runActionSafely(actionCore, () =>
  actionDeps({
    env,
    getInput: (name) => core.getInput(name),
    getIDToken: (audience) => core.getIDToken(audience),
    payload: env.GITHUB_EVENT_PATH ? JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, 'utf8')) : {},
    core: actionCore,
    logger: { debug: (m) => core.debug(m), info: (m) => core.info(m), warn: (m) => core.warning(m) },
    tempDir: tmpdir(),
    readFile: (path) => readFile(path),
    writeFile: (path, text) => writeFile(path, text),
    now: () => new Date()
  })
)
