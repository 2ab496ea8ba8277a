// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <string>
#include <string_view>

namespace chatterbox::web {

// The look of the few web pages people see during a sign-in or an invite: the server's own pages
// and the app's "You are signed in" page share it, so the trip through the browser looks like one
// product. Light and dark follow the browser's preference.
inline constexpr std::string_view kPageStyle =
    "body{font:16px/1.5 system-ui,sans-serif;margin:0;min-height:100vh;display:flex;align-items:center;"
    "justify-content:center;background:#f4f5f7;color:#1d1f23}"
    "@media (prefers-color-scheme:dark){body{background:#1d1f23;color:#e8e9eb}main{background:#2a2d33!important}}"
    "main{background:#fff;border-radius:12px;padding:32px 40px;max-width:420px;box-shadow:0 2px 12px rgba(0,0,0,.08)}"
    "h1{font-size:22px;margin:0 0 8px}p{margin:8px 0 20px;opacity:.8}"
    "input{font:inherit;padding:10px 12px;border:1px solid #8884;border-radius:8px;width:100%;box-sizing:border-box;"
    "margin-bottom:16px;background:transparent;color:inherit}"
    "button,a.button{font:inherit;font-weight:600;background:#5865f2;color:#fff;border:0;border-radius:8px;padding:10px 20px;"
    "text-decoration:none;display:inline-block}"
    "code{font-size:13px;opacity:.7}";

// Text made safe to put between HTML tags or in a quoted attribute.
std::string htmlEscape(std::string_view text);

// A whole page with a heading and one paragraph, both plain text.
std::string messagePage(std::string_view title, std::string_view text);

} // namespace chatterbox::web
