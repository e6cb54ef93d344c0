// Applying one frontend change (core/plan/frontend.ts). Waves (build-plan.ts) give the order; here each
// change becomes its REST calls: insert, delete, the proxies' set* methods for in-place updates, and
// delete-then-insert for a forwarding rule whose port or scheme changed (the API cannot update those).
import type {
  Address,
  ForwardingRule,
  SslCertificate,
  TargetHttpProxy,
  TargetHttpsProxy,
  UrlMap
} from '../../core/compute.js'
import type { FrontendKind, ResourceChange } from '../../core/plan/model.js'
import type { ComputeClient } from '../google/compute-client.js'
import { isNotFound } from '../google/errors.js'

// Already gone (e.g. a previous apply deleted it before dying): the goal is reached.
async function deleted(p: Promise<unknown>): Promise<void> {
  try {
    await p
  } catch (err) {
    if (!isNotFound(err)) throw err
  }
}

/** applyFrontendChange performs one create / update / replace / delete of a frontend resource. */
export async function applyFrontendChange(compute: ComputeClient, change: ResourceChange): Promise<void> {
  const { project, name } = change.address
  const kind = change.address.kind as FrontendKind
  const remove = () => {
    switch (kind) {
      case 'globalAddress':
        return compute.deleteGlobalAddress(project, name)
      case 'sslCertificate':
        return compute.deleteSslCertificate(project, name)
      case 'targetHttpsProxy':
        return compute.deleteTargetHttpsProxy(project, name)
      case 'targetHttpProxy':
        return compute.deleteTargetHttpProxy(project, name)
      case 'globalForwardingRule':
        return compute.deleteGlobalForwardingRule(project, name)
      case 'redirectUrlMap':
        return compute.deleteUrlMap(project, name)
    }
  }
  const insert = () => {
    switch (kind) {
      case 'globalAddress':
        return compute.insertGlobalAddress(project, change.after as Address)
      case 'sslCertificate':
        return compute.insertSslCertificate(project, change.after as SslCertificate)
      case 'targetHttpsProxy':
        return compute.insertTargetHttpsProxy(project, change.after as TargetHttpsProxy)
      case 'targetHttpProxy':
        return compute.insertTargetHttpProxy(project, change.after as TargetHttpProxy)
      case 'globalForwardingRule':
        return compute.insertGlobalForwardingRule(project, change.after as ForwardingRule)
      case 'redirectUrlMap':
        return compute.insertUrlMap(project, change.after as UrlMap)
    }
  }
  switch (change.action) {
    case 'delete':
      return deleted(compute.run(remove()))
    case 'create':
      await compute.run(insert())
      return
    case 'replace':
      await deleted(compute.run(remove()))
      await compute.run(insert())
      return
    case 'update':
      return update(compute, change, kind)
  }
}

async function update(compute: ComputeClient, change: ResourceChange, kind: FrontendKind): Promise<void> {
  const { project, name } = change.address
  const fields = new Set(change.fields ?? [])
  switch (kind) {
    case 'targetHttpsProxy': {
      const after = change.after as TargetHttpsProxy
      // One call switches every certificate at once: the proxy is never without one.
      if (fields.has('sslCertificates'))
        await compute.run(compute.setSslCertificates(project, name, after.sslCertificates ?? []))
      if (fields.has('urlMap')) await compute.run(compute.setHttpsProxyUrlMap(project, name, after.urlMap!))
      if (fields.has('sslPolicy'))
        await compute.run(compute.setSslPolicy(project, name, after.sslPolicy ?? null))
      return
    }
    case 'targetHttpProxy':
      await compute.run(compute.setHttpProxyUrlMap(project, name, (change.after as TargetHttpProxy).urlMap!))
      return
    case 'globalForwardingRule':
      await compute.run(
        compute.setForwardingRuleTarget(project, name, (change.after as ForwardingRule).target!)
      )
      return
    case 'redirectUrlMap': {
      // Read-modify-write with the fingerprint; the redirect map is lb-routes' own, so no merge is needed.
      const live = await compute.getUrlMap(project, name)
      const after = change.after as UrlMap
      await compute.run(
        compute.updateUrlMap(project, name, { ...after, fingerprint: live.fingerprint ?? null })
      )
      return
    }
    default:
      throw new Error(`${kind} ${name} cannot be updated in place; run plan again`)
  }
}
