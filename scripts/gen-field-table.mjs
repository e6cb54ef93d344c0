// Generates src/emulator/field-table.generated.ts: the Compute v1 methods the emulator's collections have
// and every message reachable from their request bodies and responses, read from Google's own definitions
// shipped in @google-cloud/compute (build/protos/protos.json for structure, compute.proto for the
// comments that say which string fields are enums and which fields are output only). The emulator refuses
// what this table does not know, as Compute does; the wire-conformance test checks lb-routes' requests
// against it. `--check` fails when the committed file does not match the installed definitions.
import { createRequire } from 'node:module'
import { readFileSync, writeFileSync } from 'node:fs'

const OUT = 'src/emulator/field-table.generated.ts'
const PROTOS = 'node_modules/@google-cloud/compute/build/protos'
const require = createRequire(import.meta.url)
const version = require('@google-cloud/compute/package.json').version
const root = JSON.parse(readFileSync(`${PROTOS}/protos.json`, 'utf8'))
const v1 = root.nested.google.nested.cloud.nested.compute.nested.v1.nested
const protoText = readFileSync(`${PROTOS}/google/cloud/compute/v1/compute.proto`, 'utf8')

// The services behind the emulator's collections (src/emulator/resources/index.ts) and operations, whole:
// the table describes Google, not what the emulator implements.
const SERVICES = [
  'BackendServices',
  'GlobalAddresses',
  'GlobalForwardingRules',
  'GlobalNetworkEndpointGroups',
  'GlobalOperations',
  // Only for aggregatedList, which spans global, regional and zonal NEGs.
  'NetworkEndpointGroups',
  'RegionNetworkEndpointGroups',
  'RegionOperations',
  'SslCertificates',
  'SslPolicies',
  'TargetHttpProxies',
  'TargetHttpsProxies',
  'UrlMaps'
]
const SCALARS = new Set(['string', 'bool', 'bytes', 'double', 'float', 'int32', 'int64', 'uint32', 'uint64'])
// Well-known types the Compute messages use, by their JSON form.
const WELL_KNOWN = { 'google.protobuf.Any': 'any' }
const lowerFirst = (s) => s[0].toLowerCase() + s.slice(1)
// protobuf's ToJsonName: drop each underscore and upper-case the letter after it.
const jsonName = (proto) => proto.replace(/_([a-z0-9])/gi, (_, c) => c.toUpperCase())

