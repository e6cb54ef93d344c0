// Wire conformance (issue #17): every request a representative run of lb-routes sends — plan, apply,
// replace, delete, rollback, frontend, export, adopt and Workload Identity Federation — is recorded by the
// emulator and checked against Google's definitions (src/emulator/field-table*.ts): known method, path,
// query parameters, body fields, enum values, and replies in Google's shape. A new client method is covered
// the day a scenario calls it; a field Google does not have fails here before it fails on Google.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { RequestLogEntry } from '../../src/emulator/types.js'
import { ComputeClient } from '../../src/shell/google/compute-client.js'
import { workloadIdentityCredentials } from '../../src/shell/google/credentials.js'
import { RunClient } from '../../src/shell/google/run-client.js'
import { NullLogger } from '../../src/shell/logger.js'
import { fakeJwt } from '../shell/scripted-server.js'
import { conformanceProblems } from '../support/wire-conformance.js'
import { handBuilt } from './hand-built.js'
import { edit, emptyMapState, fixture, LB, Scenario, seededState, URL_MAP } from './scenario-helpers.js'

// Operations stay RUNNING for 20 ms, so the clients poll them (wait / get) as they do on Google.
const REC = { recordBodies: true, operationMs: 20 }
const PROVIDER = 'projects/123456789/locations/global/workloadIdentityPools/github/providers/github'
const EDGE_SA = 'lb-routes@edge-prod.iam.gserviceaccount.com'

/** run fails the test with the CLI's output unless it exits with one of `codes`. */
async function run(sc: Scenario, args: string[], codes: number[] = [0]): Promise<void> {
  const r = await sc.run(args)
  if (!codes.includes(r.code)) throw new Error(`${args.join(' ')}: exit ${r.code}\n${r.stdout}\n${r.stderr}`)
}

/** techniques: plan/apply/plan of every technique, then a route removed and one moved to another service. */
async function techniques(log: RequestLogEntry[]): Promise<void> {
  const sc = await Scenario.start(seededState(), REC)
  try {
    const file = sc.routes('routes.json', 'techniques.jsonc')
    await sc.converge(file)
    await run(sc, ['validate', '--routes', file])
    await run(sc, ['drift', '--routes', file])
    log.push(...sc.emulator.requests())
  } finally {
    await sc.close()
  }
}

/** rollback: v1, then v2 (x1's service replaced, x2 deleted, x3 created) with a snapshot, then back. */
async function rollback(log: RequestLogEntry[]): Promise<void> {
  const sc = await Scenario.start(emptyMapState(), REC)
  try {
    const x3 = {
      name: 'x3',
      hosts: ['shared.example.com'],
      prefix: '/x3',
      to: { cloudRun: { url: 'https://x3-5f5f-ew.a.run.app' } }
    }
    await sc.converge(sc.routes('x.json', fixture('team-x.jsonc')))
    sc.routes(
      'x.json',
      edit(fixture('team-x.jsonc'), [
        [['routes', 0, 'to', 'cloudRun', 'url'], 'https://x1b-5f5f-ew.a.run.app'],
        [['routes', 0, 'timeoutSec'], 90],
        [['routes', 1], x3]
      ])
    )
    await run(sc, ['apply', '--routes', 'x.json', '--snapshot', 'snap.json'])
    await run(sc, ['rollback', '--from', 'snap.json'])
    log.push(...sc.emulator.requests())
  } finally {
    await sc.close()
  }
}

/** frontend: a load balancer bootstrapped from routes.json alone (address, certificate, proxies, rules). */
async function frontend(log: RequestLogEntry[]): Promise<void> {
  const sc = await Scenario.start({ projects: { [LB]: {} } }, REC)
  try {
    const routes = {
      version: 1,
      owner: 'team-web',
      loadBalancer: { project: LB, urlMap: URL_MAP },
      routes: [
        {
          name: 'site',
          hosts: ['*'],
          default: true,
          to: { cloudRun: { url: 'https://site-4d4d-ew.a.run.app' } }
        }
      ],
      frontend: { domains: ['www.example.com'] }
    }
    await sc.converge(sc.routes('routes.json', JSON.stringify(routes)))
    routes.frontend = { domains: ['www.example.com', 'shop.example.com'] }
    await run(sc, ['apply', '--routes', sc.routes('routes.json', JSON.stringify(routes))])
    log.push(...sc.emulator.requests())
  } finally {
    await sc.close()
  }
}

