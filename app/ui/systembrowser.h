#pragma once

#include "app/core/transport.h"

namespace chatterbox::app {

// Sign-in pages open in the person's own browser (RFC 8252: never an embedded web view, so the
// app never sees their provider password).
class SystemBrowser final : public UrlOpener {
public:
    bool openUrl(const QUrl &url) override;
};

} // namespace chatterbox::app
