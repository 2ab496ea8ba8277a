// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>

namespace chatterbox::app {

// RFC 7636: a random verifier, its S256 challenge, and a random state, each URL-safe base64.
struct Pkce {
    QByteArray verifier;
    QByteArray challenge;
    QByteArray state;

    static Pkce generate();
    static QByteArray challengeFor(const QByteArray &verifier);
};

} // namespace chatterbox::app
