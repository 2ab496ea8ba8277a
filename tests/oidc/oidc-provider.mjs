// SPDX-License-Identifier: GPL-3.0-or-later
// A second real OpenID Connect provider for the sign-in tests that run in a browser: panva's
// oidc-provider (OpenID Certified) with its own login and consent pages, on loopback. Like many
// providers it puts only `sub` in the ID token of the code flow and the profile claims in
// userinfo, as OpenID Connect Core 5.4 allows.
//
//   node oidc-provider.mjs CLIENT_ID CLIENT_SECRET   prints {"issuer": "http://127.0.0.1:PORT"} and runs
//
// Control endpoints for the test:
//   POST /__test/client  {"redirect_uris": [...]}   where the relying party may send people back
//   POST /__test/account {"login": "...", "name": "...", "email": "..."}   claims for that login
import http from 'node:http';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

// ES modules do not look in NODE_PATH, where the test fixture installed the package.
const modules = createRequire(`${process.env.NODE_PATH || process.cwd()}/`);
const { default: Provider } = await import(pathToFileURL(modules.resolve('oidc-provider')).href);

const [clientId, clientSecret] = process.argv.slice(2);
let redirectUris = ['http://127.0.0.1/unset'];
const accounts = new Map();
const store = new Map();

// Everything in memory; the client is read from the test's settings at each look-up, so the
// relying party's callback can be named after it has started.
class Adapter {
  constructor(model) { this.model = model; }
  key(id) { return `${this.model}:${id}`; }
  async find(id) {
    if (this.model === 'Client') {
      return id === clientId ? {
        client_id: clientId, client_secret: clientSecret, redirect_uris: redirectUris,
        grant_types: ['authorization_code'], response_types: ['code'], token_endpoint_auth_method: 'client_secret_basic',
      } : undefined;
    }
    return store.get(this.key(id));
  }
  async upsert(id, payload) { store.set(this.key(id), payload); }
  async findByUid(uid) {
    for (const [key, value] of store) if (key.startsWith(`${this.model}:`) && value.uid === uid) return value;
    return undefined;
  }
  async findByUserCode(userCode) {
    for (const [key, value] of store) if (key.startsWith(`${this.model}:`) && value.userCode === userCode) return value;
    return undefined;
  }
  async consume(id) { const value = store.get(this.key(id)); if (value) value.consumed = Math.floor(Date.now() / 1000); }
  async destroy(id) { store.delete(this.key(id)); }
  async revokeByGrantId(grantId) { for (const [key, value] of store) if (value.grantId === grantId) store.delete(key); }
}

function readJson(req) {
  return new Promise((resolve) => {
    let body = '';
    req.on('data', (chunk) => { body += chunk; });
    req.on('end', () => { try { resolve(JSON.parse(body || '{}')); } catch { resolve({}); } });
  });
}

let handler = (req, res) => { res.statusCode = 503; res.end(); };
const server = http.createServer((req, res) => handler(req, res));
server.listen(0, '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const provider = new Provider(issuer, {
    adapter: Adapter,
    findAccount: async (ctx, id) => ({
      accountId: id,
      claims: async () => ({ sub: id, ...(accounts.get(id) || {}) }),
    }),
    claims: { openid: ['sub'], profile: ['name', 'preferred_username'], email: ['email', 'email_verified'] },
    scopes: ['openid', 'profile', 'email'],
    pkce: { required: () => true },
    cookies: { keys: ['chatterbox-test-cookies'] },
    features: { devInteractions: { enabled: true } },
  });
  const oidc = provider.callback();
  handler = async (req, res) => {
    if (req.method === 'POST' && req.url === '/__test/client') {
      redirectUris = (await readJson(req)).redirect_uris || redirectUris;
      res.setHeader('Content-Type', 'application/json');
      return res.end(JSON.stringify({ redirect_uris: redirectUris }));
    }
    if (req.method === 'POST' && req.url === '/__test/account') {
      const { login, ...claims } = await readJson(req);
      accounts.set(login, claims);
      res.setHeader('Content-Type', 'application/json');
      return res.end(JSON.stringify({ login, claims }));
    }
    return oidc(req, res);
  };
  process.stdout.write(JSON.stringify({ issuer }) + '\n');
});

const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
// When the test process goes away (even killed), its stdin closes: go with it.
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
