// SPDX-License-Identifier: GPL-3.0-or-later
// A fake of GitHub's OAuth web flow and user API, built from GitHub's documentation
// ("Authorizing OAuth apps" and "Get the authenticated user"), for the sign-in tests:
//   GET  /login/oauth/authorize      redirects back with ?code&state (no login page)
//   POST /login/oauth/access_token   code + client secret + PKCE verifier -> access token
//   GET  /user                       the account behind the token
//   POST /__test/next                who signs in next: {"id": 583231, "login": "octocat", "name": "..."}
//
//   node fake-github.js CLIENT_ID CLIENT_SECRET   prints {"url": "http://127.0.0.1:PORT"} and runs
'use strict';
const crypto = require('node:crypto');
const http = require('node:http');

const [clientId, clientSecret] = process.argv.slice(2);
let next = { id: 583231, login: 'octocat', name: 'The Octocat' };
const codes = new Map();   // code -> { challenge, redirectUri, user }
const tokens = new Map();  // access token -> user

function readBody(req) {
  return new Promise((resolve) => {
    let data = '';
    req.on('data', (chunk) => { data += chunk; });
    req.on('end', () => resolve(data));
  });
}

function json(res, status, body) {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

const server = http.createServer(async (req, res) => {
  const url = new URL(req.url, 'http://localhost');
  if (req.method === 'GET' && url.pathname === '/login/oauth/authorize') {
    const q = url.searchParams;
    if (q.get('client_id') !== clientId) return json(res, 400, { error: 'unknown client' });
    const code = crypto.randomBytes(10).toString('hex');
    codes.set(code, { challenge: q.get('code_challenge'), method: q.get('code_challenge_method'),
                      redirectUri: q.get('redirect_uri'), user: next });
    const back = new URL(q.get('redirect_uri'));
    back.searchParams.set('code', code);
    back.searchParams.set('state', q.get('state') || '');
    res.writeHead(302, { Location: back.toString() });
    return res.end();
  }
  if (req.method === 'POST' && url.pathname === '/login/oauth/access_token') {
    const form = new URLSearchParams(await readBody(req));
    const entry = codes.get(form.get('code'));
    codes.delete(form.get('code'));
    // GitHub answers 200 with an "error" field for a bad code.
    if (form.get('client_id') !== clientId || form.get('client_secret') !== clientSecret)
      return json(res, 200, { error: 'incorrect_client_credentials' });
    if (!entry || entry.redirectUri !== form.get('redirect_uri'))
      return json(res, 200, { error: 'bad_verification_code' });
    if (entry.challenge) {
      const hash = crypto.createHash('sha256').update(form.get('code_verifier') || '').digest('base64url');
      if (entry.method !== 'S256' || hash !== entry.challenge)
        return json(res, 200, { error: 'bad_verification_code' });
    }
    const token = 'gho_' + crypto.randomBytes(16).toString('hex');
    tokens.set(token, entry.user);
    return json(res, 200, { access_token: token, token_type: 'bearer', scope: 'read:user' });
  }
  if (req.method === 'GET' && url.pathname === '/user') {
    const auth = (req.headers.authorization || '').replace(/^(Bearer|token) /, '');
    const user = tokens.get(auth);
    if (!user) return json(res, 401, { message: 'Bad credentials' });
    return json(res, 200, { login: user.login, id: user.id, name: user.name, email: user.email || null, type: 'User' });
  }
  if (req.method === 'POST' && url.pathname === '/__test/next') {
    next = JSON.parse(await readBody(req));
    return json(res, 200, next);
  }
  json(res, 404, { message: 'Not Found' });
});

server.listen(0, '127.0.0.1', () => {
  process.stdout.write(JSON.stringify({ url: `http://127.0.0.1:${server.address().port}` }) + '\n');
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));

// When the test process goes away (even killed), its stdin closes: go with it.
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
