// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QCoreApplication>
#include <QString>
#include <QUrl>

namespace chatterbox::app {

// A permalink to one message: chatterbox://message?server=<base URL>&party=…&topic=…&seq=N, or
// the server's page for it, <base URL>/message/<party>/<topic>/<seq>. It names where the
// message is, nothing of what it says; only a member of the party can open it. Checked strictly
// and offline, like invite links.
struct MessageLink {
    Q_DECLARE_TR_FUNCTIONS(MessageLink)

public:
    QUrl server;
    QString partyId;
    QString topicId;
    qint64 seq = 0;
    QString error;   // why the text is not a message link; empty when it is
    bool ok() const { return error.isEmpty(); }

    QUrl appUrl() const;   // the chatterbox: form
    QUrl pageUrl() const;  // the https page, which hands the chatterbox: form to the app
};

// True when the text looks meant as a message link (its scheme and path), whether or not it is
// a good one: links are told apart by this before they are checked.
bool looksLikeMessageLink(const QString &text);
MessageLink parseMessageLink(const QString &text);

} // namespace chatterbox::app
