// Shared URL maps for the urlmap tests. References are partial on purpose (Compute accepts them on input).
import type { UrlMap } from '../../src/core/compute.js'

/** bs builds a partial backend service reference. */
export const bs = (name: string): string => `global/backendServices/${name}`

/** mainMap exercises hosts, path rules, route rules, rewrites, redirects and defaults. */
export const mainMap: UrlMap = {
  name: 'edge',
  defaultService: bs('default'),
  hostRules: [
    { hosts: ['example.com'], pathMatcher: 'main' },
    { hosts: ['*.example.com'], pathMatcher: 'wild' },
    { hosts: ['*.api.example.com'], pathMatcher: 'wildapi' },
    { hosts: ['*-api.example.com'], pathMatcher: 'dashapi' },
    { hosts: ['example.net:8080'], pathMatcher: 'port' },
    { hosts: ['nodefault.example.org'], pathMatcher: 'nodefault' },
    { hosts: ['routes.example.org'], pathMatcher: 'routes' },
    { hosts: ['redirect.example.org'], pathMatcher: 'redir' },
    { hosts: ['video.example.org'], pathMatcher: 'video' },
    { hosts: ['Mixed.Example.ORG'], pathMatcher: 'wild' },
    { hosts: ['weighted.example.org'], pathMatcher: 'weighted' },
    { hosts: ['dogs.example.org'], pathMatcher: 'dogs' }
  ],
  pathMatchers: [
    {
      name: 'main',
      defaultService: bs('main-default'),
      pathRules: [
        { paths: ['/api/*'], service: bs('api'), routeAction: { urlRewrite: { pathPrefixRewrite: '/' } } },
        {
          paths: ['/api'],
          service: bs('api-exact'),
          routeAction: { urlRewrite: { pathPrefixRewrite: '/' } }
        },
        { paths: ['/api/v1/*'], service: bs('api-v1') },
        { paths: ['/a/b/*'], service: bs('ab') },
        { paths: ['/a/b/c/*'], service: bs('abc') },
        { paths: ['/old/*'], service: bs('old'), routeAction: { urlRewrite: { pathPrefixRewrite: '/v2' } } },
        {
          paths: ['/static'],
          service: bs('static'),
          routeAction: { urlRewrite: { pathPrefixRewrite: '/assets/index.html' } }
        },
        {
          paths: ['/run/*'],
          service: bs('shared-run'),
          routeAction: { urlRewrite: { hostRewrite: 'hello-abc-ew.a.run.app', pathPrefixRewrite: '/' } }
        },
        { paths: ['/moved/*'], urlRedirect: { prefixRedirect: '/new/', redirectResponseCode: 'FOUND' } },
        {
          paths: ['/gone'],
          urlRedirect: {
            hostRedirect: 'other.example.com',
            pathRedirect: '/x',
            httpsRedirect: true,
            stripQuery: true
          }
        }
      ]
    },
    { name: 'wild', defaultService: bs('wild-default') },
    { name: 'wildapi', defaultService: bs('wildapi-default') },
    { name: 'dashapi', defaultService: bs('dashapi-default') },
    { name: 'port', defaultService: bs('port-default') },
    { name: 'nodefault', pathRules: [{ paths: ['/x'], service: bs('x') }] },
    {
      name: 'routes',
      defaultService: bs('routes-default'),
      routeRules: [
        {
          priority: 20,
          matchRules: [{ prefixMatch: '/api' }],
          service: bs('r-api'),
          routeAction: { urlRewrite: { pathPrefixRewrite: '/v2' } }
        },
        { priority: 10, matchRules: [{ fullPathMatch: '/api/special' }], service: bs('r-special') },
        { priority: 30, matchRules: [{ prefixMatch: '/case', ignoreCase: true }], service: bs('r-case') },
        { priority: 5, matchRules: [{ prefixMatch: '/lit*' }], service: bs('r-lit') },
        {
          priority: 40,
          matchRules: [{ fullPathMatch: '/one' }, { prefixMatch: '/two/' }],
          service: bs('r-or')
        },
        {
          priority: 50,
          matchRules: [
            { prefixMatch: '/hdr', headerMatches: [{ headerName: 'x-canary', exactMatch: 'yes' }] }
          ],
          service: bs('r-canary')
        },
        { priority: 60, matchRules: [{ prefixMatch: '/hdr' }], service: bs('r-hdr') },
        {
          priority: 70,
          matchRules: [{ prefixMatch: '/q', queryParameterMatches: [{ name: 'v', exactMatch: '2' }] }],
          service: bs('r-q')
        },
        {
          priority: 80,
          matchRules: [{ fullPathMatch: '/exact' }],
          service: bs('r-full'),
          routeAction: { urlRewrite: { pathPrefixRewrite: '/e' } }
        },
        {
          priority: 90,
          matchRules: [{ prefixMatch: '/go' }],
          urlRedirect: { prefixRedirect: '/went', redirectResponseCode: 'SEE_OTHER' }
        }
      ]
    },
    {
      name: 'redir',
      defaultUrlRedirect: {
        hostRedirect: 'www.example.org',
        httpsRedirect: true,
        redirectResponseCode: 'PERMANENT_REDIRECT'
      }
    },
    {
      name: 'video',
      defaultService: bs('video-default'),
      pathRules: [
        { paths: ['/video/hd'], service: bs('hd-exact') },
        { paths: ['/video/hd/*'], service: bs('hd-prefix') },
        { paths: ['/video/sd'], service: bs('sd-exact') },
        { paths: ['/video/sd/*'], service: bs('sd-prefix') },
        { paths: ['/video/hd/movie1'], service: bs('movie1') }
      ]
    },
    {
      name: 'weighted',
      defaultRouteAction: {
        weightedBackendServices: [
          { backendService: bs('w1'), weight: 90 },
          { backendService: bs('w2'), weight: 10 }
        ],
        urlRewrite: { pathPrefixRewrite: '/app/' }
      }
    },
    {
      name: 'dogs',
      defaultService: bs('dogs-default'),
      pathRules: [
        {
          paths: ['/*'],
          service: bs('dogs'),
          routeAction: { urlRewrite: { pathPrefixRewrite: '/love-to-fetch/' } }
        }
      ]
    }
  ]
}
