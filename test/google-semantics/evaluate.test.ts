import { describe, it, expect } from '@jest/globals'
import type { UrlMap } from '../../src/core/compute.js'
import {
  hostRuleIndex,
  matchHostRule,
  evaluateUrlMap,
  type EvaluateOptions,
  type Resolution,
  type RouteRequest
} from '../../src/core/google-semantics/evaluate.js'
import { refName } from '../../src/core/google-semantics/refs.js'
import { bs, mainMap } from './fixtures.js'

/** summary renders a resolution the way a reader checks it: "svc /path", "svc /path host=h", "redirect 302 h/p", "none". */
function summary(r: Resolution): string {
  if (r.kind === 'service') return `${refName(r.service)} ${r.path}${r.host ? ` host=${r.host}` : ''}`
  if (r.kind === 'redirect') {
    const l = r.location
    return `redirect ${l?.status} ${l?.https ? 'https://' : ''}${l?.host}${l?.path}`
  }
  return 'none'
}

interface Case {
  readonly name: string
  /** The sentence of research/gce-api.md (or "choice:" and why) the expectation comes from. */
  readonly cite: string
  readonly req: RouteRequest & { readonly headers?: RouteRequest['headers'] }
  readonly want: string
  readonly map?: UrlMap
  readonly opts?: EvaluateOptions
}

const E = 'example.com'
const videoStar: UrlMap = {
  defaultService: bs('default'),
  hostRules: [{ hosts: ['*'], pathMatcher: 'm' }],
  pathMatchers: [
    {
      name: 'm',
      defaultService: bs('m-default'),
      pathRules: [
        { paths: ['/video/hd', '/video/hd/*'], service: bs('hd') },
        { paths: ['/video/*'], service: bs('video') }
      ]
    }
  ]
}
const weightedRules: UrlMap = {
  defaultService: bs('default'),
  hostRules: [
    { hosts: [E], pathMatcher: 'p' },
    { hosts: ['r.example.com'], pathMatcher: 'r' },
    { hosts: ['t.example.com'], pathMatcher: 't' }
  ],
  pathMatchers: [
    {
      name: 'p',
      defaultService: bs('p-default'),
      pathRules: [
        {
          paths: ['/w/*'],
          routeAction: {
            weightedBackendServices: [
              { backendService: bs('pw1'), weight: 50 },
              { backendService: bs('pw2'), weight: 50 }
            ],
            urlRewrite: { pathPrefixRewrite: '/' }
          }
        }
      ]
    },
    {
      name: 'r',
      defaultService: bs('r-default'),
      routeRules: [
        {
          priority: 1,
          matchRules: [{ prefixMatch: '/' }],
          routeAction: { weightedBackendServices: [{ backendService: bs('rw1'), weight: 1 }] }
        }
      ]
    },
    {
      name: 't',
      defaultService: bs('t-default'),
      routeRules: [
        { priority: 1, matchRules: [{ pathTemplateMatch: '/users/{id}/**' }], service: bs('tmpl') }
      ]
    }
  ]
}
const hostsOnly = (hosts: string[][]): UrlMap => ({
  defaultService: bs('default'),
  hostRules: hosts.map((h, i) => ({ hosts: h, pathMatcher: `m${i}` })),
  pathMatchers: hosts.map((_, i) => ({ name: `m${i}`, defaultService: bs(`m${i}`) }))
})

