// SPDX-License-Identifier: GPL-3.0-or-later
#include "shared/webpage.h"

namespace chatterbox::web {

std::string htmlEscape(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&#39;"; break;
        default: out += c;
        }
    }
    return out;
}

std::string messagePage(std::string_view title, std::string_view text)
{
    std::string page = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                       "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>";
    page += htmlEscape(title);
    page += "</title><style>";
    page += kPageStyle;
    page += "</style></head><body><main><h1>";
    page += htmlEscape(title);
    page += "</h1><p>";
    page += htmlEscape(text);
    page += "</p></main></body></html>\n";
    return page;
}

} // namespace chatterbox::web
