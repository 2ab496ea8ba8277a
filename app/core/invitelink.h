// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QCoreApplication>
#include <QString>
#include <QUrl>

namespace chatterbox::app {

// An invite as a person pastes or clicks it: the page link https://server/invite/CODE or the
// app link chatterbox://invite?server=<base URL>&code=CODE. Checked strictly and entirely
// offline, before anything is fetched.
struct InviteLink {
    Q_DECLARE_TR_FUNCTIONS(InviteLink)

public:
    QUrl server;     // the server's base URL
    QString code;
    QString error;   // why the text is not an invite link; empty when it is
    bool ok() const { return error.isEmpty(); }
};

InviteLink parseInviteLink(const QString &text);

// No invite link is longer (the server's own links are about 100 characters).
inline constexpr qsizetype kMaxInviteLinkChars = 2048;

} // namespace chatterbox::app