const cases: Case[] = [
  // --- exact vs prefix (§8.1, §8.2) -------------------------------------------------------------------
  {
    name: 'exact rule beats prefix rule',
    cite: '§8.1 "If the path matcher contains a path rule that exactly matches the URL\'s path, Google Cloud directs requests to the backend service ... for that path rule."',
    req: { host: E, path: '/api' },
    want: 'api-exact /'
  },
  {
    name: 'prefix rule below /api/',
    cite: '§8.1 "a path rule ending in /* whose prefix matches the longest section of the URL\'s path"',
    req: { host: E, path: '/api/orders/7' },
    want: 'api /orders/7'
  },
  {
    name: '/x/* matches /x/ itself',
    cite: '§8.2 "`/x/*` matches `/x/` and everything below"',
    req: { host: E, path: '/a/b/' },
    want: 'ab /a/b/'
  },
  {
    name: '/x/* does not match /x',
    cite: '§8.2 "A --path-rule for /video/* ... doesn\'t match the path /video."',
    req: { host: E, path: '/a/b' },
    want: 'main-default /a/b'
  },
  {
    name: 'exact /x does not match /x/',
    cite: '§8.2 "`/x` (no star) is exact and does not match `/x/`"',
    req: { host: 'video.example.org', path: '/video/sd/' },
    want: 'sd-prefix /video/sd/'
  },
  {
    name: 'longest prefix wins though declared later (/api/v1/*)',
    cite: '§8.1 "Matches are always done on the longest-path-first basis."',
    req: { host: E, path: '/api/v1/x' },
    want: 'api-v1 /api/v1/x'
  },
  {
    name: 'longest prefix wins irrespective of order (/a/b/c/*)',
    cite: '§8.1 "a pathRule with a path /a/b/c/* will match before /a/b/* irrespective of the order"',
    req: { host: E, path: '/a/b/c/d' },
    want: 'abc /a/b/c/d'
  },
  {
    name: 'shorter prefix still matches its own subtree',
    cite: '§8.1 "a pathRule with a path /a/b/c/* will match before /a/b/*"',
    req: { host: E, path: '/a/b/x/c/d' },
    want: 'ab /a/b/x/c/d'
  },
  {
    name: '/a/b/c/* does not catch /a/b/c',
    cite: '§8.2 "this path rule doesn\'t match the path /video."',
    req: { host: E, path: '/a/b/c' },
    want: 'ab /a/b/c'
  },
  {
    name: '/* matches every path',
    cite: '§8.2 "`/*` matches every path (all paths begin with `/`)."',
    req: { host: 'dogs.example.org', path: '/deep/er/path' },
    want: 'dogs /love-to-fetch/deep/er/path'
  },
  {
    name: '/* matches the root',
    cite: '§8.2 "`/*` matches every path"',
    req: { host: 'dogs.example.org', path: '/' },
    want: 'dogs /love-to-fetch/'
  },
  {
    name: 'no rule matches → matcher default',
    cite: '§8.1 "If neither of the previous conditions is true, Google Cloud directs requests to the path matcher\'s default backend service"',
    req: { host: E, path: '/nothing/here' },
    want: 'main-default /nothing/here'
  },
  {
    name: 'paths are case-sensitive',
    cite: '§8.2 "[INFER] path rules are case-sensitive." choice: follow it, paths are opaque bytes',
    req: { host: E, path: '/API/users' },
    want: 'main-default /API/users'
  },
  {
    name: 'no segment magic: /apiary is not under /api/*',
    cite: '§8.2 "No substring/segment magic"',
    req: { host: E, path: '/apiary' },
    want: 'main-default /apiary'
  },

  // --- the documentation's /video/hd table (§8.1, §8.2) ----------------------------------------------
  {
    name: 'video: /video/hd/movie1 exact beats /video/hd/*',
    cite: '§8.1 "if the URL contains the exact path /video/hd/movie1, it is matched against that path rule."',
    req: { host: 'video.example.org', path: '/video/hd/movie1' },
    want: 'movie1 /video/hd/movie1'
  },
  {
    name: 'video: /video/hd/movie2 → /video/hd/*',
    cite: '§8.1 "contain a path rule ending in /* whose prefix matches the longest section"',
    req: { host: 'video.example.org', path: '/video/hd/movie2' },
    want: 'hd-prefix /video/hd/movie2'
  },
  {
    name: 'video: /video/hd → exact',
    cite: '§8.2 "with rules `/video/hd`, `/video/hd/*`, `/video/sd`, `/video/sd/*`"',
    req: { host: 'video.example.org', path: '/video/hd' },
    want: 'hd-exact /video/hd'
  },
  {
    name: 'video: /video/sd → exact',
    cite: '§8.2 "with rules `/video/hd`, `/video/hd/*`, `/video/sd`, `/video/sd/*`"',
    req: { host: 'video.example.org', path: '/video/sd' },
    want: 'sd-exact /video/sd'
  },
  {
    name: 'video: /video/sd/clip → /video/sd/*',
    cite: '§8.2 "with rules `/video/hd`, `/video/hd/*`, `/video/sd`, `/video/sd/*`"',
    req: { host: 'video.example.org', path: '/video/sd/clip' },
    want: 'sd-prefix /video/sd/clip'
  },
  {
    name: 'video: /video → matcher default',
    cite: '§8.2 "the paths `/video` and `/video/examples` go to the matcher default \\"because there is no path rule for /video/ or /video/*\\""',
    req: { host: 'video.example.org', path: '/video' },
    want: 'video-default /video'
  },
  {
    name: 'video: /video/examples → matcher default',
    cite: '§8.2 "the paths `/video` and `/video/examples` go to the matcher default"',
    req: { host: 'video.example.org', path: '/video/examples' },
    want: 'video-default /video/examples'
  },
  {
    name: 'video: /video/hd-abcd is not /video/hd*',
    cite: '§8.2 "path rules for either /videos/hd or /videos/hd/* don\'t apply to a URL with the path /video/hd-abcd."',
    req: { host: 'video.example.org', path: '/video/hd-abcd' },
    want: 'video-default /video/hd-abcd'
  },
  {
    name: 'video: /video/hd-abcd under /video/*',
    cite: '§8.2 "However, a path rule for /video/* does apply to that path."',
    map: videoStar,
    req: { host: E, path: '/video/hd-abcd' },
    want: 'video /video/hd-abcd'
  },
  {
    name: 'video: two paths in one rule, /video/hd/x',
    cite: '§8.1 "longest-path-first basis"',
    map: videoStar,
    req: { host: E, path: '/video/hd/x' },
    want: 'hd /video/hd/x'
  },

  // --- query and fragment (§8.2) ---------------------------------------------------------------------
  {
    name: 'query stripped before exact match',
    cite: '§8.2 "Query and fragment are stripped before matching (\\"does not include any text after the first ? or #\\")"',
    req: { host: 'video.example.org', path: '/video/hd?x=1' },
    want: 'hd-exact /video/hd'
  },
  {
    name: 'fragment stripped before exact match',
    cite: '§8.2 "does not include any text after the first ? or #"',
    req: { host: 'video.example.org', path: '/video/hd#top' },
    want: 'hd-exact /video/hd'
  },
  {
    name: '? inside the fragment is not a query',
    cite: '§8.2 "after the first ? or #" — choice: the fragment ends the URL, so its ? is ignored',
    req: { host: 'video.example.org', path: '/video/sd#a?b' },
    want: 'sd-exact /video/sd'
  },
  {
    name: 'query with a slash does not extend the path',
    cite: '§8.2 "does not include any text after the first ? or #"',
    req: { host: E, path: '/a/b?next=/a/b/c/d' },
    want: 'main-default /a/b'
  },
  {
    name: 'returned path has no query after a rewrite',
    cite: '§8.5 "rule `/api/*` + rewrite `/` → `/api/users?q=1` ⇒ `/users?q=1`" (the query travels separately; Resolution.path has none)',
    req: { host: E, path: '/api/users?q=1' },
    want: 'api /users'
  },
  {
    name: 'empty path is the root',
    cite: 'choice: an HTTP request line always carries at least "/", so "" is treated as "/"',
    req: { host: 'dogs.example.org', path: '' },
    want: 'dogs /love-to-fetch/'
  },

  // --- hosts (§8.3) ----------------------------------------------------------------------------------
  {
    name: 'exact host',
    cite: '§8.3 "The hostname portion of a URL is either exactly matched ..."',
    req: { host: E, path: '/zzz' },
    want: 'main-default /zzz'
  },
  {
    name: 'wildcard host',
    cite: '§8.3 "a host rule *.example.net is matched against both hostnames news.example.net and finance.example.net."',
    req: { host: 'news.example.com', path: '/' },
    want: 'wild-default /'
  },
  {
    name: 'wildcard matches several labels',
    cite: '§8.3 "`*.example.com` matches `a.b.example.com`"',
    req: { host: 'a.b.example.com', path: '/' },
    want: 'wild-default /'
  },
  {
    name: 'longest wildcard wins',
    cite: '§8.3 "[INFER] Envoy-style ...: exact > longest suffix wildcard (`*.b.example.com` before `*.example.com`)"',
    req: { host: 'v1.api.example.com', path: '/' },
    want: 'wildapi-default /'
  },
  {
    name: 'dash wildcard',
    cite: '§6.4.5 "the immediate following character must be either - or ." (`*-api.example.com`)',
    req: { host: 'foo-api.example.com', path: '/' },
    want: 'dashapi-default /'
  },
  {
    name: 'dash wildcard needs the dash',
    cite: '§8.3 "`*` matches `[a-z0-9-.]*` [PROTO]" — `fooapi.example.com` lacks "-api", so only *.example.com matches',
    req: { host: 'fooapi.example.com', path: '/' },
    want: 'wild-default /'
  },
  {
    name: '*.example.com does not match example.com',
    cite: '§8.3 "`*.example.com` matches `a.b.example.com` but not `example.com` (the literal `.` must be present)"',
    map: hostsOnly([['*.example.com']]),
    req: { host: E, path: '/' },
    want: 'default /'
  },
  {
    name: 'wildcard does not match the empty label',
    cite: 'choice (Envoy): the wildcard never matches the empty string, so `.example.com` is no match',
    map: hostsOnly([['*.example.com']]),
    req: { host: '.example.com', path: '/' },
    want: 'default /'
  },
  {
    name: 'exact host beats wildcard',
    cite: '§8.3 "[INFER] ... exact > longest suffix wildcard > bare `*`; host rule order irrelevant"',
    map: hostsOnly([['*.example.com'], ['www.example.com']]),
    req: { host: 'www.example.com', path: '/' },
    want: 'm1 /'
  },
  {
    name: 'wildcard beats bare *',
    cite: '§8.3 "exact > longest suffix wildcard > bare `*`"',
    map: hostsOnly([['*'], ['*.example.com']]),
    req: { host: 'a.example.com', path: '/' },
    want: 'm1 /'
  },
  {
    name: 'bare * catches any host',
    cite: '§8.3 "It is possible to match all hostnames by specifying the wildcard character * in the host rule"',
    map: hostsOnly([['*'], ['*.example.com']]),
    req: { host: 'other.org', path: '/' },
    want: 'm0 /'
  },
  {
    name: 'bare * catches a host with a port',
    cite: '§8.3 "if you omit the host, the rule matches any requested host" — choice: `*` matches every Host value',
    map: hostsOnly([['*']]),
    req: { host: 'other.org:8443', path: '/' },
    want: 'm0 /'
  },
  {
    name: 'no host rule → URL map default',
    cite: '§8.1 "If the URL map does not contain a host rule for the URL\'s hostname, Google Cloud directs requests to the URL map\'s default backend service"',
    req: { host: 'unknown.org', path: '/api/users' },
    want: 'default /api/users'
  },
  {
    name: 'request host compares case-insensitively',
    cite: '§8.3 "Hosts compare case-insensitively [INFER: DNS names; ALBs lower-case headers]"',
    req: { host: 'EXAMPLE.com', path: '/api' },
    want: 'api-exact /'
  },
  {
    name: 'rule host compares case-insensitively',
    cite: '§8.3 "Hosts compare case-insensitively"',
    req: { host: 'mixed.example.org', path: '/' },
    want: 'wild-default /'
  },
  {
    name: 'wildcard with upper-case request',
    cite: '§8.3 "Hosts compare case-insensitively"',
    req: { host: 'NEWS.Example.Com', path: '/' },
    want: 'wild-default /'
  },
  {
    name: 'port in rule matches the same port',
    cite: '§8.3 "For all other Application Load Balancers, you can use the Host rule parameter to specify a port number ... set the host rule to example.net:8080."',
    req: { host: 'example.net:8080', path: '/' },
    want: 'port-default /'
  },
  {
    name: 'port rule does not match another port',
    cite: '§8.3 "set the host rule to example.net:8080" — choice (EXTERNAL_MANAGED): ports compare exactly',
    req: { host: 'example.net:9090', path: '/' },
    want: 'default /'
  },
  {
    name: 'port rule does not match the bare host',
    cite: '§8.3 "set the host rule to example.net:8080" — choice (EXTERNAL_MANAGED): the Host header is compared as sent',
    req: { host: 'example.net', path: '/' },
    want: 'default /'
  },
  {
    name: 'bare rule does not match host:port (EXTERNAL_MANAGED)',
    cite: '§8.3 "[INFER] with EXTERNAL_MANAGED, a request `Host: example.net:8080` does not match rule `example.net`."',
    map: hostsOnly([['example.net']]),
    req: { host: 'example.net:8080', path: '/' },
    want: 'default /'
  },
  {
    name: 'classic ignores the port',
    cite: '§8.3 "In the case of the classic Application Load Balancer, only the hostname in the URL is considered ... example.net requests for port 8080 and port 80 match the host rule example.net."',
    map: hostsOnly([['example.net']]),
    opts: { scheme: 'EXTERNAL' },
    req: { host: 'example.net:8080', path: '/' },
    want: 'm0 /'
  },
  {
    name: 'wildcard does not swallow a port',
    cite: '§8.3 "`*` matches `[a-z0-9-.]*`" — ":" is not in the class, so `*.example.com` ≠ `a.example.com:8080`',
    map: hostsOnly([['*.example.com']]),
    req: { host: 'a.example.com:8080', path: '/' },
    want: 'default /'
  },

  // --- defaults (§8.1, DESIGN §4) --------------------------------------------------------------------
  {
    name: 'matcher without default → URL map default',
    cite: 'choice: DESIGN.md §4 "A matcher with no declared default uses the URL map\'s default." (docs require a matcher default, §6.4.2)',
    req: { host: 'nodefault.example.org', path: '/y' },
    want: 'default /y'
  },
  {
    name: 'matcher without default still routes its rules',
    cite: '§8.1 "exactly matches the URL\'s path"',
    req: { host: 'nodefault.example.org', path: '/x' },
    want: 'x /x'
  },
  {
    name: 'URL map default redirect',
    cite: '§6.2 "UrlMap { ... defaultUrlRedirect? }"; §8.5 "in defaultUrlRedirect it is \\"effectively a prefix prepend because the matched path is always /\\""',
    map: { defaultUrlRedirect: { prefixRedirect: '/new/', redirectResponseCode: 'TEMPORARY_REDIRECT' } },
    req: { host: E, path: '/a?b=1' },
    want: 'redirect 307 example.com/new/a?b=1'
  },
  {
    name: 'URL map defaultRouteAction weighted + rewrite',
    cite: '§6.4.2 "defaultRouteAction.weightedBackendService"; choice: the first weighted service stands for the split',
    map: {
      defaultRouteAction: {
        weightedBackendServices: [{ backendService: bs('w'), weight: 1 }],
        urlRewrite: { pathPrefixRewrite: '/p/', hostRewrite: 'h.example' }
      }
    },
    req: { host: E, path: '/x' },
    want: 'w /p/x host=h.example'
  },
  {
    name: 'URL map with no default at all → none',
    cite: 'choice: an (invalid) map with no default action answers "none" instead of guessing',
    map: {},
    req: { host: E, path: '/' },
    want: 'none'
  },
  {
    name: 'matcher defaultRouteAction weighted, first service',
    cite: '§6.4.2 "Only one of defaultUrlRedirect, defaultService or defaultRouteAction.weightedBackendService can be set" — choice: weightedBackendServices[0] is reported',
    req: { host: 'weighted.example.org', path: '/x' },
    want: 'w1 /app/x'
  },

  // --- redirects -------------------------------------------------------------------------------------
  {
    name: 'pathRule prefixRedirect replaces the matched prefix',
    cite: '§8.5 "prefixRedirect is a prefix replacement based on how the requested path was matched"',
    req: { host: E, path: '/moved/a/b?k=v' },
    want: 'redirect 302 example.com/new/a/b?k=v'
  },
  {
    name: 'pathRedirect + https + stripQuery',
    cite: '§6.2 "HttpRedirectAction { hostRedirect?, pathRedirect? | prefixRedirect?, httpsRedirect?, stripQuery?, redirectResponseCode? }"',
    req: { host: E, path: '/gone?x=1' },
    want: 'redirect 301 https://other.example.com/x'
  },
  {
    name: 'matcher defaultUrlRedirect keeps the path',
    cite: '§6.2 "redirectResponseCode? (... PERMANENT_REDIRECT=308)"',
    req: { host: 'redirect.example.org', path: '/p?q' },
    want: 'redirect 308 https://www.example.org/p?q'
  },

  // --- routeRules (§8.2, §8.4) -----------------------------------------------------------------------
  {
    name: 'routeRules: lower priority number first',
    cite: '§8.4 "routeRules are evaluated in order of priority, from the lowest to highest number ... The first rule that matches the request is applied."',
    req: { host: 'routes.example.org', path: '/api/special' },
    want: 'r-special /api/special'
  },
  {
    name: 'routeRules: prefixMatch is a raw prefix',
    cite: '§8.2 "prefixMatch `/api` matches `/apiary` [INFER from \\"begin with\\"]"',
    req: { host: 'routes.example.org', path: '/apiary' },
    want: 'r-api /v2ary'
  },
  {
    name: 'routeRules: prefix rewrite replaces the prefix',
    cite: '§8.5 "routeRule prefixMatch `/api` + rewrite `/v2` ⇒ `/api/x` → `/v2/x`"',
    req: { host: 'routes.example.org', path: '/api/x?z=1' },
    want: 'r-api /v2/x'
  },
  {
    name: 'routeRules: fullPathMatch is exact',
    cite: '§6.4.9 "exactly one of prefixMatch/fullPathMatch/..." (fullPathMatch compares the whole path)',
    req: { host: 'routes.example.org', path: '/api/special/' },
    want: 'r-api /v2/special/'
  },
  {
    name: 'routeRules: fullPathMatch rewrite replaces the whole path',
    cite: '§8.5 "the matching portion of the request\'s path is replaced by pathPrefixRewrite" — for fullPathMatch the matching portion is the whole path',
    req: { host: 'routes.example.org', path: '/exact' },
    want: 'r-full /e'
  },
  {
    name: 'routeRules: ignoreCase',
    cite: '§6.2 "HttpRouteRuleMatch { prefixMatch? | fullPathMatch? ..., ignoreCase? }"',
    req: { host: 'routes.example.org', path: '/CASE/x' },
    want: 'r-case /CASE/x'
  },
  {
    name: 'routeRules: case-sensitive without ignoreCase',
    cite: '§6.2 "ignoreCase?" — absent means case-sensitive',
    req: { host: 'routes.example.org', path: '/API/x' },
    want: 'routes-default /API/x'
  },
  {
    name: 'routeRules: * in prefixMatch is literal',
    cite: '§8.2 "The * character inside a prefix match is treated as a literal character"',
    req: { host: 'routes.example.org', path: '/lit*eral' },
    want: 'r-lit /lit*eral'
  },
  {
    name: 'routeRules: * is not a wildcard',
    cite: '§8.2 "The * character inside a prefix match is treated as a literal character"',
    req: { host: 'routes.example.org', path: '/literal' },
    want: 'routes-default /literal'
  },
  {
    name: "routeRules: matchRules OR'd (first)",
    cite: '§8.4 "matchRules are OR\'d, predicates within one matchRule AND\'d"',
    req: { host: 'routes.example.org', path: '/one' },
    want: 'r-or /one'
  },
  {
    name: "routeRules: matchRules OR'd (second)",
    cite: '§8.4 "matchRules are OR\'d"',
    req: { host: 'routes.example.org', path: '/two/x' },
    want: 'r-or /two/x'
  },
  {
    name: 'routeRules: no match → matcher default',
    cite: '§8.1 "If neither of the previous conditions is true ... the path matcher\'s default backend service"',
    req: { host: 'routes.example.org', path: '/zzz' },
    want: 'routes-default /zzz'
  },
  {
    name: "routeRules: header predicate AND'd, header present",
    cite: '§8.4 "predicates within one matchRule AND\'d"',
    req: { host: 'routes.example.org', path: '/hdr', headers: [{ name: 'X-Canary', value: 'yes' }] },
    want: 'r-canary /hdr'
  },
  {
    name: 'routeRules: header predicate fails → next priority',
    cite: '§8.4 "The first rule that matches the request is applied." — choice: a request without headers has none',
    req: { host: 'routes.example.org', path: '/hdr' },
    want: 'r-hdr /hdr'
  },
  {
    name: 'routeRules: query parameter predicate',
    cite: '§8.4 "predicates within one matchRule AND\'d"',
    req: { host: 'routes.example.org', path: '/q?v=2' },
    want: 'r-q /q'
  },
  {
    name: 'routeRules: query parameter predicate fails',
    cite: '§8.4 "predicates within one matchRule AND\'d"',
    req: { host: 'routes.example.org', path: '/q?v=3' },
    want: 'routes-default /q'
  },
  {
    name: 'routeRules: redirect with prefixRedirect',
    cite: '§8.5 "prefixRedirect is a prefix replacement based on how the requested path was matched"',
    req: { host: 'routes.example.org', path: '/go/x' },
    want: 'redirect 303 routes.example.org/went/x'
  },

  // --- pathPrefixRewrite in every form (§8.5) ----------------------------------------------------------
  {
    name: 'rewrite /api/* + / : /api/users → /users',
    cite: '§8.5 "rule `/api/*` + rewrite `/` → `/api/users?q=1` ⇒ `/users?q=1`"',
    req: { host: E, path: '/api/users' },
    want: 'api /users'
  },
  {
    name: 'rewrite /api/* + / : /api/ → /',
    cite: '§8.5 "`/api/` ⇒ `/`"',
    req: { host: E, path: '/api/' },
    want: 'api /'
  },
  {
    name: 'rewrite exact /api + / → /',
    cite: '§8.5 "rule `/api` + rewrite `/` ⇒ `/`"',
    req: { host: E, path: '/api' },
    want: 'api-exact /'
  },
  {
    name: 'rewrite /old/* + /v2 → /v2users (no slash inserted)',
    cite: '§8.5 "rule `/api/*` + rewrite `/v2` ⇒ `/v2users` (no slash inserted)"',
    req: { host: E, path: '/old/users' },
    want: 'old /v2users'
  },
  {
    name: 'rewrite exact rule replaces the whole path',
    cite: '§8.5 "the \\"matching portion\\" ... of an exact rule the whole path"',
    req: { host: E, path: '/static' },
    want: 'static /assets/index.html'
  },
  {
    name: 'rewrite /* + /love-to-fetch/',
    cite: '§8.5 "path rule `/*` with `pathPrefixRewrite: /love-to-fetch/` → request `/two-dogs.jpg` reaches the backend as `/love-to-fetch/two-dogs.jpg`"',
    req: { host: 'dogs.example.org', path: '/two-dogs.jpg' },
    want: 'dogs /love-to-fetch/two-dogs.jpg'
  },
  {
    name: 'rewrite on a default route action prepends',
    cite: '§8.5 "effectively a prefix prepend because the matched path is always /" — choice: the same rule for pathPrefixRewrite on a default',
    req: { host: 'weighted.example.org', path: '/a/b' },
    want: 'w1 /app/a/b'
  },
  {
    name: 'hostRewrite returned as host',
    cite: '§8.5 "`hostRewrite`: \\"the request\'s host header is replaced with contents of hostRewrite\\""',
    req: { host: E, path: '/run/hello' },
    want: 'shared-run /hello host=hello-abc-ew.a.run.app'
  },
  {
    name: 'no rewrite keeps the path',
    cite: '§8.5 "Before forwarding ... the matching portion of the request\'s path is replaced" (only when pathPrefixRewrite is set)',
    req: { host: E, path: '/api/v1/x' },
    want: 'api-v1 /api/v1/x'
  },

  // --- weighted services and templates in rules ------------------------------------------------------
  {
    name: 'pathRule with weightedBackendServices only',
    cite: '§6.4.2 "Only one of urlRedirect, service or routeAction.weightedBackendService can be set." — choice: weightedBackendServices[0] is reported',
    map: weightedRules,
    req: { host: E, path: '/w/x' },
    want: 'pw1 /x'
  },
  {
    name: 'routeRule with weightedBackendServices only',
    cite: '§6.2 "HttpRouteAction { urlRewrite?, weightedBackendServices?[] }" — choice: the first entry stands for the split',
    map: weightedRules,
    req: { host: 'r.example.com', path: '/anything' },
    want: 'rw1 /anything'
  },
  {
    name: 'routeRule pathTemplateMatch',
    cite: '§6.2 "HttpRouteRuleMatch { ... pathTemplateMatch? }" — choice: `*` is one segment, `**` the rest, `{x}` = `{x=*}`',
    map: weightedRules,
    req: { host: 't.example.com', path: '/users/42/photos/1' },
    want: 'tmpl /users/42/photos/1'
  },
  {
    name: 'routeRule pathTemplateMatch, segment must be present',
    cite: '§6.2 "pathTemplateMatch?" — choice: `{id}` needs a non-empty segment',
    map: weightedRules,
    req: { host: 't.example.com', path: '/users/' },
    want: 't-default /users/'
  }
]