/** adopt: export a hand-built load balancer, then take it over in place. */
async function adopt(log: RequestLogEntry[]): Promise<void> {
  const sc = await Scenario.start(handBuilt(), REC)
  try {
    const out = ['--project', LB, '--url-map', URL_MAP, '--owner', 'team-web', '--out', 'routes.json']
    await run(sc, ['export', ...out])
    await run(sc, ['plan', '--adopt', '--routes', 'routes.json'], [2])
    await run(sc, ['adopt', '--routes', 'routes.json'])
    log.push(...sc.emulator.requests())
  } finally {
    await sc.close()
  }
}

/** wif: STS exchange and service-account impersonation, then Compute and Cloud Run reads with the token. */
async function wif(log: RequestLogEntry[]): Promise<void> {
  const state = seededState()
  state.serviceAccounts = { [EDGE_SA]: { projects: ['team-a'] } }
  const sc = await Scenario.start(state, REC)
  try {
    const credentials = workloadIdentityCredentials({
      provider: PROVIDER,
      serviceAccount: EDGE_SA,
      subjectToken: async () => fakeJwt(Math.floor(Date.now() / 1000) + 600, 'repo:o/r:ref:refs/heads/main'),
      stsEndpoint: `${sc.emulator.url}/v1/`,
      iamCredentialsEndpoint: `${sc.emulator.url}/v1/`
    })
    const logger = new NullLogger()
    const compute = new ComputeClient({ endpoint: `${sc.emulator.url}/compute/v1/`, credentials, logger })
    const runClient = new RunClient({ endpoint: `${sc.emulator.url}/v2/`, credentials, logger })
    await compute.getUrlMap(LB, URL_MAP)
    await runClient.getService('team-a', 'europe-west1', 'hello')
    log.push(...sc.emulator.requests())
  } finally {
    await sc.close()
  }
}

describe('wire conformance of everything lb-routes sends', () => {
  const log: RequestLogEntry[] = []
  beforeAll(async () => {
    for (const step of [techniques, rollback, frontend, adopt, wif]) await step(log)
  }, 120_000)
  afterAll(() => {
    log.length = 0
  })

  it('covers every kind of call the scenario makes', () => {
    const apis = new Set(log.map((e) => e.api))
    for (const api of [
      'compute.urlMaps.validate',
      'compute.urlMaps.update',
      'compute.backendServices.insert',
      'compute.backendServices.delete',
      'compute.globalNetworkEndpointGroups.attachNetworkEndpoints',
      'compute.globalNetworkEndpointGroups.delete',
      'compute.networkEndpointGroups.aggregatedList',
      'compute.globalOperations.wait',
      'compute.regionOperations.wait',
      'compute.regionNetworkEndpointGroups.insert',
      'compute.globalAddresses.insert',
      'compute.sslCertificates.insert',
      'compute.targetHttpsProxies.setSslCertificates',
      'compute.globalForwardingRules.insert',
      'run.services.get',
      'run.services.getIamPolicy',
      'sts.token',
      'iamcredentials.generateAccessToken'
    ])
      expect([api, apis.has(api)]).toEqual([api, true])
    expect(log.length).toBeGreaterThan(200)
  })

  it('sends only methods, paths, parameters, fields and enum values Google defines, and gets Google-shaped replies', () => {
    expect(conformanceProblems(log)).toEqual([])
  })

  it('fails when one request carries a field Google does not have', () => {
    const i = log.findIndex((e) => e.api === 'compute.backendServices.insert')
    const tampered = log.map((e, j) =>
      j === i ? { ...e, body: { ...(e.body as object), customRequestHeader: ['Host: x'] } } : e
    )
    const problems = conformanceProblems(tampered)
    expect(problems).toHaveLength(1)
    expect(problems[0]).toContain(
      `body: Invalid JSON payload received. Unknown name "customRequestHeader" at 'resource': Cannot find field.`
    )
  })
})
