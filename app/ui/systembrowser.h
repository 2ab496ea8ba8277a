// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "app/core/transport.h"

#include <QObject>

namespace chatterbox::app {

// Sign-in pages open in the person's own browser (RFC 8252: never an embedded web view, so the
// app never sees their provider password).
//
// On Linux and the BSDs, QDesktopServices starts xdg-open and reports success once it has
// started, even when xdg-open then finds no browser or $BROWSER names one that cannot run; so the
// launcher is run here and its exit status heard. One still running after a few seconds is taken
// as a browser that opened (some run in the foreground). Elsewhere the system's own call says.
class SystemBrowser final : public QObject, public UrlOpener {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SystemBrowser)

public:
    // launcher: the program that opens a web address; empty uses QDesktopServices.
    explicit SystemBrowser(QString launcher = defaultLauncher(), QObject *parent = nullptr);

    void openUrl(const QUrl &url, Done done) override;

    static QString defaultLauncher();
    // How long a launcher may run before it counts as having opened a browser.
    static constexpr int kSettleMs = 4000;

private:
    QString m_launcher;
};

} // namespace chatterbox::app