describe('evaluateUrlMap', () => {
  it('has at least 60 cited cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(60)
    for (const c of cases) expect(c.cite.length).toBeGreaterThan(10)
  })

  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    expect(summary(evaluateUrlMap(c.map ?? mainMap, c.req, c.opts))).toBe(c.want)
  })

  it('returns the service reference exactly as written in the map', () => {
    const full = 'https://www.googleapis.com/compute/v1/projects/p/global/backendServices/full'
    const r = evaluateUrlMap({ defaultService: full }, { host: 'x', path: '/' })
    expect(r).toEqual({ kind: 'service', service: full, path: '/', matchedBy: { rule: 'urlMap default' } })
  })

  it.each([
    ['pathRule', { host: E, path: '/api/x' }, { hostRule: 0, pathMatcher: 'main', rule: 'pathRule /api/*' }],
    [
      'routeRule',
      { host: 'routes.example.org', path: '/one' },
      { hostRule: 6, pathMatcher: 'routes', rule: 'routeRule priority 40' }
    ],
    [
      'matcher default',
      { host: 'video.example.org', path: '/v' },
      { hostRule: 8, pathMatcher: 'video', rule: 'pathMatcher default' }
    ],
    [
      'fallback to map default',
      { host: 'nodefault.example.org', path: '/v' },
      { hostRule: 5, pathMatcher: 'nodefault', rule: 'urlMap default (pathMatcher has no default)' }
    ],
    ['no host rule', { host: 'nope', path: '/' }, { rule: 'urlMap default' }]
  ] as const)('matchedBy names the deciding rule: %s', (_n, req, want) => {
    expect(evaluateUrlMap(mainMap, req).matchedBy).toEqual(want)
  })
})

describe('hostRuleIndex', () => {
  it('answers as matchHostRule for every host (exact, wildcard, port, case, none), both schemes', () => {
    const hosts = [
      'example.com',
      'EXAMPLE.com',
      'a.example.com',
      'x.api.example.com',
      'my-api.example.com',
      'example.net:8080',
      'example.net',
      'mixed.example.org',
      'nothing.invalid',
      'example.com:443'
    ]
    for (const scheme of ['EXTERNAL', 'EXTERNAL_MANAGED'] as const) {
      const compiled = hostRuleIndex(mainMap, scheme)
      for (const h of hosts) expect([h, compiled(h)]).toEqual([h, matchHostRule(mainMap, h, scheme)])
    }
  })
})
