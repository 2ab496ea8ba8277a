// SPDX-License-Identifier: GPL-3.0-or-later
// A real OpenID Connect provider for the sign-in tests: oauth2-mock-server on loopback, with a
// small control endpoint so a test can choose who signs in next and make the provider misbehave
// (wrong issuer, audience or nonce, expired token, "alg: none", HS256 signed with the public key),
// or keep the profile for userinfo ("userinfo", and "userinfo-other-sub" for one about someone else).
// RFC 9207's iss parameter on the way back: "iss-right" sends the provider's own, "iss-other" another
// provider's, "iss-none" none at all; started with promise-iss, its discovery promises the parameter
// and it sends its own unless told otherwise.
//
//   node provider.js CLIENT_ID CLIENT_SECRET [promise-iss]
//                                        prints {"issuer": "http://127.0.0.1:PORT"} and runs
'use strict';
const crypto = require('node:crypto');
const { OAuth2Server } = require('oauth2-mock-server');

const [clientId, clientSecret, mode] = process.argv.slice(2);
const promisesIss = mode === 'promise-iss';
let next = { sub: 'subject-1', name: 'Ada Lovelace', email: 'ada@example.org', tamper: '' };

function b64url(data) {
  return Buffer.from(data).toString('base64url');
}

function decodePart(token, index) {
  return JSON.parse(Buffer.from(token.split('.')[index], 'base64url').toString());
}

(async () => {
  const server = new OAuth2Server();
  await server.issuer.keys.generate('RS256');
  const app = server.service.requestHandler;

  app.post('/__test/next', (req, res) => {
    next = Object.assign({ sub: 'subject-1', name: 'Ada Lovelace', email: 'ada@example.org', tamper: '' }, req.body);
    res.json(next);
  });

  if (promisesIss) {
    // Ahead of the mock's own discovery handler, which then answers with the promise added.
    app.get('/.well-known/openid-configuration', (req, res, nextHandler) => {
      const send = res.json.bind(res);
      res.json = (body) => send(Object.assign(body, { authorization_response_iss_parameter_supported: true }));
      nextHandler();
    });
    const stack = app._router.stack;   // after express's own middleware, before the routes
    stack.splice(stack.findIndex((layer) => layer.route), 0, stack.pop());
  }

  server.service.on('beforeAuthorizeRedirect', ({ url }) => {
    const sendsOwn = next.tamper === 'iss-right' || (promisesIss && next.tamper !== 'iss-none');
    if (next.tamper === 'iss-other') url.searchParams.set('iss', 'https://evil.example.org');
    else if (sendsOwn) url.searchParams.set('iss', server.issuer.url);
  });

  server.service.on('beforeTokenSigning', (token) => {
    token.payload.sub = next.sub;
    if (token.payload.aud === clientId) {
      // The ID token: who signed in (its profile claims only in userinfo, when asked to).
      if (!next.tamper.startsWith('userinfo')) Object.assign(token.payload, { name: next.name, email: next.email, email_verified: true });
      const now = Math.floor(Date.now() / 1000);
      if (next.tamper === 'wrong-iss') token.payload.iss = 'https://evil.example.org';
      if (next.tamper === 'wrong-aud') token.payload.aud = 'someone-else';
      if (next.tamper === 'wrong-nonce') token.payload.nonce = 'not-the-nonce';
      if (next.tamper === 'expired') Object.assign(token.payload, { iat: now - 7200, exp: now - 3600 });
    }
  });

  // userinfo: the profile of whoever signed in last (or of someone else, when told to lie).
  server.service.on('beforeUserinfo', (userInfoResponse) => {
    userInfoResponse.body = { sub: next.tamper === 'userinfo-other-sub' ? 'someone-else' : next.sub, name: next.name, email: next.email };
  });

  server.service.on('beforeResponse', (response, req) => {
    // The client must authenticate with the secret only the server holds.
    const basic = (req.headers.authorization || '').match(/^Basic (.+)$/);
    const [id, secret] = basic ? Buffer.from(basic[1], 'base64').toString().split(':').map(decodeURIComponent)
                               : [req.body.client_id, req.body.client_secret];
    if (id !== clientId || secret !== clientSecret) {
      response.statusCode = 401;
      response.body = { error: 'invalid_client' };
      return;
    }
    const idToken = response.body.id_token;
    if (!idToken) return;
    const header = decodePart(idToken, 0);
    const payload = decodePart(idToken, 1);
    if (next.tamper === 'alg-none') {
      response.body.id_token = `${b64url(JSON.stringify({ alg: 'none', typ: 'JWT', kid: header.kid }))}.${b64url(JSON.stringify(payload))}.`;
    } else if (next.tamper === 'hs256-public-key') {
      // The classic confusion attack: HMAC keyed with the provider's public key.
      const jwk = server.issuer.keys.toJSON().find((k) => k.kid === header.kid);
      const publicPem = crypto.createPublicKey({ key: jwk, format: 'jwk' }).export({ type: 'spki', format: 'pem' });
      const input = `${b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT', kid: header.kid }))}.${b64url(JSON.stringify(payload))}`;
      response.body.id_token = `${input}.${crypto.createHmac('sha256', publicPem).update(input).digest('base64url')}`;
    } else if (next.tamper === 'bad-signature') {
      const parts = idToken.split('.');
      response.body.id_token = `${parts[0]}.${b64url(JSON.stringify(Object.assign(payload, { sub: 'admin' })))}.${parts[2]}`;
    }
  });

  await server.start(0, '127.0.0.1');
  // The mock names itself "localhost"; the address it really listens on is clearer.
  server.issuer.url = `http://127.0.0.1:${server.address().port}`;
  process.stdout.write(JSON.stringify({ issuer: server.issuer.url }) + '\n');
  const stop = () => server.stop().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
})().catch((e) => {
  console.error(e);
  process.exit(1);
});

// When the test process goes away (even killed), its stdin closes: go with it.
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
