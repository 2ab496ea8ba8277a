// SPDX-License-Identifier: GPL-3.0-or-later
// How an operator names sign-in providers, and which app redirect addresses are acceptable.

#include "server/auth/providers.h"
#include "server/auth/signin.h"

#include <QTest>

using namespace chatterbox::server;

class TestProviders : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void spec_google_github_oidc()
    {
        std::string error;
        const auto google = parseProviderSpec("type=google,client-id=abc.apps,client-secret=s3", &error);
        QVERIFY2(google, error.c_str());
        QCOMPARE(google->id, std::string("google"));
        QCOMPARE(google->issuer, std::string("https://accounts.google.com"));
        const auto github = parseProviderSpec("type=github, client-id=Iv1 , client-secret=s", &error);
        QVERIFY2(github, error.c_str());
        QVERIFY(github->type == ProviderConfig::Type::GitHub);
        QCOMPARE(github->clientId, std::string("Iv1"));
        QCOMPARE(github->apiUrl, std::string("https://api.github.com"));
        const auto acme = parseProviderSpec("type=oidc,id=acme,name=Acme SSO,issuer=https://login.acme.example/,client-id=c,client-secret=s", &error);
        QVERIFY2(acme, error.c_str());
        QCOMPARE(acme->name, std::string("Acme SSO"));
        QCOMPARE(acme->issuer, std::string("https://login.acme.example"));
    }

    void spec_bad_refused_data()
    {
        QTest::addColumn<QString>("spec");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("no type") << "client-id=a,client-secret=b" << "type";
        QTest::newRow("no secret") << "type=google,client-id=a" << "client-secret";
        QTest::newRow("oidc without issuer") << "type=oidc,id=x,client-id=a,client-secret=b" << "issuer";
        QTest::newRow("plain http issuer") << "type=oidc,id=x,issuer=http://login.example,client-id=a,client-secret=b" << "https";
        QTest::newRow("bad id") << "type=oidc,id=Bad Id,issuer=https://x,client-id=a,client-secret=b" << "id";
        QTest::newRow("dev id") << "type=oidc,id=dev,issuer=https://x,client-id=a,client-secret=b" << "dev";
        QTest::newRow("unknown key") << "type=google,client-id=a,client-secret=b,colour=red" << "colour";
        QTest::newRow("missing secret file") << "type=google,client-id=a,client-secret-file=/nonexistent/secret" << "client-secret-file";
        QTest::newRow("not key=value") << "type=google,oops" << "key=value";
    }
    void spec_bad_refused()
    {
        QFETCH(QString, spec);
        QFETCH(QString, mentions);
        std::string error;
        QVERIFY(!parseProviderSpec(spec.toStdString(), &error));
        QVERIFY2(QString::fromStdString(error).contains(mentions), error.c_str());
    }

    void loopbackRedirect_onlyIpLiteralsWithPort_data()
    {
        QTest::addColumn<QString>("uri");
        QTest::addColumn<bool>("accepted");
        QTest::newRow("v4") << "http://127.0.0.1:49152/callback" << true;
        QTest::newRow("v4 no path") << "http://127.0.0.1:8000" << true;
        QTest::newRow("v6") << "http://[::1]:49152/cb?x=1" << true;
        QTest::newRow("no port") << "http://127.0.0.1/callback" << false;
        QTest::newRow("localhost") << "http://localhost:49152/callback" << false;
        QTest::newRow("https") << "https://127.0.0.1:49152/callback" << false;
        QTest::newRow("other host") << "http://evil.example:49152/callback" << false;
        QTest::newRow("userinfo trick") << "http://127.0.0.1:80@evil.example/" << false;
        QTest::newRow("fragment") << "http://127.0.0.1:49152/cb#x" << false;
        QTest::newRow("other loopback") << "http://127.0.0.2:49152/cb" << false;
        QTest::newRow("port too big") << "http://127.0.0.1:99999/cb" << false;
        QTest::newRow("custom scheme") << "chatterbox://callback" << false;
        QTest::newRow("space") << "http://127.0.0.1:5000/a b" << false;
    }
    void loopbackRedirect_onlyIpLiteralsWithPort()
    {
        QFETCH(QString, uri);
        QFETCH(bool, accepted);
        QCOMPARE(SignInService::isLoopbackRedirect(uri.toStdString()), accepted);
    }
};

QTEST_GUILESS_MAIN(TestProviders)
#include "tst_providers.moc"
