// SPDX-License-Identifier: GPL-3.0-or-later
// --allow-sign-in's rules: what they accept, and whom they let in.

#include "server/auth/signinpolicy.h"
#include "server/config.h"

#include <QTest>

using namespace chatterbox::server;

class TestSignInPolicy : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void noRules_anyoneSignsIn()
    {
        const SignInPolicy policy;
        QVERIFY(!policy.restricts());
        QVERIFY(policy.allows("github", "42", ""));
    }

    void rules_parsedOrRefused()
    {
        for (const char *good : {"provider:google", "provider:acme", "domain:example.org", "domain:mail.example.org", "person:github:12345",
                                 "person:acme:user:with:colons"})
            QVERIFY2(!SignInPolicy::check(good), good);
        for (const char *bad : {"", "google", "provider:", "provider:a:b", "domain:", "domain:.example.org", "domain:example..org",
                                "domain:exa mple.org", "domain:example.org/", "person:github", "person::1", "person:github:", "everyone:yes"})
            QVERIFY2(SignInPolicy::check(bad).has_value(), bad);
    }

    void allows_byProviderPersonOrVerifiedDomain()
    {
        SignInPolicy policy;
        policy.add("provider:acme");
        policy.add("domain:Example.org");
        policy.add("person:github:12345");
        QVERIFY(policy.restricts());
        QVERIFY(policy.allows("acme", "anyone", ""));
        QVERIFY(policy.allows("github", "12345", ""));
        QVERIFY(!policy.allows("github", "123456", ""));
        QVERIFY(!policy.allows("google", "12345", ""));   // a subject is its provider's alone
        QVERIFY(policy.allows("google", "1", "ada@example.org"));
        QVERIFY(policy.allows("google", "1", "ada@EXAMPLE.ORG"));
        QVERIFY(!policy.allows("google", "1", ""));        // no verified address: no domain
        QVERIFY(!policy.allows("google", "1", "ada@mail.example.org"));
        QVERIFY(!policy.allows("google", "1", "ada@example.org.evil.test"));
        QVERIFY(!policy.allows("google", "1", "example.org"));
        QVERIFY(!policy.allows("google", "1", "ada@evil.test@example.org"));
        QVERIFY(!policy.allows("google", "1", "@example.org"));
    }

    void config_readsRulesFromOptionsAndEnvironment()
    {
        const auto parsed = parseConfig({"chatterbox-server", "--allow-sign-in", "provider:acme", "--allow-sign-in=domain:example.org"},
                                        {{"CHATTERBOX_ALLOW_SIGN_IN", "person:dev:ada, person:dev:linus"}});
        QVERIFY(parsed.config);
        QCOMPARE(parsed.config->allowSignIn.size(), 4u);
        const auto bad = parseConfig({"chatterbox-server", "--allow-sign-in", "everyone"}, {});
        QVERIFY(!bad.config);
        QCOMPARE(bad.exitCode, 2);
        QVERIFY(bad.output.find("--allow-sign-in") != std::string::npos);
        const auto retention = parseConfig({"chatterbox-server", "--retention-days", "-1"}, {});
        QVERIFY(!retention.config);
        QCOMPARE(parseConfig({"chatterbox-server"}, {{"CHATTERBOX_RETENTION_DAYS", "90"}}).config->retentionDays, 90);
    }
};

QTEST_GUILESS_MAIN(TestSignInPolicy)
#include "tst_signinpolicy.moc"
