// SPDX-License-Identifier: GPL-3.0-or-later
// chatterbox-demo against the real server: the demo party exists with its topics and history,
// the link it prints lets a newcomer in, the demo members are online and welcome them, and a
// second run reuses the party instead of making another.

#include "e2efixture.h"

#include <QProcess>

using namespace chatterbox;
using namespace chatterbox::test;
using nlohmann::json;

class TestE2eDemo : public QObject {
    Q_OBJECT

    Harness m_harness;

    // Starts the demo tool and waits for its invite link.
    QString startDemo(QProcess &demo)
    {
        demo.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        demo.start(QStringLiteral(CHATTERBOX_DEMO_BINARY), {QStringLiteral("--server"), m_harness.server().httpUrl(QString()).toString()});
        if (!demo.waitForStarted(5000))
            return {};
        QString link;
        (void)QTest::qWaitFor([&] {
            while (demo.canReadLine()) {
                const QString line = QString::fromUtf8(demo.readLine()).trimmed();
                if (line.contains(QStringLiteral("/invite/")))
                    link = line.section(QLatin1Char(' '), -1);
            }
            return !link.isEmpty();
        }, 20000);
        return link;
    }

    static void stop(QProcess &demo)
    {
        demo.terminate();
        if (!demo.waitForFinished(5000))
            demo.kill();
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_harness.start()); }

    void newcomer_joinsTheDemoParty_andIsWelcomed()
    {
        QProcess demo;
        const QString link = startDemo(demo);
        QVERIFY2(!link.isEmpty(), "the demo printed no invite link");
        Person newcomer = m_harness.connect(QStringLiteral("newcomer"));
        const std::string code = link.section(QLatin1Char('/'), -1).toStdString();
        const json preview = newcomer->request("invite.preview", {{"code", code}});
        QVERIFY(isOk(preview));
        QVERIFY(preview["result"]["preview"]["partyName"] == "Welcome to Chatterbox");
        const json joined = newcomer->request("invite.join", {{"code", code}});
        QVERIFY(isOk(joined));
        const json party = joined["result"]["party"];
        QCOMPARE(party["topics"].size(), std::size_t(3));
        QCOMPARE(party["members"].size(), std::size_t(3));
        const std::string general = party["topics"][0]["id"];
        const json history = newcomer->request("message.history", {{"topicId", general}, {"limit", 50}});
        QVERIFY(isOk(history));
        QVERIFY(history["result"]["messages"].size() >= 4);
        // The demo members are online, and one says hello.
        Person again = m_harness.reconnect(newcomer);
        int demoOnline = 0;
        for (const auto &member : party["members"]) {
            const std::string name = member["displayName"];
            if (name.size() > 6 && name.compare(name.size() - 6, 6, "(demo)") == 0)
                demoOnline += again.ready["presence"].value(member["userId"].get<std::string>(), "") == "online";
        }
        QVERIFY2(demoOnline == 2, again.ready["presence"].dump().c_str());
        QVERIFY(newcomer->waitForEvent("message.created", [](const json &e) {
            return e["message"]["body"].get<std::string>().rfind("Welcome, newcomer", 0) == 0;
        }, 10000));
        stop(demo);
    }

    void secondRun_reusesTheParty()
    {
        QProcess demo;
        QVERIFY(!startDemo(demo).isEmpty());
        stop(demo);
        Person ada = m_harness.connect(QStringLiteral("Ada (demo)"));
        int demoParties = 0;
        for (const auto &party : ada.ready["parties"])
            demoParties += party["name"] == "Welcome to Chatterbox";
        QCOMPARE(demoParties, 1);
    }
};

QTEST_GUILESS_MAIN(TestE2eDemo)
#include "tst_e2e_demo.moc"