/** protoFacts reads compute.proto: per message, per field number, its proto name and leading comment. */
function protoFacts(text) {
  const facts = new Map()
  const stack = []
  let comment = []
  for (const raw of text.split('\n')) {
    const line = raw.trim()
    if (line.startsWith('//')) {
      comment.push(line.replace(/^\/\/\s?/, ''))
      continue
    }
    const open = /^(message|enum|oneof|service) (\w+) \{$/.exec(line)
    if (open) stack.push({ kind: open[1], name: open[2] })
    else if (line === '}') stack.pop()
    else {
      const field = /^(?:optional |repeated )?(?:map<[^>]+>|[\w.]+) (\w+) = (\d+)/.exec(line)
      const msg = stack.at(-1)
      if (field && msg?.kind === 'message') {
        const m = facts.get(msg.name) ?? new Map()
        m.set(Number(field[2]), { proto: field[1], comment: comment.join(' ') })
        facts.set(msg.name, m)
      }
    }
    comment = []
  }
  return facts
}

const facts = protoFacts(protoText)
const messages = {}
const enums = {}
const pending = []

function want(type) {
  if (SCALARS.has(type) || messages[type] || pending.includes(type)) return
  if (!v1[type]?.fields) throw new Error(`unknown message type ${type}`)
  pending.push(type)
}

/** fieldSpec renders one field in the table's notation (see src/emulator/field-table.ts). */
function fieldSpec(msgName, msg, name, f) {
  const fact = facts.get(msgName)?.get(f.id)
  if (!fact) throw new Error(`${msgName}.${name}: not found in compute.proto`)
  let type = f.type
  const enumRef = /Check the (\w+) enum for the list of possible values/.exec(fact.comment)?.[1]
  if (WELL_KNOWN[type]) type = WELL_KNOWN[type]
  else if (msg.nested?.[type]?.values) {
    // A true proto enum nested in the message (Operation.status); the JSON carries its value names.
    const e = msg.nested[type].values
    enums[`${msgName}.${type}`] = Object.keys(e).filter((v) => !(v.startsWith('UNDEFINED_') && e[v] === 0))
    type = `enum:${msgName}.${type}`
  } else if (v1[type]?.values) type = `enum:${type}`
  else if (enumRef && type === 'string') {
    const e = msg.nested?.[enumRef] ?? v1[enumRef]
    if (!e?.values) throw new Error(`${msgName}.${name}: enum ${enumRef} not found`)
    const key = msg.nested?.[enumRef] ? `${msgName}.${enumRef}` : enumRef
    enums[key] = Object.keys(e.values).filter((v) => !(v.startsWith('UNDEFINED_') && e.values[v] === 0))
    type = `enum:${key}`
  } else want(type)
  const out = /Output only\.|\[Output Only\]/.test(fact.comment)
  if (jsonName(fact.proto) !== name)
    throw new Error(`${msgName}.${name}: JSON name differs from ${fact.proto}`)
  const shape = f.keyType ? '{}' : f.rule === 'repeated' ? '[]' : ''
  return `${type}${shape}${out ? ' out' : ''}`
}

const methods = {}
for (const service of SERVICES) {
  for (const [m, def] of Object.entries(v1[service].methods)) {
    const http = def.parsedOptions.find((o) => o['(google.api.http)'])['(google.api.http)']
    const verb = ['get', 'post', 'put', 'patch', 'delete'].find((v) => http[v])
    const path = http[verb]
    const req = v1[def.requestType]
    const pathParams = new Set([...path.matchAll(/\{(\w+)\}/g)].map((x) => jsonName(x[1])))
    const bodyField = http.body ? jsonName(http.body) : undefined
    const query = Object.keys(req.fields)
      .filter((k) => !pathParams.has(k) && k !== bodyField)
      .sort()
    const entry = { http: `${verb.toUpperCase()} ${path}` }
    if (bodyField) {
      entry.body = req.fields[bodyField].type
      want(entry.body)
    }
    if (query.length)
      entry.query = Object.fromEntries(
        query.map((q) => [q, fieldSpec(def.requestType, req, q, req.fields[q])])
      )
    entry.response = def.responseType
    want(def.responseType)
    methods[`compute.${lowerFirst(service)}.${lowerFirst(m)}`] = entry
  }
}
while (pending.length) {
  const name = pending.shift()
  const msg = v1[name]
  messages[name] = {}
  for (const [f, def] of Object.entries(msg.fields).sort(([a], [b]) => a.localeCompare(b)))
    messages[name][f] = fieldSpec(name, msg, f, def)
}

const sorted = (o) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)))
const lines = (o) =>
  Object.entries(sorted(o))
    .map(([k, v]) => `    ${JSON.stringify(k)}: ${JSON.stringify(v)}`)
    .join(',\n')
const text = `// Generated by scripts/gen-field-table.mjs from @google-cloud/compute ${version} (protos.json and
// compute.proto). Do not edit: run \`node scripts/gen-field-table.mjs\` after updating the package.
// Notation (src/emulator/field-table.ts): TYPE[] repeated, TYPE{} map, "enum:E" a string enum,
// " out" output only.
import type { RawFieldTable } from './field-table.js'

export const COMPUTE_V1: RawFieldTable = {
  source: ${JSON.stringify(`@google-cloud/compute ${version}`)},
  package: 'google.cloud.compute.v1',
  methods: {
${lines(methods)}
  },
  messages: {
${lines(messages)}
  },
  enums: {
${lines(enums)}
  }
}
`
if (process.argv.includes('--check')) {
  if (readFileSync(OUT, 'utf8') !== text) {
    console.error(`${OUT} is stale: run node scripts/gen-field-table.mjs and commit it.`)
    process.exit(1)
  }
} else {
  writeFileSync(OUT, text)
}
