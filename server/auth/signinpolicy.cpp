// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/auth/signinpolicy.h"

#include <algorithm>
#include <cctype>

namespace chatterbox::server {

namespace {

std::string lower(std::string text)
{
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

bool isDomain(const std::string &domain)
{
    if (domain.empty() || domain.size() > 253 || domain.front() == '.' || domain.back() == '.' || domain.find("..") != std::string::npos)
        return false;
    return std::all_of(domain.begin(), domain.end(), [](unsigned char c) { return std::isalnum(c) || c == '-' || c == '.'; });
}

} // namespace

std::optional<std::string> SignInPolicy::check(const std::string &rule)
{
    const auto colon = rule.find(':');
    const std::string kind = rule.substr(0, colon);
    const std::string rest = colon == std::string::npos ? std::string() : rule.substr(colon + 1);
    if (kind == "provider" && !rest.empty() && rest.find(':') == std::string::npos)
        return std::nullopt;
    if (kind == "domain" && isDomain(rest))
        return std::nullopt;
    if (kind == "person") {
        const auto second = rest.find(':');
        if (second != std::string::npos && second > 0 && second + 1 < rest.size())
            return std::nullopt;
    }
    return "'" + rule + "' is not provider:ID, domain:NAME or person:PROVIDER:SUBJECT";
}

void SignInPolicy::add(const std::string &rule)
{
    const auto colon = rule.find(':');
    const std::string kind = rule.substr(0, colon);
    const std::string rest = rule.substr(colon + 1);
    if (kind == "provider") {
        m_providers.push_back(rest);
    } else if (kind == "domain") {
        m_domains.push_back(lower(rest));
    } else {
        const auto second = rest.find(':');
        m_people.emplace_back(rest.substr(0, second), rest.substr(second + 1));
    }
}

bool SignInPolicy::allows(const std::string &provider, const std::string &subject, const std::string &verifiedEmail) const
{
    if (!restricts())
        return true;
    if (std::find(m_providers.begin(), m_providers.end(), provider) != m_providers.end())
        return true;
    if (std::find(m_people.begin(), m_people.end(), std::make_pair(provider, subject)) != m_people.end())
        return true;
    // The domain is what follows the last @: "someone@evil.example@example.org" is not at
    // example.org as far as any mail server is concerned, and such an address is refused.
    const auto at = verifiedEmail.rfind('@');
    if (at == std::string::npos || at == 0 || verifiedEmail.find('@') != at)
        return false;
    const std::string domain = lower(verifiedEmail.substr(at + 1));
    return std::find(m_domains.begin(), m_domains.end(), domain) != m_domains.end();
}

} // namespace chatterbox::server
