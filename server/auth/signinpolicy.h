// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace chatterbox::server {

// Who may sign in to this server (--allow-sign-in): with no rule, anyone a configured provider
// vouches for; with rules, only those one of them names:
//   provider:ID              any account of that provider (google, github, an oidc id, dev)
//   domain:example.org       an account whose provider says its e-mail address, verified, is at
//                            that domain (exactly; a subdomain is a rule of its own)
//   person:PROVIDER:SUBJECT  one account, by its provider and the subject it has there
class SignInPolicy final {
public:
    // Parses one rule; an error message when it is not one.
    static std::optional<std::string> check(const std::string &rule);
    void add(const std::string &rule);   // a rule check() accepted

    bool restricts() const { return !m_providers.empty() || !m_domains.empty() || !m_people.empty(); }
    // verifiedEmail is empty when the provider did not vouch for one.
    bool allows(const std::string &provider, const std::string &subject, const std::string &verifiedEmail) const;

private:
    std::vector<std::string> m_providers;
    std::vector<std::string> m_domains;   // lower case
    std::vector<std::pair<std::string, std::string>> m_people;
};

} // namespace chatterbox::server
