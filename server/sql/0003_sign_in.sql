-- The sign-in flow for the app (RFC 8252 loopback redirect with PKCE, RFC 7636).

-- One browser trip to a provider. Its id is the state the provider sends back.
CREATE TABLE login_attempts (
    id                 text PRIMARY KEY,
    provider           text NOT NULL,
    app_redirect_uri   text NOT NULL,
    app_state          text NOT NULL,
    app_code_challenge text NOT NULL,
    nonce              text NOT NULL,
    code_verifier      text NOT NULL,   -- our PKCE toward the provider
    callback_url       text NOT NULL,   -- where the provider returns; sent again with the code
    created_at         timestamptz NOT NULL DEFAULT now(),
    expires_at         timestamptz NOT NULL,
    completed_at       timestamptz
);
CREATE INDEX login_attempts_by_expiry ON login_attempts (expires_at);

-- The one-time code the app redeems at /oauth/token, bound to its PKCE challenge.
CREATE TABLE authorization_codes (
    code_hash      bytea PRIMARY KEY,
    user_id        uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    code_challenge text NOT NULL,
    redirect_uri   text NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    expires_at     timestamptz NOT NULL,
    redeemed_at    timestamptz,
    family_id      uuid              -- the sign-in it started, revoked if the code is replayed
);
CREATE INDEX authorization_codes_by_expiry ON authorization_codes (expires_at);
